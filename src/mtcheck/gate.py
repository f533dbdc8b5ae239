"""``mtcheck gate``: which files CI checks, the limits they must keep, and the baseline.

Configured in ``[tool.mtcheck.gate]`` (or ``[gate]`` in ``mtcheck.toml``)::

    [tool.mtcheck.gate]
    pairs = [{ target = "docs/de/**/*.md", reference = "docs/en/{path}" }]
    files = ["l10n/*.xlf"]          # bilingual files (XLIFF, TMX, JSONL with references)
    min-chrf = 40.0                 # document chrF of the back-translation
    min-bleu = 15.0
    max-penalty = 50.0              # MQM-style penalty per 1,000 German words
    max-critical = 0                # counts per severity
    max-major = 5
    max-minor = 100
    fail-on = "critical"            # any flag this severe fails the document
    backtranslation = true          # false: flags only (chrF/BLEU limits then unchecked)
    baseline = "mtcheck-baseline.json"
    cache = ".mtcheck-cache/cache.sqlite"

``{path}`` in a reference template is the target's path below the fixed part of its
pattern ("docs/de/" above); ``{name}`` is its file name and ``{stem}`` that without suffix.
Paths are relative to the configuration file's directory, the repository root, and must stay
inside it: in CI a pull request edits the configuration and the files, so a glob, template,
baseline or cache that leads outside the root (through ``..``, an absolute path or a
symlink) is a ``ConfigError`` naming the key, raised before anything outside is read.
Absolute globs inside the root are allowed.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtcheck.constants import FAIL_ON
from mtcheck.errors import ConfigError, InputError
from mtcheck.io.pairs import (
    CONFIG_ADVICE,
    Pair,
    confine,
    confined_glob,
    display_path,
    inside,
    outside,
    pair_files,
    relative_glob,
)
from mtcheck.io.write import write_text
from mtcheck.model import SEVERITIES, DocumentResult, Result, penalty
from mtcheck.report.figures import one_decimal, penalty_figure, plural, shown
from mtcheck.report.fingerprint import fingerprint, segment_text
from mtcheck.report.summary import document_summary

GATE_KEYS = (
    "pairs",
    "files",
    "min-chrf",
    "min-bleu",
    "max-penalty",
    "max-critical",
    "max-major",
    "max-minor",
    "fail-on",
    "backtranslation",
    "baseline",
    "cache",
)
BILINGUAL = (".xlf", ".xliff", ".tmx", ".jsonl", ".ndjson")


@dataclass(frozen=True)
class Limits:
    min_chrf: float | None = None
    min_bleu: float | None = None
    max_penalty: float | None = None
    max_count: Mapping[str, int] = dataclasses.field(default_factory=dict)
    fail_on: str = "never"


@dataclass(frozen=True)
class GateConfig:
    root: Path
    pairs: tuple[Pair, ...] = ()
    files: tuple[str, ...] = ()
    limits: Limits = Limits()
    backtranslation: bool = True
    baseline: Path | None = None
    cache: Path | None = None
    # How errors name a key: "FILE: 'tool.mtcheck.gate." + key + "'".
    origin: str = "'gate."

    def key(self, key: str) -> str:
        return f"{self.origin}{key}'"


def parse_gate(table: Mapping[str, Any] | None, path: Path | None, prefix: str) -> GateConfig:
    """Check the gate table of the configuration file ``path`` (None: no file)."""
    root = path.parent if path is not None else Path.cwd()
    if not table:
        return GateConfig(root=root)
    where = f"{path}: '{prefix}gate."
    values = _Values(_kebab_keys(table, where), where)
    # Checked in this order, so that a table with several mistakes names the first one.
    pairs = _parse_pairs(values.get("pairs", []), root, where)
    files = values.get("files", [])
    if not isinstance(files, list) or not all(isinstance(f, str) and f for f in files):
        raise values.fail("files", 'must be a list of globs, e.g. ["l10n/*.xlf"].')
    files = [
        relative_glob(root, pattern, f"{where}files[{number}]'")
        for number, pattern in enumerate(files, start=1)
    ]
    min_chrf = values.number("min-chrf", 0, 100)
    min_bleu = values.number("min-bleu", 0, 100)
    max_penalty = values.number("max-penalty", 0, 1e9)
    counts = values.counts()
    fail_on = values.get("fail-on", "never")
    if fail_on not in FAIL_ON:
        raise values.fail("fail-on", f"is {fail_on!r}: use one of {', '.join(FAIL_ON)}.")
    backtranslation = values.get("backtranslation", True)
    if not isinstance(backtranslation, bool):
        raise values.fail("backtranslation", f"must be true or false, not {backtranslation!r}.")
    return GateConfig(
        root=root,
        origin=where,
        pairs=tuple(pairs),
        files=tuple(files),
        limits=Limits(min_chrf, min_bleu, max_penalty, counts, fail_on),
        backtranslation=backtranslation,
        baseline=values.path("baseline", root),
        cache=values.path("cache", root),
    )


def _kebab_keys(table: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The gate table with its keys in kebab-case; an unknown key is refused."""
    values: dict[str, Any] = {}
    for key, value in table.items():
        kebab = key.replace("_", "-")
        if kebab not in GATE_KEYS:
            raise ConfigError(
                f"{where}{key}' is not a gate setting: use one of {', '.join(GATE_KEYS)}."
            )
        values[kebab] = value
    return values


