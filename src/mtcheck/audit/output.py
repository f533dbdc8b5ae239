"""The audit's outputs, written from the store at the end: ``segments.parquet`` (row groups
in ordinal order, through a ``ParquetWriter``), ``summary.json`` and ``report.html`` (see
:mod:`mtcheck.report.audit_html`), all from one pass over the store. All three go through
:class:`mtcheck.io.write.Outputs`: each is written to a temporary file with a random name,
and only when all three are complete are they renamed into place (segments.parquet first,
report.html last); an error, a full disk included, leaves the previous outputs and no
temporary file."""

from __future__ import annotations

import json
from array import array
from collections import Counter
from pathlib import Path

from mtcheck.audit.collector import ReportCollector
from mtcheck.audit.record import AuditRecord
from mtcheck.io.columns import column_value
from mtcheck.io.tables import text_value
from mtcheck.io.write import Outputs
from mtcheck.model import (
    SEVERITIES,
    SEVERITY_WEIGHTS,
    Flag,
    counts_penalty,
    flag_to_dict,
    segment_penalty,
)
from mtcheck.report.audit_html import render_report
from mtcheck.score import (
    BOOTSTRAP_RESAMPLES,
    BOOTSTRAP_SEED,
    bootstrap,
    corpus_from_statistics,
    corpus_signatures,
    metric_figure,
)

SEGMENTS_FILE = "segments.parquet"
SUMMARY_FILE = "summary.json"
REPORT_FILE = "report.html"
MISSING_GROUP = "(missing)"
# Corpus scores given with bootstrap intervals per group (besides the penalty).
INTERVAL_METRICS = ("chrf", "bleu")
# Beyond this many groups (e.g. --group-by doc), no intervals: each group's bootstrap
# recomputes its scores 1,000 times, some 40 ms a group.
INTERVAL_GROUP_LIMIT = 200


def _arrow_type(kind: str | None):
    """The Arrow type of a metadata column whose values are of ``kind`` (see
    :func:`mtcheck.io.columns.value_kind`; None: a store's column from before kinds)."""
    import pyarrow as pa

    return {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}.get(
        kind or "string", pa.string()
    )


def segments_schema(columns: list[str], kinds: list[str | None] | None = None):
    """The schema of segments.parquet: the metadata ``columns`` typed by their ``kinds``
    (None: all text)."""
    import pyarrow as pa

    types = [_arrow_type(kind) for kind in kinds or [None] * len(columns)]

    flag = pa.struct(
        [
            ("rule", pa.string()),
            ("category", pa.string()),
            ("severity", pa.string()),
            ("message", pa.string()),
            ("suggestion", pa.string()),
            ("start", pa.int32()),
            ("end", pa.int32()),
            ("suggestions", pa.list_(pa.string())),
        ]
    )
    return pa.schema(
        [
            ("id", pa.string()),
            *zip(columns, types, strict=True),
            ("target", pa.string()),
            ("reference", pa.string()),
            ("backtranslation", pa.string()),
            ("chrf", pa.float64()),
            ("bleu", pa.float64()),
            ("ter", pa.float64()),
            ("adequacy", pa.float64()),
            ("flags", pa.list_(flag)),
        ]
    )


def _flag_record(flag: Flag) -> dict:
    """A flag as a record of segments.parquet's ``flags``: the one flag record, its span
    as the columns ``start`` and ``end`` (the file's place is the segment's)."""
    record = flag_to_dict(flag)
    record["start"], record["end"] = record.pop("span")
    del record["line"], record["column"]
    return record


