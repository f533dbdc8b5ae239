"""The audit's outputs, written from the store at the end: ``segments.parquet`` (row groups
in ordinal order, through a ``ParquetWriter``), ``summary.json`` and ``report.html`` (see
:mod:`mtcheck.audit.report`), all from one pass over the store. All three go through
:class:`mtcheck.io.write.Outputs`: each is written to a temporary file with a random name,
and only when all three are complete are they renamed into place (segments.parquet first,
report.html last); an error, a full disk included, leaves the previous outputs and no
temporary file."""

from __future__ import annotations

import json
from array import array
from collections import Counter
from pathlib import Path

from mtcheck.audit.tables import text_value
from mtcheck.io.write import Outputs
from mtcheck.model import SEVERITIES, SEVERITY_WEIGHTS

SEGMENTS_FILE = "segments.parquet"
SUMMARY_FILE = "summary.json"
REPORT_FILE = "report.html"
MISSING_GROUP = "(missing)"
# Corpus scores given with bootstrap intervals per group (besides the penalty).
INTERVAL_METRICS = ("chrf", "bleu")
# Beyond this many groups (e.g. --group-by doc), no intervals: each group's bootstrap
# recomputes its scores 1,000 times, some 40 ms a group.
INTERVAL_GROUP_LIMIT = 200
_FLAG_FIELDS = ("rule", "category", "severity", "message", "suggestion", "start", "end")


def _arrow_type(kind: str | None):
    """The Arrow type of a metadata column whose values are of ``kind`` (see
    :func:`mtcheck.audit.layout.value_kind`; None: a store's column from before kinds)."""
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


def _flag_record(flag: list) -> dict:
    """A stored flag as a Parquet record; flags stored before ranked suggestions existed
    (seven fields) get their one suggestion, or none, as the list."""
    record = dict(zip(_FLAG_FIELDS, flag[: len(_FLAG_FIELDS)], strict=True))
    if len(flag) > len(_FLAG_FIELDS):
        record["suggestions"] = list(flag[len(_FLAG_FIELDS)])
    else:
        record["suggestions"] = [] if flag[4] is None else [flag[4]]
    return record


