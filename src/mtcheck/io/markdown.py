"""Read Markdown (CommonMark with GFM tables and strikethrough) into prose paragraphs.

markdown-it-py finds the blocks; each block of prose becomes one paragraph: a paragraph,
a heading, a list item's paragraph, a blockquote's paragraph, a table cell. The text is
what a reader sees, with every character's place in the file kept:

- left out: fenced and indented code blocks, raw HTML blocks and inline tags, front
  matter (YAML ``---`` … ``---``/``...`` or TOML ``+++`` … ``+++`` starting on line 1),
  link reference definitions, URLs (autolinks ``<…>``, bare ``http(s)://``, ``ftp://``
  and ``www.`` addresses, link destinations and titles), and images with their alt text
  (alt text is a label, rarely a sentence worth checking);
- kept: the content of inline code spans, without its backticks (a sentence that names
  ``config.yaml`` stays a sentence: "Die Datei config.yaml liegt …", not "Die Datei
  liegt …"), link text (``[text](url)`` gives "text"), the text inside emphasis, strong
  and strikethrough; backslash escapes and entity references are decoded;
- removed with exact positions kept: heading, list, quote and emphasis markers;
- a paragraph over several lines is joined with single spaces, and any run of spaces,
  tabs or line breaks becomes one space (a dropped URL leaves no double space).

Suppression comments switch rules off, as HTML comments on lines of their own (inside a
block quote or list item too; never inside a code block, where they are code):

- ``<!-- mtcheck-disable-next-line RULE[, RULE …] -->``: the named rules are not reported
  on the next line that holds text (blank lines and other mtcheck comments are skipped);
- ``<!-- mtcheck-disable RULE[, RULE …] -->`` … ``<!-- mtcheck-enable RULE[, …] -->``:
  not reported on the lines between, or to the end of the file without an enable.

Rule names are separated by commas or spaces; a flag counts where it starts. They go to
each paragraph's ``suppressed`` as (rule, first line, last line); the check refuses a
name that is no rule. A malformed mtcheck comment, or one inside a paragraph's line, is an
:class:`~mtcheck.errors.InputError`, never ignored.

Each paragraph's ``markup`` records what a translation must carry over unchanged, with
offsets into its text: ``code`` (a code span's characters), ``link`` (the destination,
percent-decoded, over the link's text), and, with an empty range where they were,
``image`` (the source), ``url`` (an autolink's or a bare URL's address) and ``html`` (an
inline HTML tag).

The inline text comes from markdown-it's inline tokens, aligned back onto the block's raw
source so each character keeps its line and column (1-based, in characters).

Nesting: markdown-it's CommonMark preset stops at 20 levels and silently skips whatever
lies deeper (a 25-deep block quote, 10 nested list items). Here blocks are read
:data:`MAX_DEPTH` levels deep (a list level counts two: the list and its item); a block
deeper than that is an :class:`~mtcheck.errors.InputError` naming the file and line,
never text dropped without a word. Inline nesting deeper than that (``[[[…]]]``) stays
text, as markdown-it leaves it.
"""

from __future__ import annotations

import dataclasses
import html
import re
import string
from functools import cache
from urllib.parse import unquote

from mtcheck.errors import InputError
from mtcheck.io.text import Run, normalized_offsets, trim_url
from mtcheck.model import Markup, Paragraph

# Deepest block level read (block quotes count one, list levels two). markdown-it parses
# nested blocks by recursion, a few Python frames a level: 200 levels stay far below
# Python's recursion limit even when mtcheck is itself called deep in a stack.
MAX_DEPTH = 200

