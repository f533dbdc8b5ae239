"""mixed-address: a document that addresses its reader as "Sie" and as "du"."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from mtcheck.flags.language import SegmentEvidence
from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.reported import quoted_positions
from mtcheck.flags.text import SegmentText

# Second-person forms of the familiar address, lower case, and their polite counterparts
# where the swap needs no other change ("dir" → "Ihnen", "dein" → "Ihr"). "du" and "ihr"
# take other verb forms ("du hörst" → "Sie hören"), so they get no one-word fix; "ihr"
# is also "her" and "their", so the familiar plural is left out.
_FAMILIAR = {
    "du": None,
    "dich": "Sie",
    "dir": "Ihnen",
    "dein": "Ihr",
    "deine": "Ihre",
    "deinen": "Ihren",
    "deinem": "Ihrem",
    "deiner": "Ihrer",
    "deines": "Ihres",
    "euch": None,
}
# The polite forms, capitalised inside a sentence (at its start "Sie" may be "she" or
# "they"), and their familiar counterparts where the swap needs nothing else.
_POLITE = {
    "Sie": None,
    "Ihnen": "dir",
    "Ihr": "dein",
    "Ihre": "deine",
    "Ihren": "deinen",
    "Ihrem": "deinem",
    "Ihrer": "deiner",
    "Ihres": "deines",
}
# After these a capital letter opens a sentence or a heading, so a capitalised "Sie" or
# "Ihr" there may be "she", "they" or "her".
_OPENERS = frozenset('.!?:;"„“”«»()[]–—-•*#>|')
_MIN_MAJORITY = 2  # uses of the prevailing address needed before the other stands out
# How much more often the prevailing address must be used: a document that mixes both
# about evenly has no register to measure the other against.
_PREVAILS = 2


@rule("mixed-address", "Fluency/Register", "minor", scope="document", fix="unsafe")
def check(segments: Sequence[SegmentText], contexts: Sequence[Context]):
    """The reader addressed both as "Sie" and as "du" in one document.

    German addresses a reader either politely ("Sie", "Ihnen", "Ihr") or familiarly
    ("du", "dich", "dir", "dein"), and keeps to one. When a document uses both outside
    quotations (a quoted speaker may say "du"), each use of the rarer address is flagged
    when the other prevails: it has at least two uses and twice as many (a document that
    mixes both about evenly has no register to hold the other to). A polite form counts only
    inside a sentence, where its capital shows it is the address and not "she", "they" or
    "her". The suggestion is the other address's form where the swap needs no other
    change ("dir" → "Ihnen", "dein" → "Ihr"); "du" and "Sie" need the verb changed too
    and get none.

    Bad:  "Hier sehen Sie die Karte. Wenn Sie näher kommen, hörst du das Signal."
    Bad:  "Hier sehen Sie die Karte, und nun hören Sie den Ton in deinem Kopf."
    Good: "Hier sehen Sie die Karte. Wenn Sie näher kommen, hören Sie das Signal."
    Good: "Du siehst die Karte. Sie zeigt den Weg, den du gehen musst."
    Good: "Hier sehen Sie die Karte, und nun hören Sie ihn: „Komm, ich zeige dir den Weg.“"
    """
    familiar = list(_uses(segments, polite=False))
    polite = list(_uses(segments, polite=True))
    if not familiar or not polite or len(familiar) == len(polite):
        return
    rare, common = (familiar, polite) if len(familiar) < len(polite) else (polite, familiar)
    if len(common) < max(_MIN_MAJORITY, _PREVAILS * len(rare)):
        return
    common_word = "“Sie”" if common is polite else "“du”"
    for index, start, end, word, swap in rare:
        message = (
            f"The document addresses the reader as {common_word} elsewhere "
            f"({len(common)} times); “{word}” mixes the two registers."
        )
        yield index, Finding(start, end, message, swap)


def _uses(
    segments: Sequence[SegmentText], *, polite: bool
) -> Iterator[tuple[int, int, int, str, str | None]]:
    """(segment, start, end, word, swap) for each form of one address outside quotations."""
    forms = _POLITE if polite else _FAMILIAR
    for index, segment in enumerate(segments):
        quoted = evidence = None
        tokens = segment.tokens
        for position, token in enumerate(tokens):
            key = token.text if polite else token.text.lower()
            if key not in forms:
                continue
            if polite and (position == 0 or tokens[position - 1].text[-1:] in _OPENERS):
                continue
            if token.text.isupper():
                continue
            # Options, paths, placeholders and commands ("--dir", "%du", "Dir::Bin"), as
            # untranslated-text tells them from prose.
            evidence = evidence or SegmentEvidence(segment.text, tokens, None)
            if evidence.is_code(position):
                continue
            if polite and not _inside_sentence(segment.text, token.start):
                continue
            quoted = quoted if quoted is not None else quoted_positions(segment.text)
            if token.start in quoted:
                continue
            swap = forms[key]
            if swap is not None and not polite and token.text[:1].isupper():
                swap = swap[:1].upper() + swap[1:]
            yield index, token.start, token.end, token.text, swap


def _inside_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` follows other words on its line: a line's first word
    (a heading, a list item) is capitalised anyway."""
    line_start = text.rfind("\n", 0, start) + 1
    return bool(text[line_start:start].strip())
