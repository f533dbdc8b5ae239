"""Throughput of the German flags per core, with the tagger's cost shown separately.

    python scripts/bench_flags.py [--input mqm|corpora] [--runs 5] [--json FILE]

Runs in this one process, pinned to one CPU, with one BLAS/OpenMP thread. Input: the
distinct German targets of the MQM TED data (English source as reference), or the
sentences of corpora/*.de.txt; cut into documents of ``--doc-size`` segments.

Measured, each the median of ``--runs`` rounds, the four measurements interleaved in each
round (DESIGN.md's budget: 500 segments/s/core):

- check_segments, cold: every memo of mtcheck.flags cleared first
  (``mtcheck.flags.memos.clear_caches``) -- HanTa's model stays loaded;
- check_segments, warm: the same input again right after, with the caches kept;
- tagging alone: mtcheck's tokenizer and tagger over every sentence, cold and warm (an
  upper bound on what the rules tag: they tag only the sentences they need).

"tagger s" is the time spent inside the tagger (Tagger.tag and Tagger.is_german_word)
during that run. The HanTa model load is timed once, apart.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import functools  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bench import Case, format_table, interleaved  # noqa: E402
from _mqm import DEFAULT_DATA, ROOT, load_or_exit, make_segment  # noqa: E402

from mtcheck.flags import RuleSettings, check_segments  # noqa: E402
from mtcheck.flags.memos import clear_caches  # noqa: E402
from mtcheck.flags.tagger import get_tagger  # noqa: E402
from mtcheck.flags.tokens import split_sentences, tokenize  # noqa: E402


def pin_to_one_cpu() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def load_inputs(kind: str, data: Path) -> list[tuple[str, str | None]]:
    """(German, English or None) pairs, distinct German, in file order."""
    if kind == "mqm":
        seen: dict[str, str] = {}
        for segment in load_or_exit(data):
            seen.setdefault(segment.target, segment.source)
        return list(seen.items())
    from perturb import corpora_sentences

    return [(s.text, None) for s in corpora_sentences(ROOT / "corpora")]


class TaggerClock:
    """Wraps the process-wide tagger's methods to add up the time spent in them."""

    def __init__(self) -> None:
        self.seconds = 0.0
        tagger = get_tagger()
        for name in ("tag", "is_german_word"):
            method = getattr(tagger, name, None)
            if method is not None:
                setattr(tagger, name, self._timed(method))

    def _timed(self, method: Callable) -> Callable:
        @functools.wraps(method)
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        return timed


def run_check(documents) -> None:
    for document in documents:
        check_segments(document)


def run_tagging(texts: list[str]) -> None:
    tagger = get_tagger()
    for text in texts:
        tokens = tokenize(text)
        for start, end in split_sentences(tokens):
            tagger.tag([token.text for token in tokens[start:end]])


def measure(work: Callable[[], None], clock: TaggerClock, spent: list[float]):
    """``work`` with the tagger's seconds of each run added to ``spent``."""

    def clocked() -> None:
        clock.seconds = 0.0
        work()
        spent.append(clock.seconds)

    return clocked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Segments per second per core of the German flags (check_segments), "
        "cold and warm caches, with HanTa tagging timed apart."
    )
    parser.add_argument("--input", choices=("mqm", "corpora"), default="mqm")
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help=f"MQM folder or TSV (default {DEFAULT_DATA})",
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--doc-size", type=int, default=100, help="segments per document")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the numbers here")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.doc_size < 1:
        parser.error("--runs and --doc-size must be at least 1")

    pinning = pin_to_one_cpu()
    pairs = load_inputs(args.input, args.data)
    documents = [
        [
            make_segment(i + 1, target, reference)
            for i, (target, reference) in enumerate(pairs[start : start + args.doc_size])
        ]
        for start in range(0, len(pairs), args.doc_size)
    ]
    texts = [target for target, _ in pairs]
    words = sum(len(text.split()) for text in texts)

    started = time.perf_counter()
    get_tagger().load()
    load_seconds = time.perf_counter() - started
    clock = TaggerClock()
    cleared = clear_caches()

    # Each warm case runs right after its cold one, whose run filled the caches it reads.
    spent: dict[str, list[float]] = {}
    cases = []
    for cold, warm, work in (
        (
            "check_segments, cold caches",
            "check_segments, warm caches",
            lambda: run_check(documents),
        ),
        (
            "tokenize + tag every sentence, cold",
            "tokenize + tag every sentence, warm",
            lambda: run_tagging(texts),
        ),
    ):
        for label, before in ((cold, clear_caches), (warm, None)):
            spent[label] = []
            cases.append(Case(label, measure(work, clock, spent[label]), before))
    timings = interleaved(cases, args.runs)
    results = {
        name: {
            "wall_s": list(timing.wall_s),
            "cpu_s": list(timing.cpu_s),
            "tagger_s": spent[name],
            "median_wall_s": timing.median_s,
            "median_cpu_s": timing.median_cpu_s,
            "median_tagger_s": statistics.median(spent[name]),
        }
        for name, timing in timings.items()
    }

    rows = []
    for name, result in results.items():
        wall = result["median_wall_s"]
        rows.append(
            (
                name,
                f"{wall:.3f}",
                f"{min(result['wall_s']):.3f}-{max(result['wall_s']):.3f}",
                f"{result['median_cpu_s']:.3f}",
                f"{len(texts) / wall:,.0f}" if wall else "-",
                f"{result['median_tagger_s']:.3f}",
                f"{100 * result['median_tagger_s'] / wall:.0f}%" if wall else "-",
            )
        )
    print(
        f"{len(texts)} distinct segments ({args.input}, {words} words) in {len(documents)} "
        f"documents; rules: {', '.join(RuleSettings().enabled())}; {pinning}; "
        f"median of {args.runs} interleaved rounds; "
        f"HanTa model load {load_seconds:.2f} s (not included)"
    )
    print(
        format_table(
            (
                "measurement",
                "median s",
                "range s",
                "cpu s",
                "segments/s/core",
                "tagger s",
                "tagger share",
            ),
            rows,
        )
    )
    print(f"cold = cleared before each run: {', '.join(cleared) or 'nothing found'}")

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        report = {
            "input": args.input,
            "segments": len(texts),
            "words": words,
            "documents": len(documents),
            "runs": args.runs,
            "pinning": pinning,
            "model_load_s": load_seconds,
            "caches_cleared": cleared,
            "results": {
                name: {**r, "segments_per_s": len(texts) / r["median_wall_s"]}
                for name, r in results.items()
            },
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
