"""The MarianMT backend: torch and transformers, imported only when a model is loaded.

Sources are sorted by length and batched by sentence count and by padded token count (see
:class:`~mtcheck.backtranslate.settings.DecodingSettings`); each batch is one call of the
model (one beam search, or one forced-decoding pass) and its results are handed back before
the next batch starts, so that the caller can store them at once.

Log-probabilities are those of the model itself: after beam search the chosen output ids
are scored in one teacher-forced decoder pass that reuses the encoder states (``generate``
does not return sequence scores without also keeping every step's full vocabulary scores,
which costs gigabytes). Logits are only computed for real (non-padding) target positions,
in chunks of bounded size.

A translation's log-prob is the average over the tokens the model chose: an output that
ended by itself counts its ``</s>``; an output cut at its bound counts its tokens without the
``</s>`` that ``generate`` forces there (the model did not choose it). The ctranslate2
backend gets the same number from its beam search without any extra pass.
"""

from __future__ import annotations

import json
import math
import os
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from mtcheck.backtranslate.batching import TokenizedBackend
from mtcheck.backtranslate.extras import require_model
from mtcheck.backtranslate.settings import (
    MAX_NEW_TOKENS_CAP,
    DecodingSettings,
)
from mtcheck.backtranslate.tokens import fast_tokens
from mtcheck.constants import DEVICES
from mtcheck.errors import ModelNotAvailable

# Logit elements (tokens x vocabulary) computed at once when scoring.
_LOGIT_BUDGET = {"cpu": 1 << 24, "cuda": 1 << 27}


def check_device(device: str) -> str:
    """Validate a requested device string without importing torch."""
    if device in DEVICES or (device.startswith("cuda:") and device[5:].isdigit()):
        return device
    raise ModelNotAvailable(
        f"Unknown device '{device}': use --device auto, cpu or cuda (or cuda:N)."
    )


