"""Markdown reader: prose blocks only, markup stripped (inline code kept), every
character's place kept, markup items recorded."""

from __future__ import annotations

import re

import pytest

from mtcheck.io import read_document
from mtcheck.pipeline import run_check

DOCUMENT = """---
title: "Geheimer Titel"
tags: [front, matter]
---
# Über *die* Größe ##

Ein *Satz* mit `sichtbar_code` und [einem Link](https://example.com/pfad "Linktitel") &amp;
ein **fetter** Teil über\\*Sternchen\\* <span class="x">Äpfel</span> und
  eine dritte Zeile mit ~~Streichung~~ und snake_case_name.

> Ein Zitat mit _Betonung_
> über zwei Zeilen.

- Erster Punkt mit Öl
- Zweiter Punkt mit [Verweis][ref] und [kurz]
  1. Verschachtelt ![Bildtext](bild.png) ist gut.

Setext *Überschrift*
====================

| Spalte | Zweite \\| Hälfte |
|--------|------------------|
| Zelle  | `Code` Ähre      |

    eingerückter geheimer Code

```python
geheimer_block = 1
```

<div class="hinweis">
geheimes HTML
</div>

Siehe <https://geheim.example.org> und https://auch.geheim.example.org/x oder
www.ebenfalls-geheim.example.org, dann Schluss.

[ref]: https://referenz.example.org "Referenztitel"
[kurz]: https://kurz.example.org
"""

EXPECTED = [
    "Über die Größe",
    "Ein Satz mit sichtbar_code und einem Link & ein fetter Teil über*Sternchen* Äpfel und "
    "eine dritte Zeile mit Streichung und snake_case_name.",
    "Ein Zitat mit Betonung über zwei Zeilen.",
    "Erster Punkt mit Öl",
    "Zweiter Punkt mit Verweis und kurz",
    "Verschachtelt ist gut.",
    "Setext Überschrift",
    "Spalte",
    "Zweite | Hälfte",
    "Zelle",
    "Code Ähre",
    "Siehe und oder , dann Schluss.",
]


def lines_of(path):
    return path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")


def assert_positions(paragraph, lines):
    """Each character, and each word that is one run in the file, is where position() says.

    An entity's character sits at its '&', an escaped one after its backslash.
    """
    for offset, char in enumerate(paragraph.text):
        if char == " ":
            continue
        line, column = paragraph.position(offset)
        found = lines[line - 1][column - 1]
        assert found == char or (found == "&" and char == "&"), (offset, char, line, column)
    for word in re.findall(r"\w+", paragraph.text):
        offset = paragraph.text.index(word)
        line, column = paragraph.position(offset)
        assert lines[line - 1][column - 1 :].startswith(word), (word, line, column)


@pytest.fixture(params=["\n", "\r\n"], ids=["lf", "crlf"])
def document(tmp_path, request):
    path = tmp_path / "artikel.md"
    path.write_bytes(DOCUMENT.replace("\n", request.param).encode("utf-8"))
    return path


def test_prose_blocks_and_their_texts(document):
    paragraphs = read_document(document, "de").paragraphs
    assert [p.text for p in paragraphs] == EXPECTED
    assert [p.index for p in paragraphs] == list(range(1, len(EXPECTED) + 1))


def test_every_character_and_word_points_into_the_file(document):
    lines = lines_of(document)
    for paragraph in read_document(document, "de").paragraphs:
        assert_positions(paragraph, lines)


def test_specific_positions(document):
    paragraphs = read_document(document, "de").paragraphs
    heading, prose, quote = paragraphs[0], paragraphs[1], paragraphs[2]
    assert (heading.line, heading.column) == (5, 3)
    assert heading.position(heading.text.index("Größe")) == (5, 14)
    assert (prose.line, prose.column) == (7, 1)
    # second and third line of a paragraph, with markup and indentation before the word
    assert prose.position(prose.text.index("fetter")) == (8, 7)
    assert prose.position(prose.text.index("eine dritte")) == (9, 3)
    assert prose.position(prose.text.index("Link")) == (7, 43)
    assert prose.position(prose.text.index("Sternchen")) == (8, 27)
    assert quote.position(quote.text.index("über")) == (12, 3)
    cell = paragraphs[8]
    assert cell.position(cell.text.index("Hälfte")) == (21, 22)


