"""The ``check`` pipeline: read -> segment -> back-translate -> align -> score -> flag.

Each stage is a function of the previous stages' records (mtcheck.model); nothing flows
backwards. Back-translation runs per German sentence, before alignment, because the
alignment uses the back-translations to choose between candidate links.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mtcheck import __version__, evaluate
from mtcheck.align import (
    VARIANCE,
    align_sentences,
    informative,
    join_paragraphs,
    length_model,
    length_ratio,
    pair_paragraphs,
)
from mtcheck.errors import InputError
from mtcheck.flags import RuleSettings
from mtcheck.io import read_document
from mtcheck.model import (
    Alignment,
    Document,
    DocumentResult,
    Flag,
    Markup,
    ModelInfo,
    Paragraph,
    Result,
    Segment,
    SegmentResult,
    Sentence,
)
from mtcheck.segment import split_paragraphs


def run_check(
    pairs: Sequence[tuple[Path, Path | None]],
    *,
    translator=None,
    rules=None,
    progress: Callable[[str], None] | None = None,
    flag_cache=None,
    read: Sequence[tuple[Document, Document | None]] | None = None,
) -> Result:
    """Check each (draft, reference) pair; ``translator`` None means flags only.

    ``progress`` is told, in a few words, which stage starts (for a status line);
    ``flag_cache`` (a :class:`mtcheck.flags.cache.FlagCache`) serves unchanged documents;
    ``read``, one entry a pair, holds the pairs as :func:`read_pair` already read them.
    """
    rules = rules or RuleSettings()
    documents = tuple(
        check_document(
            t,
            r,
            translator=translator,
            rules=rules,
            progress=progress,
            flag_cache=flag_cache,
            read=None if read is None else read[i],
        )
        for i, (t, r) in enumerate(pairs)
    )
    model: ModelInfo | None = translator.info if translator is not None else None
    return Result(version=__version__, model=model, documents=documents)


def read_pair(target_path: Path, reference_path: Path | None) -> tuple[Document, Document | None]:
    """The draft and its English: the reference file, or the records' own references."""
    target = read_document(target_path, "de")
    return target, _references(target, reference_path)


def _references(target: Document, reference_path: Path | None) -> Document | None:
    inline = [p for p in target.paragraphs if p.reference]
    if inline and reference_path is not None:
        raise InputError(
            f"{target.path}: the records carry their own 'reference' and --reference "
            f"{reference_path} was given too; use one or the other."
        )
    if reference_path is not None:
        return read_document(reference_path, "en")
    if inline:
        # One reference paragraph per record, empty where a record has none, so that
        # German and English paragraphs pair by index.
        paragraphs = tuple(
            Paragraph(
                index=p.index,
                text=p.reference or "",
                line=p.line,
                column=1,
                markup=p.reference_markup,
            )
            for p in target.paragraphs
        )
        return Document(path=target.path, paragraphs=paragraphs, language="en")
    return None


def check_document(
    target_path: Path,
    reference_path: Path | None,
    *,
    translator=None,
    rules=None,
    progress: Callable[[str], None] | None = None,
    flag_cache=None,
    read: tuple[Document, Document | None] | None = None,
) -> DocumentResult:
    rules = rules or RuleSettings()
    tell = progress or (lambda _message: None)
    tell(f"Reading {target_path}")
    target, reference = read if read is not None else read_pair(target_path, reference_path)
    _check_suppressed(target, rules)
    inline = reference is not None and reference.path == target.path

    de_sentences = _split(target.paragraphs, "de", tell, f"the German of {target_path}")
    en_sentences = (
        _split(reference.paragraphs, "en", tell, f"the English of {target_path}")
        if reference
        else []
    )

    backtranslations = _backtranslate(translator, de_sentences, tell, target_path)
    links = _align(target, reference, de_sentences, en_sentences, inline, backtranslations, tell)
    segments = _segments(target, reference, links)
    results = _evaluate(
        segments, translator, backtranslations, rules, flag_cache, tell, target_path
    )
    results = tuple(
        dataclasses.replace(result, flags=_reported(result.flags, result.segment, target))
        for result in results
    )
    return DocumentResult(
        path=str(target_path),
        reference_path=str(reference_path) if reference_path else None,
        scores=evaluate.document_scores(results) if translator is not None else None,
        segments=results,
    )


# Back-translations of a document's German sentences by (paragraph, start) of the sentence.
_SentenceTranslations = dict[tuple[int, int], str]


def _backtranslate(
    translator, de_sentences, tell: Callable[[str], None], target_path: Path
) -> _SentenceTranslations | None:
    """The model's English for every German sentence (None without a model): sentence by
    sentence, before alignment, which uses them to choose between candidate links."""
    if translator is None:
        return None
    flat = [s for sentences in de_sentences for s in sentences]
    tell(f"Back-translating {len(flat)} sentences of {target_path}")
    texts = evaluate.backtranslate(translator, [s.text for s in flat])
    return {(s.paragraph, s.start): text for s, text in zip(flat, texts, strict=True)}


