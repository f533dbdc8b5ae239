"""Do two revisions give the same results? A refactor must leave every output unchanged.

    python scripts/compare_outputs.py --base REV [--work DIR] [--quick] [--keep]

The outputs are built twice: once from REV, checked out into a temporary ``git worktree``
(removed afterwards), once from the working tree DIR (default: the repository this script
lies in). Every command runs in a fresh subprocess of this Python with PYTHONPATH at that
tree's ``src/``, with caches and a Hugging Face home of its own side (offline), on the same
inputs:

* ``check -f json`` of the seed draft (``../shared/seed``, when present) and of each pair in
  ``corpora/``, flags only and with a tiny MarianMT model (``mtcheck.testing``, built once
  with REV's code; the ``auto`` backend, and ``marian`` for the seed);
* ``gate`` on the repositories of the gate tests (Markdown and XLIFF; plain text), both with
  findings: every report format, ``--write-baseline`` and ``--baseline``; the Markdown one
  also with the tiny model;
* ``audit`` of a 200-row JSONL table (the rows of the audit tests) with ``--engine local``
  and ``--engine ray`` (when ray is installed), flags only and with the model:
  ``segments.parquet`` (schema and every row) and ``summary.json``.

Only the fields that name the version or the time are masked: keys such as
``mtcheck_version`` or ``elapsed`` (``masked_key``), the ``version`` of a record named
"mtcheck" (SARIF's driver), and "mtcheck X.Y" in text reports. Exit codes are compared too.
Prints one line per artifact, identical or differs with the first difference; exits 0 only
when every artifact is identical, 1 otherwise, 2 on a usage error. ``--quick``: the
flags-only cases (about a minute).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MTCHECK_SHARED", ROOT.parent / "shared"))
# The installed console script is mtcheck.cli:main; calling it from -c keeps argv[0] tidy.
CLI = "import sys; from mtcheck.cli import main; sys.argv[0] = 'mtcheck'; main()"
COMMAND_TIMEOUT = 600
VERSION_KEYS = frozenset({"mtcheck_version"})
TIME_KEYS = frozenset(
    {"generated", "timestamp", "created", "started", "elapsed", "duration", "seconds", "time"}
)
TIME_SUFFIXES = ("_at", "_time", "_seconds", "_elapsed", "_duration")
# The caller's settings must not reach the runs: each side gets its own, set in side_env.
CLEARED_ENV = (
    "PYTHONPATH",
    "MTCHECK_CACHE",
    "MTCHECK_MODEL",
    "MTCHECK_BACKEND",
    "MTCHECK_DEBUG",
    "HF_HUB_CACHE",
    "HUGGINGFACE_HUB_CACHE",
    "RAY_ADDRESS",
)


# -- records ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Artifact:
    """One output of a case: ``file`` (relative to the run's folder, with the case's
    placeholders) or standard output when None; ``kind`` is json, text or parquet."""

    name: str
    kind: str
    file: str | None = None


@dataclass(frozen=True)
class Case:
    """One command line, run on both sides. ``args`` may hold ``{out}`` (a fresh folder of
    the side) and ``{model}`` (the tiny model); ``place`` is where it runs: ``inputs`` (the
    shared, read-only inputs) or a gate repository of the side's own."""

    name: str
    args: tuple[str, ...]
    place: str
    artifacts: tuple[Artifact, ...]


@dataclass(frozen=True)
class Side:
    """One tree whose code is run: ``src`` goes first on PYTHONPATH; ``folder`` holds its
    caches, gate repositories and audit outputs."""

    name: str
    src: Path
    folder: Path
    version: str


@dataclass(frozen=True)
class Run:
    code: int
    stdout: bytes
    stderr: str
    cwd: Path
    out: Path
    seconds: float


class UsageError(Exception):
    """A revision or tree that cannot be compared: one sentence, exit 2."""


@dataclass(frozen=True)
class Verdict:
    label: str
    same: bool
    detail: str


# -- comparison (pure; tests/test_outputs_unchanged.py) ---------------------------------


def masked_key(key: str) -> bool:
    """Whether a JSON key names the version or a time (the only fields allowed to differ)."""
    return key in VERSION_KEYS or key in TIME_KEYS or key.endswith(TIME_SUFFIXES)


