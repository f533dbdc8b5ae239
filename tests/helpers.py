"""Shared test helpers: where the shared seed lies, and the JSON contract of DESIGN.md."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MTCHECK_SHARED", ROOT.parent / "shared"))
SEED_DE = SHARED / "seed" / "tiktok-microsoft.de.txt"
SEED_EN = SHARED / "seed" / "tiktok-microsoft.en.txt"
CORPORA = ROOT / "corpora"

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
