"""Back-translation of German into English with MarianMT, cached in SQLite.

Importing this package imports neither torch nor transformers; they are loaded when a
translator first has to run the model.
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
from mtcheck.backtranslate.settings import DEFAULT_MODEL, DecodingSettings
from mtcheck.backtranslate.translator import MarianTranslator, Translator, open_translator

__all__ = [
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
    "resolve_model",
]
