"""Terminal escape sequences in the German text or in file names are shown, never obeyed:
no ESC or BEL byte from the input reaches stdout or stderr (issue 13, item 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mtcheck.cli import main
from mtcheck.errors import printable

OSC_TITLE = "\x1b]0;pwned\x07"  # sets the terminal's window title
RED = "\x1b[31m"
# A modal verb with a bare participle ("soll versucht") is flagged, so the sentence with
# the sequences shows in the segment block and its flag in the flag lines.
GERMAN = f"Die Firma soll versucht {OSC_TITLE}haben, die Software {RED}schneller zu machen.\n"
ENGLISH = "The company is said to have tried to make the software faster.\n"


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def _assert_no_escape(*outputs: bytes) -> None:
    for output in outputs:
        assert b"\x1b" not in output
        assert b"\x07" not in output
        assert b"\x9b" not in output and "\x9b".encode() not in output


@pytest.fixture
def hostile(tmp_path) -> tuple[Path, Path]:
    """A German draft and its English, the draft's name holding ESC and rich markup."""
    draft = tmp_path / f"[bold]d{RED}.de.txt"
    draft.write_text(GERMAN, encoding="utf-8")
    reference = tmp_path / "d.en.txt"
    reference.write_text(ENGLISH, encoding="utf-8")
    return draft, reference


def test_printable_writes_control_characters_out():
    assert printable(f"a{OSC_TITLE}b") == "a\\x1b]0;pwned\\x07b"
    assert printable("\x00\x0c\x7f\x9b\x9d") == "\\x00\\x0c\\x7f\\x9b\\x9d"
    assert printable("line\nnext\tcell\r", keep="\n\t") == "line\nnext\tcell\\x0d"
    assert printable("Grüße „so“ — ok") == "Grüße „so“ — ok"


def test_text_report_shows_the_sequences_escaped(hostile):
    draft, reference = hostile
    result = _run("check", str(draft), "-r", str(reference), "--no-backtranslation", "--no-cache")
    assert result.exit_code == 0, result.output
    _assert_no_escape(result.stdout_bytes, result.stderr_bytes)
    assert "modal-participle" in result.stdout
    # Shown as text, in the German and in the file name; "[bold]" is no rich markup.
    assert "\\x1b]0;pwned\\x07haben" in result.stdout
    assert f"[bold]d{printable(RED)}.de.txt:1:" in result.stdout


def test_coloured_text_report_keeps_only_its_own_colour_codes(hostile):
    draft, reference = hostile
    args = ("check", str(draft), "-r", str(reference), "--no-backtranslation", "--no-cache")
    result = _run(*args, "--color")
    assert result.exit_code == 0, result.output
    assert b"\x1b[" in result.stdout_bytes  # rich's own colours are there
    assert b"\x1b]" not in result.stdout_bytes  # no OSC from the input
    assert b"\x07" not in result.stdout_bytes
    assert b"\x1b[31m" not in result.stdout_bytes  # the colour of standard red, the input's
    assert "\\x1b]0;pwned\\x07" in result.stdout


def test_the_flagged_span_is_underlined_where_it_is_shown(tmp_path):
    # An escape before the flagged words moves them: the underline must move with them.
    from mtcheck.pipeline import run_check
    from mtcheck.report.text_report import _highlighted

    draft = tmp_path / "d.de.txt"
    draft.write_text(f"Die {RED}Firma soll versucht, die Preise zu senken.\n", encoding="utf-8")
    item = next(s for s in run_check([(draft, None)]).documents[0].segments if s.flags)
    flag = next(f for f in item.flags if f.rule == "modal-participle")
    text = _highlighted(item)
    assert text.plain.startswith("Die \\x1b[31mFirma")
    flagged = item.segment.target[flag.span[0] : flag.span[1]]
    assert flagged in [text.plain[span.start : span.end] for span in text.spans]


def test_gate_text_output_escapes_names_and_text(tmp_path, monkeypatch):
    (tmp_path / "de").mkdir()
    (tmp_path / "en").mkdir()
    name = f"a{RED}b.txt"
    (tmp_path / "de" / name).write_text(GERMAN, encoding="utf-8")
    (tmp_path / "en" / name).write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mtcheck.gate]\npairs = [{ target = "de/*.txt", reference = "en/{path}" }]\n'
        'fail-on = "major"\nbacktranslation = false\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = _run("gate", "--no-cache")
    assert result.exit_code == 1, result.output
    _assert_no_escape(result.stdout_bytes, result.stderr_bytes)
    assert f"FAIL  de/a{printable(RED)}b.txt" in result.stdout


def test_error_messages_escape_file_names(tmp_path):
    missing = tmp_path / f"missing{OSC_TITLE}.de.txt"
    result = _run("check", str(missing), "--no-backtranslation", "--no-cache")
    assert result.exit_code == 2
    _assert_no_escape(result.stdout_bytes, result.stderr_bytes)
    assert "missing\\x1b]0;pwned\\x07.de.txt" in result.stderr
    assert "unexpected" not in result.stderr


def test_input_errors_escape_the_file_name(tmp_path):
    # A JSONL draft without the field mtcheck reads: an input error naming the file.
    draft = tmp_path / f"d{RED}.jsonl"
    draft.write_text('{"text": "Hallo."}\n', encoding="utf-8")
    result = _run("check", str(draft), "--no-backtranslation", "--no-cache")
    assert result.exit_code == 2
    _assert_no_escape(result.stdout_bytes, result.stderr_bytes)
    assert f"d{printable(RED)}.jsonl:1:" in result.stderr
