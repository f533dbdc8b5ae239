"""``mtcheck check``: one draft against its reference, with --fix, --diff and --statistics."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mtcheck import pipeline
from mtcheck.commands.choices import ModelChoice, OutputChoice, RuleChoice
from mtcheck.commands.languages import judge_inputs, pair_texts, read_early, result_texts
from mtcheck.commands.outcome import Message, Outcome, note, status, terminal_width
from mtcheck.commands.setup import flag_cache, keep_lexicon, load_config, load_rules, open_model
from mtcheck.constants import STATISTICS_FORMATS, over_fail_on
from mtcheck.errors import ConfigError, printable
from mtcheck.fix import fixes, read_draft, write_fixed
from mtcheck.flags.tagger import untagged_note
from mtcheck.io import ensure_readable
from mtcheck.io.write import refuse_inputs
from mtcheck.languages import no_reference_note
from mtcheck.report import output_format, render
from mtcheck.report.statistics import render_statistics


@dataclass(frozen=True)
class FixChoice:
    """--fix, --diff and --unsafe-fixes."""

    fix: bool = False
    diff: bool = False
    unsafe: bool = False

    def wanted(self) -> bool:
        if self.unsafe and not (self.fix or self.diff):
            raise ConfigError("--unsafe-fixes applies fixes only with --fix or --diff; add one.")
        return self.fix or self.diff


@dataclass(frozen=True)
class CheckRequest:
    draft: Path
    reference: Path | None
    model: ModelChoice
    rules: RuleChoice
    output: OutputChoice
    fixes: FixChoice = FixChoice()
    statistics: bool = False
    fail_on: str | None = None
    to_terminal: bool = False  # stdout is a terminal and no -o: colour and its width


def run_check(request: CheckRequest) -> Outcome:
    """Check the draft; the report and the notes to print, and the exit code."""
    fmt = output_format(request.output.path, request.output.fmt)  # refused before any work
    if request.statistics and fmt not in STATISTICS_FORMATS:
        raise ConfigError(f"--statistics writes a table or JSON, not {fmt}; drop --format.")
    config = load_config(request.rules)
    rules = load_rules(request.rules, config)
    fail_on = request.fail_on or config.fail_on or "never"
    inputs = _inputs(request, config)
    # --fix/--diff: the draft's text (standard input is read here and put back for the check).
    source = read_draft(request.draft) if request.fixes.wanted() else None
    # Files are looked at before the model loads; a pipe can be read only once, so its
    # texts are looked at in the result instead.
    early = read_early(request.draft, request.reference)
    if early is not None:
        no_reference = judge_inputs(*pair_texts(early), request.draft, request.reference)
    translator = open_model(request.model)
    keep_lexicon(request.model.cache_path)
    result = _check(request, translator, rules, early)
    if early is None:
        no_reference = judge_inputs(*result_texts(result), request.draft, request.reference)
    before: list[Message] = []
    if source is not None:
        found = fixes(source, result, rules.rules(), unsafe=request.fixes.unsafe)
        if request.fixes.diff:
            return _diff(found)
        write_fixed(found, inputs)
        before.append(Message(f"mtcheck: {printable(found.summary(written=True))}"))
        if found.applied:  # the report shows what the fixes left
            result = _check(request, translator, rules)
    # Sentences too long for the tagger were checked without the word-class rules: say so.
    if untagged := untagged_note():
        before.append(note(untagged))
    after = ()
    if no_reference:  # once, after the report, so that an error stays the only line
        after = (_no_reference(rules, translator),)
    return Outcome(
        before=tuple(before),
        report=_report(request, result, fmt),
        path=request.output.path,
        to_stderr=source is not None and source.stdin and request.output.path is None,
        inputs=inputs,
        after=after,
        exit_code=1 if _over_limit(result, fail_on) else 0,
    )


def _inputs(request: CheckRequest, config) -> tuple:
    """The inputs, checked readable before a model loads (a wrong path fails fast); the
    report is refused onto any of them before any work is done."""
    for path in (request.draft, request.reference):
        if path is not None:
            ensure_readable(path)
    inputs = (
        ("input draft", request.draft),
        ("reference", request.reference),
        ("glossary", request.rules.glossary or config.glossary),
        ("configuration file", config.path),
        ("cache", request.model.cache_path),
    )
    if request.output.path is not None:
        refuse_inputs(request.output.path, inputs, "the report")
    return inputs


def _check(request: CheckRequest, translator, rules, read=None):
    """The check of the draft; ``read``: the pair as already read (not after --fix)."""
    with status() as progress:
        return pipeline.run_check(
            [(request.draft, request.reference)],
            translator=translator,
            rules=rules,
            progress=progress,
            flag_cache=flag_cache(request.model),
            read=None if read is None else [read],
        )


def _diff(found) -> Outcome:
    """--diff: the diff on stdout and nothing written; exit 1 when there is a change."""
    return Outcome(
        report=found.diff(),
        escape=True,
        after=(Message(f"mtcheck: {printable(found.summary(written=False))}"),),
        exit_code=1 if found.applied else 0,
    )


def _report(request: CheckRequest, result, fmt: str) -> str:
    if request.statistics:
        return render_statistics(result, fmt)
    color = request.output.color
    return render(
        result,
        fmt,
        color=request.to_terminal if color is None else color,
        width=terminal_width() if request.to_terminal else 100,
    )


def _no_reference(rules, translator) -> Message:
    text = no_reference_note(
        rules.enabled(), backtranslating=translator is not None, glossary=bool(rules.glossary)
    )
    return note(text)


def _over_limit(result, fail_on: str) -> bool:
    return over_fail_on(
        (
            flag.severity
            for document in result.documents
            for segment in document.segments
            for flag in segment.flags
        ),
        fail_on,
    )
