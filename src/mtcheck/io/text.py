"""Text that remembers where each of its characters came from.

The Markdown and XML readers drop markup between pieces of text (``*``, ``<g>``, an entity
reference for one character), so a paragraph's characters do not sit one after the other
in the file. A :class:`Run` keeps the (line, column) of every character while a reader
assembles a paragraph, and turns them into :class:`~mtcheck.model.Paragraph` ``anchors``
at the end.
"""

from __future__ import annotations

from mtcheck.model import Paragraph

# Whitespace that is collapsed: ASCII only. A no-break space (U+00A0, U+202F) is content
# in German ("25 %"), never layout, and is kept.
LAYOUT_SPACE = frozenset(" \t\r\n\f\v")


class Run:
    """Characters with the 1-based (line, column) of each in the input file."""

    __slots__ = ("chars", "lines", "columns")

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.lines: list[int] = []
        self.columns: list[int] = []

    def __len__(self) -> int:
        return len(self.chars)

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def add(self, text: str, line: int, column: int) -> None:
        """Append ``text`` that starts at ``line``:``column`` and runs on from there."""
        for char in text:
            self.chars.append(char)
            self.lines.append(line)
            self.columns.append(column)
            if char == "\n":
                line, column = line + 1, 1
            else:
                column += 1

    def add_char(self, char: str, line: int, column: int) -> None:
        self.chars.append(char)
        self.lines.append(line)
        self.columns.append(column)

    def extend(self, other: Run) -> None:
        self.chars.extend(other.chars)
        self.lines.extend(other.lines)
        self.columns.extend(other.columns)

    def end(self) -> tuple[int, int]:
        """The position just after the last character (for a separator added after it)."""
        return self.lines[-1], self.columns[-1] + 1

    def normalized(self, collapse: bool = True) -> Run:
        """Stripped of layout space at both ends; inner runs of it become one space.

        The space that replaces a run sits where the run's first character was.
        """
        out = Run()
        pending: int | None = None  # index of the first layout character of a run
        for k, char in enumerate(self.chars):
            if char in LAYOUT_SPACE:
                if not collapse and out.chars:
                    out.add_char(char, self.lines[k], self.columns[k])
                elif pending is None:
                    pending = k
                continue
            if pending is not None and out.chars:
                out.add_char(" ", self.lines[pending], self.columns[pending])
            pending = None
            out.add_char(char, self.lines[k], self.columns[k])
        if not collapse:
            while out.chars and out.chars[-1] in LAYOUT_SPACE:
                out.chars.pop()
                out.lines.pop()
                out.columns.pop()
        return out

    def anchors(self) -> tuple[tuple[int, int, int], ...]:
        """(offset, line, column) wherever a character does not follow its predecessor."""
        anchors: list[tuple[int, int, int]] = []
        previous: tuple[int, int] | None = None
        for offset, (line, column) in enumerate(zip(self.lines, self.columns, strict=True)):
            if previous != (line, column - 1):
                anchors.append((offset, line, column))
            previous = (line, column)
        return tuple(anchors)

    def paragraph(
        self, index: int, *, id: str | None = None, reference: str | None = None
    ) -> Paragraph:
        """A paragraph of this (non-empty, normalized) run."""
        anchors = self.anchors()
        # One anchor at offset 0 says no more than line and column do.
        return Paragraph(
            index=index,
            text=self.text,
            line=self.lines[0],
            column=self.columns[0],
            id=id,
            reference=reference,
            anchors=anchors if len(anchors) > 1 else (),
        )


def normalized_offsets(chars: list[str], size: int, collapse: bool = True) -> list[int]:
    """For each index of a run's ``chars`` (and its end), the offset in the text of
    ``Run.normalized(collapse)`` (``size`` characters long) of that character, or of the
    one space a layout run there became: markup recorded while a run is built keeps its
    place."""
    offsets: list[int] = []
    emitted = 0
    pending = False
    for char in chars:
        if char in LAYOUT_SPACE and (collapse or not emitted):
            pending = emitted > 0
            offsets.append(min(emitted, size))
            continue
        if pending:
            emitted += 1  # the space that stands for the layout run
            pending = False
        offsets.append(min(emitted, size))
        emitted += 1
    offsets.append(size)
    return offsets


def join(runs: list[Run], separator: str = " ") -> Run:
    """Non-empty ``runs`` one after the other, ``separator`` right after each but the last."""
    out = Run()
    for run in runs:
        if not run:
            continue
        if out.chars:
            line, column = out.end()
            out.add(separator, line, column)
        out.extend(run)
    return out


# Sentence punctuation that ends a URL written in running text rather than belonging to it.
_URL_TRAILING = "?!.,:;*_~'\""


def trim_url(url: str) -> str:
    """A URL found in running text without the punctuation after it ("siehe x.org.") and
    without an unbalanced closing parenthesis ("(siehe x.org)")."""
    while url:
        if url[-1] in _URL_TRAILING:
            url = url[:-1]
        elif url[-1] == ")" and url.count(")") > url.count("("):
            url = url[:-1]
        else:
            break
    return url
