"""scripts/eval_flags.py on the WMT 2023 MQM layout (three raters a segment), with exact
numbers from tiny synthetic files and hand-made flags; one test reads the shared data and
skips when it is absent."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import pytest

from mtcheck.model import Flag

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

mqm = importlib.import_module("_mqm")
eval_flags = importlib.import_module("eval_flags")

SOURCE = "He says yes and leaves."
QUOTED = 'Er sagt "ja" und geht.'  # '"' at 8, "ja" 9-11, "geht" 17-21, "." at 21
QUOTE, GEHT, END = (8, 9), (17, 21), (21, 21)


def wmt(system, seg, rater, target, category="No-error", severity="No-error", doc="d1"):
    """A WMT 2023 row: ``seg`` is both docSegId and (plus 10) globalSegId."""
    return [system, doc, str(seg), str(seg + 10), rater, SOURCE, target, category, severity]


def wmt_rows():
    return [
        # segment 2 first in the file: documents() must put it back in docSegId order
        *(wmt("S", 2, rater, "Alles gut.") for rater in ("r1", "r2", "r3")),
        wmt("S", 1, "r1", 'Er sagt <v>"</v>ja" und geht.', "Fluency/Punctuation", "Minor"),
        wmt("S", 1, "r2", 'Er sagt "ja" und <v>geht</v>.', "Fluency/Grammar", "Major"),
        wmt("S", 1, "r3", 'Er sagt "ja" und geht<v></v>.', "Fluency/Grammar", "Minor"),
        wmt("S", 1, "r3", QUOTED, "Found", "HOTW-test"),  # an attention check, no error
        wmt("S", 3, "r1", "Nur einer."),
        wmt("S", 3, "r2", "Nur einer."),
        wmt("S", 3, "r3", "Nur <v>einer</v>.", "Style/Awkward", "Minor"),
        *(wmt("T", 1, rater, "Er sagt ja und geht.") for rater in ("r4", "r5", "r6")),
    ]


def write_tsv(path: Path, columns, rows) -> Path:
    lines = ["\t".join(columns), *("\t".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def flag(rule, span, severity="major"):
    return Flag(rule, "Fluency/Grammar", severity, "m", None, span)


@pytest.fixture
def segments():
    parsed, count = mqm.parse_rows(wmt_rows(), mqm.WMT23)
    assert count == 13
    return {segment.key: segment for segment in parsed}


def fake_flags():
    return {
        ("S", "d1", "11"): (flag("grammar", GEHT), flag("quote", (9, 11), "minor")),
        ("S", "d1", "12"): (flag("grammar", (0, 5)),),  # on the No-error segment
        ("S", "d1", "13"): (flag("style", (4, 9), "minor"),),  # on "einer"
    }


# --- loading -------------------------------------------------------------------------------


def test_wmt_loader_groups_three_raters_into_one_segment(segments):
    assert list(segments) == [
        ("S", "d1", "12"),
        ("S", "d1", "11"),
        ("S", "d1", "13"),
        ("T", "d1", "11"),
    ]
    first = segments["S", "d1", "11"]
    assert first.target == QUOTED and first.source == SOURCE
    assert first.doc_id == 1 and first.raters == {"r1", "r2", "r3"}
    assert first.rows == 4  # the attention-check row is counted, but is no error
    assert [(e.category, e.span, e.rater) for e in first.errors] == [
        ("Fluency/Punctuation", QUOTE, "r1"),
        ("Fluency/Grammar", GEHT, "r2"),
        ("Fluency/Grammar", END, "r3"),
    ]
    assert first.spans("Fluency/Grammar") == [GEHT, END]
    assert [first.text(span) for span in first.spans()] == ['"', "geht", ""]


def test_wmt_clean_means_every_rater_said_no_error(segments):
    clean = {key for key, segment in segments.items() if segment.clean}
    # S/13: two raters said No-error, the third marked an error
    assert clean == {("S", "d1", "12"), ("T", "d1", "11")}
    assert segments["S", "d1", "13"].no_error_raters == {"r1", "r2"}


def test_documents_follow_doc_seg_id(segments):
    grouped = mqm.documents(segments.values())
    assert [[(s.system, s.doc_id) for s in d] for d in grouped] == [
        [("S", 1), ("S", 2), ("S", 3)],
        [("T", 1)],
    ]


def test_trailing_whitespace_in_one_raters_target_is_tolerated_other_changes_are_not():
    rows = [
        wmt("S", 1, "r1", "Ein Satz."),
        wmt("S", 1, "r2", "Ein <v>Satz. </v>", "Other", "Major"),
    ]
    [segment], _ = mqm.parse_rows(rows, mqm.WMT23)
    assert segment.target == "Ein Satz."
    assert segment.spans() == [(4, 9)]  # clipped to the kept target
    with pytest.raises(mqm.DataError, match="two different targets"):
        mqm.parse_rows([wmt("S", 1, "r1", "Eins."), wmt("S", 1, "r2", "Zwei.")], mqm.WMT23)


def test_wmt_loader_checks_header_known_counts_and_names_missing_file(tmp_path):
    small = write_tsv(tmp_path / "small.tsv", mqm.WMT23_COLUMNS, wmt_rows())
    assert len(mqm.load_mqm(small, mqm.WMT23)) == 4
    with pytest.raises(mqm.DataError, match="unexpected header"):
        mqm.load_mqm(small, mqm.TED)  # a WMT file is not a TED file
    known = write_tsv(tmp_path / mqm.WMT23_TSV_NAME, mqm.WMT23_COLUMNS, wmt_rows())
    with pytest.raises(mqm.DataError, match="expected 5801 and 620"):
        mqm.load_mqm(known.parent, mqm.WMT23)
    with pytest.raises(mqm.DataError, match="--data-wmt23") as error:
        mqm.load_mqm(tmp_path / "nowhere", mqm.WMT23)
    assert str(tmp_path / "nowhere") in str(error.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"', True),
        ("„", True),
        ("\u201c ", True),
        (' "', True),
        ('."', True),
        ("'", True),
        ("»", True),
        ("", False),  # an omission marker
        ("-", False),
        (".", False),
        ('"ja"', False),
        ('14"', False),
    ],
)
def test_quotation_span(text, expected):
    assert mqm.is_quotation_span(text) is expected


# --- evaluation ----------------------------------------------------------------------------


def test_evaluate_on_three_raters_counts_each_raters_span(segments):
    result = eval_flags.evaluate(
        list(segments.values()), fake_flags(), ["grammar", "quote", "style", "idle"]
    )
    totals = result.totals
    assert (totals.segments, totals.clean, totals.documents, totals.raters) == (4, 2, 2, 3)
    assert totals.spans == {"Fluency/Punctuation": 1, "Fluency/Grammar": 2, "Style/Awkward": 1}
    assert (totals.fluency, totals.fluency_plain) == (3, 2)  # the '"' span is a quote error

    grammar, quote, style = (result.per_rule[name] for name in ("grammar", "quote", "style"))
    # "geht" overlaps r2's span and touches r3's zero-width span: one flag, two spans hit
    assert (grammar.flags, grammar.on_span, grammar.segments_flagged) == (2, 1, 2)
    assert grammar.clean_flagged == 1
    assert grammar.hits == {"Fluency/Grammar": 2}
    assert (quote.flags, quote.on_span, quote.clean_flagged) == (1, 0, 0)  # "ja" is no span
    assert not quote.hits
    assert (style.flags, style.on_span) == (1, 1)
    assert style.hits == {"Style/Awkward": 1}
    assert result.per_rule["idle"].flags == 0

    overall = result.overall
    assert (overall.flags, overall.on_span, overall.segments_flagged) == (4, 2, 3)
    assert (result.per_severity["major"].flags, result.per_severity["minor"].flags) == (2, 2)

    numbers = overall.as_dict(totals)
    assert numbers["span_precision"] == 0.5
    assert numbers["no_error_flag_rate"] == 0.5
    assert numbers["fluency_recall"] == pytest.approx(2 / 3)
    assert numbers["fluency_recall_without_quotes"] == 1.0
    assert numbers["fluency_recall_by_category"] == {
        "Fluency/Grammar": 1.0,
        "Fluency/Punctuation": 0.0,
    }
    assert grammar.as_dict(totals)["fluency_recall_without_quotes"] == 1.0
    assert quote.as_dict(totals)["span_precision"] == 0.0


def test_tables_show_the_pooled_fluency_recall_with_and_without_quotes(segments):
    result = eval_flags.evaluate(list(segments.values()), fake_flags(), ["grammar", "quote"])
    rules = eval_flags.rule_table(result).splitlines()
    assert "No-error flagged (/2)" in rules[0] and "Fluency recall (/3)" in rules[0]
    grammar = next(line for line in rules if line.startswith("grammar"))
    # flags, on span, precision, segments, No-error flagged, Fluency recall, without quotes
    expected = "2 1 50.0% 2 1 50.0% 2 66.7% 2 100.0%"
    assert grammar.split()[1:] == expected.split()
    recall = eval_flags.recall_table(result).splitlines()
    assert recall[2].split() == ["Fluency/Grammar", "2", "0", "2", "100.0%"]
    assert recall[3].split() == ["Fluency/Punctuation", "1", "1", "0", "0.0%"]
    assert recall[-2].split() == ["Fluency", "3", "1", "2", "66.7%"]
    assert recall[-1].split()[-4:] == ["2", "0", "2", "100.0%"]
    assert recall[-1].startswith("Fluency without quotation marks")


def test_false_positives_list_clean_segments_first(segments):
    found = eval_flags.false_positives(list(segments.values()), fake_flags(), "grammar", 5)
    assert [(s.key, f.span) for s, f in found] == [(("S", "d1", "12"), (0, 5))]
    assert eval_flags.excerpt("a" * 100 + "XY" + "b" * 100, (100, 102), 3) == "…aaaXYbbb…"


# --- the command line ----------------------------------------------------------------------

TED_ROWS = [
    ["A", "talk.1", "1", "1", "x", "One.", "Er <v>hat</v> gemacht.", "Fluency/Grammar", "Minor"],
    ["A", "talk.1", "2", "2", "x", "Two.", "Alles gut.", "No-error", "No-error"],
]


def test_main_reports_both_sets_into_one_json(tmp_path, monkeypatch, capsys):
    ted = write_tsv(tmp_path / "ted.tsv", mqm.COLUMNS, [row + [""] for row in TED_ROWS])
    news = write_tsv(tmp_path / "news.tsv", mqm.WMT23_COLUMNS, wmt_rows())
    monkeypatch.setattr(eval_flags, "run_flags", lambda segments: fake_flags())
    out = tmp_path / "out" / "eval.json"
    argv = ["--data", str(ted), "--data-wmt23", str(news), "--json", str(out), "--examples", "1"]
    assert eval_flags.main(argv) == 0
    printed = capsys.readouterr().out
    assert printed.count("Fluency without quotation marks") == 2
    assert "MQM TED en-de: 2 segments (1 No-error" in printed
    assert "MQM WMT23 general en-de: 4 segments (2 No-error by every rater), 3 raters" in printed
    report = json.loads(out.read_text())
    assert list(report) == ["ted", "wmt23"]
    assert report["ted"]["totals"]["fluency_spans"] == 1
    assert report["ted"]["any_rule"]["flags"] == 0  # the fake flags match no TED segment
    assert report["wmt23"]["data"] == str(news)
    assert report["wmt23"]["any_rule"]["fluency_recall_without_quotes"] == 1.0


def test_main_measures_one_set_and_exits_2_naming_a_missing_file(tmp_path, monkeypatch, capsys):
    news = write_tsv(tmp_path / "news.tsv", mqm.WMT23_COLUMNS, wmt_rows())
    monkeypatch.setattr(eval_flags, "run_flags", lambda segments: fake_flags())
    missing = tmp_path / "nowhere.tsv"
    # --set wmt23 ignores the TED path, even a missing one
    argv = ["--set", "wmt23", "--data-wmt23", str(news), "--data", str(missing)]
    assert eval_flags.main(argv) == 0
    assert "MQM TED" not in capsys.readouterr().out
    for option in ("--data-ted", "--data-wmt23"):
        with pytest.raises(SystemExit) as stop:
            eval_flags.main([option, str(missing)])
        assert stop.value.code == 2
        error = capsys.readouterr().err
        assert error.startswith("error: MQM data not found at") and str(missing) in error
        assert len(error.strip().splitlines()) == 1


# --- the shared data -----------------------------------------------------------------------

WMT23_FILE = mqm.DEFAULT_WMT23_DATA / mqm.WMT23_TSV_NAME


@pytest.mark.skipif(not WMT23_FILE.is_file(), reason=f"{WMT23_FILE} is not there")
def test_real_wmt23_data_loads_with_the_readme_counts():
    segments = mqm.load_mqm(mqm.DEFAULT_WMT23_DATA, mqm.WMT23)  # asserts 5,801 rows, 620
    assert len(segments) == 620
    assert len({s.doc for s in segments}) == 17
    assert {len(s.raters) for s in segments} == {3}
    assert 0 < sum(s.clean for s in segments) < 620
    totals = eval_flags.count_totals(segments)
    punctuation = totals.spans["Fluency/Punctuation"]
    quotes = punctuation - totals.plain_spans["Fluency/Punctuation"]
    assert quotes > punctuation / 2  # the README: straight quotes are marked almost everywhere
    for segment in segments:
        for span in segment.spans():
            assert 0 <= span[0] <= span[1] <= len(segment.target)
