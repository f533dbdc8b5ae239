"""Safe, position-keeping XML parsing for the XLIFF and TMX readers.

The parser is defusedxml's expat SAX reader with entity declarations and external
references forbidden: an entity bomb or a ``SYSTEM "file:///…"`` entity fails at its
declaration, before any of it is expanded and before any outside file is opened. A
DOCTYPE without entity declarations is allowed (XLIFF 1.1 files name their DTD); expat
never reads an external DTD here (the subset is skipped unread).

Expat reports the start of each run of character data. Runs are split at every entity
or character reference, CDATA boundary and line end, so every run becomes a piece of a
:class:`~mtcheck.io.text.Run` with its own (line, column). The parser decodes the bytes
(UTF-8, UTF-16, or whatever the XML declaration names).

Only the elements a reader asks for (``collect``: a trans-unit, a tu) keep their
children; the rest of the tree is seen once and dropped. :func:`iterparse` feeds the
parser a chunk of the file at a time and hands control back after each, so a reader can
pass on the units finished so far: a large TMX file is then never held whole in memory.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO
from xml.sax import SAXParseException
from xml.sax.expatreader import ExpatLocator
from xml.sax.handler import ContentHandler, feature_external_ges, feature_namespaces
from xml.sax.xmlreader import InputSource

import defusedxml
from defusedxml.expatreader import DefusedExpatParser

from mtcheck.errors import InputError
from mtcheck.io.text import Run

XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"


@dataclass
class Text:
    text: str
    line: int
    column: int


@dataclass
class Node:
    """An element: local name, attributes (``xml:lang`` keeps its prefix), position."""

    name: str
    attrs: dict[str, str]
    line: int
    column: int
    children: list[Node | Text] = field(default_factory=list)

    def find(self, name: str) -> Node | None:
        return next(self.findall(name), None)

    def findall(self, name: str):
        return (c for c in self.children if isinstance(c, Node) and c.name == name)


# (node, its ancestors outermost first) -> collect this element's content?
StartHandler = Callable[[Node, list[Node]], bool]
EndHandler = Callable[[Node, list[Node]], None]


CHUNK = 1 << 16  # bytes fed to the parser at a time by iterparse()


def parse(path: Path, data: bytes, on_start: StartHandler, on_end: EndHandler) -> None:
    """Parse ``data`` (the bytes of ``path``), calling back at each element's start and end.

    Raises :class:`InputError` with file, line and column for malformed XML, and with one
    sentence for entity declarations and external references.
    """
    for _ in iterparse(path, io.BytesIO(data), on_start, on_end, load=lambda: data):
        pass


def iterparse(
    path: Path,
    stream: IO[bytes],
    on_start: StartHandler,
    on_end: EndHandler,
    *,
    chunk: int | None = None,
    load: Callable[[], bytes] | None = None,
) -> Iterator[None]:
    """:func:`parse` over a binary stream, one chunk of ``chunk`` bytes (default
    :data:`CHUNK`) at a time; yields after each chunk (the callbacks have then seen
    everything up to its end).

    ``load`` gives the whole file's bytes; it is called only where expat counts columns in
    bytes and a column must be mapped to characters (default: read ``path``).
    """
    parser = _Parser(forbid_dtd=False, forbid_entities=True, forbid_external=True)
    parser.setFeature(feature_namespaces, True)
    parser.setFeature(feature_external_ges, False)
    chunk = chunk or CHUNK
    head = stream.read(max(chunk, 4))
    columns = _Columns(head, load or path.read_bytes)
    handler = _Handler(parser, columns, on_start, on_end)
    parser.setContentHandler(handler)
    source = InputSource(str(path))
    try:
        # What IncrementalParser.parse does, with a yield after each chunk.
        parser.reset()
        handler.setDocumentLocator(ExpatLocator(parser))
        parser.prepareParser(source)
        data = head
        while data:
            parser.feed(data)
            yield
            data = stream.read(chunk)
        parser.close()
    except (SAXParseException, BadCodePoint, defusedxml.DefusedXmlException) as error:
        raise _input_error(path, error, columns, handler) from None


def _input_error(path: Path, error: Exception, columns: _Columns, handler: _Handler):
    """The one sentence for the user on XML that cannot or must not be read."""
    if isinstance(error, SAXParseException):
        line = error.getLineNumber()
        column = columns.fix(line, error.getColumnNumber()) + 1
        return InputError(
            f"{path}:{line}:{column}: not well-formed XML ({error.getMessage()}); "
            "fix the XML and run again."
        )
    if isinstance(error, defusedxml.EntitiesForbidden):
        return InputError(
            f"{path}:{handler.where_text()}: the XML declares the entity {error.name!r} in "
            "its DOCTYPE; mtcheck never expands XML entities (entity bombs, external files): "
            "remove the <!ENTITY> declarations."
        )
    if isinstance(error, defusedxml.ExternalReferenceForbidden):
        return InputError(
            f"{path}:{handler.where_text()}: the XML refers to an external resource "
            f"({error.sysid or error.pubid!r}); mtcheck never reads outside files: "
            "remove the reference."
        )
    if isinstance(error, BadCodePoint):
        node = error.node
        return InputError(
            f"{path}:{node.line}:{node.column}: <cp hex={node.attrs.get('hex', '')!r}/> names "
            "no Unicode character (a surrogate half, or not a hexadecimal code point); fix it."
        )
    return InputError(f"{path}: unsafe XML construct ({error}); remove the DOCTYPE.")


class _Parser(DefusedExpatParser):
    """Skips a DOCTYPE's external DTD subset unread; refuses every other external entity."""

    def defused_external_entity_ref_handler(self, context, base, sysid, pubid):
        if context is None:  # the external DTD subset: not needed, never fetched
            return 1
        return super().defused_external_entity_ref_handler(context, base, sysid, pubid)


