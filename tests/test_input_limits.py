"""Hostile and unusual inputs (issue 13, items 11, 12, 18, 19): standard input, FIFOs and
process substitution are read once; devices, directories and oversized inputs are refused;
broken JSON (lone surrogates, deep nesting) and bad XLIFF code points are one sentence
naming file and line; a sentence too long for the tagger is checked without tags."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtcheck.cli import main
from mtcheck.errors import InputError
from mtcheck.io import ensure_readable, read_document, readers
from mtcheck.io.tables import read_rows

FLAGS_ONLY = ["--no-backtranslation", "--no-cache", "--isolated"]
DRAFT_TEXT = "Das Angebot soll versucht werden.\nDer zweite Absatz ist gut.\n"


def run_in_bash(args: list[str]):
    """mtcheck in a fresh interpreter under bash (for process substitution), bounded in
    time so that a hang fails the test."""
    command = " ".join([sys.executable, "-m", "mtcheck.cli", *args])
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120)


def _assert_one_sentence_exit_2(result, *needles: str) -> None:
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert "unexpected" not in message and "Traceback" not in message
    for needle in needles:
        assert needle in message, message


# -- reading once: standard input, FIFOs, process substitution --------------------------


def test_dash_reads_standard_input_as_the_draft():
    result = CliRunner().invoke(main, ["check", "-", *FLAGS_ONLY, "-f", "json"], input=DRAFT_TEXT)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)["documents"][0]
    assert document["path"] == "-"
    assert [s["target"] for s in document["segments"]] == [
        "Das Angebot soll versucht werden.",
        "Der zweite Absatz ist gut.",
    ]


def test_standard_input_format_is_recognised_from_the_content():
    records = [{"id": "a", "target": "Erster Satz."}, {"id": "b", "target": "Zweiter Satz."}]
    text = "".join(json.dumps(r) + "\n" for r in records)
    result = CliRunner().invoke(main, ["check", "-", *FLAGS_ONLY, "-f", "json"], input=text)
    assert result.exit_code == 0, result.output
    segments = json.loads(result.stdout)["documents"][0]["segments"]
    assert [s["target"] for s in segments] == ["Erster Satz.", "Zweiter Satz."]
    assert segments[0]["id"].startswith("a") and segments[1]["id"].startswith("b")


def test_a_fifo_draft_is_read_once(tmp_path):
    fifo = tmp_path / "draft.de.txt"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "w", encoding="utf-8") as pipe:  # blocks until mtcheck opens it
            pipe.write(DRAFT_TEXT)

    found: list = []

    def check():
        # What `mtcheck check` does: look at the input early, then read it.
        ensure_readable(fifo)
        found.extend(read_document(fifo, "de").paragraphs)

    threads = [threading.Thread(target=f, daemon=True) for f in (feed, check)]
    for thread in threads:
        thread.start()
    for thread in threads:
        # Opened twice, the second open waits for a writer that never comes.
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "the FIFO was opened twice"
    assert [p.text for p in found] == DRAFT_TEXT.splitlines()


def test_process_substitution_is_read_once(tmp_path):
    draft = tmp_path / "draft.de.txt"
    draft.write_text(DRAFT_TEXT, encoding="utf-8")
    result = run_in_bash(["check", f"<(cat {draft})", *FLAGS_ONLY, "-f", "json"])
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)["documents"][0]
    assert document["path"].startswith("/dev/fd/")
    assert [s["target"] for s in document["segments"]][0] == "Das Angebot soll versucht werden."


def test_ensure_readable_leaves_a_pipe_unread(tmp_path):
    read, write = os.pipe()
    os.write(write, b"Ein Satz.\n")
    os.close(write)
    path = Path(f"/dev/fd/{read}")
    try:
        ensure_readable(path)  # must not consume the pipe
        assert [p.text for p in read_document(path, "de").paragraphs] == ["Ein Satz."]
    finally:
        os.close(read)


# -- refused inputs --------------------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_is_refused_without_reading_it():
    with pytest.raises(InputError, match=r"^/dev/zero: not a regular file"):
        ensure_readable("/dev/zero")
    with pytest.raises(InputError, match=r"^/dev/zero: not a regular file"):
        read_document("/dev/zero", "de")
    result = CliRunner().invoke(main, ["check", "/dev/zero", *FLAGS_ONLY])
    _assert_one_sentence_exit_2(result, "/dev/zero", "not a regular file")


def test_a_directory_is_refused(tmp_path):
    folder = tmp_path / "entwurf.de.txt"
    folder.mkdir()
    with pytest.raises(InputError, match="is a directory"):
        read_document(folder, "de")


def test_a_file_over_the_limit_is_refused_pointing_to_audit(tmp_path):
    big = tmp_path / "gross.de.txt"
    with open(big, "wb") as handle:  # sparse: no disk space needed
        handle.truncate(readers.MAX_INPUT_BYTES + 1)
    for call in (ensure_readable, lambda path: read_document(path, "de")):
        with pytest.raises(InputError) as caught:
            call(big)
        message = str(caught.value)
        assert message.startswith(f"{big}: 20,000,001 bytes is over the 20 MB")
        assert "mtcheck audit" in message


def test_a_stream_over_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(readers, "MAX_INPUT_BYTES", 1000)
    result = CliRunner().invoke(main, ["check", "-", *FLAGS_ONLY], input="Ein Satz.\n" * 200)
    _assert_one_sentence_exit_2(result, "over the", "mtcheck audit")


def test_audit_refuses_a_fifo_input(tmp_path):
    fifo = tmp_path / "rows.jsonl"
    os.mkfifo(fifo)
    result = CliRunner().invoke(
        main, ["audit", str(fifo), "--out", str(tmp_path / "out"), "--no-backtranslation"]
    )
    _assert_one_sentence_exit_2(result, str(fifo), "not a regular file")


# -- JSON: lone surrogates and deep nesting ---------------------------------------------


def _jsonl(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "entwurf.de.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_a_lone_surrogate_in_check_input_names_file_and_line(tmp_path):
    path = _jsonl(tmp_path, '{"target": "Gut."}', '{"target": "Kaputt \\ud800 hier."}')
    with pytest.raises(InputError) as caught:
        read_document(path, "de")
    assert str(caught.value).startswith(f"{path}:2: the JSON holds \\ud800, half of a UTF-16")
    result = CliRunner().invoke(main, ["check", str(path), *FLAGS_ONLY])
    _assert_one_sentence_exit_2(result, f"{path}:2:")


def test_a_lone_surrogate_in_metadata_or_a_key_is_refused_too(tmp_path):
    path = _jsonl(tmp_path, '{"target": "Gut.", "note": ["x", {"\\udfff": 1}]}')
    with pytest.raises(InputError, match=r":1: the JSON holds \\udfff"):
        list(read_rows(path))


def test_a_lone_surrogate_in_audit_input_names_file_and_line(tmp_path):
    path = _jsonl(tmp_path, '{"target": "Gut."}', '{"target": "a\\ud83db"}')
    with pytest.raises(InputError, match=r"entwurf\.de\.jsonl:2: the JSON holds \\ud83d"):
        list(read_rows(path))
    result = CliRunner().invoke(
        main, ["audit", str(path), "--out", str(tmp_path / "out"), "--no-backtranslation"]
    )
    _assert_one_sentence_exit_2(result, f"{path}:2:")


def test_a_surrogate_pair_is_one_character_with_the_right_columns(tmp_path):
    path = _jsonl(tmp_path, '{"target": "\\ud83d\\ude00 \\u00e4 Ende"}')
    (paragraph,) = read_document(path, "de").paragraphs
    assert paragraph.text == "\U0001f600 ä Ende"
    line = path.read_text(encoding="utf-8").splitlines()[0]
    assert paragraph.position(paragraph.text.index("Ende")) == (1, line.index("Ende") + 1)


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deeply_nested_json_names_file_and_line(tmp_path, depth):
    nested = "[" * depth + "]" * depth
    path = _jsonl(tmp_path, '{"target": "Gut."}', '{"target": "x", "meta": ' + nested + "}")
    with pytest.raises(InputError, match=r"jsonl:2: JSON nested more than 64 levels deep"):
        read_document(path, "de")
    with pytest.raises(InputError, match=r"jsonl:2: JSON nested more than 64 levels deep"):
        list(read_rows(path))


def test_moderate_nesting_and_brackets_inside_strings_are_fine(tmp_path):
    path = _jsonl(tmp_path, '{"target": "' + "[" * 200 + '", "meta": [[[{"a": [1]}]]]}')
    (row,) = read_rows(path)
    assert row.target == "[" * 200 and row.get("meta") == '[[[{"a": [1]}]]]'


# -- XLIFF code points -------------------------------------------------------------------


@pytest.mark.parametrize("hex_value", ["D800", "110000", "zz"])
def test_an_xliff_cp_that_is_no_character_names_file_line_and_column(tmp_path, hex_value):
    path = tmp_path / "doc.xlf"
    path.write_text(
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" '
        'trgLang="de"><file id="f"><unit id="u"><segment><source>A</source>\n'
        f'<target>B<cp hex="{hex_value}"/></target></segment></unit></file></xliff>',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_document(path, "de")
    assert str(caught.value).startswith(f"{path}:2:10: <cp hex={hex_value!r}/> names no")


# -- the tagger ---------------------------------------------------------------------------


def test_thirty_thousand_brackets_are_checked_and_noted(tmp_path):
    draft = tmp_path / "klammern.de.txt"
    brackets = "( " * 15_000 + ") " * 15_000
    # Words that make the grammar rules ask for tags, around the brackets.
    draft.write_text(f"Er sagt, dass er {brackets}kommen soll.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(draft), *FLAGS_ONLY, "-f", "json"])
    assert result.exit_code == 0, result.output
    segment = json.loads(result.stdout)["documents"][0]["segments"][0]
    assert segment["target"].startswith("Er sagt, dass er ( (")
    assert "mtcheck: note: " in result.stderr and "need no word classes" in result.stderr


def test_a_sentence_hanta_cannot_tag_is_untagged_not_a_crash(monkeypatch):
    from mtcheck.flags import tagger as module

    tagger = module.Tagger()
    # Let the sentence reach HanTa, whose Viterbi search loses every path on 40,000
    # unknown words (log-probability under -1e6) and fails with a KeyError.
    monkeypatch.setattr(module, "MAX_TAGGED_WORDS", 10**9)
    words = ["xqz"] * 40_000 + ["."]
    tags = tagger.tag(words)
    assert tags == (module.UNTAGGED,) * 40_000 + ("$.",)
    assert tagger.untagged == 1
    assert tagger.tag(["Das", "Haus", "ist", "gut", "."])[1] == "NN"  # still a tagger


def test_a_sentence_over_the_word_limit_is_not_tagged(monkeypatch):
    from mtcheck.flags import tagger as module

    tagger = module.Tagger()
    monkeypatch.setattr(module, "MAX_TAGGED_WORDS", 5)
    assert tagger.tag(["Das", "Haus", ",", "das", "Dach", "und", "die", "Tür"]) == (
        "UNKNOWN",
        "UNKNOWN",
        "$,",
        "UNKNOWN",
        "UNKNOWN",
        "UNKNOWN",
        "UNKNOWN",
        "UNKNOWN",
    )
    assert tagger.untagged == 1
