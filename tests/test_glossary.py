"""The glossary (mtcheck.flags.glossary) and the glossary-term rule, CSV and TBX."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtcheck.cli import main
from mtcheck.errors import ConfigError
from mtcheck.flags import RULES, RuleSettings, check_segments
from mtcheck.flags.glossary import Glossary, GlossaryEntry, load_glossary
from mtcheck.model import Segment

CSV = """english,german,status,note
AI|artificial intelligence,KI|künstliche Intelligenz,,
AI,AI,forbidden,
model,Modell,,
data center,Rechenzentrum,,
IT,IT,,
company,Unternehmen|Firma,admitted,
,Email,forbidden,say E-Mail
"""

TBX_V2 = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en-US">
 <text><body>
  <termEntry id="c1">
   <langSet xml:lang="en-US"><tig><term>AI</term></tig></langSet>
   <langSet xml:lang="de-DE">
    <tig><term>KI</term>
     <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
    <ntig><termGrp><term>AI</term>
     <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termGrp></ntig>
   </langSet>
  </termEntry>
  <termEntry id="c2">
   <langSet xml:lang="en"><tig><term>chip</term></tig></langSet>
   <langSet xml:lang="fr"><tig><term>puce</term></tig></langSet>
   <langSet xml:lang="de"><tig><term>Chip</term></tig></langSet>
  </termEntry>
 </body></text>
</martif>
"""

TBX_V3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Core" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
 <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
 <text><body>
  <conceptEntry id="c1">
   <langSec xml:lang="en"><termSec><term>AI</term></termSec></langSec>
   <langSec xml:lang="de">
    <termSec><term>KI</term>
     <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
    <termSec><term>künstliche Intelligenz</term>
     <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termSec>
    <termSec><term>AI</term>
     <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></termSec>
   </langSec>
  </conceptEntry>
 </body></text>
</tbx>
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def glossary(tmp_path) -> Glossary:
    return load_glossary(write(tmp_path / "terms.csv", CSV))


def flags(glossary: Glossary | None, target: str, reference: str | None = None):
    segment = Segment(id="s", paragraph=1, target=target, reference=reference,
                      alignment=None, start=0, line=0, column=0)
    settings = RuleSettings(select={"glossary-term"}, glossary=glossary)
    (found,) = check_segments([segment], settings=settings)
    return [(target[f.span[0]:f.span[1]], f.suggestion, f.message) for f in found]


def spans(glossary, target, reference=None):
    return [(text, suggestion) for text, suggestion, _ in flags(glossary, target, reference)]


# --- the rule --------------------------------------------------------------------------------


def test_rule_is_registered_with_documented_examples():
    rule = RULES["glossary-term"]
    assert (rule.category, rule.severity, rule.group) == ("Terminology/Wrong term", "major",
                                                          "default")
    assert "Bad:" in rule.doc and "Good:" in rule.doc
    explained = CliRunner().invoke(main, ["rules", "explain", "glossary-term"])
    assert explained.exit_code == 0 and "Bad:" in explained.stdout


def test_without_a_glossary_the_rule_is_silent():
    assert flags(None, "Der neue AI-Chip ist schnell.", "The new AI chip is fast.") == []


def test_missing_term_flags_the_trimmed_segment(glossary):
    target = "  Der neue Chip ist schnell. "
    ((text, suggestion, message),) = flags(glossary, target, "The new AI chip is fast.")
    assert text == "Der neue Chip ist schnell." and suggestion is None
    assert "'AI'" in message and "'KI'" in message and "'künstliche Intelligenz'" in message


def test_present_terms_match_inflection_and_compounds(glossary):
    assert spans(glossary, "Der neue KI-Chip ist schnell.", "The new AI chip is fast.") == []
    assert spans(glossary, "Die Cloud-KI rechnet.", "The cloud AI computes.") == []
    assert spans(glossary, "Künstlicher Intelligenz vertrauen wir.",
                 "We trust artificial intelligence.") == []
    assert spans(glossary, "Mit den neuen Modellen.", "With the new models.") == []
    assert spans(glossary, "Das Sprachmodell ist groß.", "The language model is big.") == []
    assert spans(glossary, "Das Unternehmen wächst.", "The company grows.") == []
    assert spans(glossary, "Die Firmen wachsen.", "The companies grow.") == []
    assert spans(glossary, "Wir bauen Rechenzentren.", "We build data centers.") == []
    assert spans(glossary, "Wir bauen Serverräume.", "We build data centers.") == [
        ("Wir bauen Serverräume.", None)]


