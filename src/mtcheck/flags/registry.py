"""The rule registry: every rule's stable name, MQM category, default severity and check."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from mtcheck.flags.settings import RuleSettings
    from mtcheck.flags.text import SegmentText
    from mtcheck.model import Scores


class Finding(NamedTuple):
    """What a rule reports; the driver turns it into a ``Flag``.

    A rule that is sure of one fix gives ``suggestion``; one that is not gives ranked
    ``suggestions`` (most likely first) and may leave ``suggestion`` None.
    """

    start: int
    end: int
    message: str
    suggestion: str | None = None
    suggestions: tuple[str, ...] = ()


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
class Example:
    """A bad (``flagged``) or good sentence from a rule's docstring, which the tests run.

    Written in the docstring as ``Bad:  "German"`` or ``Good: "German"``, optionally
    followed by ``(reference: "English")``.
    """

    text: str
    flagged: bool
    reference: str | None = None


_EXAMPLE = re.compile(
    r"""^\s*(?P<label>Bad|Good):\s+(?P<q>["'])(?P<text>.+?)(?P=q)"""
    r"""(?:\s+\(reference:\s+"(?P<reference>[^"]+)"\))?\s*$""",
    re.M,
)


def parse_examples(doc: str) -> tuple[Example, ...]:
    """The examples of a rule docstring, in order; lines that don't parse are prose."""
    return tuple(
        Example(match["text"], match["label"] == "Bad", match["reference"])
        for match in _EXAMPLE.finditer(doc)
    )


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
    # What the examples need besides a sentence and its reference ("scores", "glossary"):
    # such a rule's examples are shown, and its own tests run them.
    needs: str | None = None
    # Whether the rule's suggestion may be applied by ``mtcheck check --fix``, as ruff
    # separates fixes: "safe" fixes cannot change the meaning and are right wherever the
    # rule fires (typography, number notation), so --fix applies them; "unsafe" ones pick
    # among readings of the sentence (grammar, word choice) and are applied only with
    # --unsafe-fixes; None: the rule offers no replacement. A flag with several ranked
    # suggestions is treated as unsafe whatever its rule says.
    fix: Literal["safe", "unsafe"] | None = None

    @property
    def examples(self) -> tuple[Example, ...]:
        return parse_examples(self.doc)


_RULES: dict[str, Rule] = {}
RULES: Mapping[str, Rule] = MappingProxyType(_RULES)


def rule(
    name: str,
    category: str,
    severity: str,
    *,
    scope: str = "segment",
    group: str = "default",
    needs: str | None = None,
    fix: str | None = None,
):
    """Register the decorated check function as a rule; its docstring is the rule's doc.

    ``fix`` ("safe", "unsafe" or None) says whether ``--fix`` may apply its suggestions
    (see :attr:`Rule.fix`).
    """
    if fix not in ("safe", "unsafe", None):
        raise ValueError(f"rule {name!r}: fix must be 'safe', 'unsafe' or None, not {fix!r}")

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
            needs=needs,
            fix=fix,
        )
        return check

    return register


def claim_module(module: str, registered_before: int) -> None:
    """Check that importing ``module`` registered exactly one rule: one rule, one module."""
    added = len(_RULES) - registered_before
    if added != 1:
        raise RuntimeError(f"rule module {module} registered {added} rules; one module, one rule")
