"""markup-mismatch: placeholders, inline code, link targets, URLs and tags between English and
German, through the Markdown gate, JSONL input and the helpers that find the items."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtcheck.cli import main
from mtcheck.flags.markup import address_key, find_markup, localised
from mtcheck.flags.registry import Context
from mtcheck.flags.rules.markup_mismatch import check as markup_check
from mtcheck.flags.settings import RuleSettings
from mtcheck.flags.text import SegmentText
from mtcheck.io import read_document
from mtcheck.model import Markup
from tests.helpers import flags_by_rule

EN_PAGE = """# Setting up the sync client

The client runs on macOS and Linux, and its source code is on GitHub.
Write your settings to `config.yaml` before the first start.
Read the [installation guide](https://example.org/install) and the
[release notes](https://docs.example.org/en/releases/) first.
"""
DE_PAGE = """# Den Sync-Client einrichten

Der Client läuft unter macOS und Linux, und sein Quellcode liegt auf GitHub.
Schreiben Sie Ihre Einstellungen vor dem ersten Start in `config.yaml`.
Lesen Sie zuerst die [Installationsanleitung](https://example.org/install) und die
[Versionshinweise](https://docs.example.org/de/releases/).
"""
CONFIG = """[tool.mtcheck.gate]
pairs = [{ target = "de/**/*.md", reference = "en/{path}" }]
fail-on = "major"
backtranslation = false
"""


@pytest.fixture
def docs(tmp_path, monkeypatch) -> Path:
    for language, text in (("en", EN_PAGE), ("de", DE_PAGE)):
        path = tmp_path / language / "sync" / "setup.md"
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def gate(*args: str):
    return CliRunner().invoke(main, ["gate", *args])


def test_docs_page_with_names_code_and_localised_link_passes(docs):
    report = json.loads(gate("-f", "json").stdout)
    assert flags_by_rule(report, "markup-mismatch") == []
    result = gate()
    assert result.exit_code == 0, result.output


def test_inline_code_stays_visible_in_the_german_of_the_report(docs):
    report = json.loads(gate("-f", "json").stdout)
    targets = [s["target"] for d in report["documents"] for s in d["segments"]]
    assert "Schreiben Sie Ihre Einstellungen vor dem ersten Start in config.yaml." in targets


def test_changed_link_target_fails_the_gate_at_the_link(docs):
    # The clean page first: it fills the gate's flag cache, which must not hide the change.
    assert flags_by_rule(json.loads(gate("-f", "json").stdout), "markup-mismatch") == []
    german = docs / "de" / "sync" / "setup.md"
    text = german.read_text(encoding="utf-8").replace(
        "(https://example.org/install)", "(https://example.org/setup)"
    )
    german.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    line = next(k for k, row in enumerate(lines, start=1) if "Installationsanleitung" in row)
    column = lines[line - 1].index("Installationsanleitung") + 1

    result = gate()
    assert result.exit_code == 1, result.output
    assert f"de/sync/setup.md:{line}:{column}  major     markup-mismatch" in result.stdout
    report = json.loads(gate("-f", "json").stdout)
    [(segment, flag)] = flags_by_rule(report, "markup-mismatch")
    assert (flag["line"], flag["column"]) == (line, column)
    assert segment["target"][flag["span"][0] : flag["span"][1]] == "Installationsanleitung"
    assert flag["suggestion"] == "https://example.org/install"
    assert "https://example.org/setup" in flag["message"]


def test_changed_inline_code_is_flagged_on_the_code(docs):
    german = docs / "de" / "sync" / "setup.md"
    german.write_text(
        german.read_text(encoding="utf-8").replace("`config.yaml`", "`konfig.yaml`"),
        encoding="utf-8",
    )
    report = json.loads(gate("-f", "json").stdout)
    [(segment, flag)] = flags_by_rule(report, "markup-mismatch")
    assert segment["target"][flag["span"][0] : flag["span"][1]] == "konfig.yaml"
    assert flag["suggestion"] == "config.yaml"


def write_jsonl(path: Path, records: list[tuple[str, str]]) -> Path:
    rows = [
        json.dumps({"id": f"r{k}", "target": de, "reference": en}, ensure_ascii=False)
        for k, (de, en) in enumerate(records, start=1)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def check_json(path: Path) -> dict:
    result = CliRunner().invoke(main, ["check", str(path), "--no-backtranslation", "-f", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


PLACEHOLDERS = [
    # (German, English, German text the flag covers or None for the whole segment)
    ("Willkommen zurück, {Name}!", "Welcome back, {name}!", "{Name}"),
    ("%d Dateien wurden gelöscht.", "%s files were deleted.", "%d"),
    ("Sie haben neue Nachrichten.", "You have {{count}} new messages.", None),
    ("Speicher belegt: %(y)d MB", "Storage used: %(x)d MB", "%(y)d"),
    ("Das Limit liegt bei {limit}.", "The limit is %s.", "{limit}"),
]


def test_missing_or_changed_placeholders_in_jsonl_are_flagged(tmp_path):
    path = write_jsonl(tmp_path / "strings.jsonl", [(de, en) for de, en, _ in PLACEHOLDERS])
    report = check_json(path)
    segments = report["documents"][0]["segments"]
    assert len(segments) == len(PLACEHOLDERS)
    for segment, (_de, _en, covered) in zip(segments, PLACEHOLDERS, strict=True):
        flags = [f for f in segment["flags"] if f["rule"] == "markup-mismatch"]
        assert len(flags) >= 1, segment["target"]
        start, end = flags[0]["span"]
        assert segment["target"][start:end] == (covered or segment["target"])
        assert flags[0]["category"] == "Design/Markup" and flags[0]["severity"] == "major"


KEPT = [
    (
        "Willkommen zurück, {name}! Sie haben %s neue Nachrichten.",
        "Welcome back, {name}! You have %s new messages.",
    ),
    ("Noch {{ count }} Tage bis %(day)s.", "{{count}} days left until %(day)s."),
    (
        "Die Hilfe steht unter https://example.org/de/help/.",
        "Help is at https://example.org/en/help.",
    ),
    (
        "Zum Konto: https://shop.example.com/account?lang=de",
        "Your account: https://shop.example.com/account?lang=en",
    ),
    ("Mehr auf https://example.org/de-de/preise.", "More at https://example.org/en-us/preise."),
    ("Die Zahl stieg um 50 % auf 100%ige Auslastung.", "The figure rose 50% to full use."),
    ("Die Datei config.yaml bleibt.", "The `config.yaml` file stays."),
]


def test_kept_placeholders_and_localised_urls_are_not_flagged(tmp_path):
    report = check_json(write_jsonl(tmp_path / "kept.jsonl", KEPT))
    flagged = [
        (s["target"], f["message"])
        for s in report["documents"][0]["segments"]
        for f in s["flags"]
        if f["rule"] == "markup-mismatch"
    ]
    assert flagged == []


def findings(german: str, english: str, markup=(), reference_markup=()):
    text = SegmentText(german, english, markup=markup, reference_markup=reference_markup)
    return list(markup_check(text, Context(RuleSettings())))


def test_a_missing_item_covers_the_whole_segment_and_several_make_one_finding():
    german = "Das Wichtige zuerst."
    [finding] = findings(german, "The <b>important</b> part first.")
    assert (finding.start, finding.end) == (0, len(german))
    assert "'<b>'" in finding.message and "'</b>'" in finding.message


def test_an_added_item_is_flagged_where_it_stands():
    german = "Starten Sie mit {mode} neu."
    [finding] = findings(german, "Restart the app.")
    assert german[finding.start : finding.end] == "{mode}"
    assert "adds" in finding.message


def test_reader_markup_is_compared_and_zero_width_items_take_the_whole_segment():
    german = "Siehe das Bild."
    english = "See the picture."
    moved = (Markup("image", "img/de/chart.png", 5, 5),)
    kept = (Markup("image", "img/en/chart.png", 4, 4),)
    assert findings(german, english, moved, kept) == []
    # A page (or picture) whose language marker moved may have a translated name too.
    renamed = (Markup("image", "img/de/karte.png", 5, 5),)
    assert findings(german, english, renamed, kept) == []
    changed = (Markup("image", "img/karte.png", 5, 5),)
    [finding] = findings(german, english, changed, (Markup("image", "img/chart.png", 4, 4),))
    assert (finding.start, finding.end) == (0, len(german))
    assert finding.suggestion == "img/chart.png"


def test_numbered_printf_arguments_and_stand_ins_in_angle_brackets():
    assert findings("%2$s von %1$s Dateien", "%s of %s files") == []
    assert findings("Ersetzen Sie <Benutzername> durch Ihren Namen.", "Replace <username>.") == []
    german = "Das <i>Ziel</i> zählt."
    found = findings(german, "The <b>goal</b> counts.")
    # Another element is no changed copy: <b> is missing, <i> is added, where it stands.
    assert [german[f.start : f.end] for f in found] == [german, "<i>", "</i>"]
    assert "'<b>', '</b>'" in found[0].message


def test_inline_html_in_markdown_is_compared(tmp_path):
    english = tmp_path / "en.md"
    german = tmp_path / "de.md"
    english.write_text("Press <kbd>Enter</kbd> to go on with <filename>.\n", encoding="utf-8")
    german.write_text("Drücken Sie Enter, um mit <Dateiname> fortzufahren.\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["check", str(german), "-r", str(english), "--no-backtranslation", "-f", "json"]
    )
    report = json.loads(result.stdout)
    [(segment, flag)] = flags_by_rule(report, "markup-mismatch")
    assert "'<kbd>', '</kbd>'" in flag["message"]
    assert segment["target"] == "Drücken Sie Enter, um mit fortzufahren."


def test_labels_in_code_may_be_translated_commands_may_not():
    assert findings("Klicken Sie auf `Speichern unter`.", "Click `Save as`.") == []
    [finding] = findings("Führen Sie `sync --stop` aus.", "Run `sync --start`.")
    assert finding.suggestion == "sync --start"
    # A translated comment keeps the code the same.
    assert (
        findings("Setzen Sie `retries = 3  # drei Versuche`.", "Set `retries = 3  # three tries`.")
        == []
    )


def test_find_markup_kinds_and_offsets():
    text = "Öffne `a.txt`, dann {0} und %s: https://example.org/x. <i>Ende</i>"
    items = find_markup(text)
    assert [(m.kind, m.value) for m in items] == [
        ("code", "a.txt"),
        ("placeholder", "{0}"),
        ("placeholder", "%s"),
        ("url", "https://example.org/x"),
        ("html", "<i>"),
        ("html", "</i>"),
    ]
    for item in items:
        assert item.value in text[item.start : item.end]
    # A known item from the reader hides what the scan finds inside it.
    known = (Markup("code", "a.txt", 7, 12),)
    assert [m.kind for m in find_markup(text, known)].count("code") == 1


def test_what_is_no_placeholder():
    for text in (
        "50 % der Befragten",
        "eine 100%ige Quote",
        "50%d",
        "$HOME und $AAPL",
        "{count, plural, one {# Datei} other {# Dateien}}",
        "a { b } c",
        "x % d",
    ):
        assert [m for m in find_markup(text) if m.kind == "placeholder"] == [], text


def test_address_keys_ignore_localisation_but_not_a_changed_page():
    same = [
        ("https://example.org/en/docs/", "https://example.org/de/docs"),
        ("http://www.example.org/docs?lang=en", "https://example.org/docs?lang=de"),
        ("https://example.org/en-us/a#getting-started", "https://example.org/de-de/a#los-gehts"),
        ("img/screen_en.png", "img/screen_de.png"),
        ("https://de.example.org/wiki/M%C3%BCnchen", "https://de.example.org/wiki/München"),
    ]
    for english, german in same:
        assert address_key(english) == address_key(german), (english, german)
    assert address_key("https://example.org/install") != address_key("https://example.org/setup")
    assert localised("https://en.example.org/wiki/Tree", "https://de.example.org/wiki/Baum")
    assert localised("https://example.com/help", "https://example.de/hilfe")
    assert not localised("https://example.com/help", "https://other.de/hilfe")
    assert not localised("https://example.org/install", "https://example.org/setup")


XLIFF_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="ui" source-language="en" target-language="de" datatype="plaintext">
    <body>
      <trans-unit id="kept">
        <source>Press <g id="1">Upload</g> to send <x id="2"/> the photo.</source>
        <target>Drücken Sie <g id="1">Hochladen</g>, um <x id="2"/> das Foto zu senden.</target>
      </trans-unit>
      <trans-unit id="broken">
        <source>Press <g id="1">Upload</g> to send <x id="2"/> the photo.</source>
        <target>Drücken Sie <g id="1">Hochladen</g>, um <x id="5"/> das Foto zu senden.</target>
      </trans-unit>
      <trans-unit id="lost">
        <source>Tap <bx id="3"/>here<ex id="4"/> to start.</source>
        <target>Tippen Sie hier, um zu beginnen.</target>
      </trans-unit>
    </body>
  </file>
</xliff>
"""
XLIFF_20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="de">
  <file id="f">
    <unit id="greeting">
      <segment><source>Hi <ph id="1"/>, open <pc id="2">Inbox</pc>.</source>
        <target>Hallo <ph id="1"/>, öffnen Sie den <pc id="3">Posteingang</pc>.</target></segment>
    </unit>
  </file>
</xliff>
"""


def xliff_flags(path: Path) -> dict[str, list[tuple[str, str | None]]]:
    report = check_json(path)
    return {
        s["id"]: [
            (s["target"][f["span"][0] : f["span"][1]], f["suggestion"])
            for f in s["flags"]
            if f["rule"] == "markup-mismatch"
        ]
        for s in report["documents"][0]["segments"]
    }


def test_xliff_12_inline_codes_changed_or_lost(tmp_path):
    path = tmp_path / "ui.xlf"
    path.write_text(XLIFF_12, encoding="utf-8")
    flags = xliff_flags(path)
    assert flags["kept.1"] == []
    # <x id="5"/> stands for nothing of the source: it is flagged as the changed <x id="2"/>,
    # over the whole segment since the code has no text of its own.
    [(covered, suggestion)] = flags["broken.1"]
    assert covered.startswith("Drücken Sie") and suggestion == '<x id="2">'
    [(covered, suggestion)] = flags["lost.1"]
    assert covered == "Tippen Sie hier, um zu beginnen." and suggestion is None


def test_xliff_20_a_paired_code_with_another_id_is_flagged_on_its_text(tmp_path):
    path = tmp_path / "mail.xlf"
    path.write_text(XLIFF_20, encoding="utf-8")
    [paragraph] = read_document(path, "de").paragraphs
    assert [m.value for m in paragraph.markup] == ['<ph id="1">', '<pc id="3">']
    assert [m.value for m in paragraph.reference_markup] == ['<ph id="1">', '<pc id="2">']
    pc = paragraph.markup[1]
    assert paragraph.text[pc.start : pc.end] == "Posteingang"
    assert xliff_flags(path)["greeting.1"] == [("Posteingang", '<pc id="2">')]


def test_xliff_codes_keep_their_place_in_preserved_space(tmp_path):
    path = tmp_path / "space.xlf"
    path.write_text(
        XLIFF_20.replace('<unit id="greeting">', '<unit id="greeting" xml:space="preserve">')
        .replace("<target>Hallo", "<target>  Hallo")
        .replace("öffnen Sie den", "öffnen  Sie den"),
        encoding="utf-8",
    )
    [paragraph] = read_document(path, "de").paragraphs
    assert paragraph.text.startswith("Hallo ") and "öffnen  Sie" in paragraph.text
    ph, pc = paragraph.markup
    assert paragraph.text[: ph.start] == "Hallo "
    assert paragraph.text[pc.start : pc.end] == "Posteingang"


def test_a_sentence_is_not_split_inside_inline_code(tmp_path):
    english = tmp_path / "en.md"
    german = tmp_path / "de.md"
    english.write_text("You need `python3.11` or later. Then run `make`.\n", encoding="utf-8")
    german.write_text(
        "Sie brauchen `python3.11` oder neuer. Dann `make` ausführen.\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        main, ["check", str(german), "-r", str(english), "--no-backtranslation", "-f", "json"]
    )
    segments = json.loads(result.stdout)["documents"][0]["segments"]
    assert [(s["target"], s["reference"]) for s in segments] == [
        ("Sie brauchen python3.11 oder neuer.", "You need python3.11 or later."),
        ("Dann make ausführen.", "Then run make."),
    ]
    assert flags_by_rule({"documents": [{"segments": segments}]}, "markup-mismatch") == []
