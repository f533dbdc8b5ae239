"""Property-based tests (Hypothesis, fixed seed) for the readers and the span invariants
(issue 13): for any input, every reader yields paragraphs or raises mtcheck's InputError;
every character of a paragraph sits where ``Paragraph.position`` says; a flag's
``target[span]`` is the German text at the flag's line:column in the file."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtcheck.errors import InputError
from mtcheck.io import read_document
from mtcheck.pipeline import check_document

# German letters, quotes, digits, line ends, combining (U+0301) and zero-width (U+200B,
# U+200D, U+FEFF) characters, a right-to-left mark, a no-break space, and the characters
# that mean something to one of the formats.
LETTERS = "aeinrstuäöüßAÄÖÜZ"
ALPHABET = (
    LETTERS + " .,;:!?-'\"„“‚‘»«0123456789\n\r\t\u0301\u200b\u200d\ufeff\u200f\u00a0"
    "*_`[]()#>&<{}\\|~=+/%$"
)
# What XML 1.0 can carry as text: no C0 control characters except tab and line ends.
XML_ALPHABET = "".join(c for c in ALPHABET if c >= " " or c in "\t\n\r")
SUFFIXES = (".txt", ".md", ".jsonl", ".xlf", ".tmx")
LAYOUT = " \t\r\n\f\v"
# Pieces that make the flag rules fire: grammar, numbers, quotes, repeated words, English.
FRAGMENTS = (
    "Das Team soll versucht,",
    "dass er das das Haus kauft",
    "Der Umsatz stieg um 6.5% auf $418 million.",
    '"Zitat"',
    "„Zitat“",
    "Um das Ziel zu erreichen wird gearbeitet.",
    "Die AI Cloud ist neu.",
    "z.B.",
    "Er kam ,",
    "der der",
    "Mann",
    " ",
    "\n",
    ". ",
)
CHECKED = settings(
    derandomize=True,
    database=None,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
texts = st.text(alphabet=ALPHABET, max_size=80)
xml_texts = st.text(alphabet=XML_ALPHABET, max_size=60)
prose = st.lists(st.one_of(st.sampled_from(FRAGMENTS), texts), min_size=1, max_size=8).map("".join)


def _read(data: bytes, suffix: str, language: str = "de"):
    """read_document on ``data`` saved with ``suffix``, and the decoded lines of the file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"entwurf{suffix}"
        path.write_bytes(data)
        return read_document(path, language)


def _file_lines(data: bytes) -> list[str]:
    text = data.decode("utf-8").removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _at(lines: list[str], line: int, column: int) -> str:
    """The character at ``line``:``column`` (1-based); just past a line's end, its "\\n"."""
    text = lines[line - 1]
    assert 1 <= column <= len(text) + 1, (line, column, text)
    return text[column - 1] if column <= len(text) else "\n"


def _assert_paragraphs(document) -> None:
    assert document.paragraphs
    for index, paragraph in enumerate(document.paragraphs, start=1):
        assert paragraph.index == index
        assert paragraph.text and paragraph.text == paragraph.text.strip(LAYOUT)


# -- any input: paragraphs or InputError ----------------------------------------------------


@CHECKED
@given(text=texts, suffix=st.sampled_from(SUFFIXES))
def test_any_text_gives_paragraphs_or_an_input_error(text, suffix):
    try:
        document = _read(text.encode("utf-8"), suffix)
    except InputError as error:
        assert str(error).startswith(str(Path(tempfile.gettempdir())))  # names the file
        return
    _assert_paragraphs(document)


@CHECKED
@given(data=st.binary(max_size=120), suffix=st.sampled_from(SUFFIXES))
def test_any_bytes_give_paragraphs_or_an_input_error(data, suffix):
    for language in ("de", "en"):
        try:
            document = _read(data, suffix, language)
        except InputError:
            continue
        _assert_paragraphs(document)


# -- every character sits where position() says ---------------------------------------------


@CHECKED
@given(lines=st.lists(texts.map(lambda t: t.replace("\n", "").replace("\r", "")), max_size=5))
def test_plain_text_positions_point_at_each_character(lines):
    data = "\n".join(lines).encode("utf-8")
    try:
        document = _read(data, ".txt")
    except InputError:
        assert not any(line.strip() for line in lines)
        return
    source = _file_lines(data)
    for paragraph in document.paragraphs:
        for offset, char in enumerate(paragraph.text):
            assert _at(source, *paragraph.position(offset)) == char


@CHECKED
@given(values=st.lists(texts, min_size=1, max_size=4), ascii_only=st.booleans())
def test_jsonl_positions_point_at_each_character_or_its_escape(values, ascii_only):
    data = "".join(
        json.dumps({"id": k, "target": v}, ensure_ascii=ascii_only) + "\n"
        for k, v in enumerate(values)
    ).encode("utf-8")
    try:
        document = _read(data, ".jsonl")
    except InputError:
        assert not any(v.strip() for v in values)
        return
    assert [p.text for p in document.paragraphs] == [v.strip() for v in values if v.strip()]
    source = _file_lines(data)
    for paragraph in document.paragraphs:
        for offset, char in enumerate(paragraph.text):
            found = _at(source, *paragraph.position(offset))
            assert found == char or found == "\\", (paragraph, offset)


