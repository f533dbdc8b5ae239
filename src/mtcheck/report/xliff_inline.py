"""What ``--format xliff`` writes inside ``<source>``/``<target>`` besides the markers:
the input's inline codes, and ``<cp/>`` for characters XML 1.0 cannot carry.

- Inline codes. The XLIFF reader records each code a translation must keep as markup of
  kind ``tag`` (``<ph id="1">``, with offsets into the segment). They are written back
  where they stood: from an XLIFF 2 input with all the attributes of the original element
  (``dataRef``, ``equiv``, ``disp``, …; its ``<originalData>`` stays in the unit), from an
  XLIFF 1.2 input as their XLIFF 2 counterparts (``x``/``ph``/``it`` → ``ph``, ``g`` →
  ``pc``, ``bx``/``bpt`` → ``sc``, ``ex``/``ept`` → ``ec``) with their id.
- Characters that XML 1.0 forbids (C0 controls other than tab, line feed and carriage
  return; lone surrogates; U+FFFE, U+FFFF) become ``<cp hex="1B"/>``, which the XLIFF
  reader turns back into the character. Attributes and notes cannot hold ``<cp/>``: there
  they are written as ``\\x1b`` or ``\\ud800``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mtcheck.model import Markup

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CODE = re.compile(r'<([\w.:-]+)(?: id="(.*)")?>', re.DOTALL)
# XLIFF 1.2 inline codes as XLIFF 2 elements, and the attribute their id goes into.
_FROM_1 = {
    "x": ("ph", "id"),
    "ph": ("ph", "id"),
    "it": ("ph", "id"),
    "g": ("pc", "id"),
    "bx": ("sc", "id"),
    "bpt": ("sc", "id"),
    "ex": ("ec", "startRef"),
    "ept": ("ec", "startRef"),
}
# A code's identity, as the reader names it (io._xml.code_name).
_IDENTITY = ("id", "startRef", "rid")

Originals = Mapping[tuple[str, str], dict[str, str]]


@dataclass(frozen=True)
class Code:
    """An inline code to write at ``[start, end)`` of a text (empty for a placeholder)."""

    start: int
    end: int
    name: str  # the XLIFF 2 element's local name
    attributes: dict[str, str]


def plain(text: str) -> str:
    r"""``text`` for an attribute or a note: characters XML cannot carry as ``\x1b``."""
    return _NOT_XML.sub(_notation, text)


def _notation(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def append_text(parent: ET.Element, text: str, cp_tag: str) -> None:
    """Add ``text`` at the end of ``parent``'s content, each character XML cannot carry
    as a ``cp_tag`` element (``<cp hex="1B"/>``)."""
    position = 0
    for match in _NOT_XML.finditer(text):
        _append_plain(parent, text[position : match.start()])
        ET.SubElement(parent, cp_tag, {"hex": f"{ord(match.group()):X}"})
        position = match.end()
    _append_plain(parent, text[position:])


def _append_plain(parent: ET.Element, text: str) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def original_codes(unit: ET.Element, side: str, namespace: str) -> dict[tuple[str, str], dict]:
    """The attributes of the inline codes in an XLIFF 2 unit's ``side`` (``source`` or
    ``target``) elements, by (local name, identity)."""
    found: dict[tuple[str, str], dict] = {}
    for part in unit.iter(f"{{{namespace}}}{side}"):
        for element in part.iter():
            if element is part or not element.tag.startswith(f"{{{namespace}}}"):
                continue
            name = element.tag.rsplit("}", 1)[-1]
            identity = next((element.get(a) for a in _IDENTITY if element.get(a)), "")
            found.setdefault((name, identity), dict(element.attrib))
    return found


def codes(markup: Sequence[Markup], originals: Originals | None, length: int) -> list[Code]:
    """The inline codes among ``markup`` (a segment's, offsets into its text of ``length``
    characters); ``originals`` from :func:`original_codes` for an XLIFF 2 input, None for
    an XLIFF 1.2 one."""
    result = []
    for item in markup:
        match = _CODE.fullmatch(item.value) if item.kind == "tag" else None
        if match is None:
            continue
        name, identity = match.group(1), match.group(2) or ""
        start = min(max(item.start, 0), length)
        end = min(max(item.end, start), length)
        if originals is not None:
            attributes = originals.get((name, identity))
            if attributes is None:
                attributes = {"startRef" if name == "ec" else "id": identity}
        else:
            name, key = _FROM_1.get(name, ("ph", "id"))
            attributes = {key: identity}
        if name in ("ph", "sc", "ec"):
            end = start  # empty elements in XLIFF 2
        result.append(Code(start, end, name, {k: v for k, v in attributes.items() if v}))
    return result
