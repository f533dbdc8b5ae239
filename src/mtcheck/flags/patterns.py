"""House-style pattern rules from the configuration (``[[tool.mtcheck.patterns]]``).

A pattern rule is a regular expression over the German text with a message, an optional
suggestion, an MQM category and a severity. It is not registered in the global registry
(``RULES``): it lives in the ``RuleSettings`` of one run, and the driver treats it like a
built-in rule of group "default" (selectable, ignorable, severity overridable by name).

The suggestion is a replacement template as in ``re.sub``: ``\\1`` or ``\\g<name>`` insert
what a group matched (write ``\\\\`` for a literal backslash). Every match of the regular
expression is flagged with its span; empty matches are not allowed.

Patterns are written in the syntax of Python's ``re`` (checked with ``re``) and run on the
``regex`` package in its ``re``-compatible mode (``VERSION0``), which takes a time limit per
search: ``PATTERN_TIMEOUT`` seconds for one segment. A pattern that takes longer
(catastrophic backtracking, e.g. ``(a|aa)+$`` on a long run of a's) stops the run with a
``ConfigError`` naming it, exit code 2. It is not skipped with a warning: a CI gate that
quietly drops a house rule would pass text the rule exists to catch, and the run's outcome
would then depend on the speed of the machine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import regex as regex_engine

from mtcheck.errors import ConfigError
from mtcheck.flags.registry import Context, Finding, Rule
from mtcheck.flags.text import SegmentText
from mtcheck.model import SEVERITIES

DEFAULT_CATEGORY = "Style/Company style"
DEFAULT_SEVERITY = "minor"
RULE_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
# Seconds one pattern may search one segment; far above what a sane pattern needs (well
# under a millisecond per sentence), low enough that a runaway one ends the run quickly.
# A module constant so that tests can lower it.
PATTERN_TIMEOUT = 1.0


@dataclass(frozen=True)
class PatternRule:
    """One configured pattern. ``label`` names it in error messages (e.g. "patterns[2]")."""

    name: str
    pattern: str
    message: str
    suggestion: str | None = None
    category: str = DEFAULT_CATEGORY
    severity: str = DEFAULT_SEVERITY
    ignore_case: bool = False
    regex: regex_engine.Pattern[str] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        label = f"pattern {self.name!r}"
        if not isinstance(self.name, str) or not RULE_NAME.fullmatch(self.name):
            raise ConfigError(
                f"Pattern name {self.name!r} is not a kebab-case rule name "
                "(lower-case letters, digits and hyphens, e.g. 'house-ki')."
            )
        for key in ("pattern", "message", "category"):
            value = getattr(self, key)
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"'{key}' of {label} must be a non-empty string.")
        if self.suggestion is not None and not isinstance(self.suggestion, str):
            raise ConfigError(f"'suggestion' of {label} must be a string.")
        if self.severity not in SEVERITIES:
            raise ConfigError(
                f"'severity' of {label} is {self.severity!r}: use one of {', '.join(SEVERITIES)}."
            )
        if not isinstance(self.ignore_case, bool):
            raise ConfigError(f"'ignore-case' of {label} must be true or false.")
        checked = _compile(self.pattern, self.ignore_case, label)
        if checked.fullmatch("") is not None:
            raise ConfigError(f"'pattern' of {label} matches the empty string; make it match text.")
        if self.suggestion is not None:
            _check_template(self.suggestion, checked, label)
        flags = regex_engine.VERSION0 | (regex_engine.IGNORECASE if self.ignore_case else 0)
        try:
            bounded = regex_engine.compile(self.pattern, flags)
        except regex_engine.error as error:  # re accepts a few things regex does not
            raise ConfigError(
                f"'pattern' of {label} is not a valid regular expression: {error}."
            ) from None
        object.__setattr__(self, "regex", bounded)

    def to_rule(self) -> Rule:
        return Rule(
            name=self.name,
            category=self.category,
            severity=self.severity,
            group="default",
            scope="segment",
            summary=self.message,
            doc=f"{self.message}\n\nConfigured pattern: {self.pattern}",
            check=self.check,
        )

    def check(self, segment: SegmentText, context: Context):
        # The matches are collected before any is yielded, so a search that runs out of time
        # leaves no half-reported segment. regex applies the limit to each search step.
        try:
            matches = list(self.regex.finditer(segment.text, timeout=PATTERN_TIMEOUT))
        except TimeoutError:
            raise ConfigError(
                f"House-style pattern {self.name!r} ({self.pattern}) took more than "
                f"{PATTERN_TIMEOUT:g} s on one segment (most likely catastrophic "
                "backtracking); rewrite it without nested repetition such as (a+)+ or (a|aa)+."
            ) from None
        for match in matches:
            if match.end() > match.start():
                suggestion = match.expand(self.suggestion) if self.suggestion is not None else None
                yield Finding(match.start(), match.end(), self.message, suggestion)


def _compile(pattern: str, ignore_case: bool, label: str) -> re.Pattern[str]:
    """``pattern`` compiled by ``re``: the syntax the configuration promises, and its error
    messages (only compiled, never run on text)."""
    try:
        return re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    except re.error as error:
        raise ConfigError(
            f"'pattern' of {label} is not a valid regular expression: {error}."
        ) from None


def _check_template(template: str, regex: re.Pattern[str], label: str) -> None:
    """Reject a suggestion that ``match.expand`` would fail on: a group the regular
    expression lacks, or a bad escape. ``sub`` parses the template even without a match."""
    try:
        regex.sub(template, "")
    except (re.error, IndexError) as error:
        raise ConfigError(f"'suggestion' of {label} is not a valid replacement: {error}.") from None
