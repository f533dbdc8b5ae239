"""BLEU, chrF and TER from sacrebleu, for segments and documents, with their signatures.

The back-translation is the hypothesis and the English reference the reference. Segment
BLEU uses effective order (sacrebleu's recommendation for sentence-level BLEU); document
scores are sacrebleu corpus scores over the document's aligned segments, so they are not
averages of segment scores. :func:`bootstrap` gives corpus figures their 95% intervals as
sacrebleu's bootstrap does (the audit's per-group table).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mtcheck.model import DocumentScores, Scores

# Corpus metrics, with sacrebleu's defaults (13a tokenization, exponential smoothing): their
# statistics add up over segments, documents and groups.
CORPUS_METRICS = ("bleu", "chrf", "ter")


class Scorer:
    """Segment and document scores; one metric object per metric, so signatures describe
    exactly what was run."""

    def __init__(self) -> None:
        from sacrebleu.metrics import BLEU, CHRF, TER

        self._sentence_bleu = BLEU(effective_order=True)
        # sacrebleu knows a signature only after an evaluation; one tiny call makes the
        # sentence-BLEU signature available even when no segment has been scored yet.
        self._sentence_bleu.sentence_score("", [""])
        self._chrf = CHRF()
        self._ter = TER()

    def segment(self, hypothesis: str, reference: str, adequacy: float | None = None) -> Scores:
        refs = [reference]
        return Scores(
            chrf=round(self._chrf.sentence_score(hypothesis, refs).score, 2),
            bleu=round(self._sentence_bleu.sentence_score(hypothesis, refs).score, 2),
            ter=round(self._ter.sentence_score(hypothesis, refs).score, 2),
            adequacy=None if adequacy is None or math.isnan(adequacy) else round(adequacy, 4),
        )

    def document(self, hypotheses: Sequence[str], references: Sequence[str]) -> DocumentScores:
        """Corpus scores of aligned segments: sacrebleu's ``corpus_score``, computed from the
        segments' summed statistics as it does."""
        from sacrebleu.utils import sum_of_lists

        per_segment = [
            segment_statistics(h, r) for h, r in zip(hypotheses, references, strict=True)
        ]
        figures = {
            name: round(
                corpus_from_statistics(name, sum_of_lists([s[name] for s in per_segment])), 2
            )
            for name in CORPUS_METRICS
        }
        signatures = corpus_signatures()
        signatures["segment_bleu"] = self._sentence_bleu.get_signature().format()
        return DocumentScores(
            bleu=figures["bleu"], chrf=figures["chrf"], ter=figures["ter"], signatures=signatures
        )


_CORPUS = None


def corpus_metrics() -> dict:
    """The corpus metric objects by name (one set per process: they hold no result)."""
    global _CORPUS
    if _CORPUS is None:
        from sacrebleu.metrics import BLEU, CHRF, TER

        _CORPUS = {"bleu": BLEU(), "chrf": CHRF(), "ter": TER()}
    return _CORPUS


def segment_statistics(hypothesis: str, reference: str) -> dict[str, list]:
    """The sacrebleu statistics of one segment for each corpus metric: summed over segments,
    they give the corpus score (:func:`corpus_from_statistics`)."""
    return {
        name: _statistics(metric, hypothesis, reference)
        for name, metric in corpus_metrics().items()
    }


def corpus_from_statistics(name: str, sums) -> float:
    """The corpus score of metric ``name`` (unrounded) from statistics summed over segments."""
    return _score_from_statistics(corpus_metrics()[name], sums)


def corpus_signatures() -> dict[str, str]:
    """The corpus metrics' signatures, for one reference per segment."""
    signatures = {}
    for name, metric in corpus_metrics().items():
        metric.corpus_score(["a"], [["a"]])  # a signature names the number of references
        signatures[name] = metric.get_signature().format()
    return signatures


# sacrebleu has no public API for a segment's statistics or for a score from summed
# statistics (its own bootstrap and paired tests call these two methods); they are called
# here and nowhere else.


def _statistics(metric, hypothesis: str, reference: str) -> list:
    return metric._extract_corpus_statistics([hypothesis], [[reference]])[0]


def _score_from_statistics(metric, sums) -> float:
    return metric._compute_score_from_stats(sums).score