def _masked_fields(value, found: list[tuple[str, object]]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if masked_key(key) or (key == "version" and value.get("name") == "mtcheck"):
                found.append((key, item))
            else:
                _masked_fields(item, found)
    elif isinstance(value, list):
        for item in value:
            _masked_fields(item, found)


def masked_fields(value) -> list[tuple[str, object]]:
    """(key, value) of every version and time field in a parsed JSON document."""
    found: list[tuple[str, object]] = []
    _masked_fields(value, found)
    return found


def without_masked(value):
    """A parsed JSON document without its version and time fields (key order kept)."""
    if isinstance(value, dict):
        return {
            key: without_masked(item)
            for key, item in value.items()
            if not (masked_key(key) or (key == "version" and value.get("name") == "mtcheck"))
        }
    if isinstance(value, list):
        return [without_masked(item) for item in value]
    return value


def mask_json_text(text: str, value) -> str:
    """``text`` (the JSON of ``value``) with the values of its version and time fields
    replaced by a placeholder, every other byte kept: formatting and key order count."""
    for key, item in masked_fields(value):
        for encoded in {json.dumps(item), json.dumps(item, ensure_ascii=False)}:
            pattern = rf"({re.escape(json.dumps(key))}\s*:\s*){re.escape(encoded)}"
            text = re.sub(pattern, lambda m: m.group(1) + '"<masked>"', text)
    return text


def mask_text(text: str, version: str) -> str:
    """A text report with "mtcheck VERSION" (its header) replaced by a placeholder."""
    return text.replace(f"mtcheck {version}", "mtcheck <version>")


def _short(value) -> str:
    shown = json.dumps(value, ensure_ascii=False, default=str)
    return shown if len(shown) <= 90 else shown[:87] + "..."


def _strings(a: str, b: str) -> str:
    """Two differing strings, shown from shortly before the first character that differs."""
    start = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), None)
    if start is None:
        start = min(len(a), len(b))
    start = max(0, start - 30)
    prefix = "..." if start else ""
    return f"{_short(prefix + a[start:])} != {_short(prefix + b[start:])}"


def _same_scalar(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def first_difference(a, b, where: str = "$") -> str | None:
    """Where two parsed values first differ (a JSON path and both values), else None.
    Key order counts; NaN equals NaN; 1 and 1.0 differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            return f"{where}: keys {_short(list(a))} != {_short(list(b))}"
        for key in a:
            found = first_difference(a[key], b[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        for k, (x, y) in enumerate(zip(a, b, strict=False)):
            found = first_difference(x, y, f"{where}[{k}]")
            if found:
                return found
        if len(a) != len(b):
            return f"{where}: {len(a)} items != {len(b)}"
        return None
    if _same_scalar(a, b):
        return None
    if isinstance(a, str) and isinstance(b, str):
        return f"{where}: {_strings(a, b)}"
    return f"{where}: {_short(a)} != {_short(b)}"


def first_line_difference(a: str, b: str) -> str:
    left, right = a.splitlines(), b.splitlines()
    for k, (x, y) in enumerate(zip(left, right, strict=False), start=1):
        if x != y:
            return f"line {k}: {_strings(x, y)}"
    if len(left) != len(right):
        return f"{len(left)} lines != {len(right)}"
    return "line endings or the final newline differ"


def compare_json(a: bytes, b: bytes) -> tuple[bool, str]:
    """Equal apart from version and time fields, byte for byte otherwise."""
    if a == b:
        return True, ""
    try:
        left, right = json.loads(a), json.loads(b)
    except ValueError as error:
        return False, f"not JSON ({error})"
    text_a = mask_json_text(a.decode(), left)
    text_b = mask_json_text(b.decode(), right)
    if text_a == text_b:
        return True, "apart from version/time fields"
    found = first_difference(without_masked(left), without_masked(right))
    return False, found or f"formatting: {first_line_difference(text_a, text_b)}"


def compare_text(a: bytes, b: bytes, versions: tuple[str, str]) -> tuple[bool, str]:
    if a == b:
        return True, ""
    text_a, text_b = mask_text(a.decode(), versions[0]), mask_text(b.decode(), versions[1])
    if text_a == text_b:
        return True, "apart from the version"
    return False, first_line_difference(text_a, text_b)


def _schema_without_masked(schema):
    metadata = {
        key: value
        for key, value in (schema.metadata or {}).items()
        if not masked_key(key.decode(errors="replace"))
    }
    return schema.with_metadata(metadata)


def compare_parquet(a: Path, b: Path) -> tuple[bool, str]:
    """Same schema (with its metadata, version and time keys left out) and the same rows in
    the same order; the file's bytes may differ (the writer's version, compression)."""
    if a.read_bytes() == b.read_bytes():
        return True, ""
    import pyarrow.parquet as pq

    left, right = pq.read_table(a), pq.read_table(b)
    schema_a, schema_b = _schema_without_masked(left.schema), _schema_without_masked(right.schema)
    if not schema_a.equals(schema_b, check_metadata=True):
        return False, f"schema: {_short(str(schema_a))} != {_short(str(schema_b))}"
    rows_a, rows_b = left.to_pylist(), right.to_pylist()
    found = first_difference(rows_a, rows_b, "rows")
    if found:
        return False, found
    return True, "schema and rows (file bytes differ)"


# -- inputs -----------------------------------------------------------------------------

# The audit's input: the rows of the audit tests (tests/helpers.py's make_rows): documents
# of 1-6 adjacent rows, three systems, an integer column, some rows without a reference;
# flags of several rules.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.helpers import make_rows  # noqa: E402


def write_inputs(folder: Path, tree: Path) -> list[str]:
    """The shared inputs in ``folder``: the seed, REV's corpora and the audit table; returns
    the names of the check pairs (NAME.de.txt with NAME.en.txt)."""
    pairs = []
    seed = SHARED / "seed"
    if (seed / "tiktok-microsoft.de.txt").is_file():
        for language in ("de", "en"):
            name = f"tiktok-microsoft.{language}.txt"
            shutil.copyfile(seed / name, folder / name)
        pairs.append("tiktok-microsoft")
    for german in sorted((tree / "corpora").glob("*.de.txt")):
        name = german.name.removesuffix(".de.txt")
        english = german.with_name(f"{name}.en.txt")
        if english.is_file():
            shutil.copyfile(german, folder / german.name)
            shutil.copyfile(english, folder / english.name)
            pairs.append(name)
    with (folder / "table.jsonl").open("w", encoding="utf-8") as handle:
        for row in make_rows(200):
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return pairs


# The repositories of the gate tests (tests/test_gate_markdown_xliff.py and tests/test_gate.py),
# with the findings those tests introduce, so that every report has something to say.
EN_GUIDE = """---
title: Getting started
---

