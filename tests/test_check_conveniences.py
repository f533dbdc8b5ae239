"""`mtcheck check` conveniences for editors: the format from -o's extension, swapped or
wrong languages refused with the fix, a note when the reference is missing, "did you mean"
for rule names, --statistics, and 1-0/0-1 segments kept in the text report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtcheck.cli import main
from mtcheck.config import load_config
from mtcheck.errors import ConfigError
from mtcheck.flags import RULES, RuleSettings, check_segments
from mtcheck.flags.settings import did_you_mean
from mtcheck.languages import (
    MIN_FUNCTION_WORDS,
    REFERENCE_RULES,
    function_word_counts,
    language_of,
    language_problem,
    no_reference_note,
)
from mtcheck.model import (
    DocumentResult,
    Flag,
    Result,
    Scores,
    Segment,
    SegmentResult,
)
from mtcheck.report import output_format
from mtcheck.report.statistics import render_statistics, rule_counts
from mtcheck.report.text_report import render_text
from tests.helpers import CORPORA, SEED_DE, SEED_EN, assert_contract, requires_seed

DRAFT = CORPORA / "windpark.de.txt"
REFERENCE = CORPORA / "windpark.en.txt"
FLAGS_ONLY = ["--no-backtranslation", "--isolated", "--no-cache"]


def invoke(args: list[str], input: str | None = None):
    return CliRunner().invoke(main, ["check", *args], input=input)


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


# -- the format from -o ---------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("report.html", "html"),
        ("report.HTM", "html"),
        ("report.json", "json"),
        ("report.sarif", "sarif"),
        ("report.sarif.json", "sarif"),
        ("report.md", "markdown"),
        ("report.xlf", "xliff"),
        ("report.xliff", "xliff"),
        ("report.xml", "junit"),
        ("report.txt", "text"),
        ("report.log", "text"),
        ("report", "text"),
        ("-", "text"),
    ],
)
def test_the_extension_names_the_format(name, expected):
    assert output_format(Path(name), None) == expected


def test_no_output_file_means_text_unless_asked():
    assert output_format(None, None) == "text"
    assert output_format(None, "html") == "html"


@pytest.mark.parametrize(
    "name, fmt",
    [("r.json", "sarif"), ("r.xml", "xliff"), ("r.txt", "github"), ("r.log", "json"),
     ("r.sarif.json", "json"), ("r.html", "html")],
)
def test_a_format_that_fits_the_extension_is_kept(name, fmt):
    assert output_format(Path(name), fmt) == fmt


@pytest.mark.parametrize(
    "name, fmt", [("r.html", "json"), ("r.md", "text"), ("r.json", "html"), ("r.xml", "sarif")]
)
def test_a_format_that_contradicts_the_extension_is_refused(name, fmt):
    with pytest.raises(ConfigError, match=re.escape(f"--format {fmt} contradicts")) as raised:
        output_format(Path(name), fmt)
    assert name in str(raised.value) and "drop --format or rename" in str(raised.value)


def test_dash_o_report_html_writes_html(tmp_path):
    out = tmp_path / "report.html"
    result = invoke([str(DRAFT), "-r", str(REFERENCE), *FLAGS_ONLY, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html>")


def test_dash_o_report_json_follows_the_contract(tmp_path):
    out = tmp_path / "report.json"
    result = invoke([str(DRAFT), "-r", str(REFERENCE), *FLAGS_ONLY, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert_contract(json.loads(out.read_text(encoding="utf-8")))


def test_contradicting_format_exits_2_and_writes_nothing(tmp_path):
    out = tmp_path / "report.html"
    result = invoke([str(DRAFT), "-r", str(REFERENCE), *FLAGS_ONLY, "-o", str(out), "-f", "json"])
    assert result.exit_code == 2
    assert result.stderr.startswith("mtcheck: error: --format json contradicts")
    assert result.stderr.count("\n") == 1
    assert not out.exists()


# -- languages ------------------------------------------------------------------------

CORPUS_PAIRS = [(CORPORA / f"{name}.de.txt", CORPORA / f"{name}.en.txt")
                for name in ("windpark", "bibliothek")]


@pytest.mark.parametrize("german, english", CORPUS_PAIRS, ids=["windpark", "bibliothek"])
def test_the_corpora_read_as_their_languages(german, english):
    assert language_of(lines(german)) == "de"
    assert language_of(lines(english)) == "en"
    assert language_problem(lines(german), lines(english), draft="d", reference="r") is None


@requires_seed
def test_the_seed_reads_as_its_languages():
    assert language_of(lines(SEED_DE)) == "de"
    assert language_of(lines(SEED_EN)) == "en"


@pytest.mark.parametrize(
    "text",
    [
        "Das ist gut.",
        "The draft is short and the reader of it is kind to the cat.",
        # English quoted in German: "The Information", "the" as part of a name.
        "Das berichtete The Information am Montag. Die Zahlen der Firma sind nicht gut.",
        "",
    ],
)
def test_short_texts_are_not_judged(text):
    english, german = function_word_counts([text])
    assert english + german < MIN_FUNCTION_WORDS
    assert language_of([text]) is None
    assert language_problem([text], [text], draft="d", reference="r") is None


def test_a_text_that_mixes_both_languages_is_not_judged():
    mixed = [*lines(CORPORA / "windpark.de.txt"), *lines(CORPORA / "windpark.en.txt")]
    english, german = function_word_counts(mixed)
    assert english >= MIN_FUNCTION_WORDS and german >= MIN_FUNCTION_WORDS
    assert language_of(mixed) is None


def test_only_the_first_words_are_read():
    german = lines(CORPORA / "windpark.de.txt")
    english = lines(CORPORA / "windpark.en.txt")
    # Thousands of German words first: the English appended after them is never counted.
    long_german = german * 40
    assert language_of([*long_german, *english * 200]) == "de"


def test_swapped_pair_names_the_command_that_swaps_them():
    problem = language_problem(
        lines(REFERENCE), lines(DRAFT), draft="en text.txt", reference="de.txt"
    )
    assert problem == (
        "the draft en text.txt looks English and the reference de.txt German: swap them: "
        "mtcheck check de.txt --reference 'en text.txt'"
    )


def test_english_draft_alone_does_not_look_german():
    problem = language_problem(lines(REFERENCE), [], draft="a.txt", reference=None)
    assert problem is not None and problem.startswith("a.txt: the draft does not look German")


def test_german_reference_is_named():
    problem = language_problem(lines(DRAFT), lines(DRAFT), draft="a.txt", reference="b.txt")
    assert problem is not None and problem.startswith("b.txt: the reference does not look English")


def test_swapped_corpora_exit_2_with_the_fix():
    result = invoke([str(REFERENCE), "-r", str(DRAFT), *FLAGS_ONLY])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "looks English" in result.stderr and "swap them" in result.stderr
    assert f"mtcheck check {DRAFT} --reference {REFERENCE}" in result.stderr


@requires_seed
def test_swapped_seed_exits_2_before_loading_a_model(tmp_path):
    # The model option names no model: the refusal comes before it would be looked up.
    result = invoke([str(SEED_EN), "-r", str(SEED_DE), "--model", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert f"swap them: mtcheck check {SEED_DE} --reference {SEED_EN}" in result.stderr


def test_swapped_standard_input_is_refused_after_reading():
    text = REFERENCE.read_text(encoding="utf-8")
    result = invoke(["-", "-r", str(DRAFT), *FLAGS_ONLY], input=text)
    assert result.exit_code == 2
    assert "the draft standard input looks English" in result.stderr
    assert result.stdout == ""


def test_english_draft_without_reference_exits_2():
    result = invoke([str(REFERENCE), *FLAGS_ONLY])
    assert result.exit_code == 2
    assert "the draft does not look German" in result.stderr


def test_german_reference_exits_2():
    result = invoke([str(DRAFT), "-r", str(DRAFT), *FLAGS_ONLY])
    assert result.exit_code == 2
    assert "the reference does not look English" in result.stderr


def test_swapped_jsonl_records_are_refused(tmp_path):
    german, english = lines(DRAFT), lines(REFERENCE)
    records = tmp_path / "records.jsonl"
    records.write_text(
        "".join(
            json.dumps({"target": e, "reference": g}) + "\n"
            for g, e in zip(german, english, strict=False)
        ),
        encoding="utf-8",
    )
    result = invoke([str(records), *FLAGS_ONLY])
    assert result.exit_code == 2
    assert "look swapped" in result.stderr and "swap the two fields" in result.stderr


def test_a_short_english_draft_is_checked_not_refused(tmp_path):
    short = tmp_path / "short.de.txt"
    short.write_text("The draft is short.\n", encoding="utf-8")
    result = invoke([str(short), *FLAGS_ONLY, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert_contract(json.loads(result.stdout))


@pytest.mark.parametrize("german, english", CORPUS_PAIRS, ids=["windpark", "bibliothek"])
def test_right_pairs_pass(german, english):
    result = invoke([str(german), "-r", str(english), *FLAGS_ONLY, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "mtcheck: note: no reference" not in result.stderr


# -- a missing reference --------------------------------------------------------------


def test_missing_reference_is_stated_once_with_what_is_off():
    result = invoke([str(DRAFT), *FLAGS_ONLY, "--format", "json"])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if "no reference" in line]
    assert len(notes) == 1
    (note,) = notes
    assert note.startswith("mtcheck: note: no reference:")
    for name in ("number-mismatch", "omission", "addition", "markup-mismatch"):
        assert name in note
    # Silent anyway in flags-only mode and without a glossary: not blamed on the reference.
    assert "low-adequacy" not in note and "glossary-term" not in note
    assert "--reference FILE" in note
    json.loads(result.stdout)  # the note stays off stdout


def test_missing_reference_on_standard_input_is_stated_once():
    result = invoke(["-", *FLAGS_ONLY], input=DRAFT.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    assert result.stderr.count("no reference") == 1


def test_inline_references_need_no_note(tmp_path):
    records = tmp_path / "records.jsonl"
    records.write_text(
        json.dumps({"target": "Der Windpark liefert Strom.", "reference": "The wind farm "
                    "supplies power."}) + "\n",
        encoding="utf-8",
    )
    result = invoke([str(records), *FLAGS_ONLY])
    assert result.exit_code == 0, result.output
    assert "no reference" not in result.stderr


def test_note_names_scores_when_the_model_runs_and_respects_the_selection():
    note = no_reference_note(
        ["low-adequacy", "number-mismatch", "modal-participle"], backtranslating=True
    )
    assert "not scored (no chrF, BLEU, TER, adequacy)" in note
    assert "low-adequacy, number-mismatch cannot fire" in note
    assert "omission" not in note and "untranslated-text" not in note
    assert "glossary-term" in no_reference_note(
        ["glossary-term"], backtranslating=False, glossary=True
    )


def test_the_reference_rules_exist_and_are_quiet_without_a_reference():
    assert set(REFERENCE_RULES) <= set(RULES)
    for name in ("number-mismatch", "markup-mismatch"):
        (bad,) = [e for e in RULES[name].examples if e.flagged][:1]
        assert bad.reference is not None
        with_reference, without = (
            Segment(id="1", paragraph=1, target=bad.text, reference=reference,
                    alignment="1-1" if reference else None, start=0, line=1, column=1)
            for reference in (bad.reference, None)
        )
        settings = RuleSettings(select={name})
        assert check_segments([with_reference], settings=settings)[0], name
        assert not check_segments([without], settings=settings)[0], name


# -- did you mean ---------------------------------------------------------------------


def test_did_you_mean_the_closest_rule():
    assert did_you_mean("modal-particple", RULES) == "; did you mean 'modal-participle'?"
    assert did_you_mean("Modal_Participle", RULES) == "; did you mean 'modal-participle'?"
    far = did_you_mean("zzzz", RULES)
    assert far.startswith(": use one of ") and "modal-participle" in far


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_misspelled_rule_on_the_command_line(option):
    result = invoke([str(DRAFT), "-r", str(REFERENCE), *FLAGS_ONLY, option, "modal-particple"])
    assert result.exit_code == 2
    assert "Unknown rule 'modal-particple'" in result.stderr
    assert "did you mean 'modal-participle'?" in result.stderr
    assert result.stderr.count("\n") == 1


def test_misspelled_rule_in_settings_severity():
    with pytest.raises(ConfigError, match="did you mean 'number-format'"):
        RuleSettings(severity={"numbr-format": "major"})


@pytest.mark.parametrize(
    "text, key",
    [
        ("select = ['modal-particple']\n", "'select' names an unknown rule 'modal-particple'"),
        ("ignore = ['modal-particple']\n", "'ignore' names an unknown rule 'modal-particple'"),
        ("[severity]\nmodal-particple = 'minor'\n", "'severity.modal-particple' names"),
    ],
)
def test_misspelled_rule_in_the_configuration(tmp_path, text, key):
    config = tmp_path / "mtcheck.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(config)
    message = str(raised.value)
    assert key in message and message.endswith("did you mean 'modal-participle'?")


def test_misspelled_pattern_rule_name_is_suggested(tmp_path):
    config = tmp_path / "mtcheck.toml"
    config.write_text(
        "ignore = ['house-kl']\n[[patterns]]\nname = 'house-ki'\npattern = 'AI'\nmessage = 'm'\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="did you mean 'house-ki'"):
        load_config(config)


def test_rules_explain_suggests_a_name():
    result = CliRunner().invoke(main, ["rules", "explain", "modal-particple"])
    assert result.exit_code == 2
    assert "did you mean 'modal-participle'?" in result.stderr
    far = CliRunner().invoke(main, ["rules", "explain", "zzzz"])
    assert far.exit_code == 2 and "`mtcheck rules` lists them" in far.stderr


# -- --statistics ---------------------------------------------------------------------


def _flag(rule: str, severity: str = "minor") -> Flag:
    return Flag(rule=rule, category=RULES[rule].category, severity=severity, message="m",
                suggestion=None, span=(0, 1))


def _result(*segments: SegmentResult) -> Result:
    return Result(version="0", model=None, documents=(
        DocumentResult(path="d.txt", reference_path=None, scores=None, segments=segments),
    ))


def _segment(flags=(), alignment="1-1", target="Text.", reference="Text.", scores=None):
    segment = Segment(id="1.1", paragraph=1, target=target, reference=reference,
                      alignment=alignment, start=0, line=1, column=1)
    return SegmentResult(segment=segment, backtranslation=None, scores=scores, flags=flags)


def test_rule_counts_most_frequent_first_with_the_worst_severity():
    result = _result(
        _segment((_flag("repeated-word"), _flag("number-format"))),
        _segment((_flag("number-format", "major"), _flag("repeated-word"))),
        _segment((_flag("modal-participle", "major"),)),
    )
    assert [(row["rule"], row["count"], row["severity"]) for row in rule_counts(result)] == [
        ("number-format", 2, "major"),
        ("repeated-word", 2, "minor"),
        ("modal-participle", 1, "major"),
    ]
    table = render_statistics(result).splitlines()
    assert table[0].split() [:3] == ["2", "number-format", "major"]
    assert len(table) == 3
    # Columns line up: every rule name starts at the same place.
    assert len({line.index(name) for line, name in zip(
        table, ("number-format", "repeated-word", "modal-participle"), strict=True)}) == 1


def test_statistics_of_nothing_is_empty():
    assert render_statistics(_result(_segment())) == ""
    assert json.loads(render_statistics(_result(_segment()), "json")) == []


def test_statistics_on_the_command_line_match_the_report():
    args = [str(DRAFT), "-r", str(REFERENCE), *FLAGS_ONLY]
    report = json.loads(invoke([*args, "--format", "json"]).stdout)
    expected: dict[str, int] = {}
    for segment in report["documents"][0]["segments"]:
        for flag in segment["flags"]:
            expected[flag["rule"]] = expected.get(flag["rule"], 0) + 1
    assert expected, "the corpus draft should give some flags"
    stats = invoke([*args, "--statistics", "--format", "json"])
    assert stats.exit_code == 0, stats.output
    assert {row["rule"]: row["count"] for row in json.loads(stats.stdout)} == expected
    table = invoke([*args, "--statistics"])
    assert table.exit_code == 0
    rows = [line.split() for line in table.stdout.splitlines()]
    assert {row[1]: int(row[0]) for row in rows} == expected
    assert "Segments, worst first" not in table.stdout


def test_statistics_keep_the_exit_code_and_refuse_other_formats():
    args = [str(DRAFT), "-r", str(REFERENCE), *FLAGS_ONLY, "--statistics"]
    assert invoke([*args, "--fail-on", "minor"]).exit_code == 1
    refused = invoke([*args, "--format", "html"])
    assert refused.exit_code == 2 and "--statistics writes a table or JSON" in refused.stderr


# -- 1-0 and 0-1 segments in the text report ------------------------------------------


def test_unscored_one_to_zero_segment_is_kept_beside_scored_ones():
    scored = _segment(scores=Scores(chrf=50.0, bleu=20.0, ter=60.0))
    lonely = _segment(alignment="1-0", target="Dieser Text wurde maschinell übersetzt.",
                      reference=None)
    missing = _segment(alignment="0-1", target="", reference="An English sentence.",
                       scores=Scores(chrf=0.0, bleu=0.0, ter=100.0))
    text = render_text(_result(scored, lonely, missing))
    assert "Dieser Text wurde maschinell übersetzt." in text
    assert "[1-0: no English counterpart]" in text
    assert "An English sentence." in text and "[0-1:" in text


@requires_seed
def test_the_seed_disclaimer_is_in_the_text_report_with_the_model(tiny_model, tmp_path):
    german = [line for line in lines(SEED_DE) if line.strip()]
    assert len(german) == len([line for line in lines(SEED_EN) if line.strip()]) + 1
    # Without 'addition' the disclaimer's sentences carry no flag and no scores: the case
    # the text report used to drop.
    args = [str(SEED_DE), "-r", str(SEED_EN), "--model", str(tiny_model), "--isolated",
            "--ignore", "addition", "--cache", str(tmp_path / "cache.sqlite")]
    report = json.loads(invoke([*args, "--format", "json"]).stdout)
    one_to_zero = [s for s in report["documents"][0]["segments"] if s["alignment"] == "1-0"]
    assert one_to_zero and all(s["scores"] is None and not s["flags"] for s in one_to_zero)
    result = invoke([*args, "--format", "text"])
    assert result.exit_code == 0, result.output
    assert "BT " in result.stdout  # the model ran
    shown = " ".join(result.stdout.split())
    assert any(german[-1].startswith(s["target"]) for s in one_to_zero)  # the disclaimer
    for segment in one_to_zero:
        assert " ".join(segment["target"].split()) in shown
    assert "[1-0: no English counterpart]" in result.stdout


# -- the gate refuses swapped pairs, not English pages --------------------------------

GATE_CONFIG = """
[tool.mtcheck.gate]
pairs = [{ target = "%s/*.txt", reference = "%s/{path}" }]
backtranslation = false
"""


def _gate_repo(root: Path, target: str, reference: str) -> None:
    for folder, source in (("de", DRAFT), ("en", REFERENCE)):
        (root / folder).mkdir()
        (root / folder / "windpark.txt").write_text(source.read_text(encoding="utf-8"))
    (root / "pyproject.toml").write_text(GATE_CONFIG % (target, reference), encoding="utf-8")


def test_gate_refuses_swapped_pairs(tmp_path, monkeypatch):
    _gate_repo(tmp_path, "en", "de")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["gate", "--no-cache"])
    assert result.exit_code == 2
    assert "target and reference swapped" in result.stderr
    assert result.stderr.startswith("mtcheck: error: en/windpark.txt looks English")


def test_gate_checks_an_english_page_without_a_usage_error(tmp_path, monkeypatch):
    _gate_repo(tmp_path, "de", "en")
    # An untranslated page, copied in from the English: a finding, not a usage error.
    (tmp_path / "de" / "windpark.txt").write_text(REFERENCE.read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["gate", "--no-cache", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    rules = {flag["rule"] for segment in json.loads(result.stdout)["documents"][0]["segments"]
             for flag in segment["flags"]}
    assert "untranslated-text" in rules


def test_the_language_check_and_the_check_read_each_file_once(monkeypatch):
    import mtcheck.pipeline as pipeline

    calls = []
    read = pipeline.read_document

    def counting(path, language):
        calls.append((Path(path).name, language))
        return read(path, language)

    monkeypatch.setattr(pipeline, "read_document", counting)
    result = CliRunner().invoke(
        main,
        ["check", str(CORPORA / "windpark.de.txt"), "-r", str(CORPORA / "windpark.en.txt"),
         "--no-backtranslation", "--no-cache"],
    )
    assert result.exit_code == 0, result.output
    assert calls == [("windpark.de.txt", "de"), ("windpark.en.txt", "en")]
