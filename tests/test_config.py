"""Configuration (mtcheck.config): discovery, keys, errors, precedence, pattern rules."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtcheck.cli import main
from mtcheck.config import Config, find_config, load_config, resolve_config, rule_settings
from mtcheck.errors import ConfigError
from mtcheck.flags import RULES, RuleSettings, check_segments
from mtcheck.flags import registry as registry_module
from mtcheck.flags.patterns import PatternRule
from mtcheck.flags.registry import Finding
from mtcheck.model import Segment

GERMAN = "Der neue AI-Chip ist schnell."
ENGLISH = "The new AI chip is fast."

HOUSE_KI = """
[[{prefix}patterns]]
name = "house-ki"
pattern = '\\bAI\\b'
message = "Write 'KI', not 'AI'."
suggestion = "KI"
category = "Terminology/Wrong term"
severity = "minor"
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def pyproject(body: str, prefix: str = "tool.mtcheck.") -> str:
    return "[project]\nname = 'x'\n\n[tool.mtcheck]\n" + body.format(prefix=prefix)


def mtcheck_toml(body: str) -> str:
    return body.format(prefix="")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A folder with a draft and its reference; the tests run in it."""
    write(tmp_path / "draft.de.txt", GERMAN + "\n")
    write(tmp_path / "original.en.txt", ENGLISH + "\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*options: str, draft: str | None = None):
    """Run ``mtcheck check`` flags-only with JSON output; (exit code, flags, stderr)."""
    draft = draft or str(Path.cwd() / "draft.de.txt")
    reference = str(Path(draft).with_name("original.en.txt"))
    result = CliRunner().invoke(
        main,
        ["check", draft, "-r", reference, "--no-backtranslation", "--format", "json", *options],
    )
    flags = []
    if result.exit_code in (0, 1) and result.stdout.strip():
        report = json.loads(result.stdout)
        flags = [f for s in report["documents"][0]["segments"] for f in s["flags"]]
    return result.exit_code, flags, result.stderr


def rules_of(flags) -> list[str]:
    return sorted(flag["rule"] for flag in flags)


# --- pattern rules end to end --------------------------------------------------------------


def test_pattern_from_pyproject_flags_the_match_span(project):
    write(project / "pyproject.toml", pyproject(HOUSE_KI))
    code, flags, stderr = check()
    assert code == 0, stderr
    (flag,) = [f for f in flags if f["rule"] == "house-ki"]
    assert flag["span"] == [9, 11] and GERMAN[9:11] == "AI"
    assert (flag["line"], flag["column"]) == (1, 10)
    assert flag["message"] == "Write 'KI', not 'AI'."
    assert flag["suggestion"] == "KI"
    assert (flag["category"], flag["severity"]) == ("Terminology/Wrong term", "minor")


def test_pattern_defaults_group_references_and_ignore_case(project):
    write(
        project / "mtcheck.toml",
        """
