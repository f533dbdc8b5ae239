"""A light core: `pip install mtcheck` brings flags, scores, readers, reports, gate and audit
without torch, transformers or ctranslate2; back-translation comes with the extras `model`
and `fast`, and asking for it without them ends with one sentence naming the extra (exit 2).

The core-only install is simulated by a meta path finder that makes the heavy packages
unimportable in a subprocess, so the check runs offline in this environment."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from mtcheck.backtranslate import extras
from mtcheck.backtranslate.extras import MissingExtra, require_model
from mtcheck.backtranslate.translator import resolve_backend
from mtcheck.errors import ModelNotAvailable

REPO = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# What only back-translation needs (distribution names, normalised).
HEAVY = {
    "torch",
    "transformers",
    "ctranslate2",
    "sentencepiece",
    "sacremoses",
    "safetensors",
    "huggingface-hub",
    "tokenizers",
}
MODEL_EXTRA = {
    "torch",
    "transformers",
    "sentencepiece",
    "sacremoses",
    "safetensors",
    "huggingface-hub",
}


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", Requirement(requirement).name).lower()


def _extra(name: str) -> list[str]:
    return PROJECT["optional-dependencies"][name]


def test_core_requirements_leave_out_the_model_packages():
    core = {_name(r) for r in PROJECT["dependencies"]}
    assert not core & HEAVY, f"heavy packages in the core: {sorted(core & HEAVY)}"
    # The core still has what flags, scores, reports and the audit import.
    assert {"sacrebleu", "hanta", "somajo", "pyarrow", "jinja2"} <= core


def test_core_requirements_resolve_without_the_model_packages():
    """The core's requirements, followed through the installed distributions' own metadata
    (what pip would resolve), never reach torch, transformers or ctranslate2."""
    seen: set[str] = set()
    todo = [Requirement(r) for r in PROJECT["dependencies"]]
    while todo:
        requirement = todo.pop()
        name = _name(str(requirement))
        if name in seen or (requirement.marker and not requirement.marker.evaluate({"extra": ""})):
            continue
        seen.add(name)
        try:
            requires = metadata.requires(requirement.name) or []
        except metadata.PackageNotFoundError:
            continue  # an optional platform dependency that is not installed here
        todo.extend(Requirement(r) for r in requires)
    assert "sacrebleu" in seen and "numpy" in seen  # the walk did follow the metadata
    assert not seen & HEAVY, f"the core pulls {sorted(seen & HEAVY)}"


def test_extras_bring_the_model_and_the_fast_backend():
    assert {_name(r) for r in _extra("model")} == MODEL_EXTRA
    # The import names checked at run time are those the model extra installs.
    assert {m.replace("_", "-") for m in extras.MODEL_MODULES} == MODEL_EXTRA
    fast = _extra("fast")
    assert "ctranslate2" in {_name(r) for r in fast}
    assert "model" in Requirement(next(r for r in fast if _name(r) == "mtcheck")).extras
    # [test] runs the whole suite: both backends.
    test = next(Requirement(r) for r in _extra("test") if _name(r) == "mtcheck")
    assert {"model", "fast"} <= test.extras


# --- asking for the model without its packages ----------------------------------------


@pytest.fixture
def no_model_packages(monkeypatch):
    """The model extra's modules look uninstalled (``sys.modules[name] = None`` makes
    ``find_spec`` answer None and ``import`` fail)."""
    for name in extras.MODEL_MODULES:
        monkeypatch.setitem(sys.modules, name, None)


def test_require_model_names_the_extra_in_one_sentence(no_model_packages):
    with pytest.raises(MissingExtra) as caught:
        require_model()
    message = str(caught.value)
    assert "pip install 'mtcheck[model]'" in message
    assert "torch, transformers" in message and " are not installed" in message
    assert "--index-url https://download.pytorch.org/whl/cpu" in message
    assert message.endswith("or run with --no-backtranslation.")
    assert "\n" not in message and message.count(". ") == 0
    assert isinstance(caught.value, ModelNotAvailable) and caught.value.exit_code == 2


def test_one_missing_module_is_named_alone(monkeypatch):
    monkeypatch.setitem(sys.modules, "sacremoses", None)
    with pytest.raises(MissingExtra, match=r"and sacremoses is not installed"):
        require_model()


def test_backends_ask_for_their_extra(monkeypatch):
    pytest.importorskip("ctranslate2")
    monkeypatch.setitem(sys.modules, "transformers", None)
    # CTranslate2 is there, but its tokenizer and conversion need transformers: [fast].
    with pytest.raises(MissingExtra, match=r"mtcheck\[fast\]"):
        resolve_backend("ctranslate2", "cpu")
    with pytest.raises(MissingExtra, match=r"mtcheck\[model\]"):
        resolve_backend("marian", "cpu")
    monkeypatch.undo()
    monkeypatch.setitem(sys.modules, "ctranslate2", None)
    with pytest.raises(ModelNotAvailable, match=r"mtcheck\[fast\]"):
        resolve_backend("ctranslate2", "cpu")


def test_a_backend_loaded_directly_names_the_extra(no_model_packages, tmp_path):
    from mtcheck.backtranslate.marian import MarianBackend
    from mtcheck.backtranslate.settings import DecodingSettings

    backend = MarianBackend(tmp_path, "cpu", DecodingSettings())
    with pytest.raises(MissingExtra, match=r"mtcheck\[model\]"):
        backend.load()
    assert not backend.loaded


# --- the commands in a core-only environment (subprocess) -------------------------------

# Runs mtcheck's commands in one process in which the heavy packages cannot be imported, as
# after `pip install mtcheck` without extras; prints each command's outcome as JSON.
CORE_ONLY = r"""
import importlib.abc, json, os, sys

