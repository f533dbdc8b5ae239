"""Reporters: turn a finished :class:`~mtcheck.model.Result` into text. They compute nothing."""

from mtcheck.report.summary import summarize

FORMATS = ("text", "json")


def render(result, fmt: str, *, color: bool | None = None, width: int | None = None) -> str:
    if fmt == "json":
        from mtcheck.report.json_report import render_json

        return render_json(result)
    from mtcheck.report.text_report import render_text

    return render_text(result, color=color, width=width)


__all__ = ["FORMATS", "render", "summarize"]
