"""article-agreement: an article or adjective that does not agree with its noun."""

from __future__ import annotations

from mtcheck.flags.gender import (
    DEFINITE,
    EIN_WORDS,
    FEM,
    INDEFINITE,
    MASC,
    NEUT,
    adjective_ending,
    determiner_readings,
    nominalised_infinitive,
    noun_phrase_readings,
)
from mtcheck.flags.language import frequencies, reference_words
from mtcheck.flags.nouns import is_common_noun_form, known_part
from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.stts import is_boundary, is_finite, is_verb
from mtcheck.flags.tagger import get_tagger
from mtcheck.flags.text import SegmentText

_DETERMINER_TAGS = frozenset({"ART", "PPOSAT", "PIAT"})
_CASES = ("n", "a", "d", "g")
_ENDINGS = ("en", "em", "er", "es", "e")
_GENDER_NAMES = {MASC: "masculine", FEM: "feminine", NEUT: "neuter", "p": "plural"}
# How much more frequent (Zipf) than in English a name-tagged word must be in German to
# be read as a common noun: "Gabel" 3.6 / 2.1, "Tate" 3.2 / 3.7.
_GERMAN_MARGIN = 1.0
# A masculine or neuter genitive singular: many foreign words, names and units drop its
# -s in usage the lexicon does not list, so a bare form there is not flagged.
_GENITIVE_S = frozenset({(MASC, "g"), (NEUT, "g")})
_CASE_NAMES = {"n": "nominative", "a": "accusative", "d": "dative", "g": "genitive"}
# Words that end a noun phrase's head: after them the noun may be a modifier
# ("den Zeitung lesenden Mann") or a truncated compound ("das Haus- und Gartenbuch").
_NOT_AFTER_HEAD = frozenset({"NN", "NE", "ADJ(A)", "TRUNC"})
# The endings of an adjective with no determiner before it, per (gender, case).
_STRONG = {
    MASC: {"n": "er", "a": "en", "d": "em", "g": "en"},
    FEM: {"n": "e", "a": "e", "d": "er", "g": "er"},
    NEUT: {"n": "es", "a": "es", "d": "em", "g": "en"},
    "p": {"n": "e", "a": "e", "d": "en", "g": "er"},
}
# What may stand before the finite verb when a pronoun right after it is the subject
# ("Jetzt ergibt das Sinn"): adverbs, not a subject of its own.
_ADVERBIAL_TAGS = frozenset({"ADV", "PROAV", "ADJ(D)", "PTKNEG", "PWAV"})
# What may follow a bare noun phrase that ends its clause: "… einem Angst." / "ob das
# Sinn ergibt" / "macht einem Angst vor …".
_AFTER_BARE_PHRASE = frozenset({"ADV", "PTKNEG", "PTKVZ", "APPR", "APPRART", "ADJ(D)"})


@rule("article-agreement", "Fluency/Grammar", "minor", fix="unsafe")
def check(segment: SegmentText, context: Context):
    """An article or adjective that does not agree with its noun in gender, case or number.

    Checks simple noun phrases, a determiner (article, "kein", possessive) with only
    adjectives before the noun. The noun's readings (gender or plural, and case) come
    from the german-nouns lexicon (a compound from its longest known last part), else
    from a short list and the suffixes that fix a gender ("-ung", "-schaft", "-ment").
    It flags only when no reading of the determiner fits any reading of the noun form:
    a form of two genders ("der/das Teil"), a noun declined like an adjective ("der
    Angestellte") or a verb used as a noun ("das Klingeln") is read every way it can
    be. The span is the noun phrase; the suggestion is the phrase with agreeing endings
    (none where only the noun's case form is wrong: "den Kinder"; a masculine or
    neuter genitive without -s is left alone, as usage varies: "des Dollar").

    Bad:  "Das war das große Erfolg des Jahres."
    Bad:  "Er gründete einen kleine Firma."
    Bad:  "Wir haben das Erfolg."
    Bad:  "Sie spielte mit den Kinder im Garten."
    Good: "Das war der große Erfolg des Jahres."
    Good: "Der größte Teil der Arbeit ist erledigt."
    Good: "Ein Angestellter hat gekündigt."
    Good: "Ergibt das Sinn?"
    Good: "Das macht einem Angst."
    Good: "Die Zahl der neuen Modelle wächst."
    """
    for tokens, tags in segment.tagged_sentences(_has_determiner):
        for index, _token in enumerate(tokens):
            if tags[index] not in _DETERMINER_TAGS:
                continue
            finding = _check_phrase(segment, tokens, tags, index)
            if finding is not None:
                yield finding


def _has_determiner(tokens):
    return any(determiner_readings(token.text) is not None for token in tokens)


