"""How well the sentence alignment leaves a dropped or added sentence unlinked.

    python scripts/eval_alignment.py [--set wmt23|ted|both] [--data DIR] [--seed N]
                                     [--limit N] [--examples N]

German/English document pairs are built from the MQM data read in place
(``../shared/data/mqm-general2023-ende``: one paragraph a segment, every system;
``../shared/data/mqm-ted-ende``: one sentence a segment, grouped into paragraphs of
``TED_PARAGRAPH`` sentences). Each document is aligned as ``check`` aligns it without
back-translations, and the rules ``omission`` and ``addition`` run on it. Then one
paragraph, chosen with a generator seeded by the document's name, is changed in each of
these ways, and the document checked again:

* delete one German sentence: want one ``omission`` on the English sentence that the
  unchanged document linked one to one with it (found), or elsewhere (misplaced);
* insert one German sentence taken from another document: want one ``addition`` on it
  (only where the sentence splitter finds it as a sentence of its own);
* changes that must give no finding: split a German sentence in two at a comma, join two
  German sentences into one, swap two German sentences, join a heading (a paragraph
  without final punctuation) or any paragraph with the next one, split a paragraph in two.

A finding counts as false when it is not the wanted one and the unchanged document did not
have it already (the unchanged documents' own findings are counted apart). Exits 2 with
one sentence when the data is absent.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _mqm  # noqa: E402

RULES = frozenset({"omission", "addition"})
TED_PARAGRAPH = 4  # TED sentences a paragraph
TED_DOCUMENT = 6  # paragraphs a TED document, so that one talk gives several documents
FINAL = tuple(".!?:\"'\u201c\u201d\u00bb\u00ab)")
KEEP_QUIET = (
    "split sentence",
    "join sentences",
    "swap sentences",
    "join heading",
    "join paragraphs",
    "split paragraph",
)


def load_pairs(name: str, root: Path = _mqm.SHARED_DATA) -> list[tuple[str, list[str], list[str]]]:
    """(name, German paragraphs, English paragraphs) of every document of the set, read
    from its folder under ``root``."""
    layout = _mqm.WMT23 if name == "wmt23" else _mqm.TED
    data = root / layout.default_data.name
    if not (data / layout.file_name).is_file():
        print(
            f"error: {data / layout.file_name} is absent; pass --data with the folder that "
            f"holds {layout.default_data.name}/.",
            file=sys.stderr,
        )
        sys.exit(2)
    documents = _mqm.documents(_mqm.load_or_exit(data, layout))
    pairs = []
    for document in documents:
        de = [" ".join(s.target.split()) for s in document]
        en = [" ".join(s.source.split()) for s in document]
        key = f"{document[0].system}/{document[0].doc}"
        if name == "wmt23":
            pairs.append((key, de, en))
            continue
        size = TED_PARAGRAPH * TED_DOCUMENT
        for start in range(0, len(de) - TED_PARAGRAPH, size):
            block = range(start, min(start + size, len(de)), TED_PARAGRAPH)
            pairs.append(
                (
                    f"{key}@{start}",
                    [" ".join(de[k : k + TED_PARAGRAPH]) for k in block],
                    [" ".join(en[k : k + TED_PARAGRAPH]) for k in block],
                )
            )
    return [(key, de, en) for key, de, en in pairs if len(de) >= 2 and all(de) and all(en)]


class Checker:
    """Aligns and checks a document pair the way ``check`` does, flags-only."""

    def __init__(self) -> None:
        from mtcheck.flags import RuleSettings

        self.settings = RuleSettings(select=set(RULES))
        self.folder = Path(tempfile.mkdtemp(prefix="eval_alignment_"))

    def findings(self, de: Sequence[str], en: Sequence[str]) -> list[tuple[str, str, str]]:
        """(rule, German, English) of each finding."""
        from mtcheck.flags import check_segments
        from mtcheck.pipeline import align_document

        de_path, en_path = self.folder / "d.de.txt", self.folder / "d.en.txt"
        de_path.write_text("\n".join(de) + "\n", encoding="utf-8")
        en_path.write_text("\n".join(en) + "\n", encoding="utf-8")
        segments = align_document(de_path, en_path)
        flags = check_segments(segments, None, self.settings)
        return [
            (f.rule, s.target.strip(), (s.reference or "").strip())
            for s, fs in zip(segments, flags, strict=True)
            for f in fs
            if f.rule in RULES
        ]

    def links(self, de: Sequence[str], en: Sequence[str]) -> list[tuple[str, str, str]]:
        """(kind, German, English) of each link."""
        from mtcheck.pipeline import align_document

        de_path, en_path = self.folder / "d.de.txt", self.folder / "d.en.txt"
        de_path.write_text("\n".join(de) + "\n", encoding="utf-8")
        en_path.write_text("\n".join(en) + "\n", encoding="utf-8")
        return [
            (s.alignment or "", s.target.strip(), (s.reference or "").strip())
            for s in align_document(de_path, en_path)
        ]


def sentences(text: str) -> list[str]:
    from mtcheck.model import Paragraph
    from mtcheck.segment import split_paragraphs

    (split,) = split_paragraphs((Paragraph(1, text, 1, 1),), "de")
    return [s.text for s in split]


def replace(paragraphs: list[str], k: int, new: Sequence[str]) -> list[str]:
    return paragraphs[:k] + list(new) + paragraphs[k + 1 :]


def split_at_comma(sentence: str, rng: random.Random) -> str | None:
    """The sentence split in two at a comma with words on both sides, or None."""
    commas = [i for i, c in enumerate(sentence) if c == ","]
    commas = [i for i in commas if 20 <= i <= len(sentence) - 20 and sentence[i + 1 :].strip()]
    if not commas:
        return None
    i = rng.choice(commas)
    rest = sentence[i + 1 :].strip()
    return sentence[:i] + ". " + rest[0].upper() + rest[1:]


def join_two(first: str, second: str) -> str:
    """Two sentences as one, joined with a comma and "und"."""
    head = first.rstrip()
    if head[-1:] in ".!?":
        head = head[:-1]
    tail = second.strip()
    if tail[:1].isupper() and tail.split()[0].lower() in {"der", "die", "das", "es", "er", "sie"}:
        tail = tail[0].lower() + tail[1:]
    return f"{head}, und {tail}"


def changes(de: list[str], others: list[str], rng: random.Random) -> dict[str, tuple]:
    """Changed German paragraphs by change name, with what is wanted: ("omission", the
    deleted German sentence), ("addition", the inserted one) or None."""
    k = rng.randrange(len(de))
    ss = sentences(de[k])
    result: dict[str, tuple] = {}
    if len(ss) >= 2:
        d = rng.randrange(len(ss))
        kept = ss[:d] + ss[d + 1 :]
        result["delete sentence"] = (replace(de, k, [" ".join(kept)]), ("omission", ss[d]))
        i = rng.randrange(len(ss) - 1)
        swapped = ss[:i] + [ss[i + 1], ss[i]] + ss[i + 2 :]
        result["swap sentences"] = (replace(de, k, [" ".join(swapped)]), None)
        joined = ss[:i] + [join_two(ss[i], ss[i + 1])] + ss[i + 2 :]
        result["join sentences"] = (replace(de, k, [" ".join(joined)]), None)
        j = rng.randrange(1, len(ss))
        result["split paragraph"] = (replace(de, k, [" ".join(ss[:j]), " ".join(ss[j:])]), None)
    s = rng.randrange(len(ss))
    split = split_at_comma(ss[s], rng)
    if split is not None:
        result["split sentence"] = (
            replace(de, k, [" ".join(ss[:s] + [split] + ss[s + 1 :])]),
            None,
        )
    foreign = rng.choice(sentences(rng.choice(others)))  # of another source document
    at = rng.randrange(len(ss) + 1)
    inserted = " ".join(ss[:at] + [foreign] + ss[at:])
    # Only where the splitter finds the inserted sentence as one: otherwise (after a
    # heading, or a quotation left open) no alignment could leave it unlinked alone.
    if foreign in sentences(inserted):
        result["insert sentence"] = (replace(de, k, [inserted]), ("addition", foreign))
    if k + 1 < len(de):
        result["join paragraphs"] = (
            replace(de[: k + 1] + de[k + 2 :], k, [f"{de[k]} {de[k + 1]}"]),
            None,
        )
    headings = [h for h in range(len(de) - 1) if not de[h].rstrip().endswith(FINAL)]
    if headings:
        h = rng.choice(headings)
        result["join heading"] = (de[:h] + [f"{de[h]} {de[h + 1]}"] + de[h + 2 :], None)
    return result


def source(key: str) -> str:
    """The source document of a document key ("system/doc" or "system/doc@start")."""
    return key.split("/", 1)[1].split("@")[0]


def wanted_english(links, german: str) -> str | None:
    """The English that the unchanged document linked one to one with ``german``."""
    for kind, de, en in links:
        if kind == "1-1" and de == german.strip():
            return en
    return None


def evaluate(name: str, root: Path, seed: int, limit: int | None, examples: int) -> Counter:
    pairs = load_pairs(name, root)[:limit]
    checker = Checker()
    counts: Counter = Counter()
    shown: Counter = Counter()
    for key, de, en in pairs:
        rng = random.Random(f"{seed}:{key}")
        # Another system's translation of the same text would be no addition.
        others = [p for other, ps, _en in pairs if source(other) != source(key) for p in ps]
        base = set(checker.findings(de, en))
        counts["documents"] += 1
        counts["unchanged: findings"] += len(base)
        counts["unchanged: documents with a finding"] += bool(base)
        base_links = None
        for change, (changed, want) in changes(de, others, rng).items():
            found = [f for f in checker.findings(changed, en) if f not in base]
            counts[f"{change}: cases"] += 1
            hit = False
            if want is not None:
                rule, sentence = want
                if rule == "omission":
                    base_links = base_links or checker.links(de, en)
                    english = wanted_english(base_links, sentence)
                    if english is None:
                        counts[f"{change}: cases"] -= 1
                        continue
                    right = [f for f in found if f[0] == rule and f[2] == english]
                else:
                    right = [f for f in found if f[0] == rule and f[1] == sentence.strip()]
                hit = bool(right)
                counts[f"{change}: found"] += hit
                misplaced = [f for f in found if f[0] == rule and f not in right]
                counts[f"{change}: misplaced"] += bool(misplaced) and not hit
                found = [f for f in found if f not in right and f not in misplaced]
            counts[f"{change}: false findings"] += len(found)
            counts[f"{change}: cases with a false finding"] += bool(found)
            if (found or (want and not hit)) and shown[change] < examples:
                shown[change] += 1
                print(f"  [{change}] {key} want={want and want[1][:70]!r}")
                for rule, german, english in found[:3]:
                    print(f"      {rule}: DE={german[:80]!r} EN={english[:80]!r}")
    return counts


def report(name: str, counts: Counter, seconds: float) -> None:
    print(f"== {name}: {counts['documents']} documents, {seconds:.0f} s")
    print(
        f"unchanged documents: {counts['unchanged: findings']} findings in "
        f"{counts['unchanged: documents with a finding']} documents"
    )
    rows = []
    for change in ("delete sentence", "insert sentence") + KEEP_QUIET:
        cases = counts[f"{change}: cases"]
        if not cases:
            continue
        found = counts[f"{change}: found"] if change.startswith(("delete", "insert")) else "-"
        misplaced = counts[f"{change}: misplaced"] if found != "-" else "-"
        rows.append(
            (
                change,
                cases,
                found,
                misplaced,
                counts[f"{change}: cases with a false finding"],
                counts[f"{change}: false findings"],
            )
        )
    headers = ("change", "cases", "found", "misplaced", "cases w/ false", "false findings")
    print(_mqm.format_table(headers, rows))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("wmt23", "ted", "both"), default="both")
    parser.add_argument(
        "--data", type=Path, default=_mqm.SHARED_DATA, help="folder of the MQM data folders"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=int, default=None, help="documents a set, at most")
    parser.add_argument("--examples", type=int, default=0, help="misses shown a change")
    args = parser.parse_args(argv)
    for name in ("wmt23", "ted") if args.set == "both" else (args.set,):
        started = time.perf_counter()
        counts = evaluate(name, args.data, args.seed, args.limit, args.examples)
        report(name, counts, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
