"""Streaming readers for segment tables: JSONL, TSV/CSV and Parquet.

Each row of a table is one segment: ``target`` (German, required), ``id`` and
``reference`` (English) optional, every other column kept as metadata. Rows are read one
at a time (a line of JSONL, a record of CSV, a record batch of Parquet), so no reader
holds a whole file. Metadata values are kept as text, so that the same table gives the
same segments in every format: numbers as Python writes them (``3``, ``1.5``), booleans
as ``true``/``false``, lists and objects as JSON, missing values as null.

A problem is an :class:`~mtcheck.errors.InputError` that names the file and the line
(JSONL, CSV/TSV: physical line; Parquet: 1-based row).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from mtcheck.errors import InputError
from mtcheck.io.readers import json_record, open_input

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


@dataclass(frozen=True)
class Row:
    """One segment of an input table."""

    path: str
    line: int  # line of the record (JSONL, CSV/TSV) or 1-based row (Parquet)
    id: str
    target: str
    reference: str | None
    meta: tuple[tuple[str, str | None], ...]  # metadata columns in table order
    # The alignment link of a row cut from a German document ("1-1", "1-0", …), so that the
    # alignment rules (addition) judge it as check does; None for table rows.
    alignment: str | None = None

    def get(self, column: str) -> str | None:
        for name, value in self.meta:
            if name == column:
                return value
        return None


def table_format(path: Path) -> str:
    kind = TABLE_FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InputError(
            f"{path}: unsupported file type {path.suffix or '(none)'!r} for audit; use a "
            "segment table in .jsonl, .tsv, .csv or .parquet (columns id, target, reference)."
        )
    return kind


def read_rows(path: Path, stream: IO[bytes] | None = None) -> Iterator[Row]:
    """Rows of one table, lazily. ``stream`` (binary) replaces opening ``path`` (not for
    Parquet)."""
    path = Path(path)
    kind = table_format(path)
    if kind == "parquet":
        yield from _parquet_rows(path)
        return
    if stream is not None:
        yield from _rows_from_stream(path, kind, stream)
        return
    with open_input(path) as handle:
        yield from _rows_from_stream(path, kind, handle)


def _rows_from_stream(path: Path, kind: str, stream: IO[bytes]) -> Iterator[Row]:
    if kind == "jsonl":
        yield from _jsonl_rows(path, stream)
    else:
        yield from _delimited_rows(path, stream, "\t" if kind == "tsv" else ",")


def check_header(path: Path, group_by: str | None) -> None:
    """Fail early on a table without ``target`` (or without the ``--group-by`` column):
    looks at the header (CSV/TSV), the schema (Parquet) or the first record (JSONL)."""
    path = Path(path)
    kind = table_format(path)
    if kind == "parquet":
        names = _parquet_file(path).schema_arrow.names
        where = "the schema"
    else:
        first = next(read_rows(path), None)
        if first is None:
            raise InputError(f"{path}: the table holds no rows; give at least one segment.")
        if kind == "jsonl":
            names = ["target", *(name for name, _ in first.meta)]
            where = f"line {first.line} (the first record)"
        else:
            names = ["target", *(name for name, _ in first.meta)]
            where = "the header"
    if "target" not in names:
        raise InputError(f"{path}: no 'target' column in {where}; every row needs 'target'.")
    if group_by is not None and group_by not in names:
        raise InputError(
            f"{path}: no {group_by!r} column in {where} for --group-by; "
            "name a column every input has."
        )


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
    if isinstance(value, int | float):
        return str(value)
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return str(value)


def _row(path: Path, line: int, record: dict[str, Any], where: str) -> Row:
    target = record.get("target")
    if not isinstance(target, str):
        problem = "no 'target'" if target is None else "a 'target' that is not text"
        raise InputError(f"{path}:{where}: the record has {problem}; every row needs 'target'.")
    reference = record.get("reference")
    if reference is not None and not isinstance(reference, str):
        raise InputError(f"{path}:{where}: 'reference' must be text or empty.")
    if reference is not None and not reference.strip():
        reference = None
    raw_id = record.get("id")
    if raw_id is None or raw_id == "":
        record_id = f"{path.name}:{line}"
    elif isinstance(raw_id, str) or (isinstance(raw_id, int) and not isinstance(raw_id, bool)):
        record_id = str(raw_id)
    else:
        raise InputError(f"{path}:{where}: 'id' must be text or a whole number.")
    meta = []
    for name, value in record.items():
        if name in ("id", "target", "reference"):
            continue
        if name in RESERVED:
            raise InputError(
                f"{path}:{where}: column {name!r} clashes with an output column of the "
                "audit; rename it."
            )
        meta.append((str(name), text_value(value)))
    return Row(str(path), line, record_id, target, reference, tuple(meta))


def _jsonl_rows(path: Path, stream: IO[bytes]) -> Iterator[Row]:
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
        record = json_record(path, number, line, "target")
        yield _row(path, number, record, str(number))


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


def _delimited_rows(path: Path, stream: IO[bytes], delimiter: str) -> Iterator[Row]:
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
        if "target" not in header:
            raise InputError(
                f"{path}:1: no 'target' column in the header; every row needs 'target'."
            )
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
            yield _row(path, start, dict(zip(header, fields, strict=True)), str(start))
            start = lines.number + 1
    except csv.Error as error:
        raise InputError(f"{path}:{lines.number}: malformed record ({error}).") from None


def _parquet_file(path: Path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path.") from None
    except (OSError, pa.ArrowException) as error:
        raise InputError(f"{path}: not a readable Parquet file ({error}).") from None


def _parquet_rows(path: Path) -> Iterator[Row]:
    import pyarrow as pa

    table = _parquet_file(path)
    if "target" not in table.schema_arrow.names:
        raise InputError(f"{path}: no 'target' column in the schema; every row needs 'target'.")
    number = 0
    try:
        for batch in table.iter_batches(batch_size=PARQUET_BATCH):
            for record in batch.to_pylist():
                number += 1
                yield _row(path, number, record, f"row {number}")
    except (OSError, pa.ArrowException) as error:
        raise InputError(f"{path}: row {number + 1}: cannot be read ({error}).") from None


def read_inputs(paths: Iterable[Path], pairs: Iterable[tuple[str, str]] = ()) -> Iterator[Row]:
    """The rows of every input, in order: tables, and XLIFF, TMX, German documents and
    directories of them (see :mod:`mtcheck.audit.inputs`; ``pairs`` are the ``--pair``
    patterns for directories)."""
    from mtcheck.audit.inputs import expand_inputs, read_sources

    yield from read_sources(expand_inputs(paths, tuple(pairs)))
