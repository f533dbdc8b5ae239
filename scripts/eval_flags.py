"""Measure the German flags against expert MQM annotations of English->German.

    python scripts/eval_flags.py [--set ted|wmt23|all] [--data-ted PATH] [--data-wmt23 PATH]
                                 [--json FILE] [--examples N]

Two data sets, both read in place from ``../shared/data/`` (``--set all``, the default,
reports on both; ``--data`` is an alias of ``--data-ted``):

- ``ted``: MQM TED talks (``mqm_ted_ende.dev.tsv``), 3,374 sentence segments, one rater
  each; a document is one system's translation of one talk.
- ``wmt23``: WMT 2023 general news (``mqm_general2023_ende.dev.tsv``), 620 paragraph
  segments, three raters each; a document is one system's translation of one news
  document, segments in ``docSegId`` order.

Every default rule runs (no back-translation model, so low-adequacy never fires) over each
document. Per data set the script prints two tables:

1. per rule, then pooled over all rules for the flags of each severity and for all flags:
   - flags, on MQM span, precision: flags raised, and those whose span overlaps an MQM
     error span of the same segment marked by ANY rater (any category). Raters mark only
     some errors (at most five a segment in TED), so precision is a lower bound;
   - segments flagged: segments with at least one flag;
   - No-error flagged / rate: share of the segments that every rater called error-free
     (all their rows are No-error) that get at least one flag;
   - Fluency recall, without quotes: share of the marked ``Fluency/*`` error spans that
     a flag overlaps, over all of them and over those that are not quotation-mark errors
     (below). This shows which rules carry the pooled figure.
2. recall per Fluency category, pooled over all rules: for every ``Fluency/*`` category of
   the data set its spans, the quotation-mark spans among them and the share a flag
   overlaps; then the pooled "Fluency" recall twice, with and without quotation-mark
   errors.

Spans: every rater's marked span is one span, so an error that three raters marked counts
three times in a recall denominator (and a flag on it hits three spans). An empty MQM span
(an omission marker ``<v></v>``) counts as overlapped by a flag that contains or touches its
position (``_mqm.overlaps``). Error rows without a marked target span (omissions and source
issues whose span is in the source) are never overlapped and are in no recall. WMT's
attention-check rows (severity ``HOTW-test``) are no errors.

A quotation-mark error is a marked span, of any category, whose text holds at least one
quotation mark (straight or typographic: " ' „ “ ” ‚ ‘ ’ « » › ‹) and otherwise only
whitespace and punctuation (Unicode category P*): ``"``, `` "``, ``."`` and ``„`` are, an
empty span, ``-`` or ``"ja"`` are not (``_mqm.is_quotation_span``). In WMT 2023 the raters
mark nearly every straight quotation mark in German text as Fluency/Punctuation, which the
flags cannot be expected to find segment by segment, hence the second figure.

``--examples N`` prints, per rule and data set, up to N flags that overlap no MQM span,
flags on No-error segments first. ``--json FILE`` writes the figures, one section per data
set. Missing data is one error line naming the file and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _mqm import (  # noqa: E402
    TED,
    WMT23,
    MqmLayout,
    MqmSegment,
    Span,
    documents,
    format_table,
    is_quotation_span,
    load_or_exit,
    make_segment,
    overlaps_any,
    ratio,
    share,
)

DATA_SETS: dict[str, MqmLayout] = {"ted": TED, "wmt23": WMT23}
FLUENCY = "Fluency/"
SEVERITIES = ("minor", "major", "critical")
CONTEXT = 70  # characters shown either side of a flag in --examples


def fluency(counts: Counter) -> int:
    """The sum of ``counts`` over the Fluency/* categories."""
    return sum(n for category, n in counts.items() if category.startswith(FLUENCY))


def marked_errors(segment: MqmSegment) -> list[tuple[str, Span, bool]]:
    """(category, span, is a quotation-mark error) of each rater's marked error span."""
    return [
        (e.category, e.span, is_quotation_span(segment.text(e.span)))
        for e in segment.errors
        if e.span is not None
    ]


@dataclass
class Totals:
    """What the data set holds: the denominators."""

    segments: int = 0
    clean: int = 0  # segments every rater called error-free
    documents: int = 0  # (system, doc) pairs
    raters: int = 0  # most raters of one segment
    spans: Counter = field(default_factory=Counter)  # marked spans by category
    plain_spans: Counter = field(default_factory=Counter)  # the same, quotation marks left out

    @property
    def fluency(self) -> int:
        return fluency(self.spans)

    @property
    def fluency_plain(self) -> int:
        return fluency(self.plain_spans)

    def as_dict(self) -> dict:
        return {
            "segments": self.segments,
            "no_error_segments": self.clean,
            "documents": self.documents,
            "raters_per_segment": self.raters,
            "error_spans": sum(self.spans.values()),
            "fluency_spans": self.fluency,
            "fluency_spans_without_quotes": self.fluency_plain,
            "spans_by_category": dict(sorted(self.spans.items())),
            "spans_without_quotes_by_category": dict(sorted(self.plain_spans.items())),
        }


def count_totals(segments: Sequence[MqmSegment]) -> Totals:
    totals = Totals(
        segments=len(segments),
        clean=sum(s.clean for s in segments),
        documents=len(documents(segments)),
        raters=max((len(s.raters) for s in segments), default=0),
    )
    for segment in segments:
        for category, _, quote in marked_errors(segment):
            totals.spans[category] += 1
            totals.plain_spans[category] += not quote
    return totals


@dataclass
class Tally:
    """Counts for one rule, one severity or all rules."""

    flags: int = 0
    on_span: int = 0
    segments_flagged: int = 0
    clean_flagged: int = 0
    hits: Counter = field(default_factory=Counter)  # spans a flag overlaps, by category
    plain_hits: Counter = field(default_factory=Counter)  # the same, quotation marks left out

    def as_dict(self, totals: Totals) -> dict:
        fluency_recall = {
            category: share(self.hits[category], n)
            for category, n in sorted(totals.spans.items())
            if category.startswith(FLUENCY)
        }
        return {
            "flags": self.flags,
            "on_mqm_span": self.on_span,
            "span_precision": share(self.on_span, self.flags),
            "segments_flagged": self.segments_flagged,
            "no_error_segments_flagged": self.clean_flagged,
            "no_error_flag_rate": share(self.clean_flagged, totals.clean),
            "fluency_spans_hit": fluency(self.hits),
            "fluency_recall": share(fluency(self.hits), totals.fluency),
            "fluency_spans_without_quotes_hit": fluency(self.plain_hits),
            "fluency_recall_without_quotes": share(fluency(self.plain_hits), totals.fluency_plain),
            "fluency_recall_by_category": fluency_recall,
            "spans_hit_by_category": dict(self.hits.most_common()),
        }


def score_segment(segment: MqmSegment, flags: Sequence, tally: Tally) -> None:
    """Add one segment's ``flags`` (all of them counting for ``tally``) to ``tally``."""
    if not flags:
        return
    flag_spans = [flag.span for flag in flags]
    error_spans = segment.spans()
    tally.flags += len(flags)
    tally.on_span += sum(overlaps_any(span, error_spans) for span in flag_spans)
    tally.segments_flagged += 1
    tally.clean_flagged += segment.clean
    for category, span, quote in marked_errors(segment):
        if overlaps_any(span, flag_spans):
            tally.hits[category] += 1
            tally.plain_hits[category] += not quote


@dataclass
class Evaluation:
    per_rule: dict[str, Tally]
    per_severity: dict[str, Tally]
    overall: Tally
    totals: Totals


def evaluate(segments: Sequence[MqmSegment], flags_by_key, rules: Iterable[str]) -> Evaluation:
    """Tallies per rule, per flag severity and for all flags, and the data set's totals.
    ``flags_by_key`` maps a segment key to its flags (``mtcheck.model.Flag``)."""
    result = Evaluation(
        per_rule={name: Tally() for name in rules},
        per_severity={name: Tally() for name in SEVERITIES},
        overall=Tally(),
        totals=count_totals(segments),
    )
    for segment in segments:
        flags = list(flags_by_key.get(segment.key, ()))
        for name, tally in result.per_rule.items():
            score_segment(segment, [f for f in flags if f.rule == name], tally)
        for name, tally in result.per_severity.items():
            score_segment(segment, [f for f in flags if f.severity == name], tally)
        score_segment(segment, flags, result.overall)
    return result


def run_flags(segments: Sequence[MqmSegment]) -> dict[tuple[str, str, str], tuple]:
    """Flags of every segment, keyed by segment key; one document of one system at a time."""
    from mtcheck.flags import check_segments

    result = {}
    for document in documents(segments):
        inputs = [make_segment(s.doc_id, s.target, s.source) for s in document]
        for segment, flags in zip(document, check_segments(inputs), strict=True):
            result[segment.key] = flags
    return result


def hit(part: int, whole: int) -> str:
    return f"{part} {ratio(part, whole)}"


def rule_table(evaluation: Evaluation) -> str:
    totals = evaluation.totals
    headers = (
        "rule",
        "flags",
        "on MQM span",
        "precision",
        "segs flagged",
        f"No-error flagged (/{totals.clean})",
        f"Fluency recall (/{totals.fluency})",
        f"w/o quotes (/{totals.fluency_plain})",
    )

    def row(label: str, t: Tally):
        return (
            label,
            t.flags,
            t.on_span,
            ratio(t.on_span, t.flags),
            t.segments_flagged,
            hit(t.clean_flagged, totals.clean),
            hit(fluency(t.hits), totals.fluency),
            hit(fluency(t.plain_hits), totals.fluency_plain),
        )

    rows = [row(name, t) for name, t in evaluation.per_rule.items()]
    rows += [row(f"any rule, {name} flags", t) for name, t in evaluation.per_severity.items()]
    rows.append(row("any rule", evaluation.overall))
    return format_table(headers, rows)


def recall_table(evaluation: Evaluation) -> str:
    """Recall of each Fluency category and of all of them, by all flags together."""
    totals, hits = evaluation.totals, evaluation.overall.hits
    plain_hits = evaluation.overall.plain_hits
    headers = ("MQM category (any rule)", "spans", "of them quotes", "hit by a flag", "recall")
    rows = [
        (category, n, n - totals.plain_spans[category], hits[category], ratio(hits[category], n))
        for category, n in sorted(totals.spans.items())
        if category.startswith(FLUENCY)
    ]
    quotes = totals.fluency - totals.fluency_plain
    rows.append(
        ("Fluency", totals.fluency, quotes, fluency(hits), ratio(fluency(hits), totals.fluency))
    )
    rows.append(
        (
            "Fluency without quotation marks",
            totals.fluency_plain,
            0,
            fluency(plain_hits),
            ratio(fluency(plain_hits), totals.fluency_plain),
        )
    )
    return format_table(headers, rows)


def headline(layout: MqmLayout, segments: Sequence[MqmSegment], totals: Totals, seconds: float):
    systems = len({s.system for s in segments})
    docs = len({s.doc for s in segments})
    raters = "one rater" if totals.raters == 1 else f"{totals.raters} raters"
    return (
        f"{layout.label}: {totals.segments} segments ({totals.clean} No-error by every rater), "
        f"{raters} a segment, {docs} documents x {systems} systems = {totals.documents} "
        f"system-documents, {sum(totals.spans.values())} marked error spans "
        f"(each rater's span counted once); flags in {seconds:.1f} s "
        "(no model: low-adequacy cannot fire)"
    )


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


def excerpt(text: str, span: Span, width: int = CONTEXT) -> str:
    """``text`` around ``span``, at most ``width`` characters either side, cuts marked …."""
    start, end = max(0, span[0] - width), min(len(text), span[1] + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def print_examples(segments, flags_by_key, rules: Iterable[str], limit: int) -> None:
    for name in rules:
        examples = false_positives(segments, flags_by_key, name, limit)
        if not examples:
            continue
        print(f"\n{name}: flags on no MQM span")
        for segment, flag in examples:
            start, end = flag.span
            label = "No-error" if segment.clean else "has errors"
            print(f"  [{segment.system} {segment.doc}#{segment.doc_id}, {label}]")
            print(f"    {excerpt(segment.target, flag.span)}")
            print(f"    flagged: {segment.target[start:end]!r} ({flag.message})")


def report_section(data: Path, evaluation: Evaluation, seconds: float) -> dict:
    """The JSON section of one data set."""
    from mtcheck.flags import RULES

    totals = evaluation.totals
    return {
        "data": str(data),
        "totals": totals.as_dict(),
        "seconds": seconds,
        "rules": {
            name: {
                "category": RULES[name].category,
                "severity": RULES[name].severity,
                **tally.as_dict(totals),
            }
            for name, tally in evaluation.per_rule.items()
        },
        "severities": {name: t.as_dict(totals) for name, t in evaluation.per_severity.items()},
        "any_rule": evaluation.overall.as_dict(totals),
    }


def measure(layout: MqmLayout, data: Path, segments, rules: list[str], examples: int) -> dict:
    """Run the flags over one data set, print its tables, and return its JSON section."""
    started = time.perf_counter()
    flags_by_key = run_flags(segments)
    seconds = time.perf_counter() - started
    evaluation = evaluate(segments, flags_by_key, rules)
    print(headline(layout, segments, evaluation.totals, seconds))
    print(rule_table(evaluation))
    print()
    print(recall_table(evaluation))
    print(
        "precision is a lower bound: raters mark only some errors; a quotation-mark span "
        "holds a quotation mark and only whitespace/punctuation besides"
    )
    if examples:
        print_examples(segments, flags_by_key, rules, examples)
    return report_section(data, evaluation, seconds)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Span precision, No-error flag rate and Fluency recall of the German "
        "flags on the expert MQM English->German annotations (TED talks, WMT 2023 news)."
    )
    parser.add_argument(
        "--set",
        choices=(*DATA_SETS, "all"),
        default="all",
        help="data set to measure (default all)",
    )
    parser.add_argument(
        "--data-ted",
        "--data",
        dest="data_ted",
        type=Path,
        default=TED.default_data,
        help=f"TED MQM folder or TSV (default {TED.default_data})",
    )
    parser.add_argument(
        "--data-wmt23",
        type=Path,
        default=WMT23.default_data,
        help=f"WMT 2023 MQM folder or TSV (default {WMT23.default_data})",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the numbers here")
    parser.add_argument(
        "--examples",
        type=int,
        default=0,
        metavar="N",
        help="print up to N flags per rule that overlap no MQM span (clean segments first)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    names = list(DATA_SETS) if args.set == "all" else [args.set]
    paths = {"ted": args.data_ted, "wmt23": args.data_wmt23}
    # Load every set first, so that a missing file stops the run before any work.
    loaded = {name: load_or_exit(paths[name], DATA_SETS[name]) for name in names}

    from mtcheck.flags import RuleSettings

    rules = RuleSettings().enabled()
    report = {}
    for number, (name, segments) in enumerate(loaded.items()):
        if number:
            print()
        report[name] = measure(DATA_SETS[name], paths[name], segments, rules, args.examples)

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
