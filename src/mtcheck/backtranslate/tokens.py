"""MarianMT tokenization at engine speed, with the ids and texts of ``MarianTokenizer``.

``MarianTokenizer`` runs SentencePiece one text at a time behind several layers of Python
(added-token splitting, per-piece lookups, per-row decoding): about 10,000 texts a second
on one core, which on a GPU is slower than the model itself (scoring a pair tokenizes two
texts). :class:`FastTokens` does the same work in batches: SentencePiece's batch
``encode``/``decode`` (C++, over all cores) and one dictionary lookup per piece.

It gives the same ids and the same decoded texts as the tokenizer it wraps, which stays
the reference: texts the batch path does not reproduce exactly are handed to it one by
one (a text containing one of the tokenizer's special-token strings such as ``</s>``,
which ``MarianTokenizer`` turns into that token; a text starting with a ``>>xx<<``
language code; an id outside the vocabulary). A tokenizer set up in a way this module does
not reproduce (separate source and target vocabularies, added tokens, clean-up of
tokenization spaces, ...) is not wrapped at all: :func:`fast_tokens` then returns an
object that calls the tokenizer for everything. ``tests/test_tokens.py`` compares both on
the corpora, on hostile texts and on random ids.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

SPIECE_UNDERLINE = "\u2581"


class SlowTokens:
    """The same interface, answered by ``MarianTokenizer`` itself."""

    fast = False

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer
        self.eos_token = tokenizer.eos_token
        self.vocabulary_size = max(1, len(tokenizer))

    def encode(self, texts: Sequence[str], *, target: bool = False, max_length: int) -> list:
        """Ids of each text, ``</s>`` appended, at most ``max_length`` ids."""
        if not texts:
            return []
        kwargs = {"text_target": list(texts)} if target else {"text": list(texts)}
        return self.tokenizer(**kwargs, truncation=True, max_length=max_length)["input_ids"]

    def decode(self, rows: Sequence[Sequence[int]]) -> list[str]:
        """The text of each row of ids, special tokens left out, stripped."""
        if not rows:
            return []
        return [text.strip() for text in self.tokenizer.batch_decode(
            [list(row) for row in rows], skip_special_tokens=True
        )]

    def pieces(self, ids: Sequence[int]) -> list[str]:
        return self.tokenizer.convert_ids_to_tokens(list(ids))

    def ids(self, pieces: Sequence[str]) -> list[int]:
        return self.tokenizer.convert_tokens_to_ids(list(pieces))


class FastTokens(SlowTokens):
    """Batch SentencePiece with ``MarianTokenizer``'s results (see the module docstring)."""

    fast = True

    def __init__(self, tokenizer: Any) -> None:
        super().__init__(tokenizer)
        self._source = tokenizer.spm_source
        self._target = tokenizer.spm_target
        vocab = tokenizer.get_vocab()
        self._piece_to_id = vocab
        self._unk = vocab[tokenizer.unk_token]
        self._eos = tokenizer.eos_token_id
        size = max(vocab.values()) + 1
        table: list[str | None] = [None] * size
        for piece, index in vocab.items():
            table[index] = piece
        self._id_to_piece = table
        self._special_ids = frozenset(tokenizer.all_special_ids)
        self._special_strings = tuple(sorted(set(tokenizer.all_special_tokens), key=len))
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
        self._threads = max(1, min(8, cpus or os.cpu_count() or 1))
        # Which SentencePiece model turns output pieces into text differs between versions
        # of transformers (the target model in 4.x, the source model in 5.x when both sides
        # share one vocabulary): take the one that reproduces the tokenizer.
        self._decoder_spm = _decoder_model(tokenizer, self._id_to_piece, self._special_ids)
        if self._decoder_spm is None:
            raise ValueError("no SentencePiece model reproduces the tokenizer's decoding")

    def _slow_text(self, text: str) -> bool:
        return text.startswith(">>") or any(token in text for token in self._special_strings)

    def encode(self, texts: Sequence[str], *, target: bool = False, max_length: int) -> list:
        if not texts:
            return []
        spm = self._target if target else self._source
        keep = max(0, max_length - 1)  # room for </s>
        lookup = self._piece_to_id.get
        unk = self._unk
        out: list[list[int] | None] = [None] * len(texts)
        fast = [i for i, text in enumerate(texts) if not self._slow_text(text)]
        if fast:
            pieces = spm.encode([texts[i] for i in fast], out_type=str,
                                num_threads=self._threads)
            for i, row in zip(fast, pieces, strict=True):
                ids = [lookup(piece, unk) for piece in row[:keep]]
                ids.append(self._eos)
                out[i] = ids
        slow = [i for i, row in enumerate(out) if row is None]
        if slow:
            encoded = super().encode([texts[i] for i in slow], target=target,
                                     max_length=max_length)
            for i, ids in zip(slow, encoded, strict=True):
                out[i] = ids
        return out  # type: ignore[return-value]

    def decode(self, rows: Sequence[Sequence[int]]) -> list[str]:
        if not rows:
            return []
        table = self._id_to_piece
        size = len(table)
        skip = self._special_ids
        out: list[str | None] = [None] * len(rows)
        fast: list[int] = []
        fast_pieces: list[list[str]] = []
        for k, row in enumerate(rows):
            pieces: list[str] = []
            for index in row:
                index = int(index)
                if index in skip:
                    continue
                piece = table[index] if 0 <= index < size else None
                if piece is None:
                    break
                pieces.append(piece)
            else:
                fast.append(k)
                fast_pieces.append(pieces)
        if fast:
            texts = self._decoder_spm.decode(fast_pieces, num_threads=self._threads)
            for k, text in zip(fast, texts, strict=True):
                out[k] = text.replace(SPIECE_UNDERLINE, " ").strip()
        slow = [k for k, text in enumerate(out) if text is None]
        if slow:
            for k, text in zip(slow, super().decode([rows[k] for k in slow]), strict=True):
                out[k] = text
        return out  # type: ignore[return-value]

    def pieces(self, ids: Sequence[int]) -> list[str]:
        table = self._id_to_piece
        try:
            pieces = [table[int(index)] for index in ids]
        except IndexError:
            return super().pieces(ids)
        if None in pieces:
            return super().pieces(ids)
        return pieces  # type: ignore[return-value]

    def ids(self, pieces: Sequence[str]) -> list[int]:
        lookup = self._piece_to_id.get
        unk = self._unk
        return [lookup(piece, unk) for piece in pieces]


