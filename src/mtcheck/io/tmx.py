"""Read TMX translation memories (1.1 to 1.4b).

One paragraph per ``<tu>`` that has a German ``<tuv>`` (``xml:lang``, or TMX 1.1's
``lang``, "de" or "de-…"): ``text`` its ``<seg>``, ``reference`` the English one (if
any), ``id`` the ``tuid`` or else the 1-based number of the ``<tu>`` in the file. Read as
the English side, the paragraphs are the English segments. Where a ``<tu>`` holds several
variants of one language the first counts. A ``<tu>`` without (or with an empty) segment
in the wanted language is skipped.

Inline codes (``bpt ept it ph ut``) are native data and left out; ``hi`` keeps its text.
Runs of spaces, tabs and line breaks become one space.

:func:`stream_tmx` gives the paragraphs one at a time while the file is parsed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO

from mtcheck.errors import InputError
from mtcheck.io import _xml
from mtcheck.io.text import Run
from mtcheck.io.xliff import language_is
from mtcheck.model import Paragraph

SKIP = frozenset({"bpt", "ept", "it", "ph", "ut"})


def read_tmx(path: Path, data: bytes, language: str) -> list[Paragraph]:
    reader = _Reader(path, language)
    _xml.parse(path, data, reader.start, reader.end)
    return reader.paragraphs()


def stream_tmx(path: Path, stream: IO[bytes], language: str) -> Iterator[Paragraph]:
    """The paragraphs of :func:`read_tmx`, each as soon as its ``<tu>`` has been parsed."""
    reader = _Reader(path, language)
    index = 0
    for _ in _xml.iterparse(path, stream, reader.start, reader.end):
        units, reader.units = reader.units, []
        for tu_id, run, reference in units:
            index += 1
            yield run.paragraph(index, id=tu_id, reference=reference)
    if not index:
        raise reader.nothing()


class _Reader:
    def __init__(self, path: Path, language: str):
        self.path = path
        self.language = language
        self.count = 0
        self.ids: set[str] = set()
        self.languages: set[str] = set()
        self.units: list[tuple[str, Run, str | None]] = []

    def start(self, node: _xml.Node, ancestors: list[_xml.Node]) -> bool:
        if not ancestors and node.name != "tmx":
            raise InputError(
                f"{self.path}: not a TMX file (the root element is <{node.name}>, not <tmx>); "
                "give a TMX translation memory."
            )
        return node.name == "tu"

    def end(self, node: _xml.Node, ancestors: list[_xml.Node]) -> None:
        if node.name != "tu":
            return
        self.count += 1
        tu_id = node.attrs.get("tuid") or str(self.count)
        if tu_id in self.ids:
            raise InputError(
                f"{self.path}:{node.line}:{node.column}: duplicate tu id {tu_id!r}; "
                "give every <tu> a distinct tuid."
            )
        self.ids.add(tu_id)
        variants: dict[str, Run] = {}
        for tuv in node.findall("tuv"):
            tag = tuv.attrs.get("xml:lang") or tuv.attrs.get("lang") or ""
            self.languages.add(tag)
            for wanted in ("de", "en"):
                if language_is(tag, wanted) and wanted not in variants:
                    seg = tuv.find("seg")
                    variants[wanted] = (
                        _xml.text_of(seg, SKIP).normalized() if seg is not None else Run()
                    )
        text = variants.get(self.language)
        if not text:
            return
        reference = variants.get("en") if self.language == "de" else None
        self.units.append((tu_id, text, reference.text or None if reference else None))

    def nothing(self) -> InputError:
        name = "German (de)" if self.language == "de" else "English (en)"
        found = ", ".join(sorted(t or "(none)" for t in self.languages)) or "none"
        return InputError(
            f"{self.path}: no <tu> has a {name} segment with text (languages found: "
            f"{found}); mtcheck checks English into German."
        )

    def paragraphs(self) -> list[Paragraph]:
        if not self.units:
            raise self.nothing()
        return [
            run.paragraph(index, id=tu_id, reference=reference)
            for index, (tu_id, run, reference) in enumerate(self.units, start=1)
        ]
