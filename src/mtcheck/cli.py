"""Command line: click commands that unpack their options into frozen choices
(:mod:`mtcheck.commands.options`), call one function of :mod:`mtcheck.commands` and print
its :class:`~mtcheck.commands.outcome.Outcome`.

Each command imports its module when it runs (that module brings the pipeline, the rules
and the reports), so ``mtcheck --help`` stays instant.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path

import click
from click.core import ParameterSource

from mtcheck import __version__
from mtcheck.commands.choices import ModelChoice, OutputChoice, RuleChoice
from mtcheck.commands.options import (
    AUDIT_OPTIONS,
    CHECK_OPTIONS,
    GATE_OPTIONS,
    model_options,
    options,
    rule_options,
)
from mtcheck.constants import DEFAULT_MODEL
from mtcheck.errors import ConfigError, MtcheckError, printable

__all__ = ["main", "model_options", "rule_options"]


def _fail(message: str) -> None:
    # Messages quote file names and input text: their control characters are shown.
    click.echo(f"mtcheck: error: {printable(message)}", err=True)
    sys.exit(2)


def handle_errors(command: Callable) -> Callable:
    """Turn mtcheck's errors into one sentence on stderr and exit code 2."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except MtcheckError as error:
            _fail(str(error))
        except KeyboardInterrupt:
            click.echo("mtcheck: interrupted.", err=True)
            sys.exit(130)
        except Exception as error:  # noqa: BLE001 - the promise is: no traceback for users
            if os.environ.get("MTCHECK_DEBUG"):
                raise
            _fail(
                f"unexpected {type(error).__name__}: {error}; "
                "rerun with MTCHECK_DEBUG=1 for the traceback and report it."
            )

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mtcheck")
def main() -> None:
    """Check German machine translations against their English originals.

    mtcheck back-translates the German into English, scores the back-translation against
    the English reference (BLEU, chrF, TER, adequacy) and flags suspicious German
    (modal verb with a bare participle, verb second in a "dass" clause, missing comma
    after "Um ... zu ...", English left untranslated, changed numbers, ...).

    Exit codes: 0 ok, 1 findings over the limits you set, 2 usage or input error.
    """


@main.command()
@options(CHECK_OPTIONS)
@model_options
@rule_options
@handle_errors
def check(
    draft: Path,
    reference: Path | None,
    fmt: str | None,
    output: Path | None,
    color: bool | None,
    model: ModelChoice,
    rules: RuleChoice,
    **fixing,
) -> None:
    """Check DRAFT (German; .txt one paragraph a line, .jsonl, .md, .xlf or .tmx; "-" for
    standard input) against its reference.

    \b
    Examples:
      mtcheck check draft.de.txt --reference original.en.txt
      mtcheck check draft.de.txt -r original.en.txt --format json > report.json
      mtcheck check draft.de.txt --no-backtranslation      # flags only, no model

    Settings come from [tool.mtcheck] in pyproject.toml or from mtcheck.toml, found from
    the current directory upwards (see --config, --isolated); options given here win.

    A draft that reads as English, or a reference that reads as German (swapped inputs),
    is refused (exit 2) with the command that fixes it; short or mixed texts are not
    judged. Without a reference, a note on stderr says what is not checked.
    """
    from mtcheck.commands.check import CheckRequest, FixChoice, run_check
    from mtcheck.commands.outcome import deliver

    request = CheckRequest(
        draft=draft,
        reference=reference,
        model=model,
        rules=rules,
        output=OutputChoice(fmt=fmt, path=output, color=color),
        fixes=FixChoice(fixing["fix"], fixing["diff"], fixing["unsafe_fixes"]),
        statistics=fixing["statistics"],
        fail_on=fixing["fail_on"],
        to_terminal=output is None and sys.stdout.isatty(),
    )
    deliver(run_check(request))


@main.command()
@options(GATE_OPTIONS)
@model_options
@rule_options
@handle_errors
def gate(
    paths: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    baseline_path: Path | None,
    write_baseline: Path | None,
    quiet: bool,
    model: ModelChoice,
    rules: RuleChoice,
) -> None:
    """Check published translations in CI against the limits of [tool.mtcheck.gate].

    Checks the German files of the configured pairs (or only those below PATHS) and
    bilingual XLIFF/TMX files; exits 0 when every document keeps the limits, 1 when one
    does not (the report says which limit), 2 on a configuration or input error.

    \b
    Example pyproject.toml:
      [tool.mtcheck.gate]
      pairs = [{ target = "docs/de/**/*.md", reference = "docs/en/{path}" }]
      min-chrf = 40.0
      max-penalty = 50.0
      fail-on = "critical"
    """
    from mtcheck.commands.gate import GateRequest, run_gate
    from mtcheck.commands.outcome import deliver

    request = GateRequest(
        paths=paths,
        model=model,
        rules=rules,
        output=OutputChoice(fmt=fmt, path=output, quiet=quiet),
        baseline=baseline_path,
        write_baseline=write_baseline,
    )
    deliver(run_gate(request))


