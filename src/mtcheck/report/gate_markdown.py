"""``mtcheck gate --format markdown``: the gate's verdict for ``$GITHUB_STEP_SUMMARY`` or a
pull-request comment.

A heading with the verdict, then per document a table of its figures (scores, findings by
severity, MQM penalty) beside the configured limits, and its findings table; the notes last.
Every text that comes from the input (paths, flagged text, messages, notes) is escaped
(:func:`~mtcheck.report.markdown_report.escape_cell`), so a pipe, backtick or HTML tag in
a translation cannot break the tables or inject markup. The output depends on the result
and the limits alone: the same run gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mtcheck.gate import Check, reasons
from mtcheck.model import SEVERITIES, DocumentResult, Result
from mtcheck.report.figures import one_decimal, penalty_figure
from mtcheck.report.gate_report import verdict_line
from mtcheck.report.markdown_report import escape_cell, findings_table
from mtcheck.report.summary import document_summary

Checks = Mapping[str, Sequence[Check]]


def _figures(document: DocumentResult) -> list[tuple[str, str, str]]:
    """(label, value, limit setting) of each row of a document's table, in a fixed order."""
    summary = document_summary(document)
    rows = []
    if document.scores is not None:
        rows.append(("chrF", one_decimal(document.scores.chrf), "min-chrf"))
        rows.append(("BLEU", one_decimal(document.scores.bleu), "min-bleu"))
    for severity in reversed(SEVERITIES):
        rows.append((f"{severity} flags", str(summary["by_severity"][severity]), f"max-{severity}"))
    penalty = penalty_figure(summary["penalty"], summary["words"])
    rows.append(("MQM penalty per 1,000 words", penalty, "max-penalty"))
    return rows


def _table(document: DocumentResult, checks: Sequence[Check]) -> list[str]:
    by_limit = {check.limit: check for check in checks}
    lines = ["| Figure | Value | Limit | Verdict |", "|---|---|---|---|"]
    for label, value, limit in _figures(document):
        check = by_limit.pop(limit, None)
        if check is None:
            lines.append(f"| {label} | {value} | | |")
        else:  # the check's own figure: the one its reason quotes
            lines.append(f"| {label} | {check.value} | {_limit_cell(check)} | {_mark(check)} |")
    for check in by_limit.values():  # fail-on, which no figure above stands for
        label = f"flags of severity {check.bound} or worse"
        lines.append(f"| {label} | {check.value} | {_limit_cell(check)} | {_mark(check)} |")
    return lines


def _limit_cell(check: Check) -> str:
    return f"`{check.limit} = {check.bound}`"


def _mark(check: Check) -> str:
    return "**failed**" if check.failed else "ok"


def _document(document: DocumentResult, checks: Sequence[Check]) -> list[str]:
    failed = any(check.failed for check in checks)
    lines = [f"### {escape_cell(document.path)}: {'failed' if failed else 'passed'}", ""]
    lines.extend(_table(document, checks))
    lines.append("")
    lines.extend(findings_table(document))
    return lines


def render_gate_markdown(result: Result, checks: Checks, *, notes: Sequence[str] = ()) -> str:
    verdicts = {path: reasons(found) for path, found in checks.items()}
    heading = f"## mtcheck gate: {'failed' if any(verdicts.values()) else 'passed'}"
    blocks = [f"{heading}\n\n{verdict_line(result, verdicts)}"]
    blocks.extend(
        "\n".join(_document(document, checks.get(document.path, ())))
        for document in result.documents
    )
    if notes:
        blocks.append("\n".join(["### Notes", "", *(f"- {escape_cell(n)}" for n in notes)]))
    return "\n\n".join(blocks) + "\n"
