"""Streaming readers for segment tables: JSONL, TSV/CSV and Parquet.

Each row of a table is one segment: ``target`` (German, required), ``id`` and
``reference`` (English) optional, every other column kept as metadata; other column
names, MQM annotation tables (one row per error) and markup are handled as
:mod:`mtcheck.io.columns` says. Rows are read one at a time (a line of JSONL, a record
of CSV, a record batch of Parquet; an MQM table a doc at a time), so no reader holds a
whole file. Metadata values keep their types, so that the same table gives the same
segments in every format: text, whole numbers, numbers and booleans as they are (in
CSV/TSV, as :func:`~mtcheck.io.columns.typed_text` reads them), lists and objects as
JSON text, missing values as null.

A problem is an :class:`~mtcheck.errors.InputError` that names the file and the line
(JSONL, CSV/TSV: physical line; Parquet: 1-based row).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any

from mtcheck.errors import InputError
from mtcheck.io.columns import (
    DOC_COLUMN,
    SYSTEM_COLUMN,
    Layout,
    MetaValue,
    Record,
    TableColumns,
    describe,
    has_mqm_spans,
    merge_segments,
    resolve,
    typed_text,
)
from mtcheck.io.readers import json_record, open_input, unreadable

TABLE_FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
# Columns of the output that an input's metadata column may not reuse.
RESERVED = frozenset(
    {"id", "target", "reference", "backtranslation", "chrf", "bleu", "ter", "adequacy", "flags"}
)
PARQUET_BATCH = 1024
NO_COLUMNS = TableColumns()
# First records searched for MQM error-span markup, for the note that suggests removing it.
MARKUP_PEEK = 200


@dataclass(frozen=True)
class Row:
    """One segment of an input table."""

    path: str
    line: int  # line of the record (JSONL, CSV/TSV) or 1-based row (Parquet)
    id: str
    target: str
    reference: str | None
    meta: tuple[tuple[str, MetaValue], ...]  # metadata columns in table order
    # The alignment link of a row cut from a German document ("1-1", "1-0", …), so that the
    # alignment rules (addition) judge it as check does; None for table rows.
    alignment: str | None = None

    def get(self, column: str) -> MetaValue:
        for name, value in self.meta:
            if name == column:
                return value
        return None

    def run_key(self) -> tuple | None:
        """Rows with one key that follow each other are a document run: one file's rows of
        one ``doc``, and of one ``system`` where there is that column (a table that lists
        each document's segments system by system must not mix systems in a document).
        None: the row is a document of its own."""
        doc = self.get(DOC_COLUMN)
        if doc is None or doc == "":
            return None
        return (self.path, self.get(SYSTEM_COLUMN), doc)


def table_format(path: Path) -> str:
    kind = TABLE_FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InputError(
            f"{path}: unsupported file type {path.suffix or '(none)'!r} for audit; use a "
            "segment table in .jsonl, .tsv, .csv or .parquet (columns id, target, reference)."
        )
    return kind


def read_rows(
    path: Path, stream: IO[bytes] | None = None, columns: TableColumns = NO_COLUMNS
) -> Iterator[Row]:
    """Rows of one table, lazily. ``stream`` (binary) replaces opening ``path`` (not for
    Parquet); ``columns``: the column options (see :mod:`mtcheck.io.columns`)."""
    path = Path(path)
    kind = table_format(path)
    records = _records(path, kind, stream)
    first = next(records, None)
    if first is None:
        return
    layout = _layout(path, kind, first, columns)
    strip = columns.stripper()
    infer = kind != "jsonl" and kind != "parquet"
    for line, where, record in merge_segments(path, chain([first], records), layout):
        yield _row(path, line, record, where, layout, strip, infer)


def _records(path: Path, kind: str, stream: IO[bytes] | None = None) -> Iterator[Record]:
    """``(line, where, record)`` of every record of the table, as the file holds them."""
    if kind == "parquet":
        yield from _parquet_records(path)
    elif stream is not None:
        yield from _records_from_stream(path, kind, stream)
    else:
        with open_input(path) as handle:
            yield from _records_from_stream(path, kind, handle)


def _records_from_stream(path: Path, kind: str, stream: IO[bytes]) -> Iterator[Record]:
    if kind == "jsonl":
        yield from _jsonl_records(path, stream)
    else:
        yield from _delimited_records(path, stream, "\t" if kind == "tsv" else ",")


def _layout(path: Path, kind: str, first: Record, columns: TableColumns) -> Layout:
    """The layout of a table whose first record is ``first``."""
    if kind == "parquet":
        return resolve(str(path), list(first[2]), columns, "the schema", complete=True)
    if kind == "jsonl":
        context, place = f"{path}:{first[0]}", "the first record"
    else:
        context, place = f"{path}:1", "the header"
    return resolve(context, list(first[2]), columns, place, complete=kind != "jsonl")


def check_header(path: Path, group_by: str | None, columns: TableColumns = NO_COLUMNS) -> None:
    """Fail early on a table without its target column, or a column that ``columns`` names,
    or the ``--group-by`` column: looks at the header (CSV/TSV), the schema (Parquet) or
    the first record (JSONL)."""
    path = Path(path)
    kind = table_format(path)
    if kind == "parquet":
        names = _parquet_file(path).schema_arrow.names
        layout = resolve(str(path), names, columns, "the schema", complete=True)
        where = "the schema"
    else:
        first = next(_records(path, kind), None)
        if first is None:
            raise InputError(f"{path}: the table holds no rows; give at least one segment.")
        names = list(first[2])
        layout = _layout(path, kind, first, columns)
        where = f"line {first[0]} (the first record)" if kind == "jsonl" else "the header"
    if group_by is not None and group_by in layout.dropped:
        raise InputError(
            f"{path}: --group-by {group_by!r} names a per-error column of an MQM table, left "
            "out when its rows are merged into segments; group by a column such as 'system'."
        )
    if group_by is not None and group_by not in names:
        raise InputError(
            f"{path}: no {group_by!r} column in {where} for --group-by; "
            "name a column every input has."
        )


def table_notes(path: Path, columns: TableColumns = NO_COLUMNS) -> list[str]:
    """What a user should know about how the table is read: the English reference taken
    from ``source``/``src``, MQM rows merged (see :func:`mtcheck.io.columns.describe`)."""
    path = Path(path)
    first_records = list(islice(_records(path, table_format(path)), MARKUP_PEEK))
    if not first_records:
        return []
    layout = _layout(path, table_format(path), first_records[0], columns)
    marked = any(has_mqm_spans(record, layout) for _line, _where, record in first_records)
    return describe(path.name, layout, columns, marked)


def text_value(value: Any) -> str | None:
    """A metadata value as text (None stays None)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isnan(value):
        return None
    if not isinstance(value, list | tuple | dict):
        return str(value)  # numbers as Python writes them; dates, decimals as text
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return str(value)


def meta_value(value: Any, infer: bool) -> MetaValue:
    """A metadata value as the segment keeps it (``infer``: a CSV/TSV field, whose type its
    text tells)."""
    if isinstance(value, str):
        return typed_text(value) if infer else value
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    return text_value(value)


def _row(
    path: Path, line: int, record: dict[str, Any], where: str, layout: Layout, strip, infer: bool
) -> Row:
    target = record.get(layout.target)
    if not isinstance(target, str):
        name = repr(layout.target)
        problem = f"no {name}" if target is None else f"a {name} that is not text"
        raise InputError(f"{path}:{where}: the record has {problem}; every row needs {name}.")
    reference = record.get(layout.reference) if layout.reference is not None else None
    if reference is not None and not isinstance(reference, str):
        raise InputError(f"{path}:{where}: {layout.reference!r} must be text or empty.")
    if strip is not None:
        target = strip(target)
        reference = strip(reference) if reference is not None else None
    if reference is not None and not reference.strip():
        reference = None
    raw_id = record.get(layout.id)
    if raw_id is None or raw_id == "":
        record_id = f"{path.name}:{line}"
    elif isinstance(raw_id, str) or (isinstance(raw_id, int) and not isinstance(raw_id, bool)):
        record_id = str(raw_id)
    else:
        raise InputError(f"{path}:{where}: {layout.id!r} must be text or a whole number.")
    mapped = (layout.target, layout.reference, layout.id, *layout.dropped)
    meta = []
    for name, value in record.items():
        if name in mapped:
            continue
        if name in RESERVED:
            raise InputError(
                f"{path}:{where}: column {name!r} clashes with an output column of the "
                "audit; rename it."
            )
        meta.append((str(name), meta_value(value, infer)))
    return Row(str(path), line, record_id, target, reference, tuple(meta))


def _jsonl_records(path: Path, stream: IO[bytes]) -> Iterator[Record]:
    for number, raw in enumerate(stream, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(
                f"{path}:{number}: not valid UTF-8; convert the file to UTF-8, e.g. with iconv."
            ) from None
        if number == 1:
            line = line.removeprefix("\ufeff")
        if not line.strip():
            continue
        yield number, str(number), json_record(path, number, line, "target")


class _Lines(io.TextIOBase):
    """Text lines from a binary stream, decoded one at a time with the line number at hand
    (so a decoding error names its line)."""

    def __init__(self, path: Path, stream: IO[bytes]) -> None:
        self._path = path
        self._stream = stream
        self.number = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        raw = self._stream.readline()
        if not raw:
            raise StopIteration
        self.number += 1
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(
                f"{self._path}:{self.number}: not valid UTF-8; convert the file to UTF-8."
            ) from None
        return text.removeprefix("\ufeff") if self.number == 1 else text


def _delimited_records(path: Path, stream: IO[bytes], delimiter: str) -> Iterator[Record]:
    lines = _Lines(path, stream)
    if delimiter == "\t":
        reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE, strict=True)
    else:
        reader = csv.reader(lines, delimiter=",", strict=True)
    try:
        header = next(reader, None)
        if header is None:
            return
        header = [name.strip() for name in header]
        if len(set(header)) != len(header):
            raise InputError(f"{path}:1: the header names a column twice; rename one.")
        start = lines.number + 1
        for fields in reader:
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                start = lines.number + 1
                continue
            if len(fields) != len(header):
                raise InputError(
                    f"{path}:{start}: {len(fields)} fields where the header has "
                    f"{len(header)}; check the quoting and the delimiter."
                )
            yield start, str(start), dict(zip(header, fields, strict=True))
            start = lines.number + 1
    except csv.Error as error:
        raise InputError(f"{path}:{lines.number}: malformed record ({error}).") from None


def _parquet_file(path: Path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except FileNotFoundError as error:
        raise unreadable(path, error) from None
    except (OSError, pa.ArrowException) as error:
        raise InputError(f"{path}: not a readable Parquet file ({error}).") from None


def _parquet_records(path: Path) -> Iterator[Record]:
    import pyarrow as pa

    table = _parquet_file(path)
    number = 0
    try:
        for batch in table.iter_batches(batch_size=PARQUET_BATCH):
            for record in batch.to_pylist():
                number += 1
                yield number, f"row {number}", record
    except (OSError, pa.ArrowException) as error:
        raise InputError(f"{path}: row {number + 1}: cannot be read ({error}).") from None
