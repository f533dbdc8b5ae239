"""Deeply nested Markdown keeps all its text, or is refused naming the file (issue 13,
item 6): markdown-it's CommonMark preset skips everything below 20 levels without a word."""

from __future__ import annotations

import pytest

from mtcheck.errors import InputError
from mtcheck.io import read_document
from mtcheck.io.markdown import MAX_DEPTH, read_markdown


def _nested_list(depth: int) -> list[str]:
    return ["  " * k + f"- Punkt Nummer {k} bleibt." for k in range(depth)]


def test_thirty_nested_list_items_keep_every_item(tmp_path):
    path = tmp_path / "liste.de.md"
    path.write_text("\n".join(_nested_list(30)) + "\n", encoding="utf-8")
    paragraphs = read_document(path, "de").paragraphs
    assert [p.text for p in paragraphs] == [f"Punkt Nummer {k} bleibt." for k in range(30)]
    # Each item's text is found where it stands, indentation and marker skipped.
    deepest = paragraphs[-1]
    assert (deepest.line, deepest.column) == (30, 2 * 29 + 3)


def test_a_25_deep_blockquote_keeps_its_text(tmp_path):
    path = tmp_path / "zitat.de.md"
    path.write_text("Davor.\n\n" + "> " * 25 + "Tief zitiert.\n\nDanach.\n", encoding="utf-8")
    paragraphs = read_document(path, "de").paragraphs
    assert [p.text for p in paragraphs] == ["Davor.", "Tief zitiert.", "Danach."]
    assert (paragraphs[1].line, paragraphs[1].column) == (3, 51)


def test_mixed_quotes_and_lists_keep_their_text():
    lines = []
    for k in range(40):
        prefix = "".join("> " if j % 2 else "- " for j in range(k))
        lines += [prefix + f"Ebene {k}.", ""]
    texts = [p.text for p in read_markdown(lines)]
    assert texts == [f"Ebene {k}." for k in range(40)]


def test_nesting_beyond_the_limit_is_an_input_error_naming_file_and_line(tmp_path):
    path = tmp_path / "tief.de.md"
    path.write_text("Oben.\n\n" + "> " * (MAX_DEPTH + 5) + "Zu tief.\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_document(path, "de")
    message = str(caught.value)
    assert message.startswith(f"{path}:3: Markdown nested deeper than mtcheck reads")
    assert message.endswith("flatten the nesting.")


def test_a_list_as_deep_as_the_limit_allows_is_read_whole():
    depth = MAX_DEPTH // 2 - 1  # a list level is two levels: the list and its item
    texts = [p.text for p in read_markdown(_nested_list(depth))]
    assert len(texts) == depth and texts[-1] == f"Punkt Nummer {depth - 1} bleibt."


def test_deep_inline_nesting_stays_text():
    # Brackets and emphasis far deeper than any block limit: markdown-it keeps them text.
    text = "[" * 500 + "Wort" + "]" * 500 + " und " + "*" * 300 + "fett" + "*" * 300
    (paragraph,) = read_markdown([text])
    assert "Wort" in paragraph.text and "fett" in paragraph.text
    assert paragraph.text.count("[") == 500
