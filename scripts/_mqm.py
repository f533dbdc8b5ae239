"""Shared helpers of the flag measurement scripts (eval_flags, perturb, bench_flags,
rank_systems): the two expert MQM annotation sets of English->German, read in place from
``../shared/data/`` (relative to the repository root), never from a copy.

- TED talks (``mqm-ted-ende/mqm_ted_ende.dev.tsv``): one rater a segment, one sentence a
  segment. Columns ``doc`` (``talk.1``) names the document, ``doc_id`` is the segment's
  number inside it and ``seg_id`` is global.
- WMT 2023 general news (``mqm-general2023-ende/mqm_general2023_ende.dev.tsv``): three
  raters a segment, one paragraph a segment. ``docSegId`` is the segment's number inside
  its document, ``globalSegId`` is global.

Both files have one row per error (per rater); the erroneous span is marked ``<v>...</v>``
in the ``target`` column, and a rater who found no error gives a single ``No-error`` row.
Rows of one segment repeat the target with different marked spans. Both are read by the
same code into :class:`MqmSegment`; an :class:`MqmLayout` says how a file names its
columns. Rows whose severity is ``HOTW-test`` (the WMT raters' attention checks,
categories ``Found``/``Missed``) are counted as rows but are not errors. Error rows that
mark their span in the source (``Source issue``, omissions in WMT 2023) have no target
span. When two rows of a segment spell its target differently only in trailing
whitespace (one WMT 2023 segment, where a marker encloses a final space), the first
spelling is kept and the other row's spans are clipped to it.
"""

from __future__ import annotations

import csv
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from _bench import format_table  # noqa: F401  (the scripts' one table printer)

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
DEFAULT_DATA = SHARED_DATA / "mqm-ted-ende"
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
DEFAULT_WMT23_DATA = SHARED_DATA / "mqm-general2023-ende"
WMT23_TSV_NAME = "mqm_general2023_ende.dev.tsv"
WMT23_COLUMNS = (
    "system",
    "doc",
    "docSegId",
    "globalSegId",
    "rater",
    "source",
    "target",
    "category",
    "severity",
)
# (data rows, system-segments) of the files whose size we know (READMEs of the data).
EXPECTED_COUNTS = {TSV_NAME: (3882, 3374), WMT23_TSV_NAME: (5801, 620)}

NO_ERROR = "No-error"
QUALITY_CHECK = "HOTW-test"  # severity of the WMT raters' attention-check rows
OPEN, CLOSE = "<v>", "</v>"
# Straight and typographic quotation marks (German, English, French, single and double).
QUOTATION_MARKS = frozenset("\"'\u201e\u201c\u201d\u201a\u2018\u2019\u00ab\u00bb\u203a\u2039")

Span = tuple[int, int]


class DataError(Exception):
    """The MQM file is missing or not what this script expects."""


@dataclass(frozen=True)
class MqmLayout:
    """How one MQM file names its columns, where it lives, and the option that moves it."""

    label: str  # for reports, e.g. "MQM TED en-de"
    file_name: str  # the TSV inside the data folder
    default_data: Path  # the folder holding it
    columns: tuple[str, ...]  # the header, in order
    doc_id: str  # column: the segment's position in its document
    seg_id: str  # column: the segment id, with system and doc the segment's key
    option: str  # the command-line option that names the folder or file


TED = MqmLayout(
    label="MQM TED en-de",
    file_name=TSV_NAME,
    default_data=DEFAULT_DATA,
    columns=COLUMNS,
    doc_id="doc_id",
    seg_id="seg_id",
    option="--data",
)
WMT23 = MqmLayout(
    label="MQM WMT23 general en-de",
    file_name=WMT23_TSV_NAME,
    default_data=DEFAULT_WMT23_DATA,
    columns=WMT23_COLUMNS,
    doc_id="docSegId",
    seg_id="globalSegId",
    option="--data-wmt23",
)


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


def is_quotation_span(text: str) -> bool:
    """Whether a marked text is a quotation-mark error: it holds at least one quotation
    mark (``QUOTATION_MARKS``: " ' and the typographic ones) and nothing else but
    whitespace and punctuation (Unicode category P*), so no letter, digit or symbol.
    ``"``, `` "``, ``."`` and ``„`` are; ``"ja"``, ``-``, ``.`` and an empty (omission)
    span are not."""
    return any(c in QUOTATION_MARKS for c in text) and all(
        c in QUOTATION_MARKS or c.isspace() or unicodedata.category(c).startswith("P") for c in text
    )


@dataclass(frozen=True)
class MqmError:
    category: str
    severity: str
    span: Span | None  # None for an error row with no marked target span
    rater: str = ""


@dataclass
class MqmSegment:
    """One system's translation of one segment, with the errors of all its raters."""

    system: str
    doc: str
    doc_id: int  # position in the document
    seg_id: str
    source: str  # plain English, markers removed
    target: str  # plain German, markers removed
    errors: list[MqmError] = field(default_factory=list)
    raters: set[str] = field(default_factory=set)  # every rater with a row
    no_error_raters: set[str] = field(default_factory=set)  # raters with a No-error row
    rows: int = 0

    @property
    def key(self) -> tuple[str, str, str]:
        return self.system, self.doc, self.seg_id

    @property
    def rater(self) -> str:
        """The raters' names, sorted and joined with ``+`` (one name for TED)."""
        return "+".join(sorted(self.raters))

    @property
    def clean(self) -> bool:
        """Every rater of the segment said ``No-error`` and none marked an error."""
        return not self.errors and self.no_error_raters == self.raters

    def spans(self, prefix: str = "") -> list[Span]:
        """Marked spans of the errors whose category starts with ``prefix``, one per rater's
        error row (two raters marking the same words give two spans)."""
        return [e.span for e in self.errors if e.span is not None and e.category.startswith(prefix)]

    def text(self, span: Span) -> str:
        """The target text of ``span``."""
        return self.target[span[0] : span[1]]


