"""Read Markdown (CommonMark with GFM tables and strikethrough) into prose paragraphs.

markdown-it-py finds the blocks; each block of prose becomes one paragraph: a paragraph,
a heading, a list item's paragraph, a blockquote's paragraph, a table cell. The text is
what a reader sees, with every character's place in the file kept:

- left out: fenced and indented code blocks, inline code spans, raw HTML blocks and inline
  tags, front matter (YAML ``---`` … ``---``/``...`` or TOML ``+++`` … ``+++`` starting on
  line 1), link reference definitions, URLs (autolinks ``<…>``, bare ``http(s)://``,
  ``ftp://`` and ``www.`` addresses, link destinations and titles), and images with their
  alt text (alt text is a label, rarely a sentence worth checking);
- kept: link text (``[text](url)`` gives "text"), the text inside emphasis, strong and
  strikethrough; backslash escapes and entity references are decoded;
- removed with exact positions kept: heading, list, quote and emphasis markers;
- a paragraph over several lines is joined with single spaces, and any run of spaces,
  tabs or line breaks becomes one space (a dropped code span leaves no double space).

The inline text comes from markdown-it's inline tokens, aligned back onto the block's raw
source so each character keeps its line and column (1-based, in characters).
"""

from __future__ import annotations

import html
import re
import string
from functools import cache

from mtcheck.io._text import Run
from mtcheck.model import Paragraph

_ESCAPABLE = frozenset(string.punctuation)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_URL = re.compile(r"(?:(?:https?|ftp)://|www\.)[^\s<>]+", re.IGNORECASE)
_URL_TRAILING = "?!.,:;*_~'\""

Position = tuple[int, int]


@cache
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def read_markdown(lines: list[str]) -> list[Paragraph]:
    """Paragraphs of a Markdown file given as its lines (line breaks removed)."""
    lines = list(lines)
    for k in range(_front_matter_lines(lines)):
        lines[k] = ""
    tokens = _parser().parse("\n".join(lines))
    paragraphs: list[Paragraph] = []
    cursor: dict[int, int] = {}  # table row line -> column where the next cell is sought
    for k, token in enumerate(tokens):
        if token.type != "inline" or token.map is None or not token.content:
            continue
        opener = tokens[k - 1] if k else None
        opener_type = opener.type if opener is not None else ""
        if opener_type in ("th_open", "td_open"):
            positions = _cell_positions(token.content, token.map[0], lines, cursor)
        elif opener_type == "heading_open" and opener.markup.startswith("#"):
            positions = _heading_positions(token.content, token.map[0], lines)
        else:
            positions = _block_positions(token.content, token.map[0], lines)
        run = _inline(token, positions).normalized()
        if run:
            paragraphs.append(run.paragraph(len(paragraphs) + 1))
    return paragraphs


def _front_matter_lines(lines: list[str]) -> int:
    """How many lines at the start are front matter (0 if none)."""
    if not lines:
        return 0
    opener = lines[0].rstrip()
    closers = {"---": ("---", "..."), "+++": ("+++",)}.get(opener)
    if closers is None:
        return 0
    for k in range(1, len(lines)):
        if lines[k].rstrip() in closers:
            return k + 1
    return 0


# -- where the block's inline source sits in the file ------------------------------------


def _block_positions(content: str, first: int, lines: list[str]) -> list[Position]:
    """Positions of ``content`` (a paragraph or setext heading, one source line a line).

    markdown-it strips only the container prefix (quote markers, list indentation) and
    outer whitespace, so each content line is the end of its source line.
    """
    positions: list[Position] = []
    content_lines = content.split("\n")
    for i, piece in enumerate(content_lines):
        number = first + i
        source = lines[number] if number < len(lines) else ""
        start = _offset_in_line(source, piece)
        positions.extend((number + 1, max(start + j, 0) + 1) for j in range(len(piece)))
        if i < len(content_lines) - 1:
            positions.append((number + 1, max(start + len(piece), 0) + 1))  # the "\n"
    return positions


def _offset_in_line(source: str, piece: str) -> int:
    tail, body = piece.rstrip(" \t"), source.rstrip(" \t")
    if body.endswith(tail):
        return len(body) - len(tail)
    # A tab in the indentation may have been expanded to spaces.
    core = piece.strip(" \t")
    lead = len(piece) - len(piece.lstrip(" \t"))
    if core and body.endswith(core):
        return len(body) - len(core) - lead
    found = source.find(core)
    return found - lead if found >= 0 else 0


def _heading_positions(content: str, first: int, lines: list[str]) -> list[Position]:
    source = lines[first] if first < len(lines) else ""
    start = source.find(content, source.find("#") + 1)
    if start < 0:
        start = _offset_in_line(source, content)
    return [(first + 1, start + j + 1) for j in range(len(content))]


def _cell_positions(
    content: str, row: int, lines: list[str], cursor: dict[int, int]
) -> list[Position]:
    """Positions of a table cell's text; markdown-it turned ``\\|`` into ``|`` in it."""
    source = lines[row] if row < len(lines) else ""
    raw = content.replace("|", "\\|")
    start = source.find(raw, cursor.get(row, 0))
    if start < 0:
        raw = content
        start = max(source.find(content, cursor.get(row, 0)), 0)
    cursor[row] = start + len(raw)
    positions = []
    column = start
    for char in content:
        if char == "|" and raw is not content:
            column += 1  # the backslash
        positions.append((row + 1, column + 1))
        column += 1
    return positions


# -- inline: markdown-it's tokens aligned onto the raw source ----------------------------


