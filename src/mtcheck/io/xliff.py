"""Read XLIFF 1.2 (and 1.0/1.1) and XLIFF 2.x files.

One paragraph per translation unit (1.x ``<trans-unit>``, 2.x ``<unit>``), ``id`` the unit
id, ``text`` the German ``<target>`` and ``reference`` the English ``<source>``, so a
draft in XLIFF carries its own reference. Read as the English side (``language="en"``)
the paragraphs are the sources.

- Only a unit's own ``<source>``/``<target>`` count (never ``<alt-trans>``, notes or
  metadata). A 2.x unit's segments are joined with one space; its ``<ignorable>`` parts
  are left out. The reference holds every segment's source, so a segment without a
  target shows up as English with no German.
- Units without a target, with an empty target, or marked ``translate="no"`` (on the unit
  or an enclosing group or file) are skipped.
- Inline codes (1.x ``bpt ept ph it ut x bx ex``; 2.x ``ph sc ec sm em``) are native data
  and left out; ``g``, ``mrk``, ``pc`` and unknown inline elements keep their text;
  ``<cp hex>`` becomes its character. The codes a translation must keep (1.x ``g x bx ex
  ph bpt ept it``, 2.x ``ph pc sc ec``) are recorded as markup of kind ``tag``, valued
  ``<name id="…">``, for the target (``markup``) and the source (``reference_markup``).
- Runs of spaces, tabs and line breaks become one space and the text is stripped, unless
  ``xml:space="preserve"`` applies (then only stripped).
- The source language must be English (``en``, ``en-US``, …) and, for a draft, the
  target language German (``de``, ``de-DE``, …).
- In a file with several ``<file>`` elements the ids are ``<file original or id>/<unit id>``.
- A unit's ``<note>`` (1.x: in the ``<trans-unit>``; 2.x: in the unit's ``<notes>``) that
  reads ``mtcheck-disable RULE[, RULE …]`` switches those rules off for the unit: they go
  to the paragraph's ``suppressed``. Other notes are left alone; a note that starts with
  ``mtcheck-`` but is no such directive is an :class:`~mtcheck.errors.InputError`.

:func:`stream_xliff` gives the units one at a time while the file is parsed (for
``mtcheck audit``); :func:`count_files` tells it beforehand whether ids are qualified.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from mtcheck.errors import InputError
from mtcheck.io import _xml
from mtcheck.io.text import Run, join, normalized_offsets
from mtcheck.model import Markup, Paragraph

SKIP_1 = frozenset({"bpt", "ept", "ph", "it", "ut", "x", "bx", "ex"})
SKIP_2 = frozenset({"ph", "sc", "ec", "sm", "em"})
# Inline codes that stand for formatting or placeholders and must reach the target
# (annotations, <mrk>/<sm>/<em>, need not).
CODES_1 = frozenset({"g", "x", "bx", "ex", "ph", "bpt", "ept", "it"})
CODES_2 = frozenset({"ph", "pc", "sc", "ec"})
# A unit while the file is read: file number, id, target (or source) text, reference,
# the markup of the text and of the reference, and the rules its notes switch off.
_Unit = tuple[int, str, Run, str | None, tuple[Markup, ...], tuple[Markup, ...], tuple[str, ...]]
_DIRECTIVE = re.compile(r"mtcheck-disable\s+(\S.*)", re.S)
# The lines a unit's suppression covers: all of them (the paragraph is the unit).
_WHOLE_UNIT = (1, sys.maxsize)


def language_is(value: str | None, wanted: str) -> bool:
    """Whether a language tag's primary subtag is ``wanted`` ("de-AT" is "de")."""
    return bool(value) and re.split(r"[-_]", value.strip().lower())[0] == wanted


def read_xliff(path: Path, data: bytes, language: str) -> list[Paragraph]:
    reader = _Reader(path, language)
    _xml.parse(path, data, reader.start, reader.end)
    return reader.paragraphs()


def count_files(path: Path, stream: IO[bytes], stop: int = 2) -> int:
    """How many ``<file>`` elements the XLIFF file has, counting up to ``stop``. Checks
    the root and the languages on the way; collects nothing."""
    reader = _Reader(path, "de")

    def start(node: _xml.Node, ancestors: list[_xml.Node]) -> bool:
        reader.start(node, ancestors)
        return False

    for _ in _xml.iterparse(path, stream, start, lambda _node, _ancestors: None):
        if len(reader.files) >= stop:
            break
    return len(reader.files)


