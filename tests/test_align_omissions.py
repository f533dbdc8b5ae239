"""The aligner leaves a dropped or added sentence unlinked, and links split, joined,
swapped and re-paragraphed text without leaving anything unlinked (no back-translations:
the flags-only case)."""

import subprocess
import sys
from pathlib import Path

import mtcheck.align as align
from mtcheck.align import (
    MIN_VARIANCE,
    VARIANCE,
    align_sentences,
    length_model,
    pair_paragraphs,
)
from mtcheck.flags import RuleSettings, check_segments
from mtcheck.model import Alignment, Sentence
from mtcheck.pipeline import align_document

EN = [
    "The library in Kassel will stay closed for three weeks in August.",
    "Workers are replacing the old heating system and painting the reading rooms.",
    "Readers can return borrowed books at the town hall during that time.",
    "The library expects to reopen on 2 September with longer opening hours.",
    "Its director thanked the city council for paying for the repairs.",
]
DE = [
    "Die Bibliothek in Kassel bleibt im August drei Wochen lang geschlossen.",
    "Arbeiter ersetzen die alte Heizungsanlage und streichen die Lesesäle.",
    "Leser können ausgeliehene Bücher in dieser Zeit im Rathaus zurückgeben.",
    "Die Bibliothek rechnet damit, am 2. September mit längeren Öffnungszeiten wieder zu öffnen.",
    "Ihre Leiterin dankte dem Stadtrat dafür, dass er die Reparaturen bezahlt.",
]
RATIO = 1.1


def sentences(*texts: str, paragraph: int = 1) -> list[Sentence]:
    result, start = [], 0
    for text in texts:
        result.append(Sentence(paragraph, start, start + len(text), text))
        start += len(text) + 1
    return result


def links(de: list[str], en: list[str], **options) -> list[tuple[str, list[str], list[str]]]:
    result = align_sentences(sentences(*de), sentences(*en), ratio=RATIO, **options)
    return [(a.kind, [s.text for s in a.target], [s.text for s in a.reference]) for a in result]


def link(de_length: int, en_length: int) -> Alignment:
    de = Sentence(1, 0, de_length, "d" * de_length)
    en = Sentence(1, 0, en_length, "e" * en_length)
    return Alignment("1-1", (de,), (en,))


def test_variance_of_close_translations_is_below_gale_and_church():
    # Twenty links whose German is within a few characters of 1.1 times the English.
    close = [link(round(1.1 * n) + (n % 5) - 2, n) for n in range(60, 160, 5)]
    assert MIN_VARIANCE <= length_model(close, RATIO)[1] < VARIANCE / 2


def test_variance_of_loose_translations_is_above_gale_and_church():
    loose = [link(round(1.1 * n) + (40 if n % 10 else -40), n) for n in range(60, 160, 5)]
    assert length_model(loose, RATIO)[1] > VARIANCE


def test_variance_of_a_few_links_stays_near_gale_and_church():
    few = [link(round(1.1 * n), n) for n in (60, 80)]
    assert length_model(few, RATIO)[1] > VARIANCE / 2


def kinds(de: list[str], en: list[str]) -> list[str]:
    return [kind for kind, _de, _en in links(de, en)]


def test_deleted_sentence_is_left_unlinked_at_its_place():
    de = DE[:3] + DE[4:]
    result = links(de, EN)
    assert [kind for kind, _, _ in result] == ["1-1", "1-1", "1-1", "0-1", "1-1"]
    assert result[3][2] == [EN[3]]


def test_inserted_sentence_is_left_unlinked_at_its_place():
    extra = "Im Winter fällt in den Bergen oft mehr Schnee als erwartet."
    de = DE[:2] + [extra] + DE[2:]
    # The variance of lengths that length_model finds in machine-translated documents.
    result = links(de, EN, variance=2.0)
    assert [kind for kind, _, _ in result] == ["1-1", "1-1", "1-0", "1-1", "1-1", "1-1"]
    assert result[2][1] == [extra]


def test_sentence_split_at_a_comma_is_linked_two_to_one():
    de = DE[:3] + [
        "Die Bibliothek rechnet damit, am 2. September wieder zu öffnen.",
        "Dann gelten längere Öffnungszeiten.",
        DE[4],
    ]
    assert kinds(de, EN) == ["1-1", "1-1", "1-1", "2-1", "1-1"]


def test_joined_sentences_are_linked_one_to_two():
    joined = (
        "Arbeiter ersetzen die alte Heizungsanlage und streichen die Lesesäle, und Leser "
        "können ausgeliehene Bücher in dieser Zeit im Rathaus zurückgeben."
    )
    de = [DE[0], joined, DE[3], DE[4]]
    assert kinds(de, EN) == ["1-1", "1-2", "1-1", "1-1"]


def test_swapped_sentences_are_linked_one_to_one_not_left_unlinked():
    # Equally long sentences: nothing tells their order, and none is left unlinked.
    de = [DE[0], DE[2], DE[1], DE[3], DE[4]]
    assert kinds(de, EN) == ["1-1"] * 5


