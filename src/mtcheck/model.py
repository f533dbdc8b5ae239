"""The small frozen records that the pipeline stages hand to each other.

    read -> segment -> back-translate -> align -> score -> flag -> report

Every stage takes these and returns new ones; none is mutated after it is built.
Offsets are Python string indices (code points), 0-based; lines and columns are 1-based.
"""

from __future__ import annotations

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
