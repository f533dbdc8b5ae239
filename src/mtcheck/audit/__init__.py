"""``mtcheck audit``: scores and flags for large segment tables, resumable, streaming.

    inputs (JSONL/TSV/CSV/Parquet rows) -> batches of whole documents -> model (main process)
    -> scores + flags (worker processes) -> store (SQLite, one transaction per batch)
    -> segments.parquet + summary.json + report.html (at the end, from the store)

Each input row is one segment: there is no sentence splitting or alignment here (XLIFF,
TMX and German documents with their references, given as files or directories, become rows
first: see :mod:`mtcheck.audit.inputs`). The
document-level flag rules (term consistency, mixed number styles) see a *document run*:
the consecutive rows of one input file that share a ``doc`` value (and ``system`` value,
where there is that column: one system's document; at most
:data:`DOC_RUN_LIMIT` rows; a longer run is cut there). Without a ``doc`` column, or where
``doc`` is empty, a row is its own document. Rows of one document should therefore be
adjacent in the table; scattered rows of one ``doc`` form several runs (holding a whole
document of a table that is not sorted by ``doc`` would mean holding the corpus).

The run is deterministic: the inputs are read in the order given, batches are cut at
fixed places (``batch_rows`` rows, rounded up to the end of a document run), each
segment's ordinal is its place in the job's stream of segments, and the store keeps the
results of whole batches. A rerun after a kill skips the batches in the store and
computes the others exactly as an uninterrupted run would.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from mtcheck.audit.layout import TableColumns
from mtcheck.audit.tables import Row
from mtcheck.audit.work import RuleSpec, Task, clean_adequacy, init_worker, run_task
from mtcheck.backtranslate.settings import BATCH_SIZE
from mtcheck.errors import ConfigError

# Rows per batch (the unit fed to the model and committed to the store): this many model
# batches (--batch-size), at least MIN_BATCH_ROWS. A batch only changes throughput, so it is
# not part of the job's fingerprint: a rerun with another --batch-size skips the batches
# already stored whole and recomputes the rest.
MODEL_BATCHES_PER_BATCH = 16
MIN_BATCH_ROWS = 32
DOC_RUN_LIMIT = 1000
DOC_COLUMN = "doc"

__all__ = ["AuditOptions", "Interrupted", "RuleSpec", "command_line", "run_audit", "DOC_RUN_LIMIT"]


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
    # What identifies the model's results (name, revision, beams, device); None = no model.
    model: dict | None = None
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
        size = self.batch_size or BATCH_SIZE["cpu"]
        return max(MIN_BATCH_ROWS, MODEL_BATCHES_PER_BATCH * size)


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
    import shlex
    import shutil
    import sys

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
    from mtcheck import __version__
    from mtcheck.audit.inputs import expand_inputs
    from mtcheck.flags.cache import code_digest, settings_digest

    if sources is None:
        sources = expand_inputs(options.inputs, options.pairs, options.columns)
    inputs = [source.identity() for source in sources]
    description = {
        "mtcheck_version": __version__,
        "inputs": inputs,
        "limit": options.limit,
        "sample": options.sample,
        "seed": options.seed if options.sample is not None else None,
        "model": options.model,
        "rules": settings_digest(rules),
        "flags_code": code_digest(),
        "doc_run_limit": DOC_RUN_LIMIT,
    }
    digest = hashlib.sha256(json.dumps(description, sort_keys=True).encode()).hexdigest()
    return digest, description


def _remove_outputs(out: Path) -> None:
    from mtcheck.audit.output import REPORT_FILE, SEGMENTS_FILE, SUMMARY_FILE
    from mtcheck.audit.store import STORE_NAME

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


def selection(options: AuditOptions, total_rows: int) -> tuple[int, set[int] | None]:
    """(rows considered, the chosen row indices or None for all of them)."""
    considered = total_rows if options.limit is None else min(options.limit, total_rows)
    if options.sample is None or options.sample >= considered:
        return considered, None
    chosen = random.Random(options.seed).sample(range(considered), options.sample)
    return considered, set(chosen)


def batches(
    rows: Iterator[Row], considered: int, chosen: set[int] | None, batch_rows: int
) -> Iterator[tuple[int, list[Row], list[int]]]:
    """(first ordinal, rows, document run lengths) for each batch of whole document runs."""
    ordinal = 0
    batch: list[Row] = []
    runs: list[int] = []
    first = 0
    last_key = None
    for index, row in enumerate(rows):
        if index >= considered:
            break
        if chosen is not None and index not in chosen:
            continue
        key = row.run_key()
        continues = key is not None and key == last_key and runs and runs[-1] < DOC_RUN_LIMIT
        if not continues:
            if len(batch) >= batch_rows:
                yield first, batch, runs
                first, batch, runs = ordinal, [], []
            runs.append(0)
        batch.append(row)
        runs[-1] += 1
        last_key = key
        ordinal += 1
    if batch:
        yield first, batch, runs


def run_audit(
    options: AuditOptions,
    *,
    translator=None,
    show_progress: bool = False,
    tell: Callable[[str], None] = lambda _message: None,
) -> Outcome:
    from mtcheck.audit.inputs import expand_inputs
    from mtcheck.audit.store import exclusive

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
    with exclusive(out), _sigterm_interrupts():
        return _run_in_folder(
            options, sources, rules, digest, description, translator, show_progress, tell
        )


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM (kill, a scheduler's stop) ends the run as Ctrl-C does: whole batches are
    kept, and the command says how to resume. Only the main thread can set handlers."""
    import signal
    import threading

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


