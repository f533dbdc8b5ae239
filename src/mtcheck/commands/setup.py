"""What the choices open: the translator, the flags cache, the configuration and rules."""

from __future__ import annotations

from pathlib import Path

from mtcheck.backtranslate.cache import default_cache_path, unfit_path
from mtcheck.backtranslate.settings import DecodingSettings
from mtcheck.backtranslate.translator import open_translator
from mtcheck.commands.choices import ModelChoice, RuleChoice
from mtcheck.config import Config, resolve_config, rule_settings
from mtcheck.flags.cache import FlagCache
from mtcheck.flags.nouns import keep_table_in
from mtcheck.flags.settings import RuleSettings


def open_model(model: ModelChoice, configured_cache: Path | None = None):
    """The translator, or None without back-translation."""
    if not model.backtranslate:
        return None
    return open_translator(
        model.name,
        device=model.device,
        settings=DecodingSettings(beams=model.beams, batch_size=model.batch_size),
        cache_path=model.cache(configured_cache),
        use_cache=model.use_cache,
        backend=model.backend,
    )


def flag_cache(model: ModelChoice, configured_cache: Path | None = None) -> FlagCache | None:
    """The flags cache, in the same SQLite file as the back-translations."""
    if not model.use_cache:
        return None
    return FlagCache(model.cache(configured_cache) or default_cache_path())


def load_config(rules: RuleChoice) -> Config:
    return resolve_config(rules.config_file, isolated=rules.isolated)


def load_rules(rules: RuleChoice, config: Config) -> RuleSettings:
    return rule_settings(config, select=rules.select, ignore=rules.ignore, glossary=rules.glossary)


def keep_lexicon(cache_path: Path | None) -> None:
    """The noun table derived from the german-nouns lexicon is kept beside the cache file.

    Not a cache of results: --no-cache leaves it in place, since deriving it anew costs
    seconds on every run; a folder that cannot be written keeps it in memory instead.
    """
    path = cache_path or default_cache_path()
    # A cache path that is no regular file (--no-cache --cache /dev/null) names no folder
    # of mtcheck's: the table stays in memory rather than landing beside a device.
    keep_table_in(None if unfit_path(path) else path.parent)
