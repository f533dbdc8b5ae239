"""``report.html`` of ``mtcheck audit``: one self-contained page (inline CSS and SVG, no
script, no network) with the run's header, the overall figures, histograms of segment chrF
and adequacy, flags per rule and severity, the MQM-style penalty per 1,000 words per group
(``--group-by``) or per document (``doc`` column), the per-group table of corpus chrF, BLEU
and penalty with their bootstrap intervals (summary.json's ``intervals``), and the worst
segments with their flags highlighted.

What the page shows per segment is gathered by :class:`mtcheck.audit.collector.ReportCollector`
while the audit's outputs are written; flag counts per rule and per group come from the
summary that ``summary.json`` holds, so the page and the file agree.

The plots are drawn here as geometry (rectangles, ticks, labels) and written as SVG by the
template ``audit.html.j2``; Jinja's autoescaping covers every text, and the German with its
flags goes through :func:`mtcheck.report.html_report.highlight` (escaped, overlapping flags
nested).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mtcheck.model import SEVERITIES, SEVERITY_WEIGHTS, counts_penalty
from mtcheck.report.html_report import environment, flag_view, highlight

WORST_LIMIT = 50
# Bars in the penalty chart (the groups or documents with the highest penalty per 1,000 words).
BARS_LIMIT = 30

# chrF: 20 bins of 5 points, [0, 5), [5, 10), ..., [95, 100].
CHRF_BINS = 20
CHRF_WIDTH = 100.0 / CHRF_BINS
# Adequacy (average log-probability per token, <= 0): counted in fine bins of 0.1 from
# ADEQUACY_FLOOR to 0 (values below the floor in one more bin), merged into at most
# ADEQUACY_MAX_BINS bars over the range the data covers when the page is drawn.
ADEQUACY_FLOOR = -30.0
ADEQUACY_FINE = 0.1
ADEQUACY_FINE_BINS = round(-ADEQUACY_FLOOR / ADEQUACY_FINE)
ADEQUACY_MAX_BINS = 24
ADEQUACY_MIN_BINS = 5
_MERGE_STEPS = (1, 2, 5, 10, 20, 50, 100, 200)

WORST_DEFINITION = (
    "Worst first: the highest segment penalty (the sum of its flags' severity weights), "
    "then the lowest chrF (segments without a chrF after those with one), then the earliest "
    "place in the input. Segments with neither a flag nor a chrF are not listed."
)


def _nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """0, step, 2 step, ... up to the first multiple of a 1-2-5 step at or above
    ``maximum``, with at most ``count`` steps; the step is at least 1 (counts are whole)."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = max(maximum / count, 1.0)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    top = math.ceil(maximum / step - 1e-9) * step
    steps = round(top / step)
    return [round(k * step, 10) for k in range(steps + 1)]


