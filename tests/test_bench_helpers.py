"""scripts/_bench.py: interleaved rounds, a command's peak memory, tables."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

bench = importlib.import_module("_bench")


def test_cases_run_interleaved_round_after_round():
    calls: list[str] = []
    cases = [
        bench.Case("a", lambda: calls.append("a"), before=lambda: calls.append("clear")),
        bench.Case("b", lambda: calls.append("b")),
    ]
    timings = bench.interleaved(cases, 3)
    assert calls == ["clear", "a", "b"] * 3
    assert set(timings) == {"a", "b"}
    assert len(timings["a"].wall_s) == len(timings["a"].cpu_s) == 3
    timing = timings["b"]
    assert timing.fastest_s <= timing.median_s <= timing.slowest_s
    with pytest.raises(ValueError):
        bench.interleaved(cases, 0)


def test_interleaved_order_for_work_that_times_itself():
    assert bench.interleaved_order(["x", "y"], 2) == [(0, "x"), (0, "y"), (1, "x"), (1, "y")]


def test_run_process_gives_the_commands_own_peak_and_exit_code():
    small = bench.run_process([sys.executable, "-c", "pass"])
    large = bench.run_process(
        [sys.executable, "-c", "import sys; b = bytearray(200 * 2**20); sys.exit(3)"]
    )
    assert small.returncode == 0 and large.returncode == 3
    assert large.peak_rss_mb > small.peak_rss_mb + 150
    assert large.seconds > 0
    assert bench.peak_rss_mb() > 0


def test_format_table_aligns_the_first_column_left_and_the_others_right():
    table = bench.format_table(("case", "s"), [("long name", "1.5"), ("b", "10.25")])
    assert table.splitlines() == [
        "case           s",
        "---------  -----",
        "long name    1.5",
        "b          10.25",
    ]