BLOCKED = set(sys.argv[1].split(","))


class Uninstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, Uninstalled())
from click.testing import CliRunner
from mtcheck.cli import main

outcomes = []
for cwd, args in json.loads(sys.argv[2]):
    os.chdir(cwd)
    result = CliRunner().invoke(main, args)
    crash = result.exception if not isinstance(result.exception, SystemExit) else None
    outcomes.append({"code": result.exit_code, "stdout": result.stdout,
                     "stderr": result.stderr, "crash": repr(crash) if crash else None})
print(json.dumps({"outcomes": outcomes, "imported": sorted(BLOCKED & set(sys.modules))}))
"""

GERMAN = "Der Windpark liefert Strom für 4.000 Haushalte.\n\nDie Anlage soll 2026 fertig sein.\n"
ENGLISH = "The wind farm supplies power to 4,000 households.\n\nThe plant is due in 2026.\n"


def _gate_repo(root: Path, backtranslation: bool) -> Path:
    (root / "docs" / "de").mkdir(parents=True)
    (root / "docs" / "en").mkdir(parents=True)
    (root / "docs" / "de" / "intro.md").write_text(GERMAN, encoding="utf-8")
    (root / "docs" / "en" / "intro.md").write_text(ENGLISH, encoding="utf-8")
    (root / "pyproject.toml").write_text(
        "[tool.mtcheck.gate]\n"
        'pairs = [{ target = "docs/de/**/*.md", reference = "docs/en/{path}" }]\n'
        "max-critical = 0\n"
        f"backtranslation = {'true' if backtranslation else 'false'}\n",
        encoding="utf-8",
    )
    return root


def _run_core_only(commands: list[tuple[Path, list[str]]]) -> dict:
    blocked = ",".join(sorted({*extras.MODEL_MODULES, *extras.FAST_MODULES}))
    plan = json.dumps([(str(cwd), args) for cwd, args in commands])
    done = subprocess.run(
        [sys.executable, "-c", CORE_ONLY, blocked, plan],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_core_works_without_the_model_packages_and_names_the_extra_when_asked(tmp_path):
    draft, reference = tmp_path / "d.de.txt", tmp_path / "d.en.txt"
    draft.write_text(GERMAN, encoding="utf-8")
    reference.write_text(ENGLISH, encoding="utf-8")
    table = tmp_path / "segments.jsonl"
    rows = [{"id": "1", "target": GERMAN.split("\n")[0], "reference": ENGLISH.split("\n")[0]}]
    table.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    flags_repo = _gate_repo(tmp_path / "flags-repo", backtranslation=False)
    model_repo = _gate_repo(tmp_path / "model-repo", backtranslation=True)
    commands = [
        (tmp_path, ["check", str(draft), "--reference", str(reference), "--no-backtranslation"]),
        (flags_repo, ["gate"]),
        (tmp_path, ["audit", str(table), "--out", str(tmp_path / "a"), "--no-backtranslation"]),
        # Asking for the model:
        (tmp_path, ["check", str(draft), "--reference", str(reference)]),
        (model_repo, ["gate"]),
        (tmp_path, ["audit", str(table), "--out", str(tmp_path / "b")]),
        (tmp_path, ["model", "info"]),
    ]
    report = _run_core_only(commands)
    outcomes = report["outcomes"]
    assert report["imported"] == []
    assert all(o["crash"] is None for o in outcomes), [o["crash"] for o in outcomes]
    check, gate, audit = outcomes[:3]
    assert check["code"] in (0, 1) and "d.de.txt" in check["stdout"], check
    assert gate["code"] == 0 and "intro.md" in gate["stdout"], gate
    assert audit["code"] == 0, audit
    assert json.loads((tmp_path / "a" / "summary.json").read_text(encoding="utf-8"))
    for outcome in outcomes[3:]:
        assert outcome["code"] == 2, outcome
        lines = outcome["stderr"].strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("mtcheck: error: "), outcome
        assert "pip install 'mtcheck[model]'" in lines[0] and "torch" in lines[0]
    assert "--no-backtranslation" in outcomes[3]["stderr"]
    assert not (tmp_path / "b" / "summary.json").exists()
