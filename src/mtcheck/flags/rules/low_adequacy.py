"""low-adequacy: the back-translation is far from the reference."""

from __future__ import annotations

from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.text import SegmentText


@rule("low-adequacy", "Accuracy/Mistranslation", "major", needs="scores")
def check(segment: SegmentText, context: Context):
    """The back-translation is far from the reference: segment chrF or adequacy is low.

    Fires when the segment's chrF (0-100, back-translation against the reference) is below
    ``min_chrf`` (default 30) or its adequacy (average log-probability per token of the
    reference given the German, by forced decoding) is below ``min_adequacy`` (default
    -3.0). The defaults are conservative: a faithful translation back-translates with a
    chrF well above 40. Needs scores; the span is the whole segment.

    Bad:  "Die sozialen Medien geben monatlich Geld aus." for "The company spends money."
          (back-translation "Social media spend money every month", chrF 25)
    Good: "Das Unternehmen gibt Geld aus." (back-translation "The company spends money.")
    """
    scores = context.scores
    if scores is None:
        return
    settings = context.settings
    reasons = []
    if scores.chrf < settings.min_chrf:
        reasons.append(f"chrF {scores.chrf:.1f} < {settings.min_chrf:g}")
    if scores.adequacy is not None and scores.adequacy < settings.min_adequacy:
        reasons.append(f"adequacy {scores.adequacy:.2f} < {settings.min_adequacy:g}")
    if not reasons:
        return
    text = segment.text
    start = len(text) - len(text.lstrip())
    yield Finding(
        start,
        len(text.rstrip()),
        f"The back-translation is far from the reference ({'; '.join(reasons)}).",
    )