@main.command()
@options(AUDIT_OPTIONS)
@model_options
@rule_options
@handle_errors
def audit(inputs: tuple[Path, ...], out: Path, model: ModelChoice, rules: RuleChoice, **given):
    """Score and flag every segment of large corpora: tables, XLIFF, TMX, documents.

    INPUTS are files, or directories of them:

    \b
      .jsonl .tsv .csv .parquet  a table, one row a segment: column 'target' (German)
                                 required, 'id' and 'reference' (English) optional,
                                 other columns (system, doc, ...) kept as metadata,
                                 with their types; other names: --target-column,
                                 --reference-column, --id-column. MQM tables (one
                                 row per error) give one segment per system, doc
                                 and segment
      .xlf .xliff .tmx           one segment per unit with German: id the unit id,
                                 reference the English source, doc the file
      .txt .md                   a German document, split into sentences and aligned
                                 with its reference NAME.en.txt beside NAME.de.txt
                                 (if there) as `check` does: id NAME:LINE:COLUMN,
                                 doc NAME
      DIRECTORY                  its NAME.de.txt/.md/.jsonl documents (or those that
                                 --pair finds) and its XLIFF and TMX files

    Rows of one 'doc' that follow each other form a document for the document-level rules.
    Results go to OUT/segments.parquet, OUT/summary.json and OUT/report.html (plots,
    the worst segments). Killed or crashed? Run
    the same command again: it goes on where it stopped.

    --engine ray (pip install 'mtcheck[ray]') runs the same batches as a Ray Data
    pipeline, with the same results: the model in one actor per GPU (one CPU actor
    without GPUs), scores and flags in CPU tasks. Without --ray-address it starts a
    local Ray with --workers CPUs (default: all); with --ray-address auto it uses the
    cluster of the node it runs on, where every node needs mtcheck and the model. The
    inputs are read, and the results stored, where mtcheck runs. A job started by one
    engine can be finished by the other.

    \b
    Examples:
      mtcheck audit wmt.parquet --out audit-wmt --group-by system --workers 4
      mtcheck audit a.jsonl b.tsv --out audit-ab --no-backtranslation
      mtcheck audit l10n/ --out audit-l10n --pair 'de/**/*.md=en/{path}'
      mtcheck audit wmt.parquet --out audit-wmt --engine ray --ray-address auto
    """
    from mtcheck.commands.audit import audit_request, run_audit_command
    from mtcheck.commands.outcome import deliver

    if click.get_current_context().get_parameter_source("workers") is ParameterSource.DEFAULT:
        given["workers"] = None  # the engine's default: 1 here, all CPUs on a local Ray
    request = audit_request(inputs, out, model, rules, given)
    deliver(run_audit_command(request, tell=lambda line: click.echo(line, err=True)))


@main.group(invoke_without_command=True)
@click.pass_context
def rules(context: click.Context) -> None:
    """List the rules: name, MQM category, default severity, group, what it catches.

    `mtcheck rules explain NAME` prints a rule's documentation with examples.
    """
    if context.invoked_subcommand is not None:
        return
    from mtcheck.flags import RULES

    width = max(len(name) for name in RULES)
    for rule in RULES.values():
        click.echo(
            f"{rule.name:<{width}}  {rule.category:<26}  {rule.severity:<8}  "
            f"{rule.group:<7}  {rule.summary}"
        )


@rules.command("explain")
@click.argument("name")
@handle_errors
def rules_explain(name: str) -> None:
    """Print the documentation of rule NAME."""
    from mtcheck.flags import RULES

    rule = RULES.get(name)
    if rule is None:
        from mtcheck.flags.settings import did_you_mean

        hint = did_you_mean(name, RULES)
        if hint.startswith(":"):  # no close name: point to the list, not all names inline
            hint = ": `mtcheck rules` lists them."
        raise ConfigError(f"Unknown rule {name!r}{hint}")
    click.echo(f"{rule.name}  ({rule.category}, default severity {rule.severity}, {rule.group})")
    click.echo()
    click.echo(rule.doc)


@main.group()
def model() -> None:
    """Download or inspect back-translation models."""


@model.command("download")
@click.argument("name", default=DEFAULT_MODEL, required=False)
@handle_errors
def model_download(name: str) -> None:
    """Fetch NAME (default Helsinki-NLP/opus-mt-de-en) into the Hugging Face cache.

    Needs network access; afterwards `mtcheck check` works offline.
    """
    from mtcheck.backtranslate import download_model

    resolved = download_model(name)
    click.echo(f"{resolved.name} revision {resolved.revision} installed at {resolved.path}")


@model.command("info")
@click.option("--model", "name", envvar="MTCHECK_MODEL", default=DEFAULT_MODEL, show_default=True)
@handle_errors
def model_info(name: str) -> None:
    """Show installed models and whether the selected one is usable (exit 2 if not)."""
    from mtcheck.backtranslate import installed_models, resolve_model

    models = installed_models()
    if models:
        click.echo("Installed in the Hugging Face cache:")
        for entry in models:
            click.echo(f"  {entry}")
    else:
        click.echo("No Marian models in the Hugging Face cache.")
    resolved = resolve_model(name)
    click.echo(f"Selected: {resolved.name} revision {resolved.revision} at {resolved.path}")


if __name__ == "__main__":  # pragma: no cover
    main()
