"""Tokenization throughput: mtcheck's batch tokenizer against MarianTokenizer.

    python scripts/bench_tokens.py [--model DIR] [--texts 20000] [--repeat 3]

Encodes German sources and English targets and decodes output ids, ``--texts`` each, with
:class:`mtcheck.backtranslate.tokens.FastTokens` and with ``MarianTokenizer`` itself (the
reference: both must give the same ids and texts, which is checked here too), and prints
texts per second and the ratio. Without ``--model`` the tests' tiny model is built from
``corpora/``; pass an opus-mt-sized folder (``mtcheck.testing.build_random_marian``) for a
vocabulary of the real size. The sentences are bench_backtranslate.py's news sentences.
Fastest of ``--repeat`` rounds, the two tokenizers interleaved in each.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import Case, format_table, interleaved  # noqa: E402
from bench_backtranslate import news_texts  # noqa: E402


def _compare(name: str, slow_work, fast_work, repeat: int, count: int):
    """A table row (texts per second of each, and their ratio) and the fast result, after
    checking that both give the same result."""
    results: dict[str, object] = {}

    def keep(key: str, work):
        return lambda: results.__setitem__(key, work())

    timings = interleaved(
        [Case("slow", keep("slow", slow_work)), Case("fast", keep("fast", fast_work))], repeat
    )
    if results["slow"] != results["fast"]:
        raise SystemExit(f"{name}: the results differ")
    slow_s, fast_s = timings["slow"].fastest_s, timings["fast"].fastest_s
    row = (name, f"{count / slow_s:.0f}", f"{count / fast_s:.0f}", f"{slow_s / fast_s:.1f}x")
    return row, results["fast"]


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
    texts = news_texts(args.texts)
    print(f"{len(texts)} texts, model {model}, vocabulary {fast.vocabulary_size}, "
          f"fastest of {args.repeat}")
    rows = []
    ids = None
    for name, target in (("encode source", False), ("encode target", True)):
        row, ids = _compare(
            name,
            lambda t=target: slow.encode(texts, target=t, max_length=511),
            lambda t=target: fast.encode(texts, target=t, max_length=511),
            args.repeat,
            len(texts),
        )
        rows.append(row)
    row, _ = _compare(
        "decode", lambda: slow.decode(ids), lambda: fast.decode(ids), args.repeat, len(texts)
    )
    rows.append(row)
    print(format_table(("work", "MarianTokenizer/s", "mtcheck/s", "ratio"), rows))

if __name__ == "__main__":
    main()
