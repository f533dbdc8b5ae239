"""Read input files: ``.txt`` (one paragraph a line), ``.jsonl`` (one segment a record),
Markdown (``.md``), XLIFF 1.2/2.x (``.xlf``, ``.xliff``) and TMX (``.tmx``).

A file that cannot be read is an :class:`~mtcheck.errors.InputError` naming the file and
the problem; nothing is guessed silently.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from mtcheck.errors import InputError
from mtcheck.model import Document, Paragraph

FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".md": "markdown",
    ".markdown": "markdown",
    ".xlf": "xliff",
    ".xliff": "xliff",
    ".tmx": "tmx",
}


def read_document(path: str | Path, language: str) -> Document:
    """Read one input file into paragraphs; ``language`` is "de" (draft) or "en" (reference)."""
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InputError(
            f"{path}: unsupported file type {path.suffix or '(none)'!r}; "
            "use .txt (one paragraph a line), .jsonl (one segment a record), .md, "
            ".xlf/.xliff (XLIFF 1.2 or 2.x) or .tmx."
        )
    if kind == "xliff":
        from mtcheck.io.xliff import read_xliff

        paragraphs = read_xliff(path, _read_bytes(path), language)
    elif kind == "tmx":
        from mtcheck.io.tmx import read_tmx

        paragraphs = read_tmx(path, _read_bytes(path), language)
    elif kind == "markdown":
        from mtcheck.io.markdown import read_markdown

        paragraphs = read_markdown(_lines(_read_text(path)))
    elif kind == "jsonl":
        paragraphs = _parse_jsonl(path, _read_text(path), language)
    else:
        paragraphs = _parse_txt(_read_text(path))
    if not paragraphs:
        raise InputError(
            f"{path}: the file holds no text; give a file with at least one paragraph."
        )
    return Document(path=str(path), paragraphs=tuple(paragraphs), language=language)


def ensure_readable(path: str | Path) -> None:
    """Fail early, before a model is loaded, on a path that cannot be read."""
    path = Path(path)
    if path.is_file() and os.access(path, os.R_OK):
        return
    _read_bytes(path)


def _read_bytes(path: Path) -> bytes:
    with open_input(path) as handle:
        return handle.read()


def open_input(path: Path):
    """``path`` opened for binary reading; a file that cannot be opened is an InputError."""
    try:
        return open(path, "rb")  # noqa: SIM115 - the caller closes it
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path.") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory; give a file.") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied; make the file readable.") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror}).") from None


def _read_text(path: Path) -> str:
    data = _read_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(
            f"{path}: not valid UTF-8 (byte {error.start}, line {line}); "
            "convert the file to UTF-8, e.g. with iconv."
        ) from None
    return text.removeprefix("\ufeff")


def _lines(text: str) -> list[str]:
    # Only \n, \r\n and \r end a line here; str.splitlines would also split on U+2028 and
    # friends, and line numbers would no longer match what editors show.
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _parse_txt(text: str) -> list[Paragraph]:
    paragraphs = []
    for number, line in enumerate(_lines(text), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        lead = len(line) - len(line.lstrip())
        paragraphs.append(
            Paragraph(index=len(paragraphs) + 1, text=stripped, line=number, column=lead + 1)
        )
    return paragraphs


def _parse_jsonl(path: Path, text: str, language: str) -> list[Paragraph]:
    field = "target" if language == "de" else "reference"
    paragraphs: list[Paragraph] = []
    seen_ids: set[str] = set()
    for number, line in enumerate(_lines(text), start=1):
        if not line.strip():
            continue
        record = json_record(path, number, line, field)
        value = record.get(field)
        if not isinstance(value, str):
            raise InputError(
                f"{path}:{number}: the record has no {field!r} string; "
                f"every record needs {field!r} (and optionally 'id')."
            )
        reference = record.get("reference") if language == "de" else None
        if reference is not None and not isinstance(reference, str):
            raise InputError(f"{path}:{number}: 'reference' must be a string or absent.")
        raw_id = record.get("id", len(paragraphs) + 1)
        if not isinstance(raw_id, (str, int)) or isinstance(raw_id, bool):
            raise InputError(f"{path}:{number}: 'id' must be a string or an integer.")
        record_id = str(raw_id)
        if record_id in seen_ids:
            raise InputError(f"{path}:{number}: duplicate id {record_id!r}; ids must be unique.")
        seen_ids.add(record_id)
        stripped = value.strip()
        if not stripped:
            continue
        column, escapes = _string_position(line, field, value)
        anchors = _anchors(number, column, escapes, len(value) - len(value.lstrip()))
        paragraphs.append(
            Paragraph(
                index=len(paragraphs) + 1,
                text=stripped,
                line=number,
                column=anchors[0][2],
                id=record_id,
                reference=reference.strip() if reference else None,
                anchors=anchors,
            )
        )
    return paragraphs


def json_record(path: Path, number: int, line: str, field: str) -> dict:
    """Line ``number`` of a JSONL file as a JSON object; anything else is an InputError."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path}:{number}: invalid JSON ({error.msg} at column {error.colno}); "
            "each line must be one JSON object."
        ) from None
    if not isinstance(record, dict):
        raise InputError(f"{path}:{number}: expected a JSON object with {field!r}.")
    return record


