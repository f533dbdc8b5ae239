"""Which rules run, at what severity, the low-adequacy thresholds, the configured pattern
rules and the glossary.

Every check of these values lives here and runs once, when a ``RuleSettings`` is made: a
settings object that exists is valid, and nothing checks it again per run. A bad value is a
``SettingsError``, whose sentence suits the API and the command line; the configuration
reader builds its settings here too and words the same error with its file and key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from types import MappingProxyType
from typing import TYPE_CHECKING

from mtcheck.errors import ConfigError
from mtcheck.flags.registry import RULES, Rule
from mtcheck.model import SEVERITIES

if TYPE_CHECKING:
    from mtcheck.flags.glossary import Glossary
    from mtcheck.flags.patterns import PatternRule

# Conservative defaults: only a back-translation that shares little with the reference
# is flagged. chrF is sacrebleu's segment chrF (0-100); adequacy is the average
# log-probability per token of the reference given the German (forced decoding).
DEFAULT_MIN_CHRF = 30.0
DEFAULT_MIN_ADEQUACY = -3.0

# What a collection of names or words may be: a TOML array arrives as a list, the API may
# pass any of these. A string or a table is refused, not read as its letters or keys.
_COLLECTIONS = list | tuple | set | frozenset


class SettingsError(ConfigError):
    """A bad rule setting. ``str(error)`` is the sentence for the API and the command line.

    ``key`` is the configuration file's key at fault (kebab-case, e.g. ``min-chrf`` or
    ``severity.number-format``) and ``tail`` the end of the file's sentence after it;
    ``pattern`` is the index of the pattern rule at fault (None for other keys), whose
    ``tail`` then reads on its own ("'name' 'x' is used by an earlier pattern.").
    """

    def __init__(self, sentence: str, key: str, tail: str, pattern: int | None = None) -> None:
        super().__init__(sentence)
        self.key = key
        self.tail = tail
        self.pattern = pattern


@dataclass(frozen=True)
class RuleSettings:
    """Rule selection and thresholds, checked when made (a ``SettingsError`` otherwise).

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
        # The values as given are checked (a list keeps its order for the first error),
        # then stored in frozen forms.
        patterns = tuple(self.patterns)
        _check_patterns(patterns)
        known = {**RULES, **{pattern.name: None for pattern in patterns}}
        for key in ("select", "ignore"):
            _check_names(key, getattr(self, key), known)
        _check_severity(self.severity, known)
        _check_values(self)
        if self.select is not None:
            object.__setattr__(self, "select", frozenset(self.select))
        object.__setattr__(self, "ignore", frozenset(self.ignore))
        object.__setattr__(self, "severity", MappingProxyType(dict(self.severity)))
        object.__setattr__(self, "patterns", patterns)
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
        return {**RULES, **{pattern.name: pattern.to_rule() for pattern in self.patterns}}

    def enabled(self) -> list[str]:
        """Names of the rules that run, in registry order, then the pattern rules."""
        groups = ("default", "picky") if self.picky else ("default",)
        return [
            name
            for name, rule in self.rules().items()
            if (rule.group in groups if self.select is None else name in self.select)
            and name not in self.ignore
        ]


def _check_patterns(patterns: tuple[PatternRule, ...]) -> None:
    """Pattern rules need names of their own (each pattern checks its own fields)."""
    seen: set[str] = set()
    for index, pattern in enumerate(patterns):
        name = pattern.name
        if name in RULES:
            raise SettingsError(
                f"Pattern {name!r} has the name of a built-in rule; rename it.",
                "name",
                f"'name' {name!r} is a built-in rule; choose another name.",
                index,
            )
        if name in seen:
            raise SettingsError(
                f"Two patterns are named {name!r}; rename one.",
                "name",
                f"'name' {name!r} is used by an earlier pattern.",
                index,
            )
        seen.add(name)


def _check_names(key: str, names: object, known: Mapping[str, object]) -> None:
    """``select`` or ``ignore``: None (select only) or a collection of known rule names."""
    if names is None and key == "select":
        return
    if not isinstance(names, _COLLECTIONS) or not all(isinstance(n, str) for n in names):
        tail = f'must be a list of rule names, e.g. ["modal-participle"], not {names!r}.'
        raise SettingsError(f"'{key}' {tail}", key, tail)
    for name in _in_order(names):
        if name not in known:
            hint = did_you_mean(name, known)
            raise SettingsError(
                f"Unknown rule {name!r} in '{key}'{hint}",
                key,
                f"names an unknown rule {name!r}{hint}",
            )


def _check_severity(severity: object, known: Mapping[str, object]) -> None:
    """``severity``: a mapping of known rule names to severities."""
    if not isinstance(severity, Mapping):
        tail = 'must be a table of rule = "minor" | "major" | "critical".'
        raise SettingsError(f"'severity' {tail}", "severity", tail)
    for name, level in severity.items():
        if name not in known:
            hint = did_you_mean(name, known)
            raise SettingsError(
                f"Unknown rule {name!r} in 'severity'{hint}",
                f"severity.{name}",
                f"names an unknown rule{hint}",
            )
        if level not in SEVERITIES:
            choices = ", ".join(SEVERITIES)
            raise SettingsError(
                f"Severity {level!r} for rule {name!r} is not valid: use one of {choices}.",
                f"severity.{name}",
                f"is {level!r}: use one of {choices}.",
            )


def _check_values(settings: RuleSettings) -> None:
    """The switch, the thresholds and the allowlist."""
    problem = allowed_english_problem(settings.allowed_english)
    if problem is not None:
        raise SettingsError(f"'allowed-english' {problem}", "allowed-english", problem)
    if not isinstance(settings.picky, bool):
        tail = f"must be true or false, not {settings.picky!r}."
        raise SettingsError(f"'picky' {tail}", "picky", tail)
    min_chrf = settings.min_chrf
    if not _is_number(min_chrf) or not 0 <= min_chrf <= 100:
        tail = f"must be a number from 0 to 100, not {min_chrf!r}."
        raise SettingsError(f"'min_chrf' {tail}", "min-chrf", tail)
    min_adequacy = settings.min_adequacy
    if not _is_number(min_adequacy) or min_adequacy > 0:
        tail = f"must be a log-probability (a number of 0 or less), not {min_adequacy!r}."
        raise SettingsError(f"'min_adequacy' {tail}", "min-adequacy", tail)


def _in_order(names: Iterable[str]) -> list[str]:
    """A list in its own order (the first bad name of a file's list is the one named),
    a set sorted (so that the same set always names the same one)."""
    return list(names) if isinstance(names, list | tuple) else sorted(names)


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
    if not isinstance(value, _COLLECTIONS):
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
