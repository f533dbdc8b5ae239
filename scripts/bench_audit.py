"""Throughput and peak memory of ``mtcheck audit`` on synthetic segment tables.

    python scripts/bench_audit.py [--sizes 20000 200000] [--workers 1] [--with-model PATH]
    python scripts/bench_audit.py --documents --sizes 5000

For each size a JSONL table of synthetic German segments (English references, a ``system``
and a ``doc`` column) is written to a temporary folder, then ``mtcheck audit`` runs on it
in a child process of a small launcher process (``_bench.run_process``), which reports
the child's wall time and peak resident memory, so each figure is that one audit's (its
largest process, workers included). Flags only unless
``--with-model`` names a Marian model (a directory or a cached hub id). Prints a table and
the ratio of the peaks of the largest and the smallest size (streaming: close to 1).

``--documents`` writes the same segments as a directory of German documents with their
English references (``NAME.de.txt``/``NAME.en.txt``, one to eight sentences each, one
sentence per line), which the audit splits into sentences and aligns (grouped by ``doc``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import format_table, run_process  # noqa: E402

SUBJECTS = [
    "Das Unternehmen",
    "Die Stadtbibliothek",
    "Der Betreiber",
    "Die Ministerin",
    "Der Verband",
    "Die Forscherin",
    "Das Team",
    "Der Konzern",
]
PREDICATES = [
    "meldete einen Umsatz von {n} Millionen Euro.",
    "soll monatelang mit {n} Herstellern verhandelt.",
    "erwartet, dass die Zahl um 3.5% auf {n} steigen wird.",
    "nutzt AI-Software, um {n} Anlagen zu überwachen.",
    "sagte, dass die Kunden werden {n} Produkte nicht mehr brauchen.",
    "plant bis 2028 insgesamt {n} neue Standorte in {city}.",
    "Um die Ziele zu erreichen wird {n} Mal in {city} geprüft.",
    "hat in {city} {n} neue Mitarbeiterinnen und Mitarbeiter eingestellt.",
]
CITIES = ["Bremen", "Hamburg", "Köln", "Leipzig", "Dresden", "München", "Kiel", "Mainz"]

def write_table(path: Path, count: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    doc, left = 0, 0
    with path.open("w", encoding="utf-8") as handle:
        for k in range(count):
            if left == 0:
                doc, left = doc + 1, rng.randint(1, 8)
            left -= 1
            n = rng.randint(2, 99999)
            text = rng.choice(PREDICATES).format(n=n, city=rng.choice(CITIES))
            record = {
                "id": f"s{k}",
                "target": f"{rng.choice(SUBJECTS)} {text}",
                "reference": f"The segment number {k} says {n}.",
                "system": f"sys{rng.randrange(4)}",
                "doc": f"d{doc}",
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_documents(root: Path, count: int, seed: int = 1) -> None:
    """The segments of :func:`write_table` as German documents with English references."""
    table = root.with_suffix(".jsonl")
    write_table(table, count, seed)
    docs: dict[str, list[dict]] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        docs.setdefault(record["doc"], []).append(record)
    table.unlink()
    root.mkdir()
    for name, records in docs.items():
        german = "".join(r["target"] + "\n" for r in records)
        english = "".join(r["reference"] + "\n" for r in records)
        (root / f"{name}.de.txt").write_text(german, encoding="utf-8")
        (root / f"{name}.en.txt").write_text(english, encoding="utf-8")


def run(size: int, folder: Path, args) -> dict:
    if args.documents:
        table = folder / f"docs{size}"
        write_documents(table, size)
    else:
        table = folder / f"t{size}.jsonl"
        write_table(table, size)
    command = [
        sys.executable,
        "-m",
        "mtcheck.cli",
        "audit",
        str(table),
        "--out",
        str(folder / f"out{size}"),
        "--quiet",
        "--workers",
        str(args.workers),
        "--group-by",
        "doc" if args.documents else "system",
    ]
    if args.with_model:
        command += ["--model", args.with_model, "--cache", str(folder / "cache.sqlite")]
    else:
        command.append("--no-backtranslation")
    done = run_process(command)
    if done.returncode != 0:
        sys.exit(f"audit of {size} segments failed (exit {done.returncode}): {done.stderr}")
    return {
        "size": size,
        "wall": done.seconds,
        "rate": size / done.seconds,
        "peak_mib": done.peak_rss_mb,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--with-model", metavar="PATH")
    parser.add_argument("--documents", action="store_true",
                        help="a directory of German documents instead of a segment table")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as tmp:
        for size in args.sizes:
            rows.append(run(size, Path(tmp), args))
            r = rows[-1]
            print(
                f"{r['size']:>9,} segments  {r['wall']:8.1f} s  {r['rate']:8.0f} seg/s  "
                f"peak RSS {r['peak_mib']:7.1f} MiB",
                flush=True,
            )
    mode = f"model {args.with_model}" if args.with_model else "flags only"
    if args.documents:
        mode += ", German documents"
    print(f"\nmtcheck audit, {mode}, --workers {args.workers}")
    table = [
        (f"{r['size']:,}", f"{r['wall']:.1f}", f"{r['rate']:.0f}", f"{r['peak_mib']:.1f}")
        for r in rows
    ]
    print(format_table(("segments", "wall s", "seg/s", "peak RSS MiB"), table))
    if len(rows) > 1:
        ratio = rows[-1]["peak_mib"] / rows[0]["peak_mib"]
        print(f"peak({rows[-1]['size']:,}) / peak({rows[0]['size']:,}) = {ratio:.2f}")


if __name__ == "__main__":
    main()
