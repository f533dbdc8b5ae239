"""Persistent SQLite cache of back-translations and forced-decoding scores.

One row per (model, revision, decoding settings, kind, text(s)), keyed by the SHA-256 of
those parts. The database runs in WAL mode so that several processes can read while one
writes; every batch is written in one transaction, so a killed run leaves whole batches or
nothing, never half an entry.
"""

from __future__ import annotations

import errno
import hashlib
import json
import math
import os
import shutil
import sqlite3
import stat
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from mtcheck.errors import MtcheckError

SCHEMA_VERSION = "1"
_LOOKUP_CHUNK = 500  # keys per SELECT ... IN (...)
# Seconds to wait for another process's write to end before giving up (tests lower it).
BUSY_TIMEOUT = 30.0

KIND_TRANSLATE = "translate"
KIND_SCORE = "score"


def default_cache_path() -> Path:
    """``$MTCHECK_CACHE``, else ``$XDG_CACHE_HOME/mtcheck/cache.sqlite``, else
    ``~/.cache/mtcheck/cache.sqlite``."""
    explicit = os.environ.get("MTCHECK_CACHE")
    if explicit:
        return Path(os.path.expanduser(explicit))
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(os.path.expanduser(xdg)) if xdg else Path.home() / ".cache"
    return base / "mtcheck" / "cache.sqlite"


# Written into a cache folder that mtcheck creates, as ruff does with its cache: a cache
# inside a repository (the gate's ``cache = ".mtcheck-cache/..."``) never shows in
# ``git status`` and needs no line in the project's .gitignore.
GITIGNORE = "# Automatically created by mtcheck.\n*\n"


def make_cache_folder(folder: Path) -> None:
    """Create ``folder`` and its parents for mtcheck's cache files; a folder created here
    gets a ``.gitignore`` of ``*``. A folder that exists already is left as it is (it may be
    the user's own, e.g. the repository root). OSError as ``Path.mkdir`` raises it."""
    folder = Path(folder)
    if folder.is_dir():
        return
    try:
        folder.mkdir(parents=True)
    except FileExistsError:
        if folder.is_dir():
            return  # another process created it first, and writes the .gitignore
        raise
    from mtcheck.io.write import write_text

    try:
        write_text(folder / ".gitignore", GITIGNORE)
    except OSError:
        pass  # the cache works without it; only `git status` would show the folder


def cache_key(model_id: str, settings_key: str, kind: str, texts: Sequence[str]) -> bytes:
    """SHA-256 over the parts, JSON-encoded so that no two different part lists collide."""
    payload = json.dumps([model_id, settings_key, kind, *texts], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).digest()


def unfit_path(path: Path) -> str | None:
    """Why ``path`` cannot hold an SQLite file (``"is a directory"``, ...), or None for a
    regular file or a new path. SQLite would write ``PATH-journal`` and ``PATH-wal`` beside a
    device or pipe, and report the device as a corrupt database, so these are refused first."""
    link = os.path.islink(path)
    try:
        mode = os.stat(path).st_mode  # follows the link: what SQLite would open
    except FileNotFoundError:
        # A dangling link would make SQLite create a file wherever it points.
        return "is a symbolic link to a missing file" if link else None
    except OSError:
        return None  # SQLite's own error says it better
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        kind = "a directory"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    elif stat.S_ISFIFO(mode):
        kind = "a named pipe (FIFO)"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    else:
        kind = "not a regular file"
    return f"is a symbolic link to {kind}" if link else f"is {kind}"


# SQLite's primary result codes (``sqlite_errorcode & 0xFF``) and the words of their messages.
_PROBLEMS = {
    5: "locked",  # SQLITE_BUSY
    6: "locked",  # SQLITE_LOCKED
    3: "read-only",  # SQLITE_PERM
    8: "read-only",  # SQLITE_READONLY
    14: "read-only",  # SQLITE_CANTOPEN: the file, its journal or the folder is not writable
    13: "full",  # SQLITE_FULL
    11: "not-ours",  # SQLITE_CORRUPT
    26: "not-ours",  # SQLITE_NOTADB
}
_PROBLEM_WORDS = (
    ("is locked", "locked"),
    ("disk is full", "full"),
    ("readonly database", "read-only"),
    ("unable to open database file", "read-only"),
    ("file is not a database", "not-ours"),
    ("malformed", "not-ours"),
    ("no such table", "not-ours"),
    ("no such column", "not-ours"),
    ("has no column named", "not-ours"),
)
_ERRNO_PROBLEMS = {
    errno.ENOSPC: "full",
    errno.EDQUOT: "full",
    errno.EROFS: "read-only",
    errno.EACCES: "read-only",
    errno.EPERM: "read-only",
}


def sqlite_problem(error: BaseException, path: Path) -> str:
    """What went wrong with the SQLite file ``path``: ``locked``, ``full``, ``read-only``,
    ``not-ours`` (corrupt, or not the expected database) or ``other``. The advice differs:
    only a file that is not ours may be deleted; a full or read-only one is healthy."""
    if isinstance(error, OSError):
        return _ERRNO_PROBLEMS.get(error.errno, "other")
    code = getattr(error, "sqlite_errorcode", None)
    problem = _PROBLEMS.get(code & 0xFF) if isinstance(code, int) else None
    if problem is None:
        text = str(error).lower()
        problem = next((kind for words, kind in _PROBLEM_WORDS if words in text), "other")
    if problem == "other" and "disk i/o error" in str(error).lower() and _nearly_full(path):
        return "full"  # SQLite reports some failed writes on a full disk as I/O errors
    return problem