@CHECKED
@given(text=texts)
def test_markdown_positions_point_at_each_character(text):
    data = text.encode("utf-8")
    try:
        document = _read(data, ".md")
    except InputError:
        return
    source = _file_lines(data)
    for paragraph in document.paragraphs:
        for offset, char in enumerate(paragraph.text):
            found = _at(source, *paragraph.position(offset))
            # A space may stand for any run of layout (a line end, a tab); "\\" and "&"
            # start an escape or an entity reference that stands for the character.
            assert found == char or (char == " " and found in LAYOUT) or found in "\\&", (
                paragraph,
                offset,
            )


def _collapsed(text: str) -> str:
    return re.sub(f"[{LAYOUT}]+", " ", text).strip(" ")


@CHECKED
@given(target=xml_texts, source=xml_texts, version=st.sampled_from(["1.2", "2.0"]))
def test_xliff_gives_the_target_text_at_its_positions(target, source, version):
    if version == "1.2":
        data = (
            '<xliff version="1.2"><file source-language="en" target-language="de" '
            f'original="x"><body><trans-unit id="u1"><source>{escape(source)}</source>'
            f"<target>{escape(target)}</target></trans-unit></body></file></xliff>"
        )
    else:
        data = (
            '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" '
            f'trgLang="de"><file id="f"><unit id={quoteattr("u1")}><segment><source>'
            f"{escape(source)}</source><target>{escape(target)}</target></segment></unit>"
            "</file></xliff>"
        )
    _assert_xml_unit(data.encode("utf-8"), ".xlf", target, source)


@CHECKED
@given(target=xml_texts, source=xml_texts)
def test_tmx_gives_the_german_segment_at_its_positions(target, source):
    data = (
        '<tmx version="1.4"><header srclang="en"/><body><tu tuid="t1">'
        f'<tuv xml:lang="en"><seg>{escape(source)}</seg></tuv>'
        f'<tuv xml:lang="de-DE"><seg>{escape(target)}</seg></tuv></tu></body></tmx>'
    ).encode()
    _assert_xml_unit(data, ".tmx", target, source)


def _assert_xml_unit(data: bytes, suffix: str, target: str, source: str) -> None:
    expected = _collapsed(target.replace("\r\n", "\n"))
    try:
        document = _read(data, suffix)
    except InputError as error:
        assert not expected, error
        return
    (paragraph,) = document.paragraphs
    assert paragraph.text == expected
    assert (paragraph.reference or "") == _collapsed(source.replace("\r\n", "\n"))
    lines = _file_lines(data)
    for offset, char in enumerate(paragraph.text):
        found = _at(lines, *paragraph.position(offset))
        assert found == char or (char == " " and found in LAYOUT) or found == "&"


# -- flags: target[span] is the text at line:column ---------------------------------------


def _flags(data: bytes, suffix: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"entwurf{suffix}"
        path.write_bytes(data)
        try:
            result = check_document(path, None)
        except InputError:
            return []
    return [(s.segment, flag) for s in result.segments for flag in s.flags]


@settings(CHECKED, max_examples=40)
@given(paragraphs=st.lists(prose, min_size=1, max_size=3))
def test_plain_text_flags_cover_the_text_at_their_line_and_column(paragraphs):
    data = "\n".join(p.replace("\r", " ") for p in paragraphs).encode("utf-8")
    lines = _file_lines(data)
    for segment, flag in _flags(data, ".txt"):
        start, end = flag.span
        assert 0 <= start <= end <= len(segment.target)
        flagged = segment.target[start:end]
        assert flagged, flag  # only an empty target (a 0-1 link) has a zero-width flag
        line = lines[flag.line - 1]
        assert line[flag.column - 1 : flag.column - 1 + len(flagged)] == flagged, flag


@settings(CHECKED, max_examples=30)
@given(
    paragraphs=st.lists(prose, min_size=1, max_size=3), suffix=st.sampled_from([".md", ".jsonl"])
)
def test_flags_start_at_their_line_and_column(paragraphs, suffix):
    if suffix == ".jsonl":
        data = "".join(json.dumps({"target": p}, ensure_ascii=False) + "\n" for p in paragraphs)
    else:
        data = "\n\n".join(paragraphs)
    lines = _file_lines(data.encode("utf-8"))
    for segment, flag in _flags(data.encode("utf-8"), suffix):
        start, end = flag.span
        assert 0 <= start < end <= len(segment.target)
        first = segment.target[start]
        found = _at(lines, flag.line, flag.column)
        assert found == first or (first == " " and found in LAYOUT) or found in "\\&", flag
