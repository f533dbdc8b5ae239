"""score-format: a score or ratio with a space after its colon ("ein 3: 1")."""

from __future__ import annotations

import re

from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.text import SegmentText

# Two numbers joined by a colon with spaces around it or after it: "3: 1", "3 : 1".
_SPACED = re.compile(r"(?<![\d.,:])(\d{1,3})(\s?:\s|\s:\s?)(\d{1,3})(?!\d|[.,:]\d)")
# The same numbers as a score in the English: "3-1", "3–1", "3:1".
_ENGLISH_SCORE = r"(?<![\d.,]){0}\s?[-–:]\s?{1}(?!\d|[.,]\d)"


@rule("score-format", "Fluency/Punctuation", "minor", fix="safe")
def check(segment: SegmentText, context: Context):
    """A score or ratio written with a space after the colon ("ein 3: 1"); German writes
    "3:1".

    Results and ratios are set with the colon between the numbers and no space ("Das
    Spiel endete 3:1", "ein 4:1-Sieg"). Fires on two numbers joined by a colon with a space
    after it (or around it) when the English reference has the same two numbers as a
    score ("3-1", "4–1", "3:1"), or when a hyphenated compound follows ("4: 1-Niederlage").
    A colon that ends a label before a number ("Schritt 3: 10 Minuten warten") has no
    score in the reference and is left alone. The span is the score; the suggestion is
    the score without spaces.

    Bad:  "Leicester führte zur Pause 3: 1." (reference: "Leicester led 3-1 at half-time.")
    Bad:  "Nach der 4: 1-Niederlage trat er zurück."
    Good: "Leicester führte zur Pause 3:1." (reference: "Leicester led 3-1 at half-time.")
    Good: "Schritt 3: 10 Minuten warten." (reference: "Step 3: wait 10 minutes.")
    """
    text = segment.text
    for match in _SPACED.finditer(text):
        first, second = match.group(1), match.group(3)
        compound = text[match.end() : match.end() + 1] == "-"
        if compound or _score_in(segment.reference, first, second):
            yield Finding(
                match.start(),
                match.end(),
                "A score or ratio is written without spaces around the colon.",
                f"{first}:{second}",
            )


def _score_in(reference: str | None, first: str, second: str) -> bool:
    """Whether the English reference has ``first`` and ``second`` joined as a score."""
    if not reference:
        return False
    return re.search(_ENGLISH_SCORE.format(first, second), reference) is not None
