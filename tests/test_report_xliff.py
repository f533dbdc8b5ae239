"""``--format xliff``: XLIFF 2.1 with ITS 2.0 quality-issue markup, read back by mtcheck."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mtcheck.model import (
    DocumentResult,
    Flag,
    Result,
    Segment,
    SegmentResult,
)
from mtcheck.pipeline import run_check
from mtcheck.report import render
from mtcheck.report.xliff_report import ITS, XLIFF, its_issue_type
from tests.helpers import SEED_DE, SEED_EN, requires_seed

NS = {"x": XLIFF, "its": ITS}


def _flags(result: Result) -> list[tuple[str, str, tuple[int, int], str]]:
    return [
        (segment.segment.target, flag.rule, flag.span, flag.message)
        for document in result.documents
        for segment in document.segments
        for flag in segment.flags
    ]


def _targets(result: Result) -> list[str]:
    return [s.segment.target for d in result.documents for s in d.segments if s.segment.target]


def _result(target: str, flags: tuple[Flag, ...], reference: str | None = "Ref.") -> Result:
    segment = Segment("p<1>.1", 1, target, reference, "1-1" if reference else "1-0", 0, 1, 1)
    document = DocumentResult(
        "draft.de.txt", None, None, (SegmentResult(segment, None, None, flags),)
    )
    return Result("0", None, (document,))


def _flag(rule: str, span: tuple[int, int], severity="minor", category="Fluency/Grammar"):
    return Flag(rule, category, severity, f"message of {rule}", "better", span, 1, span[0] + 1)


@requires_seed
def test_seed_report_is_xliff_2_1_with_its_markup_per_flag(tmp_path):
    result = run_check([(SEED_DE, SEED_EN)])
    text = render(result, "xliff")
    root = ET.fromstring(text)
    assert root.tag == f"{{{XLIFF}}}xliff"
    assert root.get("version") == "2.1"
    assert (root.get("srcLang"), root.get("trgLang")) == ("en", "de")
    assert root.get(f"{{{ITS}}}version") == "2.0"
    assert 'xmlns:its="http://www.w3.org/2005/11/its"' in text
    units = root.findall(".//x:unit", NS)
    segments = result.documents[0].segments
    assert [u.get("id") for u in units] == [s.segment.id for s in segments]
    marks = root.findall(".//x:target//x:mrk", NS)
    flags = [f for s in segments for f in s.flags]
    assert len(marks) == len(flags) > 0
    for mark, flag in zip(marks, flags, strict=True):
        assert mark.get("type") == "its:any"
        assert mark.get(f"{{{ITS}}}locQualityIssueType") == its_issue_type(flag)
        assert flag.message in mark.get(f"{{{ITS}}}locQualityIssueComment")
        severity = {"minor": "25", "major": "60", "critical": "100"}[flag.severity]
        assert mark.get(f"{{{ITS}}}locQualityIssueSeverity") == severity
    # German with no English counterpart: a unit with an empty source.
    lonely = [u for u, s in zip(units, segments, strict=True) if s.segment.alignment == "1-0"]
    assert lonely and all(u.find(".//x:source", NS).text in (None, "") for u in lonely)


@requires_seed
def test_round_trip_gives_the_same_texts_and_flags(tmp_path):
    result = run_check([(SEED_DE, SEED_EN)])
    path = tmp_path / "seed.xlf"
    path.write_text(render(result, "xliff"), encoding="utf-8")
    again = run_check([(path, None)])
    assert _targets(again) == _targets(result)
    assert sorted(_flags(again)) == sorted(_flags(result))


@requires_seed
def test_xliff_input_keeps_its_units_ids_and_notes(tmp_path):
    de = [line for line in SEED_DE.read_text(encoding="utf-8").splitlines() if line.strip()]
    en = [line for line in SEED_EN.read_text(encoding="utf-8").splitlines() if line.strip()]
    units = []
    for k, (german, english) in enumerate(zip(de, en, strict=False), start=1):
        units.append(
            f'<unit id="u-{k}"><notes><note>note {k} &amp; more</note></notes>'
            f"<segment><source>{_xml(english)}</source><target>{_xml(german)}</target></segment>"
            "</unit>"
        )
    units.append('<unit id="skip" translate="no"><segment><source>x</source></segment></unit>')
    source = tmp_path / "draft.xlf"
    source.write_text(
        f'<xliff xmlns="{XLIFF}" version="2.0" srcLang="en" trgLang="de">'
        f'<file id="f1">{"".join(units)}</file></xliff>',
        encoding="utf-8",
    )
    result = run_check([(source, None)])
    out = tmp_path / "out.xlf"
    out.write_text(render(result, "xliff"), encoding="utf-8")
    root = ET.parse(out).getroot()
    ids = [u.get("id") for u in root.findall(".//x:unit", NS)]
    assert ids == [f"u-{k}" for k in range(1, len(units))] + ["skip"]
    notes = [n.text for n in root.findall(".//x:note", NS) if n.get("category") != "mtcheck"]
    assert notes[0] == "note 1 & more"
    again = run_check([(out, None)])
    assert _targets(again) == _targets(result)
    assert sorted(_flags(again)) == sorted(_flags(result))
    assert len(root.findall(".//x:mrk", NS)) == len(_flags(result)) > 0


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


def test_overlapping_flags_nest_and_crossing_flags_use_markers():
    target = "Die Firma soll versucht haben, seine Modelle."
    flags = (
        _flag("outer", (0, 29)),
        _flag("inner", (10, 23), severity="major"),
        _flag("same", (10, 23)),
        _flag("crossing", (24, 36), severity="critical", category="Accuracy/Mistranslation"),
        _flag("insertion", (29, 29)),
    )
    root = ET.fromstring(render(_result(target, flags), "xliff"))
    target_element = root.find(".//x:target", NS)
    assert "".join(target_element.itertext()) == target
    outer = target_element.find("x:mrk", NS)
    assert "".join(outer.itertext()) == target[0:29]
    inner = outer.find("x:mrk", NS)
    assert "".join(inner.itertext()) == target[10:23]
    assert "".join(inner.find("x:mrk", NS).itertext()) == target[10:23]
    start = target_element.find(".//x:sm", NS)
    assert start.get(f"{{{ITS}}}locQualityIssueType") == "mistranslation"
    assert start.get(f"{{{ITS}}}locQualityIssueSeverity") == "100"
    end = target_element.find(".//x:em", NS)
    assert end.get("startRef") == start.get("id")
    issues = [
        e for e in target_element.iter() if e.get(f"{{{ITS}}}locQualityIssueType") is not None
    ]
    assert len(issues) == len(flags)
    ids = [e.get("id") for e in root.iter() if e.get("id") and e.tag != f"{{{XLIFF}}}file"]
    assert len(ids) == len(set(ids))
    unit = root.find(".//x:unit", NS)
    assert unit.get("id") == "p_1_.1"  # made an NMTOKEN


def test_hostile_text_is_escaped_and_missing_reference_gives_an_empty_source():
    target = 'A <b>&amp; "quoted" ]]> text'
    flag = Flag("x", "Style/Company style", "minor", 'msg <i> & "q"', "<fix>", (2, 5))
    text = render(_result(target, (flag,), reference=None), "xliff")
    root = ET.fromstring(text)
    assert "".join(root.find(".//x:target", NS).itertext()) == target
    assert root.find(".//x:source", NS).text in (None, "")
    mark = root.find(".//x:mrk", NS)
    assert mark.get(f"{{{ITS}}}locQualityIssueComment") == 'msg <i> & "q" → <fix>'
    assert mark.get(f"{{{ITS}}}locQualityIssueType") == "style"


@pytest.mark.parametrize(
    ("rule", "category", "expected"),
    [
        ("modal-participle", "Fluency/Grammar", "grammar"),
        ("infinitive-comma", "Fluency/Punctuation", "typographical"),
        ("low-adequacy", "Accuracy/Mistranslation", "mistranslation"),
        ("untranslated-text", "Accuracy/Untranslated", "untranslated"),
        ("glossary-term", "Terminology/Wrong term", "terminology"),
        ("quotation-marks", "Locale convention", "locale-violation"),
        ("number-format", "Locale convention", "numbers"),
        ("number-mismatch", "Accuracy/Mistranslation", "numbers"),
        ("house", "Something/else", "other"),
    ],
)
def test_its_issue_types(rule, category, expected):
    assert its_issue_type(_flag(rule, (0, 1), category=category)) == expected


def test_zero_one_segment_has_no_target(tmp_path: Path):
    segment = Segment("1.2", 1, "", "Missing sentence.", "0-1", 5, 1, 6)
    document = DocumentResult("d.txt", None, None, (SegmentResult(segment, None, None, ()),))
    root = ET.fromstring(render(Result("0", None, (document,)), "xliff"))
    assert root.find(".//x:target", NS) is None
    assert root.find(".//x:source", NS).text == "Missing sentence."
