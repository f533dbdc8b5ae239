"""The CTranslate2 backend (``mtcheck[fast]``): ctranslate2 is imported only when needed.

The MarianMT model is converted once with ``ctranslate2.converters.TransformersConverter``
into ``<mtcheck cache folder>/ct2/<model>@<revision>-<quantization>/`` (int8 on CPU,
float16 on CUDA). The conversion writes into a temporary folder beside it and renames that
folder into place when it is complete, so an interrupted conversion is never used: the next
run converts again (left-over temporary folders older than :data:`STALE_SECONDS` are removed).
The converter loads the weights from safetensors only, offline, never with remote code.

Tokenization is the model's own SentencePiece with ``MarianTokenizer``'s ids (computed in
batches by :mod:`mtcheck.backtranslate.tokens`), handed to CTranslate2 as pieces, so pieces
and ids match the marian backend.

Decoding matches the marian backend: same beam size, length penalty 1, no minimum length
(end of sentence allowed at the first step, as in ``generate``), the same per-source output
bound. ``generate`` forces ``</s>`` as the bound's last token; here the decoding stops one
token earlier and the ``</s>`` is implied.

Log-probabilities have the marian backend's definition: the average log-prob per target
token, ``</s>`` included.

- ``translate_batch`` returns, with ``length_penalty=1``, the cumulative log-prob divided by
  the hypothesis length: for a hypothesis that ended with ``</s>`` that length counts the
  ``</s>`` (checked against ``score_batch``); a hypothesis cut at the output bound is
  averaged over its own tokens, which is the marian backend's definition for a cut output
  (the ``</s>`` that ``generate`` forces at the bound is not counted there either). So the
  beam search's scores are the log-probs, with no second pass.
- ``score_batch`` takes the target pieces *without* ``</s>``, appends ``</s>`` itself and
  returns one log-prob per target piece plus one for ``</s>``; their mean is the score.

One numeric difference remains: the converter drops ``<pad>`` from the vocabulary (it
is never generated), so the softmax runs over one entry fewer than in transformers, and
log-probs here are higher by at most ``-log(1 - p(<pad>))`` per token (below 0.01 on the
test model, nil for a trained model whose ``<pad>`` is never predicted).
"""

from __future__ import annotations

import ctypes
import functools
import importlib.util
import json
import math
import os
import re
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from mtcheck.backtranslate.batching import TokenizedBackend
from mtcheck.backtranslate.cache import make_cache_folder
from mtcheck.backtranslate.extras import require_model
from mtcheck.backtranslate.hub import ResolvedModel
from mtcheck.backtranslate.marian import (
    _configured_max_length,
    _first_line,
    _out_of_memory,
    check_device,
    cpu_budget,
    no_room_for_one_sentence,
)
from mtcheck.backtranslate.settings import (
    MAX_NEW_TOKENS_CAP,
    DecodingSettings,
)
from mtcheck.backtranslate.tokens import fast_tokens
from mtcheck.errors import ModelNotAvailable

# Bump when the conversion itself changes (the folder name carries it).
CONVERSION_VERSION = "1"
QUANTIZATION = {"cpu": "int8", "cuda": "float16"}
COMPUTE_TYPES = ("int8", "int8_float32", "int8_float16", "float16", "bfloat16", "float32")
STALE_SECONDS = 6 * 3600  # temporary conversion folders older than this are left-overs
# score_batch computes the scores over the whole vocabulary for every target position of a
# batch at once (58k x 4 bytes per position for opus-mt): at most this many scores per
# batch, so that scoring never needs more memory than translating.
SCORE_LOGITS_BUDGET = {"cpu": 1 << 25, "cuda": 1 << 28}
# CTranslate2 4.x is built against CUDA 12 and opens cuBLAS on its first GPU computation.
_CUBLAS = "libcublas.so.12"

# Conversions done by this process (tests check that a converted model is reused).
conversions = 0


def available() -> bool:
    """Whether the ctranslate2 package is installed (without importing it)."""
    try:
        return importlib.util.find_spec("ctranslate2") is not None
    except (ImportError, ValueError):
        return False


@functools.cache
def cuda_device_count() -> int:
    """GPUs that CTranslate2 sees (0 when it is missing or cannot ask the driver)."""
    try:
        import ctranslate2

        return int(ctranslate2.get_cuda_device_count())
    except Exception:  # noqa: BLE001 - no driver, broken install: no GPU for us
        return 0


