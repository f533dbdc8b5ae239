"""Reporters: turn a finished :class:`~mtcheck.model.Result` into text. They compute nothing.

``verdicts`` (from the gate) maps a document path to the reasons it failed the configured
limits, an empty sequence when it passed; the CI formats (sarif, junit, github) show them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path

from mtcheck.constants import REPORT_FORMATS
from mtcheck.errors import ConfigError
from mtcheck.report.summary import summarize

FORMATS = REPORT_FORMATS

# What a report file's extension says: the format written when none is asked for, and the
# formats an explicit --format may choose for it (SARIF is JSON; XLIFF and JUnit are XML;
# GitHub annotations are plain text). Other extensions get the text report.
EXTENSIONS: dict[str, tuple[str, frozenset[str]]] = {
    ".txt": ("text", frozenset({"text", "github"})),
    ".html": ("html", frozenset({"html"})),
    ".htm": ("html", frozenset({"html"})),
    ".json": ("json", frozenset({"json", "sarif"})),
    ".sarif": ("sarif", frozenset({"sarif"})),
    ".sarif.json": ("sarif", frozenset({"sarif", "json"})),
    ".md": ("markdown", frozenset({"markdown"})),
    ".markdown": ("markdown", frozenset({"markdown"})),
    ".xlf": ("xliff", frozenset({"xliff"})),
    ".xliff": ("xliff", frozenset({"xliff"})),
    ".xml": ("junit", frozenset({"junit", "xliff"})),
}


def output_format(path: PathLike[str] | str | None, fmt: str | None) -> str:
    """The report format for ``-o path``: ``fmt`` when given (refused, as a ``ConfigError``,
    when the extension says another format), else the extension's, else text."""
    name = Path(path).name.lower() if path is not None else ""
    suffix = ".sarif.json" if name.endswith(".sarif.json") else Path(name).suffix
    expected = EXTENSIONS.get(suffix) if path is not None and str(path) != "-" else None
    if fmt is None:
        return expected[0] if expected is not None else "text"
    if expected is not None and fmt not in expected[1]:
        raise ConfigError(
            f"--format {fmt} contradicts the output file {path}, whose extension "
            f"{suffix} means {expected[0]}; drop --format or rename the file."
        )
    return fmt


def render(
    result,
    fmt: str,
    *,
    verdicts: Mapping[str, Sequence[str]] | None = None,
    color: bool | None = None,
    width: int | None = None,
) -> str:
    """The report of ``result`` in format ``fmt`` (one of ``FORMATS``)."""
    if fmt == "json":
        from mtcheck.report.json_report import render_json

        return render_json(result)
    if fmt == "sarif":
        from mtcheck.report.sarif import render_sarif

        return render_sarif(result, verdicts=verdicts)
    if fmt == "junit":
        from mtcheck.report.junit import render_junit

        return render_junit(result, verdicts=verdicts)
    if fmt == "github":
        from mtcheck.report.github import render_github

        return render_github(result, verdicts=verdicts)
    if fmt == "html":
        from mtcheck.report.html_report import render_html

        return render_html(result)
    if fmt == "xliff":
        from mtcheck.report.xliff_report import render_xliff

        return render_xliff(result)
    if fmt == "markdown":
        from mtcheck.report.markdown_report import render_markdown

        return render_markdown(result)
    if fmt != "text":
        raise ValueError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")
    from mtcheck.report.text_report import render_text

    return render_text(result, color=color, width=width)


__all__ = ["EXTENSIONS", "FORMATS", "output_format", "render", "summarize"]
