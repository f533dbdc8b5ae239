"""Persistent SQLite cache of back-translations and forced-decoding scores.

One row per (model, revision, decoding settings, kind, text(s)), keyed by the SHA-256 of
those parts. The database runs in WAL mode so that several processes can read while one
writes; every batch is written in one transaction, so a killed run leaves whole batches or
nothing, never half an entry.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from mtcheck.errors import MtcheckError

SCHEMA_VERSION = "1"
_LOOKUP_CHUNK = 500  # keys per SELECT ... IN (...)

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


def cache_key(model_id: str, settings_key: str, kind: str, texts: Sequence[str]) -> bytes:
    """SHA-256 over the parts, JSON-encoded so that no two different part lists collide."""
    payload = json.dumps([model_id, settings_key, kind, *texts], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).digest()


class CacheError(MtcheckError):
    """The cache file cannot be opened, read or written."""


class ResultCache:
    """``key -> (text, value)``; ``text`` is None for scores, ``value`` NaN when stored as NULL."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CacheError(
                f"Cannot create the cache folder {self.path.parent} ({exc.strerror or exc}): set "
                "MTCHECK_CACHE to a writable file path or use --no-cache."
            ) from exc
        self._conn: sqlite3.Connection | None = None
        if self.path.is_dir():
            raise CacheError(
                f"The cache path {self.path} is a directory: set MTCHECK_CACHE to a file path "
                "or use --no-cache."
            )
        try:
            conn = sqlite3.connect(self.path, timeout=30.0, check_same_thread=False)
            self._conn = conn
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
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            return CacheError(
                f"The cache file {self.path} stayed locked by another process for 30 seconds: "
                "wait for it to finish, or use --no-cache."
            )
        return CacheError(
            f"The cache file {self.path} is corrupt or not an mtcheck cache ({exc}): delete it "
            "or use --no-cache."
        )

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
                        found[key] = (text, math.nan if value is None else float(value))
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
