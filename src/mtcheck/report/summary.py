"""Counts and MQM-style penalties over a result: the figures every report shows."""

from __future__ import annotations

import re
from collections import Counter

from mtcheck.model import (
    SEVERITIES,
    SEVERITY_WEIGHTS,
    DocumentResult,
    Result,
    penalty,
    segment_penalty,
)
from mtcheck.report.figures import penalty_figure, plural

__all__ = [
    "WORD",
    "document_summary",
    "segment_penalty",
    "summarize",
    "summary_parts",
    "word_count",
]

# What counts as a word for the penalty per 1,000 words (check, gate and audit alike).
WORD = re.compile(r"\w+(?:[-']\w+)*")


def word_count(text: str) -> int:
    return len(WORD.findall(text))


def document_summary(document: DocumentResult) -> dict:
    flags = [flag for segment in document.segments for flag in segment.flags]
    words = sum(word_count(segment.segment.target) for segment in document.segments)
    total = penalty(flags)
    alignments = Counter(s.segment.alignment for s in document.segments if s.segment.alignment)
    return {
        "segments": len(document.segments),
        "words": words,
        "flags": len(flags),
        "by_severity": {
            severity: sum(f.severity == severity for f in flags) for severity in SEVERITIES
        },
        "by_rule": dict(sorted(Counter(flag.rule for flag in flags).items())),
        "penalty": total,
        "penalty_per_1000_words": round(1000.0 * total / words, 2) if words else 0.0,
        "alignments": dict(sorted(alignments.items())),
    }


def summarize(result: Result) -> dict:
    """Totals over all documents, with the per-document figures under ``documents``."""
    per_document = [document_summary(d) for d in result.documents]
    total: dict = {
        "documents": len(result.documents),
        "segments": sum(d["segments"] for d in per_document),
        "words": sum(d["words"] for d in per_document),
        "flags": sum(d["flags"] for d in per_document),
        "by_severity": {s: sum(d["by_severity"][s] for d in per_document) for s in SEVERITIES},
        "by_rule": dict(
            sorted(sum((Counter(d["by_rule"]) for d in per_document), Counter()).items())
        ),
        "penalty": sum(d["penalty"] for d in per_document),
        "severity_weights": dict(SEVERITY_WEIGHTS),
    }
    total["penalty_per_1000_words"] = (
        round(1000.0 * total["penalty"] / total["words"], 2) if total["words"] else 0.0
    )
    total["per_document"] = {d.path: s for d, s in zip(result.documents, per_document, strict=True)}
    return total


def summary_parts(document: DocumentResult, scores_separator: str = "  ") -> list[str]:
    """The phrases every report's document line is made of: scores (when computed), segment
    and flag counts, MQM penalty. Each reporter joins them its own way."""
    summary = document_summary(document)
    parts = []
    if document.scores is not None:
        s = document.scores
        parts.append(
            scores_separator.join((f"BLEU {s.bleu:.1f}", f"chrF {s.chrf:.1f}", f"TER {s.ter:.1f}"))
        )
    counts = ", ".join(f"{summary['by_severity'][k]} {k}" for k in reversed(SEVERITIES))
    parts.append(plural(summary["segments"], "segment"))
    parts.append(f"{plural(summary['flags'], 'flag')} ({counts})")
    # Rounded once from the exact ratio, as the gate's reasons round it (see figures.py).
    per_1000 = penalty_figure(summary["penalty"], summary["words"])
    parts.append(f"MQM penalty {summary['penalty']} ({per_1000} per 1,000 words)")
    return parts
