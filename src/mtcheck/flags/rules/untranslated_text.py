"""untranslated-text: English words left in the German."""

from __future__ import annotations

import re

from mtcheck.flags.language import Language, SegmentEvidence, allowed_terms, is_function_word
from mtcheck.flags.lexicon import ENGLISH_ACRONYMS
from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.text import SegmentText

# What a word can do in a run: start it (positive evidence of English), join it (an English
# or shared word the reference uses, next to a seed), or bridge two runs (a name).
SEED, EXTEND, BRIDGE = 2, 1, 0
# A name the reference uses that may bridge two runs if it is no German word. Whether it is
# needs word frequencies (for a rare word, wordfreq's large lists: a noticeable share of a
# short check), so it is decided only in a segment that has a seed at all.
MAYBE_BRIDGE = -1


@rule("untranslated-text", "Accuracy/Untranslated", "major", fix="unsafe")
def check(segment: SegmentText, context: Context):
    """English words left in the German.

    A run of words is flagged only on positive evidence that it is English and not German
    usage: an English function word that is no German word ("the", "of", "with"), an
    English acronym with a German equivalent ("AI" for KI), or a word that English text uses
    far more than German text (by word frequencies) and that the reference uses as a common,
    lower-case word ("expectations"). The run extends over neighbouring words that the
    reference uses too and that German shares with English ("Cloud"). Never English: words
    common in German text too ("Software", "Pollen", "Start"), names and products (macOS,
    GitHub, a word the reference also capitalises mid-sentence), code (config.yaml,
    snake_case, URLs), single letters and abbreviations ("a. a. O."), Latin names ("Quercus
    robur"), hyphenated German compounds ("KI-Startup"), capitalised multi-word terms
    ("Machine Learning"), and the words of the ``allowed-english`` setting and of the
    glossary's allowed German terms. The span is the English run.

    Bad:  "Die Umsätze der AI Cloud blieben hinter den Erwartungen zurück."
    Bad:  "Die Umsätze blieben hinter den expectations zurück." (reference: "Revenue fell short of expectations.")
    Good: "Die Umsätze der KI-Cloud blieben hinter den Erwartungen zurück."
    Good: "Das berichtete The Information."
    Good: "Die Software läuft auf Linux und macOS." (reference: "The software runs on Linux and macOS.")
    Good: "Die Pollen der Stieleiche (Quercus robur) fliegen im April." (reference: "The pollen of the English oak (Quercus robur) flies in April.")
    """  # noqa: E501  (one example a line, as the catalogue reads them)
    tokens = segment.tokens
    settings = context.settings
    allowed = allowed_terms(settings.allowed_english, settings.glossary)
    evidence = SegmentEvidence(segment.text, tokens, segment.reference, allowed)
    classes = [_classify(index, evidence) for index in range(len(tokens))]
    if SEED not in classes:
        return  # no run without a seed
    classes = [
        _bridge(index, evidence) if kind == MAYBE_BRIDGE else kind
        for index, kind in enumerate(classes)
    ]
    index = 0
    while index < len(tokens):
        if classes[index] is None:
            index += 1
            continue
        end = index + 1
        while (
            end < len(tokens)
            and classes[end] is not None
            and _adjacent(segment.text, tokens[end - 1], tokens[end])
        ):
            end += 1
        run = _trim(classes, index, end)
        if run is not None and not _is_name_or_term(evidence, run) and not _gloss(evidence, run):
            yield _finding(segment.text, tokens, run)
        index = end


def _classify(index: int, evidence: SegmentEvidence) -> int | None:
    token = evidence.tokens[index]
    word = token.text
    if token.kind != "word" or "-" in word or "/" in word:
        return None
    if _truncated_compound(evidence.text, token):
        return None
    reference = evidence.reference
    folded = word.lower()
    function = is_function_word(word)
    # Cheap test first: only these words can take part in a run.
    if not (function or word in ENGLISH_ACRONYMS or folded in reference.folded):
        return None
    if evidence.is_allowed(index) or evidence.is_code(index):
        return None
    if word in ENGLISH_ACRONYMS:
        return SEED
    if word == "a" and folded in reference.common:
        # "a" in "next door to a village": English inside a run, never on its own, and not
        # the letter of an abbreviation ("a. a. O.").
        return EXTEND if evidence.text[token.end : token.end + 1] != "." else None
    if not function and folded not in reference.common:
        # Only a name can come of it (the reference writes it capitalised).
        return MAYBE_BRIDGE if word[:1].isupper() and word in reference.exact else None
    language = evidence.language(index)
    if language is Language.ENGLISH and (function or folded in reference.common):
        return SEED
    if language in (Language.ENGLISH, Language.SHARED) and folded in reference.common:
        return EXTEND
    if word[:1].isupper() and word in reference.exact and language is not Language.GERMAN:
        return BRIDGE  # a name the reference uses: may join two English runs
    return None


def _bridge(index: int, evidence: SegmentEvidence) -> int | None:
    """BRIDGE for a name the reference uses that is no German word, else None."""
    return BRIDGE if evidence.language(index) is not Language.GERMAN else None


def _truncated_compound(text: str, token) -> bool:
    """A German compound cut short before "und"/"oder" ("Such- und Filterfunktion"): a
    hyphen right after the word and a space after it."""
    return text[token.end : token.end + 1] == "-" and text[token.end + 1 : token.end + 2] in (
        " ",
        "\u00a0",
    )