def stream_xliff(
    path: Path, stream: IO[bytes], language: str, *, several: bool
) -> Iterator[tuple[str, Paragraph]]:
    """(name of the unit's ``<file>``, paragraph) for each unit, while ``stream`` is parsed;
    the paragraphs are those of :func:`read_xliff` when ``several`` says whether the file
    has more than one ``<file>`` (see :func:`count_files`)."""
    reader = _Reader(path, language)
    index = 0
    seen: set[str] = set()
    for _ in _xml.iterparse(path, stream, reader.start, reader.end):
        units, reader.units = reader.units, []
        for unit in units:
            index += 1
            yield reader.file_name(unit[0]), reader.paragraph(index, unit, several, seen)
    if not index:
        raise reader.nothing()


class _Reader:
    def __init__(self, path: Path, language: str):
        self.path = path
        self.language = language
        self.version = 0  # major version, set at the root
        self.files: list[str] = []
        self.ids: set[tuple[int, str]] = set()
        self.units: list[_Unit] = []

    # -- structure ------------------------------------------------------------------

    def start(self, node: _xml.Node, ancestors: list[_xml.Node]) -> bool:
        if not ancestors:
            self._root(node)
            return False
        if node.name == "file" and ancestors[-1].name == "xliff":
            self.files.append(node.attrs.get("original") or node.attrs.get("id") or "")
            if self.version == 1:
                self._languages(node, "<file>", "source-language", "target-language")
            return False
        return node.name == ("trans-unit" if self.version == 1 else "unit")

    def end(self, node: _xml.Node, ancestors: list[_xml.Node]) -> None:
        if node.name == ("trans-unit" if self.version == 1 else "unit") and self.files:
            self._unit(node, ancestors)

    def _root(self, node: _xml.Node) -> None:
        if node.name != "xliff":
            raise InputError(
                f"{self.path}: not an XLIFF file (the root element is <{node.name}>, not "
                "<xliff>); give an XLIFF 1.2 or 2.x file."
            )
        version = node.attrs.get("version", "")
        if version.startswith("2"):
            self.version = 2
        elif version.startswith("1") or not version:
            self.version = 1
        else:
            raise InputError(
                f"{self.path}: XLIFF version {version!r} is not supported; "
                "give an XLIFF 1.2 or 2.x file."
            )
        if self.version == 2:
            self._languages(node, "<xliff>", "srcLang", "trgLang")

    def _languages(self, node: _xml.Node, element: str, src: str, trg: str) -> None:
        source, target = node.attrs.get(src), node.attrs.get(trg)
        where = f"{self.path}:{node.line}"
        if not source:
            raise InputError(
                f"{where}: the {element} has no {src}; mtcheck checks English into German: "
                f'add {src}="en".'
            )
        if not language_is(source, "en"):
            raise InputError(
                f"{where}: the XLIFF source language is {source!r} (target {target!r}); "
                "mtcheck checks English (en) into German (de)."
            )
        if self.language != "de":
            return
        if not target:
            raise InputError(
                f"{where}: the {element} has no {trg}; mtcheck checks English into German: "
                f'add {trg}="de".'
            )
        if not language_is(target, "de"):
            raise InputError(
                f"{where}: the XLIFF target language is {target!r} (source {source!r}); "
                "mtcheck checks English (en) into German (de)."
            )

    # -- units ----------------------------------------------------------------------

    def _unit(self, node: _xml.Node, ancestors: list[_xml.Node]) -> None:
        unit_id = node.attrs.get("id")
        kind = "trans-unit" if self.version == 1 else "unit"
        if not unit_id:
            raise InputError(
                f"{self.path}:{node.line}:{node.column}: a <{kind}> has no id; "
                "XLIFF requires one on every unit."
            )
        key = (len(self.files), unit_id)
        if key in self.ids:
            raise InputError(
                f"{self.path}:{node.line}:{node.column}: duplicate {kind} id {unit_id!r}; "
                "unit ids must be unique within a <file>."
            )
        self.ids.add(key)
        if _inherited(node, ancestors, "translate") == "no":
            return
        preserve = _inherited(node, ancestors, "xml:space") == "preserve"
        if self.version == 1:
            sources = [_part(node.find("source"), SKIP_1, CODES_1, preserve)]
            targets = [_part(node.find("target"), SKIP_1, CODES_1, preserve)]
        else:
            segments = list(node.findall("segment"))
            sources = [
                _part(s.find("source"), SKIP_2, CODES_2, _preserve(s, preserve)) for s in segments
            ]
            targets = [
                _part(s.find("target"), SKIP_2, CODES_2, _preserve(s, preserve)) for s in segments
            ]
        source, source_markup = _join_parts(sources)
        off = self._suppressed(node)
        if self.language == "de":
            target, target_markup = _join_parts(targets)
            if target:
                reference = source.text or None
                self.units.append(
                    (len(self.files), unit_id, target, reference, target_markup, source_markup, off)
                )
        elif source:
            self.units.append((len(self.files), unit_id, source, None, source_markup, (), off))

    def _suppressed(self, node: _xml.Node) -> tuple[str, ...]:
        """The rules the unit's ``mtcheck-disable`` notes switch off."""
        holder = node if self.version == 1 else node.find("notes")
        names: list[str] = []
        for note in holder.findall("note") if holder is not None else ():
            text = _xml.text_of(note, frozenset()).text.strip()
            if not text.startswith("mtcheck-"):
                continue
            directive = _DIRECTIVE.fullmatch(text)
            if directive is None:
                raise InputError(
                    f"{self.path}:{note.line}: the note {text[:60]!r} is no mtcheck directive; "
                    "write 'mtcheck-disable RULE[, RULE]' to switch rules off for the unit."
                )
            names.extend(name for name in re.split(r"[\s,]+", directive[1]) if name)
        return tuple(names)

    def paragraphs(self) -> list[Paragraph]:
        if not self.units:
            raise self.nothing()
        several = len(self.files) > 1
        seen: set[str] = set()
        return [
            self.paragraph(index, unit, several, seen)
            for index, unit in enumerate(self.units, start=1)
        ]

    def nothing(self) -> InputError:
        what = "a non-empty <target>" if self.language == "de" else "a <source> text"
        return InputError(f"{self.path}: no translation unit has {what}; nothing to check.")

    def file_name(self, file_number: int) -> str:
        return self.files[file_number - 1] or str(file_number)

    def paragraph(self, index: int, unit: _Unit, several: bool, seen: set[str]) -> Paragraph:
        file_number, unit_id, run, reference, markup, reference_markup, off = unit
        paragraph_id = unit_id
        if several:
            paragraph_id = f"{self.file_name(file_number)}/{unit_id}"
            if paragraph_id in seen:
                raise InputError(
                    f"{self.path}: two <file> elements share the name and the unit id "
                    f"{paragraph_id!r}; give each <file> a distinct original/id."
                )
            seen.add(paragraph_id)
        paragraph = run.paragraph(index, id=paragraph_id, reference=reference)
        return dataclasses.replace(
            paragraph,
            markup=markup,
            reference_markup=reference_markup if reference else (),
            suppressed=tuple((name, *_WHOLE_UNIT) for name in off),
        )


