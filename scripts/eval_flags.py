"""Measure the German flags against expert MQM annotations (TED talks, English->German).

    python scripts/eval_flags.py [--data DIR] [--json FILE] [--examples N]

Runs every default rule (no back-translation model, so low-adequacy never fires) over each
system's translation of each talk, one talk a document, and prints one table:

- flags: flags raised over all 3,374 segments;
- on MQM span / precision: flags whose span overlaps an MQM error span of the same segment
  (any category). Raters mark at most five errors a segment, so this is a lower bound;
- grammar / punct. recall: share of the MQM ``Fluency/Grammar`` and ``Fluency/Punctuation``
  spans that a flag overlaps;
- clean flagged: share of ``No-error`` segments (every row of the segment is No-error)
  that get a flag.

The "any rule" rows pool all rules, overall and for the flags of each severity.
An empty MQM span (omission marker) counts as overlapped by a flag that contains or touches
its position; the two error rows without a marked span are never overlapped.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _mqm import (  # noqa: E402
    DEFAULT_DATA,
    MqmSegment,
    documents,
    format_table,
    load_or_exit,
    make_segment,
    overlaps_any,
    ratio,
    share,
)

GRAMMAR = "Fluency/Grammar"
PUNCTUATION = "Fluency/Punctuation"
SEVERITIES = ("minor", "major", "critical")


@dataclass
class Tally:
    """Counts for one rule, one severity or all rules."""

    flags: int = 0
    on_span: int = 0
    grammar_hit: int = 0
    punct_hit: int = 0
    clean_flagged: int = 0
    segments_flagged: int = 0
    categories: Counter = field(default_factory=Counter)  # MQM categories the flags overlap

    def as_dict(self, totals: dict[str, int]) -> dict:
        return {
            "flags": self.flags,
            "on_mqm_span": self.on_span,
            "span_precision": share(self.on_span, self.flags),
            "grammar_spans_hit": self.grammar_hit,
            "grammar_recall": share(self.grammar_hit, totals["grammar"]),
            "punctuation_spans_hit": self.punct_hit,
            "punctuation_recall": share(self.punct_hit, totals["punctuation"]),
            "segments_flagged": self.segments_flagged,
            "clean_segments_flagged": self.clean_flagged,
            "clean_flag_rate": share(self.clean_flagged, totals["clean"]),
            "overlapped_categories": dict(self.categories.most_common()),
        }


def score_segment(segment: MqmSegment, flags, tally: Tally) -> None:
    """Add one segment's ``flags`` (all of them counting for ``tally``) to ``tally``."""
    if not flags:
        return
    spans = [flag.span for flag in flags]
    tally.flags += len(flags)
    tally.segments_flagged += 1
    all_spans = segment.spans()
    for span in spans:
        if overlaps_any(span, all_spans):
            tally.on_span += 1
    for error in segment.errors:
        if error.span is not None and overlaps_any(error.span, spans):
            tally.categories[error.category] += 1
    tally.grammar_hit += sum(overlaps_any(s, spans) for s in segment.spans(GRAMMAR))
    tally.punct_hit += sum(overlaps_any(s, spans) for s in segment.spans(PUNCTUATION))
    if segment.clean:
        tally.clean_flagged += 1


def run_flags(segments: list[MqmSegment]) -> dict[tuple[str, str, str], tuple]:
    """Flags of every segment, keyed by segment key; one talk of one system a document."""
    from mtcheck.flags import check_segments

    result = {}
    for document in documents(segments):
        inputs = [make_segment(s.doc_id, s.target, s.source) for s in document]
        for segment, flags in zip(document, check_segments(inputs), strict=True):
            result[segment.key] = flags
    return result


