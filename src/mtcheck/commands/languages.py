"""The language check of a command's inputs: a draft that reads as English, or a reference
that reads as German (swapped inputs), is refused before any work is done."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from mtcheck.errors import InputError
from mtcheck.languages import language_problem, swapped
from mtcheck.model import Document
from mtcheck.pipeline import read_pair


def read_early(draft: Path, reference: Path | None):
    """The pair as :func:`mtcheck.pipeline.read_pair` reads it, read now (before a model
    loads) and handed on to the check, so each file is read once; None for standard input
    or a pipe, whose reading is left to the check."""
    for path in (draft, reference):
        if path is not None and (str(path) == "-" or stat.S_ISFIFO(os.stat(path).st_mode)):
            return None
    return read_pair(draft, reference)


def pair_texts(pair: tuple[Document, Document | None]):
    """(German texts, English texts) of a read pair."""
    target, reference = pair
    english = [p.text for p in reference.paragraphs if p.text] if reference else []
    return [p.text for p in target.paragraphs], english


def result_texts(result):
    """(German texts, English texts) of the segments of a finished check."""
    segments = [item.segment for document in result.documents for item in document.segments]
    return [s.target for s in segments], [s.reference for s in segments if s.reference]


def judge_inputs(german, english, draft: Path, reference: Path | None) -> bool:
    """Refuse a draft that reads as English or a reference that reads as German (exit 2,
    with the fix); True when there is no reference text at all."""
    problem = language_problem(
        german, english, draft=str(draft), reference=None if reference is None else str(reference)
    )
    if problem is not None:
        raise InputError(problem)
    return not any(english)


def refuse_swapped_pairs(jobs) -> list | None:
    """The gate refuses a pair whose languages are swapped (its pairs point the wrong way).
    An English page alone is no usage error there: it is what untranslated-text reports
    (some site generators copy the English source in as the start of a translation).
    The pairs as read, for the check; None when one of them is a pipe."""
    read = []
    for draft, reference in jobs:
        pair = read_early(draft, reference)
        if pair is None:
            return None
        read.append(pair)
        if not swapped(*pair_texts(pair)):
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
    return read
