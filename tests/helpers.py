"""Shared test helpers: where the shared seed lies, and the JSON contract of DESIGN.md."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtcheck.cli import main
from mtcheck.flags import RuleSettings, check_segments
from mtcheck.model import Segment

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MTCHECK_SHARED", ROOT.parent / "shared"))
SEED_DE = SHARED / "seed" / "tiktok-microsoft.de.txt"
SEED_EN = SHARED / "seed" / "tiktok-microsoft.en.txt"
CORPORA = ROOT / "corpora"
SEED = SHARED / "seed"

requires_seed = pytest.mark.skipif(
    not (SEED_DE.is_file() and SEED_EN.is_file()), reason="../shared/seed/ is not here"
)

SEVERITIES = {"minor", "major", "critical"}
ALIGNMENTS = {"1-1", "2-1", "1-2", "1-0", "0-1", None}


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def assert_contract(report: dict) -> None:
    """Fail unless ``report`` has exactly the shape DESIGN.md's JSON contract promises."""
    assert set(report) == {"mtcheck_version", "model", "documents", "summary"}
    assert isinstance(report["mtcheck_version"], str)
    model = report["model"]
    if model is not None:
        assert set(model) == {"name", "revision", "device", "backend", "decoding"}
        assert model["backend"] in (None, "marian", "ctranslate2")
        assert model["decoding"] is None or "beams=" in model["decoding"]
        assert isinstance(model["name"], str) and isinstance(model["device"], str)
        assert model["revision"] is None or isinstance(model["revision"], str)
    assert isinstance(report["summary"], dict)
    assert isinstance(report["documents"], list) and report["documents"]
    for document in report["documents"]:
        assert {"path", "scores", "segments"} <= set(document)
        assert isinstance(document["path"], str)
        scores = document["scores"]
        if scores is not None:
            assert {"bleu", "chrf", "ter", "signatures"} == set(scores)
            assert all(_is_number(scores[k]) for k in ("bleu", "chrf", "ter"))
            assert isinstance(scores["signatures"], dict)
        for segment in document["segments"]:
            assert set(segment) == {
                "id",
                "paragraph",
                "line",
                "column",
                "target",
                "reference",
                "backtranslation",
                "alignment",
                "scores",
                "flags",
            }
            assert isinstance(segment["id"], str)
            for key in ("paragraph", "line", "column"):
                assert isinstance(segment[key], int) and segment[key] >= 1, (key, segment)
            assert isinstance(segment["target"], str)
            assert segment["reference"] is None or isinstance(segment["reference"], str)
            assert segment["backtranslation"] is None or isinstance(segment["backtranslation"], str)
            assert segment["alignment"] in ALIGNMENTS
            if segment["scores"] is not None:
                assert set(segment["scores"]) == {"chrf", "bleu", "ter", "adequacy"}
                assert all(_is_number(segment["scores"][k]) for k in ("chrf", "bleu", "ter"))
                adequacy = segment["scores"]["adequacy"]
                assert adequacy is None or _is_number(adequacy)
            for flag in segment["flags"]:
                assert set(flag) == {
                    "rule",
                    "category",
                    "severity",
                    "message",
                    "suggestion",
                    "suggestions",
                    "span",
                    "line",
                    "column",
                }
                assert flag["severity"] in SEVERITIES
                assert isinstance(flag["message"], str) and flag["message"]
                assert flag["suggestion"] is None or isinstance(flag["suggestion"], str)
                # ranked replacements; "suggestion" is the first of them, or None
                suggestions = flag["suggestions"]
                assert isinstance(suggestions, list)
                assert all(isinstance(s, str) for s in suggestions)
                assert flag["suggestion"] == (suggestions[0] if suggestions else None)
                start, end = flag["span"]
                assert 0 <= start <= end <= len(segment["target"])
                assert flag["line"] >= 1 and flag["column"] >= 1
    ids = [s["id"] for d in report["documents"] for s in d["segments"]]
    assert len(ids) == len(set(ids)), "segment ids must be unique"


def flags_by_rule(report: dict, rule: str) -> list[tuple[dict, dict]]:
    return [
        (segment, flag)
        for document in report["documents"]
        for segment in document["segments"]
        for flag in segment["flags"]
        if flag["rule"] == rule
    ]


# -- a headless browser (Debian's chromium; tests that need one are skipped without it) ----

BROWSER = next(
    (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
    None,
)
requires_browser = pytest.mark.skipif(BROWSER is None, reason="no chromium installed")


def chromium(profile: Path, page: Path, *extra: str) -> subprocess.CompletedProcess:
    """Open ``page`` in headless chromium with a fresh profile; the page's console messages
    are logged on stderr (lines with ``:CONSOLE``)."""
    args = [
        BROWSER,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--no-first-run",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
        f"--user-data-dir={profile}",
        *extra,
        page.resolve().as_uri(),
    ]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)


# --- shared by several test modules -------------------------------------------------


# from test_flags

def segment(target: str, reference: str | None = None, index: int = 0) -> Segment:
    return Segment(id=f"s{index}", paragraph=1, target=target, reference=reference,
                   alignment=None, start=0, line=0, column=0)


def run(targets, references=None, scores=None, **settings):
    references = references or [None] * len(targets)
    segments = [segment(t, r, i) for i, (t, r) in enumerate(zip(targets, references, strict=True))]
    return check_segments(segments, scores, RuleSettings(**settings))


def found(target: str, rule: str | None = None, reference: str | None = None):
    """(rule, flagged text, suggestion) of one segment, all default rules or just ``rule``."""
    settings = {"select": {rule}} if rule else {}
    (flags,) = run([target], [reference], **settings)
    return [(f.rule, target[f.span[0]:f.span[1]], f.suggestion) for f in flags]


