"""An audit job's lifecycle: its identity (fingerprint), the output folder it holds, the
store it starts or resumes, the engine that computes what the store lacks, and the
outputs written from the store at the end."""

from __future__ import annotations

import hashlib
import json
import shlex
import shutil
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from mtcheck import __version__
from mtcheck.audit import ray_engine
from mtcheck.audit.batching import DOC_RUN_LIMIT, batch_rows, count_rows, selection
from mtcheck.audit.local import Selection, process
from mtcheck.audit.output import (
    REPORT_FILE,
    SEGMENTS_FILE,
    SUMMARY_FILE,
    write_outputs,
    written_group_by,
)
from mtcheck.audit.record import RECORD_FORMAT
from mtcheck.audit.store import STORE_NAME, Store, exclusive, store_error
from mtcheck.audit.work import RuleSpec
from mtcheck.backtranslate.settings import BATCH_SIZE, RunIdentity
from mtcheck.errors import ConfigError
from mtcheck.flags.cache import code_digest, settings_digest
from mtcheck.io.columns import TableColumns
from mtcheck.io.sources import expand_inputs


@dataclass(frozen=True)
class AuditOptions:
    inputs: tuple[Path, ...]
    out: Path
    workers: int = 1
    limit: int | None = None
    sample: int | None = None
    seed: int = 0
    group_by: str | None = None
    overwrite: bool = False
    rules: RuleSpec = field(default_factory=RuleSpec)
    # What identifies the model's results; None = no model.
    identity: RunIdentity | None = None
    batch_size: int | None = None  # None: the CPU's default batch size
    # --pair (glob, reference template): the German documents of directory inputs.
    pairs: tuple[tuple[str, str], ...] = ()
    # "local" or "ray" (not part of the fingerprint: both compute the same results).
    engine: str = "local"
    ray_address: str | None = None  # None: a local Ray, started for the run
    # What opens the model inside Ray actors (ray_engine.ModelSettings); None = no model.
    model_settings: object | None = None
    # How the tables' columns are read (--target-column, …, --strip-tag): part of the
    # fingerprint through each table's identity, where not the defaults.
    columns: TableColumns = field(default_factory=TableColumns)

    @property
    def batch_rows(self) -> int:
        return batch_rows(self.batch_size or BATCH_SIZE["cpu"])

    @property
    def model(self) -> dict | None:
        """The model as the fingerprint and summary.json record it."""
        return None if self.identity is None else self.identity.audit_record()


@dataclass(frozen=True)
class Outcome:
    status: str  # "done" or "nothing-to-do"
    segments: int
    computed: int  # segments computed in this run (not taken from the store)
    out: Path


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM stopped the audit: ``done`` segments of ``total`` are stored (None
    where unknown: ``total`` before the segments were counted)."""

    def __init__(self, done: int | None, total: int | None) -> None:
        super().__init__(done, total)
        self.done = done
        self.total = total

    def hint(self, command: str) -> str:
        if self.total is None:
            where = "interrupted before the segments were counted"
        else:
            where = f"interrupted after {self.done or 0:,} of {self.total:,} segments"
        return f"mtcheck: {where}; resume with: {command}"


def command_line(argv: list[str] | None = None) -> str:
    """This process's command line, shell-quoted, to run again: the program as found on
    PATH (``mtcheck``) where that is the same file, ``python -m module`` for a module run
    with ``-m``, else the path it was started by."""
    argv = list(sys.argv if argv is None else argv)
    first = argv[0] if argv and argv[0] else "mtcheck"
    if first.endswith(".py"):
        spec = getattr(sys.modules.get("__main__"), "__spec__", None)
        if spec is not None and spec.name:
            program = [sys.executable, "-m", spec.name.removesuffix(".__main__")]
        else:
            program = [sys.executable, first]
    else:
        found = shutil.which(Path(first).name)
        same = found is not None and Path(found).resolve() == Path(first).resolve()
        program = [Path(first).name if same else first]
    return shlex.join(program + argv[1:])


def fingerprint(options: AuditOptions, rules, sources=None) -> tuple[str, dict]:
    """The job's identity: every file read (path, size, mtime; references of documents
    included), result-changing options, model, rule settings and the flag rules' code."""
    if sources is None:
        sources = expand_inputs(options.inputs, options.pairs, options.columns)
    description = {
        "mtcheck_version": __version__,
        "inputs": [source.identity() for source in sources],
        "limit": options.limit,
        "sample": options.sample,
        "seed": options.seed if options.sample is not None else None,
        "model": options.model,
        "rules": settings_digest(rules),
        "flags_code": code_digest(),
        "doc_run_limit": DOC_RUN_LIMIT,
        "record_format": RECORD_FORMAT,
    }
    digest = hashlib.sha256(json.dumps(description, sort_keys=True).encode()).hexdigest()
    return digest, description


