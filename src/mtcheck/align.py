"""Sentence alignment of a German draft with its English reference.

Dynamic programming over 1-1, 2-1, 1-2, 1-0 and 0-1 links (Gale & Church 1993), and a
swap of two neighbouring sentences (linked crosswise, with their 2-2 prior), first between
paragraphs and then between the sentences of each paragraph pair. The cost of a link adds

* the prior of its kind (Gale & Church's Table 5);
* the Gale–Church length cost: how unlikely the German length is given the English one,
  with the document's own length ratio and variance (``length_model``, from the 1-1 links
  of a first alignment: machine translation keeps much closer to its source's length than
  the human translations Gale & Church measured, so a sentence joined to a neighbour
  stands out);
* anchors: numbers and names that occur on one side of the link but not on the other;
* once back-translations exist, chrF between the back-translation and the reference
  (the idea of Bleualign, Sennrich & Volk 2010) — used only when the back-translations
  are informative at all (a broken or random model would only add noise).

Paragraphs are paired 1-1, 1-2 (a heading or paragraph joined to the next), 2-1 (a
paragraph split in two), 1-0 or 0-1; a pair costs what the best alignment of its sentences
costs and an unpaired paragraph what leaving each of its sentences unlinked costs, so
that a paragraph that lost or gained a sentence is still paired. Only a band around the
diagonal is searched, so the time grows linearly with the document.

Unmatched sentences become 1-0 or 0-1 links: they are reported, never dropped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from mtcheck.model import Alignment, AlignmentType, Paragraph, Sentence

# Gale & Church's variance of the length ratio, and link priors (their Table 5, with the
# skip probability split between 1-0 and 0-1 and the merge probability between 2-1, 1-2).
VARIANCE = 6.8
# A document's own variance (``length_model``) is estimated from its 1-1 links, with
# Gale & Church's value counting as this many links more: a few links say little.
PRIOR_LINKS = 5
MIN_VARIANCE = 1.0  # a floor, for documents whose lengths happen to agree closely
CHI2_MEDIAN = 0.4549  # median of the square of a standard normal variable
# Their prior for two sentences that correspond to two (2-2), here for two neighbouring
# sentences whose order the translation swapped: linked crosswise, one to one.
SWAP_PRIOR = 0.011
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

# "swap": German [i, i+2) with English [j, j+2) crosswise, as two 1-1 links.
SENTENCE_MOVES: tuple[tuple[int, int, str], ...] = (
    (1, 1, "1-1"),
    (2, 1, "2-1"),
    (1, 2, "1-2"),
    (1, 0, "1-0"),
    (0, 1, "0-1"),
    (2, 2, "swap"),
)
# Paragraphs: one German paragraph for two English ones (a heading, or a paragraph break
# the translation left out) is a 1-2 link, two for one (a break the translation added) a
# 2-1 link; the sentence alignment inside it then decides which sentences correspond.
PARAGRAPH_MOVES = SENTENCE_MOVES[:5]
# The paragraph alignment looks at most this many paragraphs off the diagonal (beyond the
# difference in paragraph counts), so that its time grows linearly with the document: a
# longer stretch of paragraphs out of order is beyond its moves anyway.
PARAGRAPH_BAND = 10
# The same for the sentences of a paragraph pair, wider: a paragraph pair of up to this
# many sentences a side is searched whole (the band then covers every cell), and a
# paragraph of thousands of sentences (a text without line breaks) still takes linear time.
SENTENCE_BAND = 20
# The band widens by the difference in counts (a block of paragraphs on one side only
# needs room to be skipped), by at most this much: beyond it, time would grow with the
# product of the counts again.
MAX_BAND_SHIFT = 50
PROGRESS_ROWS = 200  # paragraphs aligned between two progress reports
# Where a sentence ends, to split paragraphs roughly when their sentences are not given.
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201c\u201d\u2019\u00bb\u00ab)]*(?=\s)")

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


def _length_cost(de: int, en: int, ratio: float, variance: float = VARIANCE) -> float:
    mean = (en + de / ratio) / 2.0
    if mean <= 0:
        return 0.0
    delta = (de - en * ratio) / math.sqrt(mean * variance)
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
        breaks: frozenset[int] = frozenset(),
        variance: float = VARIANCE,
    ) -> None:
        self.de, self.en, self.ratio, self.variance = de, en, ratio, variance
        self.breaks = breaks  # German items that open a new paragraph
        self.de_bt, self.en_text = de_bt, en_text
        de_words = frozenset().union(*(s.words for s in de)) if de else frozenset()
        en_words = frozenset().union(*(s.words for s in en)) if en else frozenset()
        self.de_names = [_names(s.words, en_words) for s in de]
        self.en_names = [_names(s.words, de_words) for s in en]
        self._chrf = None

    def cost(self, i: int, di: int, j: int, dj: int, kind: str) -> float:
        """Cost of linking German items [i, i+di) with English items [j, j+dj)."""
        if di == 2 and i + 1 in self.breaks:
            return math.inf  # a link holds the German of one paragraph only
        if kind == "swap":
            # Each crossed pair as a 1-1 link would cost, its prior replaced by the swap's.
            one_to_one = -math.log(PRIORS["1-1"])
            crossed = self.cost(i, 1, j + 1, 1, "1-1") + self.cost(i + 1, 1, j, 1, "1-1")
            return -math.log(SWAP_PRIOR) + crossed - 2 * one_to_one
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
            cost += _length_cost(de_len, en_len, self.ratio, self.variance)
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
    n: int,
    m: int,
    scorer,
    moves: Sequence[tuple[int, int, str]],
    band: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[tuple[int, int, int, int, str, float]]:
    """The cheapest links of items [0, n) with items [0, m); with ``band``, only through
    cells at most ``band`` items (plus the difference of n and m, up to ``MAX_BAND_SHIFT``)
    off the diagonal.

    Only the cells of the band are stored (row ``i`` holds columns ``lows[i]`` on), so
    that memory, like time, grows with ``n`` times the band, not ``n`` times ``m``.
    ``progress(i, n)`` is told every ``PROGRESS_ROWS`` rows."""
    inf = float("inf")
    width = None
    if band is not None and n:
        # Wide enough too for each row's cells to reach the next row's when m >> n.
        width = max(band + min(abs(n - m), MAX_BAND_SHIFT), math.ceil(m / n) + 2)
    lows: list[int] = []
    best: list[list[float]] = []
    back: list[list[tuple[int, int, str, float] | None]] = []
    for i in range(n + 1):
        if progress is not None and i % PROGRESS_ROWS == 0:
            progress(i, n)
        low, high = 0, m
        if width is not None:
            centre = i * m / n
            low, high = max(0, math.floor(centre - width)), min(m, math.ceil(centre + width))
        row = [inf] * (high - low + 1)
        steps: list[tuple[int, int, str, float] | None] = [None] * (high - low + 1)
        lows.append(low)
        best.append(row)
        back.append(steps)
        for j in range(low, high + 1):
            if i == 0 and j == 0:
                row[0] = 0.0
                continue
            for di, dj, kind in moves:
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0:
                    continue
                column = pj - lows[pi]
                if not 0 <= column < len(best[pi]) or best[pi][column] == inf:
                    continue
                link = scorer.cost(pi, di, pj, dj, kind)
                total = best[pi][column] + link
                if total < row[j - low]:
                    row[j - low] = total
                    steps[j - low] = (di, dj, kind, link)
    return _trace(back, lows, n, m)


def _trace(back, lows: list[int], n: int, m: int) -> list[tuple[int, int, int, int, str, float]]:
    """The links of the cheapest path, followed back from cell (n, m) to (0, 0)."""
    links = []
    i, j = n, m
    while i or j:
        step = back[i][j - lows[i]]
        assert step is not None
        di, dj, kind, link = step
        links.append((i - di, di, j - dj, dj, kind, link))
        i, j = i - di, j - dj
    links.reverse()
    return links


def length_ratio(de_texts: Sequence[str], en_texts: Sequence[str]) -> float:
    """Characters of German per character of English, from the document itself."""
    return _bounded_ratio(sum(len(t) for t in de_texts), sum(len(t) for t in en_texts))


def _bounded_ratio(de: int, en: int) -> float:
    if not de or not en:
        return 1.1
    # Bounded: a document with large unaligned parts must not distort the ratio.
    return min(max(de / en, 0.9), 1.5)


class _ParagraphScorer:
    """Costs of paragraph links: a pair costs what the best alignment of its sentences
    costs, and a paragraph left unpaired what leaving each of its sentences unlinked
    costs; so a paragraph that lost or gained a sentence is still paired, and paragraph
    and sentence alignment weigh the same evidence the same way."""

    def __init__(
        self,
        de: Sequence[Sequence[str]],
        en: Sequence[Sequence[str]],
        ratio: float,
        de_bt: Sequence[str] | None,
        en_text: Sequence[str],
        variance: float,
    ) -> None:
        # One scorer for all sentences of the document, its link costs kept: the candidate
        # pairs overlap, and each sentence link is scored once. Names are what the whole
        # other document has; a German link never spans a paragraph break.
        self.de_start = _starts(de)
        self.en_start = _starts(en)
        breaks = frozenset(self.de_start[1:-1])
        self.sentences = _Scorer(
            [_side(t, "de") for sentences in de for t in sentences],
            [_side(t, "en") for sentences in en for t in sentences],
            ratio,
            None,
            [],
            breaks,
            variance,
        )
        self.memo: dict[tuple[int, int, int, int, str], float] = {}
        # Back-translations compare whole paragraphs, as a sentence's chrF term would.
        self.chrf = _Scorer([], [], ratio, de_bt, en_text) if de_bt is not None else None
        self.de_bt, self.en_text = de_bt, en_text

    def cost(self, i: int, di: int, j: int, dj: int, kind: AlignmentType) -> float:
        de0, en0 = self.de_start[i], self.en_start[j]
        n, m = self.de_start[i + di] - de0, self.en_start[j + dj] - en0

        def link(k: int, dk: int, e: int, de: int, move: str) -> float:
            key = (de0 + k, dk, en0 + e, de, move)
            if key not in self.memo:
                self.memo[key] = self.sentences.cost(*key)
            return self.memo[key]

        # The structure's own prior: joining two paragraphs is rarer than pairing one.
        cost = -math.log(PRIORS[kind]) if di and dj else 0.0
        steps = _dp(n, m, _Links(link), SENTENCE_MOVES, band=SENTENCE_BAND)
        cost += sum(step[-1] for step in steps)
        if self.chrf is not None and self.de_bt is not None:
            similarity = SKIP_SIMILARITY
            if di and dj:
                similarity = self.chrf.chrf(
                    " ".join(self.de_bt[i : i + di]), " ".join(self.en_text[j : j + dj])
                )
            cost += CHRF_WEIGHT * (di + dj) / 2.0 * (1.0 - similarity / 100.0)
        return cost


class _Links:
    """A scorer made of a cost function, for ``_dp``."""

    def __init__(self, cost) -> None:
        self.cost = cost


def _starts(paragraphs: Sequence[Sequence[str]]) -> list[int]:
    """Index of each paragraph's first sentence among all, and the total at the end."""
    starts = [0]
    for sentences in paragraphs:
        starts.append(starts[-1] + len(sentences))
    return starts