class _Samples:
    """Per-segment statistics of one group, kept for its bootstrap intervals: the segment's
    penalty and words, and for scored segments the sacrebleu sentence statistics of chrF and
    BLEU (float32: 120 bytes a segment; the counts are small integers, exact in float32)."""

    def __init__(self) -> None:
        self.penalty = array("f")  # penalty, words; penalty, words; ...
        self.stats = {name: array("f") for name in INTERVAL_METRICS}
        self.scored = 0

    def add(self, record: AuditRecord) -> None:
        self.penalty.extend((segment_penalty(record.result), record.words))
        if record.statistics is not None:
            self.scored += 1
            for name in INTERVAL_METRICS:
                self.stats[name].extend(record.statistics[name])

    def intervals(self) -> dict:
        """The 95% intervals of the group's corpus chrF, BLEU (None without scored segments)
        and penalty per 1,000 words, by :func:`mtcheck.score.bootstrap`."""
        import numpy as np

        penalty = np.frombuffer(self.penalty, dtype=np.float32).reshape(-1, 2)
        found = bootstrap({"penalty_per_1000_words": (penalty, _per_1000_words)})
        out: dict = dict.fromkeys(INTERVAL_METRICS)
        if self.scored:
            columns = {
                name: (
                    np.frombuffer(self.stats[name], dtype=np.float32).reshape(self.scored, -1),
                    metric_figure(name),
                )
                for name in INTERVAL_METRICS
            }
            found.update(bootstrap(columns))
        out.update({name: interval.as_dict() for name, interval in found.items()})
        return out


def _per_1000_words(sums) -> float:
    return 1000.0 * float(sums[0]) / float(sums[1]) if sums[1] else 0.0


class _Group:
    """Running totals for one group of segments; with ``samples``, also what its bootstrap
    intervals need."""

    def __init__(self, samples: bool = False) -> None:
        self.segments = 0
        self.words = 0
        self.scored = 0
        self.stats: dict[str, list[float]] = {}
        self.by_rule: dict[str, Counter] = {}
        self.by_severity: Counter = Counter()
        self.samples = _Samples() if samples else None

    def add(self, record: AuditRecord) -> None:
        if self.samples is not None:
            self.samples.add(record)
        self.segments += 1
        self.words += record.words
        if record.statistics is not None:
            self.scored += 1
            for name, numbers in record.statistics.items():
                total = self.stats.get(name)
                if total is None:
                    self.stats[name] = list(numbers)
                else:
                    for i, number in enumerate(numbers):
                        total[i] += number
        for flag in record.result.flags:
            self.by_rule.setdefault(flag.rule, Counter())[flag.severity] += 1
            self.by_severity[flag.severity] += 1

    def summary(self) -> dict:
        penalty = counts_penalty(self.by_severity)
        scores = None
        if self.scored:
            scores = {
                name: round(corpus_from_statistics(name, self.stats[name]), 2)
                for name in ("chrf", "bleu", "ter")
            }
        return {
            "segments": self.segments,
            "words": self.words,
            "segments_with_reference": self.scored,
            "scores": scores,
            "flags": sum(self.by_severity.values()),
            "by_severity": {s: self.by_severity.get(s, 0) for s in SEVERITIES},
            "by_rule": {
                rule: {s: counts[s] for s in SEVERITIES if counts[s]}
                for rule, counts in sorted(self.by_rule.items())
            },
            "penalty": penalty,
            "penalty_per_1000_words": (
                round(1000.0 * penalty / self.words, 2) if self.words else 0.0
            ),
        }


def written_group_by(out: Path) -> str | None | bool:
    """The ``group_by`` of the summary in ``out``; False when there is none to read."""
    try:
        return json.loads((out / SUMMARY_FILE).read_text(encoding="utf-8"))["group_by"]
    except (OSError, ValueError, KeyError, TypeError):
        return False


class _Tally:
    """What the one pass over the store gathers besides the rows: totals and the report."""

    def __init__(self, group_by: str | None) -> None:
        self.group_by = group_by
        self.overall = _Group()
        self.groups: dict[str, _Group] = {}
        self.collector = ReportCollector(group_by)

    def add(self, record: AuditRecord) -> None:
        self.overall.add(record)
        self.collector.add(record)
        if self.group_by is not None:
            key = text_value(record.meta.get(self.group_by))  # typed: 3 and "3" are one
            name = MISSING_GROUP if key is None else key
            group = self.groups.get(name)
            if group is None:
                group = self.groups[name] = _Group(samples=True)
            group.add(record)

    def summary(self, header: dict) -> dict:
        with_intervals = len(self.groups) <= INTERVAL_GROUP_LIMIT
        return {
            **header,
            "severity_weights": dict(SEVERITY_WEIGHTS),
            "signatures": corpus_signatures() if self.overall.scored else None,
            "group_by": self.group_by,
            "overall": self.overall.summary(),
            "groups": self._groups(with_intervals),
            "bootstrap": _bootstrap_description(with_intervals, len(self.groups)),
        }

    def _groups(self, with_intervals: bool) -> dict | None:
        if self.group_by is None:
            return None
        groups = {}
        for key in sorted(self.groups):
            group = self.groups[key]
            groups[key] = group.summary()
            groups[key]["intervals"] = group.samples.intervals() if with_intervals else None
        return groups


