"""``--format html`` in a real headless browser (Debian's chromium; skipped without one).

The browser runs with networking features off and reads the page from disk; the page
records its own script errors in ``data-js-errors`` on ``<html>``, which ``--dump-dom``
shows, together with the number of ``[data-flag]`` highlights it counted.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

from mtcheck.cli import main
from mtcheck.model import DocumentResult, Flag, Result, Scores, Segment, SegmentResult
from mtcheck.report import render
from tests.helpers import (
    OUT,  # noqa: E402
    SEED_DE,
    SEED_EN,
    chromium,
    requires_browser,
    requires_seed,
)


def _dump_dom(tmp_path: Path, page: Path) -> str:
    run = chromium(tmp_path / "chromium-profile", page, "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


class _Counter(HTMLParser):
    def __init__(self):
        super().__init__()
        self.flags = 0
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.flags += any(name == "data-flag" for name, _ in attrs)


def _root_attribute(dom: str, name: str) -> str | None:
    match = re.search(r"<html[^>]*\s" + name + r'="([^"]*)"', dom)
    return html.unescape(match.group(1)) if match else None


def _count_flags(result: Result) -> int:
    return sum(len(s.flags) for d in result.documents for s in d.segments)


def _check_page(tmp_path: Path, page: Path, expected_flags: int) -> str:
    dom = _dump_dom(tmp_path, page)
    assert _root_attribute(dom, "data-ready") == "1", "the page script did not finish"
    assert _root_attribute(dom, "data-js-errors") is None, _root_attribute(dom, "data-js-errors")
    assert _root_attribute(dom, "data-flags-rendered") == str(expected_flags)
    counter = _Counter()
    counter.feed(dom)
    assert counter.flags == expected_flags
    return dom


@requires_seed
@requires_browser
def test_seed_report_renders_without_errors_with_one_highlight_per_flag(tmp_path):
    OUT.mkdir(exist_ok=True)
    page = OUT / "report-seed.html"
    json_report = tmp_path / "report.json"
    for fmt, output in (("html", page), ("json", json_report)):
        run = CliRunner().invoke(
            main,
            [
                "check",
                str(SEED_DE),
                "-r",
                str(SEED_EN),
                "--no-backtranslation",
                "--no-cache",
                "--format",
                fmt,
                "--output",
                str(output),
            ],
        )
        assert run.exit_code == 0, run.output
    flags = json.loads(json_report.read_text(encoding="utf-8"))["summary"]["flags"]
    assert flags > 0
    source = page.read_text(encoding="utf-8")
    # Self-contained: nothing loaded from anywhere.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", source)
    assert "@import" not in source and "@font-face" not in source
    dom = _check_page(tmp_path, page, flags)
    assert "next flag" in dom  # the keyboard help is on the page
    assert "no English counterpart" in dom  # the seed's 1-0 segments
    screenshot = OUT / "report-seed.png"
    screenshot.unlink(missing_ok=True)
    run = chromium(
        tmp_path / "chromium-profile", page, f"--screenshot={screenshot}", "--window-size=1280,2000"
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert screenshot.is_file() and screenshot.stat().st_size > 20_000
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _hostile_result() -> Result:
    target = (
        "<script>document.title='pwned'</script> und "
        "\"onerror=alert(1) <img src=x onerror=document.title='pwned'>"
    )
    flags = (
        Flag(
            "outer",
            "Fluency/Grammar",
            "major",
            '<b>bold</b> "onerror=x',
            "<script>alert(1)</script>",
            (0, 40),
            1,
            1,
        ),
        Flag("inner", "Fluency/Grammar", "minor", "inner", None, (8, 30), 1, 9),
        Flag("crossing", "Accuracy/Mistranslation", "critical", "crossing", "x'y", (30, 60), 1, 31),
        Flag("insertion", "Fluency/Punctuation", "minor", "insert", ",", (45, 45), 1, 46),
    )
    segment = Segment("</article><script>x</script>.1", 1, target, '"onerror=<b>', "1-1", 0, 1, 1)
    lonely = Segment("2.1", 2, "", "English only <i>.", "0-1", 0, 2, 1)
    scores = Scores(chrf=33.3, bleu=10.0, ter=80.0, adequacy=-1.5)
    document = DocumentResult(
        "draft</title><script>document.title='pwned'</script>.txt",
        None,
        None,
        (
            SegmentResult(segment, "<script>document.title='pwned'</script>", scores, flags),
            SegmentResult(lonely, None, None, ()),
        ),
    )
    return Result("0", None, (document,))


def test_every_text_is_escaped_in_the_markup():
    page = render(_hostile_result(), "html")
    assert "<script>document.title" not in page
    assert "<img" not in page
    assert "&lt;script&gt;document.title=" in page
    assert page.count("data-flag=") == 4


@requires_browser
def test_hostile_draft_shows_as_text_and_runs_nothing(tmp_path):
    result = _hostile_result()
    page = tmp_path / "hostile.html"
    page.write_text(render(result, "html"), encoding="utf-8")
    dom = _check_page(tmp_path, page, _count_flags(result))
    title = re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
    assert "pwned" not in html.unescape(title).replace("document.title='pwned'", "")
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in dom
    text = html.unescape(re.sub(r"<[^>]*>", "", dom))
    assert "\"onerror=alert(1) <img src=x onerror=document.title='pwned'>" in text
    counter = _Counter()
    counter.feed(dom)
    assert "img" not in counter.tags
    assert "no German for this English sentence" in dom
