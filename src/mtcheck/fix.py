"""Apply the rules' suggestions to the German draft: ``mtcheck check --fix`` and ``--diff``.

As ruff separates fixes, a rule declares its fix ``safe`` or ``unsafe``
(:attr:`mtcheck.flags.registry.Rule.fix`). A flag's fix is applied when

- its rule's fix is safe and the flag has exactly one replacement (``--fix``), or
- ``--unsafe-fixes`` is given too; an unsafe or ambiguous flag (several ranked
  suggestions) then gets its first, most likely, replacement.

Each flag gives one edit: its span is replaced in the file's own text, found from the
flag's line and column. An edit is made only where the file holds the flagged German
verbatim at that place (not where inline markup, an escape or an entity reference
interrupts it, or where a line break was joined into a space) and where the replacement
needs no escaping in the file's format; edits that overlap an earlier one are left for
the next run, as ruff leaves them for its next pass. Everything else of the file (line
endings, a byte order mark, markup) stays as it is.
"""

from __future__ import annotations

import difflib
import io
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from mtcheck.errors import InputError
from mtcheck.flags.registry import Rule
from mtcheck.model import Flag, Result

_BOM = "\ufeff"
_LINE_END = re.compile(r"\r\n|\r|\n")  # what the readers count as a line end
# Characters a replacement may not hold in a format, because they would need escaping
# there (or, in Markdown, could start markup); such a fix is left for a person.
_NEEDS_ESCAPE = {
    "txt": re.compile(r"[\r\n]"),
    "markdown": re.compile(r"[\r\n*_`\[\]<>\\|]"),
    "jsonl": re.compile(r'[\x00-\x1f"\\]'),
    "xliff": re.compile(r"[\r\n&<>]"),
    "tmx": re.compile(r"[\r\n&<>]"),
}


@dataclass(frozen=True)
class Draft:
    """The draft as the check read it: where it came from and its text."""

    path: Path
    kind: str  # "txt", "markdown", "jsonl", "xliff" or "tmx"
    text: str  # decoded, without a byte order mark
    bom: bool
    stdin: bool  # read from standard input: the corrected text goes to standard output

    def encoded(self, text: str) -> bytes:
        return ((_BOM if self.bom else "") + text).encode("utf-8")


@dataclass(frozen=True)
class Edit:
    start: int  # offsets into Draft.text
    end: int
    replacement: str
    flag: Flag


@dataclass(frozen=True)
class Fixes:
    """What ``--fix`` makes of a draft: the corrected text and what went into it."""

    draft: Draft
    text: str
    applied: tuple[Edit, ...]
    unsafe: int  # fixes that only --unsafe-fixes applies
    left: int  # fixes not applied: overlapping another, or not verbatim in the file

    def diff(self) -> str:
        """A unified diff from the draft to the corrected text ("" when nothing changes)."""
        name = "<stdin>" if self.draft.stdin else str(self.draft.path)
        lines = difflib.unified_diff(
            self.draft.text.splitlines(keepends=True),
            self.text.splitlines(keepends=True),
            fromfile=name,
            tofile=name,
        )
        # A last line without a line end is marked as diff and patch expect.
        return "".join(
            line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
            for line in lines
        )

    def summary(self, *, written: bool) -> str:
        """One sentence on what was (or would be) fixed and what was left."""
        verb = "fixed" if written else "--fix would fix"
        name = "standard input" if self.draft.stdin else str(self.draft.path)
        parts = [f"{verb} {_count(len(self.applied), 'finding')} in {name}"]
        if self.unsafe:
            parts.append(f"{_count(self.unsafe, 'more', 'more')} with --unsafe-fixes")
        if self.left:
            parts.append(
                f"{_count(self.left, 'fix', 'fixes')} left for a person (overlapping another "
                "fix, or not verbatim in the file)"
            )
        return "; ".join(parts) + "."


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number:,} {singular if number == 1 else plural or singular + 's'}"