[[patterns]]
name = "house-chip"
pattern = '(\\w+)-(chip)'
message = "Hyphenated chip."
suggestion = '\\1 \\g<2>'
ignore-case = true
""",
    )
    code, flags, stderr = check()
    assert code == 0, stderr
    (flag,) = [f for f in flags if f["rule"] == "house-chip"]
    assert GERMAN[slice(*flag["span"])] == "AI-Chip"
    assert flag["suggestion"] == "AI Chip"
    assert (flag["category"], flag["severity"]) == ("Style/Company style", "minor")


def test_patterns_are_selected_ignored_and_reweighted_by_name(project):
    write(project / "mtcheck.toml", mtcheck_toml(HOUSE_KI))
    assert rules_of(check("--select", "house-ki")[1]) == ["house-ki"]
    assert "house-ki" not in rules_of(check("--ignore", "house-ki")[1])
    assert rules_of(check("--select", "modal-participle")[1]) == []
    severity = '\n[severity]\nhouse-ki = "critical"\n'
    write(project / "mtcheck.toml", mtcheck_toml(HOUSE_KI) + severity)
    code, flags, _ = check("--fail-on", "critical")
    assert code == 1
    assert [f["severity"] for f in flags if f["rule"] == "house-ki"] == ["critical"]


# --- discovery -----------------------------------------------------------------------------


def test_discovery_walks_up_from_the_working_directory(project, monkeypatch):
    write(project / "pyproject.toml", pyproject(HOUSE_KI))
    sub = project / "a" / "b"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    assert find_config() == (project / "pyproject.toml").resolve()
    code, flags, _ = check(draft=str(project / "draft.de.txt"))
    assert code == 0 and "house-ki" in rules_of(flags)


def test_pyproject_without_tool_mtcheck_is_skipped(project, monkeypatch):
    write(project / "mtcheck.toml", mtcheck_toml(HOUSE_KI))
    write(project / "sub" / "pyproject.toml", "[project]\nname = 'other'\n[tool.ruff]\nx = 1\n")
    monkeypatch.chdir(project / "sub")
    assert find_config() == (project / "mtcheck.toml").resolve()
    assert "house-ki" in rules_of(check(draft=str(project / "draft.de.txt"))[1])


def test_broken_unrelated_pyproject_is_skipped_but_a_broken_mtcheck_one_is_an_error(project):
    write(project / "pyproject.toml", "[project\nname = 'x'\n")
    assert find_config(project) is None
    write(project / "pyproject.toml", "[tool.mtcheck\nselect = []\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        find_config(project)


def test_mtcheck_toml_wins_over_pyproject_and_the_nearest_directory_wins(project, monkeypatch):
    write(project / "pyproject.toml", pyproject('ignore = ["house-ki"]\n' + HOUSE_KI))
    write(project / "mtcheck.toml", mtcheck_toml(HOUSE_KI))
    assert find_config() == (project / "mtcheck.toml").resolve()
    assert "house-ki" in rules_of(check()[1])
    write(project / "sub" / "mtcheck.toml", 'select = ["modal-participle"]\n')
    monkeypatch.chdir(project / "sub")
    assert find_config() == (project / "sub" / "mtcheck.toml").resolve()
    # Files are not merged: the nearer file knows nothing of the parent's patterns.
    assert rules_of(check(draft=str(project / "draft.de.txt"))[1]) == []


def test_config_option_overrides_discovery_and_isolated_ignores_files(project):
    write(project / "mtcheck.toml", 'select = ["modal-participle"]\n')
    other = write(project / "conf" / "house.toml", mtcheck_toml(HOUSE_KI))
    assert "house-ki" not in rules_of(check()[1])
    assert "house-ki" in rules_of(check("--config", str(other))[1])
    named_pyproject = write(project / "conf" / "pyproject.toml", pyproject(HOUSE_KI))
    assert "house-ki" in rules_of(check("--config", str(named_pyproject))[1])
    write(project / "mtcheck.toml", 'select = ["no-such-rule"]\n')
    code, _, stderr = check()
    assert code == 2 and "no-such-rule" in stderr
    code, _, stderr = check("--isolated")
    assert code == 0, stderr
    code, _, stderr = check("--isolated", "--config", str(other))
    assert code == 2 and "--isolated" in stderr


def test_config_option_errors(project):
    code, _, stderr = check("--config", str(project / "missing.toml"))
    assert code == 2 and "missing.toml" in stderr and "not found" in stderr
    plain = write(project / "conf" / "pyproject.toml", "[project]\nname = 'x'\n")
    code, _, stderr = check("--config", str(plain))
    assert code == 2 and "[tool.mtcheck]" in stderr


# --- precedence ------------------------------------------------------------------------------


def test_command_line_select_and_ignore_win_over_the_configuration(project):
    write(
        project / "mtcheck.toml",
        'select = ["house-ki", "term-inconsistency"]\nignore = ["untranslated-text"]\n'
        + mtcheck_toml(HOUSE_KI),
    )
    config = resolve_config()
    assert rule_settings(config).enabled() == ["term-inconsistency", "house-ki"]
    # --select replaces select and re-enables what the configuration ignores
    assert rule_settings(config, select=frozenset({"untranslated-text"})).enabled() == [
        "untranslated-text"
    ]
    # --ignore adds to the configured ignore
    settings = rule_settings(config, ignore=frozenset({"house-ki"}))
    assert settings.enabled() == ["term-inconsistency"]
    assert settings.ignore == {"untranslated-text", "house-ki"}
    assert rules_of(check("--ignore", "house-ki")[1]) == []


def test_fail_on_comes_from_the_configuration_unless_given(project):
    write(project / "mtcheck.toml", 'fail-on = "minor"\n' + mtcheck_toml(HOUSE_KI))
    assert check()[0] == 1
    assert check("--fail-on", "never")[0] == 0
    assert check("--fail-on", "major")[0] == 0
    write(project / "mtcheck.toml", mtcheck_toml(HOUSE_KI))
    assert check()[0] == 0


def test_thresholds_picky_and_snake_case_keys(tmp_path):
    path = write(
        tmp_path / "mtcheck.toml",
        "min-chrf = 45\nmin_adequacy = -2.5\npicky = true\nfail_on = 'major'\n"
        "[severity]\nnumber-format = 'critical'\n",
    )
    config = load_config(path)
    assert (config.min_chrf, config.min_adequacy, config.fail_on) == (45.0, -2.5, "major")
    settings = rule_settings(config)
    assert (settings.min_chrf, settings.min_adequacy, settings.picky) == (45.0, -2.5, True)
    assert dict(settings.severity) == {"number-format": "critical"}
    defaults = rule_settings(Config())
    assert defaults == RuleSettings()
    assert isinstance(hash(settings), int)


@pytest.fixture
def picky_rule():
    """A temporary rule of group "picky" that flags the first word of every segment."""
    name = "test-picky-first-word"

    def first_word(segment, context):
        """Flags the first word (test rule).

        Bad:  "x"
        Good: "y"
        """
        yield Finding(0, segment.text.index(" "), "first word", None)

    registry_module.rule(name, "Style/Test", "minor", group="picky")(first_word)
    try:
        yield name
    finally:
        del registry_module._RULES[name]


def test_picky_true_turns_on_the_picky_group(project, picky_rule):
    assert RULES[picky_rule].group == "picky"
    assert picky_rule not in rules_of(check()[1])
    assert picky_rule not in RuleSettings().enabled()
    write(project / "mtcheck.toml", "picky = true\n")
    assert picky_rule in rules_of(check()[1])
    assert picky_rule not in rules_of(check("--ignore", picky_rule)[1])
    write(project / "mtcheck.toml", "picky = false\n")
    assert picky_rule not in rules_of(check()[1])
    # an explicit selection runs exactly what it names, picky or not
    assert rules_of(check("--select", picky_rule)[1]) == [picky_rule]


# --- every error names its key ---------------------------------------------------------------

PATTERN = "[[patterns]]\nname = 'house-ki'\npattern = 'AI'\nmessage = 'm'\n"


@pytest.mark.parametrize(
    "text, named",
    [
        ("selekt = ['modal-participle']\n", "selekt"),
        ("select = ['no-such-rule']\n", "select"),
        ("select = 'modal-participle'\n", "select"),
        ("ignore = ['no-such-rule']\n", "ignore"),
        ("[severity]\nno-such-rule = 'minor'\n", "severity.no-such-rule"),
        ("[severity]\nnumber-format = 'blocker'\n", "severity.number-format"),
        ("severity = 'minor'\n", "severity"),
        ("picky = 'yes'\n", "picky"),
        ("min-chrf = 150\n", "min-chrf"),
        ("min-chrf = '30'\n", "min-chrf"),
        ("min-adequacy = 0.5\n", "min-adequacy"),
        ("fail-on = 'sometimes'\n", "fail-on"),
        ("glossary = 3\n", "glossary"),
        ("min-chrf = 30\nmin_chrf = 40\n", "min-chrf"),
        ("patterns = 'x'\n", "patterns"),
        (PATTERN.replace("'AI'", "'(AI'"), "house-ki"),
        (PATTERN.replace("'AI'", "'a*'"), "empty string"),
        (PATTERN.replace("house-ki", "House KI"), "House KI"),
        (PATTERN.replace("house-ki", "modal-participle"), "built-in"),
        (PATTERN + PATTERN, "earlier pattern"),
        (PATTERN.replace("message = 'm'\n", ""), "message"),
        (PATTERN + "severity = 'blocker'\n", "blocker"),
        (PATTERN + "colour = 'red'\n", "colour"),
        (PATTERN + "suggestion = '\\2'\n", "suggestion"),
        (PATTERN + "category = ''\n", "category"),
        ("select = [\n", "not valid TOML"),
    ],
)
def test_every_config_error_names_the_key(project, text, named):
    write(project / "mtcheck.toml", text)
    with pytest.raises(ConfigError, match=re.escape(named)) as raised:
        load_config(project / "mtcheck.toml")
    assert "mtcheck.toml" in str(raised.value)
    code, flags, stderr = check()
    assert code == 2
    assert named in stderr and "Traceback" not in stderr
    assert stderr.startswith("mtcheck: error: ") and stderr.count("\n") == 1


def test_invalid_regex_error_names_pattern_index_and_regex_problem(project):
    broken = HOUSE_KI.replace("house-ki", "x2").replace("\\bAI\\b", "[AI")
    assert "[AI" in broken
    write(project / "pyproject.toml", pyproject(HOUSE_KI + broken))
    code, _, stderr = check()
    assert code == 2
    assert "tool.mtcheck.patterns" in stderr and "number 2" in stderr and "'x2'" in stderr
    assert "unterminated character set" in stderr


def test_pattern_rule_api_and_hashable_settings():
    rule = PatternRule("house-ki", r"\bAI\b", "Write 'KI'.", suggestion="KI")
    settings = RuleSettings(patterns=[rule])
    assert settings.patterns == (rule,)
    assert settings.enabled()[-1] == "house-ki"
    assert hash(settings) == hash(RuleSettings(patterns=(PatternRule(
        "house-ki", r"\bAI\b", "Write 'KI'.", suggestion="KI"),)))
    segment = Segment(id="s", paragraph=1, target="AI und KI und AI", reference=None,
                      alignment=None, start=0, line=0, column=0)
    (flags,) = check_segments([segment], settings=RuleSettings(select={"house-ki"},
                                                               patterns=(rule,)))
    assert [f.span for f in flags] == [(0, 2), (14, 16)]
    with pytest.raises(ConfigError, match="built-in"):
        RuleSettings(patterns=(PatternRule("modal-participle", "x", "m"),))
