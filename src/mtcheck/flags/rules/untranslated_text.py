"""untranslated-text: English words left in the German."""

from __future__ import annotations

import re
from functools import lru_cache

from mtcheck.flags.lexicon import ENGLISH_ACRONYMS, ENGLISH_CAPITALISED, ENGLISH_WORDS, LOANWORDS
from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.tagger import get_tagger
from mtcheck.flags.text import SegmentText

_ENGLISH_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’&]*(?:-[A-Za-z][A-Za-z'’&]*)*")

SEED, EXTEND, BRIDGE = 2, 1, 0


@rule("untranslated-text", "Accuracy/Untranslated", "major")
def check(segment: SegmentText, context: Context):
    """English words left in the German.

    A run of words is flagged when it holds an English function word ("the", "of",
    "with"), an English acronym with a German equivalent ("AI" for KI), or a word that the
    English reference uses as a common (lower-case) word and that is neither German nor an
    established loanword ("Software", "Cloud"). Runs extend over neighbouring English
    words. Names and titles are skipped: a capitalised run that the reference contains
    verbatim ("The Information", "Bank of America") or that is part of a longer capitalised
    name ("The Verge"). Hyphenated compounds ("KI-Startup") are German word formation and
    are left alone. The span is the English run.

    Bad:  "Die Umsätze der AI Cloud blieben hinter den Erwartungen zurück."
    Good: "Die Umsätze der KI-Cloud blieben hinter den Erwartungen zurück."
    Good: "Das berichtete The Information."
    """
    tokens = segment.tokens
    reference = segment.reference or ""
    lower, exact = _reference_words(reference)
    classes = [_classify(token.text, token.kind, lower, exact) for token in tokens]
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
        if run is not None and not _is_name(segment.text, tokens, run, reference):
            yield _finding(segment.text, tokens, run)
        index = end


@lru_cache(maxsize=4096)
def _reference_words(reference: str) -> tuple[frozenset[str], frozenset[str]]:
    """(words the reference writes in lower case, lowered; all its words as written)."""
    lower, exact = set(), set()
    for match in _ENGLISH_WORD_RE.finditer(reference):
        word = match.group()
        for part in {word, *word.split("-")}:
            exact.add(part)
            if part[:1].islower():
                lower.add(part.lower())
    return frozenset(lower), frozenset(exact)


def _classify(word: str, kind: str, lower: frozenset[str], exact: frozenset[str]):
    if kind != "word" or "-" in word or "/" in word:
        return None
    if word in ENGLISH_ACRONYMS or word in ENGLISH_WORDS or word in ENGLISH_CAPITALISED:
        return SEED
    folded = word.lower()
    if folded in lower and word.isalpha() and len(word) >= 3:
        if folded in LOANWORDS:
            return EXTEND
        if not get_tagger().is_german_word(word):
            return SEED
        return None
    if word in exact and word[:1].isupper() and not get_tagger().is_german_word(word):
        return BRIDGE  # a name the reference uses: may join two English runs
    return None


def _adjacent(text: str, left, right) -> bool:
    return text[left.end : right.start].strip(" \u00a0") == ""


def _trim(classes, start, end):
    """The run [start, end) without bridging names at its edges, if it holds a seed."""
    while start < end and classes[start] != SEED and classes[start] != EXTEND:
        start += 1
    while end > start and classes[end - 1] != SEED and classes[end - 1] != EXTEND:
        end -= 1
    if not any(classes[i] == SEED for i in range(start, end)):
        return None
    return start, end


def _is_name(text, tokens, run, reference) -> bool:
    start, end = run
    words = [token.text for token in tokens[start:end]]
    if len(words) == 1 and words[0] in ENGLISH_ACRONYMS:
        return False
    # Widen the run by the capitalised words around it: "The" + "Information".
    left, right = start, end
    while (
        left > 0
        and tokens[left - 1].text[:1].isupper()
        and tokens[left - 1].kind == "word"
        and _adjacent(text, tokens[left - 1], tokens[left])
    ):
        left -= 1
    while (
        right < len(tokens)
        and tokens[right].text[:1].isupper()
        and tokens[right].kind == "word"
        and _adjacent(text, tokens[right - 1], tokens[right])
    ):
        right += 1
    widened = text[tokens[left].start : tokens[right - 1].end]
    if (
        right - left >= 2
        and tokens[left].text[:1].isupper()
        and tokens[right - 1].text[:1].isupper()
        and _contains(reference, widened)
    ):
        return True  # a name or title the reference has too: "The Information"
    title_case = all(word[:1].isupper() for word in words)
    has_acronym = any(word in ENGLISH_ACRONYMS for word in words)
    if title_case and not has_acronym and (left < start or right > end):
        return True  # part of a longer capitalised name: "The Verge"
    # Lower-case name-internal words between capitalised words: "Bank of America".
    return all(word[:1].islower() for word in words) and left < start and right > end


def _contains(reference: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", reference) is not None


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
