"""What the alignment rules (omission, addition) share: which sentences that the aligner
left unlinked (1-0 or 0-1) are more likely mistakes of the alignment than real omissions
or additions.

The aligner (:mod:`mtcheck.align`) leaves a sentence unlinked when every link it could
join costs more than a skip. It errs where a translator split, merged or reordered
sentences or paragraphs in ways its moves cannot express (three sentences for one, two
paragraphs for one, a changed order). Three traces give that away:

* an unlinked sentence of the other kind close by: the content is there on both sides,
  only not linked (a disclaimer or an editor's note does not count, and is never taken
  for a mistake: it translates no English);
* a neighbouring link whose other side has a number or name of the unlinked sentence
  that its own side lacks;
* a neighbouring link, or a paragraph where the aligner had to join sentences, whose own
  side is too short for its other side by about the length of the unlinked sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mtcheck.flags.boilerplate import is_disclaimer, is_note
from mtcheck.flags.numbers import english_numbers, german_numbers, same_number
from mtcheck.flags.text import SegmentText

# Links with German and English on both sides.
LINKED = frozenset({"1-1", "2-1", "1-2"})
UNLINKED = frozenset({"1-0", "0-1"})
# Characters of German per character of English in ordinary prose, where a document has
# too few linked characters (MIN_RATIO_CHARACTERS) for a ratio of its own.
GERMAN_PER_ENGLISH = 1.15
MIN_RATIO_CHARACTERS = 200
# A link's side shorter than this share of what its other side predicts lacks something.
TOO_SHORT = 0.8
# A paragraph's side is compared only where the aligner joined sentences in it (a trace
# of a merge), so that any shortfall counts.
PARAGRAPH_TOO_SHORT = 1.0
# Links with both sides that may lie between an unlinked sentence and its counterpart of
# the other kind (a changed order of sentences).
MAX_GAP = 2
_CAPITALISED = re.compile(r"\b[^\W\d_][\w&+-]*")


def alignment_mistakes(texts: Sequence[SegmentText]) -> set[int]:
    """Indices of the unlinked sentences of ``texts`` (one document, in order) that are
    more likely alignment mistakes than omissions or additions."""
    # Boilerplate translates no English: it is never part of a link the aligner missed.
    unlinked = [
        k
        for k, text in enumerate(texts)
        if text.alignment == "0-1" or text.alignment == "1-0" and not _boilerplate(text)
    ]
    if not unlinked:
        return set()
    mistakes = _with_counterpart(texts) & set(unlinked)
    ratio = _german_per_english(texts)
    paragraphs: dict[int | None, list[int]] = {}
    for k, text in enumerate(texts):
        if text.alignment in LINKED:
            paragraphs.setdefault(text.paragraph, []).append(k)
    for k in unlinked:
        if k not in mistakes and _belongs_to_neighbour(texts, k, ratio, paragraphs):
            mistakes.add(k)
    return mistakes


def _with_counterpart(texts: Sequence[SegmentText]) -> set[int]:
    """Unlinked sentences with one of the other kind past at most MAX_GAP links."""
    found: set[int] = set()
    for order in (range(len(texts)), range(len(texts) - 1, -1, -1)):
        passed: dict[str, int | None] = {"1-0": None, "0-1": None}  # links since the last
        for k in order:
            kind = texts[k].alignment
            if kind in LINKED:
                passed = {key: None if n is None else n + 1 for key, n in passed.items()}
            elif kind in UNLINKED:
                other = passed["0-1" if kind == "1-0" else "1-0"]
                if other is not None and other <= MAX_GAP:
                    found.add(k)
                if not (kind == "1-0" and _boilerplate(texts[k])):
                    passed[kind] = 0
    return found


def _boilerplate(text: SegmentText) -> bool:
    """A machine-translation disclaimer or an editor's or translator's note."""
    return is_disclaimer(text.text) or is_note(text.text)


def _belongs_to_neighbour(texts, index: int, ratio: float, paragraphs) -> bool:
    """Whether unlinked ``texts[index]`` more likely belongs to a neighbouring link or to
    a paragraph nearby.

    Consecutive unlinked sentences of the same kind count together: the aligner joins at
    most two sentences to one, so a sentence translated as three leaves one unlinked.
    Paragraphs count because they are paired at most two to one: a paragraph translated
    as part of two others, or spread over three, leaves one unpaired.
    """
    first, last = _run(texts, index)
    language = "de" if texts[index].alignment == "1-0" else "en"
    unlinked = " ".join(_side(texts[k], language) for k in range(first, last + 1))
    groups = [([k], TOO_SHORT) for k in _neighbours(texts, first, last)]
    joined = "2-1" if language == "en" else "1-2"  # the other side has more sentences
    paragraph = texts[index].paragraph
    for number in () if paragraph is None else (paragraph - 1, paragraph, paragraph + 1):
        group = [k for k in paragraphs.get(number, ()) if not first <= k <= last]
        if any(texts[k].alignment == joined for k in group):
            groups.append((group, PARAGRAPH_TOO_SHORT))
    for group, too_short in groups:
        own = " ".join(_side(texts[k], language) for k in group)
        other = " ".join(_side(texts[k], "en" if language == "de" else "de") for k in group)
        expected = len(other) * (ratio if language == "de" else 1 / ratio)
        if _shares_anchor(unlinked, language, own, other) or _fills_gap(
            len(unlinked), len(own), expected, too_short
        ):
            return True
    return False


def _side(text: SegmentText, language: str) -> str:
    return text.text if language == "de" else text.reference or ""


def _run(texts: Sequence[SegmentText], index: int) -> tuple[int, int]:
    """First and last index of the unlinked sentences of ``texts[index]``'s kind around
    it in its paragraph."""

    def same(k: int) -> bool:
        return (
            0 <= k < len(texts)
            and texts[k].alignment == texts[index].alignment
            and texts[k].paragraph == texts[index].paragraph
        )

    first = last = index
    while same(first - 1):
        first -= 1
    while same(last + 1):
        last += 1
    return first, last


def _neighbours(texts: Sequence[SegmentText], first: int, last: int) -> list[int]:
    """The links with both sides right before ``first`` and after ``last``, same paragraph."""
    paragraph = texts[first].paragraph
    return [
        k
        for k in (first - 1, last + 1)
        if 0 <= k < len(texts) and texts[k].paragraph == paragraph and texts[k].alignment in LINKED
    ]


def _german_per_english(texts: Sequence[SegmentText]) -> float:
    """Characters of German per character of English over the document's links, bounded
    as the aligner bounds it."""
    german = sum(len(t.text) for t in texts if t.alignment in LINKED)
    english = sum(len(t.reference or "") for t in texts if t.alignment in LINKED)
    if german < MIN_RATIO_CHARACTERS or english < MIN_RATIO_CHARACTERS:
        return GERMAN_PER_ENGLISH
    return min(max(german / english, 0.9), 1.5)


def _shares_anchor(unlinked: str, language: str, own: str, other: str) -> bool:
    """``other`` (the neighbour's other language) has a number or name of ``unlinked``
    that ``own`` (the neighbour's text in the language of ``unlinked``) lacks."""
    names = (_names(unlinked) & _names(other, initial=False)) - _names(own)
    return bool(names) or _shares_number(unlinked, language, own, other)


def _shares_number(unlinked: str, language: str, own: str, other: str) -> bool:
    same_side = german_numbers if language == "de" else english_numbers
    other_side = english_numbers if language == "de" else german_numbers

    def equal(a, b) -> bool:  # a from the unlinked sentence's language, b from the other
        return same_number(b, a) if language == "de" else same_number(a, b)

    own_numbers = same_side(own)
    for number in same_side(unlinked):
        in_other = any(equal(number, candidate) for candidate in other_side(other))
        in_own = any(number.values & candidate.values for candidate in own_numbers)
        if in_other and not in_own:
            return True
    return False


def _names(text: str, initial: bool = True) -> set[str]:
    """Capitalised words of two or more letters, and their stems without a genitive s.

    Without ``initial``, a word that opens a sentence is left out: "In" or "The" there
    is capitalised without being a name.
    """
    words = set()
    for match in _CAPITALISED.finditer(text):
        word = match.group()
        if not word[0].isupper() or len(word) < 2:
            continue
        if not initial and _opens_sentence(text, match.start()):
            continue
        words.add(word)
    return words | {w[:-1] for w in words if w.endswith("s") and len(w) > 2}


def _opens_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'\u201c\u201e\u2018\u201a(")
    return not before or before[-1] in ".!?:"


def _fills_gap(unlinked: int, own: int, expected: float, too_short: float) -> bool:
    """The neighbour's side (``own`` characters) is too short for what its other side
    predicts (``expected``), and the unlinked sentence (``unlinked`` characters) makes up
    the difference."""
    if own >= too_short * expected:
        return False
    return abs(own + unlinked - expected) < expected - own
