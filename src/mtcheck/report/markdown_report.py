"""``--format markdown``: a findings table to paste into a pull request or a ticket.

One header line per document with its scores, then one table row per flag: location
(``file:line:col``), severity, rule, the flagged text, message and suggestion. Cell text
is escaped for GitHub-flavoured Markdown: ``|`` and Markdown/HTML specials get a
backslash, line breaks become ``<br>``, so a cell never breaks the table.
"""

from __future__ import annotations

import re

from mtcheck.model import DocumentResult, Result
from mtcheck.report.common import document_flags, flagged_text, suggestion_text
from mtcheck.report.summary import summary_parts

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~!&])")


def escape_cell(text: str | None) -> str:
    """``text`` safe inside a GFM table cell: specials escaped, line breaks as ``<br>``."""
    if not text:
        return ""
    lines = re.split(r"\r\n|\r|\n", text)
    return "<br>".join(_SPECIAL.sub(r"\\\1", line) for line in lines)


def _header(document: DocumentResult) -> str:
    path = document.path.replace("`", "'")
    return " · ".join([f"**mtcheck** `{path}`", *summary_parts(document, " · ")])


def findings_table(document: DocumentResult) -> list[str]:
    """The lines of ``document``'s findings table, in file order; "No findings." without."""
    flags = document_flags(document)
    if not flags:
        return ["No findings."]
    lines = [
        "| Location | Severity | Rule | Flagged text | Message | Suggestion |",
        "|---|---|---|---|---|---|",
    ]
    for segment, flag in flags:
        cells = (
            f"{document.path}:{flag.line}:{flag.column}",
            flag.severity,
            flag.rule,
            flagged_text(segment, flag),
            flag.message,
            suggestion_text(flag),
        )
        lines.append("| " + " | ".join(escape_cell(c) for c in cells) + " |")
    return lines


def render_markdown(result: Result) -> str:
    blocks = [
        "\n".join([_header(document), "", *findings_table(document)])
        for document in result.documents
    ]
    return "\n\n".join(blocks) + "\n"
