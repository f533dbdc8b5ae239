"""The demo corpora through the whole pipeline: the findings written down in
corpora/<name>.expected.tsv, at their line and column, and nothing else."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from mtcheck.cli import main
from mtcheck.model import Translation
from mtcheck.pipeline import run_check
from tests.helpers import CORPORA, assert_contract

DOCUMENTS = ("windpark", "bibliothek")


def expected(name: str) -> set[tuple[int, int, str, str]]:
    with open(CORPORA / f"{name}.expected.tsv", encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {(int(r["line"]), int(r["column"]), r["rule"], r["text"]) for r in rows}


# The expected files list what the German checks find segment by segment; the rules that
# read the sentence alignment are checked on the corpora in tests/test_omission_addition.py.
ALIGNMENT_RULES = {"omission", "addition"}


def found(report: dict) -> set[tuple[int, int, str, str]]:
    return {
        (flag["line"], flag["column"], flag["rule"], segment["target"][slice(*flag["span"])])
        for segment in report["documents"][0]["segments"]
        for flag in segment["flags"]
        if flag["rule"] not in ALIGNMENT_RULES
    }


def check_json(name: str, *extra: str) -> dict:
    result = CliRunner().invoke(
        main,
        ["check", str(CORPORA / f"{name}.de.txt"), "-r", str(CORPORA / f"{name}.en.txt"),
         "-f", "json", *extra],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert_contract(report)
    return report


@pytest.mark.parametrize("name", DOCUMENTS)
def test_flags_only_gives_exactly_the_expected_findings(name):
    assert found(check_json(name, "--no-backtranslation")) == expected(name)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_with_a_model_the_text_flags_stay_and_only_low_adequacy_is_added(name, tiny_model):
    report = check_json(name, "--model", str(tiny_model))
    rows = found(report)
    assert expected(name) <= rows
    assert {rule for _, _, rule, _ in rows - expected(name)} <= {"low-adequacy"}


def test_unpaired_german_paragraph_is_reported_one_to_zero():
    report = check_json("bibliothek", "--no-backtranslation")
    segments = report["documents"][0]["segments"]
    last_line = max(s["line"] for s in segments)
    closing = [s for s in segments if s["line"] == last_line]
    assert closing and all(s["alignment"] == "1-0" and s["reference"] is None for s in closing)
    assert all(s["alignment"] == "1-1" for s in segments if s["line"] != last_line)


class ReferenceEcho:
    """A stand-in translator whose back-translations are given per German sentence."""

    def __init__(self, table: dict[str, str]) -> None:
        from mtcheck.model import ModelInfo

        self.table = table
        self.info = ModelInfo(name="echo", revision=None, device="cpu")

    def translate(self, texts):
        return [Translation(self.table.get(t, ""), -1.0) for t in texts]

    def score(self, sources, targets):
        return [-1.0 for _ in sources]


def test_backtranslations_expose_an_omitted_sentence(tmp_path):
    de_sentences = [
        "Die Stadtwerke Ulm haben 2023 insgesamt 120 neue Ladesäulen aufgestellt.",
        "Der Bürgermeister nannte das einen großen Schritt für die Region "
        "und lobte die Mitarbeiter.",
        "Bis 2030 sollen es 900 sein.",
    ]
    en_sentences = [
        "In 2023 the Ulm municipal utility installed a total of 120 new charging points.",
        "Most of the money for the project came from a federal programme for cleaner transport.",
        "The mayor called it a big step for the region and praised the staff.",
        "By 2030 there are to be 900.",
    ]
    backtranslations = [
        "In 2023, Stadtwerke Ulm set up a total of 120 new charging stations.",
        "The mayor called this a big step for the region and praised the employees.",
        "By 2030 there should be 900.",
    ]
    draft = tmp_path / "ulm.de.txt"
    draft.write_text(" ".join(de_sentences) + "\n", encoding="utf-8")
    reference = tmp_path / "ulm.en.txt"
    reference.write_text(" ".join(en_sentences) + "\n", encoding="utf-8")
    translator = ReferenceEcho(dict(zip(de_sentences, backtranslations, strict=True)))
    result = run_check([(draft, reference)], translator=translator)
    segments = result.documents[0].segments
    assert [s.segment.alignment for s in segments] == ["1-1", "0-1", "1-1", "1-1"]
    omitted = segments[1]
    assert omitted.segment.target == "" and omitted.segment.reference == en_sentences[1]
    assert omitted.scores is not None and omitted.scores.chrf == 0.0
    assert [s.backtranslation for s in segments if s.segment.target] == backtranslations
