"""Read input files: ``.txt`` (one paragraph a line), ``.jsonl`` (one segment a record),
Markdown (``.md``), XLIFF 1.2/2.x (``.xlf``, ``.xliff``) and TMX (``.tmx``).

A file that cannot be read is an :class:`~mtcheck.errors.InputError` naming the file and
the problem; nothing is guessed silently.

Inputs are regular files, standard input (``-``), or pipes (a FIFO, or a shell's process
substitution ``<(…)``, which is a path like ``/dev/fd/63``). Standard input and pipes are
read exactly once, as they come; as they have no file name, their format is recognised
from the content: XLIFF or TMX by the root element, JSONL when the text starts with ``{``,
else plain text. Other kinds of files (directories, devices such as ``/dev/zero``,
sockets) are refused. No input is read past :data:`MAX_INPUT_BYTES`.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from pathlib import Path

from mtcheck.errors import InputError
from mtcheck.io.markdown import read_markdown
from mtcheck.io.tmx import read_tmx
from mtcheck.io.xliff import read_xliff
from mtcheck.model import Document, Paragraph

# The largest input read whole: by ``check`` and ``gate``, and by ``audit`` for a German
# document (.txt, .md). Checking 20 MB takes minutes and its report is unreadable; a corpus
# that size belongs in ``mtcheck audit``, which streams segment tables, XLIFF and TMX.
MAX_INPUT_BYTES = 20_000_000
STDIN = "-"
# Deepest nesting of arrays and objects in a JSON record: records are flat; deeper ones
# are hostile, and Python's json recursion would fail on them somewhere later.
MAX_JSON_DEPTH = 64
# A \u escape of a UTF-16 surrogate: the only way a JSON string holds one.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")
_SURROGATE = re.compile("[\ud800-\udfff]")

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
    """Read one input file into paragraphs; ``language`` is "de" (draft) or "en" (reference).

    ``path`` "-" is standard input.
    """
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    stream = input_kind(path) == "stream"
    if kind is None and not stream:
        raise InputError(
            f"{path}: unsupported file type {path.suffix or '(none)'!r}; "
            "use .txt (one paragraph a line), .jsonl (one segment a record), .md, "
            ".xlf/.xliff (XLIFF 1.2 or 2.x) or .tmx."
        )
    data = read_bytes(path)  # the only read: a pipe gives its text once
    kind = kind or sniff_format(data)
    if kind == "xliff":
        paragraphs = read_xliff(path, data, language)
    elif kind == "tmx":
        paragraphs = read_tmx(path, data, language)
    elif kind == "markdown":
        paragraphs = read_markdown(_lines(_decode(path, data)), path)
    elif kind == "jsonl":
        paragraphs = _parse_jsonl(path, _decode(path, data), language)
    else:
        paragraphs = _parse_txt(_decode(path, data))
    if not paragraphs:
        raise InputError(
            f"{path}: the file holds no text; give a file with at least one paragraph."
        )
    return Document(path=str(path), paragraphs=tuple(paragraphs), language=language)


def ensure_readable(path: str | Path) -> None:
    """Fail early, before a model is loaded, on a path that cannot be read. Standard input
    and pipes are left unread: they can be read only once, by :func:`read_document`."""
    path = Path(path)
    if input_kind(path) == "file":
        open_input(path).close()


def input_kind(path: Path) -> str:
    """What ``path`` is: "stream" (standard input, a pipe) or "file" (a regular file
    within :data:`MAX_INPUT_BYTES`); any other path is an InputError."""
    if str(path) == STDIN:
        return "stream"
    try:
        info = os.stat(path)  # follows symbolic links: /dev/fd/63 is the pipe it names
    except OSError as error:
        raise unreadable(path, error) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path}: is a directory; give a file.")
    if stat.S_ISFIFO(info.st_mode):
        return "stream"
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            f"{path}: not a regular file (a device, socket or the like); give a file, or "
            "pipe the text to standard input and give '-'."
        )
    if info.st_size > MAX_INPUT_BYTES:
        raise _too_large(path, f"{info.st_size:,} bytes")
    return "file"


def _too_large(path: Path, size: str) -> InputError:
    return InputError(
        f"{path}: {size} is over the {MAX_INPUT_BYTES // 1_000_000} MB that mtcheck reads "
        "as one document; give a corpus this size to `mtcheck audit` as a segment table "
        "(.jsonl, .tsv, .csv), XLIFF or TMX, which it streams."
    )


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path`` (standard input for "-"), never more than MAX_INPUT_BYTES."""
    if str(path) == STDIN:
        return _read_limited(path, sys.stdin.buffer)
    input_kind(path)
    with open_input(path) as handle:
        return _read_limited(path, handle)


