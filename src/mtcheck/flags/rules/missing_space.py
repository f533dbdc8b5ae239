"""missing-space: no space after an ordinal number's period or between two sentences."""

from __future__ import annotations

import re

from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.text import SegmentText

# An ordinal number glued to the capitalised word it counts: "am 3.Mai", "im 12.Jahrhundert".
# A digit after the period is a decimal, a date or a time ("3.5", "3.5.2023", "12.30"), and
# a word in capitals ("1.FC") may be a name or a unit, so the word must go on in lower case.
_ORDINAL = re.compile(r"(?<![\w.])(\d{1,3})\.([A-ZÄÖÜ][a-zäöüß]+)")
# A sentence end glued to the next sentence: "ging nach Hause.Dort war". The word before
# must end in two lower-case letters, which leaves abbreviations with inner periods
# ("z.B.", "J.R.R.", "U.S.") and names in capitals ("ABC.DEF") alone; the word after must
# be capitalised, go on in lower case and be followed by a space, as a sentence's first
# word is, which leaves domain and file names ("beispiel.de", "Datei.Typ,") alone.
_SENTENCE_END = re.compile(r"(?<=[a-zäöüß]{2})([.!?])([A-ZÄÖÜ][a-zäöüß]+)(?=[ \u00a0])")
# Characters that make a stretch of text without spaces a URL, an e-mail address, a file
# path, a list of options or code rather than two words that lost their space.
_CODE_MARKS = frozenset("/@\\=_#~:;,|<>{}[]")
_CODE_WORDS = ("www", "http")
# A capital inside a word ("DBus", "iPhone", "NofM"): a name from code or a brand.
_INNER_CAPITAL = re.compile(r"(?<=[^\W\d_])[A-ZÄÖÜ]")
# Punctuation that may open or close a word in running text.
_OPENING = "([„\"'«»‚‘“"
_CLOSING = ")]“”\"'«»‘’.,;:!?…"


def _glued_run(text: str, start: int, end: int) -> str:
    """The characters around ``start:end`` up to the spaces on either side, without the
    brackets, quotation marks and punctuation that open or close it in running text."""
    before = start
    while before > 0 and not text[before - 1].isspace():
        before -= 1
    after = end
    while after < len(text) and not text[after].isspace():
        after += 1
    return text[before:after].lstrip(_OPENING).rstrip(_CLOSING)


def _looks_like_code(run: str) -> bool:
    """Whether ``run`` (a stretch without spaces holding one missing space) is a URL, an
    address, a path, a dotted name or an identifier rather than two words."""
    if any(word in run.lower() for word in _CODE_WORDS) or _INNER_CAPITAL.search(run):
        return True
    marks = sum(run.count(mark) for mark in ".!?")
    return marks > 1 or any(mark in _CODE_MARKS for mark in run)


def _ordinal_findings(text: str):
    for match in _ORDINAL.finditer(text):
        if _looks_like_code(_glued_run(text, match.start(), match.end())):
            continue
        yield Finding(
            match.start(),
            match.end(),
            "No space after the ordinal number's period.",
            f"{match[1]}. {match[2]}",
        )


def _sentence_end_findings(text: str):
    for match in _SENTENCE_END.finditer(text):
        word_start = match.start()
        while word_start > 0 and text[word_start - 1].isalpha():
            word_start -= 1
        if _looks_like_code(_glued_run(text, word_start, match.end())):
            continue
        mark = match[1]
        yield Finding(
            word_start,
            match.end(),
            f"No space after '{mark}' between two sentences.",
            f"{text[word_start : match.start()]}{mark} {match[2]}",
        )


@rule("missing-space", "Fluency/Spelling", "minor", fix="safe")
def check(segment: SegmentText, context: Context):
    """No space after an ordinal number's period ("am 3.Mai") or between two sentences.

    An ordinal number and the word it counts are two words ("am 3. Mai", "das 12.
    Jahrhundert"), and a sentence starts after a space ("… kam nach Hause.Dort war …"). The
    span is the two words glued together; the suggestion puts the space in. Left alone:
    decimals, dates and times ("3.5", "3.5.2023", "12.30"), abbreviations with inner
    periods ("z.B.", "J.R.R. Tolkien", "U.S."), names in capitals ("1.FC", "ABC.DEF"), and
    whatever looks like code: URLs, e-mail addresses, paths, domain and file names
    ("beispiel.de", "Bericht.pdf", "Datei.Typ,"), dotted names ("org.example.Name") and
    words with inner capitals ("DBus.Properties"). Commas are not checked: a comma without
    a space is far more often an option list in technical text ("any,all") than an error.

    Bad:  "Das Konzert findet am 3.Mai statt."
    Bad:  "Die Gäste gingen nach Hause.Dort war es still."
    Bad:  "Hast du das gelesen?Ich nicht."
    Good: "Das Konzert findet am 3. Mai statt, also am 3.5.2023 um 12.30 Uhr."
    Good: "Mehr steht auf www.beispiel.de/Presse.Info und im Bericht.pdf, z.B. von J.R.R. Tolkien."
    Good: "Die Datei heißt Bericht.Final, und der Dienst org.example.Status läuft."
    """
    text = segment.text
    if "." in text:
        yield from _ordinal_findings(text)
    if "." in text or "!" in text or "?" in text:
        yield from _sentence_end_findings(text)
