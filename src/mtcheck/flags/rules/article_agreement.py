"""article-agreement: an article or adjective that does not agree with its noun."""

from __future__ import annotations

from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.rules.gender import (
    DEFINITE,
    EIN_WORDS,
    FEM,
    INDEFINITE,
    MASC,
    NEUT,
    adjective_ending,
    determiner_readings,
    noun_gender,
)
from mtcheck.flags.text import SegmentText

_DETERMINER_TAGS = frozenset({"ART", "PPOSAT", "PIAT"})
_CASES = ("n", "a", "d", "g")
_ENDINGS = ("en", "em", "er", "es", "e")
_GENDER_NAMES = {MASC: "masculine", FEM: "feminine", NEUT: "neuter"}
# Words that end a noun phrase's head: after them the noun may be a modifier
# ("den Zeitung lesenden Mann") or a truncated compound ("das Haus- und Gartenbuch").
_NOT_AFTER_HEAD = frozenset({"NN", "NE", "ADJ(A)", "TRUNC"})


@rule("article-agreement", "Fluency/Grammar", "minor")
def check(segment: SegmentText, context: Context):
    """An article or adjective that does not agree with its noun in gender, case or number.

    Checks simple noun phrases, a determiner (article, "kein", possessive) with only
    adjectives before the noun, where the noun's gender is certain (a frequent noun, or
    a suffix such as "-ung", "-heit", "-schaft", "-ismus", "-ment" that fixes it). The
    span is the noun phrase; the suggestion is the phrase with agreeing endings.

    Bad:  "Das war das große Erfolg des Jahres."
    Bad:  "Er gründete einen kleine Firma."
    Good: "Das war der große Erfolg des Jahres."
    Good: "Die Zahl der neuen Modelle wächst."
    """
    for tokens, tags in segment.tagged_sentences(_has_determiner):
        for index, _token in enumerate(tokens):
            if tags[index] not in _DETERMINER_TAGS:
                continue
            finding = _check_phrase(segment.text, tokens, tags, index)
            if finding is not None:
                yield finding


def _has_determiner(tokens):
    return any(determiner_readings(token.text) is not None for token in tokens)


def _check_phrase(text, tokens, tags, start):
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
    if index >= len(tokens) or tags[index] != "NN" or not tokens[index].text[:1].isupper():
        return None
    noun = tokens[index]
    if index + 1 < len(tokens) and (
        tags[index + 1] in _NOT_AFTER_HEAD
        or tokens[index + 1].text == "-"
        or tokens[index + 1].start == noun.end  # "Haus-" glued to punctuation
        and tokens[index + 1].text not in ",.;:!?)"
    ):
        return None
    known = noun_gender(noun.text)
    if known is None:
        return None
    gender, may_be_plural = known
    noun_readings = {(gender, case) for case in _CASES}
    if may_be_plural:
        noun_readings |= {("p", case) for case in _CASES}
    matching = readings & noun_readings
    phrase = text[determiner.start : noun.end]
    if not matching:
        case = next(c for c in _CASES if any(r[1] == c for r in readings))
        suggestion = _corrected(text, tokens, start, adjectives, index, gender, case, kind)
        return Finding(
            determiner.start,
            noun.end,
            f"'{determiner.text}' does not agree with the {_GENDER_NAMES[gender]} noun "
            f"'{noun.text}'.",
            suggestion,
        )
    allowed = {adjective_ending(reading, kind) for reading in matching}
    for position in adjectives:
        word = tokens[position].text
        ending = next((e for e in _ENDINGS if word.endswith(e)), None)
        # "anderen" ends in "en" and in "n": any allowed ending that fits is enough
        if ending is None or any(word.endswith(e) for e in allowed):
            continue
        reading = min(matching, key=lambda r: _CASES.index(r[1]))
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
