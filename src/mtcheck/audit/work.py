"""What is computed per batch of segments, outside the model: segment scores, the sacrebleu
statistics behind the corpus scores, and the German flags, all by the segment core
(:mod:`mtcheck.evaluate`), stored as :class:`mtcheck.audit.record.AuditRecord`s.

Runs in the main process (``--workers 1``) or in worker processes; the rule settings reach
a worker as the arguments that build them (``RuleSettings`` holds mapping proxies, which
do not pickle), once, when the worker starts.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from mtcheck import evaluate
from mtcheck.audit.record import AuditRecord
from mtcheck.config import resolve_config, rule_settings
from mtcheck.io.tables import Row
from mtcheck.model import Segment
from mtcheck.report.summary import word_count

_RULES = None


@dataclass(frozen=True)
class RuleSpec:
    """How to build the rule settings: the command line's configuration options."""

    config_file: str | None = None
    isolated: bool = False
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    glossary: str | None = None

    def build(self):
        config = resolve_config(
            Path(self.config_file) if self.config_file else None, isolated=self.isolated
        )
        return rule_settings(
            config,
            select=frozenset(self.select) if self.select is not None else None,
            ignore=frozenset(self.ignore) if self.ignore is not None else None,
            glossary=Path(self.glossary) if self.glossary else None,
        )


@dataclass(frozen=True)
class Task:
    """One batch: whole document runs, in order. ``backtranslations``/``adequacy`` are None
    without the model."""

    first: int  # ordinal of the first row
    rows: tuple[Row, ...]
    documents: tuple[int, ...]  # length of each document run, in order; sums to len(rows)
    backtranslations: tuple[str, ...] | None
    adequacy: tuple[float | None, ...] | None


def init_worker(spec: RuleSpec, parent: int | None = None) -> None:
    """Build the rule settings once per worker; exit when the parent is gone (a killed
    audit must not leave workers behind)."""
    global _RULES
    _RULES = spec.build()
    if parent is not None:

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(0)

        threading.Thread(target=watch, daemon=True).start()


def model_outputs(
    rows: tuple[Row, ...], translator
) -> tuple[tuple[str, ...], tuple[float | None, ...]]:
    """The model's part of a batch: each row's back-translation and adequacy (None where it
    has none), by the segment core."""
    segments = [row_segment(row) for row in rows]
    return (
        evaluate.backtranslate(translator, [row.target for row in rows]),
        evaluate.adequacy(translator, segments),
    )


def row_segment(row: Row) -> Segment:
    """A row as the segment the rules judge: one sentence-level segment of its own
    paragraph; its line is the row's (a table's record, or a document's segment)."""
    return Segment(
        id=row.id,
        paragraph=1,
        target=row.target,
        reference=row.reference,
        alignment=row.alignment,
        start=0,
        line=row.line,
        column=1,
    )


def run_task(task: Task) -> list[tuple[int, str]]:
    """``(ordinal, JSON record)`` for every row of ``task``."""
    rules = _RULES
    assert rules is not None, "init_worker() was not called"
    results = evaluate.evaluate(
        [row_segment(row) for row in task.rows],
        rules,
        backtranslations=task.backtranslations,
        adequacy=task.adequacy,
        runs=task.documents,
    )
    return [
        (
            task.first + k,
            AuditRecord(
                result=result,
                meta=dict(row.meta),
                words=word_count(row.target),
                statistics=evaluate.statistics(result),
            ).to_json(),
        )
        for k, (row, result) in enumerate(zip(task.rows, results, strict=True))
    ]