def evaluate(segments: list[MqmSegment], flags_by_key, rules: list[str]):
    """(per-rule tallies, per-severity tallies, all-rule tally, totals)."""
    per_rule = {name: Tally() for name in rules}
    per_severity = {name: Tally() for name in SEVERITIES}
    overall = Tally()
    for segment in segments:
        flags = flags_by_key.get(segment.key, ())
        for name, tally in per_rule.items():
            score_segment(segment, [f for f in flags if f.rule == name], tally)
        for name, tally in per_severity.items():
            score_segment(segment, [f for f in flags if f.severity == name], tally)
        score_segment(segment, list(flags), overall)
    totals = {
        "segments": len(segments),
        "clean": sum(s.clean for s in segments),
        "grammar": sum(len(s.spans(GRAMMAR)) for s in segments),
        "punctuation": sum(len(s.spans(PUNCTUATION)) for s in segments),
        "error_spans": sum(len(s.spans()) for s in segments),
    }
    return per_rule, per_severity, overall, totals


def table(per_rule, per_severity, overall, totals) -> str:
    headers = (
        "rule",
        "flags",
        "on MQM span",
        "precision",
        f"grammar recall (/{totals['grammar']})",
        f"punct. recall (/{totals['punctuation']})",
        f"clean flagged (/{totals['clean']})",
        "clean rate",
    )

    def row(label: str, t: Tally):
        return (
            label,
            t.flags,
            t.on_span,
            ratio(t.on_span, t.flags),
            f"{t.grammar_hit} {ratio(t.grammar_hit, totals['grammar'])}",
            f"{t.punct_hit} {ratio(t.punct_hit, totals['punctuation'])}",
            t.clean_flagged,
            ratio(t.clean_flagged, totals["clean"]),
        )

    rows = [row(name, t) for name, t in per_rule.items()]
    rows += [row(f"any rule, {name} flags", t) for name, t in per_severity.items()]
    rows.append(row("any rule", overall))
    return format_table(headers, rows)


def false_positives(segments, flags_by_key, rule: str, limit: int):
    """Up to ``limit`` flags of ``rule`` that overlap no MQM span: clean segments first."""
    found = []
    for segment in sorted(segments, key=lambda s: not s.clean):
        for flag in flags_by_key.get(segment.key, ()):
            if flag.rule == rule and not overlaps_any(flag.span, segment.spans()):
                found.append((segment, flag))
                if len(found) >= limit:
                    return found
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Span precision, MQM recall and clean-segment flag rate of the German "
        "flags on the MQM TED English->German annotations."
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help=f"MQM folder or TSV (default {DEFAULT_DATA})",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the numbers here")
    parser.add_argument(
        "--examples",
        type=int,
        default=0,
        metavar="N",
        help="print up to N flags per rule that overlap no MQM span (clean segments first)",
    )
    args = parser.parse_args(argv)

    segments = load_or_exit(args.data)
    from mtcheck.flags import RULES, RuleSettings

    rules = RuleSettings().enabled()
    started = time.perf_counter()
    flags_by_key = run_flags(segments)
    seconds = time.perf_counter() - started
    per_rule, per_severity, overall, totals = evaluate(segments, flags_by_key, rules)

    print(
        f"MQM TED en-de: {totals['segments']} segments ({totals['clean']} No-error) in "
        f"{len(documents(segments))} documents, {totals['error_spans']} marked error spans; "
        f"flags in {seconds:.1f} s (no model: low-adequacy cannot fire)"
    )
    print(table(per_rule, per_severity, overall, totals))
    print("precision is a lower bound: raters mark at most five errors a segment")

    if args.examples:
        for name in rules:
            examples = false_positives(segments, flags_by_key, name, args.examples)
            if not examples:
                continue
            print(f"\n{name}: flags on no MQM span")
            for segment, flag in examples:
                start, end = flag.span
                label = "No-error" if segment.clean else "has errors"
                print(f"  [{segment.system} {segment.doc}#{segment.doc_id}, {label}]")
                print(f"    {segment.target}")
                print(f"    flagged: {segment.target[start:end]!r} ({flag.message})")

    if args.json:
        report = {
            "data": str(args.data),
            "totals": totals,
            "seconds": seconds,
            "rules": {
                name: {
                    "category": RULES[name].category,
                    "severity": RULES[name].severity,
                    **tally.as_dict(totals),
                }
                for name, tally in per_rule.items()
            },
            "severities": {name: t.as_dict(totals) for name, t in per_severity.items()},
            "any_rule": overall.as_dict(totals),
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
