"""The README's GitHub Actions job works as written: every shell line of it that can run
offline is run here, from this checkout, in a fresh virtual environment; the lines that
need the network are named with the reason, and checked for what can be checked offline.

- ``pip install torch==… --index-url https://download.pytorch.org/whl/cpu`` downloads from
  PyTorch's index: not run; its pin must be the one the Makefile and the error message use.
- ``pip install ".[…]"`` (the checkout): run with ``--no-deps --no-build-isolation
  --no-index`` into a fresh venv that sees this environment's packages through a ``.pth``
  file, so the build (hatchling) and the dependencies come from here, not from an index.
- ``mtcheck model download`` fetches from the Hugging Face Hub: not run.
- ``mtcheck gate …``: run in a small repository laid out as the README's configuration
  describes (flags only: there is no model offline); its cache folder must not show in
  ``git status``.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

from mtcheck.backtranslate import extras
from mtcheck.backtranslate.cache import GITIGNORE, ResultCache, make_cache_folder

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
HEAVY = ("torch", "transformers", "ctranslate2", "sentencepiece", "huggingface-hub")
# Lines that cannot run offline, and why (a new kind of line makes the test fail until it
# is added here or run).
NEEDS_NETWORK = {
    "pip install torch": "downloads torch's CPU wheel from download.pytorch.org",
    "mtcheck model download": "downloads the model from the Hugging Face Hub",
}


def recipe() -> str:
    """The README's GitHub Actions job (the yaml block with ``jobs:``)."""
    blocks = re.findall(r"```yaml\n(.*?)```", README, flags=re.S)
    jobs = [block for block in blocks if "jobs:" in block and "mtcheck gate" in block]
    assert len(jobs) == 1, "the README should hold one GitHub Actions job running mtcheck gate"
    return jobs[0]


def run_lines(workflow: str) -> list[str]:
    """Each shell line of the ``run:`` steps (``run: cmd`` and ``run: |`` blocks)."""
    lines, out = workflow.splitlines(), []
    for index, line in enumerate(lines):
        match = re.match(r"(\s*)(?:- )?run:\s*(.*)$", line)
        if not match:
            continue
        indent, value = len(match.group(1)), match.group(2).strip()
        if value[:1] not in ("|", ">"):
            out.append(value)
            continue
        block = []
        for following in lines[index + 1 :]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            block.append(following)
        out.extend(s for s in textwrap.dedent("\n".join(block)).splitlines() if s.strip())
    return out


def test_the_recipe_is_read_whole():
    lines = run_lines(recipe())
    assert any(line.startswith("pip install torch==") for line in lines)
    assert any(re.match(r"pip install [\"']?\.\[", line) for line in lines)
    assert any(line.startswith("mtcheck gate") for line in lines)
    assert "pip install mtcheck" not in recipe()  # not on PyPI
    assert run_lines("steps:\n  - run: |\n      echo a\n      echo b\n  - run: echo c\n") == [
        "echo a",
        "echo b",
        "echo c",
    ]


def test_the_torch_line_is_the_cpu_build_pinned_everywhere():
    line = next(line for line in run_lines(recipe()) if line.startswith("pip install torch"))
    words = shlex.split(line, comments=True)
    version = next(w for w in words if w.startswith("torch==")).removeprefix("torch==")
    assert words[words.index("--index-url") + 1] == "https://download.pytorch.org/whl/cpu"
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(rf"^TORCH \?= torch=={re.escape(version)}\+cpu$", makefile, flags=re.M)
    assert " ".join(words) == extras.TORCH_CPU  # the missing-extra message gives this line


def _fresh_venv(path: Path) -> Path:
    """A venv without pip that sees this environment's site-packages after its own."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    python = path / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib, "_mtcheck_base.pth").write_text("\n".join(sorted(ours)) + "\n")
    return python


def _install_from_checkout(line: str, python: Path) -> subprocess.CompletedProcess:
    words = shlex.split(line, comments=True)
    assert words[:2] == ["pip", "install"] and len(words) == 3, line
    target = words[2]
    assert target.startswith(".["), f"the recipe installs {target}, not the checkout"
    offline = ["--no-deps", "--no-build-isolation", "--no-index", "--quiet"]
    command = [sys.executable, "-m", "pip", "--python", str(python), "install", *offline]
    return subprocess.run(
        [*command, str(REPO) + target[1:]], capture_output=True, text=True, timeout=120
    )


def _installed_metadata(python: Path) -> str:
    code = "import importlib.metadata as m; print(m.distribution('mtcheck').read_text('METADATA'))"
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True)
    return done.stdout


GERMAN = "Der Windpark liefert Strom für 4.000 Haushalte.\n\nDie Anlage soll 2026 fertig sein.\n"
ENGLISH = "The wind farm supplies power to 4,000 households.\n\nThe plant is due in 2026.\n"


def _translations_repo(root: Path) -> Path:
    """docs/de and docs/en as in the README's configuration, flags only (no model offline)."""
    for language, text in (("de", GERMAN), ("en", ENGLISH)):
        (root / "docs" / language).mkdir(parents=True)
        (root / "docs" / language / "intro.md").write_text(text, encoding="utf-8")
    (root / "pyproject.toml").write_text(
        "[tool.mtcheck.gate]\n"
        'pairs = [{ target = "docs/de/**/*.md", reference = "docs/en/{path}" }]\n'
        "max-critical = 0\nmax-major = 5\nbacktranslation = false\n"
        f'cache = "{_configured_cache()}"\n',
        encoding="utf-8",
    )
    return root


