"""Issue 15, gate polish: one rounding and plurals, ``::error::`` for a failed limit,
``--format markdown`` and ``-q``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtcheck.cli import main
from mtcheck.gate import Limits, checks
from mtcheck.model import DocumentResult, DocumentScores, Flag, Result, Segment, SegmentResult
from mtcheck.report.figures import penalty_figure, plural
from mtcheck.report.gate_markdown import render_gate_markdown

# 11 German words with one major flag: 5,000 / 11 = 454.5454…, which the old summary
# rounded to 454.55 and then to "454.6" while the limit's reason said "454.5".
EN = "The company is said to have tried to make the new software much faster.\n"
DE = "Die Firma soll versucht, die neue Software viel schneller zu machen.\n"
CLEAN_EN = "The installation takes about ten minutes.\n"
CLEAN_DE = "Die Installation dauert etwa zehn Minuten.\n"
CONFIG = """
[tool.mtcheck.gate]
pairs = [{ target = "de/*.txt", reference = "en/{path}" }]
max-penalty = 50
max-major = 0
backtranslation = false
"""


def write_pair(root: Path, name: str, english: str, german: str) -> None:
    for language, text in (("en", english), ("de", german)):
        (root / language).mkdir(exist_ok=True)
        (root / language / name).write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    write_pair(tmp_path, "a.txt", EN, DE)
    write_pair(tmp_path, "b.txt", CLEAN_EN, CLEAN_DE)
    (tmp_path / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def gate(*args: str):
    return CliRunner().invoke(main, ["gate", *args])


# -- one rounding, plurals -------------------------------------------------------------------


def test_plural_and_penalty_figure():
    assert [plural(n, "flag") for n in (0, 1, 2)] == ["0 flags", "1 flag", "2 flags"]
    assert plural(1, "major flag") == "1 major flag"
    assert penalty_figure(5, 11) == "454.5"
    assert penalty_figure(3, 0) == "0.0"


def test_summary_and_reason_show_the_same_penalty(repo):
    text = gate()
    assert text.exit_code == 1, text.output
    shown = re.findall(r"penalty (\d+\.\d)/1,000 words", text.stdout)
    reasons = re.findall(r"MQM penalty (\d+\.\d) per 1,000 words is above", text.stdout)
    assert shown[0] == reasons[0] == "454.5", text.stdout
    assert "1 flag (0 critical, 1 major, 0 minor)" in text.stdout
    assert "1 major flag, more than max-major 0" in text.stdout
    assert "1 of 2 documents over the limits." in text.stdout
    github = gate("-f", "github").stdout
    figures = set(re.findall(r"(\d+\.\d) per 1,000 words", github))
    assert figures == {"454.5", "0.0"}, github
    markdown = gate("-f", "markdown").stdout
    assert "| MQM penalty per 1,000 words | 454.5 | `max-penalty = 50` | **failed** |" in markdown


def test_no_wrong_plural_in_any_format(repo):
    (repo / "de" / "a.txt").unlink()
    outputs = {fmt: gate("-f", fmt) for fmt in ("text", "github", "markdown", "json")}
    for fmt, outcome in outputs.items():
        assert outcome.exit_code == 0, (fmt, outcome.output)
        assert not re.search(r"\b1 (flags|segments|documents|findings)\b", outcome.stdout), fmt
    assert outputs["text"].stdout.endswith("\n1 document within the limits.\n")
    assert "1 segment · 0 flags" in outputs["github"].stdout


def test_limits_are_compared_with_the_figure_shown():
    def document(chrf: float, majors: int) -> DocumentResult:
        flags = tuple(
            Flag("r", "Fluency/Grammar", "major", "m", None, (0, 1), 1, 1) for _ in range(majors)
        )
        segment = SegmentResult(
            Segment("1.1", 1, "Text.", "Text.", "1-1", 0, 1, 1), None, None, flags
        )
        return DocumentResult("d.txt", None, DocumentScores(30.0, chrf, 50.0), (segment,))

    limits = Limits(min_chrf=40.0, max_penalty=50.0)
    # 39.96 is shown as 40.0, which keeps min-chrf 40; 39.94 is shown as 39.9.
    assert not any(c.failed for c in checks(document(39.96, 0), limits, 10))
    (failed,) = [c for c in checks(document(39.94, 0), limits, 10) if c.failed]
    assert failed.reason == "chrF 39.9 is below min-chrf 40"
    # 11 major flags in 1,099 words: 50.045… per 1,000, shown as 50.0, within max-penalty 50.
    penalty = [c for c in checks(document(50.0, 11), limits, 1099) if c.limit == "max-penalty"]
    assert penalty[0].value == "50.0" and not penalty[0].failed
    over = [c for c in checks(document(50.0, 11), limits, 1089) if c.limit == "max-penalty"]
    assert over[0].reason == "MQM penalty 50.5 per 1,000 words is above max-penalty 50"


def test_baseline_messages_use_plurals(repo):
    written = gate("--write-baseline", "base.json")
    assert written.exit_code == 0
    assert "wrote 1 accepted finding to base.json." in written.stderr
    accepted = gate("--baseline", "base.json")
    assert accepted.exit_code == 0, accepted.output
    assert "1 finding accepted by the baseline base.json." in accepted.stdout


# -- --format github -------------------------------------------------------------------------


def test_a_failed_limit_is_an_error_on_its_file(repo):
    outcome = gate("-f", "github")
    assert outcome.exit_code == 1
    lines = outcome.stdout.splitlines()
    limit_errors = [
        line for line in lines if line.startswith("::error file=de/a.txt,title=mtcheck")
    ]
    assert limit_errors == [
        "::error file=de/a.txt,title=mtcheck gate::mtcheck de/a.txt: "
        "MQM penalty 454.5 per 1,000 words is above max-penalty 50",
        "::error file=de/a.txt,title=mtcheck gate::mtcheck de/a.txt: "
        "1 major flag, more than max-major 0",
    ]
    notices = [line for line in lines if line.startswith("::notice")]
    # Notices stay notices, and no notice repeats a failed limit.
    assert [n.startswith("::notice::mtcheck de/") for n in notices] == [True, True]
    assert notices[0].endswith(" · failed 2 limits") and notices[1].endswith(" · passed")
    assert not any("above max-penalty" in n for n in notices)


def test_limit_errors_escape_the_file_name(repo):
    write_pair(repo, "x,y:%.txt", EN, DE)
    lines = gate("-f", "github").stdout.splitlines()
    errors = [line for line in lines if line.startswith("::error file=de/x")]
    # The property escapes ",", ":" and "%"; the message only "%".
    prefix = "::error file=de/x%2Cy%3A%25.txt,title=mtcheck gate::mtcheck de/x,y:%25.txt: "
    limit_errors = [line for line in errors if ",title=mtcheck gate::" in line]
    assert [line.startswith(prefix) for line in limit_errors] == [True, True], errors
    assert len(errors) == 3  # the flag's annotation and the two limits


# -- --format markdown -----------------------------------------------------------------------


def test_markdown_report(repo):
    outcome = gate("-f", "markdown")
    assert outcome.exit_code == 1
    text = outcome.stdout
    assert text.startswith("## mtcheck gate: failed\n\n1 of 2 documents over the limits.\n\n")
    assert "### de/a.txt: failed\n" in text and "### de/b.txt: passed\n" in text
    assert "| major flags | 1 | `max-major = 0` | **failed** |" in text
    assert "| critical flags | 0 | | |" in text
    assert "| major flags | 0 | `max-major = 0` | ok |" in text
    assert "| de/a.txt:1:11 | major | modal-participle | soll versucht |" in text
    assert text.count("No findings.") == 1
    assert gate("-f", "markdown").stdout == text  # deterministic


def test_markdown_escapes_paths_findings_and_notes(repo):
    name = "a|`b`<i>.txt"
    write_pair(repo, name, EN, DE)
    gate("--write-baseline", "<b>|base.json")
    write_pair(repo, "c.txt", EN + "It is new.\n", DE + "Es ist neu.\n")
    text = gate("-f", "markdown", "--baseline", "<b>|base.json").stdout
    assert "### de/a\\|\\`b\\`\\<i\\>.txt: passed" in text
    assert "### de/c.txt: failed" in text
    assert "<i>" not in text.replace("\\<i\\>", "") and "<b>" not in text.replace("\\<b\\>", "")
    assert "- 2 findings accepted by the baseline \\<b\\>\\|base.json." in text


def test_markdown_findings_cells_are_escaped():
    segment = Segment("1.1", 1, "Ein `x` | <script>", "A text.", "1-1", 0, 2, 1)
    flag = Flag("r", "Fluency/Grammar", "minor", "use `y` | not <b>x</b>", "a|b", (0, 18), 2, 1)
    document = DocumentResult("d.txt", None, None, (SegmentResult(segment, None, None, (flag,)),))
    text = render_gate_markdown(Result("0", None, (document,)), {"d.txt": []}, notes=["n|`<x>`"])
    row = next(line for line in text.splitlines() if line.startswith("| d.txt:2:1 "))
    assert "Ein \\`x\\` \\| \\<script\\>" in row
    assert "use \\`y\\` \\| not \\<b\\>x\\</b\\>" in row and "a\\|b" in row
    assert row.replace("\\|", "").count("|") == 7  # six cells, no extra column
    assert text.endswith("### Notes\n\n- n\\|\\`\\<x\\>\\`\n")
    assert text.startswith("## mtcheck gate: passed\n\n1 document within the limits.\n")


# -- -q --------------------------------------------------------------------------------------


def test_quiet_prints_only_the_verdict_line(repo):
    failed = gate("-q")
    assert failed.exit_code == 1
    assert failed.stdout == "1 of 2 documents over the limits.\n"
    (repo / "de" / "a.txt").unlink()
    passed = gate("--quiet")
    assert (passed.exit_code, passed.stdout) == (0, "1 document within the limits.\n")


def test_quiet_with_a_report_file_and_refused_without(repo):
    written = gate("-q", "-f", "sarif", "-o", "gate.sarif")
    assert written.exit_code == 1
    assert written.stdout == "1 of 2 documents over the limits.\n"
    assert '"ruleId": "modal-participle"' in (repo / "gate.sarif").read_text(encoding="utf-8")
    refused = gate("-q", "-f", "github")
    assert refused.exit_code == 2 and refused.stdout == ""
    assert "-q prints only the verdict line" in refused.stderr and "-o FILE" in refused.stderr


def test_the_report_format_comes_from_the_output_files_extension(repo):
    for name, marker in (
        ("gate.sarif", '"ruleId": "modal-participle"'),
        ("gate.json", '"documents"'),
        ("gate.xml", "<testsuite"),
        ("gate.md", "## mtcheck gate: failed"),
    ):
        result = gate("-o", name)
        assert result.exit_code == 1, result.output
        assert marker in (repo / name).read_text(encoding="utf-8"), name
    contradicted = gate("-o", "gate.sarif", "-f", "junit")
    assert contradicted.exit_code == 2 and "contradicts" in contradicted.stderr
    assert not (repo / "gate.html").exists()
    unsupported = gate("-o", "gate.html")
    assert unsupported.exit_code == 2 and "html report" in unsupported.stderr
    assert not (repo / "gate.html").exists()
