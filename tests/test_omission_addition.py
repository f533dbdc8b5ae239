"""The alignment rules: ``omission`` (English with no German, a 0-1 link) and ``addition``
(German with no English, a 1-0 link), from the rule API through the pipeline to every
report, the gate, its baseline and the flag cache."""

from __future__ import annotations

import dataclasses
import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtcheck.cli import main
from mtcheck.flags import RULES, RuleSettings, check_segments
from mtcheck.flags.cache import FlagCache
from mtcheck.model import Segment
from mtcheck.pipeline import run_check
from mtcheck.report import render
from tests.helpers import (
    CORPORA,
    SEED_DE,
    SEED_EN,
    SHARED,
    assert_contract,
    chromium,
    requires_browser,
    requires_seed,
)

ALIGNMENT_RULES = {"omission", "addition"}
ONLY_THESE = RuleSettings(select=ALIGNMENT_RULES)
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"

# A docs page in Markdown: English original and a faithful German translation.
EN_PAGE = """# Backups

The app saves a backup of your notes every night. Backups are kept for 30 days and are \
then deleted automatically. You can restore any backup from the settings page.

## Restoring a backup

Open the settings and select the backup you want. Click the restore button and wait until \
the app has restarted. Notes that you wrote after the backup was made are kept in a \
separate folder called "Recovered".

## Backups on your own server

Teams can store their backups on their own server instead. The administrator enters the \
server address and port 8443 on the settings page. Each backup is then sent over an \
encrypted connection, and the app checks afterwards that all 12 parts of it arrived \
complete.

## Deleting backups

You can delete a backup at any time. Deleted backups cannot be restored, not even by our \
support team.
"""
DE_PAGE = """# Sicherungen

Die App speichert jede Nacht eine Sicherung Ihrer Notizen. Sicherungen werden 30 Tage \
lang aufbewahrt und danach automatisch gelöscht. Jede Sicherung lässt sich in den \
Einstellungen wiederherstellen.

## Eine Sicherung wiederherstellen

Öffnen Sie die Einstellungen und wählen Sie die gewünschte Sicherung aus. Klicken Sie auf \
die Schaltfläche zum Wiederherstellen und warten Sie, bis die App neu gestartet ist. \
Notizen, die Sie nach dem Anlegen der Sicherung geschrieben haben, bleiben in einem \
eigenen Ordner namens „Wiederhergestellt“ erhalten.

## Sicherungen auf einem eigenen Server

Teams können ihre Sicherungen stattdessen auf einem eigenen Server ablegen. Der \
Administrator gibt auf der Seite mit den Einstellungen die Adresse des Servers und den \
Port 8443 ein. Jede Sicherung wird dann über eine verschlüsselte Verbindung gesendet, und \
die App prüft anschließend, ob alle 12 Teile vollständig angekommen sind.

## Sicherungen löschen

Sie können eine Sicherung jederzeit löschen. Gelöschte Sicherungen lassen sich nicht \
wiederherstellen, auch nicht durch unser Support-Team.
"""
KEPT_SENTENCE = "Die App speichert jede Nacht eine Sicherung Ihrer Notizen."
DROPPED_SENTENCE = " Sicherungen werden 30 Tage lang aufbewahrt und danach automatisch gelöscht."
DROPPED_ENGLISH = "Backups are kept for 30 days and are then deleted automatically."
SECOND_DROP = (
    " Jede Sicherung wird dann über eine verschlüsselte Verbindung gesendet, und die App "
    "prüft anschließend, ob alle 12 Teile vollständig angekommen sind."
)
GATE_CONFIG = """[tool.mtcheck.gate]
pairs = [{ target = "de/**/*.md", reference = "en/{path}" }]
fail-on = "major"
max-major = 0
backtranslation = false
"""

