"""straight-quotes: straight quotation marks in German text."""

from __future__ import annotations

from mtcheck.flags.quotes import straight_double_marks, straight_single_marks
from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.text import SegmentText


@rule("straight-quotes", "Fluency/Punctuation", "minor")
def check(segment: SegmentText, context: Context):
    """Straight quotation marks "…" or '…' in German text, where German uses „…“ and ‚…‘.

    Straight marks are a typewriter substitute; German typesetting opens a quotation
    with „ and closes it with “ (or uses »…«). Expert raters mark nearly every straight
    mark in German text as a punctuation error, so the rule is on by default. Each mark
    is flagged on its own, as raters mark it, also where the other end is right („…").
    A " right after a digit outside a quotation is an inch sign and left alone, and so
    are apostrophes (Q'orianka, geht's).

    Bad:  'Er nannte das Projekt "Aurora" und lachte.'
    Bad:  "Die 'Aurora'-Mission beginnt morgen."
    Bad:  'Sie sagte: „Wir kommen morgen."'
    Good: "Er nannte das Projekt „Aurora“ und lachte."
    Good: 'Der Bildschirm misst 27" in der Diagonale.'
    Good: "Wie geht's dir, Andreas' Freund?"
    """
    marks = sorted([*straight_double_marks(segment.text), *straight_single_marks(segment.text)])
    for mark in marks:
        position = "opens" if mark.opening else "closes"
        yield Finding(
            mark.index,
            mark.index + 1,
            f"Straight quotation mark: a German quotation {position} with {mark.german}.",
            mark.german,
        )
