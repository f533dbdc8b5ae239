"""Decoding settings and the default model id (no heavy imports)."""

from __future__ import annotations

from dataclasses import dataclass

from mtcheck.errors import ConfigError

# Hard ceiling on generated tokens; MarianMT position embeddings stop at 512.
MAX_NEW_TOKENS_CAP = 512


@dataclass(frozen=True)
class DecodingSettings:
    """How back-translations are decoded.

    ``max_new_tokens=None`` bounds each output by its source length (see
    :func:`auto_max_new_tokens`), so the bound never depends on which other sentences share
    a batch. ``batch_size`` and ``batch_tokens`` only change throughput, so they are not
    part of :meth:`key`.

    A batch holds at most ``batch_size`` sentences (``None``: :data:`BATCH_SIZE` for the
    device) and at most ``batch_tokens`` padded tokens (sentences x the longest source in the
    batch, or for translation x its output bound when that is longer; ``None``: the batch
    size x :data:`TOKENS_PER_SENTENCE`), so that a batch of long sentences stays as small in
    memory as a batch of typical ones. A single sentence longer than the budget gets a batch
    alone.
    """

    beams: int = 4
    batch_size: int | None = None
    max_new_tokens: int | None = None
    batch_tokens: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.beams, int) or self.beams < 1:
            raise ConfigError(
                f"The beam size must be a whole number of at least 1, not {self.beams!r}."
            )
        if self.batch_size is not None and (
            not isinstance(self.batch_size, int) or self.batch_size < 1
        ):
            raise ConfigError(
                f"The batch size must be a whole number of at least 1, not {self.batch_size!r}."
            )
        if self.max_new_tokens is not None and (
            not isinstance(self.max_new_tokens, int) or self.max_new_tokens < 1
        ):
            raise ConfigError(
                "max_new_tokens must be a whole number of at least 1 or unset, "
                f"not {self.max_new_tokens!r}."
            )

        if self.batch_tokens is not None and (
            not isinstance(self.batch_tokens, int) or self.batch_tokens < 1
        ):
            raise ConfigError(
                "batch_tokens must be a whole number of at least 1 or unset, "
                f"not {self.batch_tokens!r}."
            )

    def sentences_per_batch(self, device: str) -> int:
        """The batch size on ``device`` (``cpu`` or ``cuda``)."""
        if self.batch_size is not None:
            return self.batch_size
        return BATCH_SIZE["cuda" if device.startswith("cuda") else "cpu"]

    def token_budget(self, device: str) -> int:
        """Padded tokens allowed in one batch on ``device``."""
        if self.batch_tokens is not None:
            return self.batch_tokens
        return self.sentences_per_batch(device) * TOKENS_PER_SENTENCE

    def key(self) -> str:
        """A stable string naming everything here that can change an output (for cache keys)."""
        limit = "auto" if self.max_new_tokens is None else str(self.max_new_tokens)
        return f"beams={self.beams};max_new_tokens={limit}"


# Default sentences per batch. A GPU needs large batches to be busy: one beam-search step
# costs about the same from 16 to several hundred sentences (the step's fixed costs dominate).
BATCH_SIZE = {"cpu": 32, "cuda": 256}

# Default token budget per batch, per allowed sentence: a news sentence is 30-40 tokens.
TOKENS_PER_SENTENCE = 48

# Sources are grouped into buckets of this many tokens; every source in a bucket gets the
# same automatic output bound, and a batch never mixes buckets.
LENGTH_BUCKET = 16


def auto_max_new_tokens(source_tokens: int, cap: int = MAX_NEW_TOKENS_CAP) -> int:
    """The automatic output bound for a source of ``source_tokens`` tokens (EOS included).

    Twice the source length rounded up to the next multiple of :data:`LENGTH_BUCKET`, plus 10,
    at most ``cap``.
    """
    bucket = max(1, -(-source_tokens // LENGTH_BUCKET)) * LENGTH_BUCKET
    return max(1, min(cap, 2 * bucket + 10))


@dataclass(frozen=True)
class RunIdentity:
    """What a run's back-translations and scores depend on, resolved once where mtcheck runs
    (as sacrebleu's signature names how a score was made).

    The translator builds it; its cache keys, the report's ``model``, the audit's
    fingerprint and summary, and the Ray actors (which must resolve to the same identity)
    all read this one object. ``decoding`` is the backend's key (its version and
    quantization, e.g. ``ctranslate2-2;int8``) and the decoding settings' key: the settings
    part of every cache key.
    """

    name: str  # the resolved model: a hub id or a local directory
    revision: str | None
    backend: str  # marian or ctranslate2, as resolved
    device: str  # as asked for: auto, cpu, cuda or cuda:N
    beams: int
    decoding: str

    def audit_record(self) -> dict:
        """The audit's record of the model, in its fingerprint and summary.json."""
        return {
            "name": self.name,
            "revision": self.revision,
            "beams": self.beams,
            "device": self.device,
            # backend, numerics (int8 or fp32), output bound: results differ between them
            "decoding": self.decoding,
        }
