"""The option groups shared by the commands, each unpacked into its frozen choice before the
command runs: ``model_options`` gives a ``model`` :class:`ModelChoice`, ``rule_options`` a
``rules`` :class:`RuleChoice`. Light, as :mod:`mtcheck.commands.choices` is."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path

import click

from mtcheck.commands.choices import ModelChoice, RuleChoice, rule_names
from mtcheck.constants import (
    BACKEND_CHOICES,
    DEFAULT_MODEL,
    DEVICES,
    ENGINES,
    FAIL_ON,
    GATE_FORMATS,
    REPORT_FORMATS,
)

PATH = click.Path(path_type=Path, dir_okay=False)

MODEL_OPTIONS = (
    click.option(
        "--model",
        envvar="MTCHECK_MODEL",
        default=DEFAULT_MODEL,
        show_default=True,
        help="Marian model: a Hugging Face id (looked up in the local cache only) or a "
        "local directory. Also MTCHECK_MODEL.",
    ),
    click.option(
        "--device",
        type=click.Choice(DEVICES),
        default="auto",
        show_default=True,
        help="Where to run the model.",
    ),
    click.option("--beams", type=click.IntRange(1, 64), default=4, show_default=True),
    click.option(
        "--no-backtranslation",
        is_flag=True,
        help="Flags only: no model, no scores (torch is not imported); chrF and BLEU "
        "limits are then not checked.",
    ),
    click.option(
        "--cache",
        "cache_path",
        type=click.Path(path_type=Path, dir_okay=False),
        envvar="MTCHECK_CACHE",
        help="SQLite cache of back-translations and flags (also MTCHECK_CACHE; default: "
        "the gate's configured 'cache', else ~/.cache/mtcheck/cache.sqlite).",
    ),
    click.option("--no-cache", is_flag=True, help="Neither read nor write the cache."),
    click.option(
        "--batch-size",
        type=click.IntRange(1, 4096),
        default=None,
        help="Sentences per model batch (default: 32 on the CPU, 256 on a GPU).",
    ),
    click.option(
        "--backend",
        type=click.Choice(BACKEND_CHOICES),
        envvar="MTCHECK_BACKEND",
        default="auto",
        show_default=True,
        help="Inference engine: marian (transformers), ctranslate2 (pip install "
        "'mtcheck[fast]'; the model is converted once into the cache folder), or auto: "
        "ctranslate2 on the CPU when installed, marian on a GPU unless CTranslate2 "
        "works there. Also MTCHECK_BACKEND.",
    ),
)

RULE_OPTIONS = (
    click.option(
        "--config",
        "config_file",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Configuration file (mtcheck.toml, or a pyproject.toml with [tool.mtcheck]) "
        "instead of the one found from the current directory upwards.",
    ),
    click.option("--isolated", is_flag=True, help="Ignore configuration files."),
    click.option(
        "--select",
        help="Comma-separated rule names to run (default: all default rules); replaces "
        "the configured 'select'.",
    ),
    click.option(
        "--ignore", help="Comma-separated rule names to skip (added to the configured ones)."
    ),
    click.option(
        "--glossary",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Terminology glossary (.csv with columns english,german[,status], or .tbx) "
        "for the glossary-term rule; replaces the configured 'glossary'.",
    ),
)


def _model_choice(values: dict) -> ModelChoice:
    return ModelChoice(
        name=values.pop("model"),
        device=values.pop("device"),
        beams=values.pop("beams"),
        batch_size=values.pop("batch_size"),
        backend=values.pop("backend"),
        backtranslate=not values.pop("no_backtranslation"),
        cache_path=values.pop("cache_path"),
        use_cache=not values.pop("no_cache"),
    )


def _rule_choice(values: dict) -> RuleChoice:
    return RuleChoice(
        config_file=values.pop("config_file"),
        isolated=values.pop("isolated"),
        select=rule_names(values.pop("select")),
        ignore=rule_names(values.pop("ignore")),
        glossary=values.pop("glossary"),
    )


def _group(options: tuple, name: str, unpack: Callable[[dict], object]) -> Callable:
    """A decorator adding ``options`` to a command, which gets them as one ``name``."""

    def decorate(command: Callable) -> Callable:
        @wraps(command)
        def unpacked(*args, **values):
            values[name] = unpack(values)
            return command(*args, **values)

        for option in reversed(options):
            unpacked = option(unpacked)
        return unpacked

    return decorate


model_options = _group(MODEL_OPTIONS, "model", _model_choice)
rule_options = _group(RULE_OPTIONS, "rules", _rule_choice)


def pair_patterns(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    """``--pair GLOB=TEMPLATE`` values as (glob, template), the template checked."""
    pairs = []
    for value in values:
        glob, _, template = value.partition("=")
        if not glob.strip() or not template.strip():
            raise click.BadParameter(
                f"{value!r}: give GLOB=TEMPLATE, e.g. 'de/**/*.md=en/{{path}}'."
            )
        try:
            template.format(path="p", name="n", stem="s")
        except (KeyError, IndexError, ValueError) as error:
            raise click.BadParameter(
                f"{value!r}: bad placeholder ({error}); use {{path}}, {{name}} or {{stem}}."
            ) from None
        pairs.append((glob.strip(), template.strip()))
    return tuple(pairs)


CHECK_OPTIONS = (
    click.argument("draft", type=PATH),
    click.option(
        "-r",
        "--reference",
        type=PATH,
        help="English original (.txt, one paragraph a line). JSONL drafts may carry "
        "'reference' fields instead.",
    ),
    click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(REPORT_FORMATS),
        default=None,
        help="Report format: html (one self-contained page), xliff (XLIFF 2.1 with ITS 2.0 "
        "quality-issue markup), markdown (a findings table for a PR or ticket), or the others. "
        "Default: the one -o's extension names, else text.",
    ),
    click.option(
        "-o",
        "--output",
        type=PATH,
        help="Write the report to this file instead of stdout. Its extension sets the format: "
        ".html, .json, .sarif (or .sarif.json), .md, .xlf/.xliff, .xml (JUnit), .txt (text); "
        "any other extension gets the text report. A --format that contradicts the "
        "extension is refused.",
    ),
    click.option(
        "--statistics",
        is_flag=True,
        help="Instead of the report, print how often each rule fired (count, rule, severity, "
        "category; most frequent first); with --format json as a JSON list. --fail-on "
        "still sets the exit code.",
    ),
    click.option(
        "--fix",
        is_flag=True,
        help="Apply the safe fixes (quotation marks, spacing, hyphens, number notation) to DRAFT "
        "and rewrite it in place, atomically, once the whole corrected text is built; the report "
        "then shows what is left. With '-' the corrected text goes to stdout and the report to "
        "-o or stderr. Needs a UTF-8 draft.",
    ),
    click.option(
        "--unsafe-fixes",
        is_flag=True,
        help="With --fix or --diff, also apply the fixes that choose among readings (grammar, "
        "word choice, commas; the first suggestion where there are several): review them.",
    ),
    click.option(
        "--diff",
        is_flag=True,
        help="Print a unified diff of what --fix would change and write nothing; exit 1 when "
        "there is a change, else 0.",
    ),
    click.option(
        "--fail-on",
        type=click.Choice(FAIL_ON),
        default=None,
        help="Exit 1 when a flag of this severity or worse is found (default: 'fail-on' from "
        "the configuration, else never).",
    ),
    click.option(
        "--color/--no-color",
        default=None,
        help="Colour the text report (default: when stdout is a terminal).",
    ),
)

GATE_OPTIONS = (
    click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
    click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(GATE_FORMATS),
        default=None,
        help="Report format (default: from -o's extension — .json, .sarif, .xml for JUnit, "
        ".md — else text).",
    ),
    click.option(
        "-o", "--output", type=PATH, help="Write the report to this file instead of stdout."
    ),
    click.option(
        "--baseline",
        "baseline_path",
        type=PATH,
        help="Only findings not recorded in this baseline count (default: 'baseline' of the "
        "gate configuration).",
    ),
    click.option(
        "--write-baseline",
        type=PATH,
        help="Record the current findings as accepted in this file, and exit 0.",
    ),
    click.option(
        "-q",
        "--quiet",
        is_flag=True,
        help="Print only the verdict line (errors still go to stderr; a report named with -o is "
        "still written). Exit codes are unchanged.",
    ),
)

AUDIT_OPTIONS = (
    click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path)),
    click.option(
        "--out",
        "out",
        required=True,
        type=click.Path(path_type=Path, file_okay=False),
        help="Folder for segments.parquet, summary.json, report.html and the resumable store "
        "(audit.sqlite).",
    ),
    click.option(
        "--engine",
        type=click.Choice(ENGINES),
        default="local",
        show_default=True,
        help="local: this machine (model in this process, flags in --workers processes). "
        "ray: a Ray Data pipeline (pip install 'mtcheck[ray]') on a local Ray with --workers "
        "CPUs (default: all) or on the cluster at --ray-address: one model actor per GPU, "
        "flags on the CPUs.",
    ),
    click.option(
        "--ray-address",
        metavar="ADDR",
        help="With --engine ray: the Ray cluster to use (e.g. 'auto' on a cluster node, or "
        "host:6379); default: a local Ray started for this run.",
    ),
    click.option(
        "--workers",
        type=click.IntRange(1, 256),
        default=1,
        show_default=True,
        help="Processes for scores and flags (1: in this process). With --engine ray and no "
        "--ray-address: the local Ray's CPUs (default there: all).",
    ),
    click.option("--limit", type=click.IntRange(0), help="Only the first N rows of the inputs."),
    click.option(
        "--sample",
        type=click.IntRange(0),
        help="N rows drawn at random (see --seed) from the inputs (after --limit), in input order.",
    ),
    click.option("--seed", type=int, default=0, show_default=True, help="Seed for --sample."),
    click.option(
        "--group-by",
        "group_by",
        help="Metadata column (e.g. system) for per-group figures in summary.json.",
    ),
    click.option(
        "--pair",
        "pairs",
        multiple=True,
        metavar="GLOB=TEMPLATE",
        callback=pair_patterns,
        help="In directory inputs, the German documents (GLOB) and where each one's English "
        "reference is (TEMPLATE with {path}, {name}, {stem}, as the pairs of "
        "[tool.mtcheck.gate]), both relative to the directory; repeatable. Default: "
        "NAME.de.EXT with NAME.en.EXT beside it.",
    ),
    click.option(
        "--target-column",
        metavar="NAME",
        help="In tables, the column with the German text (default: target).",
    ),
    click.option(
        "--reference-column",
        metavar="NAME",
        help="In tables, the column with the English reference (default: reference, else "
        "source or src, with a note).",
    ),
    click.option(
        "--id-column",
        metavar="NAME",
        help="In tables, the column with the segment id (default: id).",
    ),
    click.option(
        "--strip-tag",
        "strip_tags",
        multiple=True,
        metavar="TAG",
        help="In tables, remove <TAG> and </TAG> from targets and references, keeping the text "
        "between them: --strip-tag v for the error spans of MQM annotations; repeatable.",
    ),
    click.option(
        "--overwrite", is_flag=True, help="Replace an audit of other inputs or options in --out."
    ),
    click.option("-q", "--quiet", is_flag=True, help="No progress bar."),
)


def options(group: tuple) -> Callable:
    """A decorator adding the options of ``group`` to a command."""

    def decorate(command: Callable) -> Callable:
        for option in reversed(group):
            command = option(command)
        return command

    return decorate
