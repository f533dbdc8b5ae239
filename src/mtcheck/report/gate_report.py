"""The human summary of ``mtcheck gate``: one verdict line per document, then the flags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mtcheck.errors import printable
from mtcheck.model import SEVERITIES, Result
from mtcheck.report.common import suggestion_text
from mtcheck.report.summary import document_summary


def render_gate_text(
    result: Result,
    verdicts: Mapping[str, Sequence[str]],
    *,
    notes: Sequence[str] = (),
) -> str:
    lines = []
    failed = [path for path, reasons in verdicts.items() if reasons]
    for document in result.documents:
        summary = document_summary(document)
        reasons = verdicts.get(document.path, ())
        parts = [("FAIL" if reasons else "ok  "), document.path]
        if document.scores is not None:
            parts.append(f"chrF {document.scores.chrf:.1f}  BLEU {document.scores.bleu:.1f}")
        counts = ", ".join(f"{summary['by_severity'][s]} {s}" for s in reversed(SEVERITIES))
        parts.append(f"{summary['flags']} flags ({counts})")
        parts.append(f"penalty {summary['penalty_per_1000_words']:.1f}/1,000 words")
        lines.append("  ".join(parts))
        for reason in reasons:
            lines.append(f"      {reason}")
    flags = [
        (document.path, flag)
        for document in result.documents
        for segment in document.segments
        for flag in segment.flags
    ]
    if flags:
        lines.append("")
        for path, flag in sorted(flags, key=lambda x: (x[0], x[1].line, x[1].column)):
            line = (
                f"{path}:{flag.line}:{flag.column}  {flag.severity:<8}  {flag.rule}  {flag.message}"
            )
            if flag.suggestion:
                line += f"  → {suggestion_text(flag)}"
            lines.append(line)
    lines.append("")
    lines.extend(notes)
    total = len(result.documents)
    if failed:
        lines.append(f"{len(failed)} of {total} documents over the limits.")
    else:
        lines.append(f"All {total} documents within the limits.")
    # Paths, messages and notes quote the input: shown, never obeyed, by a terminal.
    return "\n".join(printable(line) for line in lines) + "\n"
