"""repeated-word and quotation-marks: two surface checks that need no tagging."""

from __future__ import annotations

import re

from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.text import SegmentText

# Words that may correctly stand twice in a row: article and relative or demonstrative
# pronoun ("die die Regeln machen", "dass das das Beste ist"), pronoun and object
# ("weil sie sie liebt"), and repetition for emphasis ("sehr, sehr" is often written
# without its comma).
_MAY_REPEAT = frozenset(
    """der die das den dem des sie es ihr wir ihnen ihm er sehr so ja nein na ha bla
    immer viel viele mehr mal nun weiter weit lang lange ganz""".split()
)


@rule("repeated-word", "Fluency/Grammar", "minor")
def check_repeated(segment: SegmentText, context: Context):
    """The same word twice in a row.

    A doubled word ("hat hat", "in in") is almost always a slip. Article and pronoun
    pairs that are correct ("die die", "sie sie"), numbers, and words often repeated for
    emphasis ("sehr sehr") are not flagged. The span is the second word.

    Bad:  "Die Firma hat hat neue Chips gebaut."
    Good: "Die Firma hat neue Chips gebaut."
    Good: "Sie kennt die Leute, die die Regeln machen."
    """
    tokens = segment.tokens
    text = segment.text
    for index in range(1, len(tokens)):
        first, second = tokens[index - 1], tokens[index]
        if not (first.is_word and second.is_word):
            continue
        lowered = second.text.lower()
        if lowered != first.text.lower() or lowered in _MAY_REPEAT or not lowered.isalpha():
            continue
        if not text[first.end : second.start].isspace():
            continue
        if len(lowered) == 1 or second.text.isupper():
            continue  # "A A", "UN UN": letters and acronyms
        yield Finding(
            second.start,
            second.end,
            f"The word '{second.text}' is repeated: delete one.",
            None,
        )


# An English opening quotation mark: “ at the start of a quotation (German opens
# with „ and closes with “).
_ENGLISH_OPENING = re.compile(r"(?:^|(?<=[\s(\[–—-]))“(?=\w)")
_STRAIGHT = re.compile(r'(?:^|(?<=[\s(\[–—-]))"(?=\w)')


@rule("quotation-marks", "Locale convention", "minor")
def check_quotes(segment: SegmentText, context: Context):
    """English quotation marks “…” in German text, where German uses „…“.

    Fires on an opening “ (the German closing mark) at the start of a quotation. The
    span is the quotation, up to its closing mark when there is one; the suggestion
    uses German marks.

    Bad:  "Er nannte das Projekt “Aurora” und lachte."
    Good: "Er nannte das Projekt „Aurora“ und lachte."
    Good: "Er nannte das Projekt »Aurora« und lachte."
    """
    yield from _quotes(segment.text, _ENGLISH_OPENING, "“”", "English")


@rule("straight-quotes", "Locale convention", "minor", group="picky")
def check_straight_quotes(segment: SegmentText, context: Context):
    """Straight quotation marks "…" in German text, where German uses „…“.

    Common in machine translation and often accepted, so this rule is picky.

    Bad:  'Er nannte das Projekt "Aurora" und lachte.'
    Good: "Er nannte das Projekt „Aurora“ und lachte."
    """
    yield from _quotes(segment.text, _STRAIGHT, '"', "straight")


def _quotes(text, opening, closers, kind):
    position = 0
    for match in opening.finditer(text):
        start = match.start()
        if start < position:
            continue
        close = min((i for i in (text.find(c, start + 1) for c in closers) if i != -1), default=-1)
        if close == -1:
            end = start + 1
            suggestion = "„"
        else:
            end = close + 1
            suggestion = "„" + text[start + 1 : close] + "“"
        position = end
        yield Finding(
            start,
            end,
            f"{kind.capitalize()} quotation marks: German quotes open with „ and close with “.",
            suggestion,
        )
