"""``--format xliff`` writes well-formed XML for any German (characters XML cannot carry
become ``<cp/>``) and keeps the input's inline codes (issue 13, items 9 and 10)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner
from defusedxml.ElementTree import fromstring

from mtcheck.cli import main
from mtcheck.model import DocumentResult, Flag, Result, Segment, SegmentResult
from mtcheck.pipeline import run_check
from mtcheck.report import render
from mtcheck.report.xliff_report import ITS, XLIFF

NS = {"x": XLIFF}
CONTROLS = "Die Firma\x00 soll\x0c versucht\x07, die \x1b[31mPreise zu\tsenken."


def _xliff(*args: str) -> str:
    result = CliRunner().invoke(main, ["check", *args, "--no-backtranslation", "--no-cache"])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def _one(item: SegmentResult) -> Result:
    return Result("0", None, (DocumentResult("d.txt", None, None, (item,)),))


def _targets(path: Path) -> list[str]:
    return [s.segment.target for s in run_check([(path, None)]).documents[0].segments]


def test_control_characters_become_cp_and_read_back(tmp_path):
    draft = tmp_path / "d\x1b.de.txt"
    draft.write_text(CONTROLS + "\n", encoding="utf-8")
    text = _xliff(str(draft), "-f", "xliff")
    root = fromstring(text.encode("utf-8"))  # well-formed
    target = root.find(".//x:target", NS)
    assert [cp.get("hex") for cp in target.iter(f"{{{XLIFF}}}cp")] == ["0", "C", "7", "1B"]
    assert "\\x1b" in root.find("x:file", NS).get("original")
    out = tmp_path / "out.xlf"
    out.write_text(text, encoding="utf-8")
    assert _targets(out) == [CONTROLS]


def test_characters_xml_cannot_carry_in_notes_and_attributes_are_written_out():
    target = "Ein\x1b Satz\ud800."
    flag = Flag("x", "Style/Company style", "minor", "quoted 'Ein\x1b'", None, (0, 4))
    segment = Segment("1.1", 1, target, "A\x07 sentence.", "1-1", 0, 1, 1)
    result = _one(SegmentResult(segment, "A\x00 sentence.", None, (flag,)))
    text = render(result, "xliff")
    text.encode("utf-8")  # no lone surrogate left
    root = fromstring(text.encode("utf-8"))
    assert root.find(".//x:source/x:cp", NS).get("hex") == "7"
    assert [cp.get("hex") for cp in root.iter(f"{{{XLIFF}}}cp")] == ["7", "1B", "D800"]
    mark = root.find(".//x:mrk", NS)
    assert mark.get(f"{{{ITS}}}locQualityIssueComment") == "quoted 'Ein\\x1b'"
    notes = [n.text for n in root.iter(f"{{{XLIFF}}}note")]
    assert "1.1: back-translation: A\\x00 sentence." in notes


def test_carriage_return_and_double_spaces_survive(tmp_path):
    segment = Segment("1.1", 1, "Zwei  Leerzeichen\rund CR.", None, "1-0", 0, 1, 1)
    result = _one(SegmentResult(segment, None, None, ()))
    out = tmp_path / "out.xlf"
    out.write_text(render(result, "xliff"), encoding="utf-8", newline="")
    assert _targets(out) == ["Zwei  Leerzeichen\rund CR."]


XLIFF_2 = f"""<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="{XLIFF}" version="2.0" srcLang="en" trgLang="de">
 <file id="f1">
  <unit id="u1">
   <originalData><data id="d1">{{name}}</data></originalData>
   <segment>
    <source>Hello <ph id="1" dataRef="d1" equiv="name"/>, click <pc id="2">here</pc>.</source>
    <target>Hallo <ph id="1" dataRef="d1" equiv="name"/>, klicken Sie <pc id="2">hier</pc>.
    Die Firma soll <pc id="3" dataRefStart="d1">versucht, die</pc> Preise<sc id="4"/> zu
    senken<ec startRef="4"/>.</target>
   </segment>
  </unit>
 </file>
</xliff>
"""


def test_xliff_2_inline_codes_are_kept_with_their_attributes(tmp_path):
    draft = tmp_path / "d.xlf"
    draft.write_text(XLIFF_2, encoding="utf-8")
    text = _xliff(str(draft), "-f", "xliff")
    root = fromstring(text.encode("utf-8"))
    targets = root.findall(".//x:target", NS)
    assert len(targets) == 2  # two sentences, two segments
    ph = targets[0].find("x:ph", NS)
    assert ph is not None and ph.attrib == {"id": "1", "dataRef": "d1", "equiv": "name"}
    assert "".join(targets[0].find("x:pc", NS).itertext()) == "hier"
    assert root.find(".//x:source/x:ph", NS).get("dataRef") == "d1"
    assert root.find(".//x:originalData/x:data", NS).get("id") == "d1"
    second = targets[1]
    pc = second.find(".//x:pc", NS)
    assert pc.get("dataRefStart") == "d1" and "".join(pc.itertext()) == "versucht, die"
    assert second.find(".//x:sc", NS).get("id") == "4"
    assert second.find(".//x:ec", NS).get("startRef") == "4"
    # The modal-participle flag ("soll versucht") crosses the <pc>: markers, the code whole.
    start = second.find(".//x:sm", NS)
    assert start is not None and start.get(f"{{{ITS}}}locQualityIssueType") == "grammar"
    assert second.find(".//x:em", NS).get("startRef") == start.get("id")
    out = tmp_path / "out.xlf"
    out.write_text(text, encoding="utf-8")
    assert _targets(out) == _targets(draft)
    again = run_check([(out, None)]).documents[0].segments
    first = run_check([(draft, None)]).documents[0].segments
    assert [s.segment.markup for s in again] == [s.segment.markup for s in first]


XLIFF_1 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="a.txt" source-language="en" target-language="de" datatype="plaintext">
  <body>
   <trans-unit id="t1">
    <source>Hello <x id="1"/>, click <g id="2">here</g> <ph id="3">{x}</ph>.</source>
    <target>Hallo <x id="1"/>, klicken Sie <g id="2">hier</g> <ph id="3">{x}</ph>.</target>
   </trans-unit>
  </body>
 </file>
</xliff>
"""


def test_xliff_1_2_inline_codes_become_their_xliff_2_counterparts(tmp_path):
    draft = tmp_path / "d.xlf"
    draft.write_text(XLIFF_1, encoding="utf-8")
    root = fromstring(_xliff(str(draft), "-f", "xliff").encode("utf-8"))
    assert root.get("version") == "2.1"
    target = root.find(".//x:target", NS)
    children = [(child.tag.rsplit("}", 1)[-1], child.get("id")) for child in target]
    assert children == [("ph", "1"), ("pc", "2"), ("ph", "3")]
    assert "".join(target.itertext()) == "Hallo , klicken Sie hier ."
    source = root.find(".//x:source", NS)
    assert [child.tag.rsplit("}", 1)[-1] for child in source] == ["ph", "pc", "ph"]


def test_plain_text_inputs_get_no_codes():
    segment = Segment("1.1", 1, "Text mit <ph/> als Text.", "Text.", "1-1", 0, 1, 1)
    result = _one(SegmentResult(segment, None, None, ()))
    root = ET.fromstring(render(result, "xliff"))
    target = root.find(".//x:target", NS)
    assert len(target) == 0 and target.text == "Text mit <ph/> als Text."