# Getting started

The service stores your files in a data centre in Frankfurt.
It keeps three copies of every file. The provider is said to have tried to cut prices.

```bash
pip install example
```

* Open the settings and choose a plan.
* The basic plan costs 5 euros a month.

The company is said to have warned that it will be expensive.
"""
DE_GUIDE = """---
title: Erste Schritte
---

# Erste Schritte

Der Dienst speichert Ihre Dateien in einem Rechenzentrum in Frankfurt.
Er bewahrt drei Kopien jeder Datei auf. Der Anbieter soll versucht, die Preise zu senken.

```bash
pip install example
```

* Öffnen Sie die Einstellungen und wählen Sie einen Tarif.
* Der Basistarif kostet 5 Euro im Monat.

Die Firma soll gewarnt, dass es teuer wird.
"""
XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="de">
  <file id="app">
    <unit id="save">
      <segment><source>Your changes have been saved.</source>
        <target>Ihre Änderungen wurden gespeichert.</target></segment>
    </unit>
    <unit id="quota">
      <segment><source>You have used 80% of your storage.</source>
        <target>Sie haben 80% Ihres Speichers belegt.</target></segment>
    </unit>
  </file>
</xliff>
"""
MARKDOWN_REPO = {
    "en/guide/start.md": EN_GUIDE,
    "de/guide/start.md": DE_GUIDE,
    "en/faq.md": "# Questions\n\nYou can cancel at any time.\n",
    "de/faq.md": "# Fragen\n\nSie können jederzeit kündigen.\n",
    "l10n/app.xlf": XLIFF,
    "pyproject.toml": """[tool.mtcheck.gate]
pairs = [{ target = "de/**/*.md", reference = "en/{path}" }]
files = ["l10n/*.xlf"]
fail-on = "major"
backtranslation = false
""",
}
TEXT_REPO = {
    "en/intro.txt": "The company builds wind farms in the North Sea.\n"
    "It employs 1,900 people and plans three new parks by 2028.\n"
    "The boss must be warned that it will be costly.\n",
    "de/intro.txt": "Das Unternehmen baut Windparks in der Nordsee.\n"
    "Es beschäftigt 1.900 Menschen und plant bis 2028 drei neue Parks.\n"
    "Der Chef muss gewarnt, dass es teuer wird.\n",
    "en/guide/setup.txt": "To install the software, open the terminal.\n"
    "The company is said to have tried to make the software faster.\n"
    "The installation takes about ten minutes.\n",
    "de/guide/setup.txt": "Um die Software zu installieren, öffnen Sie das Terminal.\n"
    "Die Firma soll versucht, die Software schneller zu machen.\n"
    "Die Installation dauert etwa zehn Minuten.\n",
    "pyproject.toml": """[tool.mtcheck.gate]
pairs = [{ target = "de/**/*.txt", reference = "en/{path}" }]
fail-on = "major"
max-major = 0
max-penalty = 1000
backtranslation = false
""",
}


