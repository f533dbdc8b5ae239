"""The German checks on whole documents: the demo corpora (exact expected findings) and
the shared seed draft (read in place, skipped when absent)."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import pytest

from mtcheck.flags import RuleSettings, check_segments
from mtcheck.model import Segment
from tests.helpers import make_segment, paragraph_segments, paragraphs, read_lines  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO / "corpora"
SEED = REPO.parent / "shared" / "seed"
DOCUMENTS = ("windpark", "bibliothek")


@lru_cache(maxsize=2)
def _splitter(language: str):
    from somajo import SoMaJo

    return SoMaJo("de_CMC" if language == "de" else "en_PTB", character_offsets=True)


def sentences(text: str, language: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs of one paragraph."""
    result = []
    for sentence in _splitter(language).tokenize_text([text]):
        start, end = sentence[0].character_offset[0], sentence[-1].character_offset[1]
        result.append((start, text[start:end]))
    return result


def flag_rows(segments, settings: RuleSettings | None = None):
    """(line, column, rule, text) of every flag, column 1-based in the line."""
    settings = settings or RuleSettings()
    rows = set()
    for seg, flags in zip(segments, check_segments(segments, settings=settings), strict=True):
        for flag in flags:
            rows.add((seg.line, seg.start + flag.span[0] + 1, flag.rule,
                      seg.target[flag.span[0]:flag.span[1]]))
    return rows


def sentence_segments(german: Path, english: Path, pair_sentences: bool) -> list[Segment]:
    """German sentences; references are the aligned English sentence (when the paragraph
    pair has as many sentences on both sides) or else the whole English paragraph."""
    references = [text for _, text in paragraphs(english)]
    segments = []
    for i, (line, text) in enumerate(paragraphs(german)):
        reference = references[i] if i < len(references) else None
        german_sentences = sentences(text, "de")
        english_sentences = sentences(reference, "en") if reference else []
        for j, (start, sentence) in enumerate(german_sentences):
            if pair_sentences and reference is not None:
                assert len(english_sentences) == len(german_sentences), (line, text)
                sentence_reference = english_sentences[j][1]
            else:
                sentence_reference = reference
            segments.append(make_segment(sentence, sentence_reference, line, start))
    return segments


# --- demo corpora ----------------------------------------------------------------------------


def expected_rows(name: str) -> set[tuple[int, int, str, str]]:
    with (CORPORA / f"{name}.expected.tsv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        assert reader.fieldnames == ["line", "column", "rule", "text"]
        return {(int(r["line"]), int(r["column"]), r["rule"], r["text"]) for r in reader}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_corpus_files_are_well_formed(name):
    german, english = CORPORA / f"{name}.de.txt", CORPORA / f"{name}.en.txt"
    german_paragraphs, english_paragraphs = paragraphs(german), paragraphs(english)
    assert 4 <= len(english_paragraphs) <= len(german_paragraphs) <= len(english_paragraphs) + 1
    lines = read_lines(german)
    rows = expected_rows(name)
    assert rows
    for line, column, rule, text in rows:
        assert lines[line - 1][column - 1:column - 1 + len(text)] == text
        assert rule != "low-adequacy"


def test_corpora_cover_every_rule_but_low_adequacy():
    rules = {row[2] for name in DOCUMENTS for row in expected_rows(name)}
    assert rules == {"modal-participle", "verb-final-subclause", "infinitive-comma",
                     "untranslated-text", "term-inconsistency", "number-mismatch",
                     "number-format"}
    size = sum(len(p.read_bytes()) for p in CORPORA.glob("*.txt"))
    assert size >= 2000


@pytest.mark.parametrize("name", DOCUMENTS)
def test_corpus_findings_per_paragraph(name):
    segments = paragraph_segments(CORPORA / f"{name}.de.txt", CORPORA / f"{name}.en.txt")
    assert flag_rows(segments) == expected_rows(name)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_corpus_findings_per_aligned_sentence(name):
    segments = sentence_segments(CORPORA / f"{name}.de.txt", CORPORA / f"{name}.en.txt",
                                 pair_sentences=True)
    assert len(segments) > len(paragraphs(CORPORA / f"{name}.de.txt"))
    assert flag_rows(segments) == expected_rows(name)


# --- the shared seed draft --------------------------------------------------------------------

needs_seed = pytest.mark.skipif(not (SEED / "tiktok-microsoft.de.txt").is_file(),
                                reason="shared seed draft not available")


def seed_paths():
    return SEED / "tiktok-microsoft.de.txt", SEED / "tiktok-microsoft.en.txt"


def check_seed_rows(rows):
    """The seed's known errors, and nothing else."""
    by_rule = {}
    for _, _, rule, text in rows:
        by_rule.setdefault(rule, []).append(text)
    clause = by_rule.pop("verb-final-subclause")
    assert len(clause) == 1
    assert clause[0].startswith("dass ") and " werden " in clause[0]
    assert clause[0].endswith(" brauchen")
    # "seine eigenen KI-Modelle" refers back to the feminine "Muttergesellschaft": "ihre".
    assert by_rule == {"modal-participle": ["soll versucht"], "infinitive-comma": ["erreichen"],
                       "untranslated-text": ["AI Cloud"], "number-format": ["25%"],
                       "possessive-gender": ["seine"]}


@needs_seed
def test_seed_per_paragraph():
    german, english = seed_paths()
    segments = paragraph_segments(german, english)
    assert len(segments) == 7 and segments[-1].reference is None
    rows = flag_rows(segments)
    check_seed_rows(rows)
    assert not any(rule == "number-mismatch" for _, _, rule, _ in rows)


@needs_seed
def test_seed_per_sentence_and_correct_sentences_stay_clean():
    german, english = seed_paths()
    # Whole-paragraph references would make every other sentence's numbers "missing".
    settings = RuleSettings(ignore=frozenset({"number-mismatch"}))
    segments = sentence_segments(german, english, pair_sentences=False)
    check_seed_rows(flag_rows(segments, settings))
    results = check_segments(segments, settings=settings)
    clean = [seg.target for seg, flags in zip(segments, results, strict=True) if not flags]
    for start in ("Wenn dies erfolgreich", "Es bleibt zu hoffen, dass"):
        assert any(s.startswith(start) for s in clean), start
    assert any("KI-Chips zu bauen." in s for s in clean)


@needs_seed
def test_seed_changed_number_is_a_mismatch():
    german, english = seed_paths()
    segments = paragraph_segments(german, english)
    index = next(i for i, s in enumerate(segments) if "20 Millionen" in s.target)
    changed = segments[index].target.replace("20 Millionen", "30 Millionen")
    segments[index] = make_segment(changed, segments[index].reference, segments[index].line, 0)
    results = check_segments(segments, settings=RuleSettings(select={"number-mismatch"}))
    assert [i for i, flags in enumerate(results) if flags] == [index]
    (flag,) = results[index]
    assert changed[flag.span[0]:flag.span[1]] == "30 Millionen"
    assert flag.suggestion == "20 Millionen"
