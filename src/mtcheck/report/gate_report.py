"""The human summary of ``mtcheck gate``: one verdict line per document, then the flags,
the notes and the overall verdict (:func:`verdict_line`, also all that ``-q`` prints)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mtcheck.errors import printable
from mtcheck.model import SEVERITIES, Result
from mtcheck.report.common import suggestion_text
from mtcheck.report.figures import one_decimal, penalty_figure, plural
from mtcheck.report.summary import document_summary


def verdict_line(result: Result, verdicts: Mapping[str, Sequence[str]]) -> str:
    """The overall verdict: "All 2 documents within the limits.", "1 of 3 documents over
    the limits."; with one document, "1 document within the limits."."""
    total = len(result.documents)
    failed = sum(bool(verdicts.get(document.path)) for document in result.documents)
    if total == 1:
        return f"1 document {'over' if failed else 'within'} the limits."
    if failed:
        return f"{failed} of {total} documents over the limits."
    return f"All {total} documents within the limits."


def _document_line(document, reasons: Sequence[str]) -> str:
    summary = document_summary(document)
    parts = [("FAIL" if reasons else "ok  "), document.path]
    if document.scores is not None:
        scores = document.scores
        parts.append(f"chrF {one_decimal(scores.chrf)}  BLEU {one_decimal(scores.bleu)}")
    counts = ", ".join(f"{summary['by_severity'][s]} {s}" for s in reversed(SEVERITIES))
    parts.append(f"{plural(summary['flags'], 'flag')} ({counts})")
    parts.append(f"penalty {penalty_figure(summary['penalty'], summary['words'])}/1,000 words")
    return "  ".join(parts)


def render_gate_text(
    result: Result,
    verdicts: Mapping[str, Sequence[str]],
    *,
    notes: Sequence[str] = (),
) -> str:
    lines = []
    for document in result.documents:
        reasons = verdicts.get(document.path, ())
        lines.append(_document_line(document, reasons))
        lines.extend(f"      {reason}" for reason in reasons)
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
    lines.append(verdict_line(result, verdicts))
    # Paths, messages and notes quote the input: shown, never obeyed, by a terminal.
    return "\n".join(printable(line) for line in lines) + "\n"