def gate_repositories() -> dict[str, dict[str, str]]:
    """Each gate repository by name: its files and their text. ``gate-model`` is the
    Markdown one with back-translation on."""
    model = dict(MARKDOWN_REPO)
    model["pyproject.toml"] = model["pyproject.toml"].replace("backtranslation = false\n", "")
    return {"gate-md": MARKDOWN_REPO, "gate-txt": TEXT_REPO, "gate-model": model}


def write_repository(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


# -- cases ------------------------------------------------------------------------------

STDOUT_JSON = (Artifact("stdout", "json"),)
GATE_FORMATS = ("text", "json", "sarif", "junit", "github", "markdown")
KIND_OF_FORMAT = {"json": "json", "sarif": "json"}


def check_cases(pairs: list[str], with_model: bool) -> list[Case]:
    """check -f json of every pair, flags only; with the model also (``auto`` backend, and
    ``marian`` for the first pair)."""

    def case(name: str, label: str, *options: str) -> Case:
        args = ("check", f"{name}.de.txt", "-r", f"{name}.en.txt", "-f", "json", "--isolated")
        return Case(f"check {name} {label}", (*args, *options), "inputs", STDOUT_JSON)

    cases = []
    for name in pairs:
        cases.append(case(name, "flags", "--no-backtranslation"))
        if with_model:
            cases.append(case(name, "model", "--model", "{model}"))
    if with_model and pairs:
        cases.append(case(pairs[0], "marian", "--model", "{model}", "--backend", "marian"))
    return cases


def gate_cases(with_model: bool) -> list[Case]:
    """Every report format on both repositories, then --write-baseline and --baseline (in
    this order: the second reads the first's file)."""
    cases = []
    for place in ("gate-md", "gate-txt"):
        for fmt in GATE_FORMATS:
            artifact = Artifact("stdout", KIND_OF_FORMAT.get(fmt, "text"))
            cases.append(Case(f"{place} {fmt}", ("gate", "-f", fmt), place, (artifact,)))
        written = (Artifact("baseline.json", "json", "baseline.json"),)
        args = ("gate", "--write-baseline", "baseline.json")
        cases.append(Case(f"{place} write-baseline", args, place, written))
        for fmt in ("text", "json"):
            artifact = Artifact("stdout", KIND_OF_FORMAT.get(fmt, "text"))
            args = ("gate", "--baseline", "baseline.json", "-f", fmt)
            cases.append(Case(f"{place} baseline {fmt}", args, place, (artifact,)))
    if with_model:
        for fmt in ("json", "text"):
            artifact = Artifact("stdout", KIND_OF_FORMAT.get(fmt, "text"))
            args = ("gate", "-f", fmt, "--model", "{model}")
            cases.append(Case(f"gate-model {fmt}", args, "gate-model", (artifact,)))
    return cases


def audit_cases(engines: tuple[str, ...], with_model: bool) -> list[Case]:
    """The audit table on each engine; flags only with --batch-size 2 (batches of 32 rows,
    so that documents meet batch boundaries), and with the model."""
    outputs = (
        Artifact("segments.parquet", "parquet", "{out}/segments.parquet"),
        Artifact("summary.json", "json", "{out}/summary.json"),
    )
    cases = []
    for engine in engines:
        common = ("audit", "table.jsonl", "--out", "{out}", "--engine", engine, "-q")
        common += ("--group-by", "system")
        flags = (*common, "--no-backtranslation", "--batch-size", "2")
        cases.append(Case(f"audit {engine} flags", flags, "inputs", outputs))
        if with_model:
            model = (*common, "--model", "{model}")
            cases.append(Case(f"audit {engine} model", model, "inputs", outputs))
    return cases


# -- running ----------------------------------------------------------------------------


def side_env(side: Side) -> dict[str, str]:
    """The environment of a side's commands: its own code, caches and (empty, offline)
    Hugging Face home; nothing of the caller's mtcheck settings."""
    env = {key: value for key, value in os.environ.items() if key not in CLEARED_ENV}
    env.update(
        PYTHONPATH=str(side.src),
        MTCHECK_CACHE=str(side.folder / "cache" / "cache.sqlite"),
        HF_HOME=str(side.folder / "hf-home"),
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        # Both sides iterate sets alike: a difference is then the code's, not the hash seed's.
        PYTHONHASHSEED="0",
    )
    return env


def open_side(name: str, tree: Path, folder: Path) -> Side:
    """The side running ``tree``'s code; refuses one whose import does not come from its
    src/ (an installed mtcheck that wins over PYTHONPATH would compare a tree with itself)."""
    src = (tree / "src").resolve()
    if not (src / "mtcheck" / "__init__.py").is_file():
        raise UsageError(f"{tree} has no src/mtcheck/; give a checkout of mtcheck.")
    folder.mkdir(parents=True)
    probe = "import mtcheck; print(mtcheck.__version__); print(mtcheck.__file__)"
    side = Side(name, src, folder, "")
    probed = subprocess.run(
        [sys.executable, "-c", probe],
        env=side_env(side),
        capture_output=True,
        text=True,
        check=False,
    )
    if probed.returncode != 0:
        last = (probed.stderr.strip().splitlines() or ["no message"])[-1]
        raise UsageError(f"the {name} side cannot import mtcheck: {last}")
    found = probed.stdout.splitlines()
    if not Path(found[1]).resolve().is_relative_to(src):
        raise UsageError(f"the {name} side imports {found[1]}, not {src}.")
    return Side(name, src, folder, found[0])


def run_case(case: Case, side: Side, inputs: Path, model: Path | None) -> Run:
    cwd = inputs if case.place == "inputs" else side.folder / case.place
    out = side.folder / "outputs" / re.sub(r"\W+", "-", case.name)
    values = {"out": str(out), "model": str(model)}
    args = [arg.format(**values) for arg in case.args]
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-c", CLI, *args],
            cwd=cwd,
            env=side_env(side),
            capture_output=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        stopped = f"stopped after {COMMAND_TIMEOUT} s"
        return Run(-1, b"", stopped, cwd, out, time.monotonic() - started)
    seconds = time.monotonic() - started
    return Run(
        done.returncode, done.stdout, done.stderr.decode(errors="replace"), cwd, out, seconds
    )


def _artifact_bytes(artifact: Artifact, run: Run) -> bytes | None:
    if artifact.file is None:
        return run.stdout
    path = run.cwd / artifact.file.format(out=run.out)
    return path.read_bytes() if path.is_file() else None


def _failure(run: Run) -> str:
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    return f"exit {run.code}: {lines[-1] if lines else 'no message'}"


def compare_artifact(artifact: Artifact, runs: tuple[Run, Run], versions: tuple[str, str]):
    """(same, detail) of one artifact of a case's two runs."""
    base, work = runs
    data = (_artifact_bytes(artifact, base), _artifact_bytes(artifact, work))
    if data[0] is None or data[1] is None:
        missing = " and ".join(n for n, d in zip(("base", "work"), data, strict=True) if d is None)
        return False, f"not written by {missing}"
    if artifact.kind == "parquet":
        paths = [run.cwd / artifact.file.format(out=run.out) for run in runs]
        return compare_parquet(*paths)
    if artifact.kind == "json":
        return compare_json(*data)
    return compare_text(*data, versions)


def compare_case(case: Case, sides: tuple[Side, Side], inputs: Path, model: Path | None):
    """Run ``case`` on both sides; one Verdict for each artifact (with the exit code)."""
    runs = tuple(run_case(case, side, inputs, model) for side in sides)
    timing = f"{runs[0].seconds:.1f} s / {runs[1].seconds:.1f} s"
    print(f"  {case.name}: {timing}", file=sys.stderr, flush=True)
    codes = (runs[0].code, runs[1].code)
    if codes[0] != codes[1] or codes[0] not in (0, 1):
        detail = "; ".join(
            f"{side.name} {_failure(run)}" for side, run in zip(sides, runs, strict=True)
        )
        return [Verdict(f"{case.name}: exit code", False, detail)]
    verdicts = []
    for artifact in case.artifacts:
        same, detail = compare_artifact(artifact, runs, (sides[0].version, sides[1].version))
        note = f"exit {codes[0]}" + (f"; {detail}" if detail else "")
        verdicts.append(Verdict(f"{case.name}: {artifact.name}", same, note))
    return verdicts


# -- the whole comparison ---------------------------------------------------------------


@contextmanager
def base_tree(rev: str, folder: Path) -> Iterator[Path]:
    """REV checked out (detached) at ``folder``; the worktree is removed afterwards."""
    added = subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(folder), rev],
        capture_output=True,
        text=True,
        check=False,
    )
    if added.returncode != 0:
        raise UsageError(f"cannot check out {rev}: {added.stderr.strip()}")
    try:
        yield folder
    finally:
        removed = subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)],
            capture_output=True,
            check=False,
        )
        if removed.returncode != 0:  # removed by hand meanwhile: forget its record
            shutil.rmtree(folder, ignore_errors=True)
            subprocess.run(["git", "-C", str(ROOT), "worktree", "prune"], check=False)


