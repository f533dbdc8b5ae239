"""fronted-clause-comma: no comma after a subordinate clause that opens the sentence."""

from __future__ import annotations

from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.stts import SUBORDINATORS, is_boundary, is_finite
from mtcheck.flags.text import SegmentText


@rule("fronted-clause-comma", "Fluency/Punctuation", "minor", fix="unsafe")
def check(segment: SegmentText, context: Context):
    """A missing comma after a subordinate clause that opens the sentence.

    A clause opened by weil, obwohl, wenn, nachdem, … at the start of a sentence ends in
    its finite verb, and the main clause follows with its own finite verb after a comma
    ("Obwohl er müde war, arbeitete er"). Fires when the first finite verb of such a
    clause is directly followed by another finite verb, with no comma before it. The span
    is the clause's last verb; the suggestion adds the comma.

    Bad:  "Obwohl sie müde war arbeitete sie weiter."
    Bad:  "Wenn der Zug pünktlich ankommen kann sind wir um acht da."
    Good: "Obwohl sie müde war, arbeitete sie weiter."
    Good: "Weil es regnet und stürmt, bleiben wir zu Hause."
    """
    for tokens, tags in segment.tagged_sentences(SUBORDINATORS):
        index = clause_end(tokens, tags)
        if index is not None:
            token = tokens[index]
            yield Finding(
                token.start,
                token.end,
                "A comma is missing after the subordinate clause that opens the sentence.",
                token.text + ",",
            )


def clause_end(tokens, tags) -> int | None:
    """The index of the fronted clause's closing verb when the main clause's finite verb
    follows it without a comma, else None. The sentence must open with a subordinator
    (tagged KOUS); words before the first finite verb must not hold a boundary."""
    if len(tokens) < 4 or tokens[0].text.lower() not in SUBORDINATORS or tags[0] != "KOUS":
        return None
    for index in range(1, len(tokens) - 1):
        if is_boundary(tags[index]) or tags[index].startswith("KON"):
            return None
        if is_finite(tags[index]):
            return index if is_finite(tags[index + 1]) else None
    return None