def text_of(node: Node, skip: frozenset[str]) -> Run:
    """The text inside ``node`` with positions, leaving out elements named in ``skip``.

    Other inline elements are transparent: their text is kept, their tags are not. XLIFF
    2's ``<cp hex="…"/>`` stands for one character.
    """
    run = Run()
    _collect(node, skip, run)
    return run


def text_and_codes(
    node: Node, skip: frozenset[str], codes: frozenset[str]
) -> tuple[Run, list[tuple[str, int, int]]]:
    """:func:`text_of` and the inline codes named in ``codes`` found on the way: (the code
    as ``<name id="…">``, start, end) with offsets into the run; a code that holds text
    (``<g>``, ``<pc>``) spans it, one without is empty where it stands."""
    run = Run()
    found: list[tuple[str, int, int]] = []
    _collect(node, skip, run, codes, found)
    return run, found


def code_name(node: Node) -> str:
    """An inline code as ``<name id="…">``: the id pairs a source code with its target copy
    (XLIFF 2's ``<ec>`` names its ``<sc>`` by ``startRef``; 1.2's ``<ex>``/``<ept>`` by
    ``rid`` or ``id``)."""
    ident = node.attrs.get("id") or node.attrs.get("startRef") or node.attrs.get("rid") or ""
    return f'<{node.name} id="{ident}">' if ident else f"<{node.name}>"


def _collect(
    node: Node,
    skip: frozenset[str],
    run: Run,
    codes: frozenset[str] = frozenset(),
    found: list[tuple[str, int, int]] | None = None,
) -> None:
    for child in node.children:
        if isinstance(child, Text):
            run.add(child.text, child.line, child.column)
            continue
        start = len(run)
        if child.name in skip:
            pass
        elif child.name == "cp":
            run.add_char(_code_point(child), child.line, child.column)
        else:
            _collect(child, skip, run, codes, found)
        if found is not None and child.name in codes:
            found.append((code_name(child), start, len(run)))


class BadCodePoint(Exception):
    """A ``<cp hex>`` that names no character; :func:`iterparse` names the file."""

    def __init__(self, node: Node) -> None:
        super().__init__(node.attrs.get("hex", ""))
        self.node = node


def _code_point(node: Node) -> str:
    """The character of a ``<cp hex="…"/>``. A surrogate half is no character: kept, it
    would break every UTF-8 output later on."""
    try:
        code = int(node.attrs.get("hex", ""), 16)
    except ValueError:
        raise BadCodePoint(node) from None
    if not 0 <= code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise BadCodePoint(node)
    return chr(code)


