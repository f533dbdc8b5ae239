"""Sentence splitting for German and English with SoMaJo, offsets kept.

SoMaJo is loaded once per language and only when text is split, so commands that need no
splitting (``--help``, ``model info``) never pay for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from mtcheck.model import Paragraph, Sentence

_LANGUAGES = {"de": "de_CMC", "en": "en_PTB"}


@cache
def _splitter(language: str):
    from somajo import SoMaJo

    return SoMaJo(_LANGUAGES[language], split_camel_case=False, character_offsets=True)


def split_paragraphs(paragraphs: Sequence[Paragraph], language: str) -> list[tuple[Sentence, ...]]:
    """Split each paragraph into sentences; ``paragraph.text[s.start:s.end] == s.text``."""
    if not paragraphs:
        return []
    splitter = _splitter(language)
    return [_sentences(splitter, paragraph) for paragraph in paragraphs]


def _sentences(splitter, paragraph: Paragraph) -> tuple[Sentence, ...]:
    text = paragraph.text
    spans: list[tuple[int, int]] = []
    for tokens in splitter.tokenize_text([text]):
        offsets = [token.character_offset for token in tokens if token.character_offset]
        if not offsets:
            continue
        spans.append((offsets[0][0], offsets[-1][1]))
    if not spans:
        return (Sentence(paragraph.index, 0, len(text), text),) if text.strip() else ()
    # Keep closing quotes or brackets that SoMaJo leaves between sentences with the sentence
    # before them, so that no character of the paragraph is lost from the report.
    merged: list[tuple[int, int]] = []
    for i, (start, end) in enumerate(spans):
        next_start = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        gap = text[end:next_start]
        end += len(gap.rstrip())
        merged.append((start, end))
    merged = _keep_code_whole(merged, paragraph)
    return tuple(Sentence(paragraph.index, s, e, text[s:e]) for s, e in merged)


def _keep_code_whole(spans: list[tuple[int, int]], paragraph: Paragraph) -> list[tuple[int, int]]:
    """Join sentences split inside inline code (SoMaJo ends one at "python3." of
    "python3.11"): code is one piece of the sentence it stands in."""
    code = [(m.start, m.end) for m in paragraph.markup if m.kind == "code" and m.end > m.start]
    if not code:
        return spans
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and any(s < start and joined[-1][1] < e for s, e in code):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined
