"""RuleSettings: checked once, when made; the configuration file words the same checks."""

from __future__ import annotations

import re

import pytest

import mtcheck.flags.settings as settings_module
from mtcheck.config import load_config
from mtcheck.errors import ConfigError
from mtcheck.flags import RuleSettings, check_segments
from mtcheck.flags.patterns import PatternRule
from mtcheck.flags.settings import SettingsError
from mtcheck.model import Segment


def _segment(text: str) -> Segment:
    return Segment(
        id="s", paragraph=1, target=text, reference=None, alignment=None, start=0, line=0, column=0
    )


@pytest.mark.parametrize(
    "kwargs, key, sentence",
    [
        ({"select": ["modal-participel"]}, "select", "Unknown rule 'modal-participel' in 'select'"),
        ({"severity": {"number-format": "blocker"}}, "severity.number-format", "'blocker'"),
        ({"min_chrf": 150}, "min-chrf", "'min_chrf' must be a number from 0 to 100, not 150."),
        ({"min_adequacy": 0.5}, "min-adequacy", "'min_adequacy' must be a log-probability"),
        ({"picky": "yes"}, "picky", "'picky' must be true or false, not 'yes'."),
        ({"allowed_english": "Kubernetes"}, "allowed-english", "'allowed-english' must be a list"),
    ],
)
def test_a_bad_value_is_refused_when_the_settings_are_made(kwargs, key, sentence):
    with pytest.raises(SettingsError, match=re.escape(sentence)) as raised:
        RuleSettings(**kwargs)
    assert raised.value.key == key and raised.value.pattern is None
    assert isinstance(raised.value, ConfigError)  # exit code 2 with its one sentence


def test_a_bare_string_is_not_read_as_a_set_of_its_letters():
    with pytest.raises(SettingsError, match="must be a list of rule names"):
        RuleSettings(select="modal-participle")


def test_pattern_name_clashes_name_the_pattern():
    rule = PatternRule("house-ki", "AI", "m")
    with pytest.raises(SettingsError, match="Two patterns are named 'house-ki'") as raised:
        RuleSettings(patterns=(rule, PatternRule("house-ki", "KI", "m")))
    assert raised.value.pattern == 1
    assert raised.value.tail == "'name' 'house-ki' is used by an earlier pattern."


def test_the_settings_are_stored_frozen_and_compare_by_value():
    made = RuleSettings(select=["modal-participle"], severity={"number-format": "major"})
    assert made.select == frozenset({"modal-participle"})
    assert made == RuleSettings(select={"modal-participle"}, severity={"number-format": "major"})
    with pytest.raises(TypeError):
        made.severity["number-format"] = "minor"  # type: ignore[index]


def test_checking_segments_does_not_check_the_settings_again(monkeypatch):
    settings = RuleSettings(select={"repeated-word"})

    def checked_again(*_args, **_kwargs):
        raise AssertionError("settings checked again")

    for name in ("_check_patterns", "_check_names", "_check_severity", "_check_values"):
        monkeypatch.setattr(settings_module, name, checked_again)
    (flags,) = check_segments([_segment("Das ist ist gut.")], settings=settings)
    assert [flag.rule for flag in flags] == ["repeated-word"]


def test_the_configuration_words_the_same_check_with_its_file_and_key(tmp_path):
    path = tmp_path / "mtcheck.toml"
    path.write_text("min-chrf = 150\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert str(raised.value) == f"{path}: 'min-chrf' must be a number from 0 to 100, not 150."
    pattern = "[[patterns]]\nname = 'house-ki'\npattern = 'AI'\nmessage = 'm'\n"
    path.write_text(pattern + pattern.replace("'AI'", "'KI'"), encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert str(raised.value) == (
        f"{path}: [[patterns]] number 2 ('house-ki'): 'name' 'house-ki' is used by an "
        "earlier pattern."
    )