def _run_in_folder(
    options, sources, rules, digest, description, translator, show_progress, tell
) -> Outcome:
    """The audit proper, while this run holds the output folder."""
    import sqlite3

    from mtcheck.audit.output import REPORT_FILE, SEGMENTS_FILE, written_group_by
    from mtcheck.audit.store import STORE_NAME, Store, store_error

    out = options.out
    for source in sources:
        source.check(options.group_by)
    if options.overwrite:
        _remove_outputs(out)
    store = Store(out / STORE_NAME)
    expected = None
    try:
        job = store.job()
        if job is None:
            store.start(digest, description)
            total_rows, finished = None, False
        elif job[0] != digest and store.done() == 0 and not job[2]:
            # A job that stored nothing (e.g. stopped by an input error): nothing to keep.
            store.reset()
            store.start(digest, description)
            total_rows, finished = None, False
        elif job[0] != digest:
            raise ConfigError(
                f"{out} holds an audit of other inputs or options; use a new --out, or "
                "--overwrite to replace it."
            )
        else:
            store.adopt(digest)
            total_rows, finished = job[1], job[2]
        if (
            finished
            and (out / SEGMENTS_FILE).is_file()
            and (out / REPORT_FILE).is_file()
            and written_group_by(out) == options.group_by
        ):
            return Outcome("nothing-to-do", store.done(), 0, out)
        if total_rows is None:
            tell("Counting the segments of the inputs")
            total_rows = _count(sources, store)
            store.set_total(total_rows)
        considered, chosen = selection(options, total_rows)
        expected = considered if chosen is None else len(chosen)
        if options.engine == "ray":
            from mtcheck.audit.ray_engine import process as process_on_ray

            computed = process_on_ray(store, options, considered, chosen, expected, show_progress)
        else:
            computed = _process(
                store, options, sources, translator, considered, chosen, expected, show_progress
            )
        tell("Writing segments.parquet, summary.json and report.html")
        header = {
            "mtcheck_version": description["mtcheck_version"],
            "inputs": [entry[0] for entry in description["inputs"]],
            "model": options.model,
            "limit": options.limit,
            "sample": options.sample,
            "seed": description["seed"],
        }
        from mtcheck.audit.output import write_outputs

        done = store.done()
        if done != expected:  # pragma: no cover - a bug, not a user error
            raise AssertionError(f"the store holds {done} results for {expected} segments")
        write_outputs(store, out, header, options.group_by)
        store.set_finished(True)
        return Outcome("done", expected, computed, out)
    except sqlite3.Error as error:  # a full disk, mostly: one sentence, the work is kept
        raise store_error(error, store.path) from None
    except KeyboardInterrupt:
        raise Interrupted(_stored(store), expected) from None
    except SystemExit as stop:
        import signal

        # ray.init() replaces the SIGTERM handler with sys.exit(SIGTERM): the same stop.
        if options.engine != "ray" or stop.code != signal.SIGTERM:
            raise
        raise Interrupted(_stored(store), expected) from None
    finally:
        store.close()


def _stored(store) -> int | None:
    """Segments in the store after an interrupt (the batch in flight was rolled back)."""
    import sqlite3

    try:
        return store.done()
    except sqlite3.Error:
        return None


def _count(sources, store) -> int:
    """The number of segments; the rows of documents are kept in the store on the way."""
    total = 0
    for index, source in enumerate(sources):
        if source.kind == "document":
            rows = list(source.rows())  # one document's rows
            store.keep_rows(index, rows)
            total += len(rows)
        else:
            total += sum(1 for _ in source.rows())
    return total


def _rows(sources, store) -> Iterator[Row]:
    """The rows of every source, in order; documents' from the store where it kept them."""
    for index, source in enumerate(sources):
        if source.kind == "document" and store.kept(index):
            yield from store.kept_rows(index)
        else:
            yield from source.rows()


