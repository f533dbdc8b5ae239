"""GitHub Actions workflow commands (``--format github``): annotations on the German files.

One ``::error`` (critical, major) or ``::warning`` (minor) command per flag, then one
``::notice::`` line per document with its scores, flag counts and, from the gate, whether it
passed; each limit it failed follows as an ``::error`` on the file. Escaping follows the
Actions runner: ``%``, CR and LF in the message; additionally ``:`` and ``,`` in property
values.
"""

from __future__ import annotations

from mtcheck.model import DocumentResult, Flag, Result
from mtcheck.report.common import (
    LEVELS,
    Verdicts,
    document_flags,
    failure_reasons,
    flag_message,
    span_width,
)
from mtcheck.report.figures import plural
from mtcheck.report.summary import summary_parts


def escape_data(text: str) -> str:
    """Escape a command's message (after ``::``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (``file=``, ``title=``, ...)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, properties: dict[str, object] | None = None) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}" for key, value in (properties or {}).items()
    )
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def _annotation(document: DocumentResult, flag: Flag) -> str:
    properties: dict[str, object] = {"file": document.path}
    if flag.line >= 1:
        properties["line"] = flag.line
        if flag.column >= 1:
            properties["col"] = flag.column
            if span_width(flag):
                properties["endColumn"] = flag.column + span_width(flag)
    properties["title"] = flag.rule
    message = f"{flag_message(flag)} ({flag.severity}, {flag.category})"
    return command(LEVELS.get(flag.severity, "warning"), message, properties)


def _summary(document: DocumentResult, reasons) -> str:
    parts = summary_parts(document, ", ")
    if reasons is not None:
        parts.append(f"failed {plural(len(reasons), 'limit')}" if reasons else "passed")
    return f"mtcheck {document.path}: " + " · ".join(parts)


def _limit_errors(document: DocumentResult, reasons) -> list[str]:
    """One ``::error`` per failed limit, on the file when it has a name on disk: a failed
    limit fails the job, so it is an error in the Actions log, not a notice."""
    properties: dict[str, object] = {}
    if document.path and document.path != "-":  # "-": standard input, no file to annotate
        properties["file"] = document.path
    properties["title"] = "mtcheck gate"
    return [
        command("error", f"mtcheck {document.path}: {reason}", properties)
        for reason in reasons or ()
    ]


def render_github(result: Result, *, verdicts: Verdicts | None = None) -> str:
    lines = []
    for document in result.documents:
        reasons = failure_reasons(verdicts, document.path)
        lines.extend(_annotation(document, flag) for _, flag in document_flags(document))
        lines.append(command("notice", _summary(document, reasons)))
        lines.extend(_limit_errors(document, reasons))
    return "".join(f"{line}\n" for line in lines)