_QUOTES = frozenset("\"'„“”‚‘’«»›‹")


def _gloss(evidence: SegmentEvidence, run) -> bool:
    """The run fills a pair of brackets right after a German word, and the reference has
    no such brackets: the translator gave the English term as a gloss, on purpose ("mit
    flacher Historie (shallow)", quoted or not). Brackets copied from the reference are no
    gloss."""
    start, end = run
    tokens = evidence.tokens
    if start < 2 or end >= len(tokens):
        return False
    phrase = evidence.text[tokens[start].start : tokens[end - 1].end]
    if tokens[start - 1].text in _QUOTES and tokens[end].text in _QUOTES:
        start, end = start - 1, end + 1  # a quoted gloss: "Dateien („sparse files“)"
        if start < 2 or end >= len(tokens):
            return False
    opens, closes, before = tokens[start - 1], tokens[end], tokens[start - 2]
    quote = "[\"'„“”‚‘’«»›‹]?"
    bracketed = rf"\(\s*{quote}{re.escape(phrase)}{quote}\s*\)"
    copied = re.search(bracketed, evidence.reference_text, re.I)
    return (
        opens.text == "("
        and closes.text == ")"
        and before.kind == "word"
        and evidence.language(start - 2) is Language.GERMAN
        and copied is None
    )


def _adjacent(text: str, left, right) -> bool:
    return text[left.end : right.start].strip(" \u00a0") == ""


def _trim(classes, start, end):
    """The run [start, end) without bridging names at its edges, if it holds a seed."""
    while start < end and classes[start] == BRIDGE:
        start += 1
    while end > start and classes[end - 1] == BRIDGE:
        end -= 1
    if not any(classes[i] == SEED for i in range(start, end)):
        return None
    return start, end


def _is_name_or_term(evidence: SegmentEvidence, run) -> bool:
    """Whether the run is part of a name or title, or a capitalised English term."""
    start, end = run
    words = [token.text for token in evidence.tokens[start:end]]
    has_acronym = any(word in ENGLISH_ACRONYMS for word in words)
    if has_acronym and len(words) == 1:
        return False
    title_case = all(word[:1].isupper() for word in words)
    plain_words = not has_acronym and not any(map(is_function_word, words))
    if title_case and plain_words and len(words) >= 2:
        return True  # a capitalised term: "Spatial Computing", "Machine Learning"
    left, right = _capitalised_neighbours(evidence, start, end)
    if evidence.has_reference and _in_reference(evidence, left, right, start, end):
        return True  # a name or title the reference has too: "Bank of America"
    if title_case and not has_acronym and (left < start or right > end):
        return True  # part of a longer capitalised name: "The Verge"
    # Without a reference, lower-case words between capitalised ones: "Bank of America".
    return (
        not evidence.has_reference
        and all(word[:1].islower() for word in words)
        and left < start
        and right > end
    )


def _capitalised_neighbours(evidence: SegmentEvidence, start: int, end: int):
    """The run widened by the capitalised words right before and after it that are not
    German words (German capitalises every noun: "Die Bigots" is no name)."""
    tokens, text = evidence.tokens, evidence.text

    def capitalised(index: int) -> bool:
        return (
            tokens[index].kind == "word"
            and tokens[index].text[:1].isupper()
            and evidence.language(index) is not Language.GERMAN
        )

    left, right = start, end
    while left > 0 and capitalised(left - 1) and _adjacent(text, tokens[left - 1], tokens[left]):
        left -= 1
    while (
        right < len(tokens)
        and capitalised(right)
        and _adjacent(text, tokens[right - 1], tokens[right])
    ):
        right += 1
    return left, right


def _in_reference(evidence: SegmentEvidence, left: int, right: int, start: int, end: int):
    """Whether the reference holds the run, alone or with capitalised words around it, as a
    name or title: first and last word capitalised there ("Bank of America", "The
    Information"). Compared case-insensitively, as titles are cased differently ("„Let it
    be“" for "Let It Be")."""
    tokens, text = evidence.tokens, evidence.text
    firsts = {left, max(left, start - 1), start}
    lasts = {end, min(right, end + 1), right}
    for first, last in {(first, last) for first in firsts for last in lasts}:
        if last - first < 2:
            continue
        phrase = text[tokens[first].start : tokens[last - 1].end]
        pattern = rf"(?<!\w){re.escape(phrase)}(?!\w)"
        for match in re.finditer(pattern, evidence.reference_text, re.IGNORECASE):
            found = match.group()
            if found[:1].isupper() and found.split()[-1][:1].isupper():
                return True
    return False


def _finding(text, tokens, run):
    start, end = run
    first, last = tokens[start], tokens[end - 1]
    phrase = text[first.start : last.end]
    acronyms = [token.text for token in tokens[start:end] if token.text in ENGLISH_ACRONYMS]
    suggestion = None
    if acronyms:
        german = ", ".join(f"'{ENGLISH_ACRONYMS[word]}'" for word in dict.fromkeys(acronyms))
        message = f"'{phrase}' is English left untranslated (German uses {german})."
        if end - start == 1:
            suggestion = ENGLISH_ACRONYMS[phrase]
    else:
        message = f"'{phrase}' is English left untranslated."
    return Finding(first.start, last.end, message, suggestion)
