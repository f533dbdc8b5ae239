"""Sentence alignment of a German draft with its English reference.

Dynamic programming over 1-1, 2-1, 1-2, 1-0 and 0-1 links (Gale & Church 1993), first
between paragraphs (1-1, 1-0, 0-1) and then between the sentences of each paragraph pair.
The cost of a link adds up

* the Gale–Church length cost: how unlikely the German length is given the English one;
* anchors: numbers and names that occur on one side of the link but not on the other;
* once back-translations exist, chrF between the back-translation and the reference
  (the idea of Bleualign, Sennrich & Volk 2010) — used only when the back-translations
  are informative at all (a broken or random model would only add noise).

Unmatched sentences become 1-0 or 0-1 links: they are reported, never dropped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from mtcheck.model import Alignment, AlignmentType, Sentence

# Gale & Church's variance of the length ratio, and link priors (their Table 5, with the
# skip probability split between 1-0 and 0-1 and the merge probability between 2-1, 1-2).
VARIANCE = 6.8
PRIORS: dict[AlignmentType, float] = {
    "1-1": 0.89,
    "2-1": 0.0445,
    "1-2": 0.0445,
    "1-0": 0.0099,
    "0-1": 0.0099,
}
# Skipping a sentence costs a constant, not a length-dependent amount: a long sentence
# without counterpart (a disclaimer) must stay cheaper than forcing it onto a wrong one.
SKIP_COST = 1.5
MAX_LENGTH_COST = 25.0
ANCHOR_COST = 2.0  # per number or name found on one side of a link only
CHRF_WEIGHT = 12.0  # per sentence of a link, times (1 - chrF/100)
# What an unlinked sentence counts as under the chrF term: between what unrelated
# sentences score (about 15) and what a sentence scores against its own translation's
# back-translation (about 50), so that a sentence is left unlinked when its best link
# would be worse than a guess.
SKIP_SIMILARITY = 35.0
# Mean chrF of the provisional 1-1 links below which back-translations are ignored.
MIN_INFORMATIVE_CHRF = 25.0

SENTENCE_MOVES: tuple[tuple[int, int, AlignmentType], ...] = (
    (1, 1, "1-1"),
    (2, 1, "2-1"),
    (1, 2, "1-2"),
    (1, 0, "1-0"),
    (0, 1, "0-1"),
)
PARAGRAPH_MOVES = SENTENCE_MOVES[:1] + SENTENCE_MOVES[3:]

_NUMBER = re.compile(r"\d+(?:[.,\u202f\u00a0 ]\d+)*")
_WORD = re.compile(r"[^\W\d_][\w&+-]*")


@dataclass(frozen=True)
class _Side:
    """What the cost function needs of one sentence."""

    length: int
    numbers: frozenset[str]
    words: frozenset[str]  # capitalised words, the candidates for names


def _normalise_number(raw: str, language: str) -> str:
    compact = re.sub(r"[\u202f\u00a0 ]", "", raw)
    thousands, decimal = (".", ",") if language == "de" else (",", ".")
    parts = compact.split(decimal)
    whole = parts[0].replace(thousands, "")
    if len(parts) == 2 and parts[1]:
        return f"{whole}.{parts[1]}"
    return whole


def _side(text: str, language: str) -> _Side:
    numbers = frozenset(_normalise_number(m.group(), language) for m in _NUMBER.finditer(text))
    words = frozenset(w for w in _WORD.findall(text) if w[0].isupper() and len(w) > 1)
    return _Side(len(text), numbers, words)


def _phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _length_cost(de: int, en: int, ratio: float) -> float:
    mean = (en + de / ratio) / 2.0
    if mean <= 0:
        return 0.0
    delta = (de - en * ratio) / math.sqrt(mean * VARIANCE)
    tail = 2.0 * (1.0 - _phi(abs(delta)))
    return min(-math.log(tail) if tail > 0 else MAX_LENGTH_COST, MAX_LENGTH_COST)


def _names(words: frozenset[str], other_words: frozenset[str]) -> set[str]:
    """Capitalised words that the other side of the paragraph pair also has: names.

    German genitive "Nvidias" and English possessive "Nvidia's" both count as "Nvidia".
    """
    names = set()
    for word in words:
        if word in other_words:
            names.add(word)
        elif word.endswith("s") and word[:-1] in other_words:
            names.add(word[:-1])
    return names


class _Scorer:
    def __init__(
        self,
        de: Sequence[_Side],
        en: Sequence[_Side],
        ratio: float,
        de_bt: Sequence[str] | None,
        en_text: Sequence[str],
    ) -> None:
        self.de, self.en, self.ratio = de, en, ratio
        self.de_bt, self.en_text = de_bt, en_text
        de_words = frozenset().union(*(s.words for s in de)) if de else frozenset()
        en_words = frozenset().union(*(s.words for s in en)) if en else frozenset()
        self.de_names = [_names(s.words, en_words) for s in de]
        self.en_names = [_names(s.words, de_words) for s in en]
        self._chrf = None

    def cost(self, i: int, di: int, j: int, dj: int, kind: AlignmentType) -> float:
        """Cost of linking German items [i, i+di) with English items [j, j+dj)."""
        numbers_de: set[str] = set()
        names_de: set[str] = set()
        for k in range(i, i + di):
            numbers_de |= self.de[k].numbers
            names_de |= self.de_names[k]
        numbers_en: set[str] = set()
        names_en: set[str] = set()
        for k in range(j, j + dj):
            numbers_en |= self.en[k].numbers
            names_en |= self.en_names[k]
        cost = -math.log(PRIORS[kind])
        if di and dj:
            # Anchors count only inside a link: a sentence left unlinked has no counterpart
            # to disagree with, and charging it too would make merging as cheap as skipping.
            anchors = len(numbers_de ^ numbers_en) + len(names_de ^ names_en)
            cost += ANCHOR_COST * anchors
            de_len = sum(self.de[k].length for k in range(i, i + di))
            en_len = sum(self.en[k].length for k in range(j, j + dj))
            cost += _length_cost(de_len, en_len, self.ratio)
        else:
            cost += SKIP_COST
        if self.de_bt is not None:
            similarity = SKIP_SIMILARITY
            if di and dj:
                similarity = self.chrf(
                    " ".join(self.de_bt[i : i + di]), " ".join(self.en_text[j : j + dj])
                )
            # Weighted by the number of sentences involved, so that the term does not
            # favour paths with fewer links.
            cost += CHRF_WEIGHT * (di + dj) / 2.0 * (1.0 - similarity / 100.0)
        return cost

    def chrf(self, hypothesis: str, reference: str) -> float:
        if self._chrf is None:
            from sacrebleu.metrics import CHRF

            # beta=1: precision weighs as much as recall. sacrebleu's default beta=2 favours
            # recall, which would make merging an extra sentence into a link look cheap.
            self._chrf = CHRF(beta=1)
        return self._chrf.sentence_score(hypothesis, [reference]).score


def _dp(
    n: int, m: int, scorer: _Scorer, moves: Sequence[tuple[int, int, AlignmentType]]
) -> list[tuple[int, int, int, int, AlignmentType, float]]:
    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, AlignmentType, float] | None]] = [
        [None] * (m + 1) for _ in range(n + 1)
    ]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            for di, dj, kind in moves:
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0 or best[pi][pj] == inf:
                    continue
                link = scorer.cost(pi, di, pj, dj, kind)
                total = best[pi][pj] + link
                if total < best[i][j]:
                    best[i][j] = total
                    back[i][j] = (di, dj, kind, link)
    links = []
    i, j = n, m
    while i or j:
        step = back[i][j]
        assert step is not None
        di, dj, kind, link = step
        links.append((i - di, di, j - dj, dj, kind, link))
        i, j = i - di, j - dj
    links.reverse()
    return links


def length_ratio(de_texts: Sequence[str], en_texts: Sequence[str]) -> float:
    """Characters of German per character of English, from the document itself."""
    de = sum(len(t) for t in de_texts)
    en = sum(len(t) for t in en_texts)
    if not de or not en:
        return 1.1
    # Bounded: a document with large unaligned parts must not distort the ratio.
    return min(max(de / en, 0.9), 1.5)


def pair_paragraphs(
    de_texts: Sequence[str],
    en_texts: Sequence[str],
    *,
    ratio: float | None = None,
    de_backtranslations: Sequence[str] | None = None,
) -> list[tuple[int | None, int | None]]:
    """Pair paragraphs (0-based indices) 1-1, leaving German or English ones unpaired."""
    ratio = ratio or length_ratio(de_texts, en_texts)
    scorer = _Scorer(
        [_side(t, "de") for t in de_texts],
        [_side(t, "en") for t in en_texts],
        ratio,
        de_backtranslations,
        en_texts,
    )
    pairs: list[tuple[int | None, int | None]] = []
    for i, di, j, dj, _kind, _cost in _dp(len(de_texts), len(en_texts), scorer, PARAGRAPH_MOVES):
        pairs.append((i if di else None, j if dj else None))
    return pairs


def align_sentences(
    de: Sequence[Sentence],
    en: Sequence[Sentence],
    *,
    ratio: float = 1.1,
    de_backtranslations: Sequence[str] | None = None,
) -> list[Alignment]:
    """Align the sentences of one paragraph pair."""
    de_sides = [_side(s.text, "de") for s in de]
    en_sides = [_side(s.text, "en") for s in en]
    en_texts = [s.text for s in en]
    scorer = _Scorer(de_sides, en_sides, ratio, de_backtranslations, en_texts)
    links = _dp(len(de), len(en), scorer, SENTENCE_MOVES)
    return [
        Alignment(
            kind=kind,
            target=tuple(de[i : i + di]),
            reference=tuple(en[j : j + dj]),
            cost=round(cost, 4),
        )
        for i, di, j, dj, kind, cost in links
    ]


def informative(backtranslations: Sequence[str], references: Sequence[str]) -> bool:
    """Whether back-translations resemble their provisional references enough to help.

    A random or broken model gives back-translations that share little with any
    reference; weighting the alignment by their chrF would only add noise.
    """
    if not backtranslations:
        return False
    from sacrebleu.metrics import CHRF

    score = CHRF().corpus_score(list(backtranslations), [list(references)]).score
    return score >= MIN_INFORMATIVE_CHRF
