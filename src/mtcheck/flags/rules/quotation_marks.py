"""quotation-marks: English quotation marks in German text."""

from __future__ import annotations

from mtcheck.flags.quotes import english_marks
from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.text import SegmentText


@rule("quotation-marks", "Fluency/Punctuation", "minor")
def check(segment: SegmentText, context: Context):
    """English quotation marks “…” in German text, or „ closed by ”; German uses „…“.

    Fires on an opening “ (the German closing mark) where a quotation starts, and on
    every ” (an English closing mark, wrong also in „…”). Each wrong mark is flagged on
    its own; the suggestion is the German mark. Straight marks are straight-quotes'.

    Bad:  "Er nannte das Projekt “Aurora” und lachte."
    Bad:  "Er nannte das Projekt „Aurora” und lachte."
    Good: "Er nannte das Projekt „Aurora“ und lachte."
    Good: "Er nannte das Projekt »Aurora« und lachte."
    Good: "„Komm“, sagte sie, „wir gehen.“"
    """
    for mark in english_marks(segment.text):
        position = "opens" if mark.opening else "closes"
        yield Finding(
            mark.index,
            mark.index + 1,
            f"English quotation mark: a German quotation {position} with {mark.german}.",
            mark.german,
        )