def _nearly_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(Path(path).parent).free < 1 << 20
    except OSError:
        return False


class CacheError(MtcheckError):
    """The cache file cannot be opened, read or written."""


def cache_error(error: BaseException, path: Path, timeout: float) -> CacheError:
    """One sentence for a failure of the cache file ``path`` (shared by the flags cache)."""
    problem = sqlite_problem(error, path)
    if problem == "locked":
        message = (
            f"The cache file {path} stayed locked by another process for {timeout:g} seconds: "
            "wait for it to finish, or use --no-cache."
        )
    elif problem == "full":
        message = (
            f"The disk holding the cache file {path} is full: free space and run again; "
            "finished work is kept."
        )
    elif problem == "read-only":
        message = (
            f"Cannot write the cache file {path}: it or its folder is read-only; make it "
            "writable, set MTCHECK_CACHE or --cache to another path, or use --no-cache."
        )
    elif problem == "not-ours":
        message = (
            f"The cache file {path} is not an mtcheck cache or is corrupt ({error}): delete "
            "it or use --no-cache."
        )
    else:
        message = f"Cannot use the cache file {path} ({error}): use --no-cache."
    return CacheError(message)


def check_cache_path(path: Path) -> None:
    """Refuse a cache path that is not a regular file or a new path (see :func:`unfit_path`)."""
    why = unfit_path(path)
    if why is not None:
        raise CacheError(
            f"The cache path {path} {why}, not a regular file: set MTCHECK_CACHE or --cache "
            "to a file path, or use --no-cache."
        )


def _text_or_bytes(data: bytes) -> str | bytes:
    """Text columns as ``str``; bytes that are not UTF-8 stay bytes, which :func:`_entry`
    rejects (SQLite's default raises, failing the whole lookup for one bad row)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data


def _entry(text: object, value: object) -> tuple[str | None, float] | None:
    """A stored row as ``(text, value)``, or None (a miss) when it is damaged: a text that is
    not a string, a value that is not a number. The caller recomputes a miss and overwrites
    the row, so a damaged cache never gives a wrong result."""
    if text is not None and not isinstance(text, str):
        return None
    if value is None:
        return text, math.nan
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return text, float(value)


class ResultCache:
    """``key -> (text, value)``; ``text`` is None for scores, ``value`` NaN when stored as NULL."""

    def __init__(self, path: Path, timeout: float | None = None) -> None:
        self.path = Path(path)
        self.timeout = BUSY_TIMEOUT if timeout is None else timeout
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        check_cache_path(self.path)
        try:
            make_cache_folder(self.path.parent)
        except OSError as exc:
            raise CacheError(
                f"Cannot create the cache folder {self.path.parent} ({exc.strerror or exc}): set "
                "MTCHECK_CACHE to a writable file path or use --no-cache."
            ) from exc
        try:
            conn = sqlite3.connect(self.path, timeout=self.timeout, check_same_thread=False)
            self._conn = conn
            # Text that is not UTF-8 (a damaged row) becomes a miss, not an error.
            conn.text_factory = _text_or_bytes
            with conn:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)"
                )
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS entries ("
                    " key BLOB PRIMARY KEY, text TEXT, value REAL) WITHOUT ROWID"
                )
                row = conn.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
                if row is None:
                    conn.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
                elif row[0] != SCHEMA_VERSION:
                    raise CacheError(
                        f"The cache file {self.path} was written by another mtcheck version "
                        f"(schema {row[0]}): delete it or use --no-cache."
                    )
        except sqlite3.Error as exc:
            self.close()
            raise self._broken(exc) from exc
        except CacheError:
            self.close()
            raise

    def _broken(self, exc: BaseException) -> CacheError:
        return cache_error(exc, self.path, self.timeout)

    def get_many(self, keys: Iterable[bytes]) -> dict[bytes, tuple[str | None, float]]:
        """The stored entries among ``keys``."""
        keys = list(dict.fromkeys(keys))
        found: dict[bytes, tuple[str | None, float]] = {}
        with self._lock:
            conn = self._connection()
            try:
                for start in range(0, len(keys), _LOOKUP_CHUNK):
                    chunk = keys[start : start + _LOOKUP_CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows = conn.execute(
                        f"SELECT key, text, value FROM entries WHERE key IN ({marks})", chunk
                    )
                    for key, text, value in rows:
                        entry = _entry(text, value)
                        if entry is not None:
                            found[key] = entry
            except sqlite3.Error as exc:
                raise self._broken(exc) from exc
        return found

    def put_many(self, items: Iterable[tuple[bytes, str | None, float]]) -> None:
        """Store ``(key, text, value)`` rows in one transaction (all or nothing)."""
        rows = [
            (key, text, None if value is None or math.isnan(value) else float(value))
            for key, text, value in items
        ]
        if not rows:
            return
        with self._lock:
            conn = self._connection()
            try:
                with conn:
                    conn.executemany(
                        "INSERT OR REPLACE INTO entries (key, text, value) VALUES (?, ?, ?)", rows
                    )
            except sqlite3.Error as exc:
                raise self._broken(exc) from exc

    def __len__(self) -> int:
        with self._lock:
            try:
                return self._connection().execute("SELECT COUNT(*) FROM entries").fetchone()[0]
            except sqlite3.Error as exc:
                raise self._broken(exc) from exc

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise CacheError(f"The cache file {self.path} was already closed.")
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    def __enter__(self) -> ResultCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
