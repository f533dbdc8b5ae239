"""Rank the MT systems of the expert MQM annotations by mtcheck's flags and by the experts.

    python scripts/rank_systems.py [--data DIR|FILE] [--work DIR] [--exclude SYSTEM]...
                                   [--json FILE|-]

Reads the MQM TED English->German file in place (default ``../shared/data/mqm-ted-ende/``)
and writes a segment table (``segments.jsonl``: ``id``, ``target`` German, ``reference``
the English source of the segment, ``system``, ``doc``) into a temporary folder, or into
``--work DIR`` (kept). ``doc`` is ``SYSTEM/TALK``, and the rows of each system's talk are
adjacent and in talk order, so each system's translation of a talk is one document run for
the document-level rules. Then it runs the audit through mtcheck's own command line::

    mtcheck audit segments.jsonl --out audit --group-by system --no-backtranslation
                  --isolated --quiet --overwrite

(flags only, no model; ``--isolated``: the default rules, whatever configuration file lies
around) and reads ``penalty_per_1000_words`` and ``words`` of each system from
``audit/summary.json``. mtcheck's penalty weighs its flags minor 1, major 5, critical 25.

Expert score: the MQM weighting of the WMT MQM studies (Freitag et al., "Experts, Errors,
and Context", TACL 2021, table of weights), applied to each error row:

    severity Major:  category Non-translation -> 25, any other category -> 5
    severity Minor:  category Fluency/Punctuation -> 0.1, any other category -> 1
    severity Neutral, and No-error rows -> 0

(a category matches when it starts with the name, so ``Non-translation!`` counts; any other
severity is an error of the data). A segment's score is the sum over one rater's error rows,
averaged over the raters of that segment (this file has one rater per segment: the output
says so); a system's **expert MQM per segment** is the mean over its segments, and its
**expert penalty per 1,000 words** is 1000 x (sum of its segment scores) / (its German
words, counted by mtcheck, the same words mtcheck's figure divides by).

For both mtcheck and the experts lower is better, so a *positive* correlation means that
mtcheck agrees with the experts. The script prints one row per system (best expert score
first; rank 1 = lowest penalty, ties averaged), then Pearson's r and Kendall's tau-b
(``scipy.stats.pearsonr``, ``scipy.stats.kendalltau``), each with its two-sided p-value,
between mtcheck's penalty per 1,000 words and each of the two expert measures.

Exit codes: 0 done, 2 bad input (missing data folder, malformed file, audit failure).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _mqm import (  # noqa: E402
    COLUMNS,
    DEFAULT_DATA,
    TSV_NAME,
    DataError,
    MqmError,
    MqmSegment,
    documents,
    format_table,
    load_mqm,
    parse_rows,
)

# Weights of the WMT MQM studies (Freitag et al. 2021).
MAJOR, MINOR, NEUTRAL = 5.0, 1.0, 0.0
NON_TRANSLATION, NON_TRANSLATION_WEIGHT = "Non-translation", 25.0
PUNCTUATION, MINOR_PUNCTUATION_WEIGHT = "Fluency/Punctuation", 0.1

SegmentKey = tuple[str, str, str]  # (system, doc, seg_id), as MqmSegment.key


def error_weight(error: MqmError) -> float:
    """The MQM weight of one error row (see the module docstring)."""
    severity = error.severity.strip().lower()
    if severity == "major":
        return NON_TRANSLATION_WEIGHT if error.category.startswith(NON_TRANSLATION) else MAJOR
    if severity == "minor":
        return MINOR_PUNCTUATION_WEIGHT if error.category.startswith(PUNCTUATION) else MINOR
    if severity in ("neutral", "no-error"):
        return NEUTRAL
    raise DataError(
        f"unknown MQM severity {error.severity!r} (category {error.category!r}); "
        "expected Major, Minor, Neutral or No-error"
    )


def resolve_tsv(data: Path) -> Path:
    """The MQM file of ``data``: the file itself, or in a folder ``mqm_ted_ende.dev.tsv``,
    else the folder's only ``.tsv`` file."""
    if data.is_file():
        return data
    if not data.is_dir():
        raise DataError(
            f"MQM data not found at {data}: pass --data with the folder that holds "
            f"{TSV_NAME} (default {DEFAULT_DATA})."
        )
    if (data / TSV_NAME).is_file():
        return data / TSV_NAME
    found = sorted(data.glob("*.tsv"))
    if len(found) != 1:
        raise DataError(
            f"{data} holds {len(found)} .tsv files and no {TSV_NAME}: pass --data with the "
            "MQM file itself."
        )
    return found[0]


