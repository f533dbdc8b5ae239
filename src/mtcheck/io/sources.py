"""What ``mtcheck audit`` reads: segment tables, XLIFF and TMX files, and German documents
paired with their English references, named one by one or found in directories.

Every input becomes a :class:`Source`, and every source a stream of
:class:`~mtcheck.io.tables.Row` objects:

- a segment table (.jsonl, .tsv, .csv, .parquet): one row a segment (``tables``), its
  columns named by the column options (:class:`~mtcheck.io.columns.TableColumns`:
  ``--target-column``, ``--reference-column``, ``--id-column``, ``--strip-tag``), which
  apply to tables only;
- XLIFF 1.2/2.x (.xlf, .xliff) and TMX (.tmx): one row a translation unit with a German
  target, as ``check`` reads it: ``id`` the unit id (``<file>/<unit>`` where an XLIFF file
  has several ``<file>`` elements) or the TMX ``tuid`` (else the unit's number),
  ``reference`` the English source, ``doc`` the file's name (``NAME#FILE`` for each
  ``<file>`` of an XLIFF file that has several). Parsed a chunk at a time, never held
  whole;
- a German document (.txt, .md; in a directory also .jsonl, as ``check`` reads them) with
  its English reference: split into sentences and aligned as ``check`` does without
  back-translations, one row per German segment: ``id`` ``NAME:LINE:COLUMN`` (where the
  segment starts in the German file), ``reference`` the aligned English (null for German
  without English counterpart, or without a reference file), ``doc`` NAME. English with
  no German counterpart gives no row. One document is held at a time.

NAME is a file's path below the directory given, or the file name of a file named on
the command line (as a table's default ids use it). The rows of one file (of one XLIFF
``<file>``) are one document run for the document-level rules (see :mod:`mtcheck.audit.batching`).

In a directory, the German documents are the files ``NAME.de.EXT`` (EXT one of .txt,
.text, .md, .markdown, .jsonl, .ndjson) at any depth, each paired with ``NAME.en.EXT``
beside it, or else the files that ``--pair GLOB=TEMPLATE`` patterns find (as in the
``pairs`` of ``[tool.mtcheck.gate]``, relative to the directory); every XLIFF and TMX file
in it is read too. A German document without its reference file is audited without
references. Other files are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from mtcheck import pipeline
from mtcheck.errors import ConfigError, InputError
from mtcheck.io.columns import TableColumns
from mtcheck.io.pairs import Pair, pair_files
from mtcheck.io.readers import ensure_readable, open_input
from mtcheck.io.tables import (
    NO_COLUMNS,
    TABLE_FORMATS,
    Row,
    check_header,
    read_rows,
    table_format,
    table_notes,
)
from mtcheck.io.tmx import stream_tmx
from mtcheck.io.xliff import count_files, stream_xliff

XML_FORMATS = {".xlf": "xliff", ".xliff": "xliff", ".tmx": "tmx"}
# German documents named on the command line (a .jsonl file there is a segment table).
DOCUMENT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
# German documents found in a directory.
DIRECTORY_DOCUMENT_SUFFIXES = DOCUMENT_SUFFIXES | {".jsonl", ".ndjson"}
DOC_COLUMN = "doc"
_GERMAN_NAME = re.compile(r"^(?P<name>.+)\.de(?P<suffix>\.[^.]+)$")
_ENGLISH_NAME = re.compile(r"^.+\.en\.[^.]+$")


@dataclass(frozen=True)
class Source:
    """One input file and how it is read."""

    kind: str  # "table", "xliff", "tmx" or "document"
    path: Path
    name: str  # for ids and the doc column: below the directory given, or the file name
    reference: Path | None = None  # English file of a document
    columns: TableColumns = NO_COLUMNS  # how a table's columns are read

    def files(self) -> tuple[Path, ...]:
        """Every file this source reads."""
        return (self.path,) if self.reference is None else (self.path, self.reference)

    def identity(self) -> list:
        """What the job's fingerprint records: path, size and mtime of every file read
        (for a table ``[path, size, mtime]``, and the column options where they are not
        the defaults: they change the segments)."""
        entry: list = _stat(self.path)
        if self.kind == "table" and not self.columns.is_default():
            entry.append({"columns": self.columns.identity()})
        if self.kind != "table":
            entry += [self.kind, self.name, _stat(self.reference) if self.reference else None]
        return entry

    def ensure_readable(self) -> None:
        if self.kind == "table":
            table_format(self.path)
        for path in self.files():
            if not path.is_file():
                ensure_readable(path)

    def check(self, group_by: str | None) -> None:
        """Fail early on a table without ``target``, or without the ``--group-by`` column."""
        if self.kind == "table":
            check_header(self.path, group_by, self.columns)
        elif group_by is not None and group_by != DOC_COLUMN:
            raise InputError(
                f"{self.path}: no {group_by!r} column for --group-by: XLIFF, TMX and document "
                f"inputs have only {DOC_COLUMN!r}; name a column every input has."
            )

    def rows(self) -> Iterator[Row]:
        if self.kind == "table":
            return read_rows(self.path, columns=self.columns)
        if self.kind == "xliff":
            return _xliff_rows(self)
        if self.kind == "tmx":
            return _tmx_rows(self)
        return _document_rows(self)

    def notes(self) -> list[str]:
        """What a user should know about how this input is read (see
        :func:`mtcheck.io.tables.table_notes`)."""
        return table_notes(self.path, self.columns) if self.kind == "table" else []


def _stat(path: Path) -> list:
    stat = path.stat()
    return [str(path.resolve()), stat.st_size, stat.st_mtime_ns]


def expand_inputs(
    paths: Iterable[Path],
    pairs: Sequence[tuple[str, str]] = (),
    columns: TableColumns = NO_COLUMNS,
) -> list[Source]:
    """The sources of the inputs, in order (a directory's in the order of their names).

    ``pairs``: (glob, reference template) patterns for the German documents of directories;
    ``columns``: how the tables' columns are read.
    """
    paths = [Path(p) for p in paths]
    if pairs and not any(p.is_dir() for p in paths):
        raise InputError("--pair finds German files in directories; give a directory.")
    sources: list[Source] = []
    for path in paths:
        if path.is_dir():
            sources.extend(_directory(path, pairs))
        else:
            sources.append(_file(path, columns))
    if not columns.is_default() and not any(s.kind == "table" for s in sources):
        raise ConfigError(
            "--target-column, --reference-column, --id-column and --strip-tag apply to "
            "segment tables (.jsonl, .tsv, .csv, .parquet), and no input is one; leave "
            "them out."
        )
    return sources


def input_notes(
    paths: Iterable[Path],
    pairs: Sequence[tuple[str, str]] = (),
    columns: TableColumns = NO_COLUMNS,
) -> list[str]:
    """The notes on how the inputs are read, one sentence or two each (see
    :meth:`Source.notes`)."""
    return [note for source in expand_inputs(paths, pairs, columns) for note in source.notes()]


def read_sources(sources: Iterable[Source]) -> Iterator[Row]:
    """The rows of every source, in order."""
    for source in sources:
        yield from source.rows()


def read_inputs(
    paths: Iterable[Path],
    pairs: Iterable[tuple[str, str]] = (),
    columns: TableColumns | None = None,
) -> Iterator[Row]:
    """The rows of every input, in order: tables, and XLIFF, TMX, German documents and
    directories of them (``pairs`` are the ``--pair`` patterns for directories,
    ``columns`` the tables' column options)."""
    yield from read_sources(expand_inputs(paths, tuple(pairs), columns or NO_COLUMNS))


def _unsupported(path: Path) -> InputError:
    return InputError(
        f"{path}: unsupported file type {path.suffix or '(none)'!r} for audit; use a segment "
        "table (.jsonl, .tsv, .csv, .parquet), XLIFF (.xlf, .xliff), TMX (.tmx), a German "
        "document (.txt, .md) or a directory of them."
    )


def _file(path: Path, columns: TableColumns = NO_COLUMNS) -> Source:
    if path.exists() and not path.is_file():
        # A pipe would give its rows to the header check and none to the run; a device
        # such as /dev/zero never ends.
        raise InputError(
            f"{path}: not a regular file (a pipe, device or the like); mtcheck audit reads "
            "each input more than once (to check it first, and again to resume), so save "
            "it to a file first."
        )
    suffix = path.suffix.lower()
    name = path.name
    if suffix in TABLE_FORMATS:
        return Source("table", path, name, columns=columns)
    if suffix in XML_FORMATS:
        return Source(XML_FORMATS[suffix], path, name)
    if not path.exists():
        if suffix not in DOCUMENT_SUFFIXES:
            raise InputError(f"{path}: no such file or directory; check the path.")
        return Source("document", path, name)
    if suffix in DOCUMENT_SUFFIXES:
        if _ENGLISH_NAME.match(path.name):
            raise InputError(
                f"{path}: named as an English reference (NAME.en{path.suffix}); give the "
                f"German file (NAME.de{path.suffix}): its reference is found beside it."
            )
        return Source("document", path, name, _partner(path))
    raise _unsupported(path)


def _partner(path: Path) -> Path | None:
    """``NAME.en.EXT`` beside ``NAME.de.EXT``, if it is there."""
    match = _GERMAN_NAME.match(path.name)
    if match is None:
        return None
    reference = path.with_name(f"{match['name']}.en{match['suffix']}")
    return reference if reference.is_file() else None


PAIR_ADVICE = "--pair finds files only inside the directory it searches"


def _directory(root: Path, pairs: Sequence[tuple[str, str]]) -> list[Source]:
    found: dict[Path, Source] = {}

    def name(path: Path) -> str:
        return path.relative_to(root).as_posix()

    files = sorted(p for p in root.rglob("*") if p.is_file())
    if pairs:
        for glob, template in pairs:
            # Like the gate's configured pairs, --pair stays inside the directory it searches
            # (symlinks included): a pull request's files must not lead the audit outside.
            matches = pair_files(
                root, Pair(glob, template), f"--pair {glob}={template}", PAIR_ADVICE
            )
            for target, reference in matches:
                suffix = target.suffix.lower()
                if target in found or suffix in XML_FORMATS:
                    continue
                if suffix not in DIRECTORY_DOCUMENT_SUFFIXES:
                    raise InputError(
                        f"{target}: found by --pair {glob}={template}, but not a German "
                        "document (.txt, .md or .jsonl); narrow the pattern."
                    )
                found[target] = Source(
                    "document", target, name(target), reference if reference.is_file() else None
                )
    else:
        for path in files:
            match = _GERMAN_NAME.match(path.name)
            if match and match["suffix"].lower() in DIRECTORY_DOCUMENT_SUFFIXES:
                found[path] = Source("document", path, name(path), _partner(path))
    for path in files:
        kind = XML_FORMATS.get(path.suffix.lower())
        if kind is not None:
            found.setdefault(path, Source(kind, path, name(path)))
    if not found:
        how = "found by --pair" if pairs else "named NAME.de.txt, NAME.de.md or NAME.de.jsonl"
        raise InputError(
            f"{root}: no German files {how}, and no XLIFF or TMX files; name the German "
            "files NAME.de.EXT (with NAME.en.EXT beside them), or find them with --pair "
            "'de/**/*.md=en/{path}'."
        )
    return sorted(found.values(), key=lambda source: source.name)


def _xliff_rows(source: Source) -> Iterator[Row]:
    with open_input(source.path) as stream:
        several = count_files(source.path, stream) > 1
    with open_input(source.path) as stream:
        for file_name, paragraph in stream_xliff(source.path, stream, "de", several=several):
            doc = f"{source.name}#{file_name}" if several else source.name
            yield _unit_row(source, paragraph, doc)


def _tmx_rows(source: Source) -> Iterator[Row]:
    with open_input(source.path) as stream:
        for paragraph in stream_tmx(source.path, stream, "de"):
            yield _unit_row(source, paragraph, source.name)


def _unit_row(source: Source, paragraph, doc: str) -> Row:
    """The row of one XLIFF or TMX unit (its id, else its place in the file)."""
    return Row(
        str(source.path),
        paragraph.line,
        paragraph.id or str(paragraph.index),
        paragraph.text,
        paragraph.reference,
        ((DOC_COLUMN, doc),),
    )


def _document_rows(source: Source) -> Iterator[Row]:
    for segment in pipeline.align_document(source.path, source.reference):
        if not segment.target:  # English without German: nothing to check
            continue
        yield Row(
            str(source.path),
            segment.line,
            f"{source.name}:{segment.line}:{segment.column}",
            segment.target,
            segment.reference,
            ((DOC_COLUMN, source.name),),
            segment.alignment,
        )