@dataclass(frozen=True)
class _Values:
    """The gate table's values, read and checked one key at a time."""

    values: Mapping[str, Any]
    where: str  # "FILE: 'tool.mtcheck.gate."

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.where}{key}' {problem}")

    def number(self, key: str, low: float, high: float) -> float | None:
        value = self.values.get(key)
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not low <= value <= high
        ):
            raise self.fail(key, f"must be a number from {low:g} to {high:g}, not {value!r}.")
        return float(value)

    def counts(self) -> dict[str, int]:
        """The max-SEVERITY limits that are set."""
        counts = {}
        for severity in SEVERITIES:
            key = f"max-{severity}"
            value = self.values.get(key)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise self.fail(key, f"must be a whole number of 0 or more, not {value!r}.")
            counts[severity] = value
        return counts

    def path(self, key: str, root: Path) -> Path | None:
        value = self.values.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"must be a path, not {value!r}.")
        return confine(root, root / value, f"{self.where}{key}'")


def _parse_pairs(raw_pairs: Any, root: Path, origin: str) -> list[Pair]:
    """The checked ``pairs``; their globs relative to ``root`` (see :func:`relative_glob`)."""
    if not isinstance(raw_pairs, list):
        raise ConfigError(
            f'{origin}pairs\' must be a list of {{target = "...", reference = "..."}} tables.'
        )
    pairs = []
    for number, entry in enumerate(raw_pairs, start=1):
        key = f"{origin}pairs[{number}]"
        if (
            not isinstance(entry, dict)
            or set(entry) != {"target", "reference"}
            or not all(isinstance(v, str) and v.strip() for v in entry.values())
        ):
            raise ConfigError(
                f"{key}' must be a table with exactly the strings 'target' (a glob) and "
                "'reference' (a path template with {path}, {name} or {stem})."
            )
        try:
            sample = entry["reference"].format(path="p", name="n", stem="s")
        except (KeyError, IndexError, ValueError) as error:
            raise ConfigError(
                f"{key}.reference' has a bad placeholder ({error}): "
                "use {path}, {name} or {stem}."
            ) from None
        # The placeholders only add names below the target's folder: a template whose
        # fixed part leads outside is refused now, symlinks met later when files are found.
        if not inside(root, root / sample):
            raise outside(f"{key}.reference'", entry["reference"], root, CONFIG_ADVICE)
        target = relative_glob(root, entry["target"], f"{key}.target'")
        pairs.append(Pair(target, entry["reference"]))
    return pairs