# from test_audit

SUBJECTS = [
    ("Das Unternehmen", "The company"),
    ("Die Stadtbibliothek", "The city library"),
    ("Der Windparkbetreiber", "The wind farm operator"),
    ("Die Geschäftsführerin", "The managing director"),
    ("Der Verband", "The association"),
]


PREDICATES = [
    ("meldete einen Umsatz von {n} Millionen Euro.", "reported sales of {n} million euros."),
    (
        "soll monatelang mit {n} Herstellern verhandelt.",
        "is said to have negotiated with {n} manufacturers for months.",
    ),
    (
        "erwartet, dass die Zahl um 3.5% auf {n} steigen wird.",
        "expects the number to rise by 3.5% to {n}.",
    ),
    ("nutzt AI-Software, um {n} Anlagen zu überwachen.", "uses AI software to monitor {n} plants."),
    (
        "sagte, dass die Kunden werden {n} Produkte nicht mehr brauchen.",
        "said that the customers will no longer need {n} products.",
    ),
    ("plant bis 2028 insgesamt {n} neue Standorte.", "plans {n} new sites by 2028."),
    ("Um die Ziele zu erreichen wird {n} Mal geprüft.", "To reach the goals, {n} checks are made."),
]


def make_rows(count: int, seed: int = 7) -> list[dict]:
    """Synthetic segments: German with English references, systems A-C, documents of 1-6
    adjacent rows, an integer metadata column, some rows without reference."""
    rng = random.Random(seed)
    rows = []
    doc = 0
    left = 0
    for k in range(count):
        if left == 0:
            doc += 1
            left = rng.randint(1, 6)
        left -= 1
        (de_subject, en_subject), (de, en) = rng.choice(SUBJECTS), rng.choice(PREDICATES)
        n = rng.randint(2, 9999)
        rows.append(
            {
                "id": f"s{k}",
                "target": f"{de_subject} {de.format(n=n)}",
                "reference": None if k % 9 == 4 else f"{en_subject} {en.format(n=n)}",
                "system": "ABC"[rng.randrange(3)],
                "doc": f"d{doc}",
                "n": n,
            }
        )
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def audit(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["audit", *args])
    return result.exit_code, result.output


def read_segments(out: Path) -> list[dict]:
    import pyarrow.parquet as pq

    return pq.read_table(out / "segments.parquet").to_pylist()


# from test_corpora_flags

def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def paragraphs(path: Path) -> list[tuple[int, str]]:
    """(1-based line, text) of the non-blank lines."""
    return [(number, line) for number, line in enumerate(read_lines(path), 1) if line.strip()]


def make_segment(target: str, reference: str | None, line: int, start: int) -> Segment:
    return Segment(id=f"{line}:{start}", paragraph=line, target=target, reference=reference,
                   alignment=None, start=start, line=line, column=start + 1)


def paragraph_segments(german: Path, english: Path) -> list[Segment]:
    references = [text for _, text in paragraphs(english)]
    return [make_segment(text, references[i] if i < len(references) else None, line, 0)
            for i, (line, text) in enumerate(paragraphs(german))]


# from test_report_html

OUT = ROOT / "out"


# from test_report_ci

SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"


def stored_results(out: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{out / 'audit.sqlite'}?mode=ro", uri=True, timeout=5)
        try:
            return db.execute("SELECT count(*) FROM results").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def run_and_kill(command: list[str], out: Path, threshold: int, rng: random.Random) -> bool:
    """Run ``command``; SIGKILL it once the store holds ``threshold`` results (after a random
    extra pause). True when it was killed, False when it finished first."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 900
        while process.poll() is None and time.monotonic() < deadline:
            if stored_results(out) >= threshold:
                time.sleep(rng.uniform(0, 0.2))
                process.send_signal(signal.SIGKILL)
                process.wait()
                return process.returncode == -signal.SIGKILL
            time.sleep(0.02)
        assert process.poll() is not None, "the audit did not finish in time"
        assert process.returncode == 0, process.stderr.read().decode()
        return False
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()


def kill_three_times_then_finish(tmp_path: Path, path: Path, total: int, extra, seed: int):
    """An uninterrupted run; then the same job killed (SIGKILL, in a subprocess) at three
    random points and finished by a rerun; then one more rerun. The uninterrupted run and
    the reruns run in this process (same command, no second start-up of torch)."""
    reference_out = tmp_path / "uninterrupted"
    code, output = audit(
        str(path), "--out", str(reference_out), *extra(tmp_path / "cache-a.sqlite")
    )
    assert code == 0, output
    expected = read_segments(reference_out)
    assert len(expected) == total

    rng = random.Random(seed)
    out = tmp_path / "killed"
    arguments = [str(path), "--out", str(out), *extra(tmp_path / "cache-b.sqlite")]
    command = [sys.executable, "-m", "mtcheck.cli", "audit", *arguments]
    thresholds = sorted(rng.sample(range(1, total - 1), 3))
    kills = sum(run_and_kill(command, out, t, rng) for t in thresholds)
    assert kills == 3  # every threshold is below the total: each run is killed
    code, output = audit(*arguments)
    assert code == 0, output
    segments = read_segments(out)
    ids = [s["id"] for s in segments]
    assert len(ids) == len(set(ids)) == total
    assert segments == expected
    assert (
        json.loads((out / "summary.json").read_text())["overall"]
        == json.loads((reference_out / "summary.json").read_text())["overall"]
    )

    before = (out / "segments.parquet").stat().st_mtime_ns
    code, output = audit(*[a for a in arguments if a != "--quiet"])
    assert code == 0 and "nothing to do" in output
    assert (out / "segments.parquet").stat().st_mtime_ns == before
