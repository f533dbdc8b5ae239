"""The CI report formats: SARIF 2.1.0, JUnit XML and GitHub Actions workflow commands."""

from __future__ import annotations

import json
import unicodedata
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from mtcheck.cli import main
from mtcheck.model import (
    DocumentResult,
    DocumentScores,
    Flag,
    Result,
    Segment,
    SegmentResult,
)
from mtcheck.report import FORMATS, render
from mtcheck.report.fingerprint import FINGERPRINT_KEY, fingerprint, normalize
from mtcheck.report.github import escape_data, escape_property
from mtcheck.report.sarif import artifact_location, pascal_case
from tests.helpers import (
    CORPORA,
    ROOT,
    SARIF_SCHEMA,  # noqa: E402
)

DRAFT = "corpora/windpark.de.txt"
NASTY = 'Zeichen <b> & "Anführung" \x07 100% a:b,c\nzweite Zeile'


def _segment(sid, target, line, column, flags, start=0):
    paragraph = int(sid.split(".")[0])
    segment = Segment(sid, paragraph, target, None, "1-1", start, line, column)
    return SegmentResult(segment=segment, backtranslation=None, scores=None, flags=tuple(flags))


def _flag(rule, category, severity, span, line, column, message="msg", suggestion=None):
    return Flag(rule, category, severity, message, suggestion, span, line, column)


MODAL_TARGET = "Er soll versucht, es zu bauen."
COMMA_TARGET = "Um das zu tun wird es gebaut."


def _result() -> Result:
    first = DocumentResult(
        path="drafts/a.de.txt",
        reference_path="drafts/a.en.txt",
        scores=DocumentScores(bleu=31.25, chrf=55.5, ter=48.0),
        segments=(
            _segment(
                "1.1",
                MODAL_TARGET,
                1,
                1,
                [
                    _flag(
                        "modal-participle",
                        "Fluency/Grammar",
                        "major",
                        (3, 16),
                        1,
                        4,
                        "Bare participle after 'soll'.",
                        "soll versucht haben",
                    )
                ],
            ),
            _segment(
                "1.2",
                COMMA_TARGET,
                1,
                32,
                # A zero-width finding: the comma is missing between two characters.
                [_flag("infinitive-comma", "Fluency/Punctuation", "minor", (13, 13), 1, 45)],
                start=31,
            ),
            _segment(
                "2.1",
                "Die AI-Sparte wächst.",
                3,
                1,
                [_flag("house-ki", "Style/Company style", "minor", (4, 6), 3, 5, "Use KI.", "KI")],
            ),
        ),
    )
    second = DocumentResult(
        path="b.de.txt",
        reference_path=None,
        scores=None,
        segments=(
            _segment(
                "1.1",
                "Sie soll gebaut.",
                2,
                3,
                [
                    _flag("modal-participle", "Fluency/Grammar", "critical", (4, 15), 2, 7),
                    _flag("repeated-word", "Fluency/Grammar", "minor", (0, 3), 2, 3, NASTY),
                ],
            ),
        ),
    )
    clean = DocumentResult(
        path="c.de.txt",
        reference_path=None,
        scores=None,
        segments=(_segment("1.1", "Alles gut.", 1, 1, []),),
    )
    minor_only = DocumentResult(
        path="dir with space/d.de.txt",
        reference_path=None,
        scores=None,
        segments=(
            _segment(
                "1.1",
                "Das ist ist gut.",
                1,
                1,
                [_flag("repeated-word", "Fluency/Grammar", "minor", (4, 11), 1, 5, NASTY)],
            ),
        ),
    )
    return Result(version="9.8.7", model=None, documents=(first, second, clean, minor_only))


# -- fingerprint ---------------------------------------------------------------------------