def collect(gate: GateConfig, paths: Sequence[Path] = ()) -> list[tuple[Path, Path | None]]:
    """(draft, reference or None for bilingual files) to check, sorted by draft path.

    ``paths`` (files or directories) restricts the run to drafts below them; a bilingual
    file named there is checked even when no pattern covers it.
    """
    chosen = [p.resolve() for p in paths]
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file or directory; check the path.")

    def wanted(target: Path) -> bool:
        return not chosen or any(target == c or c in target.parents for c in chosen)

    jobs: dict[Path, Path | None] = {}
    for number, pair in enumerate(gate.pairs, start=1):
        for target, reference in pair_files(gate.root, pair, gate.key(f"pairs[{number}]")):
            if not wanted(target.resolve()):
                continue
            if not reference.is_file():
                raise InputError(
                    f"{display_path(target)}: its reference {display_path(reference)} does not "
                    "exist; add the English file or fix the pair in [tool.mtcheck.gate]."
                )
            jobs[target.resolve()] = reference
    for number, pattern in enumerate(gate.files, start=1):
        for target in confined_glob(gate.root, pattern, gate.key(f"files[{number}]")):
            if wanted(target.resolve()):
                jobs[target.resolve()] = None
    for path in paths:
        if path.is_file() and path.resolve() not in jobs:
            if path.suffix.lower() not in BILINGUAL:
                raise InputError(
                    f"{path}: no pair in [tool.mtcheck.gate] says where its English reference "
                    "is; add a pair or name a bilingual file (XLIFF, TMX, JSONL)."
                )
            jobs[path.resolve()] = None
    if not jobs:
        raise InputError(
            "Nothing to check: no file matches the pairs and files of [tool.mtcheck.gate]"
            + (" below the given paths." if paths else "; configure them or name files.")
        )
    return [
        (Path(display_path(target)), Path(display_path(reference)) if reference else None)
        for target, reference in sorted(jobs.items())
    ]


# -- limits ----------------------------------------------------------------------------------


def _flags(document: DocumentResult):
    return [flag for segment in document.segments for flag in segment.flags]


@dataclass(frozen=True)
class Check:
    """One configured limit applied to one document, with the figures as reports show them."""

    limit: str  # the setting: "min-chrf", "max-penalty", "max-major", "fail-on", ...
    value: str  # the document's figure, rounded once: "52.6", "1"
    bound: str  # the limit as configured: "50", "0", "major"
    reason: str | None = None  # why the document fails it; None when it keeps it

    @property
    def failed(self) -> bool:
        return self.reason is not None


def _score_checks(document: DocumentResult, limits: Limits) -> list[Check]:
    if document.scores is None:
        return []
    found = []
    for name, key, value, bound in (
        ("chrF", "min-chrf", document.scores.chrf, limits.min_chrf),
        ("BLEU", "min-bleu", document.scores.bleu, limits.min_bleu),
    ):
        if bound is None:
            continue
        # Compared as shown, so that "40.0 is below min-chrf 40" cannot be printed.
        below = shown(value) < bound
        reason = f"{name} {one_decimal(value)} is below {key} {bound:g}" if below else None
        found.append(Check(key, one_decimal(value), f"{bound:g}", reason))
    return found


def checks(document: DocumentResult, limits: Limits, words: int) -> list[Check]:
    """Every configured limit that applies to ``document``, kept or failed, in a fixed order:
    scores, penalty, counts per severity, fail-on."""
    found = _score_checks(document, limits)
    flags = _flags(document)
    if limits.max_penalty is not None:
        figure = penalty_figure(penalty(flags), words)
        above = float(figure) > limits.max_penalty
        reason = (
            f"MQM penalty {figure} per 1,000 words is above max-penalty {limits.max_penalty:g}"
            if above
            else None
        )
        found.append(Check("max-penalty", figure, f"{limits.max_penalty:g}", reason))
    counts = Counter(flag.severity for flag in flags)
    for severity in SEVERITIES:
        limit = limits.max_count.get(severity)
        if limit is None:
            continue
        reason = None
        if counts[severity] > limit:
            count = plural(counts[severity], f"{severity} flag")
            reason = f"{count}, more than max-{severity} {limit}"
        found.append(Check(f"max-{severity}", str(counts[severity]), str(limit), reason))
    if limits.fail_on != "never":
        threshold = FAIL_ON.index(limits.fail_on)
        worse = sum(FAIL_ON.index(f.severity) >= threshold for f in flags)
        reason = None
        if worse:
            reason = f"{plural(worse, 'flag')} of severity {limits.fail_on} or worse (fail-on)"
        found.append(Check("fail-on", str(worse), limits.fail_on, reason))
    return found


def reasons(found: Sequence[Check]) -> list[str]:
    """Why the document of ``found`` fails its limits; empty when it keeps them all."""
    return [check.reason for check in found if check.reason]


def unchecked_limits(result: Result, limits: Limits) -> list[str]:
    """Limits that could not be checked because there are no scores."""
    if all(d.scores is not None for d in result.documents):
        return []
    return [
        key
        for key, value in (("min-chrf", limits.min_chrf), ("min-bleu", limits.min_bleu))
        if value is not None
    ]