def _rough_sentences(text: str) -> list[str]:
    """``text`` cut after each sentence-final mark that a space follows."""
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        pieces.append(text[start : match.end()])
        start = match.end()
    pieces.append(text[start:])
    return [piece.strip() for piece in pieces if piece.strip()]


def length_model(alignments: Sequence[Alignment], ratio: float) -> tuple[float, float]:
    """The ratio of German to English length and its variance per character, from the
    1-1 links of a provisional alignment of the document (``ratio``: the provisional one).

    The ratio of the links, unlike that of the whole text, leaves out what has no
    counterpart. Gale & Church measured a variance of 6.8 on human translations; machine
    translation keeps far closer to its source (about 2 on the WMT 2023 and TED drafts),
    so that a sentence joined to a neighbour stands out by its length. The median of the
    squared deviations (robust to a few wrong links) is pooled with Gale & Church's value.
    """
    pairs = [
        (len(a.target[0].text), len(a.reference[0].text)) for a in alignments if a.kind == "1-1"
    ]
    if not pairs:
        return ratio, VARIANCE
    ratio = _bounded_ratio(sum(de for de, _en in pairs), sum(en for _de, en in pairs))
    squares = sorted(
        (de - en * ratio) ** 2 / mean for de, en in pairs if (mean := (en + de / ratio) / 2.0) > 0
    )
    if not squares:
        return ratio, VARIANCE
    middle = len(squares) // 2
    median = squares[middle] if len(squares) % 2 else (squares[middle - 1] + squares[middle]) / 2
    pooled = (len(squares) * median / CHI2_MEDIAN + PRIOR_LINKS * VARIANCE) / (
        len(squares) + PRIOR_LINKS
    )
    return ratio, max(pooled, MIN_VARIANCE)


