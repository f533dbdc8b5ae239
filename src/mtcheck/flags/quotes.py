"""Quotation marks in German text: the marks that German typesetting does not use.

German quotations open with „ (U+201E) and close with “ (U+201C), or use »…«. Straight
marks "…" are a typewriter substitute, and English “…” (closing with ” U+201D) open with
the German closing mark. Each wrong mark is reported on its own one-character span: the
expert raters of the WMT 2023 annotations mark the quotation mark itself, not the quoted
words, and a quotation may be right at one end and wrong at the other („…").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from mtcheck.flags.registry import Finding

GERMAN_OPEN, GERMAN_CLOSE = "\u201e", "\u201c"  # „ “
ENGLISH_OPEN, ENGLISH_CLOSE = "\u201c", "\u201d"  # “ ”

# What may stand right before an opening mark: nothing, a space, a bracket, a dash, the
# rule between two table columns, or "=" (an attribute value: id="x").
_BEFORE_OPENING = re.compile(r"[\s(\[{/–—│|=-]")  # "│", "|": a table's column rule
# A single straight quotation: 'word …' opened after a space or the start, closed after a
# letter or punctuation and before a non-letter, within one short stretch of text.
# Apostrophes (Q'orianka, geht's, Jens' Buch) do not open such a pair.
_SINGLE_QUOTATION = re.compile(r"(?:^|(?<=[\s(\[–—-]))'(?=\w)[^'\n]{1,80}?(?<=[\w.!?,])'(?!\w)")


class Mark(NamedTuple):
    """A wrong quotation mark at ``index``: ``opening`` or closing, and its German form."""

    index: int
    opening: bool

    @property
    def german(self) -> str:
        return GERMAN_OPEN if self.opening else GERMAN_CLOSE

    def finding(self, kind: str) -> Finding:
        """The finding on this mark, a ``kind`` ("Straight", "English") quotation mark."""
        position = "opens" if self.opening else "closes"
        return Finding(
            self.index,
            self.index + 1,
            f"{kind} quotation mark: a German quotation {position} with {self.german}.",
            self.german,
        )


def opens_here(text: str, index: int) -> bool:
    """Whether a mark at ``index`` stands where a quotation opens: after the start, a
    space, a bracket or a dash, and before a character that is no space."""
    before_ok = index == 0 or _BEFORE_OPENING.match(text[index - 1]) is not None
    after = text[index + 1 : index + 2]
    return before_ok and after != "" and not after.isspace()


def straight_double_marks(text: str) -> Iterator[Mark]:
    """Every straight double quotation mark ``"`` of ``text``, read as opening or closing.

    A mark opens where a quotation may open (``opens_here``) and no quotation is open;
    any other mark closes. A mark right after a digit with no quotation open is an inch
    sign (27" monitor) and no quotation mark, so it is left out.
    """
    inside = False
    for index, char in enumerate(text):
        if char != '"':
            continue
        if not inside and opens_here(text, index):
            inside = True
            yield Mark(index, True)
        elif inside:
            inside = False
            yield Mark(index, False)
        elif index > 0 and not text[index - 1].isdigit():
            yield Mark(index, False)


def straight_single_marks(text: str) -> Iterator[Mark]:
    """The two marks of each single straight quotation 'like this' in ``text``."""
    for match in _SINGLE_QUOTATION.finditer(text):
        yield Mark(match.start(), True)
        yield Mark(match.end() - 1, False)


def english_marks(text: str) -> Iterator[Mark]:
    """English typographic marks: “ where a quotation opens, and every ”.

    “ is the German closing mark, so it is wrong only where it opens a quotation; ” has
    no place in German quotations at all (an English or a Polish-style closing mark, as
    in „…”).
    """
    for index, char in enumerate(text):
        if char == ENGLISH_CLOSE:
            yield Mark(index, False)
        elif char == ENGLISH_OPEN and opens_here(text, index) and _closes_later(text, index):
            yield Mark(index, True)


def _closes_later(text: str, index: int) -> bool:
    """Whether an opening “ at ``index`` is followed by a closing mark before the next
    German opening „ (“Aurora” or “Aurora"), so that it is no German closing mark that
    happens to follow a space."""
    rest = text[index + 1 :]
    next_open = rest.find(GERMAN_OPEN)
    closing = min((i for i in (rest.find(c) for c in '”"“') if i != -1), default=-1)
    return closing != -1 and (next_open == -1 or closing < next_open)