def test_fingerprint_ignores_unicode_form_and_white_space_but_not_content():
    composed = "Die Größe ist  gut.\n"
    decomposed = unicodedata.normalize("NFD", " Die Größe\tist gut.")
    assert normalize(composed) == normalize(decomposed) == "Die Größe ist gut."
    base = fingerprint("modal-participle", composed, "soll versucht")
    assert base == fingerprint("modal-participle", decomposed, " soll  versucht ")
    assert len(base) == 64 and int(base, 16) >= 0
    assert base != fingerprint("verb-final-subclause", composed, "soll versucht")
    assert base != fingerprint("modal-participle", "Die Größe ist schlecht.", "soll versucht")
    assert base != fingerprint("modal-participle", composed, "soll")


# -- SARIF ---------------------------------------------------------------------------------


def _sarif(result=None, **kwargs) -> dict:
    return json.loads(render(result or _result(), "sarif", **kwargs))


def test_sarif_validates_against_the_oasis_schema():
    if not SARIF_SCHEMA.is_file():
        pytest.skip("../shared/schemas/sarif-schema-2.1.0.json is not here")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    for log in (_sarif(), _sarif(verdicts={"b.de.txt": ["penalty 30 > 10"]})):
        errors = sorted(validator_class(schema).iter_errors(log), key=str)
        assert not errors, "\n".join(error.message for error in errors[:5])


def test_sarif_run_tool_and_invocation():
    log = _sarif()
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "mtcheck" and driver["version"] == "9.8.7"
    assert "informationUri" not in driver
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert run["columnKind"] == "unicodeCodePoints"
    assert "properties" not in run  # no model, no gate


def test_sarif_lists_each_rule_once_and_results_point_at_it():
    run = _sarif()["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids))
    assert set(ids) == {"modal-participle", "infinitive-comma", "house-ki", "repeated-word"}
    assert len(run["results"]) == 6
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    modal = rules[ids.index("modal-participle")]
    assert modal["name"] == "ModalParticiple"
    assert modal["shortDescription"]["text"].startswith("A modal verb with a bare past participle")
    assert "Bad:" not in modal["fullDescription"]["text"]
    assert 'Bad:  "ByteDance soll versucht' in modal["help"]["text"]
    assert "Good:" in modal["help"]["text"]
    assert "- **Bad:** " in modal["help"]["markdown"]
    assert modal["defaultConfiguration"]["level"] == "error"
    assert "Fluency/Grammar" in modal["properties"]["tags"]
    assert modal["properties"]["problem.severity"] == "error"
    comma = rules[ids.index("infinitive-comma")]
    assert comma["defaultConfiguration"]["level"] == "warning"
    assert comma["properties"]["problem.severity"] == "warning"
    # A configured pattern rule the registry does not know still gets a descriptor.
    house = rules[ids.index("house-ki")]
    assert house["name"] == "HouseKi"
    assert "Style/Company style" in house["properties"]["tags"]
    assert house["defaultConfiguration"]["level"] == "warning"


def test_sarif_results_levels_messages_locations_and_regions():
    results = _sarif()["runs"][0]["results"]
    by_key = {
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        ): r
        for r in results
    }
    modal = by_key[("drafts/a.de.txt", "modal-participle", 1)]
    assert modal["level"] == "error"
    assert modal["message"]["text"] == "Bare participle after 'soll'. → soll versucht haben"
    physical = modal["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "drafts/a.de.txt", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {
        "startLine": 1,
        "startColumn": 4,
        "endLine": 1,
        "endColumn": 17,  # exclusive: 4 + len("soll versucht")
        "snippet": {"text": "soll versucht"},
    }
    assert modal["partialFingerprints"] == {
        FINGERPRINT_KEY: fingerprint("modal-participle", MODAL_TARGET, "soll versucht")
    }
    comma = by_key[("drafts/a.de.txt", "infinitive-comma", 1)]
    assert comma["level"] == "warning"
    assert comma["message"]["text"] == "msg"
    region = comma["locations"][0]["physicalLocation"]["region"]
    # Zero width: an empty region (an insertion point), no snippet.
    assert region == {"startLine": 1, "startColumn": 45, "endLine": 1, "endColumn": 45}
    critical = by_key[("b.de.txt", "modal-participle", 2)]
    assert critical["level"] == "error"
    assert critical["locations"][0]["physicalLocation"]["region"]["snippet"] == {
        "text": "soll gebaut"
    }
    spaced = by_key[("dir%20with%20space/d.de.txt", "repeated-word", 1)]
    assert spaced["message"]["text"] == NASTY  # JSON carries any text


