"""The audit's embedded store: SQLite in WAL mode in the output folder.

``jobs`` holds one row: the run's fingerprint (inputs' paths, sizes and mtimes, the
options that change results, the model revision, the flag rules' code), the number of
segments once counted, and whether the outputs were written. ``results`` holds one row per
segment, keyed by its ordinal (its place in the job's stream of segments), as JSON.
``columns`` lists the metadata columns in the order they were first seen, with the kind of
their values so far (see :func:`mtcheck.io.columns.merge_kinds`; NULL in a store written
before kinds were kept, whose values are text).
``document_rows`` keeps the rows of German documents (``documents``: which sources, how many
rows), written when the segments are counted: splitting and aligning a document is the
slow part of reading it, and this way it is done once per job, not again to process the
rows or to resume.

Every batch of results is one transaction, so a killed run leaves whole batches or
nothing; a rerun skips the batches already there. A batch is stored only while the store's
job is still the one this run works for (see :meth:`Store.commit`).

One audit at a time per output folder: :func:`exclusive` holds ``audit.lock`` there for the
whole run, and ``audit.pid`` names the process holding it.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from mtcheck.backtranslate.cache import sqlite_problem
from mtcheck.errors import MtcheckError
from mtcheck.io.tables import Row

STORE_NAME = "audit.sqlite"
LOCK_NAME = "audit.lock"
PID_NAME = "audit.pid"  # beside the lock: filelock empties the lock file on every attempt
# Seconds to wait for a lock on the store (only another tool could hold it: audits into one
# folder exclude each other through LOCK_NAME).
BUSY_TIMEOUT = 60.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL,
    description TEXT NOT NULL,
    total INTEGER,
    finished INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS results (ordinal INTEGER PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS columns (name TEXT PRIMARY KEY, first INTEGER NOT NULL, kind TEXT);
CREATE TABLE IF NOT EXISTS document_rows (
    source INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    row TEXT NOT NULL,
    PRIMARY KEY (source, seq)
);
CREATE TABLE IF NOT EXISTS documents (source INTEGER PRIMARY KEY, rows INTEGER NOT NULL);
"""


class StoreError(MtcheckError):
    """The store in the output folder cannot be opened, read or written."""


def store_error(error: BaseException, path: Path) -> StoreError:
    """One sentence for a failure of the store ``path``: a full disk or a read-only folder
    leaves a healthy store that the same command resumes, so only a damaged store is
    worth replacing."""
    problem = sqlite_problem(error, path)
    if problem == "full":
        message = (
            f"The disk holding the audit store {path} is full: free space and run the same "
            "command again; finished work is kept."
        )
    elif problem == "read-only":
        message = (
            f"Cannot write the audit store {path}: it or its folder is read-only; make it "
            "writable or use another --out."
        )
    elif problem == "locked":
        message = (
            f"The audit store {path} stayed locked by another process for {BUSY_TIMEOUT:g} "
            "seconds: wait for it to finish, or use another --out."
        )
    else:
        message = f"{path}: cannot use the audit store ({error}); use a new --out or --overwrite."
    return StoreError(message)


