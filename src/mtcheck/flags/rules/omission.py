"""omission: an English sentence with no German counterpart (alignment 0-1)."""

from __future__ import annotations

from collections.abc import Sequence

from mtcheck.flags.links import alignment_mistakes
from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.text import SegmentText

# Longest English shown in a message; longer sentences are cut at a word and get "…".
QUOTE_LIMIT = 80


@rule("omission", "Accuracy/Omission", "major", scope="document", needs="alignment")
def check(texts: Sequence[SegmentText], contexts: Sequence[Context]):
    """An English sentence has no German counterpart: the translation left it out.

    Fires on every 0-1 link of the sentence alignment (English that the aligner could
    join to no German sentence). The flag is zero-width, ``span`` (0, 0) on that link's
    empty segment; its line and column point to where the German is missing (after the
    German sentence before it). Quiet where the alignment more likely erred
    (:mod:`mtcheck.flags.links`): a German sentence left unlinked close by, or a
    neighbouring link or paragraph whose German has the English sentence's numbers or
    names, or is too long for its English by about that sentence (the German merged
    sentences or paragraphs). Needs a reference; works without the back-translation
    model. The examples are paragraph pairs, aligned before the check.

    Bad:  "Die Brücke über die Elbe wird im Mai gesperrt. Autofahrer sollen die Umleitung über Pirna nutzen." (reference: "The bridge over the Elbe will be closed in May. Engineers found cracks in two of its steel supports during a routine inspection last winter. Drivers should use the diversion via Pirna.")
    Good: "Die Brücke über die Elbe wird im Mai gesperrt, weil Ingenieure Risse in zwei Stahlstützen gefunden haben. Autofahrer sollen die Umleitung über Pirna nutzen." (reference: "The bridge over the Elbe will be closed in May. Engineers found cracks in two of its steel supports. Drivers should use the diversion via Pirna.")
    """  # noqa: E501  (one example a line, as the catalogue reads them)
    mistakes = alignment_mistakes(texts)
    for index, text in enumerate(texts):
        if text.alignment == "0-1" and text.reference and index not in mistakes:
            english = shorten(text.reference)
            yield index, Finding(0, 0, f"English sentence not translated: “{english}”")


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` on one line, cut at a word boundary with "…" when longer than ``limit``."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
