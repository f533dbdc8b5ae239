"""Issue 4's acceptance: a repository with Markdown trees in en/ and de/ and an XLIFF file."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtcheck.cli import main
from tests.helpers import SHARED

EN_GUIDE = """---
title: Getting started
---

# Getting started

The service stores your files in a data centre in Frankfurt.
It keeps three copies of every file.

```bash
pip install example
```

* Open the settings and choose a plan.
* The basic plan costs 5 euros a month.
"""
DE_GUIDE = """---
title: Erste Schritte
---

# Erste Schritte

Der Dienst speichert Ihre Dateien in einem Rechenzentrum in Frankfurt.
Er bewahrt drei Kopien jeder Datei auf.

```bash
pip install example
```

* Öffnen Sie die Einstellungen und wählen Sie einen Tarif.
* Der Basistarif kostet 5 Euro im Monat.
"""
EN_FAQ = "# Questions\n\nYou can cancel at any time.\n"
DE_FAQ = "# Fragen\n\nSie können jederzeit kündigen.\n"
XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="de">
  <file id="app">
    <unit id="save">
      <segment><source>Your changes have been saved.</source>
        <target>Ihre Änderungen wurden gespeichert.</target></segment>
    </unit>
    <unit id="quota">
      <segment><source>You have used 80% of your storage.</source>
        <target>Sie haben 80 % Ihres Speichers belegt.</target></segment>
    </unit>
  </file>
</xliff>
"""
CONFIG = """[tool.mtcheck.gate]
pairs = [{ target = "de/**/*.md", reference = "en/{path}" }]
files = ["l10n/*.xlf"]
fail-on = "major"
backtranslation = false
"""
BROKEN = "Der Anbieter soll versucht, die Preise zu senken."


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    files = {
        "en/guide/start.md": EN_GUIDE,
        "de/guide/start.md": DE_GUIDE,
        "en/faq.md": EN_FAQ,
        "de/faq.md": DE_FAQ,
        "l10n/app.xlf": XLIFF,
        "pyproject.toml": CONFIG,
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def gate(*args: str):
    return CliRunner().invoke(main, ["gate", *args])


def break_guide(repo: Path) -> tuple[int, int]:
    """Put the broken sentence into a German paragraph; return its line and column."""
    path = repo / "de" / "guide" / "start.md"
    text = path.read_text(encoding="utf-8")
    anchor = "Er bewahrt drei Kopien jeder Datei auf."
    path.write_text(text.replace(anchor, f"{anchor} {BROKEN}"), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").split("\n")
    line = next(i for i, line in enumerate(lines, start=1) if BROKEN in line)
    return line, lines[line - 1].index("soll versucht") + 1


def test_clean_tree_passes(repo):
    result = gate()
    assert result.exit_code == 0, result.output
    assert "All 3 documents within the limits." in result.stdout


def test_soll_versucht_fails_with_file_line_column_in_every_format(repo):
    line, column = break_guide(repo)
    where = f"de/guide/start.md:{line}:{column}"

    text = gate()
    assert text.exit_code == 1
    assert f"{where}  major     modal-participle" in text.stdout

    report = json.loads(gate("-f", "json").stdout)
    hits = [
        (d["path"], f["line"], f["column"])
        for d in report["documents"]
        for s in d["segments"]
        for f in s["flags"]
        if f["rule"] == "modal-participle"
    ]
    assert hits == [("de/guide/start.md", line, column)]

    sarif = gate("-f", "sarif")
    assert sarif.exit_code == 1
    results = json.loads(sarif.stdout)["runs"][0]["results"]
    located = [
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
        )
        for r in results
        if r["ruleId"] == "modal-participle"
    ]
    assert located == [("de/guide/start.md", line, column)]

    junit = gate("-f", "junit")
    assert junit.exit_code == 1
    suite = ElementTree.fromstring(junit.stdout)
    failures = suite.findall(".//testcase/failure")
    assert len(failures) == 1
    assert where in (failures[0].text or "")
    assert len(suite.findall(".//testcase")) == 3

    github = gate("-f", "github")
    assert github.exit_code == 1
    assert re.search(
        rf"^::error file=de/guide/start\.md,line={line},col={column},.*title=modal-participle::",
        github.stdout,
        re.M,
    ), github.stdout


@pytest.mark.skipif(
    not (SHARED / "schemas" / "sarif-schema-2.1.0.json").is_file(),
    reason="../shared/schemas/ is not here",
)
def test_sarif_validates_and_names_each_rule_once(repo):
    jsonschema = pytest.importorskip("jsonschema")
    break_guide(repo)
    xlf = repo / "l10n" / "app.xlf"
    xlf.write_text(xlf.read_text(encoding="utf-8").replace("80 %", "80%"), encoding="utf-8")
    guide = repo / "de" / "guide" / "start.md"
    guide.write_text(
        guide.read_text(encoding="utf-8") + "\nDie Firma soll gewarnt, dass es teuer wird.\n",
        encoding="utf-8",
    )
    english = repo / "en" / "guide" / "start.md"  # its counterparts: no addition
    english.write_text(
        english.read_text(encoding="utf-8").replace(
            "every file.", "every file. The provider is said to have tried to cut prices."
        )
        + "\nThe company is said to have warned that it will be expensive.\n",
        encoding="utf-8",
    )
    document = json.loads(gate("-f", "sarif").stdout)
    schema = json.loads((SHARED / "schemas" / "sarif-schema-2.1.0.json").read_text("utf-8"))
    jsonschema.validate(document, schema)
    rules = [rule["id"] for rule in document["runs"][0]["tool"]["driver"]["rules"]]
    assert sorted(rules) == sorted(set(rules)) == ["modal-participle", "number-format"]
    assert all(rule["help"]["text"] for rule in document["runs"][0]["tool"]["driver"]["rules"])
    used = [r["ruleId"] for r in document["runs"][0]["results"]]
    assert used.count("modal-participle") == 2


def test_baseline_survives_a_paragraph_inserted_above(repo):
    break_guide(repo)
    assert gate("--write-baseline", "mtcheck-baseline.json").exit_code == 0
    assert gate("--baseline", "mtcheck-baseline.json").exit_code == 0
    guide = repo / "de" / "guide" / "start.md"
    guide.write_text(
        guide.read_text(encoding="utf-8").replace(
            "# Erste Schritte\n", "# Erste Schritte\n\nWillkommen bei unserem Dienst.\n"
        ),
        encoding="utf-8",
    )
    english = repo / "en" / "guide" / "start.md"
    english.write_text(
        english.read_text(encoding="utf-8").replace(
            "# Getting started\n", "# Getting started\n\nWelcome to our service.\n"
        ),
        encoding="utf-8",
    )
    assert gate("--baseline", "mtcheck-baseline.json").exit_code == 0
    faq = repo / "de" / "faq.md"
    faq.write_text(DE_FAQ + "\nDer Vertrag muss gekündigt, bevor er endet.\n", encoding="utf-8")
    new = gate("--baseline", "mtcheck-baseline.json")
    assert new.exit_code == 1
    assert "de/faq.md:5:" in new.stdout


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("<xliff version='2.0' srcLang='en' trgLang='de'><file id='a'><unit id='u'>", "XML"),
        (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;">]><xliff version="2.0" srcLang="en" trgLang="de">'
            '<file id="f"><unit id="u"><segment><source>x</source><target>&c;</target>'
            "</segment></unit></file></xliff>",
            "entit",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            '<xliff version="2.0" srcLang="en" trgLang="de"><file id="f"><unit id="u">'
            "<segment><source>x</source><target>&e;</target></segment></unit></file></xliff>",
            "entit",
        ),
    ],
    ids=["malformed", "entity-bomb", "external-entity"],
)
def test_bad_xliff_is_an_input_error(repo, content, problem):
    (repo / "l10n" / "app.xlf").write_text(content, encoding="utf-8")
    result = gate()
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1
    assert "app.xlf" in message and problem.lower() in message.lower()
    assert "root:" not in result.output  # nothing of /etc/passwd leaked into any output
