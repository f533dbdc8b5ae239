"""How reports write counts and figures: plurals, and one rounding for each figure.

The gate shows a document's MQM penalty in its summary line and again in the reason it
failed; both come from :func:`penalty_figure`, which divides once and rounds once, so the
two can never differ by a rounding step (the summary's two-decimal JSON value, rounded
again to one decimal, could). Limits are compared with the figure as shown
(:func:`shown`), as coverage.py compares ``fail_under``: a report never says
"50.0 is above 50".
"""

from __future__ import annotations


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``count`` with ``noun`` in the right number: "1 flag", "0 flags", "2 documents"."""
    if count == 1:
        return f"{count} {noun}"
    return f"{count} {nouns or noun + 's'}"


def one_decimal(value: float) -> str:
    """A score or penalty as every report writes it: one decimal ("40.0", "225.4")."""
    return f"{value:.1f}"


def shown(value: float) -> float:
    """``value`` as the reader sees it (:func:`one_decimal`), for comparing with a limit."""
    return float(one_decimal(value))


def penalty_per_1000(points: int, words: int) -> float:
    """MQM penalty points per 1,000 words, unrounded; 0.0 for a text without words."""
    return 1000.0 * points / words if words else 0.0


def penalty_figure(points: int, words: int) -> str:
    """The penalty per 1,000 words as every gate output writes it ("225.4")."""
    return one_decimal(penalty_per_1000(points, words))
