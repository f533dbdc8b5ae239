"""What is computed per batch of segments, outside the model: segment scores, the sacrebleu
statistics behind the corpus scores, and the German flags.

Runs in the main process (``--workers 1``) or in worker processes; the rule settings reach
a worker as the arguments that build them (``RuleSettings`` holds mapping proxies, which
do not pickle), once, when the worker starts.
"""

from __future__ import annotations

import json
import math
import os
import threading
import time
from dataclasses import dataclass

from mtcheck.audit.tables import Row, text_value  # noqa: F401  (Row is part of the API)

_RULES = None
_METRICS = None


@dataclass(frozen=True)
class RuleSpec:
    """How to build the rule settings: the command line's configuration options."""

    config_file: str | None = None
    isolated: bool = False
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    glossary: str | None = None

    def build(self):
        from pathlib import Path

        from mtcheck.config import resolve_config, rule_settings

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


def metrics():
    """Corpus metrics with sacrebleu's defaults, as :class:`mtcheck.score.Scorer` uses."""
    global _METRICS
    if _METRICS is None:
        from sacrebleu.metrics import BLEU, CHRF, TER

        _METRICS = {"bleu": BLEU(), "chrf": CHRF(), "ter": TER()}
    return _METRICS


def run_task(task: Task) -> list[tuple[int, str]]:
    """``(ordinal, JSON result)`` for every row of ``task``."""
    from mtcheck.flags import check_segments
    from mtcheck.model import Scores, Segment
    from mtcheck.report.summary import _WORD

    rules = _RULES
    assert rules is not None, "init_worker() was not called"
    scores: list[Scores | None] = [None] * len(task.rows)
    stats: list[dict | None] = [None] * len(task.rows)
    if task.backtranslations is not None:
        from mtcheck.score import Scorer

        scorer = _scorer(Scorer)
        corpus = metrics()
        for k, row in enumerate(task.rows):
            if row.reference is None:
                continue
            hypothesis = task.backtranslations[k]
            adequacy = task.adequacy[k] if task.adequacy is not None else None
            scores[k] = scorer.segment(hypothesis, row.reference, adequacy)
            stats[k] = {
                name: metric._extract_corpus_statistics([hypothesis], [[row.reference]])[0]
                for name, metric in corpus.items()
            }
    segments = [
        Segment(
            id=row.id,
            paragraph=1,
            target=row.target,
            reference=row.reference,
            alignment=row.alignment,
            start=0,
            line=row.line,
            column=1,
        )
        for row in task.rows
    ]
    flags: list[tuple] = []
    start = 0
    for length in task.documents:
        flags.extend(
            check_segments(segments[start : start + length], scores[start : start + length], rules)
        )
        start += length
    out = []
    for k, row in enumerate(task.rows):
        s = scores[k]
        value = {
            "id": row.id,
            "meta": dict(row.meta),
            "target": row.target,
            "reference": row.reference,
            "backtranslation": (
                task.backtranslations[k] if task.backtranslations is not None else None
            ),
            "scores": None if s is None else [s.chrf, s.bleu, s.ter, s.adequacy],
            "flags": [
                # the ranked suggestions last: stores written before them have 7 fields
                [f.rule, f.category, f.severity, f.message, f.suggestion, *f.span]
                + [list(f.suggestions)]
                for f in flags[k]
            ],
            "words": len(_WORD.findall(row.target)),
            "stats": stats[k],
        }
        out.append((task.first + k, json.dumps(value, ensure_ascii=False)))
    return out


_SCORER = None


def _scorer(factory):
    global _SCORER
    if _SCORER is None:
        _SCORER = factory()
    return _SCORER


def clean_adequacy(value: float) -> float | None:
    return None if value is None or math.isnan(value) else value
