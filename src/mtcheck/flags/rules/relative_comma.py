"""relative-comma: a missing comma before a relative clause."""

from __future__ import annotations

from mtcheck.flags.gender import FEM, MASC, NEUT, noun_gender
from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.stts import is_boundary, is_finite
from mtcheck.flags.text import SegmentText

# Genders ("p" plural) a relative pronoun may refer back to.
_PRONOUN_GENDERS = {
    "der": {MASC, FEM},
    "die": {FEM, "p"},
    "das": {NEUT},
    "den": {MASC},
    "dem": {MASC, NEUT},
    "denen": {"p"},
    "dessen": {MASC, NEUT},
    "deren": {FEM, "p"},
}
# Tags after which "der/die/das" is an article, not a pronoun: "der Preis der Aktie".
_NOUN_PHRASE_TAGS = frozenset({"ADJ(A)", "NN", "NE", "CARD", "TRUNC"})


@rule("relative-comma", "Fluency/Punctuation", "minor", group="picky", fix="unsafe")
def check(segment: SegmentText, context: Context):
    """A missing comma before a relative clause.

    Fires when "der", "die", "das", … follows a noun of a matching gender directly, is
    not an article (no noun or adjective follows it) and opens a clause that ends in a
    finite verb, after which comes a comma, the sentence end or the main clause's verb.
    HanTa does not tag such a pronoun as relative without its comma, so this rule
    guesses; it is picky.

    Bad:  "Das Auto das ich gekauft habe ist rot."
    Good: "Das Auto, das ich gekauft habe, ist rot."
    Good: "Er sagt, dass das Auto rot ist."
    """
    for tokens, tags in segment.tagged_sentences(_PRONOUN_GENDERS):
        for index in range(1, len(tokens) - 2):
            genders = _PRONOUN_GENDERS.get(tokens[index].text)
            if genders is None or tags[index - 1] != "NN":
                continue
            if tags[index + 1] in _NOUN_PHRASE_TAGS or not tokens[index + 1].is_word:
                continue
            known = noun_gender(tokens[index - 1].text)
            if known is None:
                continue
            noun_genders = {known[0], "p"} if known[1] else {known[0]}
            if not genders & noun_genders:
                continue
            if _inside_open_subclause(tags, index - 1):
                continue  # "dass das Kind das nicht will": "das" is the object
            finite = _relative_verb(tags, index + 1)
            if finite is None or finite - index < 2:
                continue
            before = tokens[index - 1]
            yield Finding(
                before.start,
                before.end,
                f"A comma is missing before the relative clause opened by '{tokens[index].text}'.",
                before.text + ",",
            )


def _inside_open_subclause(tags, index):
    """Whether a subordinate clause without its verb yet is open at ``index``."""
    for position in range(index - 1, -1, -1):
        tag = tags[position]
        if is_finite(tag):
            return False
        if tag in ("KOUS", "PRELS", "PRELAT", "PWS", "PWAV", "PWAT"):
            return True
    return False


def _relative_verb(tags, start):
    """Index of the finite verb that closes a relative clause starting at ``start``: the
    first finite verb, followed by a boundary or by the main clause's finite verb."""
    for index in range(start, len(tags)):
        tag = tags[index]
        if is_boundary(tag) or tag in ("KON", "KOUS", "PRELS"):
            return None
        if is_finite(tag):
            after = tags[index + 1] if index + 1 < len(tags) else "$."
            return index if is_boundary(after) or is_finite(after) else None
    return None
