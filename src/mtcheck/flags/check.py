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
    target is empty or blank get no flags, except a 0-1 link (English with no German) from
    a rule that reads the alignment (``needs="alignment"``): its flag is zero-width,
    ``(0, 0)``. Flags leave ``line``/``column`` at 0. ``settings`` were checked when made.
    """
    if scores is not None and len(scores) != len(segments):
        raise ValueError(f"got {len(scores)} scores for {len(segments)} segments")
    # Every link a rule may see; rules that don't read the alignment see German text only.
    linked = [
        i for i, segment in enumerate(segments) if segment.target.strip() or _no_german(segment)
    ]
    active = [i for i in linked if segments[i].target.strip()]
    texts = {i: _text(segments[i]) for i in linked}
    contexts = {i: Context(settings, scores[i] if scores is not None else None) for i in linked}
    findings: list[list[Flag]] = [[] for _ in segments]
    rules = settings.rules() if settings.patterns else RULES
    for name in settings.enabled():
        rule = rules[name]
        severity = settings.severity.get(name, rule.severity)
        indices = linked if rule.needs == "alignment" else active
        if rule.scope == "document":
            document = rule.check([texts[i] for i in indices], [contexts[i] for i in indices])
            for position, finding in document:
                index = indices[position]
                findings[index].append(_flag(rule, severity, finding, segments[index].target))
        else:
            for index in indices:
                for finding in rule.check(texts[index], contexts[index]):
                    findings[index].append(_flag(rule, severity, finding, segments[index].target))
    return [
        tuple(sorted(_drop_duplicates(_outside_code(flags, segments[k])), key=_order))
        for k, flags in enumerate(findings)
    ]


def _no_german(segment: Segment) -> bool:
    """A 0-1 link: English that has no German counterpart."""
    return segment.alignment == "0-1" and bool(segment.reference)


def _text(segment: Segment) -> SegmentText:
    return SegmentText(
        segment.target,
        segment.reference,
        segment.alignment,
        segment.paragraph,
        markup=segment.markup,
        reference_markup=segment.reference_markup,
    )


def _flag(rule: Rule, severity: str, finding: Finding, target: str) -> Flag:
    # A flag covers German text; the one exception is the zero-width (0, 0) flag on an
    # empty target, which marks where German is missing (a 0-1 link).
    covers_text = 0 <= finding.start < finding.end <= len(target)
    marks_gap = finding.start == finding.end == 0 and not target
    if not (covers_text or marks_gap):
        raise AssertionError(
            f"rule {rule.name} gave span {finding.start}:{finding.end} "
            f"outside a target of {len(target)} characters"
        )
    return Flag(
        rule=rule.name,
        category=rule.category,
        severity=severity,
        message=finding.message,
        # ranked replacements, when the rule gave them: the first is the suggestion
        suggestion=finding.suggestions[0] if finding.suggestions else finding.suggestion,
        span=(finding.start, finding.end),
        suggestions=tuple(finding.suggestions),
    )


def _outside_code(flags: list[Flag], segment: Segment) -> list[Flag]:
    """Inline code is shown in the German but is not German prose ("tool --init"): only
    markup-mismatch judges what lies inside it."""
    code = [(m.start, m.end) for m in segment.markup if m.kind == "code"]
    if not code:
        return flags
    return [
        flag
        for flag in flags
        if flag.rule == "markup-mismatch"
        or not any(s <= flag.span[0] and flag.span[1] <= e for s, e in code)
    ]


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