@functools.cache
def cuda_usable() -> bool:
    """Whether CTranslate2 can compute on a GPU here: it sees one, and the cuBLAS it was
    built against loads (on a CUDA 13 machine CTranslate2 4.x sees the GPU, then fails with
    "Library libcublas.so.12 is not found" at the first translation)."""
    if cuda_device_count() < 1:
        return False
    try:
        ctypes.CDLL(_CUBLAS)
    except OSError:
        return False
    return True


def resolve_device(device: str) -> str:
    """``cpu``, ``cuda`` or ``cuda:N`` for a requested device (``auto``: a usable GPU, else
    the CPU); needs no torch."""
    check_device(device)
    if device == "auto":
        return "cuda" if cuda_usable() else "cpu"
    return device


def default_compute_type(device: str) -> str:
    return QUANTIZATION["cuda" if device.startswith("cuda") else "cpu"]


def converted_dir(root: Path, model: ResolvedModel, quantization: str) -> Path:
    """Where ``model`` converted with ``quantization`` lives under ``root``."""
    if model.source == "hub":
        name = re.sub(r"[^A-Za-z0-9_.-]+", "--", model.name)
    else:
        name = "dir"
    return Path(root) / f"{name}@{model.revision}-{quantization}-v{CONVERSION_VERSION}"


def ensure_converted(model: ResolvedModel, root: Path, quantization: str) -> Path:
    """The converted model folder, converting now if it is not there yet."""
    target = converted_dir(root, model, quantization)
    if (target / "model.bin").is_file():
        return target
    try:
        make_cache_folder(root.parent)  # the cache folder ignores itself (--no-cache too)
        root.mkdir(exist_ok=True)
        _remove_stale(root)
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=root))
    except OSError as exc:
        raise ModelNotAvailable(
            f"Cannot write the converted model under {root} ({exc.strerror or exc}): set "
            "MTCHECK_CACHE to a file in a writable folder, or use --backend marian."
        ) from exc
    try:
        _convert(model.path, work / "model", quantization)
        global conversions
        conversions += 1
        if target.exists() and not (target / "model.bin").is_file():
            shutil.rmtree(target, ignore_errors=True)  # not ours: only renames create it
        try:
            os.rename(work / "model", target)
        except OSError:
            if not (target / "model.bin").is_file():  # else another process was faster
                raise
    except ModelNotAvailable:
        raise
    except Exception as exc:
        raise ModelNotAvailable(
            f"The model in {model.path} could not be loaded for conversion to CTranslate2 "
            f"({type(exc).__name__}: {_first_line(exc)}): check that the directory holds a "
            "complete MarianMT model with safetensors weights, or use --backend marian."
        ) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _remove_stale(root: Path) -> None:
    now = time.time()
    for path in root.glob(".*.tmp"):
        try:
            if now - path.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass


def _convert(model_path: Path, out: Path, quantization: str) -> None:
    """Run the converter (needs torch and transformers) with safe loading."""
    from ctranslate2.converters import TransformersConverter
    from transformers.utils import logging as hf_logging

    class SafeConverter(TransformersConverter):
        def load_model(self, model_class, model_name_or_path, **kwargs):
            kwargs.update(use_safetensors=True, trust_remote_code=False, local_files_only=True)
            return model_class.from_pretrained(model_name_or_path, **kwargs)

        def load_tokenizer(self, tokenizer_class, model_name_or_path, **kwargs):
            kwargs.update(trust_remote_code=False, local_files_only=True)
            return tokenizer_class.from_pretrained(model_name_or_path, **kwargs)

    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            SafeConverter(str(model_path), trust_remote_code=False).convert(
                str(out), quantization=quantization
            )
    finally:
        if bars:
            hf_logging.enable_progress_bar()


