"""quote-space: a space inside quotation marks, before the closing or after the opening mark."""

from __future__ import annotations

import re

from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.text import SegmentText

# A space between the last word of a quotation and its closing mark, where punctuation
# follows the mark (so the mark closes: "gefallen ", sagte", "entfernen „,").
# A mark followed by punctuation and another mark opens a quotation of that punctuation
# ("durch „:“ getrennt", "an den Pfad "..." angehängt"): no closing mark.
_BEFORE_CLOSING = re.compile(
    r"(?<=[\w.!?…])(?P<space>[ \u00a0]+)[\"“”„](?=[,.;:!?])(?![,.;:!?/…-]{1,3}[\"“”])"
)
# A space after a German opening mark, which only ever opens: "„ Die Bank".
_AFTER_OPENING = re.compile(r"(?:^|(?<=[\s(\[]))[„»](?P<space>[ \u00a0]+)(?=\w)")


@rule("quote-space", "Fluency/Punctuation", "minor", fix="safe")
def check(segment: SegmentText, context: Context):
    """A space between a quotation and its marks ("gefallen ", sagte er"; "„ Die Bank").

    Quotation marks touch the quoted words: the closing mark follows the last word and the
    opening mark precedes the first. Fires on a space before a closing mark that is
    followed by punctuation, and on a space after a German opening mark „ or ». The span
    is the space; the suggestion removes it.

    Bad:  "Sie sagte, es sei „ein Fehler “, und ging."
    Bad:  "Er rief: „ Wir kommen!“"
    Good: "Sie sagte, es sei „ein Fehler“, und ging."
    Good: "Er rief: „Wir kommen!“ – und alle kamen."
    Good: "Die Felder werden durch „;“ getrennt."
    """
    for pattern in (_BEFORE_CLOSING, _AFTER_OPENING):
        for match in pattern.finditer(segment.text):
            start, end = match.span("space")
            yield Finding(start, end, "No space between a quotation and its mark.", "")