# A news item as plain text, one paragraph a line.
EN_NEWS = (
    "The summer festival takes place every August in the old town of Landsberg. This year "
    "more than 40 bands will play on three stages over four days.\n"
    "Tickets are available online and at the tourist office. Children under 12 get in free.\n"
)
DE_NEWS = (
    "Das Sommerfestival findet jeden August in der Altstadt von Landsberg statt. In diesem "
    "Jahr spielen an vier Tagen mehr als 40 Bands auf drei Bühnen.\n"
    "Karten gibt es online und im Fremdenverkehrsamt. Kinder unter 12 Jahren haben freien "
    "Eintritt.\n"
)
DISCLAIMER = (
    "Dieser Artikel wurde mithilfe von DeepL automatisch übersetzt. Maßgeblich ist die "
    "englische Originalfassung."
)
ADDED = (
    "Im vergangenen Jahr kamen trotz des Regens über 12.000 Besucher aus ganz Bayern und "
    "Österreich."
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def check(tmp_path: Path, german: str, english: str | None, settings=ONLY_THESE):
    draft = write(tmp_path / "draft.de.txt", german)
    reference = write(tmp_path / "original.en.txt", english) if english is not None else None
    return run_check([(draft, reference)], rules=settings).documents[0]


def flags(document, rule: str | None = None):
    """(segment, flag) pairs of a document, of one rule or of both alignment rules."""
    rules = {rule} if rule else ALIGNMENT_RULES
    return [(s, f) for s in document.segments for f in s.flags if f.rule in rules]


def flagged(segment, flag) -> str:
    return segment.segment.target[flag.span[0] : flag.span[1]]


# --- registry and documented examples --------------------------------------------------------


def test_both_rules_are_default_major_accuracy_rules_that_read_the_alignment():
    assert RULES["omission"].category == "Accuracy/Omission"
    assert RULES["addition"].category == "Accuracy/Addition"
    for name in ALIGNMENT_RULES:
        rule = RULES[name]
        assert (rule.severity, rule.group, rule.needs) == ("major", "default", "alignment")
        assert name in RuleSettings().enabled()


@pytest.mark.parametrize(
    "name, example",
    [(name, example) for name in sorted(ALIGNMENT_RULES) for example in RULES[name].examples],
    ids=lambda value: value if isinstance(value, str) else ("bad" if value.flagged else "good"),
)
def test_documented_paragraph_pairs_behave_as_documented(tmp_path, name, example):
    document = check(tmp_path, example.text + "\n", example.reference + "\n")
    assert bool(flags(document, name)) == example.flagged, [s.segment for s in document.segments]


# --- omission ---------------------------------------------------------------------------------


@pytest.fixture
def docs(tmp_path, monkeypatch) -> Path:
    write(tmp_path / "en" / "docs" / "backup.md", EN_PAGE)
    write(tmp_path / "de" / "docs" / "backup.md", DE_PAGE)
    write(tmp_path / "pyproject.toml", GATE_CONFIG)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def gate(*args: str):
    return CliRunner().invoke(main, ["gate", *args])


def check_backup(fmt: str):
    """``mtcheck check`` of the docs' backup page against its English, flags only."""
    args = ["check", "de/docs/backup.md", "-r", "en/docs/backup.md"]
    return CliRunner().invoke(main, [*args, "--no-backtranslation", "--no-cache", "-f", fmt])


def drop(docs: Path, *sentences: str) -> tuple[int, int]:
    """Remove German sentences from the page; (line, column) where the first one was."""
    page = docs / "de" / "docs" / "backup.md"
    text = page.read_text(encoding="utf-8")
    at = text.index(sentences[0])
    for sentence in sentences:
        text = text.replace(sentence, "")
    page.write_text(text, encoding="utf-8")
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def test_faithful_docs_page_passes_the_gate(docs):
    result = gate()
    assert result.exit_code == 0, result.output
    report = json.loads(gate("-f", "json").stdout)
    assert not [f for d in report["documents"] for s in d["segments"] for f in s["flags"]]


def test_dropped_sentence_fails_the_gate_where_the_german_is_missing(docs):
    line, column = drop(docs, DROPPED_SENTENCE)
    lines = (docs / "de" / "docs" / "backup.md").read_text(encoding="utf-8").split("\n")
    assert lines[line - 1][: column - 1].endswith(KEPT_SENTENCE)  # right after it

    text = gate()
    assert text.exit_code == 1
    assert f"de/docs/backup.md:{line}:{column}  major     omission" in text.stdout
    assert DROPPED_ENGLISH in text.stdout

    report = json.loads(gate("-f", "json").stdout)
    hits = [
        (segment, flag)
        for document in report["documents"]
        for segment in document["segments"]
        for flag in segment["flags"]
    ]
    assert [flag["rule"] for _, flag in hits] == ["omission"]
    segment, flag = hits[0]
    assert segment["alignment"] == "0-1" and segment["target"] == ""
    assert segment["reference"] == DROPPED_ENGLISH
    assert flag["span"] == [0, 0]
    assert (flag["line"], flag["column"]) == (line, column)
    assert (flag["category"], flag["severity"]) == ("Accuracy/Omission", "major")
    assert DROPPED_ENGLISH in flag["message"]


def test_ci_formats_place_the_omission_as_an_insertion_point(docs):
    line, column = drop(docs, DROPPED_SENTENCE)
    github = gate("-f", "github")
    assert github.exit_code == 1
    annotation = re.search(r"^::error file=de/docs/backup\.md,(.*)::(.*)$", github.stdout, re.M)
    assert annotation, github.stdout
    assert annotation.group(1) == f"line={line},col={column},title=omission"

    junit = ET.fromstring(gate("-f", "junit").stdout)
    (failure,) = junit.findall(".//testcase/failure")
    assert f"de/docs/backup.md:{line}:{column} major omission" in failure.text

    markdown = check_backup("markdown")
    assert markdown.exit_code == 0, markdown.output
    assert f"| de/docs/backup.md:{line}:{column} | major | omission |  |" in markdown.stdout

    report = json.loads(check_backup("json").stdout)
    assert_contract(report)


def test_sarif_of_the_gate_validates_with_a_zero_width_region(docs):
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"{SARIF_SCHEMA} is not here")
    line, column = drop(docs, DROPPED_SENTENCE)
    result = gate("-f", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    (finding,) = log["runs"][0]["results"]
    assert finding["ruleId"] == "omission" and finding["level"] == "error"
    region = finding["locations"][0]["physicalLocation"]["region"]
    assert region == {
        "startLine": line,
        "endLine": line,
        "startColumn": column,
        "endColumn": column,
    }


def test_two_omissions_have_their_own_fingerprints_and_baseline_entries(docs):
    drop(docs, DROPPED_SENTENCE)
    assert gate("--write-baseline", "baseline.json").exit_code == 0
    assert gate("--baseline", "baseline.json").exit_code == 0
    drop(docs, SECOND_DROP)  # a new omission, which the baseline does not accept
    assert gate("--baseline", "baseline.json").exit_code == 1

    log = json.loads(gate("-f", "sarif").stdout)
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["omission", "omission"]
    prints = {r["partialFingerprints"]["mtcheckFingerprint/v1"] for r in results}
    assert len(prints) == 2
    assert gate("--write-baseline", "baseline.json").exit_code == 0
    entries = json.loads((docs / "baseline.json").read_text(encoding="utf-8"))["findings"]
    assert [e["rule"] for e in entries] == ["omission", "omission"]
    assert {e["fingerprint"] for e in entries} == prints
    assert gate("--baseline", "baseline.json").exit_code == 0


def test_html_report_marks_the_omission_and_escapes_the_english(tmp_path):
    english = (
        'Press <Ctrl> & "S" to save a copy of your notes before you close the editor window, '
        "otherwise all changes made since the last save are lost for good. The copy is "
        "stored in the documents folder.\n"
    )
    german = "Die Kopie wird im Ordner mit den Dokumenten gespeichert.\n"
    document = check(tmp_path, german, english)
    (hit,) = flags(document, "omission")
    assert hit[1].span == (0, 0)
    result = run_check(
        [(tmp_path / "draft.de.txt", tmp_path / "original.en.txt")], rules=ONLY_THESE
    )
    page = render(result, "html")
    assert "<Ctrl>" not in page
    assert "&lt;Ctrl&gt; &amp;" in page
    marks = re.findall(r"<mark [^>]*data-flag=\"[^\"]+\"[^>]*>", page)
    assert len(marks) == 1
    assert 'data-rule="omission"' in marks[0] and "insertion" in marks[0]
    assert "no German for this English sentence" in page


@requires_browser
def test_html_report_with_an_omission_runs_in_a_browser(tmp_path):
    document_dir = tmp_path / "docs"
    check(document_dir, DE_NEWS.split("\n")[0] + "\n", EN_NEWS)
    result = run_check(
        [(document_dir / "draft.de.txt", document_dir / "original.en.txt")], rules=ONLY_THESE
    )
    expected = sum(len(s.flags) for s in result.documents[0].segments)
    assert expected == 2  # both sentences of the second English paragraph
    page = write(tmp_path / "report.html", render(result, "html"))
    run = chromium(tmp_path / "profile", page, "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    attributes = dict(re.findall(r'\s(data-[\w-]+)="([^"]*)"', run.stdout.split(">", 2)[1]))
    assert attributes.get("data-ready") == "1"
    assert "data-js-errors" not in attributes, html.unescape(attributes["data-js-errors"])
    assert attributes.get("data-flags-rendered") == str(expected)


def test_xliff_marks_the_untranslated_english_as_an_omission(tmp_path):
    check(tmp_path, DE_NEWS.split("\n")[0] + "\n", EN_NEWS)
    result = run_check(
        [(tmp_path / "draft.de.txt", tmp_path / "original.en.txt")], rules=ONLY_THESE
    )
    root = ET.fromstring(render(result, "xliff"))
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    its = "{http://www.w3.org/2005/11/its}"
    omitted = [
        segment
        for segment in root.iterfind(".//x:segment", ns)
        if segment.find("x:target", ns) is None
    ]
    assert len(omitted) == 2
    for segment in omitted:
        source = segment.find("x:source", ns)
        (mark,) = source.findall("x:mrk", ns)
        assert mark.get(f"{its}locQualityIssueType") == "omission"
        assert mark.get(f"{its}locQualityIssueSeverity") == "60"
        assert "".join(source.itertext()) == mark.text  # the whole English is marked
    assert {"".join(s.find("x:source", ns).itertext()) for s in omitted} == {
        "Tickets are available online and at the tourist office.",
        "Children under 12 get in free.",
    }


# --- addition -------------------------------------------------------------------------------


def test_added_disclaimer_paragraph_is_an_addition_that_says_so(tmp_path):
    document = check(tmp_path, DE_NEWS + DISCLAIMER + "\n", EN_NEWS)
    hits = flags(document)
    assert [f.rule for _, f in hits] == ["addition", "addition"]
    assert [flagged(s, f) for s, f in hits] == [
        "Dieser Artikel wurde mithilfe von DeepL automatisch übersetzt.",
        "Maßgeblich ist die englische Originalfassung.",
    ]
    assert all("machine-translation disclaimer added" in f.message.lower() for _, f in hits)
    assert [(f.line, f.column) for _, f in hits] == [(3, 1), (3, DISCLAIMER.index("Maß") + 1)]
    assert all(f.severity == "major" and f.category == "Accuracy/Addition" for _, f in hits)


def test_added_ordinary_sentence_is_an_addition_that_is_no_disclaimer(tmp_path):
    first, rest = DE_NEWS.split(". ", 1)
    document = check(tmp_path, f"{first}. {ADDED} {rest}", EN_NEWS)
    hits = flags(document)
    assert [(f.rule, flagged(s, f)) for s, f in hits] == [("addition", ADDED)]
    message = hits[0][1].message.lower()
    assert "disclaimer" not in message and "no counterpart in the english" in message
    assert (hits[0][1].line, hits[0][1].column) == (1, len(first) + 3)


def test_disclaimer_joined_to_a_sentence_by_the_aligner_is_still_found(tmp_path):
    short = "Dieser Text wurde automatisch übersetzt."
    lines = DE_NEWS.split("\n")
    document = check(tmp_path, f"{lines[0]}\n{lines[1]} {short}\n", EN_NEWS)
    hits = flags(document)
    assert [(f.rule, flagged(s, f)) for s, f in hits] == [("addition", short)]
    assert "disclaimer" in hits[0][1].message


def test_neither_rule_fires_without_a_reference(tmp_path):
    document = check(tmp_path, DE_NEWS + DISCLAIMER + "\n", None)
    assert {s.segment.alignment for s in document.segments} == {None}
    assert flags(document) == []
    # Nor on hand-made segments: no alignment means no reference in the document.
    lonely = [Segment("1", 1, DISCLAIMER, None, None, 0, 1, 1)]
    assert check_segments(lonely, settings=ONLY_THESE) == [()]


def test_corpora_only_the_editors_note_is_an_addition(tmp_path):
    found = {}
    for name in ("windpark", "bibliothek"):
        result = run_check(
            [(CORPORA / f"{name}.de.txt", CORPORA / f"{name}.en.txt")], rules=ONLY_THESE
        )
        found[name] = [(f.rule, f.line, f.column, f.message) for _, f in flags(result.documents[0])]
    assert found["windpark"] == []
    ((rule, line, column, message),) = found["bibliothek"]
    assert (rule, line, column) == ("addition", 6, 1)
    assert "note" in message and "disclaimer" not in message


@requires_seed
def test_seed_disclaimer_is_three_additions_and_nothing_is_omitted():
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(SEED_DE),
            "-r",
            str(SEED_EN),
            "--no-backtranslation",
            "--no-cache",
            "-f",
            "json",
            "--select",
            "omission,addition",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    hits = [(s, f) for s in report["documents"][0]["segments"] for f in s["flags"]]
    assert [f["rule"] for _, f in hits] == ["addition"] * 3
    assert {(s["alignment"], f["line"]) for s, f in hits} == {("1-0", 8)}
    assert all("disclaimer" in f["message"] for _, f in hits)


# --- guards against alignment mistakes -------------------------------------------------------


def segments(*links):
    """Segments of one paragraph from (kind, German, English) triples."""
    made, start = [], 0
    for k, (kind, german, english) in enumerate(links, start=1):
        made.append(Segment(f"1.{k}", 1, german, english, kind, start, 1, start + 1))
        start += len(german) + 1 if german else 0
    return made


def rules_fired(*links):
    return [[f.rule for f in fl] for fl in check_segments(segments(*links), settings=ONLY_THESE)]


def test_sentence_split_in_three_is_no_addition(tmp_path):
    english = (
        "After months of talks, the council approved the new tram line on Tuesday, which "
        "will connect the main station with the university and is due to open in 2029.\n"
    )
    german = (
        "Nach monatelangen Gesprächen hat der Stadtrat am Dienstag die neue Straßenbahnlinie "
        "genehmigt. Sie soll den Hauptbahnhof mit der Universität verbinden. Die Eröffnung "
        "ist für 2029 geplant.\n"
    )
    document = check(tmp_path, german, english)
    assert "1-0" in {s.segment.alignment for s in document.segments}
    assert flags(document) == []


def test_unlinked_sentences_of_both_kinds_close_by_are_a_misalignment():
    fired = rules_fired(
        ("1-1", "Der Zug fährt um acht Uhr ab.", "The train leaves at eight."),
        ("1-0", "Er hält in allen größeren Orten.", None),
        ("1-1", "Die Fahrt dauert drei Stunden.", "The journey takes three hours."),
        ("0-1", "", "It stops in all larger towns."),
    )
    assert fired == [[], [], [], []]


def test_a_disclaimer_is_no_counterpart_of_a_missing_sentence():
    fired = rules_fired(
        ("1-1", "Der Zug fährt um acht Uhr ab.", "The train leaves at eight."),
        ("0-1", "", "It stops in all larger towns along the coast."),
        ("1-0", "Dieser Text wurde maschinell übersetzt.", None),
    )
    assert fired == [[], ["omission"], ["addition"]]


def test_unlinked_sentence_whose_number_is_in_a_neighbours_other_side_is_quiet():
    german = "Die Brücke über die Elbe wird im Mai wegen dringender Reparaturen gesperrt."
    added = "Die Arbeiten dauern insgesamt 14 Tage."
    with_number = "The bridge over the Elbe will be closed in May for 14 days of urgent repairs."
    without = "The bridge over the Elbe will be closed in May for a few days of urgent repairs."
    assert rules_fired(("1-1", german, with_number), ("1-0", added, None)) == [[], []]
    assert rules_fired(("1-1", german, without), ("1-0", added, None)) == [[], ["addition"]]
    english = "The works take 14 days in all."
    assert rules_fired(("1-1", german + " " + added, with_number), ("0-1", "", english)) == [
        [],
        [],
    ]
    assert rules_fired(("1-1", german, with_number), ("0-1", "", english)) == [[], ["omission"]]


# --- flag cache -----------------------------------------------------------------------------


def test_flag_cache_round_trips_the_zero_width_flag_and_keys_on_the_alignment(tmp_path):
    document = segments(
        ("1-1", "Der Zug fährt um acht Uhr ab.", "The train leaves at eight."),
        ("0-1", "", "It stops in all larger towns along the coast."),
        ("1-0", "Dieser Text wurde maschinell übersetzt.", None),
    )
    cache = FlagCache(tmp_path / "cache.sqlite")
    first = cache.check(document, None, ONLY_THESE, check_segments)
    again = cache.check(document, None, ONLY_THESE, check_segments)
    assert (cache.misses, cache.hits) == (1, 1)
    assert again == first
    assert [f.span for f in again[1]] == [(0, 0)]
    # The same texts in a document without a reference: no alignment, so no flags.
    unaligned = [dataclasses.replace(s, alignment=None) for s in document]
    assert cache.check(unaligned, None, ONLY_THESE, check_segments) == [(), (), ()]
    assert cache.misses == 2
    cache.close()