# -- baseline --------------------------------------------------------------------------------


def _finding_keys(result: Result) -> Iterable[tuple[str, str, Any, Any]]:
    for document in result.documents:
        for segment in document.segments:
            target = segment.segment.target
            named = segment_text(target, segment.segment.reference)
            for flag in segment.flags:
                text = target[flag.span[0] : flag.span[1]]
                yield document.path, fingerprint(flag.rule, named, text), flag, text


def write_baseline(result: Result, path: Path, inputs=()) -> int:
    """Record every finding of ``result``; sorted, stable JSON that diffs well. Written
    atomically, and refused onto any of ``inputs`` (see :mod:`mtcheck.io.write`)."""
    entries = sorted(
        (
            {"path": Path(doc).as_posix(), "rule": flag.rule, "text": text, "fingerprint": key}
            for doc, key, flag, text in _finding_keys(result)
        ),
        key=lambda e: (e["path"], e["rule"], e["text"], e["fingerprint"]),
    )
    content = json.dumps({"version": 1, "findings": entries}, ensure_ascii=False, indent=2)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"{path}: cannot write the baseline ({error.strerror}).") from None
    write_text(path, content + "\n", inputs=inputs, what="the baseline")
    return len(entries)


def load_baseline(path: Path) -> Counter:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: baseline not found; create it with `mtcheck gate --write-baseline {path}`."
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ConfigError(f"{path}: not a readable mtcheck baseline ({error}).") from None
    except RecursionError:  # json's parser recurses once per nesting level
        raise ConfigError(
            f"{path}: not an mtcheck baseline (its JSON is nested too deeply to read)."
        ) from None
    # Any other top level (a list, a string, a number) is not a baseline either.
    findings = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(findings, list):
        raise ConfigError(f"{path}: not an mtcheck baseline (version 1 with 'findings').")
    try:
        return Counter((Path(e["path"]).as_posix(), e["fingerprint"]) for e in findings)
    except (KeyError, TypeError):
        raise ConfigError(f"{path}: a baseline entry lacks 'path' or 'fingerprint'.") from None


def apply_baseline(result: Result, baseline: Counter) -> tuple[Result, int]:
    """``result`` without the findings the baseline accepts, and how many were dropped.

    Each baseline entry accepts one finding: a second copy of an accepted finding is new.
    """
    remaining = Counter(baseline)
    accepted: set[int] = set()
    for doc, key, flag, _text in _finding_keys(result):
        slot = (Path(doc).as_posix(), key)
        if remaining[slot] > 0:
            remaining[slot] -= 1
            accepted.add(id(flag))
    documents = tuple(
        dataclasses.replace(
            document,
            segments=tuple(
                dataclasses.replace(
                    segment, flags=tuple(f for f in segment.flags if id(f) not in accepted)
                )
                for segment in document.segments
            ),
        )
        for document in result.documents
    )
    return dataclasses.replace(result, documents=documents), len(accepted)


# -- the verdict -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GateOutcome:
    """The gate's verdict on a checked result: the result less the findings the baseline
    accepts, every limit applied to each document, why each failed, and notes."""

    result: Result
    checks: Mapping[str, Sequence[Check]]  # document path -> its limits, kept or failed
    verdicts: Mapping[str, Sequence[str]]  # document path -> why it fails; empty: passes
    notes: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not any(self.verdicts.values())


def judge(result: Result, limits: Limits, baseline_path: Path | None) -> GateOutcome:
    """Apply the baseline at ``baseline_path`` (None: none) and ``limits`` to ``result``."""
    notes = []
    if baseline_path is not None:
        result, accepted = apply_baseline(result, load_baseline(baseline_path))
        notes.append(f"{plural(accepted, 'finding')} accepted by the baseline {baseline_path}.")
    found = {
        document.path: checks(document, limits, document_summary(document)["words"])
        for document in result.documents
    }
    verdicts = {path: reasons(document_checks) for path, document_checks in found.items()}
    unchecked = unchecked_limits(result, limits)
    if unchecked:
        notes.append(f"Not checked without back-translation: {', '.join(unchecked)}.")
    return GateOutcome(result, found, verdicts, tuple(notes))
