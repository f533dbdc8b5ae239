"""Back-translation of German into English with MarianMT, cached in SQLite.

Backends: ``marian`` (transformers) and ``ctranslate2`` (``mtcheck[fast]``); ``auto`` picks
the fastest installed one for the device. Importing this package imports neither torch,
transformers nor ctranslate2; they are loaded when a translator first has to run the model.
"""

from mtcheck.backtranslate.cache import ResultCache, default_cache_path
from mtcheck.backtranslate.hub import (
    InstalledModel,
    ResolvedModel,
    download_model,
    hub_cache_dir,
    installed_models,
    resolve_model,
)
from mtcheck.backtranslate.settings import DecodingSettings
from mtcheck.backtranslate.translator import (
    BACKENDS,
    MarianTranslator,
    Translator,
    open_translator,
    resolve_backend,
)
from mtcheck.constants import DEFAULT_MODEL

__all__ = [
    "BACKENDS",
    "DEFAULT_MODEL",
    "DecodingSettings",
    "InstalledModel",
    "MarianTranslator",
    "ResolvedModel",
    "ResultCache",
    "Translator",
    "default_cache_path",
    "download_model",
    "hub_cache_dir",
    "installed_models",
    "open_translator",
    "resolve_backend",
    "resolve_model",
]