def _configured_cache() -> str:
    """The cache path of the README's gate configuration (the folder the job caches)."""
    match = re.search(r'^cache = "([^"]+)"', README, flags=re.M)
    assert match, "the README's gate configuration names a cache"
    return match.group(1)


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


def _run_gate_line(line: str, repo: Path, python: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MTCHECK_")}
    env["PATH"] = f"{python.parent}{os.pathsep}{env.get('PATH', '')}"
    env["GITHUB_STEP_SUMMARY"] = str(repo.parent / "step-summary.md")
    env["XDG_CACHE_HOME"] = str(repo.parent / "xdg-cache")  # nothing lands in ~/.cache
    return subprocess.run(
        ["bash", "-e", "-c", line], cwd=repo, env=env, capture_output=True, text=True, timeout=120
    )


def _written_file(line: str) -> str | None:
    words = shlex.split(line, comments=True)
    for flag in ("--output", "-o"):
        if flag in words:
            return words[words.index(flag) + 1]
    return None


def test_every_offline_line_of_the_recipe_runs_from_the_checkout(tmp_path):
    pytest.importorskip("hatchling", reason="the offline build needs hatchling (in [test])")
    python = _fresh_venv(tmp_path / "venv")
    repo = _translations_repo(tmp_path / "translations")
    has_git = shutil.which("git") is not None
    if has_git:
        _git(repo, "init", "-q")
    skipped, ran = [], []
    for line in run_lines(recipe()):
        reason = next((why for start, why in NEEDS_NETWORK.items() if line.startswith(start)), None)
        if reason:
            skipped.append((line, reason))
        elif line.startswith("pip install"):
            done = _install_from_checkout(line, python)
            assert done.returncode == 0, f"{line}\n{done.stdout}{done.stderr}"
            ran.append(line)
        elif line.startswith("mtcheck gate"):
            done = _run_gate_line(line, repo, python)
            assert done.returncode == 0, f"{line}\n{done.stdout}{done.stderr}"
            written = _written_file(line)
            if written and written.endswith(".sarif"):
                assert json.loads((repo / written).read_text(encoding="utf-8"))["runs"]
            ran.append(line)
        else:
            pytest.fail(f"a recipe line this test does not know: {line!r}; run it or say why not")
    assert [line for line, _ in skipped] == [
        line for line in run_lines(recipe()) if line.startswith(tuple(NEEDS_NETWORK))
    ]
    assert any(line.startswith("pip install") for line in ran)
    assert any(line.startswith("mtcheck gate") for line in ran)
    # The mtcheck that ran is the one installed from the checkout, with a light core.
    assert (python.parent / "mtcheck").is_file()
    metadata = _installed_metadata(python)
    core = [r for r in re.findall(r"^Requires-Dist: (.*)$", metadata, re.M) if "extra ==" not in r]
    assert core and not [r for r in core if r.split()[0].split("[")[0].lower() in HEAVY], core
    assert "Provides-Extra: fast" in metadata and "Provides-Extra: model" in metadata
    # The cache folder ignores itself: `git status` shows the translations only.
    cache_folder = repo / Path(_configured_cache()).parent
    assert (cache_folder / ".gitignore").read_text(encoding="utf-8") == GITIGNORE
    if has_git:
        untracked = _git(repo, "status", "--porcelain", "--untracked-files=all")
        assert cache_folder.name not in untracked and "docs/de/intro.md" in untracked


def test_the_job_caches_the_configured_cache_folder():
    folder = Path(_configured_cache()).parts[0]
    cached = re.search(r"path: \|\n((?:\s+\S.*\n)+)", recipe())
    assert cached and folder in cached.group(1).split()


# --- the cache folder ignores itself -------------------------------------------------------


def test_a_cache_folder_mtcheck_creates_ignores_itself(tmp_path):
    path = tmp_path / ".mtcheck-cache" / "deeper" / "cache.sqlite"
    ResultCache(path).close()
    ignore = (path.parent / ".gitignore").read_text(encoding="utf-8")
    assert ignore.splitlines()[-1] == "*" and "mtcheck" in ignore
    # Only the folder made for the cache file: a parent created on the way stays empty of it.
    assert not (tmp_path / ".mtcheck-cache" / ".gitignore").exists()


def test_an_existing_folder_gets_no_gitignore(tmp_path):
    # The cache may sit in a folder of the user's (the repository root): `*` there would
    # hide every file of the project from git.
    ResultCache(tmp_path / "cache.sqlite").close()
    assert not (tmp_path / ".gitignore").exists()
    from mtcheck.flags.cache import FlagCache

    FlagCache(tmp_path / "new" / "flags.sqlite").close()
    assert (tmp_path / "new" / ".gitignore").is_file()


def test_a_file_in_the_way_is_still_an_error(tmp_path):
    (tmp_path / "taken").write_text("not a folder")
    with pytest.raises(FileExistsError):
        make_cache_folder(tmp_path / "taken")
    make_cache_folder(tmp_path / "free")
    make_cache_folder(tmp_path / "free")  # a second call (another process) is fine
    assert sorted(p.name for p in (tmp_path / "free").iterdir()) == [".gitignore"]
