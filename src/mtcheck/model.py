"""The small frozen records that the pipeline stages hand to each other.

    read -> segment -> back-translate -> align -> score -> flag -> report

Every stage takes these and returns new ones; none is mutated after it is built.
Offsets are Python string indices (code points), 0-based; lines and columns are 1-based.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["minor", "major", "critical"]
SEVERITIES: tuple[str, ...] = ("minor", "major", "critical")
# WMT MQM weights (Freitag et al. 2021): minor 1, major 5, critical 25.
SEVERITY_WEIGHTS: dict[str, int] = {"minor": 1, "major": 5, "critical": 25}

AlignmentType = Literal["1-1", "2-1", "1-2", "1-0", "0-1"]


@dataclass(frozen=True)
class Markup:
    """A piece of markup that a translation must carry over unchanged (a placeholder,
    inline code, a link or image destination, a URL, an inline tag).

    ``start``/``end`` index the text it belongs to (a paragraph's or a segment's): the
    code's own characters, a link's visible text, or an empty range where the item is not
    part of the text (an image, a bare URL). ``value`` is what is compared.
    """

    kind: str  # "code", "link", "image", "url", "placeholder", "html" or "tag" (XLIFF)
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of an input file, with where its text sits in that file.

    Where the text is not one verbatim run of a single line (a Markdown paragraph over
    several lines, a JSON string with escapes, XML with entities), ``anchors`` lists
    ``(offset, line, column)``: character ``offset`` of ``text`` and the characters after
    it, up to the next anchor, sit at ``line``, from ``column`` on. Without anchors the
    text runs from ``line``:``column``.
    """

    index: int  # 1-based paragraph number within its document
    text: str
    line: int  # line of the first character of ``text`` in the file
    column: int  # column of the first character of ``text`` in the file
    id: str | None = None  # explicit id from the input (JSONL ``id``, XLIFF unit id)
    reference: str | None = None  # inline reference (JSONL ``reference``, XLIFF source)
    anchors: tuple[tuple[int, int, int], ...] = ()
    markup: tuple[Markup, ...] = ()  # markup the reader found, offsets into ``text``
    reference_markup: tuple[Markup, ...] = ()  # the same for ``reference`` (XLIFF codes)
    # Rules the file itself switches off here (a Markdown comment, an XLIFF note), as
    # (rule, first line, last line): a flag of that rule starting on those lines of the
    # file is not reported.
    suppressed: tuple[tuple[str, int, int], ...] = ()

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column) in the input file of character ``offset`` of ``text``."""
        line, column, start = self.line, self.column, 0
        for anchor_offset, anchor_line, anchor_column in self.anchors:
            if anchor_offset > offset:
                break
            line, column, start = anchor_line, anchor_column, anchor_offset
        return line, column + offset - start


@dataclass(frozen=True)
class Document:
    path: str
    paragraphs: tuple[Paragraph, ...]
    language: str  # "de" or "en"


@dataclass(frozen=True)
class Sentence:
    """A sentence of a paragraph: ``paragraph.text[start:end] == text``."""

    paragraph: int  # 1-based paragraph number
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Alignment:
    """A link between consecutive German and English sentences of one paragraph pair."""

    kind: AlignmentType
    target: tuple[Sentence, ...]  # German sentences (empty for 0-1)
    reference: tuple[Sentence, ...]  # English sentences (empty for 1-0)
    cost: float = 0.0


@dataclass(frozen=True)
class Segment:
    """The unit that is scored, flagged and reported: one alignment link.

    ``start`` is the offset of ``target`` in its paragraph; for a 0-1 link (English with no
    German) ``target`` is empty and ``start`` is where the missing German would be.
    """

    id: str
    paragraph: int
    target: str
    reference: str | None
    alignment: AlignmentType | None
    start: int
    line: int
    column: int
    sentences: tuple[Sentence, ...] = ()  # the German sentences behind ``target``
    # Markup the reader found, offsets into ``target`` and ``reference`` respectively.
    markup: tuple[Markup, ...] = ()
    reference_markup: tuple[Markup, ...] = ()


@dataclass(frozen=True)
class Translation:
    text: str
    logprob: float  # average log-probability per generated token


@dataclass(frozen=True)
class Scores:
    chrf: float
    bleu: float
    ter: float
    adequacy: float | None = None


@dataclass(frozen=True)
class DocumentScores:
    bleu: float
    chrf: float
    ter: float
    signatures: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Flag:
    """A finding on a segment. ``span`` indexes that segment's ``target``.

    Rules leave ``line``/``column`` at 0; the pipeline fills them in from the segment's
    place in the input file.

    ``suggestions`` are the replacements for the span, most likely first, where one fix
    is not certain; ``suggestion`` is always the first of them (or None when there is
    none). Give either: the other is derived.
    """

    rule: str
    category: str
    severity: Severity
    message: str
    suggestion: str | None
    span: tuple[int, int]
    line: int = 0
    column: int = 0
    suggestions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.suggestions:
            if self.suggestion is not None:
                object.__setattr__(self, "suggestions", (self.suggestion,))
            return
        object.__setattr__(self, "suggestions", tuple(self.suggestions))
        if self.suggestion is None:
            object.__setattr__(self, "suggestion", self.suggestions[0])
        elif self.suggestion != self.suggestions[0]:
            raise ValueError(
                f"flag {self.rule}: suggestion {self.suggestion!r} is not the first of "
                f"its suggestions {self.suggestions!r}"
            )


@dataclass(frozen=True)
class SegmentResult:
    segment: Segment
    backtranslation: str | None
    scores: Scores | None
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class DocumentResult:
    path: str
    reference_path: str | None
    scores: DocumentScores | None
    segments: tuple[SegmentResult, ...]


@dataclass(frozen=True)
class ModelInfo:
    name: str
    revision: str | None
    device: str
    backend: str | None = None  # "marian" or "ctranslate2"
    # Everything that can change a back-translation or a score (backend version, numerics,
    # beams, output bound): the string that keys the cache, so a report names its numbers.
    decoding: str | None = None


@dataclass(frozen=True)
class Result:
    """What ``mtcheck check`` hands to a reporter."""

    version: str
    model: ModelInfo | None
    documents: tuple[DocumentResult, ...]


# -- the one record format ---------------------------------------------------------------------
#
# A SegmentResult as a plain dict, and back: the JSON report writes these records, the audit
# keeps them in its store and reads them back for segments.parquet and report.html. Fields go
# by name; the key order is the JSON report's (DESIGN.md), so the report's bytes depend on it.
# A record keeps what the reports show: a segment's ``start``, sentences and markup stay out.


def penalty(flags: Iterable[Flag]) -> int:
    """The MQM-style penalty of some flags: the sum of their severity weights."""
    return sum(SEVERITY_WEIGHTS[flag.severity] for flag in flags)


def segment_penalty(result: SegmentResult) -> int:
    return penalty(result.flags)


def counts_penalty(by_severity: Mapping[str, int]) -> int:
    """The penalty of flags counted by severity."""
    return sum(SEVERITY_WEIGHTS[severity] * count for severity, count in by_severity.items())


def flag_to_dict(flag: Flag) -> dict:
    return {
        "rule": flag.rule,
        "category": flag.category,
        "severity": flag.severity,
        "message": flag.message,
        "suggestion": flag.suggestion,
        "suggestions": list(flag.suggestions),
        "span": [flag.span[0], flag.span[1]],
        "line": flag.line,
        "column": flag.column,
    }


def flag_from_dict(record: dict) -> Flag:
    start, end = record["span"]
    return Flag(
        rule=record["rule"],
        category=record["category"],
        severity=record["severity"],
        message=record["message"],
        suggestion=record["suggestion"],
        span=(int(start), int(end)),
        line=record["line"],
        column=record["column"],
        suggestions=tuple(record["suggestions"]),
    )


def scores_to_dict(scores: Scores | None) -> dict | None:
    if scores is None:
        return None
    return {
        "chrf": scores.chrf,
        "bleu": scores.bleu,
        "ter": scores.ter,
        "adequacy": scores.adequacy,
    }


def scores_from_dict(record: dict | None) -> Scores | None:
    if record is None:
        return None
    return Scores(
        chrf=record["chrf"], bleu=record["bleu"], ter=record["ter"], adequacy=record["adequacy"]
    )


def segment_to_dict(result: SegmentResult) -> dict:
    segment = result.segment
    return {
        "id": segment.id,
        "paragraph": segment.paragraph,
        "line": segment.line,
        "column": segment.column,
        "target": segment.target,
        "reference": segment.reference,
        "backtranslation": result.backtranslation,
        "alignment": segment.alignment,
        "scores": scores_to_dict(result.scores),
        "flags": [flag_to_dict(flag) for flag in result.flags],
    }


def segment_from_dict(record: dict) -> SegmentResult:
    """The SegmentResult of a record of :func:`segment_to_dict` (``start`` 0: records do
    not keep it)."""
    segment = Segment(
        id=record["id"],
        paragraph=record["paragraph"],
        target=record["target"],
        reference=record["reference"],
        alignment=record["alignment"],
        start=0,
        line=record["line"],
        column=record["column"],
    )
    return SegmentResult(
        segment=segment,
        backtranslation=record["backtranslation"],
        scores=scores_from_dict(record["scores"]),
        flags=tuple(flag_from_dict(flag) for flag in record["flags"]),
    )
