"""XLIFF 1.2/2.x and TMX readers: texts, references, exact positions, safe parsing."""

from __future__ import annotations

import builtins
import re
import urllib.request

import pytest

from mtcheck.errors import InputError
from mtcheck.io import read_document
from mtcheck.pipeline import run_check


def raw_lines(path, encoding="utf-8"):
    text = path.read_bytes().decode(encoding).removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def assert_positions(paragraph, lines, words=None):
    """Every character sits where position() says (an entity's at its '&', a <cp/>'s at
    its '<');
    every word of the text that is one run in the file starts where position() says."""
    for offset, char in enumerate(paragraph.text):
        if char == " ":
            continue
        line, column = paragraph.position(offset)
        found = lines[line - 1][column - 1]
        assert found == char or found in "&<", (offset, char, line, column)
    for word in words if words is not None else re.findall(r"\w+", paragraph.text):
        offset = paragraph.text.index(word)
        line, column = paragraph.position(offset)
        assert lines[line - 1][column - 1 :].startswith(word), (word, line, column)


XLIFF_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="en-US" target-language="de-DE" original="report.txt" datatype="plaintext">
    <header><note>Übersetzer: bitte prüfen</note></header>
    <body>
      <group id="g1">
        <trans-unit id="intro"><source>Size &amp; weight matter.</source><target>Größe &amp; Gewicht zählen: <g id="1">äußerst</g> wichtig<x id="2"/>&#x21;</target></trans-unit>
        <trans-unit id="two-lines">
          <source>The report
            continues.</source>
          <target>Der Bericht   geht
            weiter <![CDATA[mit <Klammern>]]> und <bpt id="1">&lt;b&gt;</bpt>Übermut<ept id="1">&lt;/b&gt;</ept> <ph id="3">{0}</ph>fort.</target>
          <alt-trans><target>Falsche Alternative</target></alt-trans>
        </trans-unit>
        <trans-unit id="open"><source>Not yet translated.</source></trans-unit>
        <trans-unit id="empty"><source>Empty.</source><target>  </target></trans-unit>
        <trans-unit id="keep" translate="no"><source>mtcheck</source><target>mtcheck</target></trans-unit>
      </group>
      <trans-unit id="last"><source>Done.</source><target>Fertig <mrk mtype="term">KI</mrk>-Modell.</target></trans-unit>
    </body>
  </file>
</xliff>
"""  # noqa: E501


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_xliff_12_texts_references_ids_and_positions(tmp_path, newline):
    path = tmp_path / "draft.xlf"
    path.write_bytes(XLIFF_12.replace("\n", newline).encode("utf-8"))
    document = read_document(path, "de")
    paragraphs = document.paragraphs
    assert [p.id for p in paragraphs] == ["intro", "two-lines", "last"]
    assert [p.text for p in paragraphs] == [
        "Größe & Gewicht zählen: äußerst wichtig!",
        "Der Bericht geht weiter mit <Klammern> und Übermut fort.",
        "Fertig KI-Modell.",
    ]
    assert [p.reference for p in paragraphs] == [
        "Size & weight matter.",
        "The report continues.",
        "Done.",
    ]
    lines = raw_lines(path)
    for paragraph in paragraphs:
        assert_positions(paragraph, lines)
    intro = paragraphs[0]
    # Umlauts before the target on the same line: columns count characters, not bytes.
    assert intro.line == 7
    assert intro.column == lines[6].index("Größe") + 1
    assert intro.position(intro.text.index("&")) == (7, lines[6].index("&amp; Gewicht") + 1)
    assert intro.position(intro.text.index("!")) == (7, lines[6].index("&#x21;") + 1)
    second = paragraphs[1]
    assert second.position(second.text.index("weiter")) == (12, lines[11].index("weiter") + 1)
    assert second.position(second.text.index("Klammern")) == (
        12,
        lines[11].index("Klammern") + 1,
    )


def test_xliff_read_as_the_reference_gives_the_sources(tmp_path):
    path = tmp_path / "source.xlf"
    path.write_text(XLIFF_12, encoding="utf-8")
    paragraphs = read_document(path, "en").paragraphs
    assert [p.text for p in paragraphs] == [
        "Size & weight matter.",
        "The report continues.",
        "Not yet translated.",
        "Empty.",
        "Done.",
    ]
    assert all(p.reference is None for p in paragraphs)
    lines = raw_lines(path)
    for paragraph in paragraphs:
        assert_positions(paragraph, lines)


XLIFF_21 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" trgLang="de-AT">
  <file id="f1">
    <unit id="u1">
      <notes><note>Nicht übersetzen: Anmerkung</note></notes>
      <originalData><data id="d1">&lt;br/&gt;</data></originalData>
      <segment id="s1">
        <source>The firm is said to have tried.</source>
        <target>Die Firma für Übermaß <pc id="p1">soll</pc> es versucht haben.</target>
      </segment>
      <ignorable><source> </source></ignorable>
      <segment id="s2"><source>Second sentence.</source><target>Zweiter Satz<cp hex="0021"/> <ph id="ph1" dataRef="d1"/>Mit <mrk id="m1" translate="no">KI</mrk> &amp; mehr.</target></segment>
    </unit>
    <unit id="u2">
      <segment><source>Only English.</source></segment>
    </unit>
    <unit id="u3">
      <segment><source>One.</source><target>Eins.</target></segment>
      <segment><source>Two.</source></segment>
    </unit>
  </file>
</xliff>
"""  # noqa: E501


