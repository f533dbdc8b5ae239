"""What a command hands back to the command line to print: messages, a report, an exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import click
from rich.console import Console
from rich.text import Text

from mtcheck.errors import printable
from mtcheck.io.write import write_text


@dataclass(frozen=True)
class Message:
    """One line for the user, printed as is (quoted input already made printable)."""

    text: str
    err: bool = True  # False: on stdout (the gate's verdict line with -q)


@dataclass(frozen=True)
class Outcome:
    """A command's result, in the order it is printed: ``before``, the report, ``after``;
    then the process exits with ``exit_code``."""

    before: tuple[Message, ...] = ()
    report: str | None = None  # None: no report
    path: Path | None = None  # where the report goes; None: stdout (or stderr, see below)
    to_stderr: bool = False  # the report on stderr: stdout holds the corrected draft
    escape: bool = False  # control characters shown when stdout is a terminal (--diff)
    inputs: tuple = ()  # ("what", path) of the files the report must never replace
    after: tuple[Message, ...] = ()
    exit_code: int = 0


def note(text: str) -> Message:
    """A note on stderr: ``mtcheck: note: …`` (``text`` made printable by the caller where it
    quotes input)."""
    return Message(f"mtcheck: note: {text}")


@contextmanager
def status() -> Iterator[Callable[[str], None] | None]:
    """A status line on stderr while the pipeline runs; nothing when stderr is not a TTY."""
    if not sys.stderr.isatty():
        yield None
        return
    # A Text, not a str: rich would read "[...]" in a file name as markup.
    with Console(stderr=True).status("Starting") as shown:
        yield lambda message: shown.update(Text(printable(f"{message} …")))


def terminal_width() -> int:
    try:
        return os.get_terminal_size().columns
    except OSError:
        return 100


def deliver(outcome: Outcome) -> None:
    """Print a command's outcome: messages, the report (to stdout, stderr or its file through
    mtcheck's one writer), messages; then exit with its code where that is not 0."""
    for message in outcome.before:
        click.echo(message.text, err=message.err)
    if outcome.report is not None:
        if outcome.path is not None:
            write_text(outcome.path, outcome.report, inputs=outcome.inputs, what="the report")
        elif outcome.to_stderr:
            click.echo(outcome.report, err=True, nl=False)
        else:
            text = outcome.report
            if outcome.escape and sys.stdout.isatty():
                text = printable(text, keep="\n\t")
            sys.stdout.write(text)
            sys.stdout.flush()
    for message in outcome.after:
        click.echo(message.text, err=message.err)
    if outcome.exit_code:
        sys.exit(outcome.exit_code)
