"""``mtcheck audit``: the run's identity and engine set up from the options, then the job."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mtcheck.audit import AuditOptions, Interrupted, RuleSpec, command_line, run_audit
from mtcheck.audit.ray_engine import ModelSettings, require_ray
from mtcheck.backtranslate.cache import default_cache_path
from mtcheck.commands.choices import ModelChoice, RuleChoice
from mtcheck.commands.outcome import Message, Outcome
from mtcheck.commands.setup import keep_lexicon, open_model
from mtcheck.errors import ConfigError, printable
from mtcheck.io.columns import TableColumns
from mtcheck.io.sources import input_notes


@dataclass(frozen=True)
class AuditRequest:
    inputs: tuple[Path, ...]
    out: Path
    model: ModelChoice
    rules: RuleChoice
    columns: TableColumns
    engine: str = "local"
    ray_address: str | None = None
    workers: int | None = 1  # None: not given (with --engine ray: all CPUs)
    limit: int | None = None
    sample: int | None = None
    seed: int = 0
    group_by: str | None = None
    pairs: tuple[tuple[str, str], ...] = ()
    overwrite: bool = False
    quiet: bool = False


def audit_request(
    inputs: tuple[Path, ...], out: Path, model: ModelChoice, rules: RuleChoice, given: dict
) -> AuditRequest:
    """The request of the audit command's options (``given``: the others, by name)."""
    columns = TableColumns(
        given.pop("target_column"),
        given.pop("reference_column"),
        given.pop("id_column"),
        tuple(dict.fromkeys(given.pop("strip_tags"))),
    )
    return AuditRequest(inputs, out, model, rules, columns, **given)


def run_audit_command(request: AuditRequest, tell: Callable[[str], None]) -> Outcome:
    """Run the audit; ``tell`` prints the notes due before the model loads."""
    workers = _workers(request)
    sample, limit = request.sample, request.limit
    if sample is not None and limit is not None and sample > limit:
        raise ConfigError(f"--sample {sample} is larger than --limit {limit}; lower one.")
    # Said before the model loads: how the tables are read (e.g. 'source' as the reference).
    for note in input_notes(request.inputs, request.pairs, request.columns):
        tell(f"mtcheck: note: {printable(note)}")
    keep_lexicon(request.model.cache_path)
    translator = open_model(request.model)
    identity = None if translator is None else translator.identity
    model_settings = None
    if translator is not None and request.engine == "ray":
        # The model is opened again, once in each Ray actor, from these settings.
        model_settings = _ray_model(request.model, identity)
        translator.close()
        translator = None
    options = _options(request, workers, identity, model_settings)
    try:
        outcome = run_audit(
            options, translator=translator, show_progress=not request.quiet and sys.stderr.isatty()
        )
    except Interrupted as stop:  # Ctrl-C or SIGTERM: whole batches are kept
        return Outcome(after=(Message(printable(stop.hint(command_line()))),), exit_code=130)
    return Outcome(after=_closing(request, outcome))


def _workers(request: AuditRequest) -> int:
    """--workers; with --engine ray and none given, the local Ray's CPUs: all of them."""
    if request.engine == "ray":
        require_ray()
        if request.workers is None:
            return os.cpu_count() or 1
    elif request.ray_address is not None:
        raise ConfigError("--ray-address needs --engine ray.")
    return request.workers or 1


def _ray_model(model: ModelChoice, identity) -> ModelSettings:
    return ModelSettings(
        name=model.name,
        identity=identity,
        batch_size=model.batch_size,
        cache_path=str(Path(model.cache_path or default_cache_path()).absolute()),
        use_cache=model.use_cache,
    )


def _options(request: AuditRequest, workers: int, identity, model_settings) -> AuditOptions:
    rules = request.rules
    return AuditOptions(
        inputs=tuple(request.inputs),
        out=request.out,
        workers=workers,
        limit=request.limit,
        sample=request.sample,
        seed=request.seed,
        group_by=request.group_by,
        pairs=request.pairs,
        columns=request.columns,
        overwrite=request.overwrite,
        rules=RuleSpec(
            config_file=str(rules.config_file) if rules.config_file else None,
            isolated=rules.isolated,
            select=tuple(sorted(rules.select)) if rules.select is not None else None,
            ignore=tuple(sorted(rules.ignore)) if rules.ignore is not None else None,
            glossary=str(rules.glossary) if rules.glossary else None,
        ),
        identity=identity,
        batch_size=request.model.batch_size,
        engine=request.engine,
        ray_address=request.ray_address,
        model_settings=model_settings,
    )


def _closing(request: AuditRequest, outcome) -> tuple[Message, ...]:
    out = request.out
    if outcome.status == "nothing-to-do":
        return (
            Message(
                f"mtcheck: {out}: this audit is complete ({outcome.segments} segments); "
                "nothing to do."
            ),
        )
    if request.quiet:
        return ()
    return (
        Message(
            f"mtcheck: audited {outcome.segments} segments ({outcome.computed} computed now); "
            f"wrote {out / 'segments.parquet'}, {out / 'summary.json'} and "
            f"{out / 'report.html'}."
        ),
    )
