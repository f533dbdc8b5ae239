"""What every benchmark script shares: timing by interleaved rounds, peak memory, tables.

- :func:`interleaved` runs the cases round after round (A B C, A B C, ...) in this process,
  so that a slow spell of a shared machine falls on every case alike rather than on the
  one that happened to run then; each case keeps its wall and CPU time of every round.
- :func:`run_process` runs one command in a child process and gives its wall time, peak
  resident memory (its descendants included) and exit code.
- :func:`peak_rss_mb` is this process's own peak resident memory.
- :func:`format_table` prints a plain-text table.
"""

from __future__ import annotations

import gc
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

# Runs the command, then reports its wall time and the peak resident memory of the
# processes it waited for. A launcher of its own, because a child forked from a large
# process may inherit that process's peak as its own starting point.
_LAUNCHER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
seconds = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_kib / 1024, "returncode": code}))
"""


@dataclass(frozen=True)
class Case:
    """One thing to time: ``work`` is timed; ``before`` (untimed) runs before each round of
    it, e.g. to clear caches for a cold run."""

    name: str
    work: Callable[[], object]
    before: Callable[[], object] | None = None


@dataclass(frozen=True)
class Timing:
    """The wall and CPU seconds of each round of one case, in round order."""

    name: str
    wall_s: tuple[float, ...] = ()
    cpu_s: tuple[float, ...] = ()

    @property
    def median_s(self) -> float:
        return statistics.median(self.wall_s)

    @property
    def fastest_s(self) -> float:
        return min(self.wall_s)

    @property
    def slowest_s(self) -> float:
        return max(self.wall_s)

    @property
    def median_cpu_s(self) -> float:
        return statistics.median(self.cpu_s)


def interleaved(cases: Sequence[Case], rounds: int) -> dict[str, Timing]:
    """Each case's timing over ``rounds`` rounds, the cases interleaved within each round
    (garbage is collected before each timed run, outside the timing)."""
    if rounds < 1:
        raise ValueError("rounds must be at least 1")
    walls: dict[str, list[float]] = {case.name: [] for case in cases}
    cpus: dict[str, list[float]] = {case.name: [] for case in cases}
    for _ in range(rounds):
        for case in cases:
            if case.before is not None:
                case.before()
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            case.work()
            walls[case.name].append(time.perf_counter() - wall)
            cpus[case.name].append(time.process_time() - cpu)
    return {
        case.name: Timing(case.name, tuple(walls[case.name]), tuple(cpus[case.name]))
        for case in cases
    }


def interleaved_order(names: Sequence[str], rounds: int) -> list[tuple[int, str]]:
    """(round, name) in the order to run them: every name once per round, rounds in turn.
    For work that times itself (e.g. in a child process that reports its own figures)."""
    return [(round_number, name) for round_number in range(rounds) for name in names]


@dataclass(frozen=True)
class ProcessRun:
    """One command's wall time, peak resident memory (MB) and exit code; ``stderr`` its
    error output."""

    seconds: float
    peak_rss_mb: float
    returncode: int
    stderr: str = field(default="", repr=False)


def run_process(argv: Sequence[str], env: Mapping[str, str] | None = None) -> ProcessRun:
    """Run ``argv`` (its standard output discarded) and measure it through a small launcher
    process, so that the peak memory is the command's own and its children's."""
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *argv],
        capture_output=True,
        text=True,
        env=dict(env) if env is not None else None,
        check=False,
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"the launcher failed ({done.returncode}): {done.stderr[-2000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return ProcessRun(
        seconds=figures["seconds"],
        peak_rss_mb=figures["peak_rss_mb"],
        returncode=figures["returncode"],
        stderr=done.stderr,
    )


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table: first column left-aligned, the others right-aligned."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        parts = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])