def _inline(token, positions: list[Position]) -> Run:
    content = token.content
    run = Run()
    i = 0
    in_autolink = 0
    for child in token.children or ():
        kind = child.type
        if kind == "text":
            if not in_autolink:
                i = _text(child.content, content, i, positions, run)
        elif kind in ("softbreak", "hardbreak"):
            newline = content.find("\n", i)
            if newline < 0:
                continue
            if not in_autolink:
                run.add_char(" ", *positions[newline])
            i = newline + 1
            while i < len(content) and content[i] in " \t":
                i += 1
        elif kind.endswith(("_open", "_close")) and kind.split("_")[0] in ("em", "strong", "s"):
            i = _expect(content, i, child.markup)
        elif kind == "code_inline":
            i = _skip_code(content, i, child.markup)
        elif kind == "link_open":
            if child.markup == "autolink" or child.markup == "linkify":
                in_autolink += 1
                if child.markup == "autolink":
                    end = content.find(">", i)
                    i = end + 1 if end >= 0 else i
            else:
                i = _expect(content, i, "[")
        elif kind == "link_close":
            if child.markup in ("autolink", "linkify"):
                in_autolink = max(in_autolink - 1, 0)
            else:
                i = _skip_destination(content, _expect(content, i, "]"))
        elif kind == "image":
            i = _skip_image(content, i)
        elif kind == "html_inline":
            i = _expect(content, i, child.content)
    return run


def _expect(content: str, i: int, markup: str) -> int:
    """The index after ``markup``, which should start at ``i``."""
    if not markup:
        return i
    if content.startswith(markup, i):
        return i + len(markup)
    found = content.find(markup, i)
    return found + len(markup) if found >= 0 else i


def _text(text: str, content: str, i: int, positions: list[Position], run: Run) -> int:
    """Emit ``text`` (decoded) with the positions of its raw source from ``i`` on."""
    if content.startswith(text, i):
        indices: list[int] = list(range(i, i + len(text)))
        i += len(text)
    else:
        indices, i = _align(text, content, i)
    dropped = _url_characters(text)
    last = len(positions) - 1
    for k, char in enumerate(text):
        if k not in dropped:
            run.add_char(char, *positions[min(indices[k], last)])
    return i


def _align(text: str, content: str, i: int) -> tuple[list[int], int]:
    """Raw index of each character of ``text``, decoding escapes and entity references."""
    indices: list[int] = []
    pending = ""  # the rest of an entity that decodes to several characters
    pending_at = 0
    for char in text:
        if pending and pending[0] == char:
            indices.append(pending_at)
            pending = pending[1:]
            continue
        pending = ""
        j = i
        while j < len(content):
            raw = content[j]
            if raw == "\\" and j + 1 < len(content) and content[j + 1] in _ESCAPABLE:
                if content[j + 1] == char:
                    indices.append(j + 1)
                    i = j + 2
                    break
            elif raw == "&" and (entity := _ENTITY.match(content, j)):
                decoded = html.unescape(entity.group())
                if decoded != entity.group() and decoded[:1] == char:
                    indices.append(j)
                    pending, pending_at = decoded[1:], j
                    i = entity.end()
                    break
                if raw == char:
                    indices.append(j)
                    i = j + 1
                    break
            elif raw == char:
                indices.append(j)
                i = j + 1
                break
            j += 1
        else:
            indices.append(min(i, max(len(content) - 1, 0)))  # not found: stay put
    return indices, i


def _url_characters(text: str) -> set[int]:
    """Indices of the characters of bare URLs in ``text``."""
    dropped: set[int] = set()
    for match in _URL.finditer(text):
        url = match.group()
        while url:
            if url[-1] in _URL_TRAILING:
                url = url[:-1]
            elif url[-1] == ")" and url.count(")") > url.count("("):
                url = url[:-1]
            else:
                break
        dropped.update(range(match.start(), match.start() + len(url)))
    return dropped


def _skip_code(content: str, i: int, markup: str) -> int:
    """The index after a code span that opens with ``markup`` at (or after) ``i``."""
    size = len(markup) or 1
    start = content.find("`" * size, i)
    if start < 0:
        return i
    j = start + size
    while (found := content.find("`" * size, j)) >= 0:
        end = found
        while end < len(content) and content[end] == "`":
            end += 1
        if end - found == size:
            return end
        j = end
    return len(content)


def _skip_brackets(content: str, i: int) -> int:
    """The index after the ``]`` that closes the ``[`` at ``i``."""
    depth = 0
    j = i
    while j < len(content):
        char = content[j]
        if char == "\\":
            j += 2
            continue
        if char == "`":
            j = _skip_code(content, j, re.match(r"`+", content[j:]).group())
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return len(content)


def _skip_image(content: str, i: int) -> int:
    start = content.find("![", i)
    if start < 0:
        return i
    return _skip_destination(content, _skip_brackets(content, start + 1))


def _skip_destination(content: str, i: int) -> int:
    """After a link's ``]``: skip ``(destination "title")`` or a ``[label]``."""
    if i >= len(content):
        return i
    if content[i] == "[":
        return _skip_brackets(content, i)
    if content[i] != "(":
        return i
    depth = 0
    quote = ""
    j = i
    while j < len(content):
        char = content[j]
        if char == "\\":
            j += 2
            continue
        if quote:
            if char == quote:
                quote = ""
        elif char == "<" and not content[i + 1 : j].strip():
            close = content.find(">", j)
            j = close if close >= 0 else j
        elif char in "\"'" and content[j - 1] in " \t\n":
            quote = char
        elif char == "(":
            if depth and content[j - 1] in " \t\n":
                quote = ")"  # a (title)
            else:
                depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return len(content)
