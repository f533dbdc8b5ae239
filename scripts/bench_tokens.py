"""Tokenization throughput: mtcheck's batch tokenizer against MarianTokenizer.

    python scripts/bench_tokens.py [--model DIR] [--texts 20000] [--repeat 3]

Encodes German sources and English targets and decodes output ids, ``--texts`` each, with
:class:`mtcheck.backtranslate.tokens.FastTokens` and with ``MarianTokenizer`` itself (the
reference: both must give the same ids and texts, which is checked here too), and prints
texts per second and the ratio. Without ``--model`` the tests' tiny model is built from
``corpora/``; pass an opus-mt-sized folder (``mtcheck.testing.build_random_marian``) for a
vocabulary of the real size. The sentences are bench_backtranslate.py's news sentences.
Fastest of ``--repeat`` rounds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_backtranslate import _texts  # noqa: E402


def _best(repeat: int, work) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model")
    parser.add_argument("--texts", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from transformers import MarianTokenizer

    from mtcheck.backtranslate.tokens import FastTokens, SlowTokens, fast_tokens

    with tempfile.TemporaryDirectory() as tmp:
        model = args.model
        if model is None:
            from mtcheck.testing import build_tiny_marian

            model = build_tiny_marian(Path(tmp) / "tiny", sorted((REPO / "corpora").glob("*.txt")))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tokenizer = MarianTokenizer.from_pretrained(str(model), local_files_only=True)
    fast = fast_tokens(tokenizer)
    if not isinstance(fast, FastTokens):
        raise SystemExit(f"{model}: this tokenizer is not reproduced by the batch path")
    slow = SlowTokens(tokenizer)
    texts = _texts(args.texts)
    print(f"{len(texts)} texts, model {model}, vocabulary {fast.vocabulary_size}, "
          f"fastest of {args.repeat}")
    print(f"{'work':<16} {'MarianTokenizer/s':>18} {'mtcheck/s':>10} {'ratio':>7}")
    ids = None
    for name, target in (("encode source", False), ("encode target", True)):
        slow_s, expected = _best(args.repeat, lambda t=target: slow.encode(texts, target=t,
                                                                           max_length=511))
        fast_s, got = _best(args.repeat, lambda t=target: fast.encode(texts, target=t,
                                                                      max_length=511))
        if got != expected:
            raise SystemExit(f"{name}: the ids differ")
        ids = got
        n = len(texts)
        print(f"{name:<16} {n / slow_s:>18.0f} {n / fast_s:>10.0f} {slow_s / fast_s:>6.1f}x")
    slow_s, expected = _best(args.repeat, lambda: slow.decode(ids))
    fast_s, got = _best(args.repeat, lambda: fast.decode(ids))
    if got != expected:
        raise SystemExit("decode: the texts differ")
    n = len(texts)
    print(f"{'decode':<16} {n / slow_s:>18.0f} {n / fast_s:>10.0f} {slow_s / fast_s:>6.1f}x")


if __name__ == "__main__":
    main()
