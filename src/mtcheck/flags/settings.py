"""Which rules run, at what severity, the low-adequacy thresholds, the configured pattern
rules and the glossary."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from types import MappingProxyType
from typing import TYPE_CHECKING

from mtcheck.errors import ConfigError
from mtcheck.model import SEVERITIES

if TYPE_CHECKING:
    from mtcheck.flags.glossary import Glossary
    from mtcheck.flags.patterns import PatternRule
    from mtcheck.flags.registry import Rule

# Conservative defaults: only a back-translation that shares little with the reference
# is flagged. chrF is sacrebleu's segment chrF (0-100); adequacy is the average
# log-probability per token of the reference given the German (forced decoding).
DEFAULT_MIN_CHRF = 30.0
DEFAULT_MIN_ADEQUACY = -3.0


@dataclass(frozen=True)
class RuleSettings:
    """Rule selection and thresholds.

    ``select=None`` runs every rule of group "default" (plus group "picky" when ``picky``)
    and every pattern rule; an explicit ``select`` runs exactly the rules it names.
    ``patterns`` are the configured house-style pattern rules (named like rules);
    ``glossary`` feeds the ``glossary-term`` rule, which does nothing without one.
    ``allowed_english`` lists words and phrases that ``untranslated-text`` never flags
    (besides the glossary's allowed German terms).
    """

    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    severity: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    min_chrf: float = DEFAULT_MIN_CHRF
    min_adequacy: float = DEFAULT_MIN_ADEQUACY
    picky: bool = False
    patterns: tuple[PatternRule, ...] = ()
    glossary: Glossary | None = None
    allowed_english: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # Accept any iterable / mapping from config code, store frozen forms.
        if self.select is not None and not isinstance(self.select, frozenset):
            object.__setattr__(self, "select", frozenset(self.select))
        if not isinstance(self.ignore, frozenset):
            object.__setattr__(self, "ignore", frozenset(self.ignore))
        if not isinstance(self.severity, MappingProxyType):
            object.__setattr__(self, "severity", MappingProxyType(dict(self.severity)))
        if not isinstance(self.patterns, tuple):
            object.__setattr__(self, "patterns", tuple(self.patterns))
        # A bare string stays as it is, for validate() to reject: not a set of its letters.
        if not isinstance(self.allowed_english, frozenset | str):
            object.__setattr__(self, "allowed_english", frozenset(self.allowed_english))

    def __hash__(self) -> int:
        return hash(
            (
                self.select,
                self.ignore,
                tuple(sorted(self.severity.items())),
                self.min_chrf,
                self.min_adequacy,
                self.picky,
                self.patterns,
                self.glossary,
                self.allowed_english,
            )
        )

    def rules(self) -> dict[str, Rule]:
        """Every rule these settings know, by name: the registry, then the pattern rules."""
        from mtcheck.flags.registry import RULES

        return {**RULES, **{pattern.name: pattern.to_rule() for pattern in self.patterns}}

    def validate(self) -> None:
        """Raise ``ConfigError`` naming the first unknown rule, bad severity or threshold."""
        from mtcheck.flags.registry import RULES

        names_seen: set[str] = set()
        for pattern in self.patterns:
            if pattern.name in RULES:
                raise ConfigError(
                    f"Pattern {pattern.name!r} has the name of a built-in rule; rename it."
                )
            if pattern.name in names_seen:
                raise ConfigError(f"Two patterns are named {pattern.name!r}; rename one.")
            names_seen.add(pattern.name)
        rules = self.rules()
        for key, names in (
            ("select", self.select or ()),
            ("ignore", self.ignore),
            ("severity", self.severity),
        ):
            for name in sorted(names):
                if name not in rules:
                    hint = did_you_mean(name, rules)
                    raise ConfigError(f"Unknown rule {name!r} in '{key}'{hint}")
        for name, value in sorted(self.severity.items()):
            if value not in SEVERITIES:
                raise ConfigError(
                    f"Severity {value!r} for rule {name!r} is not valid: use one "
                    f"of {', '.join(SEVERITIES)}."
                )
        problem = allowed_english_problem(self.allowed_english)
        if problem is not None:
            raise ConfigError(f"'allowed-english' {problem}")
        if not isinstance(self.picky, bool):
            raise ConfigError(f"'picky' must be true or false, not {self.picky!r}.")
        if not _is_number(self.min_chrf) or not 0 <= self.min_chrf <= 100:
            raise ConfigError(f"'min_chrf' must be a number from 0 to 100, not {self.min_chrf!r}.")
        if not _is_number(self.min_adequacy) or self.min_adequacy > 0:
            raise ConfigError(
                f"'min_adequacy' must be a log-probability (a number of 0 or "
                f"less), not {self.min_adequacy!r}."
            )

    def enabled(self) -> list[str]:
        """Names of the rules that run, in registry order, then the pattern rules."""
        groups = ("default", "picky") if self.picky else ("default",)
        return [
            name
            for name, rule in self.rules().items()
            if (rule.group in groups if self.select is None else name in self.select)
            and name not in self.ignore
        ]


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """The end of an "unknown rule" sentence: "; did you mean 'x'?" for the closest known
    name, else ": use one of ..." listing them all."""
    known = sorted(known)
    # Case and underscores are the commonest slips ("Modal_Participle"): compare without.
    folded = {candidate.lower().replace("_", "-"): candidate for candidate in known}
    close = get_close_matches(name.lower().replace("_", "-"), folded, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {folded[close[0]]!r}?"
    return f": use one of {', '.join(known)}."


# A word or phrase of the allowlist: words of letters (digits, ', &, +, . and - inside),
# separated by single spaces.
_ALLOWED_TERM = re.compile(r"[^\W_](?:[\w'’&+.-]*\w)?(?: [^\W_](?:[\w'’&+.-]*\w)?)*[+#]*")


def allowed_english_problem(value: object) -> str | None:
    """What is wrong with an ``allowed-english`` value (a collection of words or phrases),
    as the end of a sentence that starts with the key; None when it is fine."""
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        return f'must be a list of words, e.g. ["Kubernetes", "Pollen"], not {value!r}.'
    for term in value:
        if not isinstance(term, str) or not _ALLOWED_TERM.fullmatch(term):
            return (
                f"must list words or phrases (letters, digits, hyphens; one space between "
                f"words), not {term!r}."
            )
    return None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value
