"""How an audit's segments are cut into batches, and what a batch carries to and from the
model, whichever engine computes it.

Batches are cut at fixed places (``batch_rows`` rows, rounded up to the end of a document
run), each segment's ordinal is its place in the job's stream of segments, and the store
keeps the results of whole batches: a rerun after a kill skips the batches in the store
and computes the others exactly as an uninterrupted run would. Both engines read a job's
rows through :func:`job_rows`: the documents' rows from the store, where the job keeps
them, the tables' rows from their files.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator

from mtcheck.audit.work import Task, model_outputs
from mtcheck.io.columns import merge_kinds, value_kind
from mtcheck.io.tables import Row

# Rows per batch (the unit fed to the model and committed to the store): this many model
# batches (--batch-size), at least MIN_BATCH_ROWS. A batch only changes throughput, so it is
# not part of the job's fingerprint: a rerun with another --batch-size skips the batches
# already stored whole and recomputes the rest.
MODEL_BATCHES_PER_BATCH = 16
MIN_BATCH_ROWS = 32
DOC_RUN_LIMIT = 1000


def batch_rows(batch_size: int) -> int:
    """Rows per batch for model batches of ``batch_size`` sentences."""
    return max(MIN_BATCH_ROWS, MODEL_BATCHES_PER_BATCH * batch_size)


def selection(
    total_rows: int, limit: int | None, sample: int | None, seed: int
) -> tuple[int, set[int] | None]:
    """(rows considered, the chosen row indices or None for all of them)."""
    considered = total_rows if limit is None else min(limit, total_rows)
    if sample is None or sample >= considered:
        return considered, None
    chosen = random.Random(seed).sample(range(considered), sample)
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


def count_rows(sources, store) -> int:
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


def job_rows(sources, store) -> Iterator[Row]:
    """The rows of every source, in order; documents' from the store where it kept them."""
    for index, source in enumerate(sources):
        if source.kind == "document" and store.kept(index):
            yield from store.kept_rows(index)
        else:
            yield from source.rows()


def overlap(ranges, first: int, last: int) -> int:
    """How many ordinals from ``first`` to ``last`` the sorted ``(first, last)`` runs hold."""
    return sum(max(0, min(b, last) - max(a, first) + 1) for a, b in ranges)


def model_task(first: int, rows: list[Row], runs: list[int], translator) -> Task:
    """A batch as the flag stage gets it: with back-translations and adequacy where there
    is a model (``translator``), without them otherwise."""
    if translator is None:
        return Task(first, tuple(rows), tuple(runs), None, None)
    backtranslations, adequacy = model_outputs(tuple(rows), translator)
    return Task(first, tuple(rows), tuple(runs), backtranslations, adequacy)


def commit_batch(store, rows: list[tuple[int, str]]) -> None:
    """Store one batch of ``(ordinal, JSON)`` results and the metadata columns it names,
    each with the kind of its values (segments.parquet keeps their type)."""
    columns: dict[str, list] = {}
    for ordinal, value in rows:
        for position, (name, item) in enumerate(json.loads(value)["meta"].items()):
            entry = columns.setdefault(name, [ordinal * 4096 + position, "null"])
            entry[1] = merge_kinds(entry[1], value_kind(item))
    store.commit(rows, [(name, first, kind) for name, (first, kind) in columns.items()])