def remove_outputs(out: Path) -> None:
    """Remove a previous audit's store and outputs from ``out`` (--overwrite)."""
    for name in (
        STORE_NAME,
        f"{STORE_NAME}-wal",
        f"{STORE_NAME}-shm",
        SEGMENTS_FILE,
        SUMMARY_FILE,
        REPORT_FILE,
    ):
        try:
            (out / name).unlink()
        except FileNotFoundError:
            pass


def run_audit(
    options: AuditOptions,
    *,
    translator=None,
    show_progress: bool = False,
    tell: Callable[[str], None] = lambda _message: None,
) -> Outcome:
    sources = expand_inputs(options.inputs, options.pairs, options.columns)
    for source in sources:
        source.ensure_readable()
    rules = options.rules.build()
    digest, description = fingerprint(options, rules, sources)
    out = options.out
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"{out}: cannot create the output folder ({error.strerror}).") from None
    job = _Job(options, sources, digest, description, translator, show_progress, tell)
    with exclusive(out), _sigterm_interrupts():
        return job.run()


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM (kill, a scheduler's stop) ends the run as Ctrl-C does: whole batches are
    kept, and the command says how to resume. Only the main thread can set handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum, _frame) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@dataclass
class _Job:
    """The audit proper, while this run holds the output folder."""

    options: AuditOptions
    sources: list
    digest: str
    description: dict
    translator: object
    show_progress: bool
    tell: Callable[[str], None]
    expected: int | None = None

    def run(self) -> Outcome:
        options = self.options
        for source in self.sources:
            source.check(options.group_by)
        if options.overwrite:
            remove_outputs(options.out)
        store = Store(options.out / STORE_NAME)
        try:
            return self._in_store(store)
        except sqlite3.Error as error:  # a full disk, mostly: one sentence, the work is kept
            raise store_error(error, store.path) from None
        except KeyboardInterrupt:
            raise Interrupted(_stored(store), self.expected) from None
        except SystemExit as stop:
            # ray.init() replaces the SIGTERM handler with sys.exit(SIGTERM): the same stop.
            if options.engine != "ray" or stop.code != signal.SIGTERM:
                raise
            raise Interrupted(_stored(store), self.expected) from None
        finally:
            store.close()

    def _in_store(self, store: Store) -> Outcome:
        options, out = self.options, self.options.out
        total_rows, finished = self._open(store)
        if (
            finished
            and (out / SEGMENTS_FILE).is_file()
            and (out / REPORT_FILE).is_file()
            and written_group_by(out) == options.group_by
        ):
            return Outcome("nothing-to-do", store.done(), 0, out)
        if total_rows is None:
            self.tell("Counting the segments of the inputs")
            total_rows = count_rows(self.sources, store)
            store.set_total(total_rows)
        considered, chosen = selection(total_rows, options.limit, options.sample, options.seed)
        self.expected = considered if chosen is None else len(chosen)
        selected = Selection(considered, chosen, self.expected)
        if options.engine == "ray":
            computed = ray_engine.process(store, options, selected, self.show_progress)
        else:
            computed = process(
                store, options, self.sources, self.translator, selected, self.show_progress
            )
        self.tell("Writing segments.parquet, summary.json and report.html")
        done = store.done()
        if done != self.expected:  # pragma: no cover - a bug, not a user error
            raise AssertionError(f"the store holds {done} results for {self.expected} segments")
        write_outputs(store, out, self._header(), options.group_by)
        store.set_finished(True)
        return Outcome("done", self.expected, computed, out)

    def _open(self, store: Store) -> tuple[int | None, bool]:
        """Start this job in the store, or adopt the one there: (rows counted, finished)."""
        job = store.job()
        if job is None:
            store.start(self.digest, self.description)
            return None, False
        if job[0] != self.digest and store.done() == 0 and not job[2]:
            # A job that stored nothing (e.g. stopped by an input error): nothing to keep.
            store.reset()
            store.start(self.digest, self.description)
            return None, False
        if job[0] != self.digest:
            raise ConfigError(
                f"{self.options.out} holds an audit of other inputs or options; use a new "
                "--out, or --overwrite to replace it."
            )
        store.adopt(self.digest)
        return job[1], job[2]

    def _header(self) -> dict:
        """What summary.json says about the job, before its figures."""
        return {
            "mtcheck_version": self.description["mtcheck_version"],
            "inputs": [entry[0] for entry in self.description["inputs"]],
            "model": self.options.model,
            "limit": self.options.limit,
            "sample": self.options.sample,
            "seed": self.description["seed"],
        }


def _stored(store) -> int | None:
    """Segments in the store after an interrupt (the batch in flight was rolled back)."""
    try:
        return store.done()
    except sqlite3.Error:
        return None
