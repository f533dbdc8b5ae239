"""quotation-marks: English quotation marks in German text."""

from __future__ import annotations

from mtcheck.flags.quotes import english_marks
from mtcheck.flags.registry import Context, rule
from mtcheck.flags.text import SegmentText


@rule("quotation-marks", "Fluency/Punctuation", "minor", fix="safe")
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
        yield mark.finding("English")
