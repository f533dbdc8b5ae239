"""How the columns of a segment table become segments.

- **Column mapping**: the German target is ``target`` (``--target-column``), the English
  reference ``reference`` (``--reference-column``), else ``source`` or ``src``, which an
  en→de table names so (a note says so), and the id ``id`` (``--id-column``). Every other
  column is metadata.
- **MQM annotation tables** (columns ``category`` and ``severity``: one row per error and
  rater, as the WMT MQM releases ship them) are merged to one row per segment: the rows
  that agree on ``system``, ``doc`` and the segment's id or numbers (``doc_id``,
  ``seg_id``, ``docSegId``, ``globalSegId``, …) are one segment, with the first row's
  text; the per-error columns (``rater``, ``category``, ``severity``, ``comment``) are
  left out. Rows are merged one ``doc`` at a time (those tables list a document's rows
  together, systems and raters interleaved), and each document's segments come out
  grouped by system, so that the document-level rules see one system's document.
- **Markup**: ``--strip-tag v`` removes ``<v>`` and ``</v>`` (the error spans of MQM
  tables) from targets and references, keeping the text between them.
- **Types**: metadata keep their types: JSON and Parquet values as they are (lists and
  objects as JSON text), CSV/TSV fields that are written as a whole number, a number or
  ``true``/``false`` as those; a column whose values mix kinds comes back as text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from mtcheck.errors import ConfigError, InputError

TARGET, REFERENCE, ID = "target", "reference", "id"
REFERENCE_ALIASES = ("source", "src")  # an en→de table's English
SYSTEM_COLUMN, DOC_COLUMN = "system", "doc"
MQM_MARKERS = ("category", "severity")
MQM_ERROR_COLUMNS = ("rater", "category", "severity", "comment")
SEGMENT_NUMBERS = (
    "doc_id",
    "seg_id",
    "docSegId",
    "globalSegId",
    "segId",
    "segment_id",
    "doc_seg_id",
    "global_seg_id",
)
# Segments of one doc held while its rows are merged: more means a table without a doc
# column (or one huge doc), which would be held whole.
MERGE_LIMIT = 100_000
_TAG_NAME = re.compile(r"[A-Za-z][\w.:-]*\Z")
_MQM_SPAN = re.compile(r"</?v>")
_INT = re.compile(r"(?:0|-?[1-9][0-9]*)\Z")
_BOOLEANS = {"true": True, "True": True, "TRUE": True}
_BOOLEANS.update({"false": False, "False": False, "FALSE": False})
INT64 = (-(2**63), 2**63 - 1)

MetaValue = str | int | float | bool | None


@dataclass(frozen=True)
class TableColumns:
    """The command line's column options for segment tables (None: the default)."""

    target: str | None = None
    reference: str | None = None
    id: str | None = None
    strip_tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in self.strip_tags:
            if not _TAG_NAME.match(name):
                raise ConfigError(
                    f"--strip-tag {name!r}: give a tag name such as 'v' (letters, digits, "
                    "'.', ':', '-', '_'), without angle brackets."
                )
        named = [(flag, value) for flag, value in self._mapped() if value is not None]
        for k, (flag, value) in enumerate(named):
            for other, same in named[k + 1 :]:
                if value == same:
                    raise ConfigError(f"{flag} and {other} both name column {value!r}.")

    def _mapped(self) -> tuple[tuple[str, str | None], ...]:
        return (
            ("--target-column", self.target),
            ("--reference-column", self.reference),
            ("--id-column", self.id),
        )

    def is_default(self) -> bool:
        return self == TableColumns()

    def identity(self) -> dict:
        """What the job's fingerprint records of these options."""
        return asdict(self) | {"strip_tags": list(self.strip_tags)}

    def stripper(self):
        """A function that removes the ``--strip-tag`` markup from a text (None: none)."""
        if not self.strip_tags:
            return None
        names = "|".join(re.escape(name) for name in self.strip_tags)
        pattern = re.compile(rf"</?(?:{names})(?:\s[^<>]*)?/?>")
        return lambda text: pattern.sub("", text)


@dataclass(frozen=True)
class Layout:
    """How one table's columns are read (see :func:`resolve`)."""

    target: str
    reference: str | None
    id: str
    guessed_reference: bool  # 'source'/'src' taken as the English reference
    merge_key: tuple[str, ...] | None  # MQM: the columns naming a segment; None: no merging
    text_key: str | None  # MQM without segment numbers: the column whose text tells apart
    dropped: tuple[str, ...]  # MQM's per-error columns, left out


def resolve(
    context: str, names: Sequence[str], columns: TableColumns, place: str, complete: bool
) -> Layout:
    """The layout of a table with the columns ``names`` (``complete``: all of the table's
    columns, as a header or schema gives them; else a first JSON record's keys).
    ``context`` (file and line) and ``place`` (e.g. "the header") name it in errors."""
    present = set(names)
    for flag, value in columns._mapped():
        if value is not None and value not in present:
            raise InputError(
                f"{context}: no {value!r} column in {place} for {flag}; the columns are "
                f"{', '.join(map(repr, names))}."
            )
    target = columns.target or TARGET
    if target not in present:
        raise InputError(
            f"{context}: no {target!r} column in {place}; every row needs {target!r} (the "
            "German text), or name its column with --target-column."
        )
    reference, guessed = columns.reference, False
    if reference is None:
        reference = REFERENCE if REFERENCE in present or not complete else None
        alias = next(
            (name for name in REFERENCE_ALIASES if name in present - {target, columns.id}),
            None,
        )
        if REFERENCE not in present and alias is not None:
            reference, guessed = alias, True
    id_column = columns.id or ID
    merge_key = text_key = None
    dropped: tuple[str, ...] = ()
    if all(marker in present for marker in MQM_MARKERS):
        where = tuple(name for name in (SYSTEM_COLUMN, DOC_COLUMN) if name in present)
        numbers = (
            (id_column,)
            if id_column in present
            else tuple(name for name in SEGMENT_NUMBERS if name in present)
        )
        merge_key = where + numbers
        text_key = None if numbers else (reference or target)
        dropped = tuple(name for name in MQM_ERROR_COLUMNS if name in present)
    return Layout(target, reference, id_column, guessed, merge_key, text_key, dropped)


