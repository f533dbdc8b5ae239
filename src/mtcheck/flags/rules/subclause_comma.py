"""subclause-comma: a missing comma before a subordinate clause."""

from __future__ import annotations

from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.stts import COORDINATORS, SUBORDINATORS, is_boundary, is_finite, is_verb
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
# Conjunctions that a measure of time may modify; the measure then opens the clause and
# the comma stands before it: "…, zwei Tage nachdem das Video erschien".
_MEASURED = frozenset({"nachdem", "bevor", "ehe"})
# What may open such a measure: a number or quantifier ("drei", "wenige") or "ein".
_MEASURE_OPENERS = frozenset({"CARD", "PIAT", "ART"})


@rule("subclause-comma", "Fluency/Punctuation", "minor", fix="unsafe")
def check(segment: SegmentText, context: Context):
    """A missing comma before a clause opened by dass, weil, obwohl, ob, wenn, damit, ….

    German sets off every subordinate clause with a comma. Fires when such a conjunction
    follows a word directly and the clause ends in a finite verb; fixed pairs ("so dass",
    "ohne dass", "als ob", "auch wenn", "nur weil", "und dass") are fine, and so is a
    measure of time that opens the clause after a comma ("…, zwei Tage nachdem …"). The
    span is the word before the conjunction; the suggestion is that word with the comma.

    Bad:  "Ich weiß dass er morgen kommt."
    Good: "Ich weiß, dass er morgen kommt."
    Good: "Er ging, ohne dass es jemand merkte."
    Good: "Sie kam zurück, drei Wochen nachdem er abgereist war."
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
            if token.text.lower() in _MEASURED and _measure_after_comma(tokens, tags, index):
                continue
            if _adverb_after_comma(tags, index) or _starts_anew(segment.text, before, token):
                continue
            yield Finding(
                before.start,
                before.end,
                f"A comma is missing before the '{token.text}' clause.",
                before.text + ",",
            )


def _adverb_after_comma(tags, conjunction):
    """Whether an adverb right before the conjunction follows a comma, a bracket or the
    sentence start: it belongs to the clause, which the comma already opens (",
    vielleicht weil …", "(beispielsweise wenn …", "Immer wenn …")."""
    position = conjunction - 1
    if tags[position] not in ("ADV", "ADJ(D)"):
        return False
    return position == 0 or is_boundary(tags[position - 1])


def _starts_anew(text, before, conjunction):
    """Whether the conjunction opens a new line, column or sentence that the sentence
    splitter missed: a line break or a run of spaces before it, or a capital letter
    ("-copy   Falls dieser Schalter …")."""
    gap = text[before.end : conjunction.start]
    return "\n" in gap or len(gap) > 1 or conjunction.text[:1].isupper()


def _measure_after_comma(tokens, tags, conjunction):
    """Whether a measure ("drei Tage", "wenige Minuten", "eine Woche") stands right before
    the conjunction with a comma, a dash or the sentence start before it: the measure
    belongs to the clause, which the comma already opens."""
    position = conjunction - 1
    if tags[position] != "NN":
        return False
    position -= 1
    while position >= 0 and tags[position] == "ADJ(A)":
        position -= 1
    if position < 0 or tags[position] not in _MEASURE_OPENERS:
        return False
    if tags[position] == "ART" and not tokens[position].text.lower().startswith("ein"):
        return False  # "die Tage": a definite noun phrase is no measure
    return position == 0 or is_boundary(tags[position - 1])


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