def _bootstrap_description(with_intervals: bool, groups: int) -> dict | None:
    """What the groups' ``intervals`` are (None without groups)."""
    if not groups:
        return None
    if not with_intervals:
        return {
            "intervals": False,
            "reason": f"more than {INTERVAL_GROUP_LIMIT} groups: no bootstrap intervals",
        }
    return {
        "intervals": True,
        "resamples": BOOTSTRAP_RESAMPLES,
        "seed": BOOTSTRAP_SEED,
        "confidence": 0.95,
        "method": (
            "sacrebleu's bootstrap: resamples of each group's segments (same seed, so groups "
            "of the same size are resampled alike: paired), the corpus figure recomputed from "
            "summed sentence statistics; mean ± ci, ci half the distance between the 2.5th "
            "and 97.5th percentiles of the resampled figures; chrF and BLEU over the group's "
            "scored segments, the penalty per 1,000 words over all its segments"
        ),
    }


def _write_segments(sink, store, tally: _Tally) -> dict[str, str]:
    """The rows of ``segments.parquet`` into ``sink``, one row group per page of results;
    returns the metadata columns' types (for summary.json)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    found = store.column_kinds()
    columns, kinds = [name for name, _ in found], [kind for _, kind in found]
    schema = segments_schema(columns, kinds)
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        for page in store.results():
            data: dict[str, list] = {name: [] for name in schema.names}
            for value in page:
                record = AuditRecord.from_dict(value)
                tally.add(record)
                _add_row(data, record, columns, kinds)
            writer.write_table(pa.Table.from_pydict(data, schema=schema))
    return {name: str(schema.field(name).type) for name in columns}


def _add_row(data: dict[str, list], record: AuditRecord, columns, kinds) -> None:
    """One segment's row of segments.parquet, column by column into ``data``."""
    result = record.result
    segment = result.segment
    data["id"].append(segment.id)
    for name, kind in zip(columns, kinds, strict=True):
        data[name].append(column_value(record.meta.get(name), kind))
    data["target"].append(segment.target)
    data["reference"].append(segment.reference)
    data["backtranslation"].append(result.backtranslation)
    scores = result.scores
    for name in ("chrf", "bleu", "ter", "adequacy"):
        data[name].append(None if scores is None else getattr(scores, name))
    data["flags"].append([_flag_record(flag) for flag in result.flags])


def write_outputs(store, out: Path, header: dict, group_by: str | None) -> None:
    """Write ``segments.parquet``, ``summary.json`` and ``report.html`` into ``out`` from
    ``store``, all or nothing (see the module's docstring)."""
    tally = _Tally(group_by)
    # Never replaces an input of the audit (e.g. an earlier segments.parquet audited
    # into the same folder); a write error, a full disk included, is one sentence.
    inputs = [("audit input", path) for path in header.get("inputs", ())]
    with Outputs(inputs=inputs, what="the audit output") as outputs:
        types = _write_segments(outputs.open(out / SEGMENTS_FILE, "wb"), store, tally)
        summary = tally.summary(header)
        summary["metadata_columns"] = types  # name: Arrow type in segments.parquet
        text = json.dumps(summary, ensure_ascii=False, indent=2) + "\n"
        outputs.write_text(out / SUMMARY_FILE, text)
        outputs.write_text(out / REPORT_FILE, render_report(tally.collector, summary))
