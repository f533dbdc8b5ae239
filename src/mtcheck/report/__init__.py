"""Reporters: turn a finished :class:`~mtcheck.model.Result` into text. They compute nothing.

``verdicts`` (from the gate) maps a document path to the reasons it failed the configured
limits, an empty sequence when it passed; the CI formats (sarif, junit, github) show them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mtcheck.report.summary import summarize

FORMATS = ("text", "json", "sarif", "junit", "github", "html", "xliff", "markdown")


def render(
    result,
    fmt: str,
    *,
    verdicts: Mapping[str, Sequence[str]] | None = None,
    color: bool | None = None,
    width: int | None = None,
    rules: Mapping | None = None,
) -> str:
    """The report of ``result`` in format ``fmt`` (one of ``FORMATS``).

    ``rules`` (name → rule) describes the rules in SARIF; default: the built-in registry.
    """
    if fmt == "json":
        from mtcheck.report.json_report import render_json

        return render_json(result)
    if fmt == "sarif":
        from mtcheck.report.sarif import render_sarif

        return render_sarif(result, verdicts=verdicts, rules=rules)
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


__all__ = ["FORMATS", "render", "summarize"]