def test_sarif_region_without_a_place_in_the_file():
    document = DocumentResult(
        path="x.de.txt",
        reference_path=None,
        scores=None,
        segments=(
            _segment("1.1", "Text.", 1, 1, [_flag("repeated-word", "C", "minor", (0, 4), 0, 0)]),
        ),
    )
    (result,) = _sarif(Result("1", None, (document,)))["runs"][0]["results"]
    assert "region" not in result["locations"][0]["physicalLocation"]


def test_sarif_carries_the_gate_verdicts():
    verdicts = {"drafts/a.de.txt": [], "b.de.txt": ["1 critical flag > 0"]}
    verdict = _sarif(verdicts=verdicts)["runs"][0]["properties"]["verdicts"]
    assert verdict["drafts/a.de.txt"] == {"passed": True, "reasons": []}
    assert verdict["b.de.txt"] == {"passed": False, "reasons": ["1 critical flag > 0"]}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("corpora/windpark.de.txt", {"uri": "corpora/windpark.de.txt", "uriBaseId": "%SRCROOT%"}),
        ("./a/b.txt", {"uri": "a/b.txt", "uriBaseId": "%SRCROOT%"}),
        ("a\\b c.txt", {"uri": "a/b%20c.txt", "uriBaseId": "%SRCROOT%"}),
        ("über#1.txt", {"uri": "%C3%BCber%231.txt", "uriBaseId": "%SRCROOT%"}),
        ("../up.txt", {"uri": "../up.txt", "uriBaseId": "%SRCROOT%"}),
        ("x:y.txt", {"uri": "x%3Ay.txt", "uriBaseId": "%SRCROOT%"}),
        ("/abs/dir/f.txt", {"uri": "file:///abs/dir/f.txt"}),
        ("C:\\work\\f.txt", {"uri": "file:///C:/work/f.txt"}),
    ],
)
def test_sarif_artifact_uris(path, expected):
    assert artifact_location(path) == expected


def test_pascal_case():
    assert pascal_case("verb-final-subclause") == "VerbFinalSubclause"
    assert pascal_case("low-adequacy") == "LowAdequacy"


# -- JUnit ---------------------------------------------------------------------------------


def _junit(**kwargs) -> ET.Element:
    text = render(_result(), "junit", **kwargs)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def _cases(root: ET.Element) -> dict[str, ET.Element]:
    (suite,) = root.findall("testsuite")
    assert all(case.get("classname") == "mtcheck" for case in suite.findall("testcase"))
    return {case.get("name"): case for case in suite.findall("testcase")}


def test_junit_without_verdicts_fails_documents_with_major_or_critical_flags():
    root = _junit()
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "mtcheck"
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "2", "0")
    assert suite.get("time") is not None
    cases = _cases(root)
    assert list(cases) == ["drafts/a.de.txt", "b.de.txt", "c.de.txt", "dir with space/d.de.txt"]
    failure = cases["drafts/a.de.txt"].find("failure")
    assert failure.get("type") == "quality"
    assert failure.get("message") == "1 major flag"
    lines = failure.text.splitlines()
    assert lines[0] == (
        "drafts/a.de.txt:1:4 major modal-participle Bare participle after 'soll'. "
        "→ soll versucht haben"
    )
    assert lines[1] == "drafts/a.de.txt:1:45 minor infinitive-comma msg"
    assert lines[2] == "drafts/a.de.txt:3:5 minor house-ki Use KI. → KI"
    assert cases["b.de.txt"].find("failure").get("message") == "1 critical flag"
    assert cases["c.de.txt"].find("failure") is None
    assert cases["c.de.txt"].find("system-out") is None
    passing = cases["dir with space/d.de.txt"]
    assert passing.find("failure") is None
    assert passing.find("system-out").text.startswith(
        "dir with space/d.de.txt:1:5 minor repeated-word Zeichen"
    )


