"""Do the marian backend's GPU results (fp16) equal its CPU results (fp32)?

    PYTHONPATH=src python scripts/compare_devices.py [--model DIR] [--beams 4]

Back-translates the German sentences of ``corpora/`` and ``--news`` of the throughput
benchmark's news sentences (and scores each against its English
reference sentence) with mtcheck's marian backend on the CPU and on the GPU, and prints the
share of identical translations, the largest difference of log-probabilities, and the first
differing translations. Without ``--model`` it builds the tests' tiny random model from
``corpora/``; a random model's scores are flatter than a trained one's, so near-ties (and
fp16 flips between them) are more frequent than with a real model. Needs a CUDA GPU.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_backtranslate import news_texts  # noqa: E402


def _sentences(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) > 3]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="a MarianMT folder (default: the tests' tiny model)")
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--devices", default="cpu,cuda", help="the two devices compared")
    parser.add_argument("--news", type=int, default=480,
                        help="also this many of bench_backtranslate.py's news sentences")
    args = parser.parse_args()
    first, second = args.devices.split(",")

    from mtcheck.backtranslate import DecodingSettings, open_translator

    files = sorted((REPO / "corpora").glob("*.de.txt"))
    german = [s for f in files for s in _sentences(f)]
    english = [s for f in files for s in _sentences(f.with_name(f.name.replace(".de.", ".en.")))]
    english = (english * (len(german) // max(1, len(english)) + 1))[: len(german)]
    news = news_texts(args.news)  # the throughput benchmark's news sentences, numbered
    german += news
    english += news[1:] + news[:1]
    with tempfile.TemporaryDirectory() as tmp:
        model = args.model
        if model is None:
            from mtcheck.testing import build_tiny_marian

            corpus = sorted((REPO / "corpora").glob("*.txt"))
            model = str(build_tiny_marian(Path(tmp) / "tiny", corpus))
        results = {}
        for device in (first, second):
            translator = open_translator(model, device=device, use_cache=False, backend="marian",
                                         settings=DecodingSettings(beams=args.beams))
            translations = translator.translate(german)
            scores = translator.score(german, english)
            results[len(results)] = (translations, scores)
            translator.close()
    (cpu_t, cpu_s), (gpu_t, gpu_s) = results[0], results[1]
    same = [a.text == b.text for a, b in zip(cpu_t, gpu_t, strict=True)]
    both = [(a.logprob, b.logprob) for a, b, s in zip(cpu_t, gpu_t, same, strict=True) if s]
    lp = max((abs(a - b) for a, b in both if a == a and b == b), default=float("nan"))
    sc = max(abs(a - b) for a, b in zip(cpu_s, gpu_s, strict=True))
    print(f"{len(german)} sentences, beam {args.beams}, model {args.model or 'tiny (random)'}")
    print(f"identical translations: {sum(same)}/{len(same)} ({100 * sum(same) / len(same):.1f}%)")
    print(f"largest |log-prob difference| of identical translations: {lp:.4f}")
    print(f"largest |score difference| (forced decoding of the references): {sc:.4f}")
    for a, b, s in list(zip(cpu_t, gpu_t, same, strict=True)):
        if not s:
            print(f"  {first}: {a.text!r} ({a.logprob:.3f})")
            print(f"  {second}: {b.text!r} ({b.logprob:.3f})")
            break


if __name__ == "__main__":
    main()
