"""``report.html`` of ``mtcheck audit``: the figures match summary.json and segments.parquet,
the worst segments come in the documented order, every text is escaped, memory does not
grow with the corpus, and the page renders in a real headless browser without console
messages (skipped without chromium)."""

from __future__ import annotations

import html
import json
import re
import subprocess
import tracemalloc
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mtcheck.audit.collector import ReportCollector
from mtcheck.audit.record import AuditRecord
from mtcheck.model import SEVERITY_WEIGHTS
from mtcheck.report.audit_html import render_report
from tests.helpers import (
    OUT,
    audit,
    chromium,
    make_rows,
    read_segments,
    requires_browser,
    write_jsonl,
)

HOSTILE = "<script>alert(1)</script>"
QUOTES = "\"&'<>"


class Page(HTMLParser):
    """What the tests read from the page: every start tag, the SVG bars of each plot (with
    the attributes of their ``<g>``), the rows of the worst-segments table, the text."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.plots: dict[str, list[dict]] = {}
        self.rows: list[dict] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self._plot: str | None = None
        self._group: dict = {}
        self.feed(source)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "svg" and "data-plot" in attributes:
            self._plot = attributes["data-plot"]
            self.plots[self._plot] = []
        elif tag == "g" and self._plot is not None:
            self._group = attributes
        elif tag == "rect" and self._plot is not None:
            self.plots[self._plot].append({**self._group, **attributes})
        elif tag == "tr" and attributes.get("class") == "segment":
            self.rows.append(attributes)

    def handle_endtag(self, tag):
        if tag == "svg":
            self._plot = None
        elif tag == "g":
            self._group = {}

    def handle_data(self, data):
        self.text.append(data)

    @property
    def all_text(self) -> str:
        return "".join(self.text)


def _read(out: Path) -> tuple[str, Page, dict]:
    source = (out / "report.html").read_text(encoding="utf-8")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return source, Page(source), summary


def _assert_self_contained(source: str) -> None:
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", source)
    assert "@import" not in source and "@font-face" not in source and "url(" not in source
    assert "<script" not in source and "<link" not in source and "<img" not in source


def _rule_counts(page: Page) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for rect in page.plots.get("rules", []):
        counts.setdefault(rect["data-rule"], {})[rect["data-severity"]] = int(rect["data-count"])
    return counts


def _penalty(segment: dict) -> int:
    return sum(SEVERITY_WEIGHTS[flag["severity"]] for flag in segment["flags"])


def _expected_worst(segments: list[dict], limit: int = 50) -> list[str]:
    candidates = [
        (k, s) for k, s in enumerate(segments) if _penalty(s) or s.get("chrf") is not None
    ]
    candidates.sort(
        key=lambda e: (
            -_penalty(e[1]),
            e[1]["chrf"] is None,
            e[1]["chrf"] if e[1]["chrf"] is not None else 0.0,
            e[0],
        )
    )
    return [s["id"] for _k, s in candidates[:limit]]


def _document_runs(segments: list[dict]) -> list[tuple[str, float, int, int]]:
    """(doc, penalty per 1,000 words, penalty, first ordinal) of each run of rows with the
    same doc, counted from segments.parquet."""
    from mtcheck.report.summary import WORD

    runs: list[list] = []
    for k, s in enumerate(segments):
        if not runs or runs[-1][0] != s["doc"]:
            runs.append([s["doc"], 0, 0, k])
        runs[-1][1] += _penalty(s)
        runs[-1][2] += len(WORD.findall(s["target"]))
    return [
        (doc, 1000.0 * penalty / words if words else 0.0, penalty, first)
        for doc, penalty, words, first in runs
    ]


# -- the report of a real audit ----------------------------------------------------------------


def test_flags_only_report_matches_the_summary_and_the_segments(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", make_rows(400, seed=5))
    out = tmp_path / "out"
    code, output = audit(str(path), "--out", str(out), "--no-backtranslation")
    assert code == 0, output
    assert "report.html" in output
    assert not list(out.glob(".*.tmp"))
    source, page, summary = _read(out)
    _assert_self_contained(source)
    segments = read_segments(out)

    # No back-translation: the page says so and draws no score histogram.
    assert "chrf" not in page.plots and "adequacy" not in page.plots
    assert "no-scores" in page.ids
    assert "Flags only" in page.all_text and "flags only (no back-translation)" in page.all_text

    # Flags per rule and severity: the bars are the summary's counts.
    assert summary["overall"]["flags"] > 50
    assert _rule_counts(page) == summary["overall"]["by_rule"]
    assert all(float(rect["width"]) > 0 for rect in page.plots["rules"])

    # The 50 worst, in the documented order.
    ids = [row["data-id"] for row in page.rows]
    assert len(ids) == 50
    assert ids == _expected_worst(segments)
    assert [int(row["data-rank"]) for row in page.rows] == list(range(1, 51))
    penalties = [int(row["data-penalty"]) for row in page.rows]
    assert penalties == sorted(penalties, reverse=True)
    assert "worst-definition" in page.ids and "lowest chrF" in page.all_text

    # No --group-by, but a doc column: the documents with the highest penalty.
    runs = _document_runs(segments)
    runs.sort(key=lambda r: (-r[1], -r[2], r[3]))
    bars = []
    for rect in page.plots["groups"]:
        if not bars or bars[-1] != rect["data-group"]:
            bars.append(rect["data-group"])
    expected = [doc for doc, _per, penalty, _first in runs[:30] if penalty]
    assert bars == expected
    assert f"{len(runs):,} documents" in page.all_text

    # Another grouping of the finished job rewrites the report from the store.
    code, output = audit(
        str(path), "--out", str(out), "--no-backtranslation", "--group-by", "system"
    )
    assert code == 0 and "0 computed" in output, output
    source, page, summary = _read(out)
    assert summary["group_by"] == "system"
    assert _rule_counts(page) == summary["overall"]["by_rule"]
    groups: dict[str, dict] = {}
    for rect in page.plots["groups"]:
        group = groups.setdefault(
            rect["data-group"],
            {"penalty": int(rect["data-penalty"]), "words": int(rect["data-words"]), "parts": {}},
        )
        group["parts"][rect["data-severity"]] = float(rect["data-count"])
    assert sorted(groups) == sorted(summary["groups"])
    for name, figures in summary["groups"].items():
        assert groups[name]["penalty"] == figures["penalty"]
        assert groups[name]["words"] == figures["words"]
        assert sum(groups[name]["parts"].values()) == pytest.approx(
            figures["penalty_per_1000_words"], abs=0.01
        )
    assert [row["data-id"] for row in page.rows] == _expected_worst(segments)


def test_a_rerun_writes_a_missing_report_and_overwrite_removes_it(tmp_path):
    from mtcheck.audit.job import remove_outputs

    path = write_jsonl(tmp_path / "t.jsonl", make_rows(30))
    out = tmp_path / "out"
    arguments = [str(path), "--out", str(out), "--no-backtranslation"]
    assert audit(*arguments)[0] == 0
    report = out / "report.html"
    first = report.read_text(encoding="utf-8")
    report.unlink()  # e.g. an output folder of an mtcheck without the report
    code, output = audit(*arguments)
    assert code == 0 and "0 computed" in output, output
    assert report.read_text(encoding="utf-8") == first
    code, output = audit(*arguments)
    assert code == 0 and "nothing to do" in output
    remove_outputs(out)
    assert not report.exists() and not (out / "summary.json").exists()


# -- the collector, with synthetic values ----------------------------------------------------


def _flag(rule, category, severity, message, suggestion, start, end) -> dict:
    """A stored flag (mtcheck.model.flag_to_dict)."""
    return {
        "rule": rule,
        "category": category,
        "severity": severity,
        "message": message,
        "suggestion": suggestion,
        "suggestions": [] if suggestion is None else [suggestion],
        "span": [start, end],
        "line": 0,
        "column": 0,
    }


def _add(collector, values) -> None:
    for value in values:
        collector.add(AuditRecord.from_dict(value))


def _value(
    id_: str,
    chrf: float | None = None,
    adequacy: float | None = None,
    severities: tuple[str, ...] = (),
    meta: dict | None = None,
    target: str = "Ein Satz mit einigen Wörtern darin.",
) -> dict:
    scored = chrf is not None or adequacy is not None
    return {
        "id": id_,
        "paragraph": 1,
        "line": 1,
        "column": 1,
        "alignment": None,
        "meta": meta or {},
        "target": target,
        "reference": "A sentence." if scored else None,
        "backtranslation": "A sentence." if scored else None,
        "scores": {"chrf": chrf, "bleu": 10.0, "ter": 50.0, "adequacy": adequacy}
        if scored
        else None,
        "flags": [
            _flag("rule-" + s, "Fluency/Grammar", s, f"{s} finding", None, 0, 3) for s in severities
        ],
        "words": len(target.split()),
        "stats": None,
    }


def _summary(values: list[dict], model: dict | None, group_by: str | None = None) -> dict:
    """A summary as write_outputs builds it (the overall figures from its own _Group)."""
    from mtcheck.audit.output import _Group

    overall = _Group()
    _add(overall, values)
    return {
        "mtcheck_version": "0.0",
        "inputs": ["/data/t.jsonl"],
        "model": model,
        "limit": None,
        "sample": None,
        "seed": None,
        "severity_weights": dict(SEVERITY_WEIGHTS),
        "signatures": None,
        "group_by": group_by,
        "overall": overall.summary(),
        "groups": None,
    }


MODEL = {"name": "tiny/model", "revision": "abc", "beams": 1, "device": "cpu"}


def test_worst_segments_order_and_cap():
    # Penalties 0/1/5/25/26, chrF values with ties and None; ordinal breaks the last ties.
    values = []
    choices = [(), ("minor",), ("major",), ("critical",), ("critical", "minor")]
    for k in range(130):
        severities = choices[k % 5]
        chrf = None if k % 7 == 0 else float((k * 37) % 11) * 9.5
        values.append(_value(f"s{k}", chrf=chrf, adequacy=-1.0, severities=severities))
    values.append(_value("clean-unscored"))  # neither a flag nor a chrF: never listed
    collector = ReportCollector()
    _add(collector, values)
    worst = collector.worst()
    assert len(worst) == 50
    expected = sorted(
        (
            (k, v)
            for k, v in enumerate(values)
            if v["flags"] or (v["scores"] and v["scores"]["chrf"] is not None)
        ),
        key=lambda e: (
            -sum(SEVERITY_WEIGHTS[f["severity"]] for f in e[1]["flags"]),
            e[1]["scores"]["chrf"] is None,
            e[1]["scores"]["chrf"] if e[1]["scores"]["chrf"] is not None else 0.0,
            e[0],
        ),
    )[:50]
    assert [w.result.segment.id for w in worst] == [v["id"] for _k, v in expected]
    assert [w.ordinal for w in worst] == [k for k, _v in expected]
    page = Page(render_report(collector, _summary(values, MODEL)))
    assert [row["data-id"] for row in page.rows] == [v["id"] for _k, v in expected]

    few = ReportCollector()
    _add(few, values[:3] + [values[-1]])
    # s2 (major) before s1 (minor); s0 has neither a flag nor a chrF (k % 7 == 0).
    assert [w.result.segment.id for w in few.worst()] == ["s2", "s1"]


def test_score_histograms_count_every_scored_segment():
    chrfs = [0.0, 4.99, 5.0, 50.0, 99.9, 100.0, None]
    adequacies = [-0.05, -1.23, -2.5, -2.51, -45.0, None, -0.0]
    values = [
        _value(f"s{k}", chrf=c, adequacy=a, severities=("minor",) if k == 2 else ())
        for k, (c, a) in enumerate(zip(chrfs, adequacies, strict=True))
    ]
    collector = ReportCollector()
    _add(collector, values)
    source = render_report(collector, _summary(values, MODEL))
    page = Page(source)
    chrf = page.plots["chrf"]
    assert len(chrf) == 20
    counts = [int(r["data-count"]) for r in chrf]
    assert sum(counts) == 6
    assert counts[0] == 2 and counts[1] == 1 and counts[10] == 1 and counts[19] == 2
    assert all(float(r["height"]) > 0 for r, n in zip(chrf, counts, strict=True) if n)
    adequacy = page.plots["adequacy"]
    assert sum(int(r["data-count"]) for r in adequacy) == 6
    # One bar for the values below the floor (-30), then bars from the floor up to 0.
    assert adequacy[0]["data-low"] == "" and int(adequacy[0]["data-count"]) == 1
    assert float(adequacy[1]["data-low"]) == -30.0 and float(adequacy[-1]["data-high"]) == 0.0
    for value in (-0.05, -1.23, -2.5, -2.51, -0.0):
        [bar] = [
            r
            for r in adequacy[1:]
            if float(r["data-low"]) <= value < float(r["data-high"])
            or value == float(r["data-high"]) == 0.0
        ]
        assert int(bar["data-count"]) >= 1
    assert "1 segment without an English reference has no chrF." in page.all_text


def test_adequacy_bins_follow_the_data_range():
    from mtcheck.report.audit_html import adequacy_bins

    collector = ReportCollector()
    for k in range(200):
        _add(collector, [_value(f"s{k}", chrf=50.0, adequacy=-7.0 - (k % 40) * 0.05)])
    bins = adequacy_bins(collector.adequacy_bins, collector.adequacy_below)
    assert sum(b.count for b in bins) == 200
    assert 5 <= len(bins) <= 24
    assert bins[0].low <= -8.95 and bins[0].low > -10 and bins[-1].high >= -7.0
    assert bins[-1].high <= -6.0


def test_without_back_translation_the_page_says_so_instead_of_plotting():
    values = [_value(f"s{k}", severities=("major",) if k % 2 else ()) for k in range(10)]
    collector = ReportCollector()
    _add(collector, values)
    page = Page(render_report(collector, _summary(values, None)))
    assert "chrf" not in page.plots and "adequacy" not in page.plots
    assert "without back-translation" in page.all_text
    assert "No groups" in page.all_text  # no --group-by, no doc column
    assert [row["data-id"] for row in page.rows] == ["s1", "s3", "s5", "s7", "s9"]


def test_memory_does_not_grow_with_the_corpus():
    def feed(count: int) -> tuple[int, ReportCollector]:
        collector = ReportCollector()
        tracemalloc.start()
        try:
            for k in range(count):
                severities = ("minor", "major") if k % 3 == 0 else ()
                value = _value(
                    f"s{k}",
                    chrf=float(k % 100),
                    adequacy=-(k % 97) / 10,
                    severities=severities,
                    meta={"doc": f"d{k // 5}"},
                    target=f"Satz Nummer {k} mit ein paar Wörtern mehr.",
                )
                collector.add(AuditRecord.from_dict(value))
            collector.documents()
            return tracemalloc.get_traced_memory()[1], collector
        finally:
            tracemalloc.stop()

    small, _ = feed(2_000)
    large, collector = feed(40_000)
    assert collector.segments == 40_000 and collector.document_runs == 8_000
    assert len(collector.worst()) == 50 and len(collector.documents()) == 30
    assert large < small * 1.5 + 64_000, (small, large)


# -- escaping --------------------------------------------------------------------------------


def _hostile_rows() -> list[dict]:
    rows = []
    for k in range(12):
        rows.append(
            {
                "id": f"{QUOTES}{k}" if k % 2 else f"{HOSTILE}{k}",
                "target": (
                    f"Das Unternehmen {HOSTILE} soll monatelang mit {k} Herstellern verhandelt. "
                    f"<img src=x onerror=alert(2)> {QUOTES}"
                ),
                "reference": None,
                "system": f"{HOSTILE}{QUOTES}" if k % 3 else f"sys{QUOTES}",
                "doc": f"{HOSTILE}doc{k // 4}",
            }
        )
    return rows


def _assert_escaped(source: str, page: Page) -> None:
    assert "script" not in page.tags and "img" not in page.tags
    assert HOSTILE not in source and "<img" not in source
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in source
    assert HOSTILE in page.all_text  # shown as text


def test_hostile_text_comes_out_escaped(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", _hostile_rows())
    hostile_path = tmp_path / f"in{QUOTES}put.jsonl"
    path.rename(hostile_path)
    out = tmp_path / "out"
    code, output = audit(
        str(hostile_path), "--out", str(out), "--no-backtranslation", "--group-by", "system"
    )
    assert code == 0, output
    source, page, summary = _read(out)
    _assert_escaped(source, page)
    _assert_self_contained(source)
    # Attribute values are escaped too: the parser reads back exactly the ids and groups.
    assert {row["data-id"] for row in page.rows} == {r["id"] for r in _hostile_rows()}
    assert {r["data-group"] for r in page.plots["groups"]} == set(summary["groups"])
    assert f"{HOSTILE}{QUOTES}" in summary["groups"]
    assert str(hostile_path) in page.all_text
    assert any("<img src=x onerror=alert(2)>" in text for text in page.text)

    # Rule names, messages, suggestions, model and signatures from elsewhere: escaped too.
    values = [
        {
            **_value(f"{HOSTILE}{k}", chrf=20.0, adequacy=-2.0, meta={"doc": HOSTILE}),
            "flags": [
                _flag(f"rule{HOSTILE}", QUOTES, "major", f"message {HOSTILE}", QUOTES, 0, 8),
                _flag(f"rule{QUOTES}", HOSTILE, "minor", HOSTILE, f"fix {HOSTILE}", 4, 12),
            ],
            "target": f"{HOSTILE} und mehr",
            "backtranslation": HOSTILE,
            "reference": QUOTES,
        }
        for k in range(3)
    ]
    collector = ReportCollector()
    _add(collector, values)
    summary = _summary(values, {"name": HOSTILE, "revision": QUOTES, "beams": 1, "device": "x"})
    summary["signatures"] = {"chrf": HOSTILE}
    summary["inputs"] = [HOSTILE]
    source = render_report(collector, summary)
    page = Page(source)
    _assert_escaped(source, page)
    assert {r["data-rule"] for r in page.plots["rules"]} == {f"rule{HOSTILE}", f"rule{QUOTES}"}
    assert f"message {HOSTILE}" in page.all_text and f"fix {HOSTILE}" in page.all_text
    # Two crossing flags per segment: the second is cut in two, so three marks each.
    assert page.tags.count("mark") == 3 * 3


# -- in a browser ------------------------------------------------------------------------------


def _console(run: subprocess.CompletedProcess) -> list[str]:
    return [line for line in run.stderr.splitlines() if ":CONSOLE" in line]


def _bars(dom: str, plot: str, size: str) -> list[tuple[float, float]]:
    """(``size`` attribute, data-count) of the bars of one plot in a dumped DOM."""
    match = re.search(r'<svg[^>]*data-plot="' + plot + r'".*?</svg>', dom, re.S)
    assert match, f"no {plot} plot"
    bars = []
    for rect in re.findall(r"<rect[^>]*>", match.group(0)):
        value = re.search(r"\s" + size + r'="([^"]*)"', rect).group(1)
        count = re.search(r'data-count="([^"]*)"', rect).group(1)
        bars.append((float(value), float(count)))
    return bars


@requires_browser
def test_report_renders_in_a_browser_without_console_messages(tmp_path, tiny_model):
    # The capture works: a blocked network image is reported on the console.
    probe = tmp_path / "probe.html"
    probe.write_text(
        '<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src '
        '\'none\'"><p>probe</p><img src="https://example.invalid/x.png">',
        encoding="utf-8",
    )
    run = chromium(tmp_path / "profile", probe, "--dump-dom")
    assert run.returncode == 0 and _console(run), run.stderr[-2000:]

    path = write_jsonl(tmp_path / "t.jsonl", make_rows(40, seed=3))
    out = tmp_path / "audit"
    code, output = audit(
        str(path),
        "--out",
        str(out),
        "--model",
        str(tiny_model),
        "--device",
        "cpu",
        "--beams",
        "1",
        "--group-by",
        "system",
        "--quiet",
    )
    assert code == 0, output
    page = out / "report.html"
    _assert_self_contained(page.read_text(encoding="utf-8"))
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))

    run = chromium(tmp_path / "profile", page, "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    assert _console(run) == []
    dom = run.stdout
    for plot in ("chrf", "adequacy"):
        bars = _bars(dom, plot, "height")
        assert sum(n for _h, n in bars) == summary["overall"]["segments_with_reference"]
        assert all(h > 0 for h, n in bars if n) and any(h > 0 for h, _n in bars)
    rules = _bars(dom, "rules", "width")
    assert sum(n for _w, n in rules) == summary["overall"]["flags"] > 0
    assert all(w > 0 for w, _n in rules)
    assert {g for g in re.findall(r'data-group="([^"]*)"', dom)} == set(summary["groups"])
    listed = [s for s in read_segments(out) if s["flags"] or s["chrf"] is not None]
    assert len(re.findall(r'<tr class="segment"', dom)) == min(50, len(listed)) > 0
    assert "<script" not in dom

    OUT.mkdir(exist_ok=True)
    screenshot = OUT / "audit-report.png"
    screenshot.unlink(missing_ok=True)
    run = chromium(
        tmp_path / "profile", page, f"--screenshot={screenshot}", "--window-size=1280,2400"
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert _console(run) == []
    data = screenshot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2400)
    assert len(data) > 50_000


@requires_browser
def test_hostile_report_runs_nothing_in_a_browser(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", _hostile_rows())
    out = tmp_path / "out"
    code, output = audit(str(path), "--out", str(out), "--no-backtranslation", "--group-by", "doc")
    assert code == 0, output
    run = chromium(tmp_path / "profile", out / "report.html", "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    assert _console(run) == []
    assert "<script" not in run.stdout and "<img" not in run.stdout
    text = html.unescape(re.sub(r"<[^>]*>", "", run.stdout))
    assert HOSTILE in text and "<img src=x onerror=alert(2)>" in text
