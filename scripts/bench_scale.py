"""How the time of `mtcheck check --no-backtranslation` grows with the input.

    python scripts/bench_scale.py [--quick] [--cases NAME,...] [--format text|json]

Each case runs the same functions the command runs (read, segment, align, flag, render the
report), in this process, with no flags cache, on a draft written to a temporary folder:

* ``paragraphs``: N German paragraphs against N English ones (the two bundled corpora
  repeated, each paragraph numbered so that no two are alike), for N = 1,000 and 10,000;
* ``line``: one German line of about 1 MB, alone and against its English original;
* ``lines``: 200,000 short German lines, with no reference.

Each case runs at two sizes, the smaller a tenth (a twentieth for the line) of the larger:
the ratio of the two times per unit ("growth") is about 1 when the time grows linearly,
about 10 (or 20) when it grows with the square. A small check runs first, so that loading
the lexicons and SoMaJo is not counted. ``--quick`` makes every size a tenth.
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ("windpark", "bibliothek")


def _corpus_pairs() -> list[tuple[str, str]]:
    pairs = []
    for name in CORPORA:
        de = (ROOT / "corpora" / f"{name}.de.txt").read_text(encoding="utf-8").splitlines()
        en = (ROOT / "corpora" / f"{name}.en.txt").read_text(encoding="utf-8").splitlines()
        # The German library text ends in an editor's note that has no English line.
        pairs += list(zip(de[: len(en)], en, strict=True))
    return pairs


def _paragraphs(count: int) -> tuple[list[str], list[str]]:
    """``count`` German and English paragraphs, numbered: repeated text stays distinct."""
    pairs = _corpus_pairs()
    de, en = [], []
    for k in range(count):
        german, english = pairs[k % len(pairs)]
        de.append(f"Abschnitt {k + 1}: {german}")
        en.append(f"Section {k + 1}: {english}")
    return de, en


def _one_line(size: int) -> tuple[str, str]:
    """A German line of about ``size`` characters and its English original, as one line."""
    de_parts, en_parts, length, k = [], [], 0, 0
    de_texts, en_texts = _paragraphs(len(_corpus_pairs()))
    while length < size:
        de_parts.append(de_texts[k % len(de_texts)])
        en_parts.append(en_texts[k % len(en_texts)])
        length += len(de_parts[-1]) + 1
        k += 1
    return " ".join(de_parts), " ".join(en_parts)


def _short_lines(count: int) -> list[str]:
    words = ("Der Wind", "Die Bibliothek", "Das Programm", "Ein Team", "Der Stadtrat")
    verbs = ("wächst", "öffnet", "beginnt", "wartet", "lernt")
    return [f"{words[k % 5]} {verbs[(k // 5) % 5]} am Tag {k + 1}." for k in range(count)]


def _write(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _check(draft: Path, reference: Path | None, fmt: str) -> tuple[float, int]:
    """Seconds and segment count of one flags-only check with its report."""
    from mtcheck.pipeline import run_check
    from mtcheck.report import render

    gc.collect()
    started = time.perf_counter()
    result = run_check([(draft, reference)], translator=None)
    render(result, fmt, color=False, width=100)
    seconds = time.perf_counter() - started
    return seconds, sum(len(d.segments) for d in result.documents)


Case = tuple[str, int, int, Callable[[Path, int], tuple[Path, Path | None]], str]


def _paragraph_case(folder: Path, count: int) -> tuple[Path, Path | None]:
    de, en = _paragraphs(count)
    return _write(folder, f"p{count}.de.txt", de), _write(folder, f"p{count}.en.txt", en)


def _line_case(folder: Path, size: int) -> tuple[Path, Path | None]:
    de, _en = _one_line(size)
    return _write(folder, f"l{size}.de.txt", [de]), None


def _line_pair_case(folder: Path, size: int) -> tuple[Path, Path | None]:
    de, en = _one_line(size)
    return _write(folder, f"lp{size}.de.txt", [de]), _write(folder, f"lp{size}.en.txt", [en])


def _lines_case(folder: Path, count: int) -> tuple[Path, Path | None]:
    return _write(folder, f"s{count}.de.txt", _short_lines(count)), None


# (name, smaller size, larger size, how to build it, unit)
CASES: tuple[Case, ...] = (
    ("paragraphs", 1_000, 10_000, _paragraph_case, "paragraph pairs"),
    ("line", 50_000, 1_000_000, _line_case, "characters"),
    ("line+reference", 50_000, 1_000_000, _line_pair_case, "characters"),
    ("lines", 20_000, 200_000, _lines_case, "lines"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every size a tenth")
    parser.add_argument("--cases", help="comma-separated case names (default: all)")
    parser.add_argument("--format", default="text", choices=("text", "json"))
    args = parser.parse_args()
    chosen = set(args.cases.split(",")) if args.cases else None
    scale = 10 if args.quick else 1
    print(f"mtcheck check --no-backtranslation --no-cache -f {args.format}, in process")
    print(f"{'case':<16}{'size':>11}{'seconds':>10}{'µs/unit':>10}{'growth':>8}  unit")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        _check(*_paragraph_case(folder, 3), args.format)  # loads what every check loads
        for name, small, large, build, unit in CASES:
            if chosen is not None and name not in chosen:
                continue
            sizes = (small // scale, large // scale)
            per_unit = []
            for size in sizes:
                draft, reference = build(folder, size)
                seconds, _segments = _check(draft, reference, args.format)
                per_unit.append(seconds / size)
                growth = f"{per_unit[-1] / per_unit[0]:.2f}" if len(per_unit) == 2 else ""
                print(
                    f"{name:<16}{size:>11,}{seconds:>10.2f}{per_unit[-1] * 1e6:>10.1f}"
                    f"{growth:>8}  {unit}",
                    flush=True,
                )
    print("growth: time per unit at the larger size over that at the smaller (1 = linear)")


if __name__ == "__main__":
    main()