def build_model(side: Side, corpus: Path, folder: Path) -> Path:
    """The tiny MarianMT model of the tests, built with ``side``'s code."""
    code = (
        "import sys; from pathlib import Path; from mtcheck.testing import build_tiny_marian; "
        "build_tiny_marian(Path(sys.argv[1]), sorted(Path(sys.argv[2]).glob('*.txt')))"
    )
    built = subprocess.run(
        [sys.executable, "-c", code, str(folder), str(corpus)],
        env=side_env(side),
        capture_output=True,
        text=True,
        check=False,
    )
    if built.returncode != 0:
        last = (built.stderr.strip().splitlines() or ["no message"])[-1]
        raise UsageError(f"cannot build the tiny model ({last}); --quick compares without it.")
    return folder


def all_cases(pairs: list[str], quick: bool) -> list[Case]:
    engines = ("local", "ray") if importlib.util.find_spec("ray") else ("local",)
    if "ray" not in engines:
        print(
            "compare_outputs: ray is not installed: --engine ray is not compared.", file=sys.stderr
        )
    with_model = not quick
    return [
        *check_cases(pairs, with_model),
        *gate_cases(with_model),
        *audit_cases(engines, with_model),
    ]


def compare(rev: str, work: Path, temp: Path, quick: bool) -> list[Verdict]:
    with base_tree(rev, temp / "base-tree") as tree:
        sides = (open_side("base", tree, temp / "base"), open_side("work", work, temp / "work"))
        for side in sides:
            for name, files in gate_repositories().items():
                write_repository(side.folder / name, files)
        inputs = temp / "inputs"
        inputs.mkdir()
        pairs = write_inputs(inputs, tree)
        model = None
        if not quick:
            print("compare_outputs: building the tiny model", file=sys.stderr, flush=True)
            model = build_model(sides[0], tree / "corpora", temp / "tiny-marian")
        print(f"compare_outputs: {rev} (base) against {work} (work)", file=sys.stderr, flush=True)
        verdicts = []
        for case in all_cases(pairs, quick):
            verdicts += compare_case(case, sides, inputs, model)
        return verdicts


def print_table(verdicts: list[Verdict]) -> None:
    width = max(len(v.label) for v in verdicts)
    for verdict in verdicts:
        result = "identical" if verdict.same else "DIFFERS"
        detail = f"  ({verdict.detail})" if verdict.detail else ""
        print(f"{verdict.label:<{width}}  {result}{detail}")
    differing = sum(not v.same for v in verdicts)
    print(f"\n{len(verdicts) - differing} of {len(verdicts)} artifacts identical.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the revision to compare against")
    parser.add_argument(
        "--work", type=Path, default=ROOT, help="the tree to compare (default: this one)"
    )
    parser.add_argument("--quick", action="store_true", help="flags-only cases only")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (named on stderr)"
    )
    args = parser.parse_args(argv)
    temp = Path(tempfile.mkdtemp(prefix="mtcheck-compare-"))
    try:
        verdicts = compare(args.base, args.work.resolve(), temp, args.quick)
    except UsageError as error:
        print(f"compare_outputs: {error}", file=sys.stderr)
        return 2
    finally:
        if args.keep:
            print(f"compare_outputs: outputs kept in {temp}", file=sys.stderr)
        else:
            shutil.rmtree(temp, ignore_errors=True)
    print_table(verdicts)
    return 0 if all(v.same for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
