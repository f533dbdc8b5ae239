"""The :class:`Translator` interface and its cached MarianMT implementation."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from mtcheck.backtranslate.cache import (
    KIND_SCORE,
    KIND_TRANSLATE,
    ResultCache,
    cache_key,
    default_cache_path,
)
from mtcheck.backtranslate.hub import ResolvedModel, resolve_model
from mtcheck.backtranslate.marian import MarianBackend, check_device
from mtcheck.backtranslate.settings import DecodingSettings
from mtcheck.model import ModelInfo, Translation

# Bump when a change here or in the backend changes what is computed for the same input.
BACKEND_VERSION = "marian-1"


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


class MarianTranslator:
    """A :class:`Translator` over a MarianMT model with an optional SQLite cache.

    Torch and the weights are loaded on the first cache miss, not before: a run whose
    results are all cached never imports torch. ``model_calls`` counts batched model calls
    (one beam search or one forced-decoding pass each); ``cache_hits``/``cache_misses``
    count distinct texts.
    """

    def __init__(
        self,
        model: ResolvedModel,
        *,
        device: str = "auto",
        settings: DecodingSettings | None = None,
        cache: ResultCache | None = None,
    ) -> None:
        self.model = model
        self.settings = settings or DecodingSettings()
        self.requested_device = check_device(device)
        self.cache = cache
        self.cache_hits = 0
        self.cache_misses = 0
        self._backend = MarianBackend(model.path, device, self.settings)
        self._settings_key = f"{BACKEND_VERSION};{self.settings.key()}"

    @property
    def info(self) -> ModelInfo:
        device = self._backend.device or self.requested_device
        return ModelInfo(name=self.model.name, revision=self.model.revision, device=device)

    @property
    def loaded(self) -> bool:
        return self._backend.loaded

    @property
    def model_calls(self) -> int:
        return self._backend.model_calls

    def translate(self, texts: Sequence[str]) -> list[Translation]:
        texts = list(texts)
        wanted = list(dict.fromkeys(t for t in texts if not _blank(t)))
        keys = {
            t: cache_key(self.model.cache_id, self._settings_key, KIND_TRANSLATE, [t])
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
            p: cache_key(self.model.cache_id, self._settings_key, KIND_SCORE, list(p))
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
) -> MarianTranslator:
    """Resolve ``name`` now (raising :class:`ModelNotAvailable` at once) and open the cache;
    torch and the weights are loaded only on the first cache miss."""
    check_device(device)
    resolved = resolve_model(name)
    cache = ResultCache(cache_path or default_cache_path()) if use_cache else None
    return MarianTranslator(resolved, device=device, settings=settings, cache=cache)
