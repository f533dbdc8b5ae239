"""scripts/rank_systems.py end to end on a small synthetic MQM file (4 systems, 5 segments
each), written in tmp_path: expert MQM scores checked against hand-computed figures, the
correlations against scipy on the printed per-system numbers, mtcheck's figures against the
audit's own summary.json."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("scipy")
from scipy.stats import kendalltau, pearsonr  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "rank_systems.py"
SCRIPTS = str(ROOT / "scripts")
if SCRIPTS not in sys.path:
    sys.path.insert(0, SCRIPTS)

rank_systems = importlib.import_module("rank_systems")
mqm = importlib.import_module("_mqm")

CLEAN = [
    "Das ist ein guter Satz.",
    "Wir gehen heute nach Hause.",
    "Die Sonne scheint hell.",
    "Der Hund schläft im Garten.",
    "Sie liest gern Bücher.",
]
SOURCES = [
    "That is a good sentence.",
    "We are going home today.",
    "The sun is shining brightly.",
    "The dog is sleeping in the garden.",
    "She likes reading books.",
]
# (doc, doc_id) of the five segments: two talks.
PLACES = [("talk.1", 1), ("talk.1", 2), ("talk.1", 3), ("talk.2", 1), ("talk.2", 2)]


def _row(system, seg, target, category="No-error", severity="No-error", rater="rater1"):
    doc, doc_id = PLACES[seg - 1]
    source = SOURCES[seg - 1]
    return [system, doc, str(doc_id), str(seg), rater, source, target, category, severity, ""]


def synthetic_rows() -> list[list[str]]:
    """Rows of the synthetic file. Expert scores (Freitag et al. weights):

    A: seg 4 Minor Fluency/Punctuation 0.1                                  -> 0.1
    B: seg 2 Major Accuracy 5, seg 3 Minor Style 1                          -> 6
    C: seg 1 rater1 Major Grammar 5 + Minor Punctuation 0.1 = 5.1, rater2 Minor Grammar 1
       -> mean 3.05; seg 4 Neutral 0; seg 5 Major Fluency/Punctuation 5   -> 8.05
    D: seg 3 Major Non-translation! 25, seg 5 Minor Other 1                -> 26
    """
    targets = {system: list(CLEAN) for system in "ABCD"}
    targets["B"][1] = "Er soll versucht, das Problem zu lösen."  # modal-participle (major)
    targets["C"][0] = "Um diese Ziele zu erreichen wird das Team hart arbeiten."  # comma (minor)
    targets["D"][2] = "Die AI Cloud ist schnell."  # untranslated-text (major)
    targets["D"][4] = "Ich weiß, dass er kommt morgen."  # verb-final-subclause (major)
    errors = {
        ("A", 4): [("Der Hund schläft im Garten<v></v>.", "Fluency/Punctuation", "Minor")],
        ("B", 2): [
            ("Er soll <v>versucht</v>, das Problem zu lösen.", "Accuracy/Mistranslation", "Major")
        ],
        ("B", 3): [("Die Sonne <v>scheint</v> hell.", "Style/Awkward", "Minor")],
        ("C", 1): [
            (
                "Um diese Ziele zu erreichen <v>wird</v> das Team hart arbeiten.",
                "Fluency/Grammar",
                "Major",
            ),
            (
                "Um diese Ziele zu erreichen<v></v> wird das Team hart arbeiten.",
                "Fluency/Punctuation",
                "Minor",
            ),
            (
                "Um diese Ziele zu erreichen wird das <v>Team</v> hart arbeiten.",
                "Fluency/Grammar",
                "Minor",
                "rater2",
            ),
        ],
        ("C", 4): [("Der <v>Hund</v> schläft im Garten.", "Other", "Neutral")],
        ("C", 5): [("Sie liest gern Bücher<v></v>.", "Fluency/Punctuation", "Major")],
        ("D", 3): [("<v>Die AI Cloud ist schnell.</v>", "Non-translation!", "Major")],
        ("D", 5): [("Ich weiß, dass er <v>kommt</v> morgen.", "Other", "Minor")],
    }
    rows = []
    for seg in range(1, 6):  # file order: segment by segment, systems interleaved
        for system in "ABCD":
            marked = errors.get((system, seg))
            if marked is None:
                rows.append(_row(system, seg, targets[system][seg - 1]))
                continue
            for target, category, severity, *rater in marked:
                rows.append(_row(system, seg, target, category, severity, *rater))
    return rows


EXPECTED_TOTAL = {"A": 0.1, "B": 6.0, "C": 8.05, "D": 26.0}
# Words by hand (every target is plain words and a final full stop or comma).
EXPECTED_WORDS = {"A": 23, "B": 25, "C": 28, "D": 26}


@pytest.fixture()
def data(tmp_path) -> Path:
    folder = tmp_path / "mqm"
    folder.mkdir()
    lines = ["\t".join(mqm.COLUMNS)] + ["\t".join(row) for row in synthetic_rows()]
    (folder / "synthetic.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120
    )


def test_error_weights_follow_the_wmt_mqm_scheme():
    weight = rank_systems.error_weight
    assert weight(mqm.MqmError("Accuracy/Mistranslation", "Major", None)) == 5
    assert weight(mqm.MqmError("Non-translation!", "Major", None)) == 25
    assert weight(mqm.MqmError("Fluency/Punctuation", "Major", None)) == 5
    assert weight(mqm.MqmError("Fluency/Punctuation", "Minor", None)) == 0.1
    assert weight(mqm.MqmError("Style/Awkward", "Minor", None)) == 1
    assert weight(mqm.MqmError("Other", "Neutral", None)) == 0
    with pytest.raises(mqm.DataError, match="unknown MQM severity"):
        weight(mqm.MqmError("Other", "Critical", None))


def test_end_to_end_expert_scores_and_correlations(data, tmp_path):
    work = tmp_path / "work"
    report_file = tmp_path / "out" / "rank.json"
    done = run("--data", str(data), "--work", str(work), "--json", str(report_file))
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "4 systems, 20 system-segments, at most 2 rater(s) per segment" in text
    assert "positive = agreement" in text
    assert "Pearson r" in text and "Kendall tau-b" in text

    report = json.loads(report_file.read_text(encoding="utf-8"))
    systems = {entry["system"]: entry for entry in report["systems"]}
    assert [entry["system"] for entry in report["systems"]] == ["A", "B", "C", "D"]
    summary = json.loads((work / "audit" / "summary.json").read_text(encoding="utf-8"))
    assert summary["group_by"] == "system"
    assert summary["model"] is None  # flags only
    for name, entry in systems.items():
        assert entry["segments"] == 5
        assert entry["words"] == EXPECTED_WORDS[name]
        assert entry["expert_mqm_total"] == pytest.approx(EXPECTED_TOTAL[name])
        assert entry["expert_mqm_per_segment"] == pytest.approx(EXPECTED_TOTAL[name] / 5)
        assert entry["expert_penalty_per_1000_words"] == pytest.approx(
            1000 * EXPECTED_TOTAL[name] / EXPECTED_WORDS[name]
        )
        group = summary["groups"][name]
        assert entry["mtcheck_penalty_per_1000_words"] == group["penalty_per_1000_words"]
        assert entry["flags"] == group["flags"]
    assert systems["A"]["rank_expert_mqm_per_segment"] == 1
    assert systems["D"]["rank_expert_mqm_per_segment"] == 4

    # The audit table: each system's talk one run of adjacent rows, English source kept.
    records = [json.loads(line) for line in (work / "segments.jsonl").read_text().splitlines()]
    assert [r["doc"] for r in records[:5]] == ["A/talk.1"] * 3 + ["A/talk.2"] * 2
    assert records[0]["reference"] == SOURCES[0]

    ours = [entry["mtcheck_penalty_per_1000_words"] for entry in report["systems"]]
    assert len(set(ours)) > 1, "the synthetic targets should give different mtcheck penalties"
    assert systems["A"]["flags"] == 0  # plain German, no numbers in the English source
    for name in ("expert_mqm_per_segment", "expert_penalty_per_1000_words"):
        theirs = [entry[name] for entry in report["systems"]]
        stats = report["correlations"][name]
        pearson, kendall = pearsonr(ours, theirs), kendalltau(ours, theirs)
        assert stats["pearson_r"] == pytest.approx(pearson.statistic)
        assert stats["pearson_p"] == pytest.approx(pearson.pvalue)
        assert stats["kendall_tau_b"] == pytest.approx(kendall.statistic)
        assert stats["kendall_p"] == pytest.approx(kendall.pvalue)
        assert f"Pearson r = {stats['pearson_r']:.3f}" in text


def test_json_to_stdout_and_exclude(data):
    done = run("--data", str(data), "--json", "-", "--exclude", "A")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [entry["system"] for entry in report["systems"]] == ["B", "C", "D"]
    assert report["excluded"] == ["A"]


def test_missing_data_folder_is_refused_with_exit_2(tmp_path):
    missing = tmp_path / "no-such-folder"
    done = run("--data", str(missing))
    assert done.returncode == 2
    assert done.stdout == ""
    assert f"MQM data not found at {missing}" in done.stderr
    assert "--data" in done.stderr
    assert "Traceback" not in done.stderr
