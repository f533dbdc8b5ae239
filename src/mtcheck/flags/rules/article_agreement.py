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
    noun_gender,
)
from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.stts import is_boundary, is_finite, is_verb
from mtcheck.flags.tagger import get_tagger
from mtcheck.flags.text import SegmentText

_DETERMINER_TAGS = frozenset({"ART", "PPOSAT", "PIAT"})
_CASES = ("n", "a", "d", "g")
_ENDINGS = ("en", "em", "er", "es", "e")
_GENDER_NAMES = {MASC: "masculine", FEM: "feminine", NEUT: "neuter"}
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


@rule("article-agreement", "Fluency/Grammar", "minor")
def check(segment: SegmentText, context: Context):
    """An article or adjective that does not agree with its noun in gender, case or number.

    Checks simple noun phrases, a determiner (article, "kein", possessive) with only
    adjectives before the noun, where the noun's gender is certain (a frequent noun, or
    a suffix such as "-ung", "-heit", "-schaft", "-ismus", "-ment" that fixes it). The
    span is the noun phrase; the suggestion is the phrase with agreeing endings.

    Bad:  "Das war das große Erfolg des Jahres."
    Bad:  "Er gründete einen kleine Firma."
    Bad:  "Wir haben das Erfolg."
    Good: "Das war der große Erfolg des Jahres."
    Good: "Ergibt das Sinn?"
    Good: "Das macht einem Angst."
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
    if not matching and _pronoun_reading(tokens, tags, start, adjectives, index, noun_readings):
        return None
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
