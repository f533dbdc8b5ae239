"""Readers: paragraphs keep their line and column; bad files fail with the file's name."""

import json

import pytest

from mtcheck.errors import InputError
from mtcheck.io import read_document


def test_txt_skips_blank_lines_and_keeps_line_numbers(tmp_path):
    path = tmp_path / "draft.de.txt"
    path.write_text("\nErster Absatz.\n\n  Zweiter Absatz.  \r\nDritter.", encoding="utf-8")
    document = read_document(path, "de")
    texts = [p.text for p in document.paragraphs]
    assert texts == ["Erster Absatz.", "Zweiter Absatz.", "Dritter."]
    assert [(p.line, p.column) for p in document.paragraphs] == [(2, 1), (4, 3), (5, 1)]
    assert document.paragraphs[1].position(8) == (4, 11)


def test_txt_byte_order_mark_is_not_text(tmp_path):
    path = tmp_path / "bom.de.txt"
    path.write_bytes("\ufeffHallo Welt.".encode())
    assert read_document(path, "de").paragraphs[0].text == "Hallo Welt."


def test_jsonl_positions_point_into_the_raw_line_despite_escapes(tmp_path):
    record = {"id": "s1", "note": 'target: "x"', "target": '\t Café "soll versucht"\n ok'}
    line = json.dumps(record)  # ensure_ascii: é and quotes become escapes
    path = tmp_path / "draft.jsonl"
    path.write_text("\n" + line + "\n", encoding="utf-8")
    paragraph = read_document(path, "de").paragraphs[0]
    assert paragraph.id == "s1" and paragraph.line == 2
    assert paragraph.text.startswith("Café")
    assert paragraph.position(0) == (2, line.index("Caf") + 1)
    for word in ("Caf", "soll", "ok"):
        offset = paragraph.text.index(word)
        _, column = paragraph.position(offset)
        assert line[column - 1 : column - 1 + len(word)] == word


def test_jsonl_inline_reference_is_kept(tmp_path):
    path = tmp_path / "draft.jsonl"
    path.write_text(
        json.dumps({"id": 1, "target": "Hallo.", "reference": "Hello."})
        + "\n"
        + json.dumps({"id": 2, "target": "Welt."})
        + "\n",
        encoding="utf-8",
    )
    paragraphs = read_document(path, "de").paragraphs
    assert [(p.id, p.reference) for p in paragraphs] == [("1", "Hello."), ("2", None)]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.de.txt", b"\n  \n", "holds no text"),
        ("latin1.de.txt", "Übersetzung".encode("latin-1"), "not valid UTF-8"),
        ("bad.jsonl", b'{"target": "a"}\n{"target": \n', ":2: invalid JSON"),
        ("notarget.jsonl", b'{"text": "a"}\n', "no 'target' string"),
        ("dup.jsonl", b'{"id": 1, "target": "a"}\n{"id": 1, "target": "b"}\n', "duplicate id"),
        ("draft.docx", b"PK", "unsupported file type"),
    ],
)
def test_bad_input_names_the_file_and_the_problem(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as error:
        read_document(path, "de")
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nope.txt", "de")
    directory = tmp_path / "dir.txt"
    directory.mkdir()
    with pytest.raises(InputError, match="is a directory"):
        read_document(directory, "de")
