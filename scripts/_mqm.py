"""Shared helpers of the flag measurement scripts (eval_flags, perturb, bench_flags).

Reads the expert MQM annotations of TED talks, English->German, in place from
``../shared/data/mqm-ted-ende/`` (relative to the repository root), never from a copy.

The file has one row per error; the erroneous span is marked ``<v>...</v>`` in the
``target`` column, and a segment without errors has a single ``No-error`` row. Rows of one
segment repeat the target with different marked spans. Columns ``doc`` (``talk.1``) names
the document and ``doc_id`` is the segment's number inside it (``seg_id`` is global).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "mqm-ted-ende"
TSV_NAME = "mqm_ted_ende.dev.tsv"
COLUMNS = (
    "system",
    "doc",
    "doc_id",
    "seg_id",
    "rater",
    "source",
    "target",
    "category",
    "severity",
    "comment",
)
# (data rows, system-segments) of the files whose size we know (README of the data).
EXPECTED_COUNTS = {TSV_NAME: (3882, 3374)}

OPEN, CLOSE = "<v>", "</v>"

Span = tuple[int, int]


class DataError(Exception):
    """The MQM file is missing or not what this script expects."""


def parse_marked(text: str) -> tuple[str, list[Span]]:
    """The plain text of ``text`` without ``<v>``/``</v>`` markers, and the marked spans as
    (start, end) offsets into that plain text. An empty ``<v></v>`` (an omission marker)
    gives a zero-width span. Unbalanced markers raise ``DataError``."""
    plain: list[str] = []
    spans: list[Span] = []
    length = 0
    open_at: int | None = None
    position = 0
    while position < len(text):
        if text.startswith(OPEN, position):
            if open_at is not None:
                raise DataError(f"nested <v> in {text!r}")
            open_at = length
            position += len(OPEN)
        elif text.startswith(CLOSE, position):
            if open_at is None:
                raise DataError(f"</v> without <v> in {text!r}")
            spans.append((open_at, length))
            open_at = None
            position += len(CLOSE)
        else:
            plain.append(text[position])
            length += 1
            position += 1
    if open_at is not None:
        raise DataError(f"<v> without </v> in {text!r}")
    return "".join(plain), spans


def overlaps(a: Span, b: Span) -> bool:
    """Whether two half-open character ranges share a character.

    A zero-width range (an omission marker at position p) overlaps a range that contains
    or touches p (start <= p <= end); two zero-width ranges overlap when they are equal.
    """
    (a_start, a_end), (b_start, b_end) = a, b
    if a_start == a_end and b_start == b_end:
        return a_start == b_start
    if a_start == a_end:
        return b_start <= a_start <= b_end
    if b_start == b_end:
        return a_start <= b_start <= a_end
    return a_start < b_end and b_start < a_end


def overlaps_any(span: Span, others: Iterable[Span]) -> bool:
    return any(overlaps(span, other) for other in others)


@dataclass(frozen=True)
class MqmError:
    category: str
    severity: str
    span: Span | None  # None for an error row with no marked span


@dataclass
class MqmSegment:
    system: str
    doc: str
    doc_id: int  # position in the document
    seg_id: str
    rater: str
    source: str  # plain English, markers removed
    target: str  # plain German, markers removed
    errors: list[MqmError] = field(default_factory=list)
    rows: int = 0

    @property
    def key(self) -> tuple[str, str, str]:
        return self.system, self.doc, self.seg_id

    @property
    def clean(self) -> bool:
        """Every row of the segment is ``No-error``."""
        return not self.errors

    def spans(self, prefix: str = "") -> list[Span]:
        """Marked spans of the errors whose category starts with ``prefix``."""
        return [e.span for e in self.errors if e.span is not None and e.category.startswith(prefix)]


def parse_rows(rows: Iterable[Sequence[str]]) -> tuple[list[MqmSegment], int]:
    """Segments (in file order of first appearance) from data rows, and the row count."""
    segments: dict[tuple[str, str, str], MqmSegment] = {}
    count = 0
    for number, row in enumerate(rows, start=2):
        count += 1
        if len(row) != len(COLUMNS):
            raise DataError(f"line {number}: {len(row)} fields, expected {len(COLUMNS)}")
        record = dict(zip(COLUMNS, row, strict=True))
        target, spans = parse_marked(record["target"])
        source, _ = parse_marked(record["source"])
        key = (record["system"], record["doc"], record["seg_id"])
        segment = segments.get(key)
        if segment is None:
            segment = segments[key] = MqmSegment(
                system=record["system"],
                doc=record["doc"],
                doc_id=int(record["doc_id"]),
                seg_id=record["seg_id"],
                rater=record["rater"],
                source=source,
                target=target,
            )
        elif segment.target != target:
            raise DataError(f"line {number}: segment {key} has two different targets")
        segment.rows += 1
        if record["category"] == "No-error":
            continue
        if len(spans) > 1:
            raise DataError(f"line {number}: {len(spans)} marked spans in one error row")
        segment.errors.append(
            MqmError(record["category"], record["severity"], spans[0] if spans else None)
        )
    return list(segments.values()), count


def load_mqm(data: Path) -> list[MqmSegment]:
    """The MQM segments of ``data`` (a folder holding ``mqm_ted_ende.dev.tsv``, or the file).

    Raises ``DataError`` when the file is absent or its counts are not the known ones.
    """
    path = data / TSV_NAME if data.is_dir() else data
    if not path.is_file():
        raise DataError(
            f"MQM data not found at {path}: pass --data with the folder that holds "
            f"{TSV_NAME} (default {DEFAULT_DATA})."
        )
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None or tuple(header) != COLUMNS:
            raise DataError(f"{path}: unexpected header {header!r}")
        segments, rows = parse_rows(reader)
    expected = EXPECTED_COUNTS.get(path.name)
    if expected is not None and (rows, len(segments)) != expected:
        raise DataError(
            f"{path}: parsed {rows} rows and {len(segments)} segments, expected "
            f"{expected[0]} and {expected[1]}"
        )
    return segments


def load_or_exit(data: Path) -> list[MqmSegment]:
    try:
        return load_mqm(data)
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)


def documents(segments: Iterable[MqmSegment]) -> list[list[MqmSegment]]:
    """Segments grouped into documents by (system, doc), each in document order."""
    grouped: dict[tuple[str, str], list[MqmSegment]] = {}
    for segment in segments:
        grouped.setdefault((segment.system, segment.doc), []).append(segment)
    return [sorted(group, key=lambda s: s.doc_id) for _, group in sorted(grouped.items())]


def make_segment(index: int, target: str, reference: str | None, id: str | None = None):
    """A ``mtcheck.model.Segment`` for one sentence, as if it were paragraph ``index``."""
    from mtcheck.model import Segment

    return Segment(
        id=id or str(index),
        paragraph=index,
        target=target,
        reference=reference,
        alignment="1-1" if reference is not None else "1-0",
        start=0,
        line=index,
        column=1,
    )


def ratio(part: int, whole: int) -> str:
    """``part/whole`` as a percentage with one decimal, or ``-`` when ``whole`` is 0."""
    return f"{100.0 * part / whole:.1f}%" if whole else "-"


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table: first column left-aligned, the others right-aligned."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        parts = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])