def _anchors(
    line: int, column: int, escapes: tuple[tuple[int, int], ...], lead: int
) -> tuple[tuple[int, int, int], ...]:
    """Anchors for a JSON string value whose first ``lead`` characters were stripped.

    ``escapes`` holds (decoded index, extra raw characters) per escape sequence: the
    characters after an escape sit that much further right than their index says.
    """
    anchors = [(0, line, column)]
    shift = 0
    for index, extra in escapes:
        shift += extra
        anchors.append((index + 1, line, column + index + 1 + shift))
    # Re-base on the stripped text: offset 0 of the paragraph is decoded index ``lead``.
    rebased = []
    for offset, anchor_line, anchor_column in anchors:
        if offset <= lead:
            rebased = [(0, anchor_line, anchor_column + lead - offset)]
        else:
            rebased.append((offset - lead, anchor_line, anchor_column))
    return tuple(rebased)


def _string_position(line: str, field: str, value: str) -> tuple[int, tuple[tuple[int, int], ...]]:
    """Column of ``value``'s first character in the raw JSON line, and its escape shifts.

    String literals are skipped whole, so text inside them is never mistaken for a key.
    """
    position = 0
    while (quote := line.find('"', position)) >= 0:
        key, end = json.decoder.scanstring(line, quote + 1)
        position = end
        colon = end + _ws(line, end)
        if key != field or line[colon : colon + 1] != ":":
            continue
        value_quote = colon + 1 + _ws(line, colon + 1)
        if line[value_quote : value_quote + 1] != '"':
            continue
        decoded, value_end = json.decoder.scanstring(line, value_quote + 1)
        if decoded == value:
            return value_quote + 2, _escapes(line[value_quote + 1 : value_end - 1])
        position = value_end
    return 1, ()


def _ws(line: str, position: int) -> int:
    return len(line[position:]) - len(line[position:].lstrip())


def _escapes(raw: str) -> tuple[tuple[int, int], ...]:
    """(decoded index, extra raw chars) for each escape sequence in a raw JSON string body."""
    shifts: list[tuple[int, int]] = []
    decoded_index = 0
    i = 0
    while i < len(raw):
        if raw[i] == "\\":
            if raw[i + 1] == "u":
                width = 6
                code = int(raw[i + 2 : i + 6], 16)
                if 0xD800 <= code < 0xDC00 and raw[i + 6 : i + 8] == "\\u":
                    width = 12  # a surrogate pair decodes to one character
            else:
                width = 2
            shifts.append((decoded_index, width - 1))
            i += width
        else:
            i += 1
        decoded_index += 1
    return tuple(shifts)
