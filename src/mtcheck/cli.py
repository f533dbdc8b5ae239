"""Command line: thin click commands over mtcheck.pipeline, mtcheck.report and friends.

Everything heavy (SoMaJo, HanTa, sacrebleu, torch) is imported inside the commands that
need it, so ``mtcheck --help`` stays instant.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from contextlib import contextmanager
from functools import wraps
from pathlib import Path

import click

from mtcheck import __version__
from mtcheck.errors import ConfigError, MtcheckError, printable

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-de-en"
FAIL_ON = ("never", "minor", "major", "critical")


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


def _rule_names(value: str | None) -> frozenset[str] | None:
    if value is None:
        return None
    return frozenset(name.strip() for name in value.split(",") if name.strip())


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


def model_options(command: Callable) -> Callable:
    """--model, --device, --beams, --batch-size, --no-backtranslation and the cache options,
    shared by the commands that translate."""
    options = [
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
            type=click.Choice(["auto", "cpu", "cuda"]),
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
            type=click.Choice(["auto", "marian", "ctranslate2"]),
            envvar="MTCHECK_BACKEND",
            default="auto",
            show_default=True,
            expose_value=False,  # read by open_translator, so commands need no new parameter
            callback=_remember_backend,
            help="Inference engine: marian (transformers), ctranslate2 (pip install "
            "'mtcheck[fast]'; the model is converted once into the cache folder), or auto: "
            "ctranslate2 on the CPU when installed, marian on a GPU unless CTranslate2 "
            "works there. Also MTCHECK_BACKEND.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


_BACKEND_META = "mtcheck.backend"


def _remember_backend(ctx: click.Context, _param: click.Parameter, value: str) -> str:
    ctx.meta[_BACKEND_META] = value
    return value


def rule_options(command: Callable) -> Callable:
    """--config, --isolated, --select, --ignore and --glossary: what decides the rules."""
    options = [
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
    ]
    for option in reversed(options):
        command = option(command)
    return command


def open_translator(
    model: str,
    device: str,
    beams: int,
    batch_size: int | None,
    cache,
    no_cache,
    *,
    backend: str | None = None,
):
    """The translator for a command; ``backend`` defaults to the command's --backend."""
    from mtcheck.backtranslate import DecodingSettings
    from mtcheck.backtranslate import open_translator as open_marian

    if backend is None:
        ctx = click.get_current_context(silent=True)
        backend = ctx.meta.get(_BACKEND_META, "auto") if ctx is not None else "auto"
    return open_marian(
        model,
        device=device,
        settings=DecodingSettings(beams=beams, batch_size=batch_size),
        cache_path=cache,
        use_cache=not no_cache,
        backend=backend,
    )


