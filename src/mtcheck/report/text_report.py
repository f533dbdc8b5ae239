"""The human report: document scores, segments worst first, then one line per flag.

Rendered with rich; colours only when asked for (the CLI asks when stdout is a terminal),
so piped output is plain text that greps well.

Every text from the input (file names, ids, the German and English, messages that quote
them) passes through ``printable``: its control characters are shown as ``\\x1b`` and the
like, never sent to the terminal, and rich's markup is off, so "[red]" is just text.
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from mtcheck.errors import printable
from mtcheck.model import DocumentResult, Result, SegmentResult
from mtcheck.report.common import suggestion_text
from mtcheck.report.summary import document_summary, segment_penalty, summary_parts

_SEVERITY_STYLE = {"minor": "yellow", "major": "bold red", "critical": "bold white on red"}
# Line breaks and tabs inside a paragraph are shown as such in its DE/BT/EN rows.
_LAYOUT = "\n\t"
_ALIGNMENT_NOTE = {
    "1-0": "no English counterpart",
    "0-1": "English sentence with no German counterpart (omission?)",
    "2-1": "two German sentences for one English",
    "1-2": "one German sentence for two English",
}


def _unmatched(item: SegmentResult) -> bool:
    """A German sentence with no English (1-0) or the reverse (0-1): shown in every mode,
    as the HTML report shows it; with the model a 1-0 segment has no scores of its own."""
    return item.segment.alignment in ("0-1", "1-0")


def _worst_first(document: DocumentResult) -> list[SegmentResult]:
    scored = any(s.scores is not None for s in document.segments)
    if scored:
        shown = [s for s in document.segments if s.scores is not None or s.flags or _unmatched(s)]

        def key(s: SegmentResult):
            chrf = s.scores.chrf if s.scores is not None else float("inf")
            return (chrf, -segment_penalty(s))

    else:
        shown = [s for s in document.segments if s.flags or _unmatched(s)]

        def key(s: SegmentResult):
            return (-segment_penalty(s), s.segment.line, s.segment.column)

    return sorted(shown, key=key)


def _scores_line(document: DocumentResult) -> str:
    return "  ·  ".join(summary_parts(document))


def _segment_block(console: Console, item: SegmentResult) -> None:
    segment = item.segment
    head = Text(printable(f"{segment.id}  line {segment.line}:{segment.column}"), style="bold")
    if item.scores is not None:
        sc = item.scores
        head.append(f"   chrF {sc.chrf:.1f}  BLEU {sc.bleu:.1f}  TER {sc.ter:.1f}")
        if sc.adequacy is not None:
            head.append(f"  adequacy {sc.adequacy:.2f}")
    if segment.alignment and segment.alignment != "1-1":
        head.append(f"   [{segment.alignment}: {_ALIGNMENT_NOTE[segment.alignment]}]", style="cyan")
    console.print(head)
    # A grid keeps wrapped lines under their text instead of under the label.
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    if segment.target:
        grid.add_row("  DE", _highlighted(item))
    if item.backtranslation is not None and segment.target:
        grid.add_row("  BT", Text(printable(item.backtranslation, _LAYOUT)))
    if segment.reference is not None:
        grid.add_row("  EN", Text(printable(segment.reference, _LAYOUT)))
    for flag in item.flags:
        note = Text(flag.rule, style=_SEVERITY_STYLE[flag.severity])
        note.append(printable(f" ({flag.severity})  {flag.message}"))
        if flag.suggestion:
            note.append(printable(f"  → {suggestion_text(flag)}"), style="green")
        grid.add_row("  !!", note)
    console.print(grid)
    console.print()


def _highlighted(item: SegmentResult) -> Text:
    target = item.segment.target
    shown = printable(target, _LAYOUT)
    text = Text(shown)
    # An escaped character is longer than itself: spans are moved to where it is shown.
    where = _positions(target) if len(shown) != len(target) else None
    for flag in item.flags:
        start, end = flag.span
        if where is not None:
            start, end = where[min(start, len(target))], where[min(end, len(target))]
        if end > start:
            text.stylize("underline " + _SEVERITY_STYLE[flag.severity], start, end)
    return text


def _positions(target: str) -> list[int]:
    """Where each character of ``target`` (and its end) starts in ``printable(target)``."""
    positions = [0]
    for character in target:
        positions.append(positions[-1] + len(printable(character, _LAYOUT)))
    return positions


def _flag_lines(console: Console, document: DocumentResult) -> None:
    flags = sorted(
        (flag for segment in document.segments for flag in segment.flags),
        key=lambda f: (f.line, f.column, f.rule),
    )
    for flag in flags:
        line = Text(printable(f"{document.path}:{flag.line}:{flag.column}  "))
        line.append(f"{flag.severity:<8}", style=_SEVERITY_STYLE[flag.severity])
        line.append(printable(f"  {flag.rule}  {flag.message}"))
        if flag.suggestion:
            line.append(printable(f"  → {suggestion_text(flag)}"), style="green")
        console.print(line, soft_wrap=True)


def render_text(result: Result, *, color: bool | None = None, width: int | None = None) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=bool(color),
        no_color=not color,
        color_system="standard" if color else None,
        width=width or 100,
        highlight=False,
        emoji=False,
        markup=False,
    )
    if result.model is None:
        model = "flags only (no back-translation)"
    else:
        revision = f"@{result.model.revision[:12]}" if result.model.revision else ""
        model = f"model {result.model.name}{revision} on {result.model.device}"
    console.print(Text(printable(f"mtcheck {result.version}  ·  {model}"), style="dim"))
    for document in result.documents:
        summary = document_summary(document)
        console.print()
        title = Text(printable(document.path), style="bold")
        if document.reference_path:
            title.append(printable(f"  against {document.reference_path}"), style="dim")
        console.print(title)
        console.print(Text(printable(_scores_line(document))))
        worst = _worst_first(document)
        if worst:
            console.print()
            console.print(Text("Segments, worst first", style="bold underline"))
            console.print()
            for item in worst:
                _segment_block(console, item)
        if summary["flags"]:
            console.print(Text("Flags", style="bold underline"))
            _flag_lines(console, document)
        else:
            console.print(Text("No flags.", style="green"))
    output = buffer.getvalue()
    if not color:
        # rich pads table cells to the full width; plain text should not end in blanks.
        output = "\n".join(line.rstrip() for line in output.split("\n"))
    return output