def test_all_capital_terms_are_case_sensitive(glossary):
    # "KI" is not found in "Kinder"; "IT" in the glossary does not match English "it"
    assert spans(glossary, "Die Kinder lernen.", "Children learn about AI.") == [
        ("Die Kinder lernen.", None)]
    assert spans(glossary, "Es läuft.", "It runs, and it works.") == []
    assert spans(glossary, "Die Abteilung wächst.", "The IT department grows.") == [
        ("Die Abteilung wächst.", None)]


def test_english_plurals_and_word_boundaries(glossary):
    assert spans(glossary, "Die Bauteile.", "The models.") == [("Die Bauteile.", None)]
    assert spans(glossary, "Die Bauteile.", "The modelling.") == []
    assert spans(glossary, "Ohne Referenz.") == []


def test_the_longest_english_term_decides(tmp_path):
    glossary = load_glossary(write(tmp_path / "t.csv", "english,german\ndata,Daten\n"
                                   "data center,Rechenzentrum\n"))
    assert spans(glossary, "Das Rechenzentrum ist groß.", "The data center is big.") == []
    assert spans(glossary, "Das Rechenzentrum speichert Daten.",
                 "The data center stores data.") == []
    ((_, _, message),) = flags(glossary, "Das Rechenzentrum speichert Informationen.",
                               "The data center stores data.")
    assert "'data'" in message and "'Daten'" in message


def test_forbidden_terms_have_their_span_and_the_preferred_term(glossary):
    target = "Der AI-Chip und die Email."
    assert spans(glossary, target, "The AI chip and the e-mail.") == [
        ("AI", "KI"), ("Email", None)]
    # forbidden terms are found without a reference too, and inflected
    assert spans(glossary, "Zwei Emails.") == [("Emails", None)]
    assert spans(glossary, "Die Emailleschüssel.") == []


# --- end to end through the CLI ----------------------------------------------------------------