class MqmRow(NamedTuple):
    """One data row, whatever the file calls its columns."""

    system: str
    doc: str
    doc_id: str
    seg_id: str
    rater: str
    source: str
    target: str
    category: str
    severity: str


def read_row(row: Sequence[str], number: int, layout: MqmLayout) -> MqmRow:
    """The named fields of data row ``row`` (line ``number`` of the file)."""
    if len(row) != len(layout.columns):
        raise DataError(f"line {number}: {len(row)} fields, expected {len(layout.columns)}")
    record = dict(zip(layout.columns, row, strict=True))
    return MqmRow(
        *(record[name] for name in ("system", "doc", layout.doc_id, layout.seg_id)),
        *(record[name] for name in ("rater", "source", "target", "category", "severity")),
    )


def new_segment(row: MqmRow, number: int, target: str) -> MqmSegment:
    source, _ = parse_marked(row.source)
    try:
        doc_id = int(row.doc_id)
    except ValueError:
        raise DataError(f"line {number}: segment position {row.doc_id!r} is no number") from None
    return MqmSegment(row.system, row.doc, doc_id, row.seg_id, source, target)


def clip(span: Span, length: int) -> Span:
    return min(span[0], length), min(span[1], length)


def row_spans(segment: MqmSegment, target: str, spans: list[Span], number: int) -> list[Span]:
    """``spans`` of a row whose plain target is ``target``, as spans of ``segment.target``:
    the same target, or one that differs only in trailing whitespace (spans clipped)."""
    if target == segment.target:
        return spans
    if target.rstrip() != segment.target.rstrip():
        raise DataError(f"line {number}: segment {segment.key} has two different targets")
    return [clip(span, len(segment.target)) for span in spans]


def add_row(segment: MqmSegment, row: MqmRow, spans: list[Span], number: int) -> None:
    """Count one row of ``segment``: its rater, and its error unless it is No-error or an
    attention check."""
    segment.rows += 1
    segment.raters.add(row.rater)
    if row.severity == QUALITY_CHECK:
        return
    if row.category == NO_ERROR:
        segment.no_error_raters.add(row.rater)
        return
    if len(spans) > 1:
        raise DataError(f"line {number}: {len(spans)} marked spans in one error row")
    span = spans[0] if spans else None
    segment.errors.append(MqmError(row.category, row.severity, span, row.rater))


def parse_rows(
    rows: Iterable[Sequence[str]], layout: MqmLayout = TED
) -> tuple[list[MqmSegment], int]:
    """Segments (in file order of first appearance) from data rows, and the row count."""
    segments: dict[tuple[str, str, str], MqmSegment] = {}
    count = 0
    for number, fields in enumerate(rows, start=2):
        count += 1
        row = read_row(fields, number, layout)
        target, spans = parse_marked(row.target)
        key = (row.system, row.doc, row.seg_id)
        segment = segments.get(key)
        if segment is None:
            segment = segments[key] = new_segment(row, number, target)
        add_row(segment, row, row_spans(segment, target, spans, number), number)
    return list(segments.values()), count


def locate(data: Path, layout: MqmLayout = TED) -> Path:
    """The MQM file of ``data`` (the folder holding ``layout.file_name``, or the file)."""
    path = data / layout.file_name if data.is_dir() else data
    if not path.is_file():
        raise DataError(
            f"MQM data not found at {path}: pass {layout.option} with the folder that holds "
            f"{layout.file_name} (default {layout.default_data})."
        )
    return path


def check_counts(path: Path, rows: int, segments: int) -> None:
    """Raise ``DataError`` when a file of known size has other counts than its README's."""
    expected = EXPECTED_COUNTS.get(path.name)
    if expected is not None and (rows, segments) != expected:
        raise DataError(
            f"{path}: parsed {rows} rows and {segments} segments, expected "
            f"{expected[0]} and {expected[1]}"
        )


def load_mqm(data: Path, layout: MqmLayout = TED) -> list[MqmSegment]:
    """The MQM segments of ``data`` (a folder holding ``layout.file_name``, or the file).

    Raises ``DataError`` when the file is absent or its counts are not the known ones.
    """
    path = locate(data, layout)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None or tuple(header) != layout.columns:
            raise DataError(f"{path}: unexpected header {header!r}")
        segments, rows = parse_rows(reader, layout)
    check_counts(path, rows, len(segments))
    return segments


def load_or_exit(data: Path, layout: MqmLayout = TED) -> list[MqmSegment]:
    try:
        return load_mqm(data, layout)
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
    """A ``mtcheck.model.Segment`` for one sentence, as if it were paragraph ``index``: a 1-1
    link with its reference, or, without one, unaligned as ``check`` leaves a draft that has
    no reference (a 1-0 link would be a German sentence the English lacks)."""
    from mtcheck.model import Segment

    return Segment(
        id=id or str(index),
        paragraph=index,
        target=target,
        reference=reference,
        alignment="1-1" if reference is not None else None,
        start=0,
        line=index,
        column=1,
    )


def ratio(part: int, whole: int) -> str:
    """``part/whole`` as a percentage with one decimal, or ``-`` when ``whole`` is 0."""
    return f"{100.0 * part / whole:.1f}%" if whole else "-"


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