# -- bootstrap confidence intervals ------------------------------------------------------------
#
# sacrebleu's bootstrap (``corpus_score(..., n_bootstrap=1000)``, ``sacrebleu --confidence`` and
# its paired bootstrap test) draws the indices of every resample at once with
# ``numpy.random.default_rng(12345).choice(n, size=(resamples, n))``, recomputes the corpus
# score from the summed sentence statistics of each resample, and reports the mean of the
# resampled scores with a 95% interval ``mean ± ci`` (``sacrebleu.significance.estimate_ci``:
# half the distance between the 2.5th and 97.5th percentiles). :func:`bootstrap` does the same
# over statistics that are already extracted (the audit keeps them per segment), with the same
# draws in the same order, but in chunks of resamples, each turned into counts (how often each
# segment is drawn), so that memory stays bounded for corpora of millions of segments. Two
# groups with the same number of segments get the same draws: for systems that translated the
# same test set in the same order this is sacrebleu's *paired* bootstrap.

BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 12345  # sacrebleu's default (its SACREBLEU_SEED)
_CHUNK_CELLS = 1 << 22  # drawn indices held at once (32 MiB)


@dataclass(frozen=True)
class Interval:
    """A corpus figure with its bootstrap estimate, as sacrebleu prints ``score (μ = mean ±
    ci)``."""

    score: float  # on every segment
    mean: float  # mean of the resampled scores
    ci: float  # half-width of the 95% interval around ``mean``

    @property
    def low(self) -> float:
        return self.mean - self.ci

    @property
    def high(self) -> float:
        return self.mean + self.ci

    def as_dict(self, digits: int = 2) -> dict:
        return {
            "score": round(self.score, digits),
            "mean": round(self.mean, digits),
            "ci": round(self.ci, digits),
            "low": round(self.low, digits),
            "high": round(self.high, digits),
        }


def resample_counts(n: int, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED):
    """Chunks of a ``(resamples, n)`` matrix: how often each of ``n`` segments is drawn in
    each resample, from the same draws as sacrebleu's single ``choice(n, (resamples, n))``
    (numpy's generator gives the same stream whether the rows are drawn at once or in
    chunks)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    per_chunk = max(1, _CHUNK_CELLS // max(n, 1))
    left = resamples
    while left > 0:
        k = min(per_chunk, left)
        drawn = rng.choice(n, size=(k, n), replace=True)
        drawn += (np.arange(k) * n)[:, None]  # row r counts into cells r*n .. r*n+n-1
        yield np.bincount(drawn.ravel(), minlength=k * n).reshape(k, n)
        left -= k


def bootstrap(
    columns: dict[str, tuple[object, Callable[[object], float]]],
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> dict[str, Interval]:
    """Bootstrap intervals of corpus figures computed from summed per-segment statistics.

    ``columns``: name -> (statistics, an ``(n, d)`` array with one row per segment, the same
    ``n`` for every name; a function from summed statistics to the figure). Every figure is
    computed on the same resamples (paired)."""
    import numpy as np
    from sacrebleu.significance import estimate_ci

    arrays = {name: np.asarray(stats, dtype=np.float64) for name, (stats, _f) in columns.items()}
    sizes = {len(array) for array in arrays.values()}
    if len(sizes) != 1 or 0 in sizes:
        raise ValueError("bootstrap() needs one non-zero number of segments for every figure")
    (n,) = sizes
    values: dict[str, list[float]] = {name: [] for name in columns}
    for counts in resample_counts(n, resamples, seed):
        weights = counts.astype(np.float64)
        for name, array in arrays.items():
            figure = columns[name][1]
            values[name].extend(figure(sums) for sums in weights @ array)
    intervals = {}
    for name, array in arrays.items():
        mean, ci = estimate_ci(np.array(values[name]))
        point = float(columns[name][1](array.sum(axis=0)))
        intervals[name] = Interval(point, float(mean), float(ci))
    return intervals


def metric_figure(metric) -> Callable[[object], float]:
    """The corpus score of a sacrebleu metric (an object, or a name of
    :data:`CORPUS_METRICS`) from summed sentence statistics (what its own bootstrap computes
    for each resample)."""
    if isinstance(metric, str):
        metric = corpus_metrics()[metric]
    return lambda sums: _score_from_statistics(metric, sums)
