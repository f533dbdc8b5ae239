"""German checks on machine translations: a registry of rules over tagged segments.

    from mtcheck.flags import RuleSettings, check_segments, RULES

Flags never need the back-translation model; only ``low-adequacy`` reads the scores
that the pipeline computed with it.
"""

from mtcheck.flags import rules as _rules  # noqa: F401  (registers the rules)
from mtcheck.flags.check import check_segments
from mtcheck.flags.registry import RULES, Finding, Rule
from mtcheck.flags.settings import DEFAULT_MIN_ADEQUACY, DEFAULT_MIN_CHRF, RuleSettings

__all__ = [
    "DEFAULT_MIN_ADEQUACY",
    "DEFAULT_MIN_CHRF",
    "RULES",
    "Finding",
    "Rule",
    "RuleSettings",
    "check_segments",
]
