"""A small, fast German tokenizer that keeps character offsets.

The flag rules need tokens with exact offsets into a segment's text and sentence
boundaries inside a segment (a 2-1 link holds two sentences). SoMaJo would do, but a
regular expression is an order of magnitude faster and good enough for tagging.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations whose final period belongs to the token (and must not end a clause).
_ABBREVIATIONS = (
    r"z\.\s?B\.|d\.\s?h\.|u\.\s?a\.|o\.\s?ä\.|u\.\s?U\.|v\.\s?a\.|s\.\s?o\.|s\.\s?u\.|"
    r"usw\.|bzw\.|ca\.|Mio\.|Mrd\.|Nr\.|Dr\.|Prof\.|vgl\.|ggf\.|inkl\.|exkl\.|etc\.|evtl\.|"
    r"sog\.|Jh\.|Str\.|St\.|Tsd\.|bspw\.|zzgl\.|Abs\.|Art\.|Hrsg\.|Jan\.|Feb\.|Aug\.|"
    r"Sept\.|Okt\.|Nov\.|Dez\."
)
_MONTHS = (
    "Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|"
    "Quartal|Jahrhundert|Jahrtausend|Platz|Stelle|Mal|Tag|Woche|Monat"
)
_TOKEN_RE = re.compile(
    rf"(?P<abbr>(?<!\w)(?:{_ABBREVIATIONS}))"
    # an ordinal number: "5. März", "4. Quartal", "3. gewählt"
    rf"|(?P<ord>\d{{1,4}}\.(?=\s+(?:[a-zäöüß]|(?:{_MONTHS})\b)))"
    r"|(?P<num>\d+(?:[.,\u00a0\u202f]\d+)*)(?!\w|[-/]\w)"
    r"|(?P<word>\w(?:[\w&'’]|[-/](?=\w))*)"
    r"|(?P<ellipsis>\.\.\.|…)"
    r"|(?P<punct>[^\w\s])"
)

CLAUSE_END = frozenset(
    {
        ",",
        ";",
        ":",
        ".",
        "!",
        "?",
        "…",
        "...",
        "(",
        ")",
        "–",
        "—",
        "-",
        '"',
        "„",
        "“",
        "”",
        "«",
        "»",
        "‚",
        "‘",
        "’",
        "'",
        "/",
    }
)
SENTENCE_END = frozenset({".", "!", "?", "…", "..."})


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    kind: str  # "word", "num", "ord", "abbr", "punct"

    @property
    def is_word(self) -> bool:
        return self.kind == "word"


def tokenize(text: str) -> tuple[Token, ...]:
    """Tokens of ``text`` with ``text[token.start:token.end] == token.text``."""
    tokens = []
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup or "punct"
        if kind == "ellipsis":
            kind = "punct"
        tokens.append(Token(match.group(), match.start(), match.end(), kind))
    return tuple(tokens)


def split_sentences(tokens: tuple[Token, ...]) -> tuple[tuple[int, int], ...]:
    """(start, end) token-index ranges of the sentences in ``tokens``."""
    spans = []
    start = 0
    for index, token in enumerate(tokens):
        if token.kind == "punct" and token.text in SENTENCE_END:
            spans.append((start, index + 1))
            start = index + 1
    if start < len(tokens):
        spans.append((start, len(tokens)))
    return tuple(spans)
