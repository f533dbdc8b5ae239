"""The audit's outputs, written from the store at the end: ``segments.parquet`` (row groups
in ordinal order, through a ``ParquetWriter``), ``summary.json`` and ``report.html`` (see
:mod:`mtcheck.audit.report`), all from one pass over the store. All three go through
:class:`mtcheck.io.write.Outputs`: each is written to a temporary file with a random name,
and only when all three are complete are they renamed into place (segments.parquet first,
report.html last); an error, a full disk included, leaves the previous outputs and no
temporary file."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from mtcheck.io.write import Outputs
from mtcheck.model import SEVERITIES, SEVERITY_WEIGHTS

SEGMENTS_FILE = "segments.parquet"
SUMMARY_FILE = "summary.json"
REPORT_FILE = "report.html"
MISSING_GROUP = "(missing)"
_FLAG_FIELDS = ("rule", "category", "severity", "message", "suggestion", "start", "end")


def segments_schema(columns: list[str]):
    import pyarrow as pa

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
            *((name, pa.string()) for name in columns),
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


class _Group:
    """Running totals for one group of segments."""

    def __init__(self) -> None:
        self.segments = 0
        self.words = 0
        self.scored = 0
        self.stats: dict[str, list[float]] = {}
        self.by_rule: dict[str, Counter] = {}
        self.by_severity: Counter = Counter()

    def add(self, value: dict) -> None:
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
            key = value["meta"].get(self.group_by)
            self.groups.setdefault(MISSING_GROUP if key is None else key, _Group()).add(value)

    def summary(self, header: dict) -> dict:
        from mtcheck.audit.work import metrics

        corpus = metrics()
        return {
            **header,
            "severity_weights": dict(SEVERITY_WEIGHTS),
            "signatures": _signatures(corpus) if self.overall.scored else None,
            "group_by": self.group_by,
            "overall": self.overall.summary(corpus),
            "groups": (
                {key: self.groups[key].summary(corpus) for key in sorted(self.groups)}
                if self.group_by is not None
                else None
            ),
        }


def _write_segments(sink, store, tally: _Tally) -> None:
    """The rows of ``segments.parquet`` into ``sink``, one row group per page of results."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = store.columns()
    schema = segments_schema(columns)
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        for page in store.results():
            data: dict[str, list] = {name: [] for name in schema.names}
            for value in page:
                tally.add(value)
                data["id"].append(value["id"])
                for name in columns:
                    data[name].append(value["meta"].get(name))
                data["target"].append(value["target"])
                data["reference"].append(value["reference"])
                data["backtranslation"].append(value["backtranslation"])
                scores = value["scores"] or [None, None, None, None]
                for name, number in zip(("chrf", "bleu", "ter", "adequacy"), scores, strict=True):
                    data[name].append(number)
                data["flags"].append([_flag_record(flag) for flag in value["flags"]])
            writer.write_table(pa.Table.from_pydict(data, schema=schema))


def write_outputs(store, out: Path, header: dict, group_by: str | None) -> None:
    """Write ``segments.parquet``, ``summary.json`` and ``report.html`` into ``out`` from
    ``store``, all or nothing (see the module's docstring)."""
    from mtcheck.audit.report import render_report

    tally = _Tally(group_by)
    # Never replaces an input of the audit (e.g. an earlier segments.parquet audited
    # into the same folder); a write error, a full disk included, is one sentence.
    inputs = [("audit input", path) for path in header.get("inputs", ())]
    with Outputs(inputs=inputs, what="the audit output") as outputs:
        _write_segments(outputs.open(out / SEGMENTS_FILE, "wb"), store, tally)
        summary = tally.summary(header)
        text = json.dumps(summary, ensure_ascii=False, indent=2) + "\n"
        outputs.write_text(out / SUMMARY_FILE, text)
        outputs.write_text(out / REPORT_FILE, render_report(tally.collector, summary))
