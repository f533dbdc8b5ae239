"""`mtcheck check` end to end on the seed draft (read in place from ../shared/seed/)."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from mtcheck.cli import main
from tests.helpers import SEED_DE, SEED_EN, assert_contract, flags_by_rule, requires_seed

pytestmark = requires_seed


@pytest.fixture(scope="module")
def seed_report(tiny_model, tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache") / "cache.sqlite"
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(SEED_DE),
            "--reference",
            str(SEED_EN),
            "--format",
            "json",
            "--model",
            str(tiny_model),
            "--cache",
            str(cache),
        ],
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_report_follows_the_json_contract(seed_report):
    assert_contract(seed_report)
    assert seed_report["model"]["name"].endswith(str(seed_report["model"]["name"]).split("/")[-1])
    document = seed_report["documents"][0]
    assert document["scores"] is not None
    assert set(document["scores"]["signatures"]) >= {"bleu", "chrf", "ter"}
    assert "version:" in document["scores"]["signatures"]["chrf"]


def test_every_flag_points_at_its_text_in_the_file(seed_report):
    lines = SEED_DE.read_text(encoding="utf-8").split("\n")
    count = 0
    for segment in seed_report["documents"][0]["segments"]:
        for flag in segment["flags"]:
            start, end = flag["span"]
            flagged = segment["target"][start:end]
            assert flagged, flag
            column = flag["column"] - 1
            in_file = lines[flag["line"] - 1][column : column + len(flagged)]
            assert in_file == flagged, flag
            count += 1
    assert count >= 5


def _flagged_texts(report, rule):
    return [
        (segment, segment["target"][flag["span"][0] : flag["span"][1]], flag)
        for segment, flag in flags_by_rule(report, rule)
    ]


def test_seed_errors_are_flagged(seed_report):
    modal = _flagged_texts(seed_report, "modal-participle")
    assert [text for _, text, _ in modal] == ["soll versucht"]
    assert modal[0][2]["suggestion"] and "versucht haben" in modal[0][2]["suggestion"]

    verb = _flagged_texts(seed_report, "verb-final-subclause")
    assert len(verb) == 1
    segment, text, _ = verb[0]
    clause = "dass letztendlich Nvidias Kunden werden die Produkte nicht mehr brauchen"
    clause_start = segment["target"].index(clause)
    span = verb[0][2]["span"]
    assert clause_start <= span[0] and span[1] <= clause_start + len(clause)

    comma = _flagged_texts(seed_report, "infinitive-comma")
    assert len(comma) == 1
    segment, text, flag = comma[0]
    at = segment["target"].index("Um diese Ziele zu erreichen wird")
    assert at <= flag["span"][0] < at + len("Um diese Ziele zu erreichen wird")

    english = _flagged_texts(seed_report, "untranslated-text") + _flagged_texts(
        seed_report, "term-inconsistency"
    )
    assert any("AI" in text and "AI Cloud" in segment["target"] for segment, text, _ in english)

    formats = _flagged_texts(seed_report, "number-format")
    assert [text for _, text, _ in formats] == ["25%"]


def test_no_number_mismatch_on_the_seed(seed_report):
    assert flags_by_rule(seed_report, "number-mismatch") == []


def test_changed_number_is_a_number_mismatch(tiny_model, tmp_path):
    changed = tmp_path / "changed.de.txt"
    changed.write_text(
        SEED_DE.read_text(encoding="utf-8").replace("20 Millionen", "30 Millionen"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(changed),
            "-r",
            str(SEED_EN),
            "--format",
            "json",
            "--model",
            str(tiny_model),
            "--no-cache",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    hits = flags_by_rule(report, "number-mismatch")
    assert len(hits) == 1
    segment, flag = hits[0]
    assert "30 Millionen" in segment["target"]
    assert "30" in segment["target"][flag["span"][0] : flag["span"][1]]


def test_disclaimer_has_no_reference_and_is_one_to_zero(seed_report):
    segments = seed_report["documents"][0]["segments"]
    disclaimer = [s for s in segments if s["paragraph"] == 7]
    assert len(disclaimer) == 3
    assert all(s["reference"] is None and s["alignment"] == "1-0" for s in disclaimer)
    assert all(s["scores"] is None for s in disclaimer)
    assert [s["line"] for s in disclaimer] == [8, 8, 8]


def test_disclaimer_is_an_addition_and_no_sentence_is_omitted(seed_report):
    additions = _flagged_texts(seed_report, "addition")
    assert [segment["paragraph"] for segment, _, _ in additions] == [7, 7, 7]
    assert all(text == segment["target"] for segment, text, _ in additions)
    assert all("disclaimer" in flag["message"] for _, _, flag in additions)
    assert flags_by_rule(seed_report, "omission") == []


def test_cited_sentence_is_aligned_to_its_english_counterpart(seed_report):
    segments = seed_report["documents"][0]["segments"]
    holding = [s for s in segments if "Laut anonymen Quellen" in s["target"]]
    assert len(holding) == 1
    assert "zitiert von The Information." in holding[0]["target"]
    assert holding[0]["reference"].startswith(
        "According to anonymous sources cited by The Information,"
    )


def test_text_report_when_piped_is_plain_and_lists_flags(tiny_model, tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(SEED_DE),
            "-r",
            str(SEED_EN),
            "--model",
            str(tiny_model),
            "--cache",
            str(tmp_path / "c.sqlite"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.stdout
    line = re.search(
        rf"^{re.escape(str(SEED_DE))}:(\d+):(\d+)  major\s+modal-participle  .+→ .*versucht haben",
        result.stdout,
        re.M,
    )
    assert line, result.stdout
    assert "Segments, worst first" in result.stdout
    assert "BLEU" in result.stdout and "chrF" in result.stdout