def _number(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _signed(value: float, decimals: int) -> str:
    text = f"{abs(value):.{decimals}f}"
    return f"\u2212{text}" if value < 0 and float(text) != 0 else text


@dataclass(frozen=True)
class HistogramBin:
    low: float | None  # None: below the lowest edge (-inf)
    high: float
    count: int
    low_label: str
    high_label: str


def histogram(bins: list[HistogramBin], axis: str, unit: str) -> dict:
    """Geometry of a vertical bar chart of ``bins`` (640 x 250 SVG units)."""
    width, height = 640, 250
    left, right, top, bottom = 56, 16, 14, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    ticks = _nice_ticks(max((b.count for b in bins), default=0))
    y_max = ticks[-1]
    slot = plot_w / max(len(bins), 1)
    bars = []
    for k, b in enumerate(bins):
        h = plot_h * b.count / y_max
        bars.append(
            {
                "x": round(left + k * slot + 1, 2),
                "y": round(top + plot_h - h, 2),
                "width": round(max(slot - 2, 1), 2),
                "height": round(h, 2),
                "count": b.count,
                "low": "" if b.low is None else f"{b.low:g}",
                "high": f"{b.high:g}",
                "title": f"{unit} {b.low_label} to {b.high_label}: {b.count:,} segment"
                + ("" if b.count == 1 else "s"),
                "under": b.low is None,
            }
        )
    # Edge k is the left edge of bin k (the last one: the right edge of the last bin).
    label_every = max(1, math.ceil(len(bins) / 10))
    edges = [b.low_label for b in bins] + ([bins[-1].high_label] if bins else [])
    x_labels = [
        {"x": round(left + k * slot, 2), "text": edges[k]}
        for k in range(0, len(edges), label_every)
    ]
    return {
        "width": width,
        "height": height,
        "left": left,
        "top": top,
        "plot_w": plot_w,
        "plot_h": plot_h,
        "bottom_y": top + plot_h,
        "bars": bars,
        "y_ticks": [
            {"y": round(top + plot_h - plot_h * t / y_max, 2), "text": _number(t)} for t in ticks
        ],
        "x_labels": x_labels,
        "axis": axis,
        "total": sum(b.count for b in bins),
    }


def chrf_bins(counts: list[int]) -> list[HistogramBin]:
    return [
        HistogramBin(
            k * CHRF_WIDTH,
            (k + 1) * CHRF_WIDTH,
            count,
            _number(k * CHRF_WIDTH),
            _number((k + 1) * CHRF_WIDTH),
        )
        for k, count in enumerate(counts)
    ]


def adequacy_bins(fine: list[int], below: int) -> list[HistogramBin]:
    """Bars over the range the counted values cover: fine bins merged by a 1-2-5 factor into
    at most :data:`ADEQUACY_MAX_BINS` bars, aligned to multiples of the bar width; values
    below :data:`ADEQUACY_FLOOR` in one bar of their own on the left."""
    used = [k for k, n in enumerate(fine) if n]
    if below:
        # The bars then start at the floor, next to the bar of the values below it.
        used = [0, *used] if used else [0]
    bins: list[HistogramBin] = []
    if used:
        first, last = used[0], used[-1] + 1
        for step in _MERGE_STEPS:
            start, end = (first // step) * step, -(-last // step) * step
            if (end - start) // step <= ADEQUACY_MAX_BINS:
                break
        while (end - start) // step < ADEQUACY_MIN_BINS and (start > 0 or end < len(fine)):
            if end < len(fine):
                end += step
            else:
                start -= step
        decimals = 1 if step * ADEQUACY_FINE < 1 - 1e-9 else 0
        for low_index in range(start, end, step):
            low = ADEQUACY_FLOOR + low_index * ADEQUACY_FINE
            high = ADEQUACY_FLOOR + (low_index + step) * ADEQUACY_FINE
            count = sum(fine[low_index : low_index + step])
            bins.append(
                HistogramBin(
                    round(low, 6),
                    round(high, 6),
                    count,
                    _signed(low, decimals),
                    _signed(high, decimals),
                )
            )
    if below:
        bins.insert(0, HistogramBin(None, ADEQUACY_FLOOR, below, "\u2212\u221e", bins[0].low_label))
    return bins


def stacked_bars(rows: list[dict], axis: str) -> dict:
    """Geometry of a horizontal bar chart, one bar a row, stacked by severity.

    ``rows``: ``{"label", "parts": {severity: value}, "total", "total_text", "attrs"}``.
    """
    width = 760
    longest = max((len(r["label"]) for r in rows), default=0)
    left = min(260, max(80, 7 * min(longest, 36) + 16))
    right, top, bottom, row_h, bar_h = 64, 8, 40, 24, 16
    plot_w = width - left - right
    height = top + row_h * len(rows) + bottom
    ticks = _nice_ticks(max((r["total"] for r in rows), default=0))
    x_max = ticks[-1]
    out_rows = []
    for k, row in enumerate(rows):
        y = top + k * row_h + (row_h - bar_h) / 2
        x = float(left)
        parts = []
        for severity in SEVERITIES:
            value = row["parts"].get(severity, 0)
            w = plot_w * value / x_max
            parts.append(
                {
                    "severity": severity,
                    "x": round(x, 2),
                    "width": round(w, 2),
                    "value": value,
                    "value_text": _number(round(value, 1)),
                }
            )
            x += w
        label = row["label"]
        out_rows.append(
            {
                "y": round(y, 2),
                "text_y": round(y + bar_h / 2 + 4, 2),
                "label": label if len(label) <= 36 else label[:35] + "\u2026",
                "full_label": label,
                "parts": parts,
                "end_x": round(x + 6, 2),
                "total_text": row["total_text"],
                "attrs": row.get("attrs", {}),
                "title": row.get("title", label),
            }
        )
    return {
        "width": width,
        "height": height,
        "left": left,
        "top": top,
        "plot_w": plot_w,
        "bar_h": bar_h,
        "bottom_y": top + row_h * len(rows),
        "rows": out_rows,
        "x_ticks": [{"x": round(left + plot_w * t / x_max, 2), "text": _number(t)} for t in ticks],
        "axis": axis,
    }


def _rule_chart(by_rule: dict[str, dict[str, int]]) -> dict | None:
    if not by_rule:
        return None
    totals = {rule: sum(counts.values()) for rule, counts in by_rule.items()}
    order = sorted(by_rule, key=lambda rule: (-totals[rule], rule))
    rows = []
    for rule in order:
        counts = {s: by_rule[rule].get(s, 0) for s in SEVERITIES}
        detail = ", ".join(f"{n:,} {s}" for s, n in counts.items() if n)
        rows.append(
            {
                "label": rule,
                "parts": counts,
                "total": totals[rule],
                "total_text": f"{totals[rule]:,}",
                "attrs": {"rule": rule},
                "title": f"{rule}: {totals[rule]:,} ({detail})",
            }
        )
    return stacked_bars(rows, "flags")


def _penalty_row(name: str, by_severity: dict[str, int], words: int, segments: int) -> dict:
    parts = {
        s: (1000.0 * SEVERITY_WEIGHTS[s] * by_severity.get(s, 0) / words if words else 0.0)
        for s in SEVERITIES
    }
    total = sum(parts.values())
    penalty = counts_penalty(by_severity)
    return {
        "label": name,
        "parts": parts,
        "total": total,
        "total_text": f"{total:,.1f}",
        "attrs": {"group": name, "penalty": str(penalty), "words": str(words)},
        "title": (
            f"{name}: {total:,.1f} per 1,000 words (penalty {penalty:,} over {words:,} words, "
            f"{segments:,} segments)"
        ),
    }


def _penalty_chart(rows: list[dict]) -> dict:
    return stacked_bars(rows, "MQM-style penalty per 1,000 words")


def _groups_view(summary: dict, collector) -> dict:
    group_by = summary.get("group_by")
    if group_by is not None:
        groups = summary.get("groups") or {}
        rows = [
            _penalty_row(name, g["by_severity"], g["words"], g["segments"])
            for name, g in groups.items()
        ]
        rows.sort(key=lambda r: (-r["total"], r["label"]))
        shown = rows[:BARS_LIMIT]
        note = f"{len(rows):,} group{'' if len(rows) == 1 else 's'} by '{group_by}'"
        if len(shown) < len(rows):
            note += f"; the {len(shown)} with the highest penalty per 1,000 words shown"
        note += "."
        return {
            "title": f"Penalty per 1,000 words by {group_by}",
            "chart": _penalty_chart(shown) if shown else None,
            "note": note,
        }
    if collector.has_doc_column:
        runs = collector.documents()
        rows = [_penalty_row(r.name, r.by_severity, r.words, r.segments) for r in runs]
        count = collector.document_runs
        note = (
            f"{count:,} document{'' if count == 1 else 's'} (runs of consecutive rows with the "
            "same 'doc')"
        )
        if len(rows) < count:
            note += f"; the {len(rows)} with the highest penalty per 1,000 words shown"
        note += "."
        return {
            "title": "Penalty per 1,000 words by document",
            "chart": _penalty_chart(rows) if rows else None,
            "note": note,
        }
    return {
        "title": "Penalty per 1,000 words by group",
        "chart": None,
        "note": "No groups: this audit has no --group-by and its inputs have no 'doc' column.",
    }


# Rows of the per-group table on the page (summary.json has every group).
TABLE_LIMIT = 200
_TABLE_COLUMNS = (
    ("chrf", "chrF"),
    ("bleu", "BLEU"),
    ("penalty_per_1000_words", "Penalty / 1,000 words"),
)


def _table_cell(figure: float | None, interval: dict | None) -> dict:
    """One figure with its interval: ``text``, ``interval`` text and the numbers."""
    if figure is None:
        return {"text": "\u2014", "interval": "", "title": "no scored segment", "data": {}}
    cell = {"text": f"{figure:,.2f}", "interval": "", "title": "", "data": {"score": figure}}
    if interval is not None:
        cell["interval"] = f"{interval['low']:,.2f}\u2013{interval['high']:,.2f}"
        cell["title"] = f"bootstrap mean {interval['mean']:,.2f} \u00b1 {interval['ci']:,.2f} (95%)"
        cell["data"].update(low=interval["low"], high=interval["high"])
    return cell


def _group_table(summary: dict) -> dict | None:
    """The per-group table: corpus chrF and BLEU of the back-translations, and the penalty
    per 1,000 words, each with its 95% bootstrap interval (from summary.json's groups)."""
    groups = summary.get("groups")
    if not groups:
        return None
    scored = summary.get("model") is not None
    columns = [c for c in _TABLE_COLUMNS if scored or c[0] == "penalty_per_1000_words"]
    rows = []
    for name, group in list(groups.items())[:TABLE_LIMIT]:
        intervals = group.get("intervals") or {}
        scores = group.get("scores") or {}
        figures = {**scores, "penalty_per_1000_words": group["penalty_per_1000_words"]}
        rows.append(
            {
                "name": name,
                "segments": group["segments"],
                "scored": group["segments_with_reference"],
                "words": group["words"],
                "cells": [_table_cell(figures.get(key), intervals.get(key)) for key, _ in columns],
            }
        )
    return {
        "columns": [label for _key, label in columns],
        "rows": rows,
        "scored": scored,
        "note": _table_note(summary, scored, len(groups), len(rows)),
    }


def _table_note(summary: dict, scored: bool, groups: int, shown: int) -> str:
    bootstrap = summary.get("bootstrap") or {}
    parts = []
    if not scored:
        parts.append(
            "Flags only: without back-translations there is no chrF or BLEU, so the table "
            "has the penalty only."
        )
    if bootstrap.get("intervals"):
        parts.append(
            f"Ranges: 95% bootstrap intervals as sacrebleu computes them "
            f"({bootstrap['resamples']:,} resamples, seed {bootstrap['seed']}; the same "
            "resamples for groups of the same size, i.e. paired); chrF and BLEU over the "
            "scored segments of a group, the penalty over all its segments."
        )
    elif bootstrap:
        parts.append(f"No intervals: {bootstrap.get('reason', 'not computed')}.")
    if shown < groups:
        parts.append(f"The first {shown:,} of {groups:,} groups shown; summary.json has all.")
    return " ".join(parts)


def _worst_view(collector) -> list[dict]:
    rows = []
    for rank, entry in enumerate(collector.worst(), start=1):
        result = entry.result
        segment = result.segment
        ids = [f"w{rank}-f{k}" for k in range(1, len(result.flags) + 1)]
        scores = result.scores
        rows.append(
            {
                "ordinal": entry.ordinal,
                "id": segment.id,
                "target": segment.target,
                "reference": segment.reference,
                "backtranslation": result.backtranslation,
                "penalty": entry.penalty,
                "group": entry.group,
                "doc": entry.doc,
                "rank": rank,
                "chrf": scores.chrf if scores else None,
                "adequacy": scores.adequacy if scores else None,
                "target_html": highlight(segment.target, result.flags, ids),
                "flag_items": [
                    flag_view(flag, flag_id, segment.target)
                    for flag, flag_id in zip(result.flags, ids, strict=True)
                ],
            }
        )
    return rows


def _score_views(collector, summary: dict) -> dict:
    model = summary.get("model")
    if model is None:
        reason = (
            "Flags only: this audit ran without back-translation (--no-backtranslation), so "
            "no segment has a chrF or an adequacy score and there are no score histograms."
        )
        return {"chrf": None, "adequacy": None, "chrf_note": reason, "adequacy_note": None}
    unscored = collector.segments - collector.chrf_count
    chrf = None
    chrf_note = None
    if collector.chrf_count:
        chrf = histogram(chrf_bins(collector.chrf_bins), "segment chrF (0\u2013100)", "chrF")
        if unscored:
            chrf_note = (
                f"{unscored:,} segment without an English reference has no chrF."
                if unscored == 1
                else f"{unscored:,} segments without an English reference have no chrF."
            )
    else:
        chrf_note = "No segment has an English reference, so there is no chrF to plot."
    adequacy = None
    adequacy_note = None
    if collector.adequacy_count:
        adequacy = histogram(
            adequacy_bins(collector.adequacy_bins, collector.adequacy_below),
            "adequacy: average log-probability per token (higher is better)",
            "adequacy",
        )
        adequacy_note = (
            f"{collector.adequacy_count:,} segments, from "
            f"{_signed(collector.adequacy_min, 2)} to {_signed(collector.adequacy_max, 2)}."
        )
    else:
        adequacy_note = "No segment has an adequacy score (it needs an English reference)."
    return {
        "chrf": chrf,
        "adequacy": adequacy,
        "chrf_note": chrf_note,
        "adequacy_note": adequacy_note,
    }


def render_report(collector, summary: dict) -> str:
    """The page, from the collector (a :class:`mtcheck.audit.collector.ReportCollector`, fed
    every segment) and the audit's summary."""
    overall = summary["overall"]
    scores = _score_views(collector, summary)
    template = environment().get_template("audit.html.j2")
    return template.render(
        summary=summary,
        overall=overall,
        model=summary.get("model"),
        severities=SEVERITIES,
        weights=SEVERITY_WEIGHTS,
        scores=scores,
        rules=_rule_chart(overall.get("by_rule") or {}),
        groups=_groups_view(summary, collector),
        group_table=_group_table(summary),
        worst=_worst_view(collector),
        worst_limit=collector.worst_limit,
        worst_definition=WORST_DEFINITION,
        show_texts=summary.get("model") is not None,
        group_by=summary.get("group_by"),
        segments=collector.segments,
    )
