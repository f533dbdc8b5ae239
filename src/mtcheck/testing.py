"""Model builders for tests and benchmark scripts (need torch, transformers, sentencepiece).

``build_tiny_marian`` makes a real MarianMT model directory (SentencePiece trained on the
given text, random weights) that loads through the same ``from_pretrained`` path as
Helsinki-NLP/opus-mt-de-en; ``build_random_marian`` makes one with that model's full shapes
for throughput benchmarks; ``install_as_hub_model`` lays a model directory out in a
Hugging Face cache so that it loads offline by its hub id.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import warnings
from collections.abc import Sequence
from pathlib import Path

from mtcheck.constants import DEFAULT_MODEL

FAKE_REVISION = "0123456789abcdef0123456789abcdef01234567"

# MarianMT shapes of the models we imitate.
SHAPES = {
    "opus-mt-de-en": {
        "vocab_size": 58101,
        "d_model": 512,
        "encoder_layers": 6,
        "decoder_layers": 6,
        "encoder_attention_heads": 8,
        "decoder_attention_heads": 8,
        "encoder_ffn_dim": 2048,
        "decoder_ffn_dim": 2048,
    },
}
TINY_SHAPE = {
    "d_model": 32,
    "encoder_layers": 2,
    "decoder_layers": 2,
    "encoder_attention_heads": 4,
    "decoder_attention_heads": 4,
    "encoder_ffn_dim": 64,
    "decoder_ffn_dim": 64,
}


def read_corpus(files: Sequence[Path]) -> list[str]:
    """The non-blank lines of ``files`` (UTF-8), in order."""
    lines = []
    for path in files:
        text = Path(path).read_text(encoding="utf-8")
        lines.extend(line.strip() for line in text.splitlines() if line.strip())
    return lines


def train_sentencepiece(lines: Sequence[str], vocab_size: int) -> bytes:
    """A unigram SentencePiece model trained in-process, deterministically, on ``lines``."""
    import sentencepiece

    if not lines:
        raise ValueError("no text to train a SentencePiece model on")
    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,  # a small corpus may not support the full size
        num_threads=1,
        shuffle_input_sentence=False,
        input_sentence_size=0,
        unk_id=0,
        bos_id=-1,
        eos_id=-1,
        pad_id=-1,
        minloglevel=2,
    )
    return model.getvalue()


def _marian_vocab(spm_model: bytes, size: int | None = None) -> dict[str, int]:
    """vocab.json as MarianMT has it: </s> 0, <unk> 1, the pieces, <pad> last.

    With ``size``, synthetic pieces fill the vocabulary up to ``size`` entries.
    """
    import sentencepiece

    processor = sentencepiece.SentencePieceProcessor(model_proto=spm_model)
    vocab = {"</s>": 0, "<unk>": 1}
    for index in range(processor.get_piece_size()):
        if processor.is_control(index) or processor.is_unknown(index):
            continue
        vocab.setdefault(processor.id_to_piece(index), len(vocab))
    if size is not None:
        filler = 0
        while len(vocab) < size - 1:
            vocab.setdefault(f"\u2581zz{filler}", len(vocab))
            filler += 1
    vocab["<pad>"] = len(vocab)
    return vocab


def _marian_config(
    size: int, pad: int, shape: dict[str, int], init_std: float, tie_embeddings: bool
):
    """The configuration of a tiny MarianMT model: ``size`` tokens, ``shape`` its layers."""
    from transformers import MarianConfig

    return MarianConfig(
        vocab_size=size,
        max_position_embeddings=512,
        pad_token_id=pad,
        decoder_start_token_id=pad,
        eos_token_id=0,
        bos_token_id=0,
        forced_eos_token_id=0,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=tie_embeddings,
        activation_function="swish",
        init_std=init_std,
        **shape,
    )


def _write_marian(
    out_dir: Path,
    spm_model: bytes,
    vocab: dict[str, int],
    shape: dict[str, int],
    *,
    seed: int,
    init_std: float,
    tie_embeddings: bool,
    eos_bias: float,
    max_length: int,
) -> Path:
    import torch
    from transformers import GenerationConfig, MarianMTModel, MarianTokenizer
    from transformers.utils import logging as hf_logging

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "source.spm").write_bytes(spm_model)
    (out_dir / "target.spm").write_bytes(spm_model)
    (out_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")

    pad = vocab["<pad>"]
    config = _marian_config(len(vocab), pad, shape, init_std, tie_embeddings)
    torch.manual_seed(seed)
    model = MarianMTModel(config).eval()
    with torch.no_grad():
        model.final_logits_bias.zero_()
        model.final_logits_bias[0, 0] = eos_bias
    model.generation_config = GenerationConfig(
        bad_words_ids=[[pad]],
        decoder_start_token_id=pad,
        bos_token_id=0,
        eos_token_id=0,
        forced_eos_token_id=0,
        pad_token_id=pad,
        max_length=max_length,
        num_beams=4,
    )
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        model.save_pretrained(out_dir)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Recommended: pip install sacremoses."
            tokenizer = MarianTokenizer(
                source_spm=str(out_dir / "source.spm"),
                target_spm=str(out_dir / "target.spm"),
                vocab=str(out_dir / "vocab.json"),
                source_lang="de",
                target_lang="en",
            )
            tokenizer.save_pretrained(out_dir)
    finally:
        if bars:
            hf_logging.enable_progress_bar()
    return out_dir


def build_tiny_marian(
    out_dir: Path,
    corpus_files: Sequence[Path],
    *,
    vocab_size: int = 400,
    seed: int = 0,
    eos_bias: float = 2.0,
) -> Path:
    """A tiny random MarianMT model (d_model 32, 2+2 layers) in ``out_dir``; returns it.

    The SentencePiece model is trained on ``corpus_files``. The weights are random but
    fixed by ``seed``, and large enough (with an untied output layer and a bias towards
    ``</s>``) that outputs are varied, of varied length, and deterministic. A larger
    ``eos_bias`` makes outputs end sooner (large corpora in tests: less decoding).
    """
    lines = read_corpus(corpus_files)
    if not lines:
        raise ValueError(f"the corpus files {list(map(str, corpus_files))} hold no text")
    spm_model = train_sentencepiece(lines, vocab_size)
    return _write_marian(
        out_dir,
        spm_model,
        _marian_vocab(spm_model),
        TINY_SHAPE,
        seed=seed,
        init_std=0.4,
        tie_embeddings=False,
        eos_bias=eos_bias,
        max_length=64,
    )


def _synthetic_lines(count: int = 2000, seed: int = 0) -> list[str]:
    """Deterministic pseudo-words, for a SentencePiece model when no corpus is given."""
    import random

    rng = random.Random(seed)
    syllables = [a + b for a in "bdfgklmnprstvwz" for b in ("a", "e", "i", "o", "u", "ei", "au")]
    lines = []
    for _ in range(count):
        words = [
            "".join(rng.choice(syllables) for _ in range(rng.randint(1, 4)))
            for _ in range(rng.randint(4, 20))
        ]
        lines.append(" ".join(words).capitalize() + ".")
    return lines


def build_random_marian(
    out_dir: Path,
    *,
    shapes: str = "opus-mt-de-en",
    corpus_files: Sequence[Path] = (),
    seed: int = 0,
    vocab_size: int | None = None,
) -> Path:
    """A full-size random MarianMT model with the shapes of ``shapes`` (for benchmarks);
    ``vocab_size`` replaces the shapes' vocabulary size (to measure what the output layer
    costs).

    The SentencePiece model stays small (trained on ``corpus_files``, or on synthetic text);
    vocab.json is padded with synthetic pieces to the real vocabulary size so that embedding
    and output layers have their real cost. About 300 MB on disk.
    """
    if shapes not in SHAPES:
        raise ValueError(f"unknown shapes {shapes!r}; known: {', '.join(SHAPES)}")
    shape = dict(SHAPES[shapes])
    vocab_size = vocab_size or shape.pop("vocab_size")
    shape.pop("vocab_size", None)
    lines = read_corpus(corpus_files) if corpus_files else []
    spm_model = train_sentencepiece(lines or _synthetic_lines(seed=seed), 4000)
    return _write_marian(
        out_dir,
        spm_model,
        _marian_vocab(spm_model, size=vocab_size),
        shape,
        seed=seed,
        init_std=0.02,
        tie_embeddings=True,
        eos_bias=0.0,
        max_length=512,
    )


def install_as_hub_model(
    model_dir: Path,
    hf_home: Path,
    repo_id: str = DEFAULT_MODEL,
    revision: str = FAKE_REVISION,
) -> Path:
    """Lay ``model_dir`` out as ``repo_id`` at ``revision`` in ``hf_home/hub``.

    Blobs named by their SHA-256, relative symlinks in ``snapshots/<revision>/`` (copies
    where symlinks are not allowed) and ``refs/main`` holding ``revision``, as
    ``huggingface_hub`` writes them. Returns the snapshot directory.
    """
    repo = Path(hf_home) / "hub" / ("models--" + repo_id.replace("/", "--"))
    blobs = repo / "blobs"
    snapshot = repo / "snapshots" / revision
    blobs.mkdir(parents=True, exist_ok=True)
    snapshot.mkdir(parents=True, exist_ok=True)
    for source in sorted(Path(model_dir).iterdir()):
        if not source.is_file():
            continue
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        blob = blobs / digest
        if not blob.exists():
            shutil.copyfile(source, blob)
        link = snapshot / source.name
        if link.exists() or link.is_symlink():
            link.unlink()
        try:
            os.symlink(os.path.relpath(blob, link.parent), link)
        except OSError:
            shutil.copyfile(blob, link)
    (repo / "refs").mkdir(exist_ok=True)
    (repo / "refs" / "main").write_text(revision, encoding="utf-8")
    return snapshot
