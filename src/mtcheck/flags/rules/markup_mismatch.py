"""markup-mismatch: a placeholder, inline code, link target, URL or tag changed in the German.

MQM category "Design/Markup": MQM files markup (tags, codes that stand for structure or
formatting, and so placeholders, which XLIFF writes as inline codes) under its design
dimension, "Design > Markup" in the 2015 issue list and "Design and markup > Markup" in
MQM Core 2.0; neither Accuracy nor Fluency (Linguistic conventions) holds it, and the
WMT scheme the other rules follow has no markup type. The XLIFF report maps "design" to
the ITS 2.0 type "formatting". Major: a broken placeholder or link breaks the product,
not only the reading.
"""

from __future__ import annotations

import re
from collections import defaultdict

from mtcheck.flags.markup import find_markup, group, key, localised, translatable
from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.text import SegmentText
from mtcheck.model import Markup

# A character without which the text scan finds nothing.
_MAYBE = re.compile(r"[{%$<`]|://|www\.", re.IGNORECASE)
_NAMES = {
    "placeholder": "placeholder",
    "code": "inline code",
    "address": "link target",
    "tag": "tag",
}


@rule("markup-mismatch", "Design/Markup", "major", fix="unsafe")
def check(segment: SegmentText, context: Context):
    """A placeholder, inline code, link target, URL or inline tag of the reference that is
    missing or changed in the German, or one the German adds.

    Compared: placeholders (``{name}``, ``{0}``, ``{{count}}``, ``%s``, ``%(x)d``,
    ``${var}``), inline code, link and image destinations and URLs, HTML tags, and XLIFF
    inline codes by element and id. The Markdown and XLIFF readers hand over what is not
    in the text (link destinations, inline codes); the rest is found in the text itself.
    A URL localised on purpose (``/en/`` → ``/de/``, ``en-us`` → ``de-de``, ``lang=en`` →
    ``lang=de``, ``example.com`` → ``example.de``, with or without a translated page name
    after the marker) is the same URL, and a ``#fragment`` is not compared (it follows a
    translated heading); numbered printf arguments (``%2$s``) may reorder ``%s``; code is
    compared without a trailing comment, and code that reads as a label ("Save as",
    "Settings") may be translated. A changed item is flagged on the German one with the
    reference's value as the suggestion, a missing one on the whole segment, as is an
    item with no text of its own (an image, an empty XLIFF code). Needs a reference.

    Bad:  "Hallo {Name}, Sie haben neue Nachrichten." (reference: "Hello {name}, you have new messages.")
    Good: "Hallo {name}, Sie haben neue Nachrichten." (reference: "Hello {name}, you have new messages.")
    Bad:  "Die Anleitung steht unter https://example.org/hilfe." (reference: "See https://example.org/help for the guide.")
    Good: "Die Anleitung steht unter https://example.org/de/help." (reference: "See https://example.org/en/help for the guide.")
    """  # noqa: E501 - examples are one line each
    if not segment.reference:
        return
    if not (segment.markup or segment.reference_markup) and not (
        _MAYBE.search(segment.text) or _MAYBE.search(segment.reference)
    ):
        return  # most prose: nothing that could be markup on either side
    english = _compared(find_markup(segment.reference, segment.reference_markup))
    german = _compared(find_markup(segment.text, segment.markup))
    if not english and not german:
        return
    for kind in sorted(set(english) | set(german)):
        yield from _compare(kind, english.get(kind, []), german.get(kind, []), segment)


def _compared(items: tuple[Markup, ...]) -> dict[str, list[Markup]]:
    by_group: dict[str, list[Markup]] = defaultdict(list)
    for item in items:
        if not translatable(item):
            by_group[group(item)].append(item)
    return by_group


def _compare(kind: str, english: list[Markup], german: list[Markup], segment: SegmentText):
    """Findings for one group: unmatched English items pair with unmatched German ones
    in order (a change); the rest are missing or added."""
    text = segment.text
    left = list(german)
    missing: list[Markup] = []
    for item in english:
        match = next((g for g in left if key(g) == key(item)), None)
        if match is None and kind == "address":
            match = next((g for g in left if localised(item.value, g.value)), None)
        if match is not None:
            left.remove(match)
        elif not (kind == "code" and _written(key(item), text)):
            missing.append(item)
    # Code set in backticks on one side only is still the same code.
    if kind == "code":
        left = [g for g in left if missing or not _written(key(g), segment.reference or "")]
    name = _NAMES[kind]
    gone: list[Markup] = []
    for item in missing:
        found = next((g for g in left if _shape(g) == _shape(item)), None)
        if found is None:
            gone.append(item)
            continue
        left.remove(found)
        start, end = _span(found, text)
        yield Finding(
            start,
            end,
            f"The reference has the {name} '{item.value}' where the German has '{found.value}'.",
            item.value,
        )
    if gone:
        values = ", ".join(f"'{item.value}'" for item in gone)
        yield Finding(0, len(text), f"Missing here: the {name} {values} of the reference.")
    for found in left:
        start, end = _span(found, text)
        yield Finding(start, end, f"The German adds the {name} '{found.value}'.")


def _shape(item: Markup) -> str:
    """What a German item must share with an English one to count as its changed copy: an
    inline code's or tag's element name (``<x id="3">`` replaces ``<x id="2">``, not
    ``<g id="1">``); any two items of another kind."""
    if item.kind in ("tag", "html"):
        return re.sub(r"[\s/>].*", "", item.value.lstrip("</"))
    return ""


def _written(code: str, text: str) -> bool:
    """Whether ``code`` stands in ``text`` as a word of its own (not inside a longer word)."""
    return bool(code) and re.search(rf"(?<!\w){re.escape(code)}(?!\w)", text) is not None


def _span(item: Markup, text: str) -> tuple[int, int]:
    """The item's characters, or the whole segment where it has none (an image, a URL the
    reader left out of the text)."""
    if item.end > item.start:
        return item.start, item.end
    return 0, len(text)
