"""Wall time and peak memory of `mtcheck --help` and of a flags-only check, medians of
several interleaved rounds.

    python scripts/bench_cli.py [--runs 7] [DRAFT REFERENCE]

Each run is a fresh interpreter, the way a user starts mtcheck; also prints whether
torch was imported (it must not be on these paths). DESIGN.md's budget: under 1 s each.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import format_table, interleaved_order, run_process  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

PROBE = (
    "import sys\n"
    "from mtcheck.cli import main\n"
    "try:\n"
    "    main(sys.argv[1:])\n"
    "except SystemExit:\n"
    "    pass\n"
    "print('torch imported:', 'torch' in sys.modules, file=sys.stderr)\n"
)


def timed(cases: dict[str, list[str]], runs: int) -> list[tuple[str, ...]]:
    """A table row per case: its median seconds and peak memory, and the probe's note."""
    seconds: dict[str, list[float]] = {name: [] for name in cases}
    peaks: dict[str, list[float]] = {name: [] for name in cases}
    notes: dict[str, str] = {}
    for _, name in interleaved_order(list(cases), runs):
        done = run_process([sys.executable, "-c", PROBE, *cases[name]])
        seconds[name].append(done.seconds)
        peaks[name].append(done.peak_rss_mb)
        lines = done.stderr.strip().splitlines()
        notes[name] = lines[-1] if lines else ""
    return [
        (
            name,
            f"{statistics.median(seconds[name]):.3f}",
            f"{max(peaks[name]):.0f}",
            notes[name],
        )
        for name in cases
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("draft", nargs="?", default=str(ROOT / "corpora" / "windpark.de.txt"))
    parser.add_argument("reference", nargs="?", default=str(ROOT / "corpora" / "windpark.en.txt"))
    args = parser.parse_args()
    cases = {
        "mtcheck --help": ["--help"],
        f"mtcheck check {Path(args.draft).name} --no-backtranslation": [
            "check",
            args.draft,
            "-r",
            args.reference,
            "--no-backtranslation",
            "-f",
            "json",
        ],
    }
    words = len(Path(args.draft).read_text(encoding="utf-8").split())
    print(f"python {sys.version.split()[0]}, {args.runs} runs each, draft {words} words")
    headers = ("command", "median s", "peak RSS MB", "note")
    print(format_table(headers, timed(cases, args.runs)))


if __name__ == "__main__":
    main()