def read_rows(path: Path) -> list[list[str]]:
    """The data rows of the MQM file (the header checked), as ``_mqm.load_mqm`` reads them."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None or tuple(header) != COLUMNS:
            raise DataError(f"{path}: unexpected header {header!r}")
        return list(reader)


def expert_scores(rows: list[list[str]]) -> tuple[dict[SegmentKey, float], int]:
    """MQM score of each system-segment, averaged over its raters, and the largest number
    of raters of one segment. Each rater's rows are grouped into segments by
    ``_mqm.parse_rows``."""
    rater_column = COLUMNS.index("rater")
    by_rater: dict[str, list[list[str]]] = defaultdict(list)
    for row in rows:
        if len(row) != len(COLUMNS):
            raise DataError(f"a row has {len(row)} fields, expected {len(COLUMNS)}")
        by_rater[row[rater_column]].append(row)
    per_rater: dict[SegmentKey, list[float]] = defaultdict(list)
    for rater_rows in by_rater.values():
        segments, _ = parse_rows(rater_rows)
        for segment in segments:
            per_rater[segment.key].append(sum(error_weight(e) for e in segment.errors))
    scores = {key: sum(values) / len(values) for key, values in per_rater.items()}
    return scores, max((len(v) for v in per_rater.values()), default=0)


def write_table(segments: list[MqmSegment], path: Path) -> int:
    """The audit's input table: one JSONL record per system-segment, each system's talk a
    run of adjacent rows in talk order. Returns the number of rows."""
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for document in documents(segments):
            for segment in document:
                record = {
                    "id": f"{segment.system}/{segment.doc}/{segment.seg_id}",
                    "target": segment.target,
                    "reference": segment.source,
                    "system": segment.system,
                    "doc": f"{segment.system}/{segment.doc}",
                }
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    return count


def mtcheck_command() -> list[str]:
    """mtcheck's console script beside this Python, else its click entry point."""
    script = Path(sys.executable).with_name("mtcheck")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from mtcheck.cli import main; main(prog_name='mtcheck')"]


def run_audit(table: Path, out: Path) -> dict:
    """Run ``mtcheck audit`` (flags only, grouped by system) and return its summary.json."""
    command = [
        *mtcheck_command(),
        "audit",
        str(table),
        "--out",
        str(out),
        "--group-by",
        "system",
        "--no-backtranslation",
        "--isolated",
        "--quiet",
        "--overwrite",
    ]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        message = done.stderr.strip() or done.stdout.strip() or "no message"
        raise DataError(f"mtcheck audit exited with {done.returncode}: {message}")
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


@dataclass
class SystemRow:
    system: str
    segments: int
    words: int
    flags: int
    mtcheck_per_1000: float
    expert_total: float
    expert_per_segment: float
    expert_per_1000: float