class _Samples:
    """Per-segment statistics of one group, kept for its bootstrap intervals: the segment's
    penalty and words, and for scored segments the sacrebleu sentence statistics of chrF and
    BLEU (float32: 120 bytes a segment; the counts are small integers, exact in float32)."""

    def __init__(self) -> None:
        self.penalty = array("f")  # penalty, words; penalty, words; ...
        self.stats = {name: array("f") for name in INTERVAL_METRICS}
        self.scored = 0

    def add(self, value: dict) -> None:
        from mtcheck.audit.report import segment_penalty

        self.penalty.extend((segment_penalty(value["flags"]), value["words"]))
        if value["stats"] is not None:
            self.scored += 1
            for name in INTERVAL_METRICS:
                self.stats[name].extend(value["stats"][name])

    def intervals(self, metrics) -> dict:
        """The 95% intervals of the group's corpus chrF, BLEU (None without scored segments)
        and penalty per 1,000 words, by :func:`mtcheck.score.bootstrap`."""
        import numpy as np

        from mtcheck.score import bootstrap, metric_figure

        penalty = np.frombuffer(self.penalty, dtype=np.float32).reshape(-1, 2)
        found = bootstrap({"penalty_per_1000_words": (penalty, _per_1000_words)})
        out: dict = dict.fromkeys(INTERVAL_METRICS)
        if self.scored:
            columns = {
                name: (
                    np.frombuffer(self.stats[name], dtype=np.float32).reshape(self.scored, -1),
                    metric_figure(metrics[name]),
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

    def add(self, value: dict) -> None:
        if self.samples is not None:
            self.samples.add(value)
        self.segments += 1
        self.words += value["words"]
        if value["stats"] is not None:
            self.scored += 1
            for name, numbers in value["stats"].items():
                total = self.stats.get(name)
                if total is None:
                    self.stats[name] = list(numbers)
                else:
                    for i, number in enumerate(numbers):
                        total[i] += number
        for flag in value["flags"]:
            rule, severity = flag[0], flag[2]
            self.by_rule.setdefault(rule, Counter())[severity] += 1
            self.by_severity[severity] += 1

    def summary(self, metrics) -> dict:
        penalty = sum(SEVERITY_WEIGHTS[s] * n for s, n in self.by_severity.items())
        scores = None
        if self.scored:
            scores = {
                name: round(metrics[name]._aggregate_and_compute([self.stats[name]]).score, 2)
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


def _signatures(corpus) -> dict[str, str]:
    signatures = {}
    for name, metric in corpus.items():
        metric.corpus_score(["a"], [["a"]])  # a signature names the number of references
        signatures[name] = metric.get_signature().format()
    return signatures


def written_group_by(out: Path) -> str | None | bool:
    """The ``group_by`` of the summary in ``out``; False when there is none to read."""
    try:
        return json.loads((out / SUMMARY_FILE).read_text(encoding="utf-8"))["group_by"]
    except (OSError, ValueError, KeyError, TypeError):
        return False


class _Tally:
    """What the one pass over the store gathers besides the rows: totals and the report."""

    def __init__(self, group_by: str | None) -> None:
        from mtcheck.audit.report import ReportCollector

        self.group_by = group_by
        self.overall = _Group()
        self.groups: dict[str, _Group] = {}
        self.collector = ReportCollector(group_by)

    def add(self, value: dict) -> None:
        self.overall.add(value)
        self.collector.add(value)
        if self.group_by is not None:
            key = text_value(value["meta"].get(self.group_by))  # typed: 3 and "3" are one
            name = MISSING_GROUP if key is None else key
            group = self.groups.get(name)
            if group is None:
                group = self.groups[name] = _Group(samples=True)
            group.add(value)

    def summary(self, header: dict) -> dict:
        from mtcheck.audit.work import metrics

        corpus = metrics()
        with_intervals = len(self.groups) <= INTERVAL_GROUP_LIMIT
        return {
            **header,
            "severity_weights": dict(SEVERITY_WEIGHTS),
            "signatures": _signatures(corpus) if self.overall.scored else None,
            "group_by": self.group_by,
            "overall": self.overall.summary(corpus),
            "groups": self._groups(corpus, with_intervals),
            "bootstrap": _bootstrap_description(with_intervals, len(self.groups)),
        }

    def _groups(self, corpus, with_intervals: bool) -> dict | None:
        if self.group_by is None:
            return None
        groups = {}
        for key in sorted(self.groups):
            group = self.groups[key]
            groups[key] = group.summary(corpus)
            groups[key]["intervals"] = group.samples.intervals(corpus) if with_intervals else None
        return groups


def _bootstrap_description(with_intervals: bool, groups: int) -> dict | None:
    """What the groups' ``intervals`` are (None without groups)."""
    from mtcheck.score import BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED

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

    from mtcheck.audit.layout import column_value

    found = store.column_kinds()
    columns, kinds = [name for name, _ in found], [kind for _, kind in found]
    schema = segments_schema(columns, kinds)
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        for page in store.results():
            data: dict[str, list] = {name: [] for name in schema.names}
            for value in page:
                tally.add(value)
                data["id"].append(value["id"])
                for name, kind in zip(columns, kinds, strict=True):
                    data[name].append(column_value(value["meta"].get(name), kind))
                data["target"].append(value["target"])
                data["reference"].append(value["reference"])
                data["backtranslation"].append(value["backtranslation"])
                scores = value["scores"] or [None, None, None, None]
                for name, number in zip(("chrf", "bleu", "ter", "adequacy"), scores, strict=True):
                    data[name].append(number)
                data["flags"].append([_flag_record(flag) for flag in value["flags"]])
            writer.write_table(pa.Table.from_pydict(data, schema=schema))
    return {name: str(schema.field(name).type) for name in columns}


def write_outputs(store, out: Path, header: dict, group_by: str | None) -> None:
    """Write ``segments.parquet``, ``summary.json`` and ``report.html`` into ``out`` from
    ``store``, all or nothing (see the module's docstring)."""
    from mtcheck.audit.report import render_report

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