def test_junit_escapes_markup_and_drops_control_characters():
    cases = _cases(_junit())
    expected = NASTY.replace("\x07", "")
    out = cases["dir with space/d.de.txt"].find("system-out").text
    assert out == f"dir with space/d.de.txt:1:5 minor repeated-word {expected}"
    assert expected in cases["b.de.txt"].find("failure").text
    # Attributes too: a failure message from the gate with markup and a control character.
    root = _junit(verdicts={"c.de.txt": ['penalty <5> & "x"\x00\x1b over limit'], "b.de.txt": []})
    cases = _cases(root)
    assert cases["c.de.txt"].find("failure").get("message") == 'penalty <5> & "x" over limit'


def test_junit_follows_the_gate_verdicts():
    verdicts = {
        "drafts/a.de.txt": [],
        "b.de.txt": ["MQM penalty 25 > 10", "chrF 40.0 < 50"],
        "c.de.txt": [],
        "dir with space/d.de.txt": [],
    }
    root = _junit(verdicts=verdicts)
    assert root.find("testsuite").get("failures") == "1"
    assert root.get("failures") == "1"
    cases = _cases(root)
    # Major flags, but the gate let it pass: the flags are output, not a failure.
    assert cases["drafts/a.de.txt"].find("failure") is None
    assert "modal-participle" in cases["drafts/a.de.txt"].find("system-out").text
    failure = cases["b.de.txt"].find("failure")
    assert failure.get("message") == "MQM penalty 25 > 10; chrF 40.0 < 50"


# -- GitHub --------------------------------------------------------------------------------


def test_github_escaping():
    assert escape_data("100% a:b,c\r\nx") == "100%25 a:b,c%0D%0Ax"
    assert escape_property("100% a:b,c\r\nx") == "100%25 a%3Ab%2Cc%0D%0Ax"
    # % first: an escape sequence in the text is not mistaken for one.
    assert escape_data("%0A") == "%250A"


def test_github_annotations_and_summaries():
    lines = render(_result(), "github").splitlines()
    assert lines[0] == (
        "::error file=drafts/a.de.txt,line=1,col=4,endColumn=17,title=modal-participle::"
        "Bare participle after 'soll'. → soll versucht haben (major, Fluency/Grammar)"
    )
    # Zero width: no endColumn.
    assert lines[1] == (
        "::warning file=drafts/a.de.txt,line=1,col=45,title=infinitive-comma::"
        "msg (minor, Fluency/Punctuation)"
    )
    assert lines[2].startswith("::warning file=drafts/a.de.txt,line=3,col=5,endColumn=7,")
    assert lines[3] == (
        "::notice::mtcheck drafts/a.de.txt: BLEU 31.2, chrF 55.5, TER 48.0 · 3 segments · "
        "3 flags (0 critical, 1 major, 2 minor) · MQM penalty 7 (437.5 per 1,000 words)"
    )
    nasty = escape_data(NASTY)
    assert "\n" not in nasty and "%0A" in nasty and "100%25" in nasty
    assert lines[4] == (
        "::warning file=b.de.txt,line=2,col=3,endColumn=6,title=repeated-word::"
        f"{nasty} (minor, Fluency/Grammar)"
    )
    assert lines[5].startswith("::error file=b.de.txt,line=2,col=7,endColumn=18,")
    assert lines[6].startswith("::notice::mtcheck b.de.txt: 1 segment · 2 flags (1 critical")
    assert lines[7].startswith("::notice::mtcheck c.de.txt: 1 segment · 0 flags")
    assert lines[8].startswith("::warning file=dir with space/d.de.txt,line=1,col=5,")
    assert len(lines) == 10


def test_github_property_values_are_escaped():
    document = DocumentResult(
        path="a,b:c.txt",
        reference_path=None,
        scores=None,
        segments=(_segment("1.1", "Text.", 1, 1, [_flag("r", "C", "minor", (0, 4), 1, 1)]),),
    )
    (annotation, _notice) = render(Result("1", None, (document,)), "github").splitlines()
    assert annotation.startswith("::warning file=a%2Cb%3Ac.txt,line=1,col=1,endColumn=5,title=r::")