_ESCAPABLE = frozenset(string.punctuation)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# German quotation marks end a URL too: „siehe https://example.org“.
_URL = re.compile(r"(?:(?:https?|ftp)://|www\.)[^\s<>„“”‚‘’«»]+", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[A-Za-z]")  # a tag, not a comment or declaration
_DIRECTIVE = re.compile(r"<!--\s*(mtcheck-[A-Za-z-]*[A-Za-z])(.*?)-->", re.S)
_DIRECTIVE_LINE = re.compile(r"[>\s]*<!--\s*mtcheck-.*-->\s*")

Position = tuple[int, int]
# A markup item while a paragraph is built: kind, value, start and end in the raw run.
_Item = tuple[str, str, int, int]


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _depth_guard(state, start_line: int, _end_line: int, _silent: bool) -> bool:
    """The first block rule: stops the parse at a block deeper than MAX_DEPTH, where
    markdown-it would skip the rest of the enclosing block without a word."""
    if state.level >= MAX_DEPTH:
        raise _TooDeep(start_line + 1)
    return False


@cache
def _parser():
    from markdown_it import MarkdownIt

    # One level above MAX_DEPTH, so that the guard sees the block markdown-it would skip.
    parser = MarkdownIt("commonmark", {"maxNesting": MAX_DEPTH + 1})
    parser.enable(["table", "strikethrough"])
    parser.block.ruler.before("table", "mtcheck_depth_guard", _depth_guard)
    return parser


def _parse(lines: list[str], path: object):
    try:
        return _parser().parse("\n".join(lines))
    except _TooDeep as error:
        raise InputError(
            f"{path}:{error.line}: Markdown nested deeper than mtcheck reads ({MAX_DEPTH} "
            f"levels of block quotes, {MAX_DEPTH // 2} of lists); flatten the nesting."
        ) from None
    except RecursionError:
        raise InputError(
            f"{path}: Markdown nested too deep to parse (block quotes, lists or links); flatten it."
        ) from None


def read_markdown(lines: list[str], path: object = "<markdown>") -> list[Paragraph]:
    """Paragraphs of a Markdown file given as its lines (line breaks removed); ``path``
    names the file in errors."""
    lines = list(lines)
    for k in range(_front_matter_lines(lines)):
        lines[k] = ""
    tokens = _parse(lines, path)
    suppressed = _suppressions(tokens, lines, path)
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
        items: list[_Item] = []
        raw = _inline(token, positions, items)
        run = raw.normalized()
        if run:
            paragraph = run.paragraph(len(paragraphs) + 1)
            markup = _markup(items, raw.chars, len(run))
            first, last = min(run.lines), max(run.lines)
            here = tuple(item for item in suppressed if item[1] <= last and item[2] >= first)
            paragraphs.append(dataclasses.replace(paragraph, markup=markup, suppressed=here))
    return paragraphs


# -- suppression comments ------------------------------------------------------------------


def _suppressions(tokens, lines: list[str], path: object) -> list[tuple[str, int, int]]:
    """(rule, first line, last line) for every rule the file's mtcheck comments switch off."""
    found: list[tuple[str, int, int]] = []
    disabled: dict[str, int] = {}  # rule -> first line it is off, until an enable
    for token in tokens:
        if token.type == "inline" and token.map is not None:
            if any(
                c.type == "html_inline" and _DIRECTIVE.search(c.content)
                for c in token.children or ()
            ):
                raise InputError(
                    f"{path}:{token.map[0] + 1}: an mtcheck comment stands inside a paragraph; "
                    "put it on a line of its own, before the line it is about."
                )
        if token.type != "html_block" or token.map is None:
            continue
        for match in _DIRECTIVE.finditer(token.content):
            line = token.map[0] + token.content.count("\n", 0, match.start()) + 1
            end = token.map[0] + token.content.count("\n", 0, match.end()) + 1
            directive, names = match[1], _rule_names(match[1], match[2], path, line)
            if directive == "mtcheck-disable-next-line":
                target = _next_text_line(lines, end)
                found.extend((name, target, target) for name in names)
            elif directive == "mtcheck-disable":
                for name in names:
                    disabled.setdefault(name, end + 1)
            elif directive == "mtcheck-enable":
                for name in names:
                    if name not in disabled:
                        raise InputError(
                            f"{path}:{line}: mtcheck-enable {name} has no mtcheck-disable "
                            f"{name} before it; remove it or add the disable comment."
                        )
                    found.append((name, disabled.pop(name), line - 1))
            else:
                raise InputError(
                    f"{path}:{line}: unknown comment {directive!r}; mtcheck knows "
                    "mtcheck-disable-next-line, mtcheck-disable and mtcheck-enable."
                )
    found.extend((name, first, len(lines)) for name, first in disabled.items())
    return found


def _rule_names(directive: str, text: str, path: object, line: int) -> list[str]:
    names = [name for name in re.split(r"[\s,]+", text) if name]
    if not names:
        raise InputError(
            f"{path}:{line}: {directive} names no rule; write the rule names after it, e.g. "
            f"<!-- {directive} modal-participle -->."
        )
    return names


def _next_text_line(lines: list[str], after: int) -> int:
    """The 1-based number of the first line after line ``after`` that holds text: not
    blank and not another mtcheck comment."""
    index = after  # 0-based index of the line after
    while index < len(lines) and (
        not lines[index].strip(" \t>") or _DIRECTIVE_LINE.fullmatch(lines[index])
    ):
        index += 1
    return index + 1


def _markup(items: list[_Item], raw: list[str], size: int) -> tuple[Markup, ...]:
    """The items with their raw-run offsets moved onto the normalized text."""
    where = normalized_offsets(raw, size)
    out = []
    for kind, value, start, end in items:
        first = where[start]
        last = where[end - 1] + 1 if end > start else first
        out.append(Markup(kind, value, first, max(last, first)))
    return tuple(out)


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


def _inline(token, positions: list[Position], items: list[_Item]) -> Run:
    """The text of an inline token; its markup items go to ``items`` (raw-run offsets)."""
    content = token.content
    run = Run()
    i = 0
    in_autolink = 0
    links: list[int] = []  # where the text of each open link started
    for child in token.children or ():
        kind = child.type
        if kind == "text":
            if not in_autolink:
                # A URL written as a link's text is that link's address, not a second one.
                found = items if not links else []
                i = _text(child.content, content, i, positions, run, found)
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
            start = len(run)
            i = _code(content, i, child.markup, positions, run)
            items.append(("code", child.content, start, len(run)))
        elif kind == "link_open":
            if child.markup == "autolink" or child.markup == "linkify":
                in_autolink += 1
                items.append(("url", _address(child), len(run), len(run)))
                if child.markup == "autolink":
                    end = content.find(">", i)
                    i = end + 1 if end >= 0 else i
            else:
                links.append(len(run))
                items.append(("link", _address(child), len(run), len(run)))
                i = _expect(content, i, "[")
        elif kind == "link_close":
            if child.markup in ("autolink", "linkify"):
                in_autolink = max(in_autolink - 1, 0)
            else:
                _close_link(items, links, len(run))
                i = _skip_destination(content, _expect(content, i, "]"))
        elif kind == "image":
            items.append(("image", unquote(child.attrs.get("src") or ""), len(run), len(run)))
            i = _skip_image(content, i)
        elif kind == "html_inline":
            if _HTML_TAG.match(child.content):
                items.append(("html", child.content, len(run), len(run)))
            i = _expect(content, i, child.content)
    return run


def _address(link) -> str:
    """A link's destination as written: markdown-it percent-encodes it."""
    return unquote(str(link.attrs.get("href") or ""))


def _close_link(items: list[_Item], links: list[int], end: int) -> None:
    """Stretch the innermost open link's item over the link text that ends at ``end``."""
    if not links:
        return
    start = links.pop()
    for k in range(len(items) - 1, -1, -1):
        kind, value, item_start, _ = items[k]
        if kind == "link" and item_start == start:
            items[k] = (kind, value, start, end)
            return


def _code(content: str, i: int, markup: str, positions: list[Position], run: Run) -> int:
    """Emit the characters of the code span that opens at (or after) ``i``; the index after
    it. As CommonMark says, line breaks inside are spaces, and one space on each side is
    stripped when there is one on both sides (so that ```` `` `x` `` ```` can show a
    backtick)."""
    size = len(markup) or 1
    start = content.find("`" * size, i)
    end = _skip_code(content, i, markup)
    if start < 0 or end - size < start + size:
        return end
    inner = list(range(start + size, end - size))
    chars = [" " if content[k] == "\n" else content[k] for k in inner]
    if len(chars) > 2 and chars[0] == chars[-1] == " " and any(c != " " for c in chars):
        inner, chars = inner[1:-1], chars[1:-1]
    last = len(positions) - 1
    for k, char in zip(inner, chars, strict=True):
        run.add_char(char, *positions[min(k, last)])
    return end


def _expect(content: str, i: int, markup: str) -> int:
    """The index after ``markup``, which should start at ``i``."""
    if not markup:
        return i
    if content.startswith(markup, i):
        return i + len(markup)
    found = content.find(markup, i)
    return found + len(markup) if found >= 0 else i


def _text(
    text: str, content: str, i: int, positions: list[Position], run: Run, items: list[_Item]
) -> int:
    """Emit ``text`` (decoded) with the positions of its raw source from ``i`` on; its bare
    URLs are left out and go to ``items``."""
    if content.startswith(text, i):
        indices: list[int] = list(range(i, i + len(text)))
        i += len(text)
    else:
        indices, i = _align(text, content, i)
    urls = _urls(text)
    last = len(positions) - 1
    k = 0
    while k < len(text):
        if k in urls:
            url = urls[k]
            items.append(("url", url, len(run), len(run)))
            k += len(url)
            continue
        run.add_char(text[k], *positions[min(indices[k], last)])
        k += 1
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


def _urls(text: str) -> dict[int, str]:
    """The bare URLs in ``text`` by where they start."""
    found: dict[int, str] = {}
    for match in _URL.finditer(text):
        url = trim_url(match.group())
        if url:
            found[match.start()] = url
    return found


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
