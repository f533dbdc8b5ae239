"""Inline suppression: Markdown ``<!-- mtcheck-disable… -->`` comments and XLIFF notes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mtcheck.cli import main
from mtcheck.errors import InputError
from mtcheck.io.markdown import read_markdown
from mtcheck.pipeline import run_check

# Two findings on one line: a modal with a bare participle and straight quotes.
BAD = 'Die Firma soll versucht, das Projekt "Aurora" zu bauen.'


def _found(path: Path) -> list[tuple[str, int]]:
    """(rule, line) of every flag of a flags-only check of ``path``."""
    result = run_check([(path, None)])
    return sorted(
        (flag.rule, flag.line)
        for document in result.documents
        for item in document.segments
        for flag in item.flags
    )


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_markdown_comment_suppresses_only_the_named_rule_on_the_next_line(tmp_path):
    plain = _write(tmp_path, "plain.md", f"{BAD}\n\n{BAD}\n")
    assert _found(plain) == [
        ("modal-participle", 1),
        ("modal-participle", 3),
        ("straight-quotes", 1),
        ("straight-quotes", 1),
        ("straight-quotes", 3),
        ("straight-quotes", 3),
    ]
    commented = _write(
        tmp_path,
        "commented.md",
        f"<!-- mtcheck-disable-next-line modal-participle -->\n{BAD}\n\n{BAD}\n",
    )
    assert _found(commented) == [
        ("modal-participle", 4),  # the comment covers line 2 only
        ("straight-quotes", 2),  # a rule it does not name
        ("straight-quotes", 2),
        ("straight-quotes", 4),
        ("straight-quotes", 4),
    ]


def test_the_next_line_skips_blank_lines_and_names_several_rules(tmp_path):
    path = _write(
        tmp_path,
        "d.md",
        "> <!-- mtcheck-disable-next-line modal-participle, straight-quotes -->\n>\n"
        f"> {BAD}\n\n{BAD}\n",
    )
    assert [rule for rule, line in _found(path) if line == 3] == []
    assert {rule for rule, line in _found(path) if line == 5} == {
        "modal-participle",
        "straight-quotes",
    }


def test_disable_and_enable_cover_the_lines_between(tmp_path):
    path = _write(
        tmp_path,
        "d.md",
        f"<!-- mtcheck-disable straight-quotes -->\n\n{BAD}\n\n- {BAD}\n\n"
        f"<!-- mtcheck-enable straight-quotes -->\n\n{BAD}\n",
    )
    found = _found(path)
    assert {line for rule, line in found if rule == "straight-quotes"} == {9}
    assert {line for rule, line in found if rule == "modal-participle"} == {3, 5, 9}


def test_a_comment_in_a_code_block_is_code(tmp_path):
    path = _write(
        tmp_path, "d.md", f"```\n<!-- mtcheck-disable-next-line modal-participle -->\n```\n{BAD}\n"
    )
    assert ("modal-participle", 4) in _found(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<!-- mtcheck-disable-next-line -->\nText.\n", "names no rule"),
        ("<!-- mtcheck-disable-line modal-participle -->\nText.\n", "unknown comment"),
        ("<!-- mtcheck-enable modal-participle -->\nText.\n", "has no mtcheck-disable"),
        ("Text <!-- mtcheck-disable-next-line modal-participle --> hier.\n", "on a line of its"),
    ],
)
def test_malformed_comments_are_errors_not_ignored(text, message):
    with pytest.raises(InputError, match=message):
        read_markdown(text.split("\n"), "d.md")


def test_a_misspelled_rule_name_is_refused_with_a_suggestion(tmp_path):
    path = _write(tmp_path, "d.md", f"<!-- mtcheck-disable-next-line modal-partciple -->\n{BAD}\n")
    result = CliRunner().invoke(main, ["check", str(path), "--no-backtranslation", "--no-cache"])
    assert result.exit_code == 2
    assert f"{path}:2: 'modal-partciple'" in result.stderr
    assert "did you mean 'modal-participle'?" in result.stderr


XLIFF_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file source-language="en" target-language="de" datatype="plaintext" original="x">
  <body>
   <trans-unit id="1">
    <source>The company is said to have tried to build the "Aurora" project.</source>
    <target>{bad}</target>
    <note>Reviewed by the style desk.</note>
    <note>mtcheck-disable modal-participle</note>
   </trans-unit>
   <trans-unit id="2">
    <source>The company is said to have tried to build the "Aurora" project.</source>
    <target>{bad}</target>
   </trans-unit>
  </body>
 </file>
</xliff>
"""

XLIFF_20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" trgLang="de">
 <file id="f">
  <unit id="1">
   <notes><note>mtcheck-disable straight-quotes, modal-participle</note></notes>
   <segment>
    <source>The company is said to have tried to build the "Aurora" project.</source>
    <target>{bad}</target>
   </segment>
  </unit>
  <unit id="2">
   <segment>
    <source>The company is said to have tried to build the "Aurora" project.</source>
    <target>{bad}</target>
   </segment>
  </unit>
 </file>
</xliff>
"""


def _by_unit(path: Path) -> dict[str, set[str]]:
    result = run_check([(path, None)])
    return {
        item.segment.id: {flag.rule for flag in item.flags}
        for document in result.documents
        for item in document.segments
    }


def test_an_xliff_12_note_suppresses_the_rule_for_its_unit(tmp_path):
    path = _write(tmp_path, "d.xlf", XLIFF_12.format(bad=BAD))
    assert _by_unit(path) == {
        "1.1": {"straight-quotes"},
        "2.1": {"straight-quotes", "modal-participle"},
    }


def test_an_xliff_20_note_suppresses_the_rules_it_names(tmp_path):
    path = _write(tmp_path, "d.xlf", XLIFF_20.format(bad=BAD))
    assert _by_unit(path) == {"1.1": set(), "2.1": {"straight-quotes", "modal-participle"}}


def test_an_xliff_note_that_is_no_directive_is_an_error(tmp_path):
    text = XLIFF_12.format(bad=BAD).replace("mtcheck-disable modal", "mtcheck-ignore modal")
    path = _write(tmp_path, "d.xlf", text)
    with pytest.raises(InputError, match="no mtcheck directive"):
        run_check([(path, None)])
