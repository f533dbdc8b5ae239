"""open-compound: an English compound copied with its space ("UN Gipfel" for "UN-Gipfel")."""

from __future__ import annotations

import re
from functools import lru_cache

from mtcheck.flags.language import frequencies
from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.tagger import get_tagger
from mtcheck.flags.text import SegmentText

# A capitalised word or acronym, one space, and a capitalised word in lower case after its
# first letter: the shape of "UN Gipfel", "Netflix Abonnenten" (and of "Die Polizei").
_PAIR = re.compile(r"(?<![\w-])([A-ZÄÖÜ][A-Za-zÄÖÜäöüß]+) (?=[A-ZÄÖÜ][a-zäöüß]+(?![\w-]))")
# English words that may follow a name without the name modifying them: function words,
# auxiliaries and verbs of saying ("Apple said", "EU has", "Merkel in").
_ENGLISH_FUNCTION_WORDS = frozenset(
    """a an the of and or but nor with for from by to in on at as into onto over under about
    after before between through during without within against among across around than
    then there here not only just very so too also is are was were be been being am has
    have had do does did will would shall should can could may might must said says say
    told tells asked added announced stated noted wrote who whom whose which that this
    these those what when where why how it its he she they we you i his her their our your
    him them us if whether since until unless though even still yet already never ever
    always often again""".split()
)
# Tags of the word before the compound that show the pair inside one noun phrase
# ("beim UN Gipfel", "der UN Gipfel", "neue Netflix Abonnenten") or at its start. A number
# is not among them: after one, an acronym is a unit ("5 GB Speicher").
_NOUN_PHRASE_START = frozenset(
    {"ART", "APPR", "APPRART", "ADJ(A)", "PPOSAT", "PIAT", "PDAT", "KON"}
)
# A punctuation mark before the pair opens a noun phrase too.
_BEFORE_NOUN_PHRASE = _NOUN_PHRASE_START | {"$(", "$,", "$."}
# What HanTa calls a word that is a name or foreign rather than German.
_NAME_TAGS = frozenset({"NE", "FM", "XY"})
_NOUN_LIKE_GUESSES = frozenset({"NE", "NN", "FM"})
# How much more frequent (Zipf) in German than in English a noun must be to count as
# German only.
_GERMAN_MARGIN = 1.0


def _is_acronym(word: str) -> bool:
    return 2 <= len(word) <= 5 and word.isalpha() and word.isupper()


@lru_cache(maxsize=20_000)
def _is_foreign_noun(word: str) -> bool:
    """Whether ``word`` is an acronym, or a name or foreign noun that is no German word:
    HanTa's lexicon knows it only as a name or foreign word, or does not know it and its
    best guess is a noun or name (not an adjective such as "Bostoner" or "Informative")."""
    if _is_acronym(word):
        return True
    if len(word) < 2 or not word.isalpha() or not word[0].isupper():
        return False
    if word.lower() in _ENGLISH_FUNCTION_WORDS:
        return False  # "The Prozess": an English word left untranslated, not a compound
    tagger = get_tagger()
    readings = tagger.lexicon_tags(word)
    if readings is not None:
        return readings <= _NAME_TAGS
    return tagger.best_guess(word) in _NOUN_LIKE_GUESSES


@lru_cache(maxsize=20_000)
def _is_german_noun(word: str) -> bool:
    """Whether ``word`` is a German common noun: HanTa's lexicon knows it as one or, for a
    word it lacks ("Abonnenten"), its best guess is a common noun rather than a name."""
    tagger = get_tagger()
    readings = tagger.lexicon_tags(word)
    if readings is not None:
        return "NN" in readings
    return tagger.best_guess(word) == "NN"


@lru_cache(maxsize=20_000)
def _german_only(word: str) -> bool:
    """Whether ``word`` is far more frequent in German than in English text (wordfreq's
    Zipf scale, a margin of 10 times): "Schule", "Modus"; not "Party", "Version", "Team",
    words that English names use ("Apple Store", "Microsoft Teams")."""
    german, english = frequencies(word)
    return german - english >= _GERMAN_MARGIN


def _modifies_in_english(reference: str, word: str) -> bool:
    """Whether the English reference uses ``word`` before a noun, as in "UN summit" or
    "podcasting course": followed by a lower-case word that is no function word, no past form
    ("-ed") and not itself followed by a lower-case content word, as a verb is by its
    object ("the EU imposes fines", "Apple told customers")."""
    flags = 0 if word.isupper() else re.IGNORECASE
    # A headline in title case ("Lacks Capacity To Print More New Naira Notes") capitalises
    # its nouns and verbs alike: there the case of the following words says nothing.
    follower_class = "[A-Za-z]" if _title_case(reference) else "[a-z]"
    pattern = (
        rf"(?<![\w'-]){re.escape(word)}\s+(?-i:({follower_class}+))\b"
        rf"(?:\s+(?-i:({follower_class}+))\b)?"
    )
    for match in re.finditer(pattern, reference, flags):
        follower, after = match[1].lower(), match[2] and match[2].lower()
        if follower in _ENGLISH_FUNCTION_WORDS or follower.endswith("ed"):
            continue
        if after and after not in _ENGLISH_FUNCTION_WORDS:
            continue
        return True
    return False


def _title_case(reference: str) -> bool:
    """Whether ``reference`` is a headline in title case: nearly every word of four
    letters or more is capitalised."""
    words = [word for word in re.findall(r"[A-Za-z]+", reference) if len(word) >= 4]
    return len(words) >= 3 and sum(word[0].isupper() for word in words) >= 0.8 * len(words)