def _evaluate(
    segments: list[Segment],
    translator,
    backtranslations: _SentenceTranslations | None,
    rules,
    flag_cache,
    tell: Callable[[str], None],
    target_path: Path,
) -> tuple[SegmentResult, ...]:
    """Each segment scored (with a model) and flagged, by the segment core."""
    segment_bts = None
    segment_adequacy = None
    if backtranslations is not None:
        # A segment's back-translation is that of its sentences (none for a 0-1 link: "").
        segment_bts = [
            " ".join(backtranslations[(s.paragraph, s.start)] for s in segment.sentences)
            for segment in segments
        ]
        scored = sum(1 for s in segments if s.reference and s.target)
        tell(f"Scoring {scored} segments of {target_path}")
        segment_adequacy = evaluate.adequacy(translator, segments)
    tell(f"Checking the German of {target_path} ({len(segments):,} segments)")
    return evaluate.evaluate(
        segments,
        rules,
        backtranslations=segment_bts,
        adequacy=segment_adequacy,
        flag_cache=flag_cache,
    )


def align_document(target_path: Path, reference_path: Path | None) -> list[Segment]:
    """The segments of one draft as ``check`` makes them without back-translations: read,
    split into sentences and aligned with the reference (``reference_path``, the records'
    own references, or none). For ``mtcheck audit``, which flags them in batches."""
    target, reference = read_pair(target_path, reference_path)
    inline = reference is not None and reference.path == target.path
    de_sentences = split_paragraphs(target.paragraphs, "de")
    en_sentences = split_paragraphs(reference.paragraphs, "en") if reference else []
    links = _align(target, reference, de_sentences, en_sentences, inline, None)
    return _segments(target, reference, links)


# Paragraphs split between two progress reports on long documents.
_SPLIT_CHUNK = 1000


def _split(
    paragraphs: Sequence[Paragraph], language: str, tell: Callable[[str], None], what: str
) -> list[tuple[Sentence, ...]]:
    """:func:`split_paragraphs`, telling how far it got (splitting is most of the time a
    flags-only check of a long document takes)."""
    sentences: list[tuple[Sentence, ...]] = []
    for start in range(0, len(paragraphs), _SPLIT_CHUNK):
        if len(paragraphs) > _SPLIT_CHUNK:
            tell(f"Splitting {what} into sentences: {start:,} of {len(paragraphs):,} paragraphs")
        sentences += split_paragraphs(paragraphs[start : start + _SPLIT_CHUNK], language)
    return sentences


def _reported(flags: Sequence[Flag], segment: Segment, target: Document) -> tuple[Flag, ...]:
    """The segment's flags placed in the file, less those the file's own suppression
    comments or notes switch off where the flag starts."""
    off = target.paragraphs[segment.paragraph - 1].suppressed
    placed = (_place(flag, segment, target) for flag in flags)
    return tuple(
        flag
        for flag in placed
        if not any(rule == flag.rule and first <= flag.line <= last for rule, first, last in off)
    )