def _check_phrase(segment, tokens, tags, start):
    """The finding for the noun phrase that opens with the determiner at ``start``."""
    determiner = tokens[start]
    parsed = determiner_readings(determiner.text)
    if parsed is None:
        return None
    readings, kind = parsed
    lowered = determiner.text.lower()
    if lowered in DEFINITE and start > 0:
        # ", das Zeitung liest": a relative or demonstrative pronoun, not an article
        before = tags[start - 1]
        if before in ("$,", "$(") or (
            before in ("APPR", "APPRART") and start > 1 and tags[start - 2] == "$,"
        ):
            return None
    index = start + 1
    adjectives = []
    while index < len(tokens) and tags[index] == "ADJ(A)":
        word = tokens[index].text
        if not (word.isalpha() and word.islower()):
            return None
        adjectives.append(index)
        index += 1
    if index >= len(tokens) or tags[index] not in ("NN", "NE"):
        return None
    if not tokens[index].text[:1].isupper():
        return None
    noun = tokens[index]
    if index + 1 < len(tokens) and (
        tags[index + 1] in _NOT_AFTER_HEAD
        or tokens[index + 1].text == "-"
        or tokens[index + 1].start == noun.end  # "Haus-" glued to punctuation
        and tokens[index + 1].text not in ",.;:!?)"
    ):
        return None
    noun_readings = noun_phrase_readings(noun.text)
    if noun_readings is None:
        return None
    phrase = (start, adjectives, index, readings, kind)
    finding = _judge(segment, tokens, tags, phrase, noun_readings)
    if finding is not None and _in_reference(noun.text, segment.reference):
        # carried over from the English: a title or name ("Die Bild berichtete") or a
        # loanword whose German gender varies ("das Post"), whatever the lexicon says
        return None
    if finding is not None:
        # asked only now, as it costs a morphological analysis: "das Klingeln" is a verb
        # used as a noun, not the plural of "Klingel"
        infinitive = nominalised_infinitive(noun.text)
        if not infinitive <= noun_readings:
            finding = _judge(segment, tokens, tags, phrase, noun_readings | infinitive)
    return finding


def _judge(segment, tokens, tags, phrase, noun_readings):
    """The finding for a phrase of determiner, adjectives and noun, or None if it agrees in
    one of the noun's readings."""
    start, adjectives, index, readings, kind = phrase
    text = segment.text
    determiner, noun = tokens[start], tokens[index]
    if _numeral_after_article(tokens, start, noun_readings):
        return None
    if tags[index] == "NE":
        if {gender for gender, _ in readings} & {gender for gender, _ in noun_readings}:
            return None  # a name may take other case forms: "des Dnepr"
        if not _common_noun_read_as_name(noun.text, segment.reference):
            return None
    matching = readings & noun_readings
    if not matching and _pronoun_reading(tokens, tags, start, adjectives, index, noun_readings):
        return None
    if not matching:
        return _disagreement(text, tokens, start, adjectives, index, readings, noun_readings, kind)
    phrase = text[determiner.start : noun.end]
    allowed = {adjective_ending(reading, kind) for reading in matching}
    for number, position in enumerate(adjectives):
        word = tokens[position].text
        ending = next((e for e in _ENDINGS if word.endswith(e)), None)
        # "anderen" ends in "en" and in "n": any allowed ending that fits is enough
        if ending is None or any(word.endswith(e) for e in allowed):
            continue
        if number > 0 and _bare_phrase(tokens, adjectives[number:], noun_readings):
            return None  # "dass die ausgewählten starke Kandidaten sind": two phrases
        reading = min(matching, key=lambda r: (_CASES.index(r[1]), r[0]))
        suggestion = _corrected(
            text, tokens, start, adjectives, index, reading[0], reading[1], kind, keep=True
        )
        return Finding(
            determiner.start,
            noun.end,
            f"The adjective '{word}' does not agree with '{determiner.text} … {noun.text}'.",
            suggestion if suggestion != phrase else None,
        )
    return None


def _numeral_after_article(tokens, start, noun_readings):
    """Whether an ein-form is the numeral of "das eine Kind", "dem einen Mann": a definite
    article that fits the noun stands right before it (in "Ist das eine Katze?" the
    pronoun "das" does not fit "Katze", and "eine" is the article)."""
    if start == 0 or not tokens[start].text.lower().startswith("ein"):
        return False
    before = tokens[start - 1].text.lower()
    return before in DEFINITE and bool(DEFINITE[before] & noun_readings)


def _common_noun_read_as_name(word, reference):
    """Whether a word the tagger read as a name is a German common noun, as HanTa reads
    one whose article does not fit ("das Gabel"): the lexicon lists it as a common noun,
    and it (or its compound's last part) is far more frequent in German than in English
    ("Tate" is not)."""
    if not is_common_noun_form(word):
        return False
    german, english = frequencies(word)
    if german == 0:
        german, english = frequencies(known_part(word) or word)
    return german - english >= _GERMAN_MARGIN


def _in_reference(word, reference):
    """Whether the English reference has ``word`` (or, for "Tesla-Aktie", its parts)."""
    if not reference:
        return False
    folded = reference_words(reference).folded
    return any(part in folded for part in {word.lower(), *word.lower().split("-")})


