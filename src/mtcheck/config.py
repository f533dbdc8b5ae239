"""Configuration: ``[tool.mtcheck]`` in ``pyproject.toml`` or top-level keys in ``mtcheck.toml``.

Discovery (like ruff): from the current working directory upwards to the filesystem root,
the first directory that holds ``mtcheck.toml``, or a ``pyproject.toml`` with a
``[tool.mtcheck]`` table, supplies the configuration (``mtcheck.toml`` wins when a
directory has both; files are never merged). ``--config FILE`` names the file instead (a
file called ``pyproject.toml`` is read from its ``[tool.mtcheck]`` table, any other file
from its top level); ``--isolated`` ignores configuration files.

Keys (kebab-case as in ruff; snake_case spellings such as ``min_chrf`` are accepted too,
but not both spellings of one key)::

    select = ["modal-participle", "house-ki"]   # run only these (default: all default rules)
    ignore = ["number-format"]                   # never run these
    picky = true                                 # also run the rules of group "picky"
    min-chrf = 30.0                              # low-adequacy thresholds
    min-adequacy = -3.0
    fail-on = "major"                            # never, minor, major or critical
    glossary = "terms.csv"                       # inside the configuration file's folder
    allowed-english = ["Kubernetes", "Pollen"]   # never flagged by untranslated-text
    [severity]                                   # [tool.mtcheck.severity] in pyproject.toml
    number-format = "major"
    [[patterns]]                                 # [[tool.mtcheck.patterns]]
    name = "house-ki"
    pattern = '\\bAI\\b'
    message = "Write 'KI', not 'AI'."
    suggestion = "KI"
    category = "Terminology/Wrong term"          # default "Style/Company style"
    severity = "minor"                           # the default
    ignore-case = false                          # the default

Command-line options win: ``--select`` replaces ``select`` (and re-enables names that
``ignore`` lists), ``--ignore`` adds to ``ignore``, ``--fail-on`` and ``--glossary``
replace ``fail-on`` and ``glossary``. Every problem is a ``ConfigError`` that names the
file and the key.

Paths in a configuration file (``glossary`` and the gate's paths) must lie inside the file's
folder once ``..`` and symlinks are resolved: in CI the configuration comes from the pull
request, which must not make mtcheck read files outside the repository. Paths given on the
command line are the caller's choice and are not confined; ``mtcheck audit --pair`` globs
and templates, which read what a tree holds, stay inside the directory they search.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from mtcheck.constants import FAIL_ON
from mtcheck.errors import ConfigError
from mtcheck.flags.glossary import load_glossary
from mtcheck.flags.patterns import PatternRule
from mtcheck.flags.settings import (
    DEFAULT_MIN_ADEQUACY,
    DEFAULT_MIN_CHRF,
    RuleSettings,
    SettingsError,
)
from mtcheck.gate import GateConfig, parse_gate
from mtcheck.io.pairs import confine

CONFIG_FILE = "mtcheck.toml"
PYPROJECT = "pyproject.toml"
KEYS = (
    "select",
    "ignore",
    "severity",
    "picky",
    "min-chrf",
    "min-adequacy",
    "fail-on",
    "glossary",
    "allowed-english",
    "patterns",
    "gate",
)
PATTERN_KEYS = ("name", "pattern", "message", "suggestion", "category", "severity", "ignore-case")


@dataclass(frozen=True)
class Config:
    """What a configuration file says; ``path`` is None when none was used."""

    path: Path | None = None
    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    severity: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    picky: bool = False
    min_chrf: float | None = None
    min_adequacy: float | None = None
    fail_on: str | None = None
    glossary: Path | None = None
    allowed_english: frozenset[str] = frozenset()
    patterns: tuple[PatternRule, ...] = ()
    gate: GateConfig | None = None  # [tool.mtcheck.gate], for `mtcheck gate`


def find_config(start: Path | None = None) -> Path | None:
    """The configuration file that applies in ``start`` (default: the current directory)."""
    directory = (start or Path.cwd()).resolve()
    for folder in (directory, *directory.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        candidate = folder / PYPROJECT
        if candidate.is_file() and _has_mtcheck_table(candidate):
            return candidate
    return None


def _has_mtcheck_table(path: Path) -> bool:
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        if "mtcheck" not in text:
            return False  # someone else's broken pyproject.toml: not ours to judge
        raise ConfigError(f"{path}: not valid TOML ({error}).") from None
    tool = data.get("tool")
    return isinstance(tool, dict) and "mtcheck" in tool


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found.") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a configuration file.") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the configuration file is not UTF-8.") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the configuration ({error.strerror}).") from None


def resolve_config(
    config_file: Path | None = None, *, isolated: bool = False, start: Path | None = None
) -> Config:
    """The configuration for one run: ``config_file`` if given, else the discovered one,
    else (or with ``isolated``) the defaults."""
    if config_file is not None and isolated:
        raise ConfigError("Use --config FILE or --isolated, not both.")
    if isolated:
        return Config()
    path = config_file if config_file is not None else find_config(start)
    return load_config(path) if path is not None else Config()


def load_config(path: Path) -> Config:
    """Read and check one configuration file (see the module docstring for the keys)."""
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error}).") from None
    if path.name == PYPROJECT:
        tool = data.get("tool", {})
        table = tool.get("mtcheck") if isinstance(tool, dict) else None
        if table is None:
            raise ConfigError(f"{path}: has no [tool.mtcheck] table.")
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: 'tool.mtcheck' must be a table.")
        return _parse(table, path, "tool.mtcheck.")
    return _parse(data, path, "")


def _normalise(table: Mapping[str, Any], known: tuple[str, ...], path: Path, where: str):
    """Keys as kebab-case; unknown keys and a key spelled both ways are errors."""
    result: dict[str, Any] = {}
    for key, value in table.items():
        kebab = key.replace("_", "-")
        if kebab not in known:
            raise ConfigError(f"{path}: unknown key '{where}{key}': use one of {', '.join(known)}.")
        if kebab in result:
            raise ConfigError(
                f"{path}: '{where}{kebab}' is given twice (as {kebab!r} and "
                f"{kebab.replace('-', '_')!r}); keep one."
            )
        result[kebab] = value
    return result


def _parse(table: Mapping[str, Any], path: Path, prefix: str) -> Config:
    values = _normalise(table, KEYS, path, prefix)

    def fail(key: str, problem: str) -> ConfigError:
        return ConfigError(f"{path}: '{prefix}{key}' {problem}")

    patterns = _patterns(values.get("patterns", []), path, prefix)
    rules = _rules(values, patterns, path, prefix)
    min_chrf = values.get("min-chrf")
    min_adequacy = values.get("min-adequacy")

    fail_on = values.get("fail-on")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise fail("fail-on", f"is {fail_on!r}: use one of {', '.join(FAIL_ON)}.")

    glossary = values.get("glossary")
    if glossary is not None:
        if not isinstance(glossary, str) or not glossary.strip():
            raise fail("glossary", f"must be the path of a .csv or .tbx file, not {glossary!r}.")
        # Confined like the gate's paths: in CI a pull request may edit this file.
        glossary = confine(path.parent, path.parent / glossary, f"{path}: '{prefix}glossary'")
        glossary = glossary.resolve()

    gate_table = values.get("gate")
    if gate_table is not None and not isinstance(gate_table, dict):
        raise fail("gate", "must be a table ([tool.mtcheck.gate] or [gate]).")

    return Config(
        gate=parse_gate(gate_table, path, prefix),
        path=path,
        select=rules.select,
        ignore=rules.ignore,
        severity=rules.severity,
        picky=rules.picky,
        min_chrf=float(min_chrf) if min_chrf is not None else None,
        min_adequacy=float(min_adequacy) if min_adequacy is not None else None,
        fail_on=fail_on,
        glossary=glossary,
        allowed_english=rules.allowed_english,
        patterns=rules.patterns,
    )


def _rules(
    values: Mapping[str, Any], patterns: tuple[PatternRule, ...], path: Path, prefix: str
) -> RuleSettings:
    """The file's rule settings, checked by ``RuleSettings`` itself (the one place that
    checks them); its error is worded here with the file and the key."""
    min_chrf = values.get("min-chrf")
    min_adequacy = values.get("min-adequacy")
    try:
        return RuleSettings(
            select=values.get("select"),
            ignore=values.get("ignore", []),
            severity=values.get("severity", {}),
            picky=values.get("picky", False),
            min_chrf=DEFAULT_MIN_CHRF if min_chrf is None else min_chrf,
            min_adequacy=DEFAULT_MIN_ADEQUACY if min_adequacy is None else min_adequacy,
            patterns=patterns,
            allowed_english=values.get("allowed-english", []),
        )
    except SettingsError as error:
        if error.pattern is not None:
            where = _pattern_where(prefix, error.pattern + 1, patterns[error.pattern].name)
            raise ConfigError(f"{path}: {where}: {error.tail}") from None
        raise ConfigError(f"{path}: '{prefix}{error.key}' {error.tail}") from None


def _pattern_where(prefix: str, number: int, name: object) -> str:
    """How an error names a ``[[patterns]]`` table: its number, and its name when it has one."""
    where = f"[[{prefix}patterns]] number {number}"
    return where + f" ({name!r})" if isinstance(name, str) else where


def _patterns(value: Any, path: Path, prefix: str) -> tuple[PatternRule, ...]:
    """Each ``[[patterns]]`` table as a ``PatternRule``, which checks its own fields; that
    the names are new is checked with the other rule settings."""
    key = f"{prefix}patterns"
    if not isinstance(value, list):
        raise ConfigError(f"{path}: '{key}' must be an array of tables ([[{key}]]).")
    patterns: list[PatternRule] = []
    for number, table in enumerate(value, start=1):
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [[{key}]] number {number} must be a table.")
        where = _pattern_where(prefix, number, table.get("name"))
        entry = _normalise(table, PATTERN_KEYS, path, f"{key}[{number}].")
        for required in ("name", "pattern", "message"):
            if required not in entry:
                raise ConfigError(f"{path}: {where} needs '{required}'.")
        try:
            patterns.append(PatternRule(**{k.replace("-", "_"): v for k, v in entry.items()}))
        except ConfigError as error:
            raise ConfigError(f"{path}: {where}: {error}") from None
    return tuple(patterns)


def rule_settings(
    config: Config,
    *,
    select: frozenset[str] | None = None,
    ignore: frozenset[str] | None = None,
    glossary: Path | None = None,
) -> RuleSettings:
    """``RuleSettings`` from ``config`` with the command line's options on top.

    ``select`` (when given) replaces the configured selection and wins over the configured
    ``ignore`` for the names it lists; ``ignore`` adds to the configured one; ``glossary``
    replaces the configured glossary (loaded here: a bad file is a ``ConfigError``). The
    settings check themselves as they are made.
    """
    if select is not None:
        selected: frozenset[str] | None = frozenset(select)
        ignored = config.ignore - selected
    else:
        selected = config.select
        ignored = config.ignore
    ignored = ignored | frozenset(ignore or ())
    loaded = None
    if glossary is not None:
        loaded = load_glossary(glossary)
    elif config.glossary is not None:
        try:
            loaded = load_glossary(config.glossary)
        except ConfigError as error:
            message = str(error).rstrip(".")
            raise ConfigError(f"{message} (set by 'glossary' in {config.path}).") from None
    return RuleSettings(
        select=selected,
        ignore=ignored,
        severity=config.severity,
        min_chrf=DEFAULT_MIN_CHRF if config.min_chrf is None else config.min_chrf,
        min_adequacy=DEFAULT_MIN_ADEQUACY if config.min_adequacy is None else config.min_adequacy,
        picky=config.picky,
        patterns=config.patterns,
        glossary=loaded,
        allowed_english=config.allowed_english,
    )
