"""``mtcheck check --statistics``: how often each rule fired, most frequent first, in place
of the report (as ``ruff check --statistics`` does): a table, or JSON with ``--format json``.
"""

from __future__ import annotations

import json
from collections import Counter

from mtcheck.errors import printable
from mtcheck.model import SEVERITIES, Result


def rule_counts(result: Result) -> list[dict]:
    """One entry per rule that fired: rule, count, its worst severity, its MQM category;
    most frequent first, then by name."""
    counts: Counter[str] = Counter()
    severity: dict[str, str] = {}
    category: dict[str, str] = {}
    for document in result.documents:
        for segment in document.segments:
            for flag in segment.flags:
                counts[flag.rule] += 1
                worst = severity.get(flag.rule, flag.severity)
                severity[flag.rule] = max(worst, flag.severity, key=SEVERITIES.index)
                category[flag.rule] = flag.category
    return [
        {"rule": rule, "count": count, "severity": severity[rule], "category": category[rule]}
        for rule, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def render_statistics(result: Result, fmt: str = "text") -> str:
    """The counts as an aligned table (no output when nothing fired), or as JSON."""
    rows = rule_counts(result)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if not rows:
        return ""
    # Pattern rules are named by the configuration: shown, never obeyed, by a terminal.
    names = [printable(row["rule"]) for row in rows]
    count_width = max(len(str(row["count"])) for row in rows)
    name_width = max(len(name) for name in names)
    lines = [
        f"{row['count']:>{count_width}}  {name:<{name_width}}  {row['severity']:<8}  "
        f"{printable(row['category'])}".rstrip()
        for row, name in zip(rows, names, strict=True)
    ]
    return "\n".join(lines) + "\n"
