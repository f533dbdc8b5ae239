"""``mtcheck audit --engine local``: the model in this process, scores and flags in this
process or in ``--workers`` worker processes, one store transaction per batch."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from mtcheck.audit.batching import batches, commit_batch, job_rows, model_task, overlap
from mtcheck.audit.progress import progress
from mtcheck.audit.work import init_worker, run_task


@dataclass(frozen=True)
class Selection:
    """Which rows of the job are audited: the first ``considered`` rows, of them the
    ``chosen`` ones (None: all), ``expected`` segments in all."""

    considered: int
    chosen: set[int] | None
    expected: int


def process(store, options, sources, translator, selected: Selection, show_progress) -> int:
    """Compute every batch the store lacks and commit each; the segments computed."""
    # Stored segments count as done from the start, not as work of this run: the rate and
    # the ETA of a resumed run are those of the work left.
    stored = store.ranges()
    shown = progress(selected.expected, show_progress, stored=sum(b - a + 1 for a, b in stored))
    pool = _pool(options)
    pending: deque = deque()
    computed = 0

    def commit(rows: list[tuple[int, str]], fresh: int) -> None:
        commit_batch(store, rows)
        shown.advance(fresh)

    rows = job_rows(sources, store)
    try:
        with shown:
            for first, batch, runs in batches(
                rows, selected.considered, selected.chosen, options.batch_rows
            ):
                last = first + len(batch) - 1
                if store.has_all(first, last):
                    continue
                # A batch partly stored (cut at other places by another --batch-size) is
                # computed whole; only its segments not stored before are new progress.
                fresh = len(batch) - overlap(stored, first, last)
                task = model_task(first, batch, runs, translator)
                computed += len(batch)
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


def _pool(options) -> ProcessPoolExecutor | None:
    """Worker processes for scores and flags; None (and the rules set up here) for one."""
    if options.workers <= 1:
        init_worker(options.rules)
        return None
    return ProcessPoolExecutor(
        max_workers=options.workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=init_worker,
        initargs=(options.rules, os.getpid()),
    )
