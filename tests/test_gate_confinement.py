"""Issue 13, items 4, 12 and 13: the gate reads nothing outside the repository root, and a
hostile baseline ends in one sentence with exit code 2.

In CI a pull request controls both the configuration and the files, so every path from the
configuration (pair globs and templates, ``files``, ``baseline``, ``cache``, ``glossary``)
must stay inside the configuration file's folder, symlinks included; ``audit --pair`` keeps
to the directory it searches in the same way.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtcheck.cli import main
from mtcheck.config import load_config
from mtcheck.errors import ConfigError
from mtcheck.gate import collect, load_baseline
from mtcheck.io.sources import expand_inputs

# Text of the files outside the repository: it must never appear in any output.
SECRET = "Geheimwortxyzzy"
EN = "The company builds wind farms in the North Sea.\n"
DE = "Das Unternehmen baut Windparks in der Nordsee.\n"
PAIRS = 'pairs = [{{ target = "{target}", reference = "{reference}" }}]'


@pytest.fixture
def tree(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """(repo, outside): a repository with one German/English pair, and a folder beside it
    whose files hold SECRET; the current directory is the repository."""
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    for folder, text in ((repo / "en", EN), (repo / "de", DE)):
        folder.mkdir(parents=True)
        (folder / "intro.txt").write_text(text, encoding="utf-8")
    outside.mkdir()
    (outside / "secret.txt").write_text(f"Das {SECRET} steht hier.\n", encoding="utf-8")
    (outside / "leak.txt").write_text(f"The {SECRET} is here.\n", encoding="utf-8")
    (outside / "secret.jsonl").write_text(
        json.dumps({"source": f"The {SECRET}.", "target": f"Das {SECRET}."}) + "\n",
        encoding="utf-8",
    )
    (outside / "terms.csv").write_text(f"english,german\n{SECRET},{SECRET}\n", encoding="utf-8")
    (outside / "baseline.json").write_text(
        json.dumps({"version": 1, "findings": [{"path": SECRET, "fingerprint": SECRET}]}),
        encoding="utf-8",
    )
    monkeypatch.chdir(repo)
    return repo, outside


def configure(repo: Path, gate_lines: str, *, top: str = "", name: str = "pyproject.toml"):
    """Write the configuration: ``top`` keys, then the gate table (flags only)."""
    prefix = "tool.mtcheck." if name == "pyproject.toml" else ""
    header = "[tool.mtcheck]\n" if prefix else ""
    text = f"{header}{top}\n[{prefix}gate]\nbacktranslation = false\n{gate_lines}\n"
    (repo / name).write_text(text, encoding="utf-8")


def run_gate(repo: Path, *args: str):
    """Gate with a JSON report file; returns (result, every output as one string)."""
    report = repo / "report.json"
    result = CliRunner().invoke(main, ["gate", "--format", "json", "-o", str(report), *args])
    written = report.read_text(encoding="utf-8") if report.exists() else ""
    return result, result.stdout + result.stderr + written


def assert_refused(result, everything: str, key: str) -> None:
    assert result.exit_code == 2, everything
    assert SECRET not in everything
    assert "unexpected" not in everything
    assert key in result.stderr and "outside" in result.stderr
    assert result.stderr.count("\n") == 1  # one sentence


@pytest.mark.parametrize(
    ("gate_lines", "key"),
    [
        (PAIRS.format(target="../outside/*.txt", reference="en/{name}"), "pairs[1].target"),
        (PAIRS.format(target="de/*.txt", reference="../outside/leak.txt"), "pairs[1].reference"),
        (
            PAIRS.format(target="de/*.txt", reference="en/../../outside/{stem}.txt"),
            "pairs[1].reference",
        ),
        (PAIRS.format(target="{outside}/*.txt", reference="en/{name}"), "pairs[1].target"),
        (PAIRS.format(target="de/*.txt", reference="{outside}/leak.txt"), "pairs[1].reference"),
        ('files = ["../outside/*.jsonl"]', "files[1]"),
        ('files = ["{outside}/*.jsonl"]', "files[1]"),
        ('files = ["de/../../outside/*.jsonl"]', "files[1]"),
        ('files = ["de/*.txt"]\nbaseline = "../outside/baseline.json"', "baseline"),
        ('files = ["de/*.txt"]\ncache = "{outside}/cache.sqlite"', "cache"),
    ],
)
def test_paths_leading_outside_are_refused_naming_the_key(tree, gate_lines, key):
    repo, outside = tree
    configure(repo, gate_lines.replace("{outside}", outside.as_posix()))
    result, everything = run_gate(repo)
    assert_refused(result, everything, f"'tool.mtcheck.gate.{key}")
    assert not (outside / "cache.sqlite").exists()


def test_glossary_outside_is_refused(tree):
    repo, _outside = tree
    configure(
        repo,
        PAIRS.format(target="de/*.txt", reference="en/{name}"),
        top='glossary = "../outside/terms.csv"',
    )
    result, everything = run_gate(repo)
    assert_refused(result, everything, "'tool.mtcheck.glossary'")


def test_a_symlinked_draft_below_docs_is_refused(tree):
    repo, outside = tree
    (repo / "de" / "leak.txt").symlink_to(outside / "secret.txt")
    (repo / "en" / "leak.txt").write_text(EN, encoding="utf-8")
    configure(repo, PAIRS.format(target="de/**/*.txt", reference="en/{path}"))
    result, everything = run_gate(repo)
    assert_refused(result, everything, "'tool.mtcheck.gate.pairs[1]'")
    assert "de/leak.txt" in result.stderr  # the link is named, not what it points to
    assert "secret.txt" not in result.stderr


def test_a_symlinked_reference_is_refused(tree):
    repo, outside = tree
    (repo / "en" / "intro.txt").unlink()
    (repo / "en" / "intro.txt").symlink_to(outside / "leak.txt")
    configure(repo, PAIRS.format(target="de/*.txt", reference="en/{name}"))
    result, everything = run_gate(repo)
    assert_refused(result, everything, "'tool.mtcheck.gate.pairs[1]'")


def test_a_symlinked_folder_is_refused(tree):
    repo, outside = tree
    (repo / "de" / "more").symlink_to(outside, target_is_directory=True)
    configure(repo, 'files = ["de/more/*.jsonl"]')
    result, everything = run_gate(repo)
    assert_refused(result, everything, "'tool.mtcheck.gate.files[1]'")


def test_a_symlink_loop_is_refused_not_followed(tree):
    repo, _outside = tree
    (repo / "de" / "loop.txt").symlink_to(repo / "de" / "loop.txt")
    configure(repo, 'baseline = "de/loop.txt"\nfiles = ["de/*.txt"]')
    result, everything = run_gate(repo)
    assert_refused(result, everything, "'tool.mtcheck.gate.baseline'")


def test_a_glob_of_the_root_itself_is_a_clear_error(tree):
    repo, _outside = tree
    configure(repo, 'files = ["de/.."]')
    result, everything = run_gate(repo)
    assert result.exit_code == 2
    assert "'tool.mtcheck.gate.files[1]' names the folder itself" in result.stderr
    assert "unexpected" not in everything


def test_mtcheck_toml_names_its_own_keys(tree):
    repo, _outside = tree
    configure(repo, 'files = ["../outside/*.jsonl"]', name="mtcheck.toml")
    result, everything = run_gate(repo)
    assert_refused(result, everything, "mtcheck.toml: 'gate.files[1]'")


@pytest.mark.parametrize(
    "target",
    ["{repo}/de/**/*.txt", "de/../de/*.txt", "./de/*.txt"],
)
def test_absolute_and_dotted_globs_inside_the_root_work(tree, target):
    repo, _outside = tree
    configure(
        repo, PAIRS.format(target=target.replace("{repo}", repo.as_posix()), reference="en/{path}")
    )
    result, everything = run_gate(repo)
    assert result.exit_code == 0, everything
    report = json.loads((repo / "report.json").read_text(encoding="utf-8"))
    assert [d["path"] for d in report["documents"]] == ["de/intro.txt"]


def test_absolute_files_glob_inside_the_root_works(tree):
    repo, _outside = tree
    (repo / "l10n").mkdir()
    (repo / "l10n" / "app.jsonl").write_text(
        json.dumps({"source": EN.strip(), "target": DE.strip()}) + "\n", encoding="utf-8"
    )
    configure(repo, f'files = ["{repo.as_posix()}/l10n/*.jsonl"]')
    gate = load_config(repo / "pyproject.toml").gate
    assert gate.files == ("l10n/*.jsonl",)
    assert collect(gate) == [(Path("l10n/app.jsonl"), None)]


def test_symlink_inside_the_root_is_fine(tree):
    repo, _outside = tree
    (repo / "shared").mkdir()
    (repo / "shared" / "alias.txt").write_text(DE, encoding="utf-8")
    (repo / "de" / "alias.txt").symlink_to(repo / "shared" / "alias.txt")
    (repo / "en" / "alias.txt").write_text(EN, encoding="utf-8")
    configure(repo, PAIRS.format(target="de/*.txt", reference="en/{name}"))
    jobs = collect(load_config(repo / "pyproject.toml").gate)
    assert jobs == [
        (Path("de/intro.txt"), Path("en/intro.txt")),
        (Path("shared/alias.txt"), Path("en/alias.txt")),
    ]


# -- audit --pair keeps to the directory it searches --------------------------------------


@pytest.mark.parametrize(
    "pair",
    [
        ("../outside/*.txt", "en/{name}"),
        ("{outside}/*.txt", "en/{name}"),
        ("de/*.txt", "../outside/{name}"),
    ],
)
def test_audit_pair_leading_outside_is_refused(tree, pair):
    repo, outside = tree
    glob, template = (part.replace("{outside}", outside.as_posix()) for part in pair)
    with pytest.raises(ConfigError, match="--pair .* outside") as caught:
        expand_inputs([repo], [(glob, template)])
    assert SECRET not in str(caught.value)


def test_audit_pair_follows_no_symlink_out(tree):
    repo, outside = tree
    (repo / "de" / "leak.txt").symlink_to(outside / "secret.txt")
    with pytest.raises(ConfigError, match=re.escape("--pair de/*.txt=en/{name} leads to")):
        expand_inputs([repo], [("de/*.txt", "en/{name}")])


def test_audit_absolute_pair_inside_the_directory_works(tree):
    repo, _outside = tree
    sources = expand_inputs([repo], [(f"{repo.as_posix()}/de/*.txt", "en/{name}")])
    assert [(s.name, s.reference) for s in sources] == [("de/intro.txt", repo / "en/intro.txt")]


# -- hostile baselines ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[1, 2, 3]", "version 1 with 'findings'"),
        ('"findings"', "version 1 with 'findings'"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"version": 1, "findings": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too"),
        ('{"version": 1, "findings": [["path"]]}', "lacks 'path' or 'fingerprint'"),
        ('{"version": 1, "findings": [{"path": 1, "fingerprint": []}]}', "lacks 'path'"),
    ],
)
def test_hostile_baseline_is_one_sentence_naming_the_file(tree, content, problem):
    repo, _outside = tree
    configure(repo, PAIRS.format(target="de/*.txt", reference="en/{name}"))
    (repo / "base.json").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=problem):
        load_baseline(repo / "base.json")
    result, everything = run_gate(repo, "--baseline", "base.json")
    assert result.exit_code == 2, everything
    assert "unexpected" not in everything
    assert result.stderr.startswith("mtcheck: error: base.json: ")
    assert result.stderr.count("\n") == 1
