"""BLEU, chrF and TER from sacrebleu, for segments and documents, with their signatures.

The back-translation is the hypothesis and the English reference the reference. Segment
BLEU uses effective order (sacrebleu's recommendation for sentence-level BLEU); document
scores are sacrebleu corpus scores over the document's aligned segments, so they are not
averages of segment scores.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from mtcheck.model import DocumentScores, Scores


class Scorer:
    """Holds one metric object per metric, so signatures describe exactly what was run."""

    def __init__(self) -> None:
        from sacrebleu.metrics import BLEU, CHRF, TER

        self._sentence_bleu = BLEU(effective_order=True)
        # sacrebleu knows a signature only after an evaluation; one tiny call makes the
        # sentence-BLEU signature available even when no segment has been scored yet.
        self._sentence_bleu.sentence_score("", [""])
        self._bleu = BLEU()
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
        refs = [list(references)]
        hyps = list(hypotheses)
        bleu = self._bleu.corpus_score(hyps, refs).score
        chrf = self._chrf.corpus_score(hyps, refs).score
        ter = self._ter.corpus_score(hyps, refs).score
        return DocumentScores(
            bleu=round(bleu, 2),
            chrf=round(chrf, 2),
            ter=round(ter, 2),
            signatures={
                "bleu": self._bleu.get_signature().format(),
                "chrf": self._chrf.get_signature().format(),
                "ter": self._ter.get_signature().format(),
                "segment_bleu": self._sentence_bleu.get_signature().format(),
            },
        )