def cpu_budget() -> int:
    """CPUs this process may use: its affinity mask, capped by a cgroup v2 CPU quota."""
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        count = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            count = min(count, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return max(1, count)


class MarianBackend(TokenizedBackend):
    """One MarianMT model on one device. Not loaded until :meth:`load` (or first use)."""

    name = "marian"
    # Names this backend in cache keys; bump when a change here changes what is computed.
    key = "marian-2"

    def __init__(self, path: Path, device: str, settings: DecodingSettings) -> None:
        self.path = Path(path)
        self.requested_device = check_device(device)
        self.settings = settings
        self.device: str | None = None  # "cpu" or "cuda" once loaded
        self.model_calls = 0
        self.memory_splits = 0
        self._model: Any = None
        self._tokenizer: Any = None
        self._torch: Any = None

    @property
    def loaded(self) -> bool:
        return self._model is not None

    # -- loading -------------------------------------------------------------------------

    def load(self) -> None:
        if self.loaded:
            return
        # A backend built without resolve_backend (which checks first) still ends in one
        # sentence naming the extra rather than an ImportError.
        require_model("marian")
        import torch

        device = self._resolve_device(torch)
        tokenizer, model = _from_pretrained(self.path)
        if device.startswith("cuda"):
            model = model.half()
        else:
            # An explicit OMP_NUM_THREADS wins; otherwise torch's default (physical cores),
            # capped by the CPUs this process may actually use (affinity, cgroup quota).
            if not os.environ.get("OMP_NUM_THREADS", "").strip():
                torch.set_num_threads(max(1, min(torch.get_num_threads(), cpu_budget())))
        model.to(device)
        model.eval()
        self._torch = torch
        self._tokenizer = tokenizer
        self._tokens = fast_tokens(tokenizer)
        self._model = model
        self.device = "cuda" if device.startswith("cuda") else "cpu"
        self._torch_device = torch.device(device)
        positions = getattr(model.config, "max_position_embeddings", None) or MAX_NEW_TOKENS_CAP
        self._max_len = max(2, min(MAX_NEW_TOKENS_CAP, positions))
        # Output bound: also the model's own generation_config.json max_length, when set there
        # (transformers' built-in default of 20 is not a choice of the model's authors).
        self._max_output = max(2, min(self._max_len, _configured_max_length(self.path)))
        self._pad_id = tokenizer.pad_token_id
        self._start_id = model.config.decoder_start_token_id
        if self._start_id is None:
            self._start_id = self._pad_id

    def _resolve_device(self, torch: Any) -> str:
        requested = self.requested_device
        if requested == "cpu":
            return "cpu"
        available = torch.cuda.is_available()
        if requested == "auto":
            return "cuda" if available else "cpu"
        if not available:
            raise ModelNotAvailable(
                f"Device '{requested}' was requested but torch sees no CUDA GPU on this machine: "
                "use --device cpu or --device auto."
            )
        index = int(requested[5:]) if ":" in requested else 0
        if index >= torch.cuda.device_count():
            raise ModelNotAvailable(
                f"Device '{requested}' does not exist (torch sees {torch.cuda.device_count()} "
                "CUDA GPU(s)): use --device cuda or --device auto."
            )
        return requested

    # -- translation ---------------------------------------------------------------------

    def translate(self, texts: Sequence[str]) -> Iterator[list[tuple[int, str, float]]]:
        """Yield, batch by batch, ``(index into texts, translation, avg token log-prob)``."""
        self.load()
        source_ids, bounds, batches = self._translation_batches(texts)
        for batch in batches:
            yield self._fitting(
                batch, lambda part: self._translate_batch(part, source_ids, bounds[part[0]])
            )

    def _translate_batch(
        self, batch: list[int], source_ids: list[list[int]], bound: int
    ) -> list[tuple[int, str, float]]:
        torch = self._torch
        with torch.inference_mode():
            encoder_states, mask = self._encode_batch([source_ids[i] for i in batch])
            sequences = self._model.generate(
                encoder_outputs=_encoder_output(encoder_states),
                attention_mask=mask,
                num_beams=self.settings.beams,
                num_return_sequences=1,
                do_sample=False,
                max_length=bound + 1,  # decoder start token + at most `bound` new tokens
            )
            self.model_calls += 1
            labels = sequences[:, 1:]
            lengths = (labels != self._pad_id).sum(dim=1)
            # At the bound the last token is the forced </s>: not counted.
            chosen = torch.where(lengths >= bound, lengths - 1, lengths)
            logprobs = self._mean_logprobs(encoder_states, mask, labels, chosen)
            logprobs = [
                value if count > 0 else math.nan
                for value, count in zip(logprobs, chosen.tolist(), strict=True)
            ]
        decoded = self._tokens.decode(sequences.tolist())
        return [
            (index, text, logprob)
            for index, text, logprob in zip(batch, decoded, logprobs, strict=True)
        ]

    def score(
        self, sources: Sequence[str], targets: Sequence[str]
    ) -> Iterator[list[tuple[int, float]]]:
        """Yield, batch by batch, ``(index, avg log-prob per target token incl. EOS)``."""
        self.load()
        source_ids, target_ids, batches = self._scoring_batches(sources, targets)
        for batch in batches:
            yield self._fitting(
                batch, lambda part: self._score_batch(part, source_ids, target_ids)
            )

    def _score_batch(
        self, batch: list[int], source_ids: list[list[int]], target_ids: list[list[int]]
    ) -> list[tuple[int, float]]:
        torch = self._torch
        with torch.inference_mode():
            encoder_states, mask = self._encode_batch([source_ids[i] for i in batch])
            rows = [target_ids[i] for i in batch]
            labels = torch.tensor(_pad(rows, self._pad_id), device=mask.device)
            lengths = torch.tensor([len(target_ids[i]) for i in batch], device=mask.device)
            logprobs = self._mean_logprobs(encoder_states, mask, labels, lengths)
            self.model_calls += 1
        return list(zip(batch, logprobs, strict=True))

    def _fitting(self, batch: list[int], run: Callable[[list[int]], list]) -> list:
        """``run(batch)``; a batch that runs out of memory is run again in halves.

        The default GPU batch (256 sentences, beam 4) fits a 16 GB GPU for news-length
        sentences, not for every GPU and text; halving never changes a result (a sentence
        translates the same whatever shares its batch). Each halving is counted in
        ``memory_splits``. A single sentence that does not fit is an error that says so.
        """
        try:
            return run(batch)
        except Exception as exc:  # torch.OutOfMemoryError, or the allocator's RuntimeError
            if not _out_of_memory(exc):
                raise
            error = exc
        self._free_memory()
        if len(batch) == 1:
            raise no_room_for_one_sentence(self.device, error) from error
        self.memory_splits += 1
        half = len(batch) // 2
        return self._fitting(batch[:half], run) + self._fitting(batch[half:], run)

    def _free_memory(self) -> None:
        import gc

        gc.collect()
        if self.device == "cuda":
            self._torch.cuda.empty_cache()

    # -- pieces --------------------------------------------------------------------------

    def _encode_batch(self, ids: list[list[int]]) -> tuple[Any, Any]:
        torch = self._torch
        input_ids = torch.tensor(_pad(ids, self._pad_id), device=self._torch_device)
        mask = torch.tensor(_pad([[1] * len(row) for row in ids], 0), device=self._torch_device)
        states = self._model.get_encoder()(input_ids=input_ids, attention_mask=mask)
        return states.last_hidden_state, mask

    def _mean_logprobs(self, encoder_states: Any, mask: Any, labels: Any, lengths: Any) -> list:
        """Average log-prob of ``labels[r, :lengths[r]]`` given the sources, per row."""
        torch = self._torch
        model = self._model
        start = torch.full(
            (labels.shape[0], 1), self._start_id, dtype=labels.dtype, device=labels.device
        )
        decoder_input = torch.cat([start, labels[:, :-1]], dim=1)
        hidden = model.get_decoder()(
            input_ids=decoder_input,
            encoder_hidden_states=encoder_states,
            encoder_attention_mask=mask,
            use_cache=False,
        ).last_hidden_state
        positions = torch.arange(labels.shape[1], device=labels.device)
        real = positions[None, :] < lengths[:, None]
        states = hidden[real]  # (tokens, d_model), padding dropped
        wanted = labels[real]
        head = model.get_output_embeddings()
        bias = getattr(model, "final_logits_bias", None)
        vocab = head.weight.shape[0]
        step = max(1, _LOGIT_BUDGET[self.device] // vocab)
        token_logprobs = torch.empty(wanted.shape[0], dtype=torch.float32, device=labels.device)
        for begin in range(0, wanted.shape[0], step):
            logits = head(states[begin : begin + step])
            if bias is not None:
                logits = logits + bias
            logits = logits.float()
            chosen = logits.gather(1, wanted[begin : begin + step, None]).squeeze(1)
            token_logprobs[begin : begin + step] = chosen - torch.logsumexp(logits, dim=1)
        row_of_token = torch.arange(labels.shape[0], device=labels.device)[:, None].expand_as(
            labels
        )[real]
        sums = torch.zeros(labels.shape[0], dtype=torch.float32, device=labels.device)
        sums.index_add_(0, row_of_token, token_logprobs)
        counts = lengths.clamp(min=1).to(torch.float32)
        return (sums / counts).tolist()


def _pad(rows: list[list[int]], value: int) -> list[list[int]]:
    width = max(len(row) for row in rows)
    return [row + [value] * (width - len(row)) for row in rows]


def _configured_max_length(path: Path) -> int:
    try:
        config = json.loads((path / "generation_config.json").read_text(encoding="utf-8"))
        value = config.get("max_length")
    except (OSError, ValueError, AttributeError):
        return MAX_NEW_TOKENS_CAP
    return value if isinstance(value, int) and value >= 2 else MAX_NEW_TOKENS_CAP


def _encoder_output(states: Any) -> Any:
    from transformers.modeling_outputs import BaseModelOutput

    return BaseModelOutput(last_hidden_state=states)


def _out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is torch running out of (GPU or CPU) memory for an allocation."""
    if type(exc).__name__ == "OutOfMemoryError" or isinstance(exc, MemoryError):
        return True
    text = str(exc)
    return isinstance(exc, RuntimeError) and (
        "out of memory" in text or "can't allocate memory" in text
    )


def no_room_for_one_sentence(device: str | None, error: BaseException) -> ModelNotAvailable:
    """The error for a single sentence that does not fit the device's memory."""
    return ModelNotAvailable(
        f"The {device} device ran out of memory for a single sentence "
        f"({_first_line(error)}): use fewer --beams, shorter segments, or --device cpu."
    )


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else "no details"


def _from_pretrained(path: Path):
    """The tokenizer and the model in ``path``, loaded with transformers (safetensors only,
    no remote code, no download); a directory that fails is a :class:`ModelNotAvailable`."""
    try:
        from transformers import MarianMTModel, MarianTokenizer
        from transformers.utils import logging as hf_logging

        bars = hf_logging.is_progress_bar_enabled()
        hf_logging.disable_progress_bar()
        try:
            with warnings.catch_warnings():
                # "Recommended: pip install sacremoses." and similar advice.
                warnings.simplefilter("ignore")
                tokenizer = MarianTokenizer.from_pretrained(str(path), local_files_only=True)
                model = MarianMTModel.from_pretrained(
                    str(path),
                    use_safetensors=True,
                    trust_remote_code=False,
                    local_files_only=True,
                )
        finally:
            if bars:
                hf_logging.enable_progress_bar()
    except Exception as exc:  # corrupt weights, missing tokenizer pieces, ...
        raise ModelNotAvailable(
            f"The model in {path} could not be loaded ({type(exc).__name__}: "
            f"{_first_line(exc)}): check that the directory holds a complete MarianMT model "
            "with safetensors weights, or run `mtcheck model download` again."
        ) from exc
    return tokenizer, model