def _check_suppressed(target: Document, rules) -> None:
    """A suppression that names no rule would silently suppress nothing: refuse it."""
    known = rules.rules()
    for paragraph in target.paragraphs:
        for name, first, _last in paragraph.suppressed:
            if name not in known:
                close = difflib.get_close_matches(name, list(known), n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise InputError(
                    f"{target.path}:{max(first, paragraph.line)}: {name!r} in an mtcheck-disable "
                    f"comment or note is no rule; {hint}`mtcheck rules` lists them."
                )


def _place(flag: Flag, segment: Segment, target: Document) -> Flag:
    paragraph = target.paragraphs[segment.paragraph - 1]
    line, column = paragraph.position(segment.start + flag.span[0])
    return dataclasses.replace(flag, line=line, column=column)


# A link: (German paragraph index 1-based, Alignment, English paragraph or None)
_Link = tuple[int, Alignment, Paragraph | None]


def _align(
    target: Document,
    reference: Document | None,
    de_sentences: list[tuple[Sentence, ...]],
    en_sentences: list[tuple[Sentence, ...]],
    inline: bool,
    backtranslations: dict[tuple[int, int], str] | None,
    tell: Callable[[str], None] | None = None,
) -> list[_Link]:
    if reference is None:
        return [
            (p.index, Alignment("1-0", (s,), ()), None)
            for p, sentences in zip(target.paragraphs, de_sentences, strict=True)
            for s in sentences
        ]
    sides = _Sides(target, reference, de_sentences, en_sentences, inline, tell)
    ratio = length_ratio(
        [p.text for p in target.paragraphs], [p.text for p in reference.paragraphs]
    )
    # A first alignment with Gale & Church's variance of lengths gives the document's own
    # ratio and variance; the paragraph pairs stay.
    pairs = _paragraph_pairs(sides, ratio, None)
    links = _link_sentences(sides, pairs, ratio, VARIANCE, None)
    ratio, variance = length_model([link for _p, link, _e in links], ratio)
    links = _link_sentences(sides, pairs, ratio, variance, None)
    if backtranslations is not None:
        one_to_one = [link for _p, link, _e in links if link.kind == "1-1"]
        if informative(
            [backtranslations[(a.target[0].paragraph, a.target[0].start)] for a in one_to_one],
            [a.reference[0].text for a in one_to_one],
        ):
            pairs = _paragraph_pairs(sides, ratio, backtranslations)
            links = _link_sentences(sides, pairs, ratio, variance, backtranslations)
    return links


@dataclass(frozen=True)
class _Sides:
    """The two sides of one document's alignment."""

    target: Document
    reference: Document
    de_sentences: list[tuple[Sentence, ...]]
    en_sentences: list[tuple[Sentence, ...]]
    inline: bool  # the records' own references: paragraphs pair by index
    tell: Callable[[str], None] | None


def _paragraph_pairs(
    sides: _Sides, ratio: float, backtranslations: dict[tuple[int, int], str] | None
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """German and English paragraphs paired (by index for inline references)."""
    if sides.inline:
        return [
            ((i,), (i,) if sides.en_sentences[i] else ())
            for i in range(len(sides.target.paragraphs))
        ]

    def aligned(done: int, total: int) -> None:
        if sides.tell is not None:
            sides.tell(f"Aligning the paragraphs of {sides.target.path}: {done:,} of {total:,}")

    bt_paragraphs = (
        [
            " ".join(backtranslations[(s.paragraph, s.start)] for s in ss)
            for ss in sides.de_sentences
        ]
        if backtranslations is not None
        else None
    )
    return pair_paragraphs(
        [p.text for p in sides.target.paragraphs],
        [p.text for p in sides.reference.paragraphs],
        ratio=ratio,
        de_backtranslations=bt_paragraphs,
        de_sentences=[[s.text for s in ss] for ss in sides.de_sentences],
        en_sentences=[[s.text for s in ss] for ss in sides.en_sentences],
        progress=aligned,
    )


def _link_sentences(
    sides: _Sides,
    pairs,
    ratio: float,
    variance: float,
    backtranslations: dict[tuple[int, int], str] | None,
) -> list[_Link]:
    """The sentence links within each paragraph pair."""
    links: list[_Link] = []
    last_de = 1
    for de_indices, en_indices in pairs:
        de = tuple(s for k in de_indices for s in sides.de_sentences[k])
        owner = {s: k + 1 for k in de_indices for s in sides.de_sentences[k]}
        en_paragraph, en = join_paragraphs(
            sides.reference.paragraphs, sides.en_sentences, en_indices
        )
        if de_indices:
            last_de = de_indices[0] + 1
        bts = (
            [backtranslations[(s.paragraph, s.start)] for s in de]
            if backtranslations is not None
            else None
        )
        for alignment in align_sentences(
            de, en, ratio=ratio, de_backtranslations=bts, variance=variance
        ):
            if alignment.target:  # a 2-1 paragraph pair holds two German paragraphs
                last_de = owner[alignment.target[0]]
            links.append((last_de, alignment, en_paragraph))
    return links


def _segments(target: Document, reference: Document | None, links: list[_Link]) -> list[Segment]:
    segments: list[Segment] = []
    counters: dict[int, int] = {}
    ends: dict[int, int] = {}
    for paragraph_index, alignment, en_paragraph in links:
        paragraph = target.paragraphs[paragraph_index - 1]
        counters[paragraph_index] = counters.get(paragraph_index, 0) + 1
        if alignment.target:
            start = alignment.target[0].start
            end = alignment.target[-1].end
            text = paragraph.text[start:end]
            ends[paragraph_index] = end
        else:
            start = ends.get(paragraph_index, 0)
            text = ""
        reference_text = None
        reference_markup: tuple[Markup, ...] = ()
        if alignment.reference and en_paragraph is not None:
            en_start, en_end = alignment.reference[0].start, alignment.reference[-1].end
            reference_text = en_paragraph.text[en_start:en_end]
            reference_markup = _markup_within(en_paragraph.markup, en_start, en_end)
        base = paragraph.id if paragraph.id is not None else str(paragraph_index)
        line, column = paragraph.position(start)
        segments.append(
            Segment(
                id=f"{base}.{counters[paragraph_index]}",
                paragraph=paragraph_index,
                target=text,
                reference=reference_text,
                alignment=alignment.kind if reference is not None else None,
                start=start,
                line=line,
                column=column,
                sentences=alignment.target,
                markup=_markup_within(paragraph.markup, start, start + len(text)),
                reference_markup=reference_markup,
            )
        )
    return segments


def _markup_within(markup: tuple[Markup, ...], start: int, end: int) -> tuple[Markup, ...]:
    """The items that start in ``[start, end)`` (or at ``end``, for an empty item after the
    last sentence), re-based on ``start`` and cut at ``end``."""
    return tuple(
        dataclasses.replace(
            item, start=item.start - start, end=max(min(item.end, end), item.start) - start
        )
        for item in markup
        if start <= item.start < end or item.start == end > start and item.end == end
    )