def _threads() -> int:
    """An explicit OMP_NUM_THREADS wins, else the CPUs this process may use."""
    value = os.environ.get("OMP_NUM_THREADS", "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    return cpu_budget()


def load_tokenizer(path: Path) -> Any:
    from transformers import MarianTokenizer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Recommended: pip install sacremoses."
        return MarianTokenizer.from_pretrained(str(path), local_files_only=True)


class CTranslate2Backend(TokenizedBackend):
    """One MarianMT model, converted for CTranslate2, on one device; loaded on first use.

    ``compute_type`` (default: int8 on CPU, float16 on CUDA) is also the conversion's
    quantization; tests pass ``float32`` to compare with the marian backend.
    """

    name = "ctranslate2"

    def __init__(
        self,
        model: ResolvedModel,
        device: str,
        settings: DecodingSettings,
        *,
        convert_root: Path,
        compute_type: str | None = None,
    ) -> None:
        self.model = model
        self.path = Path(model.path)
        self.requested_device = check_device(device)
        self.target_device = resolve_device(device)
        if compute_type is not None and compute_type not in COMPUTE_TYPES:
            raise ModelNotAvailable(
                f"Unknown compute type '{compute_type}': use one of {', '.join(COMPUTE_TYPES)}."
            )
        self.compute_type = compute_type or default_compute_type(self.target_device)
        self.settings = settings
        self.convert_root = Path(convert_root)
        self.device: str | None = None
        self.model_calls = 0
        self.memory_splits = 0
        self._translator: Any = None
        self._tokenizer: Any = None

    @property
    def key(self) -> str:
        """Names this backend and its numerics in cache keys."""
        return f"ctranslate2-2;{self.compute_type}"

    @property
    def loaded(self) -> bool:
        return self._translator is not None

    def load(self) -> None:
        if self.loaded:
            return
        require_model("ctranslate2")  # one sentence naming the extra, not an ImportError
        import ctranslate2

        try:
            tokenizer = load_tokenizer(self.path)
        except Exception as exc:
            raise ModelNotAvailable(
                f"The tokenizer in {self.path} could not be loaded ({type(exc).__name__}: "
                f"{_first_line(exc)}): check that the directory holds a complete MarianMT model, "
                "or run `mtcheck model download` again."
            ) from exc
        folder = ensure_converted(self.model, self.convert_root, self.compute_type)
        device, _, index = self.target_device.partition(":")
        # On the CPU one single-threaded worker per core, each decoding its share of a batch:
        # faster than one worker with a thread per core (on 2 cores, 1.3x for opus-mt's shapes,
        # measured by scripts/bench_backtranslate.py), since a beam search step's matrices
        # are too small to split well over threads. On a GPU one worker.
        workers = _threads() if device == "cpu" else 1
        try:
            translator = ctranslate2.Translator(
                str(folder),
                device=device,
                device_index=int(index or 0),
                compute_type=self.compute_type,
                inter_threads=workers,
                intra_threads=1 if device == "cpu" else 0,
            )
        except Exception as exc:
            hint = "use --backend marian" if device == "cuda" else "delete it"
            raise ModelNotAvailable(
                f"CTranslate2 could not load the converted model {folder} on {self.target_device} "
                f"({type(exc).__name__}: {_first_line(exc)}): {hint}."
            ) from exc
        config = json.loads((self.path / "config.json").read_text(encoding="utf-8"))
        positions = config.get("max_position_embeddings") or MAX_NEW_TOKENS_CAP
        self._max_len = max(2, min(MAX_NEW_TOKENS_CAP, int(positions)))
        self._max_output = max(2, min(self._max_len, _configured_max_length(self.path)))
        self._tokenizer = tokenizer
        self._tokens = fast_tokens(tokenizer)
        self._eos = self._tokens.eos_token
        self._vocabulary = self._tokens.vocabulary_size
        self._translator = translator
        self._workers = workers
        self.device = device

    # -- translation ---------------------------------------------------------------------

    def translate(self, texts: Sequence[str]) -> Iterator[list[tuple[int, str, float]]]:
        """Yield, batch by batch, ``(index into texts, translation, avg token log-prob)``.

        Every batch is handed to CTranslate2 at once (asynchronously, each split over the
        workers); results come back in batch order as they are done.
        """
        self.load()
        source_ids, bounds, batches = self._translation_batches(texts)
        submitted = []
        for batch in batches:
            sources = [self._pieces(source_ids[i]) for i in batch]
            steps = bounds[batch[0]] - 1  # the last of `bound` output tokens is the </s>
            pending = None
            if steps >= 1:
                pending = self._decode(sources, steps, self._split(len(batch)), True)
            submitted.append((batch, sources, steps, pending))
        for batch, sources, steps, pending in submitted:
            if pending is None:
                hypotheses, logprobs = [[] for _ in batch], [math.nan] * len(batch)
            else:
                results = self._results(
                    pending, len(batch), lambda limit, s=sources, n=steps: self._decode(
                        s, n, limit, False
                    )
                )
                hypotheses, logprobs = self._best(results)
            decoded = self._tokens.decode([self._tokens.ids(h) for h in hypotheses])
            yield [
                (index, text, logprob)
                for index, text, logprob in zip(batch, decoded, logprobs, strict=True)
            ]

    def _split(self, size: int) -> int:
        """Sub-batch size that gives each worker a share of a batch of ``size``."""
        return max(1, -(-size // self._workers))

    def _decode(self, sources: list[list[str]], steps: int, limit: int, asynchronous: bool):
        self.model_calls += 1
        return self._translator.translate_batch(
            sources,
            max_batch_size=limit,
            asynchronous=asynchronous,
            beam_size=self.settings.beams,
            num_hypotheses=1,
            length_penalty=1.0,
            max_decoding_length=steps,
            min_decoding_length=0,
            max_input_length=0,
            return_scores=True,
            return_end_token=True,
        )

    def _best(self, results: list) -> tuple[list[list[str]], list[float]]:
        """Best hypotheses (pieces, no ``</s>``) and their average log-probs."""
        hypotheses = [r.hypotheses[0] for r in results]
        scores = [float(r.scores[0]) for r in results]
        for k, pieces in enumerate(hypotheses):
            if pieces and pieces[-1] == self._eos:
                hypotheses[k] = pieces[:-1]
        return hypotheses, scores

    def _results(self, pending: list, size: int, rerun: Callable[[int], list]) -> list:
        """The results of a submitted batch of ``size``; one that ran out of memory is run
        again with sub-batches half as large (``rerun(max_batch_size)``), down to one
        sentence, each halving counted in ``memory_splits``. Sub-batches never change a
        result, only the memory a call needs."""
        try:
            return [future.result() for future in pending]
        except Exception as exc:  # CTranslate2 raises RuntimeError("... out of memory")
            if not _out_of_memory(exc):
                raise
            error: BaseException = exc
        limit = self._split(size)
        while limit > 1:
            limit //= 2
            self.memory_splits += 1
            try:
                return rerun(limit)
            except Exception as exc:
                if not _out_of_memory(exc):
                    raise
                error = exc
        raise no_room_for_one_sentence(self.device, error) from error

    def score(
        self, sources: Sequence[str], targets: Sequence[str]
    ) -> Iterator[list[tuple[int, float]]]:
        """Yield, batch by batch, ``(index, avg log-prob per target token incl. EOS)``."""
        self.load()
        positions = SCORE_LOGITS_BUDGET[self.device] // self._vocabulary
        source_ids, target_ids, batches = self._scoring_batches(
            sources, targets, budget=max(1, positions)
        )
        submitted = []
        for batch in batches:
            targets_ = []
            for i in batch:
                pieces = self._pieces(target_ids[i])
                if pieces and pieces[-1] == self._eos:
                    pieces = pieces[:-1]  # score_batch appends </s> itself
                targets_.append(pieces)
            sources_ = [self._pieces(source_ids[i]) for i in batch]
            pending = self._score(sources_, targets_, self._split(len(batch)), True)
            submitted.append((batch, sources_, targets_, pending))
        for batch, sources_, targets_, pending in submitted:
            results = self._results(
                pending, len(batch), lambda limit, s=sources_, t=targets_: self._score(
                    s, t, limit, False
                )
            )
            yield [(i, _mean(r.log_probs)) for i, r in zip(batch, results, strict=True)]

    def _score(self, sources: list, targets: list, limit: int, asynchronous: bool):
        self.model_calls += 1
        return self._translator.score_batch(
            sources,
            targets,
            max_batch_size=limit,
            max_input_length=0,
            asynchronous=asynchronous,
        )

    # -- pieces --------------------------------------------------------------------------

    def _pieces(self, ids: list[int]) -> list[str]:
        return self._tokens.pieces(ids)


def _mean(values: Sequence[float]) -> float:
    return float(sum(values) / len(values)) if len(values) else math.nan
