"""Pairs of German files and their English references, found by a glob and a template, and
kept inside a root folder (the gate's configured pairs, the audit's ``--pair``).

``{path}`` in a reference template is the target's path below the fixed part of its glob
("docs/de/" for "docs/de/**/*.md"); ``{name}`` is its file name and ``{stem}`` that without
suffix. In CI a pull request edits the configuration and the files, so a glob, template or
file that leads outside the root (through ``..``, an absolute path or a symlink) is a
``ConfigError`` naming where it came from, raised before anything outside is read.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath

from mtcheck.errors import ConfigError

GLOB_CHARS = frozenset("*?[")
CONFIG_ADVICE = "paths from the configuration must stay inside the configuration file's folder"


@dataclass(frozen=True)
class Pair:
    target: str  # glob relative to the root
    reference: str  # template relative to the root


def outside(name: str, shown: str, root: Path, advice: str) -> ConfigError:
    return ConfigError(f"{name} leads to {shown}, outside {root.resolve().as_posix()}; {advice}.")


def inside(root: Path, path: Path) -> bool:
    """Whether ``path`` lies inside ``root`` once symlinks and ``..`` are resolved."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a symlink loop: RuntimeError before Python 3.13
        return False


def confine(root: Path, path: Path, name: str, advice: str = CONFIG_ADVICE) -> Path:
    """``path`` when it lies inside ``root`` with symlinks and ``..`` resolved, else a
    ``ConfigError`` naming ``name`` (e.g. "pyproject.toml: 'tool.mtcheck.gate.baseline'").

    The message shows ``path`` as given, never what a symlink points to."""
    if not inside(root, path):
        raise outside(name, display_path(path), root, advice)
    return path


def relative_glob(root: Path, pattern: str, name: str, advice: str = CONFIG_ADVICE) -> str:
    """``pattern`` as a glob relative to ``root``, with ``..`` parts folded away.

    ``Path.glob`` takes relative patterns only, so an absolute pattern inside ``root`` is
    made relative to it; one outside it, or one whose ``..`` climbs above ``root``, is a
    ``ConfigError`` naming ``name``. Symlinks are checked on the files found
    (:func:`confined_glob`)."""
    pure = PurePath(pattern)
    if pure.is_absolute():
        base = next((b for b in (root.absolute(), root.resolve()) if pure.is_relative_to(b)), None)
        if base is None:
            raise outside(name, pattern, root, advice)
        pure = pure.relative_to(base)
    folded = posixpath.normpath(pure.as_posix())
    if folded == ".." or folded.startswith("../"):
        raise outside(name, pattern, root, advice)
    if folded == ".":  # Path.glob fails on a pattern that names its own folder
        raise ConfigError(f"{name} names the folder itself; give a glob of files, e.g. 'de/*.md'.")
    return folded


def confined_glob(root: Path, pattern: str, name: str, advice: str = CONFIG_ADVICE) -> list[Path]:
    """The files ``pattern`` finds below ``root``, sorted; a ``ConfigError`` naming ``name``
    when the pattern, or a file it finds (a symlink, or below a symlinked folder), leads
    outside ``root``. Nothing found is opened before the check."""
    relative = relative_glob(root, pattern, name, advice)
    try:
        found = [path for path in root.glob(relative) if path.is_file()]
    except ValueError as error:  # e.g. an empty pattern
        raise ConfigError(f"{name} is not a usable glob ({error}).") from None
    return sorted(confine(root, path, name, advice) for path in found)


def pair_files(
    root: Path, pair: Pair, name: str, advice: str = CONFIG_ADVICE
) -> list[tuple[Path, Path]]:
    """(target, reference) for each file ``pair`` finds below ``root``, both confined to
    ``root``; ``name`` names the pair in errors. The reference need not exist."""
    pair = Pair(relative_glob(root, pair.target, name, advice), pair.reference)
    return [
        (target, confine(root, reference_of(pair, root, target), name, advice))
        for target in confined_glob(root, pair.target, name, advice)
    ]


def _fixed_prefix(pattern: str) -> PurePosixPath:
    parts = []
    for part in PurePosixPath(pattern).parts:
        if GLOB_CHARS & set(part):
            break
        parts.append(part)
    return PurePosixPath(*parts)


def reference_of(pair: Pair, root: Path, target: Path) -> Path:
    """Where ``pair`` puts the reference of ``target``, a file its glob found below ``root``."""
    below = PurePosixPath(target.relative_to(root).as_posix()).relative_to(
        _fixed_prefix(pair.target)
    )
    return root / pair.reference.format(path=str(below), name=target.name, stem=target.stem)


def display_path(path: Path) -> str:
    """A path as reports show it: relative to the current directory when below it."""
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()
