"""Issue 13, item 5: a house-style pattern with catastrophic backtracking cannot hang a run.

Patterns run on the ``regex`` package with a time limit per segment
(``mtcheck.flags.patterns.PATTERN_TIMEOUT``); a pattern that exceeds it stops the run with
a ``ConfigError`` naming it (exit code 2). The bounds on elapsed time below are generous on
purpose: the issue asks that the run "ends within a second or two", and a hang would take
far longer than any of them.
"""

from __future__ import annotations

import json
import pickle
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtcheck.cli import main
from mtcheck.errors import ConfigError
from mtcheck.flags import RuleSettings, check_segments
from mtcheck.flags import patterns as patterns_module
from mtcheck.flags.patterns import PatternRule
from mtcheck.model import Segment

HOSTILE_LINE = "a" * 40 + "b"
# (a+)+$ is the issue's probe: regex's engine recognises the nested repetition and ends at
# once. (a|aa)+$ defeats it too, so it is the pattern that reaches the time limit.
PROBE = "(a+)+$"
RUNAWAY = "(a|aa)+$"
GENEROUS_SECONDS = 10


def config(pattern: str) -> str:
    return (
        "[[patterns]]\n"
        'name = "house-runaway"\n'
        f"pattern = '{pattern}'\n"
        'message = "No long runs of a."\n'
    )


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    (tmp_path / "draft.de.txt").write_text(
        f"Das Haus ist alt.\n\n{HOSTILE_LINE}\n", encoding="utf-8"
    )
    (tmp_path / "original.en.txt").write_text(
        f"The house is old.\n\n{HOSTILE_LINE}\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_check():
    """``mtcheck check`` flags-only with a JSON report."""
    return CliRunner().invoke(
        main,
        [
            "check",
            "draft.de.txt",
            "-r",
            "original.en.txt",
            "--no-backtranslation",
            "--format",
            "json",
        ],
    )


def timed_check(pattern: str, text: str):
    """The flags ``pattern`` alone gives ``text`` (or the error it raises), and the seconds
    it took: the pattern's own time, without the start-up of a whole run."""
    rule = PatternRule("house-runaway", pattern, "No long runs of a.")
    settings = RuleSettings(select={"house-runaway"}, patterns=(rule,))
    start = time.monotonic()
    try:
        outcome = check_segments([segment(text)], settings=settings)
    except ConfigError as error:
        outcome = error
    return outcome, time.monotonic() - start


def segment(text: str) -> Segment:
    return Segment(
        id="s", paragraph=1, target=text, reference=None, alignment=None, start=0, line=0, column=0
    )


def test_the_issue_probe_ends_at_once():
    outcome, seconds = timed_check(PROBE, HOSTILE_LINE)
    assert outcome == [()]  # "a…ab" has no run of a's at its end
    assert seconds < GENEROUS_SECONDS


def test_a_runaway_pattern_ends_within_the_limit():
    """With the real limit (1 s), as a user meets it."""
    outcome, seconds = timed_check(RUNAWAY, HOSTILE_LINE)
    assert isinstance(outcome, ConfigError)
    assert "'house-runaway'" in str(outcome)
    assert seconds < GENEROUS_SECONDS


def test_the_run_stops_with_the_documented_message(project, monkeypatch):
    monkeypatch.setattr(patterns_module, "PATTERN_TIMEOUT", 0.05)
    (project / "mtcheck.toml").write_text(config(RUNAWAY), encoding="utf-8")
    result = run_check()
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "mtcheck: error: House-style pattern 'house-runaway' ((a|aa)+$) took more than 0.05 s "
        "on one segment (most likely catastrophic backtracking); rewrite it without nested "
        "repetition such as (a+)+ or (a|aa)+.\n"
    )


def test_the_probe_in_a_whole_run_checks_the_draft(project):
    (project / "mtcheck.toml").write_text(config(PROBE), encoding="utf-8")
    result = run_check()
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    segments = report["documents"][0]["segments"]
    assert HOSTILE_LINE in [s["target"] for s in segments]
    assert "house-runaway" not in {f["rule"] for s in segments for f in s["flags"]}


def test_ordinary_patterns_keep_re_syntax_and_spans():
    rule = PatternRule(
        "house-ki",
        r"\b(?P<word>AI)(?=\b)",
        "Write 'KI'.",
        suggestion="KI",
        ignore_case=True,
    )
    settings = RuleSettings(select={"house-ki"}, patterns=(rule,))
    text = "Die ai und die AI."
    (flags,) = check_segments([segment(text)], settings=settings)
    assert [text[slice(*f.span)] for f in flags] == ["ai", "AI"]
    assert [f.suggestion for f in flags] == ["KI", "KI"]


def test_group_references_in_suggestions_still_work():
    rule = PatternRule("house-chip", r"(\w+)-(Chip)", "Two words.", suggestion=r"\1 \g<2>")
    settings = RuleSettings(select={"house-chip"}, patterns=(rule,))
    (flags,) = check_segments([segment("Der AI-Chip ist schnell.")], settings=settings)
    assert [f.suggestion for f in flags] == ["AI Chip"]


def test_a_pattern_rule_survives_pickling_for_worker_processes():
    rule = pickle.loads(pickle.dumps(PatternRule("house-ki", r"\bAI\b", "Write 'KI'.")))
    settings = RuleSettings(select={"house-ki"}, patterns=(rule,))
    (flags,) = check_segments([segment("Der AI-Chip.")], settings=settings)
    assert [f.span for f in flags] == [(4, 6)]


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [("(", "not a valid regular expression"), ("a|", "matches the empty string")],
)
def test_bad_patterns_are_still_refused_when_configured(pattern, problem):
    with pytest.raises(ConfigError, match=problem):
        PatternRule("house-bad", pattern, "m")