def fast_tokens(tokenizer: Any) -> SlowTokens:
    """:class:`FastTokens` over ``tokenizer`` when it reproduces it, else :class:`SlowTokens`."""
    if not _reproducible(tokenizer):
        return SlowTokens(tokenizer)
    try:
        tokens = FastTokens(tokenizer)
        # An older SentencePiece without batch threads fails here, not in the middle of a run.
        if tokens.encode(["Guten Morgen."], max_length=16) != tokenizer(
            text=["Guten Morgen."], truncation=True, max_length=16
        )["input_ids"]:
            return SlowTokens(tokenizer)
        return tokens
    except Exception:  # an API this version of SentencePiece or transformers lacks
        return SlowTokens(tokenizer)


def _decoder_model(tokenizer: Any, table: list, special: frozenset) -> Any:
    """The SentencePiece model whose decoding equals ``tokenizer.batch_decode`` on probes."""
    import random

    rng = random.Random(0)
    ordinary = [i for i, piece in enumerate(table) if piece is not None and i not in special]
    rows = [rng.sample(ordinary, min(len(ordinary), 24)) for _ in range(64)]
    expected = [
        text.strip() for text in tokenizer.batch_decode(rows, skip_special_tokens=True)
    ]
    for model in (tokenizer.spm_source, tokenizer.spm_target):
        texts = model.decode([[table[i] for i in row] for row in rows], num_threads=1)
        if [text.replace(SPIECE_UNDERLINE, " ").strip() for text in texts] == expected:
            return model
    return None


def _reproducible(tokenizer: Any) -> bool:
    """Whether ``tokenizer`` is set up the way :class:`FastTokens` reproduces."""
    try:
        specials = set(tokenizer.all_special_tokens)
        added = {token.content if hasattr(token, "content") else str(token)
                 for token in tokenizer.added_tokens_decoder.values()}
        return (
            type(tokenizer).__name__ == "MarianTokenizer"
            and not getattr(tokenizer, "separate_vocabs", True)
            and not getattr(tokenizer, "clean_up_tokenization_spaces", True)
            and not getattr(tokenizer, "split_special_tokens", True)
            and not getattr(tokenizer, "do_lower_case", False)
            and added <= specials
            and specials <= {tokenizer.eos_token, tokenizer.unk_token, tokenizer.pad_token}
            and tokenizer.eos_token_id is not None
            and tokenizer.unk_token in tokenizer.get_vocab()
            and hasattr(tokenizer, "spm_source")
            and hasattr(tokenizer, "spm_target")
        )
    except Exception:  # an attribute this version of transformers does not have
        return False
