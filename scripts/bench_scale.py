"""How the time of `mtcheck check --no-backtranslation` grows with the input.

    python scripts/bench_scale.py [--quick] [--rounds 1] [--cases NAME,...] [--format text|json]

Each case runs the same functions the command runs (read, segment, align, flag, render the
report), in this process, with no flags cache, on a draft written to a temporary folder:

* ``paragraphs``: N German paragraphs against N English ones (the two bundled corpora
  repeated, each paragraph numbered so that no two are alike), for N = 1,000 and 10,000;
* ``line``: one German line of about 1 MB, alone and against its English original;
* ``lines``: 200,000 short German lines, with no reference.

Each case runs at two sizes, the smaller a tenth (a twentieth for the line) of the larger:
the ratio of the two times per unit ("growth") is about 1 when the time grows linearly,
about 10 (or 20) when it grows with the square. A small check runs first, so that loading
the lexicons and SoMaJo is not counted. ``--quick`` makes every size a tenth. With
``--rounds R`` the two sizes of a case run R rounds, interleaved, and each keeps its fastest.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import Case, format_table, interleaved  # noqa: E402

from mtcheck.pipeline import run_check  # noqa: E402
from mtcheck.report import render  # noqa: E402

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


def _check(draft: Path, reference: Path | None, fmt: str) -> None:
    """One flags-only check with its report."""
    result = run_check([(draft, reference)], translator=None)
    render(result, fmt, color=False, width=100)


Scenario = tuple[str, int, int, Callable[[Path, int], tuple[Path, Path | None]], str]


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
CASES: tuple[Scenario, ...] = (
    ("paragraphs", 1_000, 10_000, _paragraph_case, "paragraph pairs"),
    ("line", 50_000, 1_000_000, _line_case, "characters"),
    ("line+reference", 50_000, 1_000_000, _line_pair_case, "characters"),
    ("lines", 20_000, 200_000, _lines_case, "lines"),
)


def _case_rows(folder: Path, case: Scenario, scale: int, rounds: int, fmt: str) -> list[tuple]:
    """Table rows of one case at its two sizes: the fastest round's seconds, per unit, and
    the growth of the time per unit from the smaller size to the larger."""
    name, small, large, build, unit = case
    sizes = (small // scale, large // scale)
    inputs = {size: build(folder, size) for size in sizes}
    cases = [
        Case(f"{size}", lambda pair=inputs[size]: _check(*pair, fmt)) for size in sizes
    ]
    timings = interleaved(cases, rounds)
    per_unit = [timings[f"{size}"].fastest_s / size for size in sizes]
    return [
        (
            name,
            f"{size:,}",
            f"{timings[f'{size}'].fastest_s:.2f}",
            f"{per_unit[k] * 1e6:.1f}",
            f"{per_unit[1] / per_unit[0]:.2f}" if k else "",
            unit,
        )
        for k, size in enumerate(sizes)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every size a tenth")
    parser.add_argument("--rounds", type=int, default=1, help="rounds; the fastest is kept")
    parser.add_argument("--cases", help="comma-separated case names (default: all)")
    parser.add_argument("--format", default="text", choices=("text", "json"))
    args = parser.parse_args()
    chosen = set(args.cases.split(",")) if args.cases else None
    scale = 10 if args.quick else 1
    print(f"mtcheck check --no-backtranslation --no-cache -f {args.format}, in process")
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        _check(*_paragraph_case(folder, 3), args.format)  # loads what every check loads
        for case in CASES:
            if chosen is None or case[0] in chosen:
                rows += _case_rows(folder, case, scale, max(1, args.rounds), args.format)
                print(f"{case[0]} done", file=sys.stderr, flush=True)
    headers = ("case", "size", "seconds", "µs/unit", "growth", "unit")
    print(format_table(headers, rows))
    print("growth: time per unit at the larger size over that at the smaller (1 = linear)")

if __name__ == "__main__":
    main()
