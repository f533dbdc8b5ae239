"""``mtcheck gate``: the configured files checked against the configured limits, in CI."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from mtcheck import gate as gating
from mtcheck import pipeline
from mtcheck.commands.choices import ModelChoice, OutputChoice, RuleChoice
from mtcheck.commands.languages import refuse_swapped_pairs
from mtcheck.commands.outcome import Message, Outcome, status
from mtcheck.commands.setup import flag_cache, keep_lexicon, load_config, load_rules, open_model
from mtcheck.constants import GATE_FORMATS
from mtcheck.errors import ConfigError, printable
from mtcheck.io import ensure_readable
from mtcheck.io.write import refuse_inputs
from mtcheck.report import output_format, render
from mtcheck.report.figures import plural
from mtcheck.report.gate_markdown import render_gate_markdown
from mtcheck.report.gate_report import render_gate_text, verdict_line
from mtcheck.report.json_report import to_dict


@dataclass(frozen=True)
class GateRequest:
    paths: tuple[Path, ...]
    model: ModelChoice
    rules: RuleChoice
    output: OutputChoice  # fmt None: from -o's extension, else text
    baseline: Path | None = None
    write_baseline: Path | None = None


def run_gate(request: GateRequest) -> Outcome:
    """Check the gate's files; the report, the verdict and the exit code (1: over a limit)."""
    output = replace(request.output, fmt=_gate_format(request.output))
    if output.quiet and output.fmt != "text" and output.path is None and not request.write_baseline:
        # The report would be replaced by the verdict line: annotations silently lost in CI.
        raise ConfigError(
            f"-q prints only the verdict line, so the {output.fmt} report would be lost; "
            "write it with -o FILE, or drop -q."
        )
    config = load_config(request.rules)
    settings = config.gate or gating.parse_gate(None, None, "")
    rules = load_rules(request.rules, config)
    jobs = gating.collect(settings, request.paths)
    for draft, reference in jobs:
        ensure_readable(draft)
        if reference is not None:
            ensure_readable(reference)
    read = refuse_swapped_pairs(jobs)  # each file read once, before a model loads
    inputs = _inputs(request, config, settings, jobs)
    model = request.model
    translator = open_model(model, settings.cache) if settings.backtranslation else None
    keep_lexicon(model.cache(settings.cache))
    with status() as progress:
        result = pipeline.run_check(
            jobs,
            translator=translator,
            rules=rules,
            progress=progress,
            flag_cache=flag_cache(model, settings.cache),
            read=read,
        )
    if request.write_baseline is not None:
        count = gating.write_baseline(result, request.write_baseline, inputs=inputs)
        found = plural(count, "accepted finding")
        message = printable(f"mtcheck: wrote {found} to {request.write_baseline}.")
        return Outcome(after=() if output.quiet else (Message(message),))
    verdict = gating.judge(result, settings.limits, request.baseline or settings.baseline)
    after = ()
    if output.quiet:
        after = (Message(printable(verdict_line(verdict.result, verdict.verdicts)), err=False),)
    return Outcome(
        report=render_gate(verdict, output.fmt) if output.path or not output.quiet else None,
        path=output.path,
        inputs=tuple(inputs),
        after=after,
        exit_code=0 if verdict.passed else 1,
    )


def _inputs(request: GateRequest, config, settings, jobs) -> list:
    """The files no output may replace, checked before any work is done; the baseline
    being read is an input of the report only (rewriting it with --write-baseline is what
    that option is for)."""
    inputs = [
        *(("input draft", draft) for draft, _ in jobs),
        *(("reference", reference) for _, reference in jobs),
        ("glossary", request.rules.glossary or config.glossary),
        ("configuration file", config.path),
        ("cache", request.model.cache(settings.cache)),
    ]
    if request.write_baseline is not None:
        refuse_inputs(request.write_baseline, inputs, "the baseline")
    if request.output.path is not None:
        inputs.append(("baseline", request.baseline or settings.baseline))
        refuse_inputs(request.output.path, inputs, "the report")
    return inputs


def _gate_format(output: OutputChoice) -> str:
    """The gate's report format: ``--format``, else the one ``-o``'s extension names."""
    fmt = output_format(output.path, output.fmt)
    if fmt not in GATE_FORMATS:
        raise ConfigError(
            f"the output file {output.path} asks for a {fmt} report, which the gate does not "
            f"write; name it .json, .sarif, .xml or .md, or give --format "
            f"({', '.join(GATE_FORMATS)})."
        )
    return fmt


def render_gate(verdict: gating.GateOutcome, fmt: str) -> str:
    """The gate's report in ``fmt``: its own text, Markdown and JSON, else a CI format."""
    notes = list(verdict.notes)
    if fmt == "markdown":
        return render_gate_markdown(verdict.result, verdict.checks, notes=notes)
    if fmt == "text":
        return render_gate_text(verdict.result, verdict.verdicts, notes=notes)
    if fmt == "json":
        data = to_dict(verdict.result)
        data["gate"] = {
            "passed": verdict.passed,
            "verdicts": {path: list(reasons) for path, reasons in verdict.verdicts.items()},
            "notes": notes,
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return render(verdict.result, fmt, verdicts=verdict.verdicts)