@main.command()
@click.argument("draft", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-r",
    "--reference",
    type=click.Path(path_type=Path, dir_okay=False),
    help="English original (.txt, one paragraph a line). JSONL drafts may carry "
    "'reference' fields instead.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "junit", "github", "html", "xliff", "markdown"]),
    default=None,
    help="Report format: html (one self-contained page), xliff (XLIFF 2.1 with ITS 2.0 "
    "quality-issue markup), markdown (a findings table for a PR or ticket), or the others. "
    "Default: the one -o's extension names, else text.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to this file instead of stdout. Its extension sets the format: "
    ".html, .json, .sarif (or .sarif.json), .md, .xlf/.xliff, .xml (JUnit), .txt (text); "
    "any other extension gets the text report. A --format that contradicts the "
    "extension is refused.",
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Instead of the report, print how often each rule fired (count, rule, severity, "
    "category; most frequent first); with --format json as a JSON list. --fail-on "
    "still sets the exit code.",
)
@click.option(
    "--fix",
    is_flag=True,
    help="Apply the safe fixes (quotation marks, spacing, hyphens, number notation) to DRAFT "
    "and rewrite it in place, atomically, once the whole corrected text is built; the report "
    "then shows what is left. With '-' the corrected text goes to stdout and the report to "
    "-o or stderr. Needs a UTF-8 draft.",
)
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="With --fix or --diff, also apply the fixes that choose among readings (grammar, "
    "word choice, commas; the first suggestion where there are several): review them.",
)
@click.option(
    "--diff",
    is_flag=True,
    help="Print a unified diff of what --fix would change and write nothing; exit 1 when "
    "there is a change, else 0.",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default=None,
    help="Exit 1 when a flag of this severity or worse is found (default: 'fail-on' from "
    "the configuration, else never).",
)
@click.option(
    "--color/--no-color",
    default=None,
    help="Colour the text report (default: when stdout is a terminal).",
)
@model_options
@rule_options
@handle_errors
def check(
    draft: Path,
    reference: Path | None,
    model: str,
    device: str,
    beams: int,
    batch_size: int | None,
    fmt: str,
    output: Path | None,
    no_backtranslation: bool,
    cache_path: Path | None,
    no_cache: bool,
    select: str | None,
    ignore: str | None,
    fail_on: str | None,
    config_file: Path | None,
    isolated: bool,
    glossary: Path | None,
    color: bool | None,
    statistics: bool,
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
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
    from mtcheck.config import resolve_config, rule_settings
    from mtcheck.io import ensure_readable
    from mtcheck.io.write import refuse_inputs
    from mtcheck.languages import no_reference_note
    from mtcheck.pipeline import run_check
    from mtcheck.report import output_format, render

    fmt = output_format(output, fmt)  # a contradiction is refused before any work
    if statistics and fmt not in ("text", "json"):
        raise ConfigError(f"--statistics writes a table or JSON, not {fmt}; drop --format.")
    config = resolve_config(config_file, isolated=isolated)
    rules = rule_settings(
        config, select=_rule_names(select), ignore=_rule_names(ignore), glossary=glossary
    )
    fail_on = fail_on or config.fail_on or "never"
    # Read the inputs before loading a model, so a wrong path fails fast.
    for path in (draft, reference):
        if path is not None:
            ensure_readable(path)
    inputs = (
        ("input draft", draft),
        ("reference", reference),
        ("glossary", glossary or config.glossary),
        ("configuration file", config.path),
        ("cache", cache_path),
    )
    if output is not None:
        refuse_inputs(output, inputs, "the report")  # before any work is done
    source = _fix_source(draft, fix=fix, diff=diff, unsafe=unsafe_fixes)  # --fix, --diff
    # Files are looked at before the model loads; a pipe can be read only once, so its
    # texts are looked at in the result instead.
    early = _input_texts(draft, reference)
    if early is not None:
        no_reference = _judge_inputs(*early, draft, reference)
    translator = None
    if not no_backtranslation:
        translator = open_translator(model, device, beams, batch_size, cache_path, no_cache)
    _keep_lexicon(cache_path)
    with _status() as progress:
        result = run_check(
            [(draft, reference)],
            translator=translator,
            rules=rules,
            progress=progress,
            flag_cache=None if no_cache else _flag_cache(cache_path),
        )
    if early is None:
        no_reference = _judge_inputs(*_result_texts(result), draft, reference)
    if source is not None and _apply_fixes(source, result, rules, unsafe_fixes, diff, inputs):
        with _status() as progress:  # the report shows what the fixes left
            result = run_check(
                [(draft, reference)],
                translator=translator,
                rules=rules,
                progress=progress,
                flag_cache=None if no_cache else _flag_cache(cache_path),
            )
    # Sentences too long for the tagger were checked without the word-class rules: say so.
    if (tagger := sys.modules.get("mtcheck.flags.tagger")) and (note := tagger.untagged_note()):
        click.echo(f"mtcheck: note: {note}", err=True)
    to_terminal = output is None and sys.stdout.isatty()
    if statistics:
        from mtcheck.report.statistics import render_statistics

        report = render_statistics(result, fmt)
    else:
        report = render(
            result,
            fmt,
            color=to_terminal if color is None else color,
            width=_terminal_width() if to_terminal else 100,
        )
    if source is not None and source.stdin and output is None:
        click.echo(report, err=True, nl=False)  # stdout holds the corrected draft
    else:
        _write(report, output, inputs)
    if no_reference:  # once, after the report, so that an error stays the only line
        note = no_reference_note(
            rules.enabled(), backtranslating=translator is not None, glossary=bool(rules.glossary)
        )
        click.echo(f"mtcheck: note: {note}", err=True)
    if _over_limit(result, fail_on):
        sys.exit(1)


def _fix_source(draft: Path, *, fix: bool, diff: bool, unsafe: bool):
    """The draft's text for --fix/--diff (standard input is read here and put back for the
    check), or None without them."""
    if unsafe and not (fix or diff):
        raise ConfigError("--unsafe-fixes applies fixes only with --fix or --diff; add one.")
    if not (fix or diff):
        return None
    from mtcheck.fix import read_draft

    return read_draft(draft)


def _apply_fixes(source, result, rules, unsafe: bool, diff: bool, inputs) -> bool:
    """--diff: print the diff and exit; --fix: write the corrected draft. True when the
    draft changed, so the report must check it again."""
    from mtcheck.fix import fixes, write_fixed

    found = fixes(source, result, rules.rules(), unsafe=unsafe)
    if diff:
        text = found.diff()
        sys.stdout.write(printable(text, keep="\n\t") if sys.stdout.isatty() else text)
        sys.stdout.flush()
        click.echo(f"mtcheck: {printable(found.summary(written=False))}", err=True)
        sys.exit(1 if found.applied else 0)
    write_fixed(found, inputs)
    click.echo(f"mtcheck: {printable(found.summary(written=True))}", err=True)
    return bool(found.applied)


def _input_texts(draft: Path, reference: Path | None):
    """(German texts, English texts) of the inputs read now, when both are files that can
    be read a second time by the pipeline; None for standard input or a pipe."""
    import stat

    from mtcheck.io import read_document

    for path in (draft, reference):
        if path is not None and (str(path) == "-" or stat.S_ISFIFO(os.stat(path).st_mode)):
            return None
    target = read_document(draft, "de")
    if reference is not None:
        english = [p.text for p in read_document(reference, "en").paragraphs]
    else:
        english = [p.reference for p in target.paragraphs if p.reference]
    return [p.text for p in target.paragraphs], english


def _refuse_swapped_pairs(jobs) -> None:
    """The gate refuses a pair whose languages are swapped (its pairs point the wrong way).
    An English page alone is no usage error there: it is what untranslated-text reports
    (some site generators copy the English source in as the start of a translation)."""
    from mtcheck.errors import InputError
    from mtcheck.languages import swapped

    for draft, reference in jobs:
        texts = _input_texts(draft, reference)
        if texts is None or not swapped(*texts):
            continue
        if reference is None:
            raise InputError(
                f"{draft}: its German text reads as English and its English source as "
                "German; swap the languages in the file."
            )
        raise InputError(
            f"{draft} looks English and its reference {reference} German: the gate's "
            "pairs have target and reference swapped; swap them in [tool.mtcheck.gate]."
        )


def _result_texts(result):
    """(German texts, English texts) of the segments of a finished check."""
    segments = [item.segment for document in result.documents for item in document.segments]
    return [s.target for s in segments], [s.reference for s in segments if s.reference]


def _judge_inputs(german, english, draft: Path, reference: Path | None) -> bool:
    """Refuse a draft that reads as English or a reference that reads as German (exit 2,
    with the fix); True when there is no reference text at all."""
    from mtcheck.errors import InputError
    from mtcheck.languages import language_problem

    problem = language_problem(
        german, english, draft=str(draft), reference=None if reference is None else str(reference)
    )
    if problem is not None:
        raise InputError(problem)
    return not any(english)


GATE_FORMATS = ("text", "json", "sarif", "junit", "github", "markdown")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-f", "--format", "fmt", type=click.Choice(GATE_FORMATS), default="text", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to this file instead of stdout.",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Only findings not recorded in this baseline count (default: 'baseline' of the "
    "gate configuration).",
)
@click.option(
    "--write-baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Record the current findings as accepted in this file, and exit 0.",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Print only the verdict line (errors still go to stderr; a report named with -o is "
    "still written). Exit codes are unchanged.",
)
@model_options
@rule_options
@handle_errors
def gate(
    paths: tuple[Path, ...],
    config_file: Path | None,
    isolated: bool,
    fmt: str,
    output: Path | None,
    baseline_path: Path | None,
    write_baseline: Path | None,
    quiet: bool,
    model: str,
    device: str,
    beams: int,
    batch_size: int | None,
    no_backtranslation: bool,
    cache_path: Path | None,
    no_cache: bool,
    select: str | None,
    ignore: str | None,
    glossary: Path | None,
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
    from mtcheck import gate as gating
    from mtcheck.config import resolve_config, rule_settings
    from mtcheck.io import ensure_readable
    from mtcheck.io.write import refuse_inputs
    from mtcheck.pipeline import run_check
    from mtcheck.report.figures import plural
    from mtcheck.report.summary import document_summary

    if quiet and fmt != "text" and output is None and write_baseline is None:
        # The report would be replaced by the verdict line: annotations silently lost in CI.
        raise ConfigError(
            f"-q prints only the verdict line, so the {fmt} report would be lost; "
            "write it with -o FILE, or drop -q."
        )
    config = resolve_config(config_file, isolated=isolated)
    settings = config.gate or gating.parse_gate(None, None, "")
    rules = rule_settings(
        config, select=_rule_names(select), ignore=_rule_names(ignore), glossary=glossary
    )
    jobs = gating.collect(settings, paths)
    for draft, reference in jobs:
        ensure_readable(draft)
        if reference is not None:
            ensure_readable(reference)
    _refuse_swapped_pairs(jobs)
    inputs = [
        *(("input draft", draft) for draft, _ in jobs),
        *(("reference", reference) for _, reference in jobs),
        ("glossary", glossary or config.glossary),
        ("configuration file", config.path),
        ("cache", cache_path or settings.cache),
    ]
    # Refused before any work is done; the baseline being read is an input of the
    # report only (rewriting it with --write-baseline is what that option is for).
    if write_baseline is not None:
        refuse_inputs(write_baseline, inputs, "the baseline")
    if output is not None:
        inputs.append(("baseline", baseline_path or settings.baseline))
        refuse_inputs(output, inputs, "the report")
    translator = None
    if settings.backtranslation and not no_backtranslation:
        cache = cache_path or settings.cache
        translator = open_translator(model, device, beams, batch_size, cache, no_cache)
    _keep_lexicon(cache_path or settings.cache)
    with _status() as progress:
        result = run_check(
            jobs,
            translator=translator,
            rules=rules,
            progress=progress,
            flag_cache=None if no_cache else _flag_cache(cache_path or settings.cache),
        )
    if write_baseline is not None:
        count = gating.write_baseline(result, write_baseline, inputs=inputs)
        if not quiet:
            found = plural(count, "accepted finding")
            click.echo(printable(f"mtcheck: wrote {found} to {write_baseline}."), err=True)
        return
    notes = []
    baseline_path = baseline_path or settings.baseline
    if baseline_path is not None:
        result, accepted = gating.apply_baseline(result, gating.load_baseline(baseline_path))
        notes.append(f"{plural(accepted, 'finding')} accepted by the baseline {baseline_path}.")
    checks = {
        document.path: gating.checks(document, settings.limits, document_summary(document)["words"])
        for document in result.documents
    }
    verdicts = {path: gating.reasons(found) for path, found in checks.items()}
    unchecked = gating.unchecked_limits(result, settings.limits)
    if unchecked:
        notes.append(f"Not checked without back-translation: {', '.join(unchecked)}.")
    if output is not None or not quiet:
        _write(_gate_report(result, fmt, checks, notes), output, inputs)
    if quiet:
        from mtcheck.report.gate_report import verdict_line

        click.echo(printable(verdict_line(result, verdicts)))
    if any(verdicts.values()):
        sys.exit(1)


def _gate_report(result, fmt: str, checks, notes) -> str:
    from mtcheck import gate as gating

    verdicts = {path: gating.reasons(found) for path, found in checks.items()}
    if fmt == "markdown":
        from mtcheck.report.gate_markdown import render_gate_markdown

        return render_gate_markdown(result, checks, notes=notes)
    if fmt == "text":
        from mtcheck.report.gate_report import render_gate_text

        return render_gate_text(result, verdicts, notes=notes)
    if fmt == "json":
        import json

        from mtcheck.report.json_report import to_dict

        data = to_dict(result)
        data["gate"] = {
            "passed": not any(verdicts.values()),
            "verdicts": {path: list(reasons) for path, reasons in verdicts.items()},
            "notes": list(notes),
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    from mtcheck.report import render

    return render(result, fmt, verdicts=verdicts)


def _keep_lexicon(cache_path: Path | None) -> None:
    """The noun table derived from the german-nouns lexicon is kept beside the cache file.

    Not a cache of results: --no-cache leaves it in place, since deriving it anew costs
    seconds on every run; a folder that cannot be written keeps it in memory instead.
    """
    from mtcheck.backtranslate import default_cache_path
    from mtcheck.backtranslate.cache import unfit_path
    from mtcheck.flags.nouns import keep_table_in

    path = cache_path or default_cache_path()
    # A cache path that is no regular file (--no-cache --cache /dev/null) names no folder
    # of mtcheck's: the table stays in memory rather than landing beside a device.
    keep_table_in(None if unfit_path(path) else path.parent)


def _flag_cache(path: Path | None):
    """The flags cache, in the same SQLite file as the back-translations."""
    from mtcheck.backtranslate import default_cache_path
    from mtcheck.flags.cache import FlagCache

    return FlagCache(path or default_cache_path())


@contextmanager
def _status():
    """A status line on stderr while the pipeline runs; nothing when stderr is not a TTY."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.text import Text

    # A Text, not a str: rich would read "[...]" in a file name as markup.
    with Console(stderr=True).status("Starting") as status:
        yield lambda message: status.update(Text(printable(f"{message} …")))


def _terminal_width() -> int:
    try:
        return os.get_terminal_size().columns
    except OSError:
        return 100


def _over_limit(result, fail_on: str) -> bool:
    if fail_on == "never":
        return False
    threshold = FAIL_ON.index(fail_on)
    return any(
        FAIL_ON.index(flag.severity) >= threshold
        for document in result.documents
        for segment in document.segments
        for flag in segment.flags
    )


def _write(report: str, output: Path | None, inputs=()) -> None:
    """The report to stdout, or through mtcheck's one writer to ``output`` (atomic for
    files, direct for devices and FIFOs; refused onto any of ``inputs``)."""
    if output is None:
        sys.stdout.write(report)
        sys.stdout.flush()
        return
    from mtcheck.io.write import write_text

    write_text(output, report, inputs=inputs, what="the report")


def _table_columns(
    target: str | None, reference: str | None, id_column: str | None, tags: tuple[str, ...]
):
    """The audit's column options for tables (mtcheck.audit.layout.TableColumns)."""
    from mtcheck.audit.layout import TableColumns

    return TableColumns(target, reference, id_column, tuple(dict.fromkeys(tags)))


def _input_notes(inputs: tuple[Path, ...], pairs, columns) -> list[str]:
    from mtcheck.audit.inputs import input_notes

    return input_notes(inputs, pairs, columns)


def _pair_patterns(
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


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for segments.parquet, summary.json, report.html and the resumable store "
    "(audit.sqlite).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="local: this machine (model in this process, flags in --workers processes). "
    "ray: a Ray Data pipeline (pip install 'mtcheck[ray]') on a local Ray with --workers "
    "CPUs (default: all) or on the cluster at --ray-address: one model actor per GPU, "
    "flags on the CPUs.",
)
@click.option(
    "--ray-address",
    metavar="ADDR",
    help="With --engine ray: the Ray cluster to use (e.g. 'auto' on a cluster node, or "
    "host:6379); default: a local Ray started for this run.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=1,
    show_default=True,
    help="Processes for scores and flags (1: in this process). With --engine ray and no "
    "--ray-address: the local Ray's CPUs (default there: all).",
)
@click.option("--limit", type=click.IntRange(0), help="Only the first N rows of the inputs.")
@click.option(
    "--sample",
    type=click.IntRange(0),
    help="N rows drawn at random (see --seed) from the inputs (after --limit), in input order.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for --sample.")
@click.option(
    "--group-by",
    "group_by",
    help="Metadata column (e.g. system) for per-group figures in summary.json.",
)
@click.option(
    "--pair",
    "pairs",
    multiple=True,
    metavar="GLOB=TEMPLATE",
    callback=_pair_patterns,
    help="In directory inputs, the German documents (GLOB) and where each one's English "
    "reference is (TEMPLATE with {path}, {name}, {stem}, as the pairs of "
    "[tool.mtcheck.gate]), both relative to the directory; repeatable. Default: "
    "NAME.de.EXT with NAME.en.EXT beside it.",
)
@click.option(
    "--target-column",
    metavar="NAME",
    help="In tables, the column with the German text (default: target).",
)
@click.option(
    "--reference-column",
    metavar="NAME",
    help="In tables, the column with the English reference (default: reference, else "
    "source or src, with a note).",
)
@click.option(
    "--id-column", metavar="NAME", help="In tables, the column with the segment id (default: id)."
)
@click.option(
    "--strip-tag",
    "strip_tags",
    multiple=True,
    metavar="TAG",
    help="In tables, remove <TAG> and </TAG> from targets and references, keeping the text "
    "between them: --strip-tag v for the error spans of MQM annotations; repeatable.",
)
@click.option(
    "--overwrite", is_flag=True, help="Replace an audit of other inputs or options in --out."
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@model_options
@rule_options
@handle_errors
def audit(
    inputs: tuple[Path, ...],
    out: Path,
    engine: str,
    ray_address: str | None,
    workers: int,
    limit: int | None,
    sample: int | None,
    seed: int,
    group_by: str | None,
    pairs: tuple[tuple[str, str], ...],
    target_column: str | None,
    reference_column: str | None,
    id_column: str | None,
    strip_tags: tuple[str, ...],
    no_backtranslation: bool,
    overwrite: bool,
    quiet: bool,
    cache_path: Path | None,
    no_cache: bool,
    config_file: Path | None,
    isolated: bool,
    select: str | None,
    ignore: str | None,
    glossary: Path | None,
    model: str,
    device: str,
    beams: int,
    batch_size: int | None,
) -> None:
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
    from mtcheck.audit import AuditOptions, Interrupted, RuleSpec, command_line, run_audit

    if engine == "ray":
        from mtcheck.audit.ray_engine import require_ray

        require_ray()
        source = click.get_current_context().get_parameter_source("workers")
        if source == click.core.ParameterSource.DEFAULT:
            workers = os.cpu_count() or 1  # the local Ray's CPUs: all of them
    elif ray_address is not None:
        raise ConfigError("--ray-address needs --engine ray.")
    if sample is not None and limit is not None and sample > limit:
        raise ConfigError(f"--sample {sample} is larger than --limit {limit}; lower one.")
    spec = RuleSpec(
        config_file=str(config_file) if config_file else None,
        isolated=isolated,
        select=tuple(sorted(_rule_names(select))) if select is not None else None,
        ignore=tuple(sorted(_rule_names(ignore))) if ignore is not None else None,
        glossary=str(glossary) if glossary else None,
    )
    columns = _table_columns(target_column, reference_column, id_column, strip_tags)
    # Said before the model loads: how the tables are read (e.g. 'source' as the reference).
    for note in _input_notes(inputs, pairs, columns):
        click.echo(f"mtcheck: note: {printable(note)}", err=True)
    translator = None
    model_id = None
    model_settings = None
    _keep_lexicon(cache_path)
    if not no_backtranslation:
        translator = open_translator(model, device, beams, batch_size, cache_path, no_cache)
        resolved = translator.model
        model_id = {
            "name": resolved.name,
            "revision": resolved.revision,
            "beams": beams,
            "device": device,
            # backend, numerics (int8 or fp32), output bound: results differ between them
            "decoding": translator.info.decoding,
        }
        if engine == "ray":
            # The model is opened again, once in each Ray actor, from these settings.
            from mtcheck.audit.ray_engine import ModelSettings
            from mtcheck.backtranslate import default_cache_path

            model_settings = ModelSettings(
                name=model,
                revision=resolved.revision,
                decoding=translator.info.decoding,
                device=device,
                beams=beams,
                batch_size=batch_size,
                backend=translator.backend,
                cache_path=str(Path(cache_path or default_cache_path()).absolute()),
                use_cache=not no_cache,
            )
            translator.close()
            translator = None
    options = AuditOptions(
        inputs=tuple(inputs),
        out=out,
        workers=workers,
        limit=limit,
        sample=sample,
        seed=seed,
        group_by=group_by,
        pairs=pairs,
        columns=columns,
        overwrite=overwrite,
        rules=spec,
        model=model_id,
        batch_size=batch_size,
        engine=engine,
        ray_address=ray_address,
        model_settings=model_settings,
    )
    try:
        outcome = run_audit(
            options,
            translator=translator,
            show_progress=not quiet and sys.stderr.isatty(),
        )
    except Interrupted as stop:  # Ctrl-C or SIGTERM: whole batches are kept
        click.echo(printable(stop.hint(command_line())), err=True)
        sys.exit(130)
    if outcome.status == "nothing-to-do":
        click.echo(
            f"mtcheck: {out}: this audit is complete ({outcome.segments} segments); nothing to do.",
            err=True,
        )
    elif not quiet:
        click.echo(
            f"mtcheck: audited {outcome.segments} segments ({outcome.computed} computed now); "
            f"wrote {out / 'segments.parquet'}, {out / 'summary.json'} and "
            f"{out / 'report.html'}.",
            err=True,
        )


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