def test_github_summary_shows_the_verdicts():
    verdicts = {"drafts/a.de.txt": [], "b.de.txt": ["1 critical flag > 0", "50%\nover"]}
    lines = render(_result(), "github", verdicts=verdicts).splitlines()
    notices = [line for line in lines if line.startswith("::notice::")]
    assert notices[0].endswith(" · passed")
    assert notices[1].endswith(" · failed 2 limits")
    assert notices[2].endswith(" · passed")  # a document the gate did not name
    # Each failed limit is an error on its file, its text escaped like any message.
    errors = [line for line in lines if line.startswith("::error file=b.de.txt,title=")]
    assert errors == [
        "::error file=b.de.txt,title=mtcheck gate::mtcheck b.de.txt: 1 critical flag > 0",
        "::error file=b.de.txt,title=mtcheck gate::mtcheck b.de.txt: 50%25%0Aover",
    ]


# -- registry and command line -------------------------------------------------------------


def test_formats_and_unknown_format():
    assert FORMATS == ("text", "json", "sarif", "junit", "github", "html", "xliff", "markdown")
    with pytest.raises(ValueError, match="unknown report format"):
        render(_result(), "yaml")


@pytest.fixture(scope="module")
def windpark_reports() -> dict[str, str]:
    """The reports of ``mtcheck check corpora/windpark.de.txt`` run from the repository root."""
    runner = CliRunner()
    reports = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        for fmt in ("sarif", "junit", "github"):
            outcome = runner.invoke(
                main,
                [
                    "check",
                    DRAFT,
                    "-r",
                    "corpora/windpark.en.txt",
                    "--no-backtranslation",
                    "--isolated",
                    "--format",
                    fmt,
                ],
            )
            assert outcome.exit_code == 0, outcome.output
            reports[fmt] = outcome.output
    return reports


def _modal_place(sarif: dict) -> tuple[str, int, int, int]:
    run = sarif["runs"][0]
    (modal,) = [r for r in run["results"] if r["ruleId"] == "modal-participle"]
    physical = modal["locations"][0]["physicalLocation"]
    region = physical["region"]
    assert region["snippet"]["text"].startswith("soll ")
    assert region["snippet"]["text"].endswith(" verhandelt")
    return (
        physical["artifactLocation"]["uri"],
        region["startLine"],
        region["startColumn"],
        region["endColumn"],
    )


def test_check_writes_sarif_junit_and_github(windpark_reports):
    draft = DRAFT
    sarif = json.loads(windpark_reports["sarif"])
    uri, line, column, end = _modal_place(sarif)
    assert (line, column) == (3, 17)
    assert end == column + len("soll monatelang mit zwei dänischen Turbinenherstellern verhandelt")
    source_line = (CORPORA / "windpark.de.txt").read_text(encoding="utf-8").splitlines()[2]
    assert source_line[column - 1 : end - 1].startswith("soll monatelang")
    assert source_line[column - 1 : end - 1].endswith("verhandelt")
    assert uri == "corpora/windpark.de.txt"
    assert (
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"][
            "uriBaseId"
        ]
        == "%SRCROOT%"
    )
    if SARIF_SCHEMA.is_file():
        jsonschema = pytest.importorskip("jsonschema")
        jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))

    root = ET.fromstring(windpark_reports["junit"].encode("utf-8"))
    (case,) = root.iter("testcase")
    assert case.get("name") == draft
    assert f"{draft}:{line}:{column} major modal-participle " in case.find("failure").text

    github = windpark_reports["github"].splitlines()
    prefix = (
        f"::error file={escape_property(draft)},line={line},col={column},endColumn={end},"
        "title=modal-participle::"
    )
    assert any(annotation.startswith(prefix) for annotation in github)
    assert github[-1].startswith(f"::notice::mtcheck {escape_data(draft)}: ")