def _candidates(segment: SegmentText) -> frozenset[str]:
    """First words of the pairs worth tagging: written before a capitalised word here,
    before a noun in the reference, and no German word."""
    reference = segment.reference or ""
    lowered = reference.lower()
    words = {match[1] for match in _PAIR.finditer(segment.text)}
    return frozenset(
        word
        for word in words
        if word.lower() in lowered
        and _modifies_in_english(reference, word)
        and _is_foreign_noun(word)
    )


def _name_start(tokens, index: int, text: str, reference: str) -> int:
    """The index of the first word of the name that ends at ``index``: earlier capitalised
    words that stand before it in the reference too ("Silicon Valley Firmen"), up to an
    English function word ("The")."""
    start = index
    lowered = reference.lower()
    while start > 0:
        previous, current = tokens[start - 1], tokens[start]
        if not (previous.is_word and previous.text[:1].isupper()):
            break
        if previous.text.lower() in _ENGLISH_FUNCTION_WORDS:
            break
        if text[previous.end : current.start] != " ":
            break
        if f"{previous.text} {current.text}".lower() not in lowered:
            break
        start -= 1
    return start


def _opens_noun_phrase(tags, start: int) -> bool:
    """Whether the word before ``start`` lets the pair be one noun phrase: none, a
    punctuation mark, or a determiner, preposition, adjective or conjunction."""
    return start == 0 or tags[start - 1] in _BEFORE_NOUN_PHRASE


def _is_designation(tokens, index: int, text: str) -> bool:
    """Whether the noun at ``index`` is followed by a number or code ("Typ 6", "Version
    2.0", "Modell XP5"): a product designation, not a compound."""
    if index + 1 >= len(tokens):
        return False
    following = tokens[index + 1]
    return text[tokens[index].end : following.start] == " " and any(
        char.isdigit() for char in following.text
    )


def _finding(tokens, tags, index: int, segment: SegmentText) -> Finding | None:
    """The finding for the pair of words ``index`` and ``index + 1``, or None."""
    text, reference = segment.text, segment.reference or ""
    first, noun = tokens[index], tokens[index + 1]
    # The tagger reads an unknown capitalised word as a name, so NE is allowed here and the
    # lexicon decides; a word the reference holds too is English, not German.
    if tags[index + 1] not in ("NN", "NE") or not _is_german_noun(noun.text):
        return None
    if noun.text.lower() in reference.lower() or not _german_only(noun.text):
        return None  # an English head: the pair may be an English name ("Apple Store")
    if noun.text.lower().startswith(first.text.lower()):
        return None  # "BYTES Bytes": a placeholder and its noun
    if f"{first.text} {noun.text}".lower() in reference.lower():
        return None  # the pair is an English name copied whole ("Microsoft Internet")
    if _is_designation(tokens, index + 1, text):
        return None
    start = _name_start(tokens, index, text, reference)
    if not _opens_noun_phrase(tags, start):
        return None
    words = [token.text for token in tokens[start : index + 2]]
    return Finding(
        tokens[start].start,
        noun.end,
        "Compound written apart as in English: German joins its parts with a hyphen.",
        "-".join(words),
    )


@rule("open-compound", "Fluency/Spelling", "minor", fix="unsafe")
def check(segment: SegmentText, context: Context):
    """A compound written apart as in English: a name, acronym or English noun before a
    German noun ("UN Gipfel", "Podcasting Kurs"); German writes "UN-Gipfel".

    German joins the parts of a compound; one whose first part is a name, an acronym or
    an English word takes hyphens ("EU-Kommission", "Podcasting-Kurs",
    "Silicon-Valley-Firmen"). The rule needs the English reference: it flags a word that is
    no German word (an acronym, a name, an English noun) directly before a German common
    noun when the reference uses that word before a noun too ("UN summit"). Left alone:
    German words before a noun ("Kanzler Scholz"), appositions and names after a noun
    ("die Firma Apple"), English names copied whole ("Microsoft Internet"), designations
    with a number ("Typ 6", "Version 2"), adjectives ("Bostoner Polizei"), genitives
    ("Merkels Rede"), and pairs the reference does not write as a compound ("sagte
    Apple Kunden" for "Apple told customers"). The span is the name and the noun; the
    suggestion joins them with hyphens.

    Bad:  "Er sprach beim UN Gipfel." (reference: "He spoke at the UN summit.")
    Bad:  "Sie bucht einen Podcasting Kurs." (reference: "She books a podcasting course.")
    Good: "Er sprach beim UN-Gipfel." (reference: "He spoke at the UN summit.")
    Good: "Dann sagte Apple Kunden ab." (reference: "Then Apple told customers no.")
    Good: "Er lebt in New York." (reference: "He lives in New York.")
    """
    if not segment.reference:
        return
    candidates = _candidates(segment)
    if not candidates:
        return

    def has_candidate(tokens) -> bool:
        return any(token.text in candidates for token in tokens)

    for tokens, tags in segment.tagged_sentences(has_candidate):
        for index in range(len(tokens) - 1):
            first, noun = tokens[index], tokens[index + 1]
            if first.text not in candidates or not noun.is_word:
                continue
            if segment.text[first.end : noun.start] != " ":
                continue
            finding = _finding(tokens, tags, index, segment)
            if finding is not None:
                yield finding