def read_draft(path: Path, kind: str | None = None) -> Draft:
    """The draft's text, read before the check. Standard input is read here, once, and put
    back as ``sys.stdin`` for the check to read the same bytes."""
    from mtcheck.io.readers import FORMATS, STDIN, input_kind, read_bytes, sniff_format

    stdin = str(path) == STDIN
    if not stdin and input_kind(path) == "stream":
        raise InputError(
            f"{path}: is a pipe, which --fix and --diff cannot read twice; give the draft "
            "as a file, or on standard input as '-'."
        )
    data = read_bytes(path)
    if stdin:
        _put_back(data)
    kind = kind or FORMATS.get(path.suffix.lower()) or sniff_format(data)
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(
            f"{path}: not UTF-8; --fix and --diff rewrite UTF-8 files only (convert it, e.g. "
            "with iconv)."
        ) from None
    return Draft(path, kind, text.removeprefix(_BOM), bom, stdin)


def _put_back(data: bytes) -> None:
    sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")


def fixes(
    draft: Draft, result: Result, rules: Mapping[str, Rule], *, unsafe: bool = False
) -> Fixes:
    """The corrected text of ``draft`` from the flags of ``result`` (a check of it)."""
    edits, unsafe_count, left = _edits(draft, result, rules, unsafe)
    applied: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if applied and edit.start < applied[-1].end:
            last = applied[-1]
            same = (edit.start, edit.end, edit.replacement) == (
                last.start,
                last.end,
                last.replacement,
            )
            left += not same  # two rules asking for the same change are both satisfied
            continue
        applied.append(edit)
    return Fixes(draft, _apply(draft.text, applied), tuple(applied), unsafe_count, left)


def _edits(
    draft: Draft, result: Result, rules: Mapping[str, Rule], unsafe: bool
) -> tuple[list[Edit], int, int]:
    """The edits the flags ask for, how many need --unsafe-fixes, how many can't be placed."""
    starts = _line_starts(draft.text)
    forbidden = _NEEDS_ESCAPE.get(draft.kind, _NEEDS_ESCAPE["txt"])
    edits: list[Edit] = []
    unsafe_count = left = 0
    for document in result.documents:
        for segment_result in document.segments:
            target = segment_result.segment.target
            for flag in segment_result.flags:
                if not flag.suggestions or flag.span[0] >= flag.span[1]:
                    continue  # no replacement offered
                if not (unsafe or _safe(flag, rules.get(flag.rule))):
                    unsafe_count += 1
                    continue
                original = target[flag.span[0] : flag.span[1]]
                replacement = flag.suggestions[0]
                if replacement == original:
                    continue
                start = _offset(starts, flag.line, flag.column)
                verbatim = start is not None and draft.text.startswith(original, start)
                if not verbatim or forbidden.search(replacement):
                    left += 1
                    continue
                edits.append(Edit(start, start + len(original), replacement, flag))
    return edits, unsafe_count, left


def _safe(flag: Flag, rule: Rule | None) -> bool:
    """A fix --fix applies: a safe rule's one and only replacement."""
    return rule is not None and rule.fix == "safe" and len(flag.suggestions) == 1


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in _LINE_END.finditer(text))]


def _offset(starts: list[int], line: int, column: int) -> int | None:
    """Offset in the text of 1-based ``line``:``column``; None where there is no such place."""
    if not 1 <= line <= len(starts) or column < 1:
        return None
    return starts[line - 1] + column - 1


def _apply(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with non-overlapping ``edits`` (sorted by start) made. Built from pieces of
    the original, so every edit's offsets stay those of the text the check read."""
    pieces: list[str] = []
    cursor = 0
    for edit in edits:
        pieces.append(text[cursor : edit.start])
        pieces.append(edit.replacement)
        cursor = edit.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def write_fixed(found: Fixes, inputs: Iterable[tuple[str, object]] = ()) -> None:
    """Replace the draft with the corrected text, atomically, or print it when the draft
    came from standard input. Refused when the file changed since it was read, so an edit
    made meanwhile is never lost."""
    from mtcheck.io.readers import read_bytes
    from mtcheck.io.write import STDOUT, write_bytes

    draft = found.draft
    data = draft.encoded(found.text)
    if draft.stdin:
        sys.stdout.flush()
        write_bytes(STDOUT, data)
        _put_back(data)  # the report that follows checks the corrected text
        return
    if read_bytes(draft.path) != draft.encoded(draft.text):
        raise InputError(
            f"{draft.path}: changed while it was being checked; nothing was written, run "
            "the check again."
        )
    if not found.applied:
        return
    others = [(label, path) for label, path in inputs if str(path) != str(draft.path)]
    write_bytes(draft.path, data, inputs=others, what="the corrected draft")
