"""The :class:`Translator` interface and its cached MarianMT implementation."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from mtcheck.backtranslate import ct2
from mtcheck.backtranslate.cache import (
    KIND_SCORE,
    KIND_TRANSLATE,
    ResultCache,
    cache_key,
    default_cache_path,
)
from mtcheck.backtranslate.extras import require_model
from mtcheck.backtranslate.hub import ResolvedModel, resolve_model
from mtcheck.backtranslate.marian import MarianBackend, check_device
from mtcheck.backtranslate.settings import DecodingSettings, RunIdentity
from mtcheck.constants import BACKEND_CHOICES
from mtcheck.errors import ConfigError, ModelNotAvailable
from mtcheck.model import ModelInfo, Translation

# Cache keys start with the backend's ``key`` (its version and numerics): bump that when a
# change changes what is computed for the same input.
BACKENDS = BACKEND_CHOICES


@runtime_checkable
class Translator(Protocol):
    info: ModelInfo

    def translate(self, texts: Sequence[str]) -> list[Translation]:
        """Back-translations in input order; a blank text gives ``Translation("", 0.0)``."""
        ...

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]:
        """Average log-prob per target token (EOS included) of each target given its source,
        by forced decoding; ``nan`` where the source or the target is blank."""
        ...


def _blank(text: str) -> bool:
    return not text or text.isspace()


def resolve_backend(backend: str, device: str = "auto") -> str:
    """``marian`` or ``ctranslate2`` for a requested backend and device, without torch.

    ``auto`` picks the fastest installed backend for the device: CTranslate2 on the CPU
    when it is installed; on a GPU CTranslate2 only where it can compute there (it sees a
    GPU and its cuBLAS loads, see :func:`mtcheck.backtranslate.ct2.cuda_usable`), else
    marian (transformers, fp16). Raises :class:`~mtcheck.backtranslate.extras.MissingExtra`
    when the chosen backend's packages (``mtcheck[model]``, ``mtcheck[fast]``) are missing.
    """
    check_device(device)
    if backend not in BACKENDS:
        raise ConfigError(
            f"Unknown backend '{backend}': use --backend auto, marian or ctranslate2."
        )
    chosen = _choose_backend(backend, device)
    # Before the model is resolved or anything is loaded: a core install (no extras) ends
    # here with one sentence naming the extra to install.
    require_model(chosen)
    return chosen


def _choose_backend(backend: str, device: str) -> str:
    if backend == "marian":
        return "marian"
    if not ct2.available():
        if backend == "ctranslate2":
            raise ModelNotAvailable(
                "The ctranslate2 backend needs CTranslate2, which is not installed: "
                "pip install 'mtcheck[fast]', or use --backend marian."
            )
        return "marian"
    if backend == "ctranslate2" or device == "cpu":
        return "ctranslate2"
    if ct2.cuda_usable():
        return "ctranslate2"
    if device == "auto" and ct2.cuda_device_count() == 0:
        return "ctranslate2"  # no GPU here: CTranslate2 on the CPU
    return "marian"


class MarianTranslator:
    """A :class:`Translator` over a MarianMT model with an optional SQLite cache.

    The backend (``marian``: transformers; ``ctranslate2``: the model converted for
    CTranslate2) and the weights are loaded on the first cache miss, not before: a run whose
    results are all cached never imports torch. ``model_calls`` counts batched model calls
    (one beam search or one forced-decoding pass each); ``cache_hits``/``cache_misses``
    count distinct texts. Cache keys name the backend and its numerics (quantization), so
    entries of different backends never mix.
    """

    def __init__(
        self,
        model: ResolvedModel,
        *,
        device: str = "auto",
        settings: DecodingSettings | None = None,
        cache: ResultCache | None = None,
        backend: str = "marian",
        compute_type: str | None = None,
        convert_root: Path | None = None,
    ) -> None:
        self.model = model
        self.settings = settings or DecodingSettings()
        self.requested_device = check_device(device)
        self.cache = cache
        self.cache_hits = 0
        self.cache_misses = 0
        self.backend = resolve_backend(backend, device)
        if self.backend == "ctranslate2":
            if convert_root is None:
                base = cache.path.parent if cache is not None else default_cache_path().parent
                convert_root = base / "ct2"
            self._backend = ct2.CTranslate2Backend(
                model,
                device,
                self.settings,
                convert_root=convert_root,
                compute_type=compute_type,
            )
        else:
            if compute_type not in (None, "float32"):
                raise ConfigError(
                    "compute_type applies to the ctranslate2 backend only "
                    "(marian runs fp32 on the CPU, fp16 on a GPU)."
                )
            self._backend = MarianBackend(model.path, device, self.settings)
        self.identity = RunIdentity(
            name=model.name,
            revision=model.revision,
            backend=self._backend.name,
            device=self.requested_device,
            beams=self.settings.beams,
            decoding=f"{self._backend.key};{self.settings.key()}",
        )

    @property
    def info(self) -> ModelInfo:
        device = self._backend.device or self.requested_device
        return ModelInfo(
            name=self.model.name,
            revision=self.model.revision,
            device=device,
            backend=self._backend.name,
            decoding=self.identity.decoding,
        )

    @property
    def loaded(self) -> bool:
        return self._backend.loaded

    @property
    def model_calls(self) -> int:
        return self._backend.model_calls

    def load(self) -> None:
        """Load the backend and the weights now rather than on the first cache miss."""
        self._backend.load()

    def translate(self, texts: Sequence[str]) -> list[Translation]:
        texts = list(texts)
        wanted = list(dict.fromkeys(t for t in texts if not _blank(t)))
        keys = {
            t: cache_key(self.model.cache_id, self.identity.decoding, KIND_TRANSLATE, [t])
            for t in wanted
        }
        found: dict[str, Translation] = {}
        if self.cache is not None and wanted:
            stored = self.cache.get_many(keys.values())
            for text in wanted:
                entry = stored.get(keys[text])
                if entry is not None and entry[0] is not None:
                    found[text] = Translation(entry[0], entry[1])
        missing = [t for t in wanted if t not in found]
        self.cache_hits += len(found)
        self.cache_misses += len(missing)
        if missing:
            for batch in self._backend.translate(missing):
                rows = []
                for index, output, logprob in batch:
                    found[missing[index]] = Translation(output, logprob)
                    rows.append((keys[missing[index]], output, logprob))
                if self.cache is not None:
                    self.cache.put_many(rows)
        return [Translation("", 0.0) if _blank(t) else found[t] for t in texts]

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]:
        sources, targets = list(sources), list(targets)
        if len(sources) != len(targets):
            raise ValueError(
                f"score() needs as many sources as targets ({len(sources)} != {len(targets)})"
            )
        pairs = list(
            dict.fromkeys(
                (s, t)
                for s, t in zip(sources, targets, strict=True)
                if not (_blank(s) or _blank(t))
            )
        )
        keys = {
            p: cache_key(self.model.cache_id, self.identity.decoding, KIND_SCORE, list(p))
            for p in pairs
        }
        found: dict[tuple[str, str], float] = {}
        if self.cache is not None and pairs:
            stored = self.cache.get_many(keys.values())
            for pair in pairs:
                entry = stored.get(keys[pair])
                if entry is not None:
                    found[pair] = entry[1]
        missing = [p for p in pairs if p not in found]
        self.cache_hits += len(found)
        self.cache_misses += len(missing)
        if missing:
            batches = self._backend.score([s for s, _ in missing], [t for _, t in missing])
            for batch in batches:
                rows = []
                for index, value in batch:
                    found[missing[index]] = value
                    rows.append((keys[missing[index]], None, value))
                if self.cache is not None:
                    self.cache.put_many(rows)
        return [
            math.nan if (_blank(s) or _blank(t)) else found[(s, t)]
            for s, t in zip(sources, targets, strict=True)
        ]

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()

    def __enter__(self) -> MarianTranslator:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def open_translator(
    name: str,
    *,
    device: str = "auto",
    settings: DecodingSettings | None = None,
    cache_path: Path | None = None,
    use_cache: bool = True,
    backend: str = "auto",
    compute_type: str | None = None,
) -> MarianTranslator:
    """Resolve ``name`` and the backend now (raising :class:`ModelNotAvailable` at once) and
    open the cache; torch and the weights are loaded only on the first cache miss.

    ``backend``: ``auto`` (see :func:`resolve_backend`), ``marian`` or ``ctranslate2``.
    ``compute_type`` (ctranslate2 only; default int8 on CPU, float16 on CUDA) is meant for
    tests and benchmarks. Converted CTranslate2 models live in ``ct2/`` beside the cache file.
    """
    check_device(device)
    resolved_backend = resolve_backend(backend, device)
    resolved = resolve_model(name)
    path = cache_path or default_cache_path()
    cache = ResultCache(path) if use_cache else None
    return MarianTranslator(
        resolved,
        device=device,
        settings=settings,
        cache=cache,
        backend=resolved_backend,
        compute_type=compute_type,
        convert_root=Path(path).parent / "ct2",
    )