def test_code_urls_html_front_matter_and_definitions_never_appear(document):
    texts = " ".join(p.text for p in read_document(document, "de").paragraphs)
    for hidden in (
        "geheim",
        "Geheim",
        "example",
        "http",
        "www",
        "Linktitel",
        "Referenztitel",
        "Bildtext",
        "bild.png",
        "<",
        ">",
        "span",
        "front",
        "title",
        "`",
        "**",
        "#",
        "~~",
        "|---",
    ):
        assert hidden not in texts, hidden


def test_toml_front_matter_and_an_unclosed_one(tmp_path):
    path = tmp_path / "toml.md"
    path.write_text('+++\ntitle = "Geheim"\n+++\n\nText danach.\n', encoding="utf-8")
    paragraphs = read_document(path, "de").paragraphs
    assert [(p.text, p.line) for p in paragraphs] == [("Text danach.", 5)]
    unclosed = tmp_path / "unclosed.md"
    unclosed.write_text("---\nKein Vorspann.\n", encoding="utf-8")
    assert [p.text for p in read_document(unclosed, "de").paragraphs] == ["Kein Vorspann."]


def test_escapes_entities_hard_breaks_and_nested_containers(tmp_path):
    path = tmp_path / "extra.md"
    path.write_text(
        "> - Liste im Zitat mit &quot;Anführung&quot; und &#228;h\\\n"
        ">   weiter nach hartem Umbruch  \n"
        ">   und\tTab.\n"
        "\n"
        "Text mit [Link *fett*](<ziel mit leer> 'Titel (x)') Ende, "
        "[Klammer](http://x.de/a_(b)) Ende.\n"
        "\n"
        "1) Nummer mit `` code ` mit `` Ende.\n",
        encoding="utf-8",
    )
    paragraphs = read_document(path, "de").paragraphs
    assert [p.text for p in paragraphs] == [
        'Liste im Zitat mit "Anführung" und äh weiter nach hartem Umbruch und Tab.',
        "Text mit Link fett Ende, Klammer Ende.",
        "Nummer mit code ` mit Ende.",
    ]
    lines = lines_of(path)
    for paragraph in paragraphs:
        for offset, char in enumerate(paragraph.text):
            line, column = paragraph.position(offset)
            if char not in ' "ä`':
                assert lines[line - 1][column - 1] == char
        first = paragraphs[0]
        assert first.position(first.text.index('"')) == (1, lines[0].index("&quot;") + 1)
        assert first.position(first.text.index("äh")) == (1, lines[0].index("&#228;") + 1)
        assert first.position(first.text.index("weiter")) == (2, 5)


def test_flags_from_a_markdown_draft_point_into_the_file(tmp_path):
    path = tmp_path / "entwurf.md"
    path.write_text(
        "# Bericht\n\nDie *Größe* des `Modells` ist\n  enorm. Die **Firma** soll versucht, "
        "es zu ändern.\n",
        encoding="utf-8",
    )
    result = run_check([(path, None)])
    flags = [
        f for s in result.documents[0].segments for f in s.flags if f.rule == "modal-participle"
    ]
    assert len(flags) == 1
    lines = lines_of(path)
    assert lines[flags[0].line - 1][flags[0].column - 1 :].startswith("soll versucht,")


def test_markup_items_point_into_the_text_and_the_file(tmp_path):
    path = tmp_path / "verweise.md"
    path.write_text(
        "Legen Sie `app.toml` in den [Ordner *conf*](https://example.org/%C3%B6l) und\n"
        "lesen Sie <https://example.org/faq> oder https://example.org/hilfe. "
        "![Logo](bilder/logo.png) Ende `` a`b ``.\n",
        encoding="utf-8",
    )
    [paragraph] = read_document(path, "de").paragraphs
    text = paragraph.text
    assert text == "Legen Sie app.toml in den Ordner conf und lesen Sie oder . Ende a`b."
    items = [(m.kind, m.value, text[m.start : m.end]) for m in paragraph.markup]
    assert items == [
        ("code", "app.toml", "app.toml"),
        ("link", "https://example.org/öl", "Ordner conf"),
        ("url", "https://example.org/faq", ""),
        ("url", "https://example.org/hilfe", ""),
        ("image", "bilder/logo.png", ""),
        ("code", "a`b", "a`b"),
    ]
    code, link = paragraph.markup[0], paragraph.markup[1]
    assert paragraph.position(code.start) == (1, 12)
    assert paragraph.position(link.start) == (1, 30)
    # The empty items sit where their URL or image was dropped.
    assert text[: paragraph.markup[2].start].endswith("lesen Sie")
    assert text[paragraph.markup[4].start :].startswith(" Ende")