def system_rows(
    segments: list[MqmSegment], scores: dict[SegmentKey, float], summary: dict
) -> list[SystemRow]:
    groups = summary.get("groups") or {}
    totals: dict[str, list[float]] = defaultdict(list)
    for segment in segments:
        totals[segment.system].append(scores[segment.key])
    if set(groups) != set(totals):
        raise DataError(f"the audit's groups {sorted(groups)} are not the systems {sorted(totals)}")
    rows = []
    for system, values in totals.items():
        group = groups[system]
        if group["segments"] != len(values):
            raise DataError(
                f"the audit counts {group['segments']} segments of {system}, the data {len(values)}"
            )
        words = group["words"]
        total = sum(values)
        rows.append(
            SystemRow(
                system=system,
                segments=len(values),
                words=words,
                flags=group["flags"],
                mtcheck_per_1000=group["penalty_per_1000_words"],
                expert_total=total,
                expert_per_segment=total / len(values),
                expert_per_1000=1000.0 * total / words if words else 0.0,
            )
        )
    rows.sort(key=lambda r: (r.expert_per_segment, r.system))
    return rows


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def correlations(rows: list[SystemRow]) -> dict[str, dict]:
    """Pearson r and Kendall tau-b (with p-values) of mtcheck's penalty per 1,000 words
    against each expert measure."""
    from scipy.stats import kendalltau, pearsonr

    ours = [r.mtcheck_per_1000 for r in rows]
    result = {}
    for name, values in (
        ("expert_mqm_per_segment", [r.expert_per_segment for r in rows]),
        ("expert_penalty_per_1000_words", [r.expert_per_1000 for r in rows]),
    ):
        if len(set(ours)) < 2 or len(set(values)) < 2:  # a constant: no correlation
            result[name] = {
                "pearson_r": None,
                "pearson_p": None,
                "kendall_tau_b": None,
                "kendall_p": None,
            }
            continue
        pearson = pearsonr(ours, values)
        kendall = kendalltau(ours, values, variant="b")
        result[name] = {
            "pearson_r": _number(pearson.statistic),
            "pearson_p": _number(pearson.pvalue),
            "kendall_tau_b": _number(kendall.statistic),
            "kendall_p": _number(kendall.pvalue),
        }
    return result


def ranks(values: list[float]) -> list[float]:
    from scipy.stats import rankdata

    return [float(r) for r in rankdata(values, method="average")]


def _rank(value: float) -> str:
    return f"{value:g}"


def _figure(value: float | None, digits: int) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def report_text(rows, stats, info) -> str:
    rank_ours = ranks([r.mtcheck_per_1000 for r in rows])
    rank_seg = ranks([r.expert_per_segment for r in rows])
    rank_1000 = ranks([r.expert_per_1000 for r in rows])
    headers = (
        "system",
        "segments",
        "words",
        "flags",
        "mtcheck pen/1k w",
        "expert MQM/seg",
        "expert pen/1k w",
        "rank mtcheck",
        "rank MQM/seg",
        "rank MQM/1k w",
    )
    body = [
        (
            r.system,
            r.segments,
            r.words,
            r.flags,
            f"{r.mtcheck_per_1000:.2f}",
            f"{r.expert_per_segment:.3f}",
            f"{r.expert_per_1000:.2f}",
            _rank(a),
            _rank(b),
            _rank(c),
        )
        for r, a, b, c in zip(rows, rank_ours, rank_seg, rank_1000, strict=True)
    ]
    lines = [
        f"MQM TED en-de ({info['data']}): {info['systems']} systems, {info['segments']} "
        f"system-segments, at most {info['raters_per_segment']} rater(s) per segment; "
        f"mtcheck audit --group-by system --no-backtranslation in {info['audit_seconds']:.1f} s",
        "expert MQM: Major 5 (Non-translation 25), Minor 1 (Fluency/Punctuation 0.1), "
        "Neutral/No-error 0; per segment averaged over raters",
        "lower is better for every figure; rank 1 = lowest penalty",
        "",
        format_table(headers, body),
        "",
        f"mtcheck penalty per 1,000 words against ... ({len(rows)} systems; positive = agreement):",
    ]
    labels = {
        "expert_mqm_per_segment": "expert MQM per segment",
        "expert_penalty_per_1000_words": "expert penalty per 1,000 words",
    }
    for name, label in labels.items():
        s = stats[name]
        lines.append(
            f"  {label:31s} Pearson r = {_figure(s['pearson_r'], 3)} "
            f"(p = {_figure(s['pearson_p'], 3)}), Kendall tau-b = "
            f"{_figure(s['kendall_tau_b'], 3)} (p = {_figure(s['kendall_p'], 3)})"
        )
    return "\n".join(lines)


