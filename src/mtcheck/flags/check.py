"""Run the enabled rules over the segments of one document."""

from __future__ import annotations

from collections.abc import Sequence

from mtcheck.flags.registry import RULES, Context, Finding, Rule
from mtcheck.flags.settings import RuleSettings
from mtcheck.flags.text import SegmentText
from mtcheck.model import Flag, Scores, Segment

_DEFAULT_SETTINGS = RuleSettings()


def check_segments(
    segments: Sequence[Segment],
    scores: Sequence[Scores | None] | None = None,
    settings: RuleSettings = _DEFAULT_SETTINGS,
) -> list[tuple[Flag, ...]]:
    """Flags for each segment of one document, in order, each tuple sorted by span start.

    ``segments`` is one document: the document-level rules (term-inconsistency, the
    mixed-style part of number-format) compare its segments with each other. ``scores``,
    when given, has one entry per segment (None where there is none). Segments whose
    target is empty or blank get no flags. Flags leave ``line``/``column`` at 0.
    """
    settings.validate()
    if scores is not None and len(scores) != len(segments):
        raise ValueError(f"got {len(scores)} scores for {len(segments)} segments")
    active = [i for i, segment in enumerate(segments) if segment.target.strip()]
    texts = [SegmentText(segments[i].target, segments[i].reference) for i in active]
    contexts = [Context(settings, scores[i] if scores is not None else None) for i in active]
    findings: list[list[Flag]] = [[] for _ in segments]
    rules = settings.rules() if settings.patterns else RULES
    for name in settings.enabled():
        rule = rules[name]
        severity = settings.severity.get(name, rule.severity)
        if rule.scope == "document":
            for position, finding in rule.check(texts, contexts):
                index = active[position]
                findings[index].append(_flag(rule, severity, finding, segments[index].target))
        else:
            for position, (text, context) in enumerate(zip(texts, contexts, strict=True)):
                index = active[position]
                for finding in rule.check(text, context):
                    findings[index].append(_flag(rule, severity, finding, text.text))
    return [tuple(sorted(_drop_duplicates(flags), key=_order)) for flags in findings]


def _flag(rule: Rule, severity: str, finding: Finding, target: str) -> Flag:
    if not 0 <= finding.start < finding.end <= len(target):
        raise AssertionError(
            f"rule {rule.name} gave span {finding.start}:{finding.end} "
            f"outside a target of {len(target)} characters"
        )
    return Flag(
        rule=rule.name,
        category=rule.category,
        severity=severity,
        message=finding.message,
        suggestion=finding.suggestion,
        span=(finding.start, finding.end),
    )


def _drop_duplicates(flags: list[Flag]) -> list[Flag]:
    """A term-inconsistency inside untranslated text says the same thing twice: keep one."""
    untranslated = [flag.span for flag in flags if flag.rule == "untranslated-text"]
    return [
        flag
        for flag in flags
        if not (
            flag.rule == "term-inconsistency"
            and any(s <= flag.span[0] and flag.span[1] <= e for s, e in untranslated)
        )
    ]


def _order(flag: Flag):
    return flag.span[0], flag.span[1], flag.rule