def _part(
    node: _xml.Node | None, skip: frozenset[str], codes: frozenset[str], preserve: bool
) -> tuple[Run, tuple[Markup, ...]]:
    """The text of a ``<source>``/``<target>`` and its inline codes (offsets into it)."""
    if node is None:
        return Run(), ()
    raw, found = _xml.text_and_codes(node, skip, codes)
    collapse = not _preserve(node, preserve)
    run = raw.normalized(collapse=collapse)
    where = normalized_offsets(raw.chars, len(run), collapse)
    markup = tuple(
        Markup(
            "tag", name, where[start], max(where[start], where[end - 1] + 1 if end > start else 0)
        )
        for name, start, end in found
    )
    return run, markup


def _join_parts(parts: list[tuple[Run, tuple[Markup, ...]]]) -> tuple[Run, tuple[Markup, ...]]:
    """:func:`join` for parts with markup: each part's items move with its text."""
    runs = [run for run, _ in parts]
    markup: list[Markup] = []
    offset = 0
    for run, items in parts:
        if not run:
            continue
        markup.extend(
            dataclasses.replace(item, start=item.start + offset, end=item.end + offset)
            for item in items
        )
        offset += len(run) + 1  # the separator join() puts after it
    return join(runs), tuple(markup)


def _preserve(node: _xml.Node, inherited: bool) -> bool:
    space = node.attrs.get("xml:space")
    return inherited if space is None else space == "preserve"


def _inherited(node: _xml.Node, ancestors: list[_xml.Node], attribute: str) -> str | None:
    for element in (node, *reversed(ancestors)):
        if attribute in element.attrs:
            return element.attrs[attribute]
    return None
