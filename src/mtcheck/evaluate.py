"""The one segment core: back-translate, score and flag a batch of segments.

    segments -> back-translations, adequacy (the model) -> scores -> flags -> SegmentResults

``check`` (:func:`mtcheck.pipeline.check_document`), the audit's local engine and its Ray
actors all go through here; nothing else computes scores or flags. The model's part
(:func:`backtranslate`, :func:`adequacy`) is apart from the rest (:func:`evaluate`) because
the audit runs them in different processes, and ``check`` back-translates sentences before
it aligns them into segments.

A batch is one or more whole documents (``runs``: the number of segments of each, in
order): the document-level rules compare the segments of one document with each other.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from mtcheck import flags as flag_rules
from mtcheck.model import DocumentScores, Flag, Scores, Segment, SegmentResult
from mtcheck.score import Scorer, segment_statistics

_SCORER: Scorer | None = None


def _scorer() -> Scorer:
    """One scorer per process: its metric objects keep no result between segments."""
    global _SCORER
    if _SCORER is None:
        _SCORER = Scorer()
    return _SCORER


def backtranslate(translator, texts: Sequence[str]) -> tuple[str, ...]:
    """The model's English for each German text, in order ("" for a blank one)."""
    return tuple(translation.text for translation in translator.translate(list(texts)))


def adequacy(translator, segments: Sequence[Segment]) -> tuple[float | None, ...]:
    """The model's adequacy (average log-probability per token of the reference given the
    German) of each segment with both German and a reference; None for the others, and
    where the model gives none (NaN, a blank text)."""
    wanted = [k for k, segment in enumerate(segments) if segment.target and segment.reference]
    values: list[float | None] = [None] * len(segments)
    if wanted:
        found = translator.score(
            [segments[k].target for k in wanted], [segments[k].reference for k in wanted]
        )
        for k, value in zip(wanted, found, strict=True):
            values[k] = None if value is None or math.isnan(value) else value
    return tuple(values)


def scores(
    segments: Sequence[Segment],
    backtranslations: Sequence[str | None],
    adequacy: Sequence[float | None],
) -> tuple[Scores | None, ...]:
    """chrF, BLEU and TER of each segment's back-translation against its reference (None
    without a reference), with its adequacy."""
    scorer = _scorer()
    return tuple(
        scorer.segment(backtranslation or "", segment.reference, value)
        if segment.reference
        else None
        for segment, backtranslation, value in zip(
            segments, backtranslations, adequacy, strict=True
        )
    )


def flags(
    segments: Sequence[Segment],
    segment_scores: Sequence[Scores | None],
    rules,
    runs: Sequence[int] | None = None,
    flag_cache=None,
) -> list[tuple[Flag, ...]]:
    """The flags of each segment, document run by document run (``flag_cache``, a
    :class:`mtcheck.flags.cache.FlagCache`, serves runs it has seen)."""
    found: list[tuple[Flag, ...]] = []
    start = 0
    for length in runs if runs is not None else (len(segments),):
        part = list(segments[start : start + length])
        part_scores = list(segment_scores[start : start + length])
        # Looked up on the package at each call, so that a test may count the calls.
        compute = flag_rules.check_segments
        if flag_cache is not None:
            found.extend(flag_cache.check(part, part_scores, rules, compute))
        else:
            found.extend(compute(part, part_scores, rules))
        start += length
    return found


def evaluate(
    segments: Sequence[Segment],
    rules,
    *,
    backtranslations: Sequence[str | None] | None = None,
    adequacy: Sequence[float | None] | None = None,
    runs: Sequence[int] | None = None,
    flag_cache=None,
) -> tuple[SegmentResult, ...]:
    """Score (where there are ``backtranslations``, one per segment) and flag ``segments``:
    one result each, in order. Flags leave ``line``/``column`` at 0."""
    if backtranslations is None:
        segment_scores: Sequence[Scores | None] = [None] * len(segments)
    else:
        values = adequacy if adequacy is not None else [None] * len(segments)
        segment_scores = scores(segments, backtranslations, values)
    found = flags(segments, segment_scores, rules, runs, flag_cache)
    return tuple(
        SegmentResult(
            segment=segment,
            backtranslation=None if backtranslations is None else backtranslations[k],
            scores=segment_scores[k],
            flags=tuple(found[k]),
        )
        for k, segment in enumerate(segments)
    )


def document_scores(results: Sequence[SegmentResult]) -> DocumentScores | None:
    """Corpus scores of the segments with a reference (None when there is none, or no
    back-translation)."""
    scored = [r for r in results if r.segment.reference and r.backtranslation is not None]
    if not scored:
        return None
    return _scorer().document(
        [r.backtranslation or "" for r in scored], [r.segment.reference for r in scored]
    )


def statistics(result: SegmentResult) -> dict[str, list] | None:
    """The sacrebleu statistics behind the corpus scores of a scored segment (None for
    one without scores), for sums over documents and groups."""
    if result.scores is None or not result.segment.reference:
        return None
    return segment_statistics(result.backtranslation or "", result.segment.reference)
