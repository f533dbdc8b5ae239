"""The batch tokenizer gives MarianTokenizer's ids and texts, exactly."""

from __future__ import annotations

import random
import warnings

import pytest

from mtcheck.backtranslate.tokens import FastTokens, SlowTokens, fast_tokens
from tests.conftest import corpus_files

HOSTILE = [
    "",
    " ",
    "\t\n",
    "</s>",
    "Vor </s> nach",
    "<unk> und <pad>",
    "x<pad>y",
    ">>en<< Guten Morgen",
    ">>en Guten Morgen",
    ">> <<",
    "Guten Morgen >>en<<",
    "Café mit e\u0301 und \u00a0geschütztem\u00a0Leerzeichen",
    "Null\u200bbreite \u200d Verbinder",
    "Emoji 🚀 und 中文 und עברית",
    "\u2581 Unterstrich \u2581\u2581",
    "Steuerzeichen \x07 \x1b[31m",
    "  führende und folgende Leerzeichen  ",
    "„Anführungszeichen“ – Gedankenstrich … Ellipse",
    "ÄÖÜäöüß " * 40,
]


def _marian(path):
    from transformers import MarianTokenizer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return MarianTokenizer.from_pretrained(str(path), local_files_only=True)


def _corpus_lines() -> list[str]:
    lines = []
    for path in corpus_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                lines.append(line)  # whole paragraphs: long inputs
                lines += [part + "." for part in line.split(". ") if part.strip()]
    assert len(lines) > 60
    return lines


def _reference_ids(tokenizer, texts, *, target, max_length):
    kwargs = {"text_target": texts} if target else {"text": texts}
    return tokenizer(**kwargs, truncation=True, max_length=max_length)["input_ids"]


@pytest.mark.parametrize("target", [False, True])
def test_ids_equal_marian_tokenizer(tiny_model, target):
    tokenizer = _marian(tiny_model)
    tokens = fast_tokens(tokenizer)
    assert isinstance(tokens, FastTokens)
    texts = _corpus_lines() + HOSTILE
    got = tokens.encode(texts, target=target, max_length=511)
    assert got == _reference_ids(tokenizer, texts, target=target, max_length=511)
    # Truncation keeps the first pieces and the </s>, as transformers does.
    short = tokens.encode(texts, target=target, max_length=7)
    assert short == _reference_ids(tokenizer, texts, target=target, max_length=7)
    assert max(len(ids) for ids in short) == 7
    assert all(ids[-1] == tokenizer.eos_token_id for ids in short)


def test_special_token_strings_and_language_codes_take_the_tokenizers_path(tiny_model):
    tokenizer = _marian(tiny_model)
    tokens = fast_tokens(tokenizer)
    ids = tokens.encode(["Vor </s> nach"], max_length=511)[0]
    # MarianTokenizer makes the literal "</s>" the end-of-sentence token.
    assert ids.count(tokenizer.eos_token_id) == 2
    assert ids == _reference_ids(tokenizer, ["Vor </s> nach"], target=False, max_length=511)[0]


def test_decoded_texts_equal_marian_tokenizer(tiny_model):
    tokenizer = _marian(tiny_model)
    tokens = fast_tokens(tokenizer)
    rng = random.Random(7)
    vocabulary = len(tokenizer.get_vocab())
    special = list(tokenizer.all_special_ids)
    rows = [
        [rng.randrange(vocabulary) if rng.random() > 0.1 else rng.choice(special)
         for _ in range(rng.randrange(0, 40))]
        for _ in range(500)
    ]
    rows += tokens.encode(_corpus_lines() + HOSTILE, target=True, max_length=511)
    rows.append([])
    expected = [text.strip() for text in tokenizer.batch_decode(rows, skip_special_tokens=True)]
    assert tokens.decode(rows) == expected
    assert any(expected)  # the comparison covers real text, not only empty strings


def test_pieces_and_ids_round_trip(tiny_model):
    tokenizer = _marian(tiny_model)
    tokens = fast_tokens(tokenizer)
    for ids in tokens.encode(_corpus_lines()[:50] + HOSTILE, max_length=511):
        pieces = tokens.pieces(ids)
        assert pieces == tokenizer.convert_ids_to_tokens(ids)
        assert tokens.ids(pieces) == ids
    assert tokens.ids(["no-such-piece"]) == [tokenizer.unk_token_id]


def test_a_tokenizer_set_up_otherwise_is_answered_by_itself(tiny_model):
    tokenizer = _marian(tiny_model)
    tokenizer.add_tokens(["<glossar>"])
    tokens = fast_tokens(tokenizer)
    assert isinstance(tokens, SlowTokens) and not tokens.fast
    texts = ["Ein <glossar> Begriff", "Guten Morgen"]
    ids = tokens.encode(texts, max_length=511)
    assert ids == _reference_ids(tokenizer, texts, target=False, max_length=511)
    assert tokenizer.convert_tokens_to_ids("<glossar>") in ids[0]


class _OldSentencePiece:
    """A SentencePiece model from before batch threads (``num_threads``)."""

    def __init__(self, real) -> None:
        self.real = real

    def encode(self, text, out_type=int):
        return self.real.encode(text, out_type=out_type)

    def decode(self, pieces):
        return self.real.decode(pieces)

    def decode_pieces(self, pieces):
        return self.real.decode_pieces(pieces)

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_an_older_sentencepiece_falls_back_to_the_tokenizer_at_once(tiny_model):
    tokenizer = _marian(tiny_model)
    tokenizer.spm_source = _OldSentencePiece(tokenizer.spm_source)
    tokenizer.spm_target = _OldSentencePiece(tokenizer.spm_target)
    tokens = fast_tokens(tokenizer)
    assert not tokens.fast
    texts = ["Guten Morgen.", "Der Zug fällt aus."]
    assert tokens.encode(texts, max_length=511) == _reference_ids(
        tokenizer, texts, target=False, max_length=511
    )