def _process(
    store, options, sources, translator, considered, chosen, expected, show_progress
) -> int:
    # Stored segments count as done from the start, not as work of this run: the rate and
    # the ETA of a resumed run are those of the work left.
    stored = store.ranges()
    progress = _progress(expected, show_progress, stored=sum(b - a + 1 for a, b in stored))
    pool = None
    if options.workers > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(
            max_workers=options.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker,
            initargs=(options.rules, os.getpid()),
        )
    else:
        init_worker(options.rules)
    pending: deque = deque()
    computed = 0

    def commit(rows: list[tuple[int, str]], fresh: int) -> None:
        commit_batch(store, rows)
        progress.advance(fresh)

    try:
        with progress:
            for first, rows, runs in batches(
                _rows(sources, store), considered, chosen, options.batch_rows
            ):
                last = first + len(rows) - 1
                if store.has_all(first, last):
                    continue
                # A batch partly stored (cut at other places by another --batch-size) is
                # computed whole; only its segments not stored before are new progress.
                fresh = len(rows) - _overlap(stored, first, last)
                task = _task(first, rows, runs, translator)
                computed += len(rows)
                if pool is None:
                    commit(run_task(task), fresh)
                    continue
                pending.append((pool.submit(run_task, task), fresh))
                while len(pending) > 2 * options.workers or (pending and pending[0][0].done()):
                    future, count = pending.popleft()
                    commit(future.result(), count)
            while pending:
                future, count = pending.popleft()
                commit(future.result(), count)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return computed


def _overlap(ranges: list[tuple[int, int]], first: int, last: int) -> int:
    """How many ordinals from ``first`` to ``last`` the sorted ``(first, last)`` runs hold."""
    return sum(max(0, min(b, last) - max(a, first) + 1) for a, b in ranges)


def commit_batch(store, rows: list[tuple[int, str]]) -> None:
    """Store one batch of ``(ordinal, JSON)`` results and the metadata columns it names,
    each with the kind of its values (segments.parquet keeps their type)."""
    from mtcheck.audit.layout import merge_kinds, value_kind

    columns: dict[str, list] = {}
    for ordinal, value in rows:
        for position, (name, item) in enumerate(json.loads(value)["meta"].items()):
            entry = columns.setdefault(name, [ordinal * 4096 + position, "null"])
            entry[1] = merge_kinds(entry[1], value_kind(item))
    store.commit(rows, [(name, first, kind) for name, (first, kind) in columns.items()])


def _task(first: int, rows: list[Row], runs: list[int], translator) -> Task:
    if translator is None:
        return Task(first, tuple(rows), tuple(runs), None, None)
    translations = translator.translate([row.target for row in rows])
    scored = [k for k, row in enumerate(rows) if row.reference is not None]
    adequacy: list[float | None] = [None] * len(rows)
    if scored:
        values = translator.score(
            [rows[k].target for k in scored], [rows[k].reference for k in scored]
        )
        for k, value in zip(scored, values, strict=True):
            adequacy[k] = clean_adequacy(value)
    return Task(
        first,
        tuple(rows),
        tuple(runs),
        tuple(t.text for t in translations),
        tuple(adequacy),
    )


class _NoProgress:
    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        return None

    def advance(self, _count: int) -> None:
        return None


def rate_and_eta(fresh: int, left: int, elapsed: float) -> tuple[str, str]:
    """The rate and the time left, from the segments computed by this run (``fresh``) in
    ``elapsed`` seconds and the segments still to do (``left``): segments taken from the
    store count in neither, so a resumed run does not report their instant "speed"."""
    if fresh <= 0 or elapsed <= 0:
        return "", "-:--:--"
    rate = fresh / elapsed
    seconds = round(max(left, 0) / rate)
    hours, rest = divmod(seconds, 3600)
    return f"{rate:,.0f} seg/s", f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


class _Progress:
    """A rich progress bar on stderr: done/total (stored segments included), and the rate
    and ETA of this run's own work (see :func:`rate_and_eta`)."""

    def __init__(self, total: int, stored: int = 0) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            TextColumn("audit"),
            BarColumn(),
            TaskProgressColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA {task.fields[eta]}"),
            console=Console(stderr=True),
            transient=False,
        )
        self._left = total - stored
        self._fresh = 0
        self._started = 0.0
        # completed= sets the bar without a speed sample: stored work has no rate.
        self._task = self._progress.add_task(
            "audit", total=total, completed=stored, rate="", eta="-:--:--"
        )

    def __enter__(self):
        import time

        self._started = time.monotonic()
        self._progress.__enter__()
        return self

    def __exit__(self, *exc_info) -> None:
        self._progress.__exit__(*exc_info)

    def advance(self, count: int) -> None:
        import time

        self._fresh += count
        rate, eta = rate_and_eta(
            self._fresh, self._left - self._fresh, time.monotonic() - self._started
        )
        self._progress.update(self._task, advance=count, rate=rate, eta=eta)


def _progress(total: int, show: bool, stored: int = 0):
    """The progress display: ``total`` segments, ``stored`` of them done before this run."""
    return _Progress(total, stored) if show else _NoProgress()