class _Handler(ContentHandler):
    def __init__(self, parser, columns: _Columns, on_start: StartHandler, on_end: EndHandler):
        super().__init__()
        self._parser = parser
        self._columns = columns
        self._on_start = on_start
        self._on_end = on_end
        self._stack: list[Node] = []
        self._collecting: list[bool] = []
        self._locator = None

    def setDocumentLocator(self, locator) -> None:  # noqa: N802 (SAX API)
        self._locator = locator

    def where(self) -> tuple[int, int]:
        if self._locator is None:
            return 1, 1
        line = self._locator.getLineNumber()
        return line, self._columns.fix(line, self._locator.getColumnNumber()) + 1

    def where_text(self) -> str:
        line, column = self.where()
        return f"{line}:{column}"

    def startElementNS(self, name, qname, attrs) -> None:  # noqa: N802 (SAX API)
        line, column = self.where()
        node = Node(name=name[1], attrs=_attributes(attrs), line=line, column=column)
        inside = bool(self._collecting and self._collecting[-1])
        if inside:
            self._stack[-1].children.append(node)
        collect = inside or bool(self._on_start(node, self._stack))
        self._stack.append(node)
        self._collecting.append(collect)

    def endElementNS(self, name, qname) -> None:  # noqa: N802 (SAX API)
        node = self._stack.pop()
        self._collecting.pop()
        self._on_end(node, self._stack)

    def characters(self, content: str) -> None:
        if self._collecting and self._collecting[-1]:
            line, column = self.where()
            self._stack[-1].children.append(Text(content, line, column))


def _attributes(attrs) -> dict[str, str]:
    out = {}
    for (uri, local), value in attrs.items():
        if uri == XML_NAMESPACE:
            out[f"xml:{local}"] = value
        elif uri is None:
            out[local] = value
        else:
            out[f"{{{uri}}}{local}"] = value
    return out


class _Columns:
    """Turns expat's 0-based column into a 0-based column in characters.

    Expat 2.x counts characters, but a byte order mark counts as one on line 1, where no
    editor shows it; an expat that counts bytes is detected once and its columns mapped
    through the decoded line.
    """

    def __init__(self, head: bytes, load: Callable[[], bytes]):
        self._load = load  # the whole file, read only where expat counts bytes
        self._bom = head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))
        self._lines: list[str] | None = None

    def fix(self, line: int, column: int) -> int:
        counts_bytes, counts_bom = _expat_columns()
        if counts_bytes:
            text = self._line(line)
            if line == 1 and self._bom:
                text = "\ufeff" + text
            prefix = text.encode("utf-8")[:column]
            column = len(prefix.decode("utf-8", errors="ignore"))
        if line == 1 and self._bom and (counts_bom or counts_bytes):
            column -= 1
        return max(column, 0)

    def _line(self, number: int) -> str:
        if self._lines is None:
            text = _decode(self._load())
            self._lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return self._lines[number - 1] if 0 < number <= len(self._lines) else ""


def _decode(data: bytes) -> str:
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    declared = re.match(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)", data)
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        return data.decode(encoding, errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


@cache
def _expat_columns() -> tuple[bool, bool]:
    """(columns count bytes, a BOM counts as a column) for the expat in use."""
    found: dict[str, int] = {}

    class Probe(ContentHandler):
        def setDocumentLocator(self, locator) -> None:  # noqa: N802 (SAX API)
            self.locator = locator

        def startElementNS(self, name, qname, attrs) -> None:  # noqa: N802 (SAX API)
            found[name[1]] = self.locator.getColumnNumber()

    for data in ("<a>\u00e4<b/></a>".encode(), b"\xef\xbb\xbf<c/>"):
        parser = DefusedExpatParser()
        parser.setFeature(feature_namespaces, True)
        parser.setContentHandler(Probe())
        source = InputSource()
        source.setByteStream(io.BytesIO(data))
        parser.parse(source)
    return found.get("b") == 5, found.get("c") == 1
