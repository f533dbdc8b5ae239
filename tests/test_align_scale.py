"""The banded alignment: linear memory and time, the same links as a full search where
the band covers every cell (issue 13, item 20)."""

from __future__ import annotations

import random

from mtcheck.align import (
    MAX_BAND_SHIFT,
    PARAGRAPH_BAND,
    PARAGRAPH_MOVES,
    SENTENCE_BAND,
    SENTENCE_MOVES,
    _dp,
    pair_paragraphs,
)


class _Cells:
    """Costs from a seeded generator, one per link; counts the links scored."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.costs: dict[tuple, float] = {}

    def cost(self, i: int, di: int, j: int, dj: int, kind: str) -> float:
        key = (i, di, j, dj, kind)
        if key not in self.costs:
            self.costs[key] = self.rng.uniform(0.0, 5.0) + (0.0 if kind == "1-1" else 2.0)
        return self.costs[key]


def _covered(links, n: int, m: int) -> None:
    """The links cover both sides once, in order."""
    assert sum(di for _i, di, _j, _dj, _k, _c in links) == n
    assert sum(dj for _i, _di, _j, dj, _k, _c in links) == m
    position = (0, 0)
    for i, di, j, dj, _kind, _cost in links:
        assert (i, j) == position
        position = (i + di, j + dj)


def test_a_band_that_covers_every_cell_gives_the_full_search():
    for seed in range(30):
        rng = random.Random(seed)
        n, m = rng.randint(0, SENTENCE_BAND), rng.randint(0, SENTENCE_BAND)
        full = _dp(n, m, _Cells(seed), SENTENCE_MOVES)
        banded = _dp(n, m, _Cells(seed), SENTENCE_MOVES, band=SENTENCE_BAND)
        assert banded == full


def test_long_inputs_score_a_number_of_links_proportional_to_their_length():
    scored = {}
    for n in (300, 1200):
        cells = _Cells(1)
        _covered(_dp(n, n, cells, PARAGRAPH_MOVES, band=PARAGRAPH_BAND), n, n)
        scored[n] = len(cells.costs)
    assert scored[1200] < 4.2 * scored[300]  # four times the items, not sixteen


def test_very_different_counts_stay_banded_and_still_link_everything():
    cells = _Cells(2)
    n, m = 600, 200
    links = _dp(n, m, cells, SENTENCE_MOVES, band=SENTENCE_BAND)
    _covered(links, n, m)
    width = SENTENCE_BAND + MAX_BAND_SHIFT
    assert len(cells.costs) <= (n + 1) * (2 * width + 2) * len(SENTENCE_MOVES)
    # Far more on one side than rows on the other: every row still reaches the next.
    for n, m in ((3, 500), (500, 3), (1, 80)):
        _covered(_dp(n, m, _Cells(3), SENTENCE_MOVES, band=SENTENCE_BAND), n, m)


def test_pair_paragraphs_reports_progress():
    de = [f"Absatz {k}. Er hat zwei Sätze." for k in range(250)]
    en = [f"Paragraph {k}. It has two sentences." for k in range(250)]
    told = []
    pairs = pair_paragraphs(de, en, progress=lambda done, total: told.append((done, total)))
    assert pairs == [((k,), (k,)) for k in range(250)]
    assert told == [(0, 250), (200, 250)]
