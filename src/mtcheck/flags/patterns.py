"""House-style pattern rules from the configuration (``[[tool.mtcheck.patterns]]``).

A pattern rule is a regular expression over the German text with a message, an optional
suggestion, an MQM category and a severity. It is not registered in the global registry
(``RULES``): it lives in the ``RuleSettings`` of one run, and the driver treats it like a
built-in rule of group "default" (selectable, ignorable, severity overridable by name).

The suggestion is a replacement template as in ``re.sub``: ``\\1`` or ``\\g<name>`` insert
what a group matched (write ``\\\\`` for a literal backslash). Every match of the regular
expression is flagged with its span; empty matches are not allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mtcheck.errors import ConfigError
from mtcheck.flags.registry import Context, Finding, Rule
from mtcheck.flags.text import SegmentText
from mtcheck.model import SEVERITIES

DEFAULT_CATEGORY = "Style/Company style"
DEFAULT_SEVERITY = "minor"
RULE_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


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
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False, hash=False)

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
        try:
            regex = re.compile(self.pattern, re.IGNORECASE if self.ignore_case else 0)
        except re.error as error:
            raise ConfigError(
                f"'pattern' of {label} is not a valid regular expression: {error}."
            ) from None
        if regex.fullmatch("") is not None:
            raise ConfigError(f"'pattern' of {label} matches the empty string; make it match text.")
        if self.suggestion is not None:
            _check_template(self.suggestion, regex, label)
        object.__setattr__(self, "regex", regex)

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
        for match in self.regex.finditer(segment.text):
            if match.end() > match.start():
                suggestion = match.expand(self.suggestion) if self.suggestion is not None else None
                yield Finding(match.start(), match.end(), self.message, suggestion)


def _check_template(template: str, regex: re.Pattern[str], label: str) -> None:
    """Reject a suggestion that ``match.expand`` would fail on: a group the regular
    expression lacks, or a bad escape. ``sub`` parses the template even without a match."""
    try:
        regex.sub(template, "")
    except (re.error, IndexError) as error:
        raise ConfigError(f"'suggestion' of {label} is not a valid replacement: {error}.") from None