@pytest.fixture
def project(tmp_path, monkeypatch):
    write(tmp_path / "draft.de.txt", "Der neue AI-Chip ist schnell.\nDer neue KI-Chip rechnet.\n")
    write(tmp_path / "original.en.txt", "The new AI chip is fast.\nThe new AI chip computes.\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*options: str):
    result = CliRunner().invoke(
        main,
        ["check", "draft.de.txt", "-r", "original.en.txt", "--no-backtranslation",
         "--format", "json", "--select", "glossary-term", *options],
    )
    if result.exit_code not in (0, 1):
        return result.exit_code, [], result.stderr
    report = json.loads(result.stdout)
    found = [(s["target"][f["span"][0]:f["span"][1]], f["suggestion"], f["line"])
             for s in report["documents"][0]["segments"] for f in s["flags"]]
    return result.exit_code, found, result.stderr


def test_csv_from_the_configuration_relative_to_its_directory(project, monkeypatch):
    write(project / "conf" / "terms.csv", "english,german\nAI,KI\n")
    write(project / "pyproject.toml", "[tool.mtcheck]\nglossary = 'conf/terms.csv'\n")
    (project / "work").mkdir()
    monkeypatch.chdir(project / "work")
    result = CliRunner().invoke(main, [
        "check", str(project / "draft.de.txt"), "-r", str(project / "original.en.txt"),
        "--no-backtranslation", "--format", "json", "--select", "glossary-term"])
    assert result.exit_code == 0, result.stderr
    segments = json.loads(result.stdout)["documents"][0]["segments"]
    assert [[f["rule"] for f in s["flags"]] for s in segments] == [["glossary-term"], []]
    flag = segments[0]["flags"][0]
    assert flag["span"] == [0, len("Der neue AI-Chip ist schnell.")]
    assert flag["category"] == "Terminology/Wrong term" and flag["severity"] == "major"


def test_glossary_option_overrides_the_configured_one(project):
    write(project / "mtcheck.toml", "glossary = 'missing.csv'\n")
    code, _, stderr = check()
    assert code == 2 and "missing.csv" in stderr and "mtcheck.toml" in stderr
    write(project / "terms.csv", "english,german\nchip,Prozessor\n")
    code, found, stderr = check("--glossary", "terms.csv")
    assert code == 0, stderr
    assert [line for _, _, line in found] == [1, 2]


@pytest.mark.parametrize("name, text", [("terms.tbx", TBX_V2), ("terms.xml", TBX_V3)])
def test_tbx_end_to_end(project, name, text):
    write(project / name, text)
    code, found, stderr = check("--glossary", name, "--fail-on", "major")
    assert code == 1, stderr
    assert found == [("AI", "KI", 1)]  # forbidden in line 1; line 2 has "KI"
    write(project / "draft.de.txt", "Der neue Chip ist schnell.\nDer neue KI-Chip rechnet.\n")
    code, found, stderr = check("--glossary", name)
    assert code == 0, stderr
    assert found == [("Der neue Chip ist schnell.", None, 1)]


def test_tbx_statuses_and_languages(tmp_path):
    v2 = load_glossary(write(tmp_path / "a.tbx", TBX_V2))
    assert [(e.english, e.german, e.forbidden) for e in v2.entries] == [
        (("AI",), ("KI",), ("AI",)), (("chip",), ("Chip",), ())]
    v3 = load_glossary(write(tmp_path / "b.tbx", TBX_V3))
    assert [(e.english, e.german, e.forbidden) for e in v3.entries] == [
        (("AI",), ("KI", "künstliche Intelligenz"), ("AI",))]


def test_csv_rows_sharing_an_english_term_form_one_entry(glossary):
    first = glossary.entries[0]
    assert first.english == ("AI", "artificial intelligence")
    assert first.german == ("KI", "künstliche Intelligenz") and first.forbidden == ("AI",)
    assert glossary.entries[-1] == GlossaryEntry((), (), ("Email",))
    assert len(glossary) == 6


def test_csv_semicolons_tabs_bom_and_comments(tmp_path):
    semicolons = load_glossary(write(tmp_path / "a.csv", "\ufeffEnglish;German\n# c\nAI;KI\n"))
    tabs = load_glossary(write(tmp_path / "b.tsv", "english\tgerman\n\nAI\tKI\n"))
    assert semicolons == tabs
    assert semicolons.entries == (GlossaryEntry(("AI",), ("KI",)),)
    assert hash(RuleSettings(glossary=semicolons)) == hash(RuleSettings(glossary=tabs))


@pytest.mark.parametrize("text, problem", [
    ("english,deutsch\nAI,KI\n", "line 1: the header"),
    ("english,german\nAI,KI\nchip,\n", "line 3: the 'german' cell is empty"),
    ("english,german,status\nAI,KI,banned\n", "line 2: status 'banned'"),
    ("english,german\n# comment\n\n,KI\n", "line 4: the 'english' cell is empty"),
    ("", "empty"),
    ("english,german\n", "no terms"),
    ('english,german\n"AI,KI\n', "line 2: not valid CSV"),
])
def test_bad_csv_names_the_file_and_line(tmp_path, text, problem):
    path = write(tmp_path / "terms.csv", text)
    with pytest.raises(ConfigError) as raised:
        load_glossary(path)
    assert str(path) in str(raised.value) and problem in str(raised.value)


def test_unreadable_glossaries(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_glossary(tmp_path / "missing.csv")
    (tmp_path / "bad.csv").write_bytes(b"english,german\nAI,K\xff\n")
    with pytest.raises(ConfigError, match="line 2: the glossary is not UTF-8"):
        load_glossary(tmp_path / "bad.csv")
    with pytest.raises(ConfigError, match=r"\.csv, \.tsv or \.tbx"):
        load_glossary(write(tmp_path / "terms.xlsx", "x"))
    with pytest.raises(ConfigError, match="not well-formed XML"):
        load_glossary(write(tmp_path / "broken.tbx", "<martif><text>"))
    with pytest.raises(ConfigError, match="no termEntry"):
        load_glossary(write(tmp_path / "other.tbx", "<html><body/></html>"))


BOMB = """<?xml version="1.0"?>
<!DOCTYPE martif [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
]>
<martif><text><body><termEntry><langSet xml:lang="de"><tig><term>&g;</term></tig></langSet>
</termEntry></body></text></martif>
"""


def external(target: Path) -> str:
    return f"""<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY e SYSTEM "{target.as_uri()}">]>
<martif><text><body><termEntry>
<langSet xml:lang="en"><tig><term>secret</term></tig></langSet>
<langSet xml:lang="de"><tig><term>&e;</term></tig></langSet>
</termEntry></body></text></martif>
"""


@pytest.mark.parametrize("kind", ["bomb", "external"])
def test_tbx_entities_are_refused_quickly_without_reading_files(project, kind):
    secret = write(project / "secret.txt", "TOPSECRET-CONTENT")
    write(project / "terms.tbx", BOMB if kind == "bomb" else external(secret))
    started = time.monotonic()
    code, _, stderr = check("--glossary", "terms.tbx")
    assert time.monotonic() - started < 5
    assert code == 2
    assert "terms.tbx" in stderr and "entities" in stderr
    assert "TOPSECRET" not in stderr and "Traceback" not in stderr
    with pytest.raises(ConfigError, match="entities"):
        load_glossary(project / "terms.tbx")
