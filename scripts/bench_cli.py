"""Wall time of `mtcheck --help` and of a flags-only check, medians of several runs.

    python scripts/bench_cli.py [--runs 7] [DRAFT REFERENCE]

Each run is a fresh interpreter, the way a user starts mtcheck; also prints whether
torch was imported (it must not be on these paths). DESIGN.md's budget: under 1 s each.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

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


def timed(args: list[str], runs: int) -> tuple[float, str]:
    times = []
    note = ""
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=False
        )
        times.append(time.perf_counter() - start)
        note = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    return statistics.median(times), note


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
    for name, argv in cases.items():
        median, note = timed(argv, args.runs)
        print(f"{name:<60} median {median:6.3f} s   {note}")


if __name__ == "__main__":
    main()
