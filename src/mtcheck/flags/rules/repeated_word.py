"""repeated-word: the same word twice in a row."""

from __future__ import annotations

from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.text import SegmentText

# Words that may correctly stand twice in a row: article and relative or demonstrative
# pronoun ("die die Regeln machen", "dass das das Beste ist"), pronoun and object
# ("weil sie sie liebt"), and repetition for emphasis ("sehr, sehr" is often written
# without its comma).
_MAY_REPEAT = frozenset(
    """der die das den dem des sie es ihr wir ihnen ihm er sehr so ja nein na ha bla
    immer viel viele mehr mal nun weiter weit lang lange ganz""".split()
)


@rule("repeated-word", "Fluency/Grammar", "minor")
def check(segment: SegmentText, context: Context):
    """The same word twice in a row.

    A doubled word ("hat hat", "in in") is almost always a slip. Article and pronoun
    pairs that are correct ("die die", "sie sie"), numbers, and words often repeated for
    emphasis ("sehr sehr") are not flagged, nor a noun followed by its verb or adjective
    ("sein Leben leben": the case differs and the tagger reads two parts of speech). The
    span is the second word.

    Bad:  "Die Firma hat hat neue Chips gebaut."
    Good: "Die Firma hat neue Chips gebaut."
    Good: "Sie kennt die Leute, die die Regeln machen."
    Good: "Er will sein Leben leben."
    Good: "  --name=NAME       Name des Profils"
    """
    tokens = segment.tokens
    text = segment.text
    for index in range(1, len(tokens)):
        first, second = tokens[index - 1], tokens[index]
        if not (first.is_word and second.is_word):
            continue
        lowered = second.text.lower()
        if lowered != first.text.lower() or lowered in _MAY_REPEAT or not lowered.isalpha():
            continue
        if not _one_gap(text[first.end : second.start]) or text[: first.start].endswith("-"):
            continue  # a column gap, or an option and its value: "--name Name"
        if len(lowered) == 1 or first.text.isupper() or second.text.isupper():
            continue  # "A A", "UN UN": letters, acronyms, a metavariable ("DATEI Datei")
        if first.text != second.text and _different_words(segment, index):
            continue  # "das Leben leben", "im Großen groß"
        yield Finding(
            second.start,
            second.end,
            f"The word '{second.text}' is repeated: delete one.",
            None,
        )


def _one_gap(gap: str) -> bool:
    """Whitespace as between two words of a sentence: no line break, no tab, no run of
    spaces, which part the columns of a table or help text ("--port=PORT   Port des …")."""
    return gap.isspace() and "\n" not in gap and "\t" not in gap and len(gap) <= 2


def _different_words(segment: SegmentText, index: int) -> bool:
    """Whether tokens ``index - 1`` and ``index``, spelled alike but for case, are two
    parts of speech in the tagger's reading (a noun and a verb, say)."""
    for number, (start, end) in enumerate(segment.sentences):
        if start < index < end:
            tags = segment.sentence_tags(number)
            return tags[index - 1 - start][:2] != tags[index - start][:2]
    return False  # the two words are in different sentences