def test_xliff_21_unit_segments_are_joined(tmp_path):
    path = tmp_path / "draft.xliff"
    path.write_text(XLIFF_21, encoding="utf-8")
    paragraphs = read_document(path, "de").paragraphs
    assert [p.id for p in paragraphs] == ["u1", "u3"]
    first, third = paragraphs
    assert first.text == (
        "Die Firma für Übermaß soll es versucht haben. Zweiter Satz! Mit KI & mehr."
    )
    assert first.reference == "The firm is said to have tried. Second sentence."
    # A segment without a target still counts in the reference: English with no German.
    assert third.text == "Eins." and third.reference == "One. Two."
    lines = raw_lines(path)
    for paragraph in paragraphs:
        assert_positions(paragraph, lines)
    assert first.position(first.text.index("Zweiter")) == (12, lines[11].index("Zweiter") + 1)
    assert "Nicht" not in first.text and "br" not in first.text
    english = read_document(path, "en").paragraphs
    assert [p.text for p in english] == [
        "The firm is said to have tried. Second sentence.",
        "Only English.",
        "One. Two.",
    ]


def test_xliff_utf16_and_byte_order_marks(tmp_path):
    body = (
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        '<file source-language="en" target-language="de" original="x" datatype="plaintext">'
        '<body><trans-unit id="1"><source>Big.</source><target>Groß ist Übel.</target>'
        "</trans-unit></body></file></xliff>\n"
    )
    for name, data, encoding in [
        (
            "utf16.xlf",
            ('<?xml version="1.0" encoding="UTF-16"?>' + body).encode("utf-16"),
            "utf-16",
        ),
        (
            "bom8.xlf",
            ("\ufeff" + '<?xml version="1.0" encoding="UTF-8"?>' + body).encode(),
            "utf-8",
        ),
        (
            "latin1.xlf",
            ('<?xml version="1.0" encoding="ISO-8859-1"?>' + body).encode("latin-1"),
            "latin-1",
        ),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        paragraph = read_document(path, "de").paragraphs[0]
        lines = raw_lines(path, encoding)
        assert paragraph.text == "Groß ist Übel."
        assert paragraph.column == lines[0].index("Groß") + 1, name
        assert_positions(paragraph, lines)


def test_xliff_whitespace_preserve_keeps_inner_spacing(tmp_path):
    path = tmp_path / "space.xlf"
    path.write_text(
        '<xliff version="1.2"><file source-language="en" target-language="de" '
        'original="x" datatype="plaintext"><body>'
        '<trans-unit id="1" xml:space="preserve"><source>a  b</source>'
        "<target>  Ein  Satz. </target></trans-unit></body></file></xliff>",
        encoding="utf-8",
    )
    paragraph = read_document(path, "de").paragraphs[0]
    assert paragraph.text == "Ein  Satz."
    assert paragraph.reference == "a  b"


def test_xliff_files_with_several_file_elements_qualify_ids(tmp_path):
    unit = '<trans-unit id="1"><source>A.</source><target>{}</target></trans-unit>'
    path = tmp_path / "two.xlf"
    path.write_text(
        '<xliff version="1.2">'
        + "".join(
            f'<file source-language="en" target-language="de" original="{name}" '
            f'datatype="plaintext"><body>{unit.format(text)}</body></file>'
            for name, text in (("a.html", "Erstens."), ("b.html", "Zweitens."))
        )
        + "</xliff>",
        encoding="utf-8",
    )
    assert [p.id for p in read_document(path, "de").paragraphs] == ["a.html/1", "b.html/1"]


TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="none"
          adminlang="en" srclang="en-US" datatype="plaintext"/>
  <body>
    <tu tuid="first">
      <tuv xml:lang="en-US"><seg>Size &amp; weight.</seg></tuv>
      <tuv xml:lang="de-DE"><seg>Größe &amp; Gewicht: <bpt i="1">&lt;b&gt;</bpt>äußerst<ept i="1">&lt;/b&gt;</ept> <hi type="b">wichtig</hi>.</seg></tuv>
    </tu>
    <tu>
      <tuv lang="DE"><seg>Übermäßig
        lang.</seg></tuv>
    </tu>
    <tu tuid="fr-only"><tuv xml:lang="fr"><seg>Bonjour.</seg></tuv></tu>
    <tu><tuv xml:lang="en"><seg>Only English.</seg></tuv><tuv xml:lang="de"><seg/></tuv></tu>
  </body>
</tmx>
"""  # noqa: E501


def test_tmx_german_text_english_reference_and_positions(tmp_path):
    path = tmp_path / "memory.tmx"
    path.write_text(TMX, encoding="utf-8")
    paragraphs = read_document(path, "de").paragraphs
    assert [(p.id, p.text, p.reference) for p in paragraphs] == [
        ("first", "Größe & Gewicht: äußerst wichtig.", "Size & weight."),
        ("2", "Übermäßig lang.", None),
    ]
    lines = raw_lines(path)
    for paragraph in paragraphs:
        assert_positions(paragraph, lines)
    assert paragraphs[1].position(paragraphs[1].text.index("lang")) == (
        12,
        lines[11].index("lang") + 1,
    )
    english = read_document(path, "en").paragraphs
    assert [(p.id, p.text) for p in english] == [
        ("first", "Size & weight."),
        ("4", "Only English."),
    ]


def test_tmx_without_german_names_the_languages_found(tmp_path):
    path = tmp_path / "fr.tmx"
    path.write_text(
        '<tmx version="1.4"><header/><body><tu><tuv xml:lang="en"><seg>Hi.</seg></tuv>'
        '<tuv xml:lang="fr-FR"><seg>Salut.</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as error:
        read_document(path, "de")
    assert str(path) in str(error.value)
    assert "en, fr-FR" in str(error.value)


def _xliff(target: str, *, languages='source-language="en" target-language="de"') -> str:
    return (
        '<xliff version="1.2">\n'
        f'<file {languages} original="x" datatype="plaintext"><body>\n'
        f'<trans-unit id="1"><source>A.</source><target>{target}</target></trans-unit>\n'
        "</body></file></xliff>\n"
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.xlf", _xliff("Ein <g>Satz."), ":3:61: not well-formed XML (mismatched tag)"),
        (
            "undefined.xlf",
            _xliff("Ein&nbsp;Satz."),
            ":3:50: not well-formed XML (undefined entity)",
        ),
        (
            "notxliff.xlf",
            "<html><body>Hallo</body></html>",
            "not an XLIFF file (the root element is <html>",
        ),
        ("tmx.xlf", "<tmx version='1.4'><body/></tmx>", "root element is <tmx>"),
        (
            "notarget.xlf",
            _xliff("Ein Satz.", languages='source-language="en"'),
            "has no target-language",
        ),
        (
            "french.xlf",
            _xliff("Une phrase.", languages='source-language="en" target-language="fr"'),
            "target language is 'fr'",
        ),
        (
            "fromde.xlf",
            _xliff("Ein Satz.", languages='source-language="de" target-language="en"'),
            "source language is 'de'",
        ),
        (
            "v2nolang.xlf",
            '<xliff version="2.0" srcLang="en"><file id="f"/></xliff>',
            "has no trgLang",
        ),
        (
            "version.xlf",
            '<xliff version="3.0" srcLang="en" trgLang="de"/>',
            "version '3.0' is not supported",
        ),
        (
            "dup.xlf",
            '<xliff version="2.1" srcLang="en" trgLang="de"><file id="f">'
            '<unit id="a"><segment><source>A</source><target>B</target></segment></unit>'
            '<unit id="a"><segment><source>A</source><target>B</target></segment></unit>'
            "</file></xliff>",
            "duplicate unit id 'a'",
        ),
        (
            "noid.xlf",
            '<xliff version="1.2"><file source-language="en" target-language="de">'
            "<body><trans-unit><source>A</source><target>B</target></trans-unit></body></file>"
            "</xliff>",
            "has no id",
        ),
        ("untranslated.xlf", _xliff(""), "no translation unit has a non-empty <target>"),
        (
            "duptu.tmx",
            '<tmx version="1.4"><body><tu tuid="x"><tuv xml:lang="de"><seg>A</seg>'
            '</tuv></tu><tu tuid="x"><tuv xml:lang="de"><seg>B</seg></tuv></tu></body></tmx>',
            "duplicate tu id 'x'",
        ),
        ("nottmx.tmx", _xliff("Satz."), "not a TMX file"),
        ("empty.tmx", "", "not well-formed XML (no element found)"),
    ],
)
def test_bad_xml_inputs_name_the_file_and_the_problem(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_document(path, "de")
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE xliff [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<xliff version="1.2"><file source-language="en" target-language="de" original="x"
datatype="plaintext"><body><trans-unit id="1"><source>A</source><target>&lol9;</target>
</trans-unit></body></file></xliff>
"""


@pytest.mark.parametrize("suffix", [".xlf", ".tmx"])
def test_entity_bomb_is_refused_at_its_declaration(tmp_path, suffix):
    path = tmp_path / f"bomb{suffix}"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_document(path, "de")
    message = str(error.value)
    assert message.startswith(f"{path}:3:")
    assert "declares the entity 'lol'" in message and "never expands XML entities" in message


def test_external_entity_is_refused_without_opening_the_file(tmp_path, monkeypatch):
    sentinel = tmp_path / "secret.txt"
    sentinel.write_text("GEHEIM", encoding="utf-8")
    path = tmp_path / "xxe.xlf"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY e SYSTEM "{sentinel.as_uri()}">]>\n'
        + _xliff("Text &e; hier"),
        encoding="utf-8",
    )
    opened: list[str] = []
    real_open, real_urlopen = builtins.open, urllib.request.urlopen

    def spy_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    def spy_urlopen(url, *args, **kwargs):
        opened.append(str(getattr(url, "full_url", url)))
        return real_urlopen(url, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(urllib.request, "urlopen", spy_urlopen)
    with pytest.raises(InputError) as error:
        read_document(path, "de")
    assert not any("secret" in name for name in opened)
    message = str(error.value)
    assert message.startswith(f"{path}:2:") and "declares the entity 'e'" in message
    assert "GEHEIM" not in message


def test_a_doctype_without_entities_is_fine(tmp_path):
    path = tmp_path / "dtd.xlf"
    path.write_text(
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE xliff PUBLIC "-//XLIFF//DTD XLIFF//EN" "http://example.invalid/xliff.dtd">\n'
        + _xliff("Ein Satz."),
        encoding="utf-8",
    )
    assert read_document(path, "de").paragraphs[0].text == "Ein Satz."


def test_check_of_an_xliff_draft_uses_its_sources_and_points_flags_into_the_file(tmp_path):
    path = tmp_path / "draft.xlf"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        '<file source-language="en" target-language="de" original="x" datatype="plaintext">'
        "<body>\n"
        '  <trans-unit id="t1"><source>Größe matters.</source><target>Die Größe zählt.</target>'
        "</trans-unit>\n"
        '  <trans-unit id="t2"><source>The company is said to have tried, reports say.</source>'
        '<target>Die Größe: <g id="1">Übel</g> &amp; Co. soll versucht, so Berichte.</target>'
        "</trans-unit>\n"
        "</body></file></xliff>\n",
        encoding="utf-8",
    )
    result = run_check([(path, None)])
    segments = result.documents[0].segments
    assert [s.segment.reference for s in segments] == [
        "Größe matters.",
        "The company is said to have tried, reports say.",
    ]
    assert [s.segment.id for s in segments] == ["t1.1", "t2.1"]
    flags = [f for s in segments for f in s.flags if f.rule == "modal-participle"]
    assert len(flags) == 1
    lines = raw_lines(path)
    assert (flags[0].line, flags[0].column) == (5, lines[4].index("soll versucht") + 1)
    assert lines[flags[0].line - 1][flags[0].column - 1 :].startswith("soll versucht,")
