"""`mtcheck gate` on a small repository of parallel English and German files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtcheck.cli import main
from mtcheck.config import load_config
from mtcheck.errors import ConfigError

EN = {
    "intro.txt": "The company builds wind farms in the North Sea.\n"
    "It employs 1,900 people and plans three new parks by 2028.\n",
    "guide/setup.txt": "To install the software, open the terminal.\n"
    "The installation takes about ten minutes.\n",
}
DE = {
    "intro.txt": "Das Unternehmen baut Windparks in der Nordsee.\n"
    "Es beschäftigt 1.900 Menschen und plant bis 2028 drei neue Parks.\n",
    "guide/setup.txt": "Um die Software zu installieren, öffnen Sie das Terminal.\n"
    "Die Installation dauert etwa zehn Minuten.\n",
}
CONFIG = """
[tool.mtcheck.gate]
pairs = [{ target = "de/**/*.txt", reference = "en/{path}" }]
fail-on = "major"
backtranslation = false
"""


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    for language, files in (("en", EN), ("de", DE)):
        for name, text in files.items():
            path = tmp_path / language / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def gate(*args: str):
    return CliRunner().invoke(main, ["gate", *args])


def break_setup(repo: Path, prefix: str = "") -> None:
    """Introduce 'soll versucht' into the second line of de/guide/setup.txt."""
    path = repo / "de" / "guide" / "setup.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.insert(1, "Die Firma soll versucht, die Software schneller zu machen.")
    path.write_text(prefix + "\n".join(lines), encoding="utf-8")
    # Its English counterpart, so that the German has no sentence the English lacks.
    english = repo / "en" / "guide" / "setup.txt"
    lines = english.read_text(encoding="utf-8").split("\n")
    lines.insert(1, "The company is said to have tried to make the software faster.")
    english.write_text("\n".join(lines), encoding="utf-8")


def add_english_intro_line(repo: Path) -> None:
    """The English of the line the tests append to de/intro.txt."""
    english = repo / "en" / "intro.txt"
    english.write_text(
        english.read_text(encoding="utf-8") + "The boss must be warned that it will be costly.\n",
        encoding="utf-8",
    )


def test_clean_tree_passes(repo):
    result = gate()
    assert result.exit_code == 0, result.output
    assert "All 2 documents within the limits." in result.stdout
    assert "de/intro.txt" in result.stdout and "de/guide/setup.txt" in result.stdout


def test_an_error_fails_with_file_line_and_column_in_every_format(repo):
    break_setup(repo)
    text = gate()
    assert text.exit_code == 1
    assert "de/guide/setup.txt:2:11  major     modal-participle" in text.stdout
    assert "FAIL  de/guide/setup.txt" in text.stdout
    report = json.loads(gate("--format", "json").stdout)
    assert report["gate"]["passed"] is False
    assert report["gate"]["verdicts"]["de/guide/setup.txt"]
    assert report["gate"]["verdicts"]["de/intro.txt"] == []
    flags = [
        (d["path"], f["line"], f["column"], f["rule"])
        for d in report["documents"]
        for s in d["segments"]
        for f in s["flags"]
    ]
    assert ("de/guide/setup.txt", 2, 11, "modal-participle") in flags


def test_baseline_accepts_known_findings_and_survives_line_shifts(repo):
    break_setup(repo)
    written = gate("--write-baseline", "baseline.json")
    assert written.exit_code == 0, written.output
    baseline = json.loads((repo / "baseline.json").read_text(encoding="utf-8"))
    assert [e["rule"] for e in baseline["findings"]] == ["modal-participle"]
    assert gate("--baseline", "baseline.json").exit_code == 0
    # A paragraph inserted above the accepted finding shifts its line: still accepted.
    break_setup_again = repo / "de" / "guide" / "setup.txt"
    break_setup_again.write_text(
        "Vorab ein neuer Absatz ohne Fehler.\n" + break_setup_again.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    english = repo / "en" / "guide" / "setup.txt"
    english.write_text(
        "First a new paragraph without errors.\n" + english.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    assert gate("--baseline", "baseline.json").exit_code == 0
    # A new error is new.
    intro = repo / "de" / "intro.txt"
    intro.write_text(
        intro.read_text(encoding="utf-8") + "Der Chef muss gewarnt, dass es teuer wird.\n",
        encoding="utf-8",
    )
    add_english_intro_line(repo)
    new = gate("--baseline", "baseline.json")
    assert new.exit_code == 1
    assert "de/intro.txt:3:10" in new.stdout
    assert "1 finding accepted by the baseline" in new.stdout


def test_baseline_file_is_sorted_stable_json(repo):
    break_setup(repo)
    intro = repo / "de" / "intro.txt"
    intro.write_text(
        intro.read_text(encoding="utf-8") + "Der Chef muss gewarnt, dass es teuer wird.\n",
        encoding="utf-8",
    )
    add_english_intro_line(repo)
    gate("--write-baseline", "a.json")
    gate("--write-baseline", "b.json")
    first = (repo / "a.json").read_text(encoding="utf-8")
    assert first == (repo / "b.json").read_text(encoding="utf-8")
    paths = [e["path"] for e in json.loads(first)["findings"]]
    assert paths == sorted(paths) == ["de/guide/setup.txt", "de/intro.txt"]


def test_paths_restrict_the_run(repo):
    break_setup(repo)
    assert gate("de/intro.txt").exit_code == 0
    assert gate("de/guide").exit_code == 1


def test_limits_name_the_limit_that_failed(repo):
    break_setup(repo)
    (repo / "pyproject.toml").write_text(
        CONFIG.replace('fail-on = "major"', "max-major = 0\nmax-penalty = 1000"),
        encoding="utf-8",
    )
    result = gate()
    assert result.exit_code == 1
    assert "1 major flag, more than max-major 0" in result.stdout


def test_missing_reference_is_an_input_error(repo):
    (repo / "en" / "intro.txt").unlink()
    result = gate()
    assert result.exit_code == 2
    assert "en/intro.txt does not exist" in result.stderr


@pytest.mark.parametrize(
    ("gate_table", "message"),
    [
        ('pairs = "de/*.txt"', "'tool.mtcheck.gate.pairs' must be a list"),
        ('pairs = [{ target = "de/*.txt", reference = "en/{lang}" }]', "bad placeholder"),
        ("min-chrf = 120", "'tool.mtcheck.gate.min-chrf' must be a number from 0 to 100"),
        ("max-major = -1", "'tool.mtcheck.gate.max-major' must be a whole number"),
        ('fail-on = "sometimes"', "'tool.mtcheck.gate.fail-on' is 'sometimes'"),
        ("speed = 3", "'tool.mtcheck.gate.speed' is not a gate setting"),
    ],
)
def test_bad_gate_settings_name_the_key(tmp_path, gate_table, message):
    path = tmp_path / "pyproject.toml"
    path.write_text(f"[tool.mtcheck.gate]\n{gate_table}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_config(path)


def test_second_run_on_an_unchanged_tree_makes_no_model_call(repo, tiny_model, monkeypatch):
    monkeypatch.delenv("MTCHECK_CACHE")  # the environment would win over the configuration
    (repo / "pyproject.toml").write_text(
        CONFIG.replace("backtranslation = false", 'cache = "cache/bt.sqlite"'),
        encoding="utf-8",
    )
    from mtcheck import gate as gating
    from mtcheck.backtranslate import open_translator
    from mtcheck.pipeline import run_check

    settings = load_config(repo / "pyproject.toml").gate
    jobs = gating.collect(settings)
    first = open_translator(str(tiny_model), device="cpu", cache_path=settings.cache)
    run_check(jobs, translator=first)
    assert first.model_calls > 0
    second = open_translator(str(tiny_model), device="cpu", cache_path=settings.cache)
    run_check(jobs, translator=second)
    assert second.model_calls == 0 and not second.loaded
    # And through the command: the configured cache is the one used.
    result = gate("--model", str(tiny_model))
    assert result.exit_code in (0, 1), result.output
    assert (repo / "cache" / "bt.sqlite").is_file()
