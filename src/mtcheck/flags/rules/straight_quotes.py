"""straight-quotes: straight quotation marks in German text."""

from __future__ import annotations

import re

from mtcheck.flags.language import Language, word_language
from mtcheck.flags.markup import find_markup
from mtcheck.flags.quotes import Mark, straight_double_marks, straight_single_marks
from mtcheck.flags.registry import Context, rule
from mtcheck.flags.text import SegmentText

# What makes a quotation's content code, typed as written: an option ("--skip", "-v"), an
# assignment ("x=1"), a path ("refs/heads"), a <stand-in>, a shell variable, a call
# ("run()"), an escape ("\\n"), or an identifier joined by ".", "_" or ":" of two parts of
# two letters or more ("user.name", "max_size"; not "z.B."), a URL scheme ("file://") or a
# specifier or variable ("%H", "@INC"). Straight marks around code are kept so that it
# can be copied.
_CODE_CONTENT = re.compile(
    r"(?:^|\s)-{1,2}[A-Za-z\[]|[\w\]]=|\w/(?:\w|$)|^/\w|<\w[^<>]*>|\$\{?[A-Za-z_]|\w\(\)"
    r"|\\[a-z]|\w{2,}[._:]\w{2,}|\w_\w|://|^[%@$]\w"
)
# An argument of a command or an attribute value: the quotation follows an option, maybe
# with one identifier between ("-p \"1 2\"", "--global user.name \"Name\"") or an equals
# sign (context="system").
_CODE_BEFORE = re.compile(r"(?:(?:^|\s)-{1,2}[A-Za-z][\w-]*(?:[ \t]+\w+[._]\w[\w.]*)?[ \t]+|=)$")
# Lower-case words as written in code: a keyword, value or command ("true", 'git pull').
_LOWER_WORDS = re.compile(r"\.?[a-z][\w.-]*(?: [a-z][\w.-]*){0,3}")  # also ".tar"


@rule("straight-quotes", "Fluency/Punctuation", "minor", fix="safe")
def check(segment: SegmentText, context: Context):
    """Straight quotation marks "…" or '…' in German text, where German uses „…“ and ‚…‘.

    Straight marks are a typewriter substitute; German typesetting opens a quotation
    with „ and closes it with “ (or uses »…«). Expert raters mark nearly every straight
    mark in German text as a punctuation error, so the rule is on by default. Each mark
    is flagged on its own, as raters mark it, also where the other end is right („…").
    A " right after a digit outside a quotation is an inch sign and left alone, and so
    are apostrophes (Q'orianka, geht's).

    Bad:  'Er nannte das Projekt "Aurora" und lachte.'
    Bad:  "Die 'Aurora'-Mission beginnt morgen."
    Bad:  'Sie sagte: „Wir kommen morgen."'
    Good: "Er nannte das Projekt „Aurora“ und lachte."
    Good: 'Der Bildschirm misst 27" in der Diagonale.'
    Good: "Wie geht's dir, Andreas' Freund?"
    Good: 'Führen Sie "tool sync --force" aus, um die Dateien zu erneuern.'
    Good: 'Der Text steht in <span class="hinweis">grauer Schrift</span>.'
    """
    text, spans = segment.text, _markup_spans(segment.text)
    plain = _mask_tags(text, spans)
    marks = sorted([*straight_double_marks(plain), *straight_single_marks(plain)])
    for mark in _outside_code(marks, plain, spans):
        yield mark.finding("Straight")


_ENCLOSING_OPEN = frozenset("([{»«„‚‹›")
_ENCLOSING_CLOSE = frozenset(")]}«»“‘›‹")


def _literal(quoted: str) -> bool:
    """Whether a quotation holds a literal rather than words: a character or symbol ("a",
    "."), or lower-case words none of which is German, a keyword, value or command
    ("true", "auto", "git pull"). German words in straight marks stay flagged ("ja")."""
    if not any(char.isalpha() for char in quoted) or re.fullmatch(r"[A-Za-z]", quoted):
        return True
    if not _LOWER_WORDS.fullmatch(quoted) or not quoted.isascii():
        return False
    return all(word_language(word) is not Language.GERMAN for word in quoted.split())


def _markup_spans(text: str) -> list[tuple[str, int, int]]:
    return [(item.kind, item.start, item.end) for item in find_markup(text)]


def _mask_tags(text: str, spans) -> str:
    """``text`` with the quotation marks inside tags blanked: an attribute value
    (``<span class="x">``) is markup, not a quotation, and must not open one."""
    chars = list(text)
    for kind, start, end in spans:
        if kind == "html":
            for index in range(start, end):
                if chars[index] in "\"'":
                    chars[index] = "_"
    return "".join(chars)


def _outside_code(marks: list[Mark], text: str, spans) -> list[Mark]:
    """The marks less the pairs that quote code: a command, option or placeholder."""
    placeholders = [(start, end) for kind, start, end in spans if kind == "placeholder"]
    dropped: set[int] = set()
    for opening, closing in zip(marks, marks[1:], strict=False):
        if not opening.opening or closing.opening:
            continue
        content = (opening.index + 1, closing.index)
        holds_placeholder = any(content[0] <= s and e <= content[1] for s, e in placeholders)
        line_start = text.rfind("\n", 0, opening.index) + 1
        argument = _CODE_BEFORE.search(text[line_start : opening.index]) is not None
        quoted = text[content[0] : content[1]]
        if holds_placeholder or argument or _CODE_CONTENT.search(quoted) or _literal(quoted):
            dropped.update((opening.index, closing.index))
    return [
        mark for mark in marks if mark.index not in dropped and not _mentioned(text, mark.index)
    ]


def _mentioned(text: str, index: int) -> bool:
    """A mark named as a character, between brackets or other marks: "(")", "»"«"."""
    before, after = text[index - 1 : index], text[index + 1 : index + 2]
    return bool(before and after) and before in _ENCLOSING_OPEN and after in _ENCLOSING_CLOSE
