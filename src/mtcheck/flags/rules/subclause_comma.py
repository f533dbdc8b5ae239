"""subclause-comma and relative-comma: a missing comma before a subordinate clause."""

from __future__ import annotations

from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.rules.gender import FEM, MASC, NEUT, noun_gender
from mtcheck.flags.rules.stts import COORDINATORS, SUBORDINATORS, is_boundary, is_finite, is_verb
from mtcheck.flags.text import SegmentText

# The conjunctions that always open a verb-final clause, which is set off by a comma.
CONJUNCTIONS = SUBORDINATORS
# Words that form one conjunction with the next ("so dass", "als ob", "auch wenn") or
# that may stand without a comma before it ("nur weil", "kurz bevor").
_NO_COMMA_BEFORE = COORDINATORS | {
    "so",
    "ohne",
    "statt",
    "anstatt",
    "außer",
    "als",
    "wie",
    "auch",
    "selbst",
    "sogar",
    "nur",
    "erst",
    "gerade",
    "eben",
    "besonders",
    "insbesondere",
    "vor",
    "allem",
    "kurz",
    "lange",
    "gleich",
    "egal",
    "noch",
    "schon",
    "bereits",
    "kaum",
    "bis",
    "auf",
    "zumal",
    "also",
    "sprich",
    "d",
    "ausgerechnet",
    "speziell",
    "vorausgesetzt",
    "teils",
    "teilweise",
    "zum",
    "beispiel",
    "etwa",
    "bzw",
    "je",
    "nachdem",
    "dass",
    "und",
    "oder",
}


@rule("subclause-comma", "Fluency/Punctuation", "minor")
def check(segment: SegmentText, context: Context):
    """A missing comma before a clause opened by dass, weil, obwohl, ob, wenn, damit, ….

    German sets off every subordinate clause with a comma. Fires when such a conjunction
    follows a word directly and the clause ends in a finite verb; fixed pairs ("so dass",
    "ohne dass", "als ob", "auch wenn", "nur weil", "und dass") are fine. The span is
    the word before the conjunction; the suggestion is that word with the comma.

    Bad:  "Ich weiß dass er morgen kommt."
    Good: "Ich weiß, dass er morgen kommt."
    Good: "Er ging, ohne dass es jemand merkte."
    """
    for tokens, tags in segment.tagged_sentences(CONJUNCTIONS):
        for index in range(1, len(tokens)):
            token = tokens[index]
            if token.text.lower() not in CONJUNCTIONS or tags[index] != "KOUS":
                continue
            before = tokens[index - 1]
            if (
                not before.is_word
                or is_boundary(tags[index - 1])
                or tags[index - 1] in ("KON", "KOUS", "APPR", "APPRART")
                or before.text.lower() in _NO_COMMA_BEFORE
            ):
                continue
            if not _verb_final(tags, index + 1):
                continue
            yield Finding(
                before.start,
                before.end,
                f"A comma is missing before the '{token.text}' clause.",
                before.text + ",",
            )


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


@rule("relative-comma", "Fluency/Punctuation", "minor", group="picky")
def check_relative(segment: SegmentText, context: Context):
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


def _verb_final(tags, start):
    """Whether the clause starting at ``start`` ends in a verb, with a finite verb in its
    final verb cluster ("dass er kommt", "weil er kommen wird")."""
    end = start
    while end < len(tags) and not is_boundary(tags[end]) and tags[end] not in ("KOUS", "KON"):
        end += 1
    if end - start < 2:
        return False
    position = end - 1
    while position >= start and (is_verb(tags[position]) or tags[position] == "PTKZU"):
        if is_finite(tags[position]):
            return True
        position -= 1
    return False
