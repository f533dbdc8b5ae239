"""What the CI reporters (sarif, junit, github) share: flag order, levels, message text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mtcheck.model import DocumentResult, Flag, SegmentResult

Verdicts = Mapping[str, Sequence[str]]

# critical and major findings are errors in CI tools, minor ones warnings.
LEVELS = {"critical": "error", "major": "error", "minor": "warning"}


def document_flags(document: DocumentResult) -> list[tuple[SegmentResult, Flag]]:
    """The flags of a document with their segments, in file order."""
    pairs = [(segment, flag) for segment in document.segments for flag in segment.flags]
    return sorted(pairs, key=lambda pair: (pair[1].line, pair[1].column, pair[1].rule))


def suggestion_text(flag: Flag) -> str | None:
    """The flag's replacements, most likely first, separated by " | " ("beginnen |
    begonnen haben"); None when it has none."""
    suggestions = flag.suggestions or ((flag.suggestion,) if flag.suggestion else ())
    return " | ".join(suggestions) or None


def flag_message(flag: Flag) -> str:
    """The flag's message, with its suggestions after an arrow when it has some."""
    suggestions = suggestion_text(flag)
    if suggestions:
        return f"{flag.message} → {suggestions}"
    return flag.message


def flagged_text(segment: SegmentResult, flag: Flag) -> str:
    start, end = flag.span
    return segment.segment.target[start:end]


def span_width(flag: Flag) -> int:
    return max(flag.span[1] - flag.span[0], 0)


def failure_reasons(verdicts: Verdicts | None, path: str) -> Sequence[str] | None:
    """The gate's reasons for failing ``path`` (empty: it passed); None without a gate."""
    if verdicts is None:
        return None
    return tuple(verdicts.get(path, ()))
