"""Tokenization and length-sorted batching, shared by the marian and ctranslate2 backends.

Both backends see the same token ids (``MarianTokenizer``'s, computed in batches by
:mod:`mtcheck.backtranslate.tokens`), the same output bounds and the same batches, so their
results differ only by the engine that computes them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from mtcheck.backtranslate.settings import DecodingSettings, auto_max_new_tokens


class TokenizedBackend:
    """What a backend needs before its engine runs: token ids, output bounds, batches.

    Subclasses set ``settings``, ``_tokens`` (:func:`mtcheck.backtranslate.tokens.fast_tokens`
    over the model's tokenizer), ``_max_len`` (longest input in tokens) and ``_max_output``
    (the model's ``max_length``, decoder start token included).
    """

    settings: DecodingSettings
    device: str | None  # "cpu" or "cuda" once loaded
    _tokens: Any
    _max_len: int
    _max_output: int

    def _encode(self, texts: Sequence[str], *, target: bool = False) -> list[list[int]]:
        return self._tokens.encode(texts, target=target, max_length=self._max_len - 1)

    def _output_bound(self, source_tokens: int) -> int:
        cap = self._max_output - 1  # the decoder start token counts towards max_length
        if self.settings.max_new_tokens is not None:
            return min(cap, self.settings.max_new_tokens)
        return auto_max_new_tokens(source_tokens, cap)

    def _translation_batches(
        self, texts: Sequence[str]
    ) -> tuple[list[list[int]], list[int], Iterator[list[int]]]:
        """Source ids, each source's output bound, and batches of indices sorted by length.

        A batch never mixes bounds, so a sentence translates the same whatever shares it.
        A sentence costs its source length or its output bound, whichever is larger: the
        beam search's memory (the decoder's cached keys and values) grows with the output
        length, and a random or degenerate model runs every output to its bound.
        """
        source_ids = self._encode(texts)
        bounds = [self._output_bound(len(ids)) for ids in source_ids]
        order = sorted(range(len(texts)), key=lambda i: (bounds[i], len(source_ids[i])))
        batches = _batches(
            order,
            self.settings.sentences_per_batch(self.device),
            key=bounds.__getitem__,
            cost=lambda i: max(len(source_ids[i]), bounds[i]),
            budget=self.settings.token_budget(self.device),
        )
        return source_ids, bounds, batches

    def _scoring_batches(
        self, sources: Sequence[str], targets: Sequence[str], budget: int | None = None
    ) -> tuple[list[list[int]], list[list[int]], Iterator[list[int]]]:
        """Source and target ids, and batches of indices sorted by length.

        ``budget`` (padded tokens per batch) lowers the settings' token budget, for an
        engine that holds every target position's full vocabulary scores at once.
        """
        source_ids = self._encode(sources)
        target_ids = self._encode(targets, target=True)
        order = sorted(range(len(sources)), key=lambda i: (len(target_ids[i]), len(source_ids[i])))
        batches = _batches(
            order,
            self.settings.sentences_per_batch(self.device),
            cost=lambda i: max(len(source_ids[i]), len(target_ids[i])),
            budget=min(self.settings.token_budget(self.device), budget or 1 << 62),
        )
        return source_ids, target_ids, batches


def _batches(
    order: list[int], size: int, key=None, cost=None, budget: int | None = None
) -> Iterator[list[int]]:
    """Consecutive runs of ``order`` of at most ``size``; a run never spans two ``key`` values.

    With ``cost`` (tokens of one item) and ``budget``, a run also stays within ``budget``
    padded tokens: its length times its largest ``cost`` (an item over budget runs alone).
    ``order`` should be sorted by length, so that runs carry little padding.
    """
    batch: list[int] = []
    widest = 0
    for index in order:
        width = cost(index) if cost is not None else 0
        if batch and (
            len(batch) >= size
            or (key is not None and key(index) != key(batch[0]))
            or (budget is not None and (len(batch) + 1) * max(widest, width) > budget)
        ):
            yield batch
            batch = []
            widest = 0
        batch.append(index)
        widest = max(widest, width)
    if batch:
        yield batch
