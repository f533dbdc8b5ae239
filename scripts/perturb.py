"""Perturbation benchmark for the German flags: corrupt correct German where we know, check.

    python scripts/perturb.py [--data DIR] [--out DIR] [--seed N] [--json FILE] [--examples N]

The pool of correct German: the distinct targets of the MQM TED English->German segments
whose every row is ``No-error`` (with their English source as reference), plus the
sentences of the project's ``corpora/*.de.txt`` that hold none of the findings listed in
``corpora/*.expected.tsv`` (no reference). From each pool sentence at most one corruption
of each kind is made, at a place chosen with a seeded random generator:

  (a) verb-second: the clause-final finite verb of a subordinate clause (KOUS: dass, weil,
      ob, wenn, ...) moved right after the conjunction and its subject:
      "..., dass er morgen kommt." -> "..., dass er kommt morgen."
      place: from the moved verb to the end of the clause it jumped over;
  (b) modal-participle: the clause-final infinitive after a finite modal replaced by its
      past participle: "muss ... machen." -> "muss ... gemacht." The participle is one
      seen with that lemma as VV(PP)/VA(PP) in the pool, or a regular form (ge-...-t,
      no ge- after be/ver/er/zer/ent/emp/miss/ge and for -ieren, separable prefixes
      an-ge-...) that HanTa's lexicon knows as a participle of that lemma; otherwise none.
      place: the participle;
  (c) infinitive-comma: the comma before an um/ohne/statt/anstatt ... zu clause, or the
      one closing it before the main clause's finite verb ("Um ... zu erreichen, plant"),
      removed. place: the word before and the word after the gap.

Each original and each corruption is checked as a one-segment document. Per rule the
table gives the share of corruptions with a flag whose span overlaps the corrupted place,
and the share of the corrupted originals (and of the whole pool) the rule flags anyway.
The corruptions are written to ``--out`` (default out/perturb/, outside git).
Tags come from mtcheck's own tokenizer and tagger; lemmas from HanTa.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _mqm import (  # noqa: E402
    DEFAULT_DATA,
    ROOT,
    Span,
    format_table,
    load_or_exit,
    make_segment,
    overlaps,
    ratio,
    share,
)

KINDS = ("verb-second", "modal-participle", "infinitive-comma")
SUBORDINATORS = frozenset(
    {
        "dass",
        "daß",
        "weil",
        "ob",
        "wenn",
        "obwohl",
        "obgleich",
        "da",
        "damit",
        "bevor",
        "ehe",
        "nachdem",
        "während",
        "sobald",
        "solange",
        "falls",
        "seit",
        "seitdem",
        "indem",
        "sodass",
        "sofern",
        "wohingegen",
    }
)
INTRODUCERS = frozenset({"um", "ohne", "statt", "anstatt"})
COORDINATORS = frozenset({"und", "oder", "aber", "sondern", "sowie", "bzw.", "doch", "denn"})
SUBJECT_PRONOUNS = frozenset({"PPER", "PIS", "PDS"})
DETERMINERS = frozenset({"ART", "PPOSAT", "PDAT", "PIAT", "CARD"})
# Auxiliaries with irregular participles ("worden"/"geworden") are left alone.
SKIP_LEMMAS = frozenset({"werden"})

INSEPARABLE = ("miss", "emp", "ent", "zer", "ver", "be", "er", "ge", "hinter", "wider")
SEPARABLE = (
    "zusammen",
    "zurück",
    "herunter",
    "hinaus",
    "heraus",
    "herein",
    "herum",
    "voran",
    "vorbei",
    "weiter",
    "statt",
    "teil",
    "fort",
    "hoch",
    "fest",
    "los",
    "weg",
    "her",
    "hin",
    "dar",
    "bei",
    "auf",
    "aus",
    "ein",
    "mit",
    "nach",
    "vor",
    "an",
    "ab",
    "zu",
)
EITHER = ("über", "unter", "durch", "wieder", "um")  # separable or not, by verb


@dataclass(frozen=True)
class Word:
    """A token of a pool sentence: text, offsets, STTS tag."""

    text: str
    start: int
    end: int
    tag: str

    @property
    def is_punct(self) -> bool:
        return self.tag.startswith("$")


@dataclass(frozen=True)
class Corruption:
    kind: str
    corrupted: str
    place: Span  # in ``corrupted``
    detail: str


# --- participles -----------------------------------------------------------------------


def _weak(stem: str) -> str:
    """Weak participle ending for a stem: -et after t/d or an obstruent + m/n, else -t."""
    if stem.endswith(("t", "d")):
        return stem + "et"
    if len(stem) >= 2 and stem[-1] in "mn" and stem[-2] not in "aeiouäöüylrmnh":
        return stem + "et"
    return stem + "t"


def _stem(verb: str) -> str | None:
    if verb.endswith(("ern", "eln")):
        return verb[:-1]
    if verb.endswith("en") and len(verb) > 3:
        return verb[:-2]
    return None


def _simple_forms(verb: str) -> list[str]:
    """Regular participles of a verb without a separable prefix, most likely first."""
    if verb.endswith("ieren") and len(verb) > 6:
        return [verb[:-2] + "t"]
    stem = _stem(verb)
    if stem is None:
        return []
    plain = _weak(stem)
    if verb.startswith(INSEPARABLE) or verb.startswith(EITHER):
        return [plain, "ge" + plain]
    return ["ge" + plain, plain]


def regular_participles(lemma: str) -> list[str]:
    """Candidate weak (regular) past participles of an infinitive lemma, best guess first.

    The list over-generates on purpose (a prefix may be separable or not, a strong verb has
    no weak participle): a caller keeps only a form its lexicon confirms.
    """
    if not lemma.isalpha() or lemma != lemma.lower():
        return []
    forms: list[str] = []
    for prefix in SEPARABLE + EITHER:
        rest = lemma[len(prefix) :]
        if lemma.startswith(prefix) and len(rest) >= 4:
            forms += [prefix + form for form in _simple_forms(rest)]  # auf-ge-baut
            if prefix in SEPARABLE:
                break
    simple = _simple_forms(lemma)
    if lemma.startswith(INSEPARABLE + EITHER) or not forms:
        forms = simple + forms
    else:
        forms = forms + simple
    return list(dict.fromkeys(forms))


def _after_prefix(form: str) -> str:
    """``form`` without a separable (or either-way) prefix that is followed by "ge"."""
    for prefix in SEPARABLE + EITHER:
        if form.startswith(prefix + "ge"):
            return form[len(prefix) :]
    return form


def plausible_participle(form: str, lemma: str, preferred: Callable[[str], bool]) -> bool:
    """Whether ``form`` has the shape of a participle of ``lemma``: a ge- form (maybe after a
    separable prefix), or a form without ge- for -ieren verbs and inseparable prefixes; for
    über/unter/durch/um/wieder without ge- only when ``preferred(form)`` (the lexicon reads
    it as a participle first)."""
    form = form.lower()
    if not form.isalpha() or len(form) < 4:
        return False
    if form.startswith("ge") or _after_prefix(form).startswith("ge"):
        return True
    if lemma.endswith("ieren"):
        return form.endswith("iert")
    if lemma.startswith(INSEPARABLE):
        return True
    if lemma.startswith(EITHER):
        return preferred(form)
    return False


class Participles:
    """Participle of a lemma: one seen in the pool, else a regular form the lexicon knows;
    either way only a form of the shape of a participle (``plausible_participle``)."""

    def __init__(
        self, known: Callable[[str, str], bool], preferred: Callable[[str], bool] = bool
    ) -> None:
        self.known = known  # known(form, lemma): the lexicon has form as a participle of lemma
        self.preferred = preferred  # preferred(form): the lexicon's best reading is participle
        self.seen: dict[str, Counter] = {}

    def observe(self, lemma: str, form: str) -> None:
        if plausible_participle(form, lemma, self.preferred):
            self.seen.setdefault(lemma, Counter())[form.lower()] += 1

    def __call__(self, lemma: str) -> str | None:
        seen = self.seen.get(lemma)
        if seen:
            return min(seen.items(), key=lambda item: (-item[1], item[0]))[0]
        for form in regular_participles(lemma):
            if plausible_participle(form, lemma, self.preferred) and self.known(form, lemma):
                return form
        return None


# --- corruption generators (pure: words with tags in, corruptions out) ----------------------


def _clause_end(words: Sequence[Word], start: int) -> int:
    """Index of the first punctuation token at or after ``start`` (or len(words))."""
    for index in range(start, len(words)):
        if words[index].is_punct:
            return index
    return len(words)


def _subject_end(words: Sequence[Word], start: int, stop: int) -> int | None:
    """Index after the subject that begins at ``start`` (before ``stop``), or None."""
    if start >= stop:
        return None
    tag = words[start].tag
    if tag in SUBJECT_PRONOUNS:
        return start + 1
    if tag == "NE":
        end = start
        while end < stop and words[end].tag == "NE":
            end += 1
        return end
    index = start
    if tag in DETERMINERS:
        index += 1
    while index < stop and words[index].tag in ("ADJA", "ADV", "ADJD", "CARD"):
        index += 1
    if index < stop and words[index].tag in ("NN", "NE"):
        return index + 1
    return None


def verb_second(text: str, words: Sequence[Word]) -> list[Corruption]:
    """Every (a) corruption of ``text``: a subordinate clause's final finite verb moved to
    second position, right after the conjunction and the subject."""
    found = []
    for index, word in enumerate(words):
        if word.tag != "KOUS" or word.text.lower() not in SUBORDINATORS:
            continue
        end = _clause_end(words, index + 1)
        verb_index = end - 1
        if verb_index <= index + 1 or not words[verb_index].tag.endswith("(FIN)"):
            continue
        clause = words[index + 1 : verb_index]
        if any(w.tag.endswith("(FIN)") or w.tag in ("KOUS", "PRELS", "KOUI") for w in clause):
            continue
        subject_end = _subject_end(words, index + 1, verb_index)
        if subject_end is None or subject_end >= verb_index:
            continue  # nothing for the verb to jump over
        verb, before = words[verb_index], words[verb_index - 1]
        insert_at = words[subject_end].start
        corrupted = (
            text[:insert_at] + verb.text + " " + text[insert_at : before.end] + text[verb.end :]
        )
        place = (insert_at, before.end + len(verb.text) + 1)
        found.append(Corruption("verb-second", corrupted, place, f"{word.text} ... {verb.text}"))
    return found


def modal_participle(
    text: str,
    words: Sequence[Word],
    lemmas: Callable[[Word], str],
    participle: Callable[[str], str | None],
) -> list[Corruption]:
    """Every (b) corruption: a clause-final infinitive after a finite modal replaced by the
    participle of its lemma (where ``participle`` knows one)."""
    found = []
    for index, word in enumerate(words):
        if word.tag != "VM(FIN)":
            continue
        end = _clause_end(words, index + 1)
        infinitive = end - 1
        if infinitive <= index or words[infinitive].tag not in ("VV(INF)", "VA(INF)"):
            continue
        between = words[index + 1 : infinitive]
        if any(w.tag[:1] == "V" or w.tag in ("KOUS", "KOUI", "PRELS", "PTKZU") for w in between):
            continue
        target = words[infinitive]
        lemma = lemmas(target)
        if lemma in SKIP_LEMMAS:
            continue
        form = participle(lemma)
        if form is None or form == target.text.lower():
            continue
        if target.text[:1].isupper():
            form = form[:1].upper() + form[1:]
        corrupted = text[: target.start] + form + text[target.end :]
        place = (target.start, target.start + len(form))
        found.append(
            Corruption(
                "modal-participle", corrupted, place, f"{word.text} ... {target.text}->{form}"
            )
        )
    return found


def _has_zu_infinitive(words: Sequence[Word]) -> bool:
    return any(
        w.tag.endswith("(IZU)")
        or (w.tag == "PTKZU" and i + 1 < len(words) and words[i + 1].tag.endswith("(INF)"))
        for i, w in enumerate(words)
    )


def infinitive_comma(text: str, words: Sequence[Word]) -> list[Corruption]:
    """Every (c) corruption: the comma before an um/ohne/statt/anstatt ... zu clause, or the
    comma that closes it, removed."""
    found = []
    for index, word in enumerate(words):
        if word.text.lower() not in INTRODUCERS:
            continue
        # HanTa tags a clause-initial "Um" as a preposition (APPR) now and then.
        if word.tag != "KOUI" and not (
            word.tag == "APPR" and (index == 0 or words[index - 1].is_punct)
        ):
            continue
        end = _clause_end(words, index + 1)
        if not _has_zu_infinitive(words[index + 1 : end]):
            continue
        commas = []
        if index >= 1 and words[index - 1].text == "," and index >= 2:
            commas.append(("before", index - 1))
        if (
            end + 1 < len(words)
            and words[end].text == ","
            and words[end + 1].tag.endswith("(FIN)")  # the main clause goes on
        ):
            commas.append(("after", end))
        for where, comma in commas:
            left, right = words[comma - 1], words[comma + 1]
            width = words[comma].end - words[comma].start
            corrupted = text[: words[comma].start] + text[words[comma].end :]
            place = (left.start, right.end - width)
            found.append(
                Corruption("infinitive-comma", corrupted, place, f"comma {where} '{word.text}'")
            )
    return found


def choose(options: Sequence[Corruption], seed: int, text: str) -> Corruption | None:
    """One of ``options``, picked by a generator seeded with ``seed`` and the text."""
    if not options:
        return None
    return random.Random(f"{seed}:{options[0].kind}:{text}").choice(list(options))


# --- the pool ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolSentence:
    origin: str  # "mqm" or a corpora file name
    text: str
    reference: str | None


def corpora_sentences(folder: Path) -> list[PoolSentence]:
    """Sentences of ``folder/*.de.txt`` without an expected finding (per *.expected.tsv)."""
    from mtcheck.flags.tokens import split_sentences, tokenize

    pool = []
    for path in sorted(folder.glob("*.de.txt")):
        expected = path.with_name(path.name.replace(".de.txt", ".expected.tsv"))
        marks: set[tuple[int, int]] = set()
        if expected.is_file():
            with expected.open(encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                    marks.add((int(row["line"]), int(row["column"]) - 1))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            tokens = tokenize(line)
            for first, last in split_sentences(tokens):
                start, end = tokens[first].start, tokens[last - 1].end
                if any(n == number and start <= col < end for n, col in marks):
                    continue
                pool.append(PoolSentence(path.name, line[start:end], None))
    return pool


def mqm_sentences(data: Path) -> list[PoolSentence]:
    seen: dict[str, PoolSentence] = {}
    for segment in load_or_exit(data):
        if segment.clean and segment.target.strip() and segment.target not in seen:
            seen[segment.target] = PoolSentence("mqm", segment.target, segment.source)
    return list(seen.values())


class Lexicon:
    """Lemmas and participle look-ups from a plain HanTa model."""

    def __init__(self) -> None:
        from HanTa.HanoverTagger import HanoverTagger

        self.hanta = HanoverTagger("morphmodel_ger.pgz")

    def lemma(self, word: Word) -> str:
        return self.hanta.analyze(word.text, pos=word.tag, taglevel=1)[0].lower()

    def known(self, form: str, lemma: str) -> bool:
        analyses = self.hanta.cache.get(form.lower(), ())
        for tag_id, _ in analyses:
            tag = self.hanta.int2tag.get(tag_id, "")
            if tag in ("VV(PP)", "VA(PP)"):
                if self.hanta.analyze(form, pos=tag, taglevel=1)[0].lower() == lemma:
                    return True
        return False

    def preferred(self, form: str) -> bool:
        analyses = self.hanta.cache.get(form.lower())
        if not analyses:
            return False
        best = max(analyses, key=lambda analysis: analysis[1])[0]
        return self.hanta.int2tag.get(best, "").endswith("(PP)")


def tagged_words(text: str) -> list[Word]:
    from mtcheck.flags.text import SegmentText

    segment = SegmentText(text)
    words = []
    for index, (first, last) in enumerate(segment.sentences):
        tags = segment.sentence_tags(index)
        for token, tag in zip(segment.tokens[first:last], tags, strict=True):
            words.append(Word(token.text, token.start, token.end, tag))
    return words


def flags_of(sentence: str, reference: str | None):
    from mtcheck.flags import check_segments

    return check_segments([make_segment(1, sentence, reference)])[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Corrupt correct German at known places (verb second in subordinate "
        "clauses, participle after a modal, missing infinitive-clause comma) and measure "
        "which flags catch them at the right span."
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help=f"MQM folder or TSV (default {DEFAULT_DATA})",
    )
    parser.add_argument(
        "--corpora", type=Path, default=ROOT / "corpora", help="folder of *.de.txt drafts"
    )
    parser.add_argument(
        "--out", type=Path, default=ROOT / "out" / "perturb", help="where corruptions go"
    )
    parser.add_argument("--seed", type=int, default=13, help="random seed (default 13)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the numbers here")
    parser.add_argument(
        "--examples", type=int, default=0, metavar="N", help="print N missed corruptions a kind"
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    pool = sorted(
        mqm_sentences(args.data) + corpora_sentences(args.corpora),
        key=lambda s: (s.origin != "mqm", s.origin, s.text),
    )
    lexicon = Lexicon()
    participles = Participles(lexicon.known, lexicon.preferred)
    tagged = [tagged_words(sentence.text) for sentence in pool]
    for words in tagged:
        for word in words:
            if word.tag in ("VV(PP)", "VA(PP)") and word.text.isalpha():
                participles.observe(lexicon.lemma(word), word.text)

    corruptions: list[tuple[int, Corruption]] = []
    for number, (sentence, words) in enumerate(zip(pool, tagged, strict=True)):
        for options in (
            verb_second(sentence.text, words),
            modal_participle(sentence.text, words, lexicon.lemma, participles),
            infinitive_comma(sentence.text, words),
        ):
            picked = choose(options, args.seed, sentence.text)
            if picked is not None:
                corruptions.append((number, picked))

    from mtcheck.flags import RuleSettings

    rules = RuleSettings().enabled()
    original_flags = [flags_of(s.text, s.reference) for s in pool]
    caught = {kind: Counter() for kind in KINDS}
    count = Counter()
    missed: dict[str, list] = {kind: [] for kind in KINDS}
    records = []
    for number, corruption in corruptions:
        sentence = pool[number]
        flags = flags_of(corruption.corrupted, sentence.reference)
        hits = {f.rule for f in flags if overlaps(f.span, corruption.place)}
        count[corruption.kind] += 1
        for name in hits:
            caught[corruption.kind][name] += 1
        if hits:
            caught[corruption.kind]["(any rule)"] += 1
        elif len(missed[corruption.kind]) < args.examples:
            missed[corruption.kind].append(corruption)
        records.append(
            {
                "id": f"{corruption.kind}-{len(records) + 1}",
                "origin": sentence.origin,
                "original": sentence.text,
                "reference": sentence.reference,
                **asdict(corruption),
                "place_text": corruption.corrupted[slice(*corruption.place)],
                "caught_by": sorted(hits),
            }
        )
    seconds = time.perf_counter() - started

    corrupted_originals = sorted({number for number, _ in corruptions})
    names = [*rules, "(any rule)"]

    def flagged(indices, name):
        return sum(
            any(name == "(any rule)" or f.rule == name for f in original_flags[i]) for i in indices
        )

    headers = (
        "rule",
        *(f"{kind} (/{count[kind]})" for kind in KINDS),
        f"all (/{len(corruptions)})",
        f"originals flagged (/{len(corrupted_originals)})",
        f"pool flagged (/{len(pool)})",
    )
    rows = []
    result_rules = {}
    for name in names:
        total = sum(caught[kind][name] for kind in KINDS)
        on_originals = flagged(corrupted_originals, name)
        on_pool = flagged(range(len(pool)), name)
        rows.append(
            (
                name,
                *(f"{caught[k][name]} {ratio(caught[k][name], count[k])}" for k in KINDS),
                f"{total} {ratio(total, len(corruptions))}",
                f"{on_originals} {ratio(on_originals, len(corrupted_originals))}",
                f"{on_pool} {ratio(on_pool, len(pool))}",
            )
        )
        result_rules[name] = {
            "caught": {k: caught[k][name] for k in KINDS},
            "catch_rate": {k: share(caught[k][name], count[k]) for k in KINDS},
            "caught_all": total,
            "catch_rate_all": share(total, len(corruptions)),
            "originals_flagged": on_originals,
            "originals_flag_rate": share(on_originals, len(corrupted_originals)),
            "pool_flagged": on_pool,
            "pool_flag_rate": share(on_pool, len(pool)),
        }

    args.out.mkdir(parents=True, exist_ok=True)
    corruptions_path = args.out / "corruptions.jsonl"
    with corruptions_path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")

    mqm_count = sum(s.origin == "mqm" for s in pool)
    print(
        f"pool: {len(pool)} correct sentences ({mqm_count} MQM No-error targets, "
        f"{len(pool) - mqm_count} corpora sentences); {len(corruptions)} corruptions "
        f"(seed {args.seed}) in {corruptions_path}; {seconds:.1f} s"
    )
    print(format_table(headers, rows))
    print("caught = a flag of the rule overlaps the corrupted place")
    for kind in KINDS:
        if missed[kind]:
            print(f"\nmissed {kind}:")
            for corruption in missed[kind]:
                print(f"  {corruption.corrupted}")
                print(f"    place: {corruption.corrupted[slice(*corruption.place)]!r}")

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        report = {
            "seed": args.seed,
            "pool": len(pool),
            "pool_mqm": mqm_count,
            "corruptions": dict(count),
            "corrupted_originals": len(corrupted_originals),
            "corruptions_file": str(corruptions_path),
            "seconds": seconds,
            "rules": result_rules,
        }
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