def report_json(rows, stats, info) -> dict:
    rank_ours = ranks([r.mtcheck_per_1000 for r in rows])
    rank_seg = ranks([r.expert_per_segment for r in rows])
    rank_1000 = ranks([r.expert_per_1000 for r in rows])
    return {
        **info,
        "weights": {
            "major": MAJOR,
            "major_non_translation": NON_TRANSLATION_WEIGHT,
            "minor": MINOR,
            "minor_fluency_punctuation": MINOR_PUNCTUATION_WEIGHT,
            "neutral_or_no_error": NEUTRAL,
        },
        "direction": "lower is better for all figures; positive correlation = agreement",
        "systems": [
            {
                "system": r.system,
                "segments": r.segments,
                "words": r.words,
                "flags": r.flags,
                "mtcheck_penalty_per_1000_words": r.mtcheck_per_1000,
                "expert_mqm_total": r.expert_total,
                "expert_mqm_per_segment": r.expert_per_segment,
                "expert_penalty_per_1000_words": r.expert_per_1000,
                "rank_mtcheck": a,
                "rank_expert_mqm_per_segment": b,
                "rank_expert_penalty_per_1000_words": c,
            }
            for r, a, b, c in zip(rows, rank_ours, rank_seg, rank_1000, strict=True)
        ],
        "correlations": stats,
    }


def measure(data: Path, work: Path, exclude: set[str]):
    path = resolve_tsv(data)
    every = load_mqm(path)
    unknown = exclude - {s.system for s in every}
    if unknown:
        raise DataError(f"--exclude names no system of the data: {', '.join(sorted(unknown))}")
    segments = [s for s in every if s.system not in exclude]
    systems = sorted({s.system for s in segments})
    scores, raters = expert_scores(read_rows(path))
    if len(systems) < 3:
        raise DataError(f"{len(systems)} systems left; a correlation needs at least 3.")
    work.mkdir(parents=True, exist_ok=True)
    table = work / "segments.jsonl"
    write_table(segments, table)
    started = time.perf_counter()
    summary = run_audit(table, work / "audit")
    seconds = time.perf_counter() - started
    rows = system_rows(segments, scores, summary)
    info = {
        "data": str(path),
        "excluded": sorted(exclude),
        "systems": len(systems),
        "segments": len(segments),
        "raters_per_segment": raters,
        "audit_seconds": seconds,
    }
    return rows, correlations(rows), info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Correlate mtcheck's flag penalty per 1,000 words with the expert MQM "
        "score, per system, on the MQM TED English->German annotations."
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help=f"folder holding the MQM TSV, or the TSV itself (default {DEFAULT_DATA})",
    )
    parser.add_argument(
        "--work",
        type=Path,
        metavar="DIR",
        help="keep the segment table and the audit here (default: a temporary folder)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="SYSTEM",
        help="leave this system out (repeatable), e.g. --exclude ref for MT systems only",
    )
    parser.add_argument(
        "--json",
        metavar="FILE",
        help="also write the figures as JSON to FILE ('-': print only the JSON)",
    )
    args = parser.parse_args(argv)

    try:
        if args.work is not None:
            rows, stats, info = measure(args.data, args.work, set(args.exclude))
        else:
            with tempfile.TemporaryDirectory(prefix="rank-systems-") as folder:
                rows, stats, info = measure(args.data, Path(folder), set(args.exclude))
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    report = report_json(rows, stats, info)
    if args.json == "-":
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    print(report_text(rows, stats, info))
    if args.json:
        target = Path(args.json)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
