"""The option groups of the commands, unpacked into small frozen choices.

Light on purpose: the command line builds these before ``--help`` is answered, so nothing
here imports more than the standard library (what they open is in
:mod:`mtcheck.commands.setup`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def rule_names(value: str | None) -> frozenset[str] | None:
    """The names of a comma-separated --select or --ignore; None when not given."""
    if value is None:
        return None
    return frozenset(name.strip() for name in value.split(",") if name.strip())


@dataclass(frozen=True)
class ModelChoice:
    """--model, --device, --beams, --batch-size, --backend, --no-backtranslation and the
    cache options."""

    name: str
    device: str = "auto"
    beams: int = 4
    batch_size: int | None = None
    backend: str = "auto"
    backtranslate: bool = True
    cache_path: Path | None = None
    use_cache: bool = True

    def cache(self, configured: Path | None = None) -> Path | None:
        """The cache file: --cache, else the configured one (None: the default)."""
        return self.cache_path or configured


@dataclass(frozen=True)
class RuleChoice:
    """--config, --isolated, --select, --ignore and --glossary: what decides the rules."""

    config_file: Path | None = None
    isolated: bool = False
    select: frozenset[str] | None = None
    ignore: frozenset[str] | None = None
    glossary: Path | None = None


@dataclass(frozen=True)
class OutputChoice:
    """-f/--format, -o/--output, --color and -q: where the report goes and how it looks."""

    fmt: str | None = None
    path: Path | None = None
    color: bool | None = None
    quiet: bool = False