def describe(name: str, layout: Layout, columns: TableColumns, marked: bool) -> list[str]:
    """The notes on how a table is read (``marked``: its first rows hold ``<v>`` spans)."""
    notes = []
    if layout.guessed_reference:
        notes.append(
            f"{name}: no 'reference' column; taking {layout.reference!r} as the English "
            "reference (choose another with --reference-column)."
        )
    if layout.merge_key is not None:
        key = [*layout.merge_key, *([layout.text_key] if layout.text_key else [])]
        dropped = ", ".join(layout.dropped)
        note = (
            f"{name}: MQM annotations (one row per error and rater): the rows with the same "
            f"{', '.join(key)} are merged into one segment, with the first row's text; "
            f"columns {dropped} are left out."
        )
        if marked and "v" not in columns.strip_tags:
            note += " Its texts mark error spans with <v>…</v>: --strip-tag v removes them."
        notes.append(note)
    return notes


def has_mqm_spans(record: dict[str, Any], layout: Layout) -> bool:
    texts = (record.get(layout.target), record.get(layout.reference or ""))
    return any(isinstance(text, str) and _MQM_SPAN.search(text) for text in texts)


# -- merging MQM rows ----------------------------------------------------------------------


Record = tuple[int, str, dict[str, Any]]  # (line, where, record)


def merge_segments(path: Path, records: Iterable[Record], layout: Layout) -> Iterator[Record]:
    """The first record of each segment of an MQM table, a doc at a time, grouped by system
    (see the module's docstring); records of a table that is not MQM pass as they are."""
    if layout.merge_key is None:
        yield from records
        return
    finished: set = set()
    block: dict[tuple, Record] = {}
    current: Any = _NO_DOC
    for entry in records:
        line, where, record = entry
        doc = _hashable(record.get(DOC_COLUMN))
        if doc != current:
            yield from _by_system(block)
            block = {}
            finished.add(current)
            if doc in finished:
                raise InputError(
                    f"{path}:{where}: rows of doc {record.get(DOC_COLUMN)!r} again after "
                    "other docs; MQM rows are merged a doc at a time, so sort the table by doc."
                )
            current = doc
        key = _segment_key(record, layout)
        if key not in block:
            if len(block) >= MERGE_LIMIT:
                raise InputError(
                    f"{path}:{where}: more than {MERGE_LIMIT:,} segments in one doc; MQM rows "
                    "are merged a doc at a time, so give the table a 'doc' column."
                )
            block[key] = entry
    yield from _by_system(block)


_NO_DOC = object()


def _by_system(block: dict[tuple, Record]) -> Iterator[Record]:
    order: dict[Any, int] = {}
    for _line, _where, record in block.values():
        order.setdefault(_hashable(record.get(SYSTEM_COLUMN)), len(order))
    # sorted() is stable: each system's segments keep their order.
    yield from sorted(
        block.values(), key=lambda entry: order[_hashable(entry[2].get(SYSTEM_COLUMN))]
    )


def _segment_key(record: dict[str, Any], layout: Layout) -> tuple:
    key = tuple(_hashable(record.get(name)) for name in layout.merge_key or ())
    if layout.text_key is not None:
        text = record.get(layout.text_key)
        # Each rater marks other spans: the text without them names the segment.
        key += (" ".join(_MQM_SPAN.sub("", text).split()) if isinstance(text, str) else text,)
    return key


def _hashable(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | None) else repr(value)


# -- the types of metadata -----------------------------------------------------------------


def typed_text(text: str) -> MetaValue:
    """A CSV/TSV field as the value it writes: a whole number, a number or a boolean where
    it is written as one (as Python writes them, so that it reads back the same), else the
    text."""
    if _INT.match(text):
        number = int(text)
        return number if INT64[0] <= number <= INT64[1] else text
    if text in _BOOLEANS:
        return _BOOLEANS[text]
    if any(c.isdigit() for c in text):
        try:
            number = float(text)
        except ValueError:
            return text
        if math.isfinite(number) and repr(number) == text:
            return number
    return text


def value_kind(value: Any) -> str:
    """The kind of a stored metadata value: null (None or empty text), bool, int, float or
    string."""
    if value is None or value == "":
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int" if INT64[0] <= value <= INT64[1] else "string"
    if isinstance(value, float):
        return "float"
    return "string"


def merge_kinds(first: str | None, second: str) -> str:
    """The kind of a column with values of both kinds (None: a column stored before kinds
    were kept, whose values are text)."""
    if first is None or "string" in (first, second):
        return "string"
    if second == "null" or first == second:
        return first
    if first == "null":
        return second
    return "float" if {first, second} == {"int", "float"} else "string"


def column_value(value: Any, kind: str | None) -> MetaValue:
    """A stored value as its column of ``kind`` holds it: typed columns hold null for an
    empty value; text columns hold every value as text (booleans as true/false)."""
    if kind in ("int", "float", "bool"):
        if value is None or value == "":
            return None
        return float(value) if kind == "float" else value
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
