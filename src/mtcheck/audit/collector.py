"""What ``report.html`` of ``mtcheck audit`` needs from the segments, gathered by
:class:`ReportCollector` while :func:`mtcheck.audit.output.write_outputs` streams the store
once: fixed-size bin counters, a bounded heap of the worst segments and a bounded heap of
the documents with the highest penalty. Memory does not grow with the corpus. The page
itself is drawn by :mod:`mtcheck.report.audit_html`.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

from mtcheck.audit.record import AuditRecord
from mtcheck.io.tables import text_value
from mtcheck.model import SEVERITIES, SegmentResult, counts_penalty, segment_penalty
from mtcheck.report.audit_html import (
    ADEQUACY_FINE,
    ADEQUACY_FINE_BINS,
    ADEQUACY_FLOOR,
    BARS_LIMIT,
    CHRF_BINS,
    CHRF_WIDTH,
    WORST_LIMIT,
)

DOC_COLUMN = "doc"
MISSING = "(missing)"


def worst_key(penalty: int, chrf: float | None, ordinal: int) -> tuple:
    """Sort key: larger is worse (see :data:`mtcheck.report.audit_html.WORST_DEFINITION`)."""
    return (penalty, chrf is not None, -chrf if chrf is not None else 0.0, -ordinal)


@dataclass(frozen=True)
class WorstSegment:
    """One of the worst segments, as the page lists it."""

    ordinal: int  # place in the audit's stream of segments
    result: SegmentResult
    penalty: int
    group: str | None  # its --group-by value as text
    doc: str | None  # its doc value as text


@dataclass
class _DocRun:
    """Totals of one run of consecutive rows with the same ``doc`` value."""

    name: str
    first: int  # ordinal of its first segment
    segments: int = 0
    words: int = 0
    by_severity: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITIES, 0))

    @property
    def penalty(self) -> int:
        return counts_penalty(self.by_severity)

    @property
    def per_1000_words(self) -> float:
        return 1000.0 * self.penalty / self.words if self.words else 0.0


class ReportCollector:
    """What the page needs from the segments, fed one stored result at a time in ordinal
    order (:meth:`add`), in memory that does not depend on the number of segments."""

    def __init__(
        self,
        group_by: str | None = None,
        worst: int = WORST_LIMIT,
        documents: int = BARS_LIMIT,
    ) -> None:
        self.group_by = group_by
        self.worst_limit = worst
        self.documents_limit = documents
        self.segments = 0
        self.chrf_bins = [0] * CHRF_BINS
        self.chrf_count = 0
        self.adequacy_bins = [0] * ADEQUACY_FINE_BINS
        self.adequacy_below = 0
        self.adequacy_count = 0
        self.adequacy_min: float | None = None
        self.adequacy_max: float | None = None
        self._worst: list[tuple] = []  # min-heap of (key, entry): the least bad on top
        self.has_doc_column = False
        self.document_runs = 0
        self._run: _DocRun | None = None
        self._documents: list[tuple] = []  # min-heap of (key, run)

    # -- feeding -------------------------------------------------------------------------

    def add(self, record: AuditRecord) -> None:
        """One stored result, the next in ordinal order."""
        ordinal = self.segments
        self.segments += 1
        scores = record.result.scores
        chrf = scores.chrf if scores is not None else None
        adequacy = scores.adequacy if scores is not None else None
        if chrf is not None:
            self.chrf_count += 1
            self.chrf_bins[min(max(int(chrf // CHRF_WIDTH), 0), CHRF_BINS - 1)] += 1
        if adequacy is not None and math.isfinite(adequacy):
            self._add_adequacy(adequacy)
        penalty = segment_penalty(record.result)
        if penalty or chrf is not None:
            self._offer_worst(worst_key(penalty, chrf, ordinal), ordinal, record, penalty)
        if self.group_by is None and DOC_COLUMN in record.meta:
            self._add_to_document(record, ordinal)

    def _add_adequacy(self, adequacy: float) -> None:
        self.adequacy_count += 1
        if self.adequacy_min is None or adequacy < self.adequacy_min:
            self.adequacy_min = adequacy
        if self.adequacy_max is None or adequacy > self.adequacy_max:
            self.adequacy_max = adequacy
        if adequacy < ADEQUACY_FLOOR:
            self.adequacy_below += 1
            return
        index = math.floor((adequacy - ADEQUACY_FLOOR) / ADEQUACY_FINE + 1e-9)
        self.adequacy_bins[min(max(index, 0), ADEQUACY_FINE_BINS - 1)] += 1

    def _offer_worst(self, key: tuple, ordinal: int, record: AuditRecord, penalty: int) -> None:
        if len(self._worst) >= self.worst_limit and key <= self._worst[0][0]:
            return
        meta = record.meta
        entry = WorstSegment(
            ordinal=ordinal,
            result=record.result,
            penalty=penalty,
            # Metadata keep their types (a doc may be a number): the page shows text.
            group=text_value(meta.get(self.group_by)) if self.group_by is not None else None,
            doc=text_value(meta.get(DOC_COLUMN)),
        )
        if len(self._worst) < self.worst_limit:
            heapq.heappush(self._worst, (key, entry))
        else:
            heapq.heapreplace(self._worst, (key, entry))

    def _add_to_document(self, record: AuditRecord, ordinal: int) -> None:
        self.has_doc_column = True
        name = text_value(record.meta.get(DOC_COLUMN)) or MISSING
        if self._run is None or self._run.name != name:
            self._close_document()
            self._run = _DocRun(name, ordinal)
        run = self._run
        run.segments += 1
        run.words += record.words
        for flag in record.result.flags:
            run.by_severity[flag.severity] += 1

    def _close_document(self) -> None:
        run, self._run = self._run, None
        if run is None:
            return
        self.document_runs += 1
        key = (run.per_1000_words, run.penalty, -run.first)
        if len(self._documents) < self.documents_limit:
            heapq.heappush(self._documents, (key, run))
        elif key > self._documents[0][0]:
            heapq.heapreplace(self._documents, (key, run))

    # -- results -------------------------------------------------------------------------

    def worst(self) -> list[WorstSegment]:
        """The worst segments, worst first."""
        return [entry for _key, entry in sorted(self._worst, key=lambda e: e[0], reverse=True)]

    def documents(self) -> list[_DocRun]:
        """The document runs with the highest penalty per 1,000 words, highest first."""
        self._close_document()
        return [run for _key, run in sorted(self._documents, key=lambda e: e[0], reverse=True)]
