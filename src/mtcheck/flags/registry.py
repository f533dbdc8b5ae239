"""The rule registry: every rule's stable name, MQM category, default severity and check."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from mtcheck.flags.settings import RuleSettings
    from mtcheck.flags.text import SegmentText
    from mtcheck.model import Scores


class Finding(NamedTuple):
    """What a rule reports; the driver turns it into a ``Flag``."""

    start: int
    end: int
    message: str
    suggestion: str | None = None


@dataclass(frozen=True)
class Context:
    """What a check may read besides the text: segment scores and the settings."""

    settings: RuleSettings
    scores: Scores | None = None


SegmentCheck = Callable[["SegmentText", Context], Iterable[Finding]]
# A document check yields (segment index, finding) pairs.
DocumentCheck = Callable[
    [Sequence["SegmentText"], Sequence[Context]], Iterable[tuple[int, Finding]]
]


@dataclass(frozen=True)
class Rule:
    name: str  # stable kebab-case
    category: str  # MQM category, e.g. "Fluency/Grammar"
    severity: str  # default severity: minor, major or critical
    group: str  # "default" rules run unless deselected; other groups only when selected
    scope: Literal["segment", "document"]
    summary: str  # one line
    doc: str  # what it catches, with a bad and a good example
    check: Any  # SegmentCheck or DocumentCheck, by scope


_RULES: dict[str, Rule] = {}
RULES: Mapping[str, Rule] = MappingProxyType(_RULES)


def rule(
    name: str, category: str, severity: str, *, scope: str = "segment", group: str = "default"
):
    """Register the decorated check function as a rule; its docstring is the rule's doc."""

    def register(check):
        doc = inspect.cleandoc(check.__doc__ or "")
        if name in _RULES:
            raise ValueError(f"rule {name!r} is registered twice")
        _RULES[name] = Rule(
            name=name,
            category=category,
            severity=severity,
            group=group,
            scope=scope,
            summary=doc.splitlines()[0] if doc else name,
            doc=doc,
            check=check,
        )
        return check

    return register
