"""``--format markdown``: a findings table to paste into a PR or a ticket."""

from __future__ import annotations

from mtcheck.model import DocumentResult, DocumentScores, Flag, Result, Segment, SegmentResult
from mtcheck.report import render
from mtcheck.report.markdown_report import escape_cell


def _result(flags, scores=None) -> Result:
    segment = Segment("1.1", 1, "Ein | Text\nmit Umbruch", "A text.", "1-1", 0, 3, 1)
    document = DocumentResult("d|e.txt", None, scores, (SegmentResult(segment, None, None, flags),))
    return Result("0", None, (document,))


def test_table_has_one_row_per_flag_and_escapes_pipes_and_newlines():
    flag = Flag("r-1", "Fluency/Grammar", "major", "a | b\nc", "x|y", (0, 14), 3, 1)
    text = render(_result((flag,), DocumentScores(10.0, 40.25, 70.0)), "markdown")
    lines = text.splitlines()
    assert lines[0].startswith("**mtcheck**") and "chrF 40.2" in lines[0]
    assert "MQM penalty 5" in lines[0]
    rows = [line for line in lines if line.startswith("| ")]
    assert rows[0].startswith("| Location | Severity | Rule | Flagged text")
    assert len(rows) == 2
    row = rows[1]
    assert "d\\|e.txt:3:1" in row and "major" in row and "r-1" in row
    assert "Ein \\| Text<br>mit" in row and "a \\| b<br>c" in row and "x\\|y" in row
    # The row has exactly the table's columns: unescaped pipes only between cells.
    assert row.replace("\\|", "").count("|") == 7


def test_no_findings():
    assert "No findings." in render(_result(()), "markdown")


def test_escape_cell():
    assert escape_cell(None) == ""
    assert escape_cell("<script>") == "\\<script\\>"
    assert escape_cell("a\r\nb") == "a<br>b"