def pair_paragraphs(
    de_texts: Sequence[str],
    en_texts: Sequence[str],
    *,
    ratio: float | None = None,
    de_backtranslations: Sequence[str] | None = None,
    de_sentences: Sequence[Sequence[str]] | None = None,
    en_sentences: Sequence[Sequence[str]] | None = None,
    variance: float = VARIANCE,
    progress: Callable[[int, int], None] | None = None,
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Pair paragraphs: (German indices, English indices), 0-based, consecutive, one or
    two on one side and at most one on the other (none: the paragraph is unpaired).

    ``de_sentences``/``en_sentences``: the paragraphs' sentences, as the sentence splitter
    gives them; without them the paragraphs are cut at sentence-final punctuation.
    ``progress(done, total)`` is told now and then how many German paragraphs are done."""
    ratio = ratio or length_ratio(de_texts, en_texts)
    scorer = _ParagraphScorer(
        de_sentences if de_sentences is not None else [_rough_sentences(t) for t in de_texts],
        en_sentences if en_sentences is not None else [_rough_sentences(t) for t in en_texts],
        ratio,
        de_backtranslations,
        en_texts,
        variance,
    )
    n, m = len(de_texts), len(en_texts)
    links = _dp(n, m, scorer, PARAGRAPH_MOVES, band=PARAGRAPH_BAND, progress=progress)
    return [(tuple(range(i, i + di)), tuple(range(j, j + dj))) for i, di, j, dj, _k, _c in links]


def join_paragraphs(
    paragraphs: Sequence[Paragraph],
    sentences: Sequence[Sequence[Sentence]],
    indices: Sequence[int],
) -> tuple[Paragraph | None, tuple[Sentence, ...]]:
    """Paragraphs ``indices`` (consecutive, as ``pair_paragraphs`` gives them) as one
    paragraph, joined with a space, and their sentences with offsets into it."""
    if not indices:
        return None, ()
    first = paragraphs[indices[0]]
    if len(indices) == 1:
        return first, tuple(sentences[indices[0]])
    texts: list[str] = []
    joined: list[Sentence] = []
    markup = []
    anchors: list[tuple[int, int, int]] = []
    offset = 0
    for k in indices:
        paragraph = paragraphs[k]
        texts.append(paragraph.text)
        joined += [
            replace(s, paragraph=first.index, start=s.start + offset, end=s.end + offset)
            for s in sentences[k]
        ]
        markup += [replace(m, start=m.start + offset, end=m.end + offset) for m in paragraph.markup]
        anchors.append((offset, paragraph.line, paragraph.column))
        anchors += [(offset + a, line, column) for a, line, column in paragraph.anchors]
        offset += len(paragraph.text) + 1
    text = " ".join(texts)
    return replace(first, text=text, markup=tuple(markup), anchors=tuple(anchors)), tuple(joined)


def align_sentences(
    de: Sequence[Sentence],
    en: Sequence[Sentence],
    *,
    ratio: float = 1.1,
    de_backtranslations: Sequence[str] | None = None,
    variance: float = VARIANCE,
) -> list[Alignment]:
    """Align the sentences of one paragraph pair."""
    de_sides = [_side(s.text, "de") for s in de]
    en_sides = [_side(s.text, "en") for s in en]
    en_texts = [s.text for s in en]
    # German of two paragraphs (a 2-1 paragraph link) is never joined into one link.
    breaks = frozenset(k for k in range(1, len(de)) if de[k].paragraph != de[k - 1].paragraph)
    scorer = _Scorer(de_sides, en_sides, ratio, de_backtranslations, en_texts, breaks, variance)
    alignments = []
    links = _dp(len(de), len(en), scorer, SENTENCE_MOVES, band=SENTENCE_BAND)
    for i, di, j, dj, kind, cost in links:
        if kind == "swap":
            half = round(cost / 2, 4)
            alignments.append(Alignment("1-1", (de[i],), (en[j + 1],), half))
            alignments.append(Alignment("1-1", (de[i + 1],), (en[j],), half))
        else:
            alignments.append(
                Alignment(kind, tuple(de[i : i + di]), tuple(en[j : j + dj]), round(cost, 4))
            )
    return alignments


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