@contextmanager
def exclusive(out: Path) -> Iterator[None]:
    """Hold the output folder's lock for the run: a second audit into ``out`` is refused
    at once (two runs would overwrite each other's outputs and mix their results)."""
    from filelock import FileLock, Timeout

    lock = FileLock(out / LOCK_NAME, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        holder = _holder(out)
        raise StoreError(
            f"{out} is in use by another mtcheck audit ({holder}): wait for it to finish, "
            "or use another --out."
        ) from None
    except OSError as error:
        raise store_error(error, out / LOCK_NAME) from None
    pid_file = out / PID_NAME
    try:
        pid_file.write_text(f"{os.getpid()}\n", encoding="ascii")
    except OSError:
        pass  # only the message of a refused second run would miss it
    try:
        yield
    finally:
        try:
            pid_file.unlink()
        except OSError:
            pass
        lock.release()


def _holder(out: Path) -> str:
    try:
        pid = int((out / PID_NAME).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return "process unknown"
    return f"process {pid}"


class Store:
    def __init__(self, path: Path, timeout: float | None = None) -> None:
        self.path = Path(path)
        # The job this run works for (set by start/adopt); commits check it is still there.
        self.fingerprint: str | None = None
        try:
            self._db = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT if timeout is None else timeout
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            _add_kinds(self._db)
            self._db.commit()
        except sqlite3.Error as error:
            raise store_error(error, self.path) from None

    # -- the job -------------------------------------------------------------------------

    def job(self) -> tuple[str, int | None, bool] | None:
        """(fingerprint, total, finished) of the job in this store, or None."""
        row = self._db.execute("SELECT fingerprint, total, finished FROM jobs").fetchone()
        return None if row is None else (row[0], row[1], bool(row[2]))

    def start(self, fingerprint: str, description: dict) -> None:
        with self._db:
            self._db.execute(
                "INSERT INTO jobs (id, fingerprint, description) VALUES (1, ?, ?)",
                (fingerprint, json.dumps(description, ensure_ascii=False, sort_keys=True)),
            )
        self.fingerprint = fingerprint

    def adopt(self, fingerprint: str) -> None:
        """Work for the stored job ``fingerprint`` (a resumed run)."""
        self.fingerprint = fingerprint

    def reset(self) -> None:
        """Forget the job and its results."""
        with self._db:
            self._db.execute("DELETE FROM jobs")
            self._db.execute("DELETE FROM results")
            self._db.execute("DELETE FROM columns")
            self._db.execute("DELETE FROM document_rows")
            self._db.execute("DELETE FROM documents")

    def set_total(self, total: int) -> None:
        with self._db:
            self._check_job()
            self._db.execute("UPDATE jobs SET total = ?", (total,))

    def set_finished(self, finished: bool) -> None:
        with self._db:
            self._check_job()
            self._db.execute("UPDATE jobs SET finished = ?", (int(finished),))

    # -- results -------------------------------------------------------------------------

    def done(self) -> int:
        return self._db.execute("SELECT count(*) FROM results").fetchone()[0]

    def has_all(self, first: int, last: int) -> bool:
        """Whether every ordinal from ``first`` to ``last`` (inclusive) is stored."""
        count = self._db.execute(
            "SELECT count(*) FROM results WHERE ordinal BETWEEN ? AND ?", (first, last)
        ).fetchone()[0]
        return count == last - first + 1

    def ranges(self) -> list[tuple[int, int]]:
        """The stored ordinals as sorted ``(first, last)`` runs of consecutive ordinals."""
        return [
            (first, last)
            for first, last in self._db.execute(
                "SELECT min(ordinal), max(ordinal) FROM (SELECT ordinal, ordinal - "
                "row_number() OVER (ORDER BY ordinal) AS run FROM results) "
                "GROUP BY run ORDER BY 1"
            )
        ]

    def commit(
        self, rows: Iterable[tuple[int, str]], columns: Iterable[tuple[str, int, str]]
    ) -> None:
        """One batch of ``(ordinal, JSON)`` results and the metadata columns it uses
        (``(name, first, kind)``), in one transaction, provided the store still holds this
        run's job: results of a job that another run replaced (reset) must not mix with the
        new job's."""
        with self._db:
            self._check_job()
            self._db.executemany(
                "INSERT OR REPLACE INTO results (ordinal, value) VALUES (?, ?)", rows
            )
            self._db.executemany(
                "INSERT INTO columns (name, first, kind) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET first = min(first, excluded.first), "
                f"kind = {_MERGED_KIND}",
                columns,
            )

    def _check_job(self) -> None:
        if self.fingerprint is None:
            return
        # A write first: it takes the store's write lock, so the check and the batch are one.
        still = self._db.execute(
            "UPDATE jobs SET fingerprint = fingerprint WHERE fingerprint = ?", (self.fingerprint,)
        ).rowcount
        if still != 1:
            raise StoreError(
                f"{self.path}: another run replaced this audit's job while it ran; run the "
                "command again (one run per --out at a time)."
            )

    def columns(self) -> list[str]:
        return [name for name, _kind in self.column_kinds()]

    def column_kinds(self) -> list[tuple[str, str | None]]:
        """``(name, kind)`` of the metadata columns, in the order they were first seen."""
        return self._db.execute("SELECT name, kind FROM columns ORDER BY first, name").fetchall()

    def results(self, page: int = 5000) -> Iterator[list[dict]]:
        """Stored results in ordinal order, ``page`` at a time."""
        last = -1
        while True:
            rows = self._db.execute(
                "SELECT ordinal, value FROM results WHERE ordinal > ? ORDER BY ordinal LIMIT ?",
                (last, page),
            ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [json.loads(value) for _ordinal, value in rows]

    # -- rows of documents ---------------------------------------------------------------

    def keep_rows(self, source: int, rows: list[Row]) -> None:
        """The rows of the job's ``source``-th input (a document), in one transaction."""
        with self._db:
            self._db.execute("DELETE FROM document_rows WHERE source = ?", (source,))
            self._db.executemany(
                "INSERT INTO document_rows (source, seq, row) VALUES (?, ?, ?)",
                (
                    (source, seq, json.dumps(_row_fields(row), ensure_ascii=False))
                    for seq, row in enumerate(rows)
                ),
            )
            self._db.execute(
                "INSERT OR REPLACE INTO documents (source, rows) VALUES (?, ?)",
                (source, len(rows)),
            )

    def kept(self, source: int) -> bool:
        row = self._db.execute("SELECT rows FROM documents WHERE source = ?", (source,))
        return row.fetchone() is not None

    def kept_rows(self, source: int, page: int = 2000) -> Iterator[Row]:
        """The rows kept by :meth:`keep_rows`, in order, ``page`` at a time."""
        last = -1
        while True:
            rows = self._db.execute(
                "SELECT seq, row FROM document_rows WHERE source = ? AND seq > ? "
                "ORDER BY seq LIMIT ?",
                (source, last, page),
            ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            for _seq, value in rows:
                fields = json.loads(value)
                yield Row(
                    fields["path"],
                    fields["line"],
                    fields["id"],
                    fields["target"],
                    fields["reference"],
                    tuple(map(tuple, fields["meta"])),
                    fields["alignment"],
                )

    def close(self) -> None:
        self._db.close()


# layout.merge_kinds in SQL: the kind of a column after a batch of values of another kind.
_MERGED_KIND = """CASE
    WHEN columns.kind IS NULL OR 'string' IN (columns.kind, excluded.kind) THEN 'string'
    WHEN excluded.kind = 'null' OR columns.kind = excluded.kind THEN columns.kind
    WHEN columns.kind = 'null' THEN excluded.kind
    WHEN columns.kind IN ('int', 'float') AND excluded.kind IN ('int', 'float') THEN 'float'
    ELSE 'string' END"""


def _add_kinds(db: sqlite3.Connection) -> None:
    """Give a store written before kinds were kept its ``kind`` column (NULL: text)."""
    names = [row[1] for row in db.execute("PRAGMA table_info(columns)")]
    if "kind" not in names:
        db.execute("ALTER TABLE columns ADD COLUMN kind TEXT")


def _row_fields(row: Row) -> dict:
    """A kept document row as a record, read back by name in :meth:`Store.kept_rows`."""
    return {
        "path": row.path,
        "line": row.line,
        "id": row.id,
        "target": row.target,
        "reference": row.reference,
        "meta": [list(m) for m in row.meta],
        "alignment": row.alignment,
    }