def _disagreement(text, tokens, start, adjectives, noun, readings, noun_readings, kind):
    """The finding for a determiner none of whose readings fits the noun form: of the
    wrong gender or number ("das Erfolg"), or of a case the form does not have ("den
    Kinder", "dem Präsident")."""
    determiner, head = tokens[start], tokens[noun]
    noun_genders = {gender for gender, _ in noun_readings}
    if noun_genders & {gender for gender, _ in readings}:
        # "der Orten": 'der' is a plural only as a genitive, which "Orten" is not
        fitting = {(g, c) for g, c in readings if g in noun_genders}
        if fitting <= _GENITIVE_S:
            return None  # "des Dollar", "des Internet": usage varies beyond the lexicon
        cases = sorted({c for _, c in fitting}, key=_CASES.index)
        return Finding(
            determiner.start,
            head.end,
            f"'{head.text}' is not the {_CASE_NAMES[cases[0]]} form that "
            f"'{determiner.text}' needs here.",
            None,
        )
    # one corrected phrase per case the determiner may stand for, nominative first:
    # "eine Turm" may want "ein Turm" or "einen Turm"
    candidates = []
    for case in sorted({case for _, case in readings}, key=_CASES.index):
        fitting = sorted(g for g, c in noun_readings if c == case and g != "p")
        if len(fitting) == 1:
            phrase = _corrected(text, tokens, start, adjectives, noun, fitting[0], case, kind)
            if phrase is not None and phrase not in candidates:
                candidates.append(phrase)
    return Finding(
        determiner.start,
        head.end,
        f"'{determiner.text}' does not agree with the {_gender_names(noun_genders)} noun "
        f"'{head.text}'.",
        candidates[0] if candidates else None,
        tuple(candidates) if len(candidates) > 1 else (),
    )


def _gender_names(genders):
    return " or ".join(_GENDER_NAMES[g] for g in (MASC, FEM, NEUT, "p") if g in genders)


def _pronoun_reading(tokens, tags, start, adjectives, noun, noun_readings):
    """Whether the determiner at ``start`` may be a pronoun of its own, with the words
    after it a noun phrase without a determiner: a subject pronoun right after the finite
    verb or a conjunction ("Ergibt das Sinn?", "ob das Sinn ergibt"), or a dative one
    ("Das macht einem Angst."), before a phrase that ends the clause's noun phrases."""
    word = tokens[start].text
    if start > 0 and tags[start - 1] in ("APPR", "APPRART"):
        return False  # a preposition needs its noun phrase: "mit einem Firma"
    if not get_tagger().may_be_pronoun(word):
        return False
    readings, _ = determiner_readings(word)
    if not _bare_phrase(tokens, adjectives, noun_readings) or not _ends_phrases(tags, noun):
        return False
    if any(case == "d" and gender != "p" for gender, case in readings):
        return True  # "einem", "dem"
    return any(case == "n" for _, case in readings) and _subject_slot(tags, start)


def _bare_phrase(tokens, adjectives, noun_readings):
    """Whether the adjectives take the endings of a noun phrase without a determiner in
    one of the noun's readings ("große Angst", "Sinn")."""
    return any(
        all(tokens[i].text.endswith(_STRONG[gender][case]) for i in adjectives)
        for gender, case in noun_readings
    )


def _ends_phrases(tags, noun):
    """No further noun phrase follows the noun in its clause ("Er gab einem Frau Geld")."""
    after = noun + 1
    return (
        after >= len(tags)
        or is_boundary(tags[after])
        or is_verb(tags[after])
        or tags[after] in _AFTER_BARE_PHRASE
    )


def _subject_slot(tags, start):
    """Whether a subject may stand at ``start``: right after a subordinating conjunction,
    or right after a finite verb with nothing but adverbs before it in its clause."""
    if start == 0:
        return False
    if tags[start - 1] == "KOUS":
        return True
    if not is_finite(tags[start - 1]):
        return False
    position = start - 2
    while position >= 0 and not is_boundary(tags[position]) and tags[position] != "KON":
        if tags[position] not in _ADVERBIAL_TAGS:
            return False
        position -= 1
    return True


def _corrected(text, tokens, start, adjectives, noun, gender, case, kind, keep=False):
    """The phrase with the determiner (unless ``keep``) and adjectives made to agree."""
    determiner = tokens[start].text
    if not keep:
        table = DEFINITE if kind == "def" else INDEFINITE
        form = next((w for w, r in table.items() if (gender, case) in r), None)
        if form is None:
            return None
        if kind == "indef":
            lowered = determiner.lower()
            if lowered.startswith("eu"):
                stem = "euer" if form == "ein" else "eur"
            else:
                stem = next(s for s in (*EIN_WORDS, "ein") if lowered.startswith(s))
            form = stem + form[3:]
        if determiner[:1].isupper():
            form = form[:1].upper() + form[1:]
        determiner = form
    wanted = adjective_ending((gender, case), kind)
    words = [determiner]
    for position in adjectives:
        word = tokens[position].text
        ending = next((e for e in _ENDINGS if word.endswith(e)), "")
        words.append(word[: len(word) - len(ending)] + wanted)
    words.append(tokens[noun].text)
    return " ".join(words)
