"""Wall time and peak resident memory of `mtcheck check`, each run in a fresh process.

    python scripts/bench_check.py [--model DIR] [DRAFT REFERENCE]

Without --model it builds a random-weight model with opus-mt-de-en's shapes (6+6 layers,
d_model 512, vocabulary ~58k) in a temporary folder: its back-translations are nonsense,
but loading, memory and the cost per generated token are those of the real model. A random
model decodes to its length limit, so its times are an upper bound for the same draft.

Runs: flags only; back-translation with an empty cache (with the ctranslate2 backend this
run also converts the model, once); back-translation of texts not in the cache with the model
already converted (what every later check of a new draft costs); the same again from the
cache. ``--backend`` picks the backend (default: mtcheck's own default, ``auto``).
Budgets: DESIGN.md's flags-only check of a page < 1 s and check on CPU < 1.5 GB resident;
issue 6's check with the default backend < 600 MB resident.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import format_table, run_process  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str], env: dict[str, str]) -> tuple[str, str]:
    """Seconds and peak RSS in MB of one mtcheck process, as table cells."""
    done = run_process([sys.executable, "-m", "mtcheck.cli", *args], env)
    if done.returncode not in (0, 1):
        sys.exit(f"mtcheck failed ({done.returncode}): {done.stderr}")
    return f"{done.seconds:.2f}", f"{done.peak_rss_mb:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="model directory (default: build a random one)")
    parser.add_argument("--backend", default="auto", help="marian, ctranslate2 or auto")
    parser.add_argument("draft", nargs="?", default=str(ROOT / "corpora" / "windpark.de.txt"))
    parser.add_argument("reference", nargs="?", default=str(ROOT / "corpora" / "windpark.en.txt"))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        scratch_path = Path(scratch)
        model = args.model
        if model is None:
            # Built in a child process: a forked child's peak RSS starts from its parent's,
            # so this process must stay small for the measurements below to be honest.
            started = time.perf_counter()
            model = scratch_path / "model"
            build = (
                "import sys; from pathlib import Path; from mtcheck.testing import "
                "build_random_marian; build_random_marian(Path(sys.argv[1]), "
                "corpus_files=sorted(Path(sys.argv[2]).glob('*.txt')))"
            )
            subprocess.run(
                [sys.executable, "-c", build, str(model), str(ROOT / "corpora")], check=True
            )
            elapsed = time.perf_counter() - started
            print(f"built random opus-mt-de-en-shaped model in {elapsed:.1f} s")
        env = {**os.environ, "MTCHECK_CACHE": str(scratch_path / "cache.sqlite")}
        common = ["check", args.draft, "-r", args.reference, "-f", "json", "--device", "cpu"]
        full = [*common, "--model", str(model), "--backend", args.backend]
        cases = [
            ("flags only (--no-backtranslation)", [*common, "--no-backtranslation"]),
            ("back-translation, empty cache", full),
            ("back-translation, new texts", full),
            ("back-translation, all cached", full),
        ]
        print(f"draft {args.draft}: {len(Path(args.draft).read_text().split())} words; "
              f"backend {args.backend}; {os.cpu_count()} cores")
        rows = []
        # In this order, once each: every run starts from the cache the one before left.
        for name, argv in cases:
            if name.endswith("new texts"):
                # Forget the results, keep the converted model (it lives beside the cache).
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{env['MTCHECK_CACHE']}{suffix}").unlink(missing_ok=True)
            rows.append((name, *run(argv, env)))
        print(format_table(("run", "seconds", "peak RSS MB"), rows))


if __name__ == "__main__":
    main()