def _read_limited(path: Path, handle) -> bytes:
    try:
        data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as error:
        raise unreadable(path, error) from None
    if len(data) > MAX_INPUT_BYTES:  # a pipe, or a file that grew since it was looked at
        raise _too_large(path, "the input")
    return data


def open_input(path: Path):
    """``path`` opened for binary reading; a file that cannot be opened is an InputError."""
    try:
        return open(path, "rb")  # noqa: SIM115 - the caller closes it
    except OSError as error:
        raise unreadable(path, error) from None


def unreadable(path: Path, error: OSError) -> InputError:
    """The one sentence for an input that cannot be opened or read."""
    if isinstance(error, FileNotFoundError):
        return InputError(f"{path}: no such file; check the path.")
    if isinstance(error, IsADirectoryError):
        return InputError(f"{path}: is a directory; give a file.")
    if isinstance(error, PermissionError):
        return InputError(f"{path}: permission denied; make the file readable.")
    return InputError(f"{path}: cannot be read ({error.strerror}).")


def _decode(path: Path, data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(
            f"{path}: not valid UTF-8 (byte {error.start}, line {line}); "
            "convert the file to UTF-8, e.g. with iconv."
        ) from None
    return text.removeprefix("\ufeff")


def sniff_format(data: bytes) -> str:
    """The format of standard input or a pipe, which has no name to tell it."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        root = re.search(rb"<(?![?!])([A-Za-z_][\w.:-]*)", head)
        name = root.group(1).split(b":")[-1] if root else b""
        if name == b"tmx":
            return "tmx"
        if name == b"xliff" or head.startswith(b"<?xml"):
            return "xliff"  # which names any other root element in its error
    if head.startswith(b"{"):
        return "jsonl"
    return "txt"


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
    except RecursionError:
        record = None  # nested past Python's recursion limit: refused just below
    # Cheap tests on the raw line first: most lines can hold neither problem.
    if record is None or line.count("[") + line.count("{") > MAX_JSON_DEPTH:
        if record is None or _depth(record) > MAX_JSON_DEPTH:
            raise InputError(
                f"{path}:{number}: JSON nested more than {MAX_JSON_DEPTH} levels deep; "
                "each line must be one flat JSON object."
            )
    if not isinstance(record, dict):
        raise InputError(f"{path}:{number}: expected a JSON object with {field!r}.")
    if _SURROGATE_ESCAPE.search(line) and (found := _lone_surrogate(record)):
        raise InputError(
            f"{path}:{number}: the JSON holds \\u{ord(found):04x}, half of a UTF-16 surrogate "
            "pair and not a character; fix the escape (a pair is \\ud83d\\ude00, or write "
            "the character itself)."
        )
    return record


def _values(record):
    """(value, depth) for every value, key and container in a JSON record, without
    recursion."""
    stack = [(record, 1)]
    while stack:
        value, depth = stack.pop()
        yield value, depth
        if isinstance(value, dict):
            stack.extend((key, depth) for key in value)
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


def _depth(record) -> int:
    return max(depth for _, depth in _values(record))


def _lone_surrogate(record) -> str | None:
    """The first surrogate in the record's strings (json.loads leaves unpaired ones)."""
    for value, _ in _values(record):
        if isinstance(value, str) and (match := _SURROGATE.search(value)):
            return match.group()
    return None


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
                if 0xD800 <= code < 0xDC00 and _low_surrogate(raw[i + 6 : i + 12]):
                    width = 12  # a surrogate pair decodes to one character
            else:
                width = 2
            shifts.append((decoded_index, width - 1))
            i += width
        else:
            i += 1
        decoded_index += 1
    return tuple(shifts)


def _low_surrogate(escape: str) -> bool:
    """Whether ``escape`` is a \\u escape of a low surrogate (which pairs with a high one)."""
    return len(escape) == 6 and escape.startswith("\\u") and 0xDC00 <= int(escape[2:], 16) <= 0xDFFF