def test_swapped_sentences_are_linked_crosswise_where_a_number_tells():
    de = [DE[0], DE[1], DE[2], DE[4], DE[3]]
    result = links(de, EN)
    assert [kind for kind, _, _ in result] == ["1-1"] * 5
    assert result[3] == ("1-1", [DE[4]], [EN[4]])
    assert result[4] == ("1-1", [DE[3]], [EN[3]])


def test_german_of_two_paragraphs_is_never_joined_into_one_link():
    # One English sentence whose German is split across a paragraph break: the two halves
    # may not form one 2-1 link, as a segment lies inside one paragraph.
    first = sentences(DE[0], paragraph=1)
    second = sentences("Zwei Sätze.", paragraph=2)
    result = align_sentences(first + second, sentences(EN[0]), ratio=RATIO)
    assert all(len({s.paragraph for s in a.target}) <= 1 for a in result)


HEADING_EN = "Kassel library closes for repairs"
HEADING_DE = "Bibliothek in Kassel schließt für Reparaturen"


def test_heading_joined_to_its_paragraph_pairs_one_to_two():
    en = [HEADING_EN, " ".join(EN[:3]), " ".join(EN[3:])]
    de = [HEADING_DE + " " + " ".join(DE[:3]), " ".join(DE[3:])]
    assert pair_paragraphs(de, en, ratio=RATIO) == [((0,), (0, 1)), ((1,), (2,))]


def test_paragraph_split_in_two_pairs_two_to_one():
    en = [" ".join(EN[:3]), " ".join(EN[3:])]
    de = [" ".join(DE[:2]), DE[2], " ".join(DE[3:])]
    assert pair_paragraphs(de, en, ratio=RATIO) == [((0, 1), (0,)), ((2,), (1,))]


def test_paragraph_that_lost_a_sentence_is_still_paired():
    en = [" ".join(EN[:3]), " ".join(EN[3:])]
    de = [" ".join(DE[:3]), DE[4]]
    assert pair_paragraphs(de, en, ratio=RATIO) == [((0,), (0,)), ((1,), (1,))]


def check(tmp_path: Path, de: list[str], en: list[str]) -> list[tuple[str, str, str]]:
    """(rule, German, English) of the omission and addition findings of ``check``."""
    (tmp_path / "d.de.txt").write_text("\n".join(de) + "\n", encoding="utf-8")
    (tmp_path / "d.en.txt").write_text("\n".join(en) + "\n", encoding="utf-8")
    segments = align_document(tmp_path / "d.de.txt", tmp_path / "d.en.txt")
    flags = check_segments(segments, None, RuleSettings(select={"omission", "addition"}))
    return [
        (f.rule, s.target, s.reference or "")
        for s, fs in zip(segments, flags, strict=True)
        for f in fs
    ]


def test_check_finds_the_deleted_sentence(tmp_path):
    en = [HEADING_EN, " ".join(EN[:3]), " ".join(EN[3:])]
    de = [HEADING_DE, " ".join(DE[:3]), DE[4]]
    assert check(tmp_path, de, en) == [("omission", "", EN[3])]


def test_check_finds_the_inserted_sentence(tmp_path):
    extra = "Im Winter fällt in den Bergen oft mehr Schnee als erwartet."
    en = [HEADING_EN, " ".join(EN[:3]), " ".join(EN[3:])]
    de = [HEADING_DE, " ".join(DE[:3]), " ".join([DE[3], extra, DE[4]])]
    assert check(tmp_path, de, en) == [("addition", extra, "")]


def test_check_is_quiet_on_a_heading_joined_to_its_paragraph(tmp_path):
    en = [HEADING_EN, " ".join(EN[:3]), " ".join(EN[3:])]
    de = [HEADING_DE + " " + " ".join(DE[:3]), " ".join(DE[3:])]
    assert check(tmp_path, de, en) == []


def test_check_is_quiet_on_a_split_paragraph_and_swapped_sentences(tmp_path):
    en = [HEADING_EN, " ".join(EN[:3]), " ".join(EN[3:])]
    de = [HEADING_DE, " ".join(DE[:2]), DE[2], " ".join([DE[4], DE[3]])]
    assert check(tmp_path, de, en) == []


def test_paragraph_pairing_grows_linearly_with_the_document(monkeypatch):
    calls = []
    cost = align._ParagraphScorer.cost

    def counted(self, *args):
        calls.append(args)
        return cost(self, *args)

    monkeypatch.setattr(align._ParagraphScorer, "cost", counted)

    def evaluations(paragraphs: int) -> int:
        calls.clear()
        en = [" ".join(EN[k % 3 : k % 3 + 2]) for k in range(paragraphs)]
        de = [" ".join(DE[k % 3 : k % 3 + 2]) for k in range(paragraphs)]
        pair_paragraphs(de, en, ratio=RATIO)
        return len(calls)

    small, large = evaluations(60), evaluations(240)
    # Four times the paragraphs: about four times the links scored, not sixteen.
    assert large < 5 * small


def test_eval_alignment_without_data_exits_2_with_one_sentence(tmp_path):
    script = Path(__file__).resolve().parents[1] / "scripts" / "eval_alignment.py"
    result = subprocess.run(
        [sys.executable, str(script), "--data", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "is absent" in result.stderr
