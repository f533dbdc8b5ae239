"""``--format xliff``: XLIFF 2.1 with ITS 2.0 Localization Quality Issue markup.

The English reference is the ``<source>``, the German the ``<target>``; every flag marks
its span in the target:

    <mrk id="m1" type="its:any" its:locQualityIssueType="grammar"
         its:locQualityIssueComment="message → suggestion" its:locQualityIssueSeverity="60">

- Layout. A plain-text, JSONL, Markdown or TMX draft gives one ``<file>`` per document and
  one ``<unit>`` per segment (id: the segment id, made an XML NMTOKEN and unique). An
  XLIFF draft keeps its units: an XLIFF 2.x input is copied (files, groups, unit ids,
  notes, metadata, units mtcheck skipped) and each checked unit's content is replaced by
  one ``<segment>`` per mtcheck segment; an XLIFF 1.x input becomes one 2.1 unit per
  ``<trans-unit>`` (same id, its notes kept).
- Inline codes of an XLIFF input (``<ph>``, ``<pc>``, ``<sc>``/``<ec>``; 1.2's ``<x>``,
  ``<g>``, …) are written back in the source and target where they stood, and characters
  XML 1.0 cannot carry (ESC, NUL, form feed, …) become ``<cp hex="1B"/>``; see
  :mod:`mtcheck.report.xliff_inline`. A flag that crosses a ``<pc>`` is an ``<sm>``/``<em>``
  pair, so that the code stays whole.
- Segments without a counterpart: German with no English (alignment 1-0) has an empty
  ``<source/>``; English with no German (0-1) has no ``<target>`` (XLIFF 2 allows that;
  the XLIFF reader then reads the English as an omission again); its flags (the
  ``omission``) mark the whole English ``<source>``, as there is no German to mark.
- Severity: ITS uses 0–100; minor 25, major 60, critical 100.
- Overlaps: flags that nest become nested ``<mrk>``; a flag that crosses another one is
  written as an ``<sm>``/``<em>`` pair (XLIFF 2's markers for spans that cannot nest), with
  the same ITS attributes on ``<sm>``.
- Scores and the back-translation travel as ``<note category="mtcheck">`` in the unit.

Reading the file back with ``mtcheck check`` gives the same texts (markers keep their text).
The tree is built with xml.etree.ElementTree, which escapes every text and attribute.
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from pathlib import Path

from mtcheck.model import DocumentResult, Flag, Result, SegmentResult
from mtcheck.report.common import flag_message
from mtcheck.report.spans import nest, tree, walk
from mtcheck.report.xliff_inline import Code, Originals, append_text, codes, original_codes, plain

XLIFF = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF_1 = "urn:oasis:names:tc:xliff:document:1.2"
ITS = "http://www.w3.org/2005/11/its"

# ITS 2.0 locQualityIssueSeverity is a decimal 0-100.
ITS_SEVERITY = {"minor": 25, "major": 60, "critical": 100}

# MQM category (DESIGN.md) -> ITS 2.0 locQualityIssueType; first match wins.
_RULE_TYPES = {
    "number-mismatch": "numbers",
    "number-format": "numbers",
    "repeated-word": "duplication",
    "term-inconsistency": "inconsistency",
    "markup-mismatch": "markup",
}
_CATEGORY_TYPES = (
    ("accuracy/mistranslation", "mistranslation"),
    ("accuracy/untranslated", "untranslated"),
    ("accuracy/omission", "omission"),
    ("accuracy/addition", "addition"),
    ("fluency/grammar", "grammar"),
    ("fluency/punctuation", "typographical"),
    ("fluency/typography", "typographical"),
    ("fluency/spelling", "misspelling"),
    ("fluency/register", "register"),
    ("fluency/inconsistency", "inconsistency"),
    ("fluency/character encoding", "characters"),
    ("terminology", "terminology"),
    ("style", "style"),
    ("locale convention", "locale-violation"),
    ("design", "formatting"),
)


def its_issue_type(flag: Flag) -> str:
    """The ITS 2.0 issue type of a flag: by rule where it is more precise, else by category."""
    if flag.rule in _RULE_TYPES:
        return _RULE_TYPES[flag.rule]
    category = flag.category.strip().lower()
    for prefix, issue_type in _CATEGORY_TYPES:
        if category == prefix or category.startswith(prefix + "/"):
            return issue_type
    return "other"


def _q(name: str) -> str:
    return f"{{{XLIFF}}}{name}"


def _its(name: str) -> str:
    return f"{{{ITS}}}{name}"


def xml_id(value: str, used: set[str]) -> str:
    """``value`` as an NMTOKEN (letters, digits, ``._-``) that is not in ``used`` yet."""
    base = re.sub(r"[^\w.\-]", "_", value) or "_"
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}_{n}"
    used.add(candidate)
    return candidate


def _issue_attributes(flag: Flag, mrk_id: str) -> dict[str, str]:
    return {
        "id": mrk_id,
        "type": "its:any",
        _its("locQualityIssueType"): its_issue_type(flag),
        _its("locQualityIssueComment"): plain(flag_message(flag)),
        _its("locQualityIssueSeverity"): str(ITS_SEVERITY[flag.severity]),
    }


def _marked_text(
    parent: ET.Element,
    text: str,
    flags: tuple[Flag, ...],
    ids: Iterable[str],
    inline: Sequence[Code] = (),
):
    """Fill ``parent`` with ``text``, its inline codes, and one ``<mrk>`` (or
    ``<sm>``/``<em>``) per flag."""
    ids = iter(ids)
    pieces = nest([flag.span for flag in flags], len(text))
    split = {p.index for p in pieces if not p.first}
    # Codes come first: listed first, a code and a flag of the same span nest code outside.
    items: list[tuple[int, int, object]] = [(c.start, c.end, c) for c in inline]
    wrapping = [(c.start, c.end) for c in inline if c.end > c.start]
    for piece in pieces:
        if any(_crosses(piece, span) for span in wrapping):
            split.add(piece.index)
    for piece in pieces:
        if piece.first and piece.index not in split:
            items.append((piece.start, piece.end, ("mrk", piece.index, next(ids))))
    for index in sorted(split):
        start = min(max(flags[index].span[0], 0), len(text))
        end = min(max(flags[index].span[1], start), len(text))
        marker = next(ids)
        items.append((start, start, ("sm", index, marker)))
        items.append((end, end, ("em", index, marker)))
    stack: list[ET.Element] = [parent]

    def emit_text(chunk: str) -> None:
        append_text(stack[-1], chunk, _q("cp"))

    def enter(item) -> None:
        if isinstance(item, Code):
            stack.append(ET.SubElement(stack[-1], _q(item.name), item.attributes))
            return
        kind, index, marker = item
        if kind == "em":
            element = ET.SubElement(stack[-1], _q("em"), {"startRef": marker})
        else:
            element = ET.SubElement(stack[-1], _q(kind), _issue_attributes(flags[index], marker))
        stack.append(element)

    def leave(item) -> None:
        stack.pop()

    walk(tree(items, len(text)), text, emit_text, enter, leave)


def _crosses(piece, span: tuple[int, int]) -> bool:
    start, end = span
    return piece.start < start < piece.end < end or start < piece.start < end < piece.end


def _notes(item: SegmentResult) -> list[str]:
    notes = []
    alignment = item.segment.alignment
    if alignment == "1-0":
        notes.append("alignment 1-0: German with no English counterpart")
    elif alignment == "0-1":
        notes.append("alignment 0-1: English with no German counterpart (omission?)")
    elif alignment and alignment != "1-1":
        notes.append(f"alignment {alignment}")
    if item.scores is not None:
        scores = f"chrF {item.scores.chrf:.1f}, BLEU {item.scores.bleu:.1f}"
        if item.scores.adequacy is not None:
            scores += f", adequacy {item.scores.adequacy:.2f}"
        notes.append(scores)
    if item.backtranslation is not None and item.segment.target:
        notes.append(f"back-translation: {item.backtranslation}")
    return [f"{item.segment.id}: {note}" for note in notes]


def _add_notes(unit: ET.Element, texts: list[str]) -> None:
    if not texts:
        return
    notes = unit.find(_q("notes"))
    if notes is None:
        notes = ET.Element(_q("notes"))
        position = next(
            (
                k
                for k, child in enumerate(unit)
                if child.tag in {_q("originalData"), _q("segment"), _q("ignorable")}
            ),
            len(unit),
        )
        unit.insert(position, notes)
    for text in texts:
        # A note holds text only: characters XML cannot carry are written out (\x1b).
        ET.SubElement(notes, _q("note"), {"category": "mtcheck"}).text = plain(text)


# The inline codes of an XLIFF input's unit, source and target: by (name, id) the original
# attributes for XLIFF 2, None for XLIFF 1.2; empty for other inputs (no codes).
_Originals = tuple[Originals | None, Originals | None]
_NO_CODES: _Originals = ({}, {})


def _fill_unit(
    unit: ET.Element,
    items: list[SegmentResult],
    counter: list[int],
    originals: _Originals = _NO_CODES,
) -> None:
    notes = [note for item in items for note in _notes(item)]
    _add_notes(unit, notes)
    for k, item in enumerate(items, start=1):
        segment = item.segment
        element = ET.SubElement(unit, _q("segment"), {"id": f"s{k}"})
        source = ET.SubElement(element, _q("source"))
        ids = []
        for _ in item.flags:
            counter[0] += 1
            ids.append(f"m{counter[0]}")
        english = segment.reference or ""
        source_codes = codes(segment.reference_markup, originals[0], len(english))
        _keep_layout(source, english)
        if segment.target:
            _marked_text(source, english, (), (), source_codes)
            target = ET.SubElement(element, _q("target"))
            _keep_layout(target, segment.target)
            target_codes = codes(segment.markup, originals[1], len(segment.target))
            _marked_text(target, segment.target, item.flags, ids, target_codes)
        elif item.flags and segment.reference:
            # No German to mark (a 0-1 link): the issue (an omission) marks the English
            # that was left untranslated.
            whole = tuple(dataclasses.replace(flag, span=(0, len(english))) for flag in item.flags)
            _marked_text(source, english, whole, ids, source_codes)
        else:
            _marked_text(source, english, (), (), source_codes)


def _keep_layout(element: ET.Element, text: str) -> None:
    """``xml:space="preserve"`` where a reader would otherwise turn a tab, a line or page
    break, or a run of spaces into one space, so that the text reads back unchanged."""
    if _LAYOUT.search(text):
        element.set(_XML_SPACE, "preserve")


def _paragraph_id(segment_id: str) -> str:
    return segment_id.rsplit(".", 1)[0]


def _by_paragraph(document: DocumentResult) -> dict[str, list[SegmentResult]]:
    groups: dict[str, list[SegmentResult]] = {}
    for item in document.segments:
        groups.setdefault(_paragraph_id(item.segment.id), []).append(item)
    return groups


def _new_file(root: ET.Element, document: DocumentResult, used: set[str]) -> ET.Element:
    return ET.SubElement(
        root,
        _q("file"),
        {"id": xml_id(f"f{len(root) + 1}", used), "original": plain(document.path)},
    )


def _fresh_document(root: ET.Element, document: DocumentResult, used_files: set[str]) -> None:
    file = _new_file(root, document, used_files)
    used: set[str] = set()
    counter = [0]
    for item in document.segments:
        unit = ET.SubElement(file, _q("unit"), {"id": xml_id(item.segment.id, used)})
        _fill_unit(unit, [item], counter)


def _xliff_input(document: DocumentResult) -> ET.Element | None:
    """The parsed input when the draft was an XLIFF file that is still there."""
    path = Path(document.path)
    if path.suffix.lower() not in (".xlf", ".xliff") or not path.is_file():
        return None
    try:
        from defusedxml.ElementTree import fromstring

        return fromstring(path.read_bytes())
    except Exception:  # noqa: BLE001 - fall back to the plain layout
        return None


def _from_xliff_1(
    root: ET.Element, source: ET.Element, document: DocumentResult, used_files: set[str]
) -> None:
    groups = _by_paragraph(document)
    files = [f for f in source if f.tag in (f"{{{XLIFF_1}}}file", "file")]
    several = len(files) > 1
    notes_by_id: dict[str, list[str]] = {}
    for number, file in enumerate(files, start=1):
        name = file.get("original") or file.get("id") or ""
        for unit in file.iter():
            if unit.tag.rsplit("}", 1)[-1] != "trans-unit" or not unit.get("id"):
                continue
            key = f"{name or number}/{unit.get('id')}" if several else unit.get("id")
            notes_by_id[key] = [
                "".join(n.itertext()) for n in unit if n.tag.rsplit("}", 1)[-1] == "note"
            ]
    file = _new_file(root, document, used_files)
    used: set[str] = set()
    counter = [0]
    for paragraph_id, items in groups.items():
        unit = ET.SubElement(file, _q("unit"), {"id": xml_id(paragraph_id, used)})
        originals = notes_by_id.get(paragraph_id, [])
        if originals:
            notes = ET.SubElement(unit, _q("notes"))
            for text in originals:
                ET.SubElement(notes, _q("note")).text = text
        _fill_unit(unit, items, counter, (None, None))


def _from_xliff_2(source: ET.Element, document: DocumentResult) -> list[ET.Element]:
    """The input's ``<file>`` elements, each checked unit's content replaced."""
    groups = _by_paragraph(document)
    files = [f for f in source if f.tag == _q("file")]
    several = len(files) > 1
    counter = [0]
    for number, file in enumerate(files, start=1):
        name = file.get("original") or file.get("id") or ""
        for unit in file.iter(_q("unit")):
            unit_id = unit.get("id")
            key = f"{name or number}/{unit_id}" if several else unit_id
            items = groups.get(key)
            if not items:
                continue  # not checked (translate="no", no target): left as it was
            inline = (original_codes(unit, "source", XLIFF), original_codes(unit, "target", XLIFF))
            for child in list(unit):
                if child.tag in (_q("segment"), _q("ignorable")):
                    unit.remove(child)
            _fill_unit(unit, items, counter, inline)
    return files


def to_xliff(result: Result) -> ET.Element:
    ET.register_namespace("its", ITS)
    ET.register_namespace("", XLIFF)  # XLIFF elements unprefixed
    root = ET.Element(
        _q("xliff"), {"version": "2.1", "srcLang": "en", "trgLang": "de", _its("version"): "2.0"}
    )
    used_files: set[str] = set()
    for document in result.documents:
        source = _xliff_input(document)
        if source is not None and source.tag == _q("xliff"):
            for file in _from_xliff_2(source, document):
                file.set("id", xml_id(file.get("id") or f"f{len(root) + 1}", used_files))
                root.append(file)
        elif source is not None and source.tag.rsplit("}", 1)[-1] == "xliff":
            _from_xliff_1(root, source, document, used_files)
        else:
            _fresh_document(root, document, used_files)
    return root


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_LAYOUT = re.compile(r"[\t\n\r\f\v]|  ")

_STRUCTURE = {
    _q(name)
    for name in ("xliff", "file", "group", "unit", "notes", "segment", "ignorable", "originalData")
}


def _indent(element: ET.Element, level: int = 0) -> None:
    """Line breaks and indentation between structural elements only, never inside text."""
    children = list(element)
    if element.tag not in _STRUCTURE or not children or (element.text or "").strip():
        return
    inner = "\n" + "  " * (level + 1)
    element.text = inner
    for child in children:
        _indent(child, level + 1)
        if not (child.tail or "").strip():
            child.tail = inner
    if not (children[-1].tail or "").strip():
        children[-1].tail = "\n" + "  " * level


def render_xliff(result: Result) -> str:
    root = to_xliff(result)
    _indent(root)
    # A carriage return in text would read back as a line feed (XML normalises line
    # ends); as a character reference it stays. ElementTree writes one in attributes only.
    body = ET.tostring(root, encoding="unicode").replace("\r", "&#13;")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
