"""infinitive-comma: a missing comma around an um/ohne/statt/anstatt/außer … zu clause."""

from __future__ import annotations

from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.rules.stts import COORDINATORS, is_boundary, is_finite, is_verb
from mtcheck.flags.text import SegmentText

INTRODUCERS = frozenset({"um", "ohne", "statt", "anstatt", "außer"})
# Words that may stand between a comma and the introducer: ", nur um zu …", "und um zu …".
_NO_COMMA_BEFORE = COORDINATORS | {
    "nur",
    "bloß",
    "allein",
    "einfach",
    "gerade",
    "schon",
    "auch",
    "vor",
    "allem",
    "sogar",
    "eher",
    "lieber",
}


@rule("infinitive-comma", "Fluency/Punctuation", "minor")
def check(segment: SegmentText, context: Context):
    """A missing comma around an infinitive clause opened by um, ohne, statt, anstatt or außer.

    Such a clause is always set off by commas. The span is the word after which the comma
    is missing (the clause's last word, or the word before "um"); the suggestion is that
    word with the comma.

    Bad:  "Um diese Ziele zu erreichen wird die Technik genutzt."
    Good: "Um diese Ziele zu erreichen, wird die Technik genutzt."
    Good: "Sie nutzen die Hardware, um eigene Chips zu bauen."
    """
    for tokens, tags in segment.tagged_sentences(INTRODUCERS):
        for index, token in enumerate(tokens):
            if token.text.lower() not in INTRODUCERS:
                continue
            last = _infinitive_end(tokens, tags, index)
            if last is None:
                continue
            if any(tokens[i].text.lower() == "herum" for i in range(index + 1, last)):
                continue  # "eine Erde um sie herum in die Umlaufbahn zu bringen"
            if (
                index > 0
                and not is_boundary(tags[index - 1])
                and tokens[index - 1].text.lower() not in _NO_COMMA_BEFORE
                and tags[index - 1] != "KON"
            ):
                before = tokens[index - 1]
                yield Finding(
                    before.start,
                    before.end,
                    f"A comma is missing before the infinitive clause opened by '{token.text}'.",
                    before.text + ",",
                )
            after = last + 1
            if after < len(tokens) and not is_boundary(tags[after]):
                word = tokens[last]
                yield Finding(
                    word.start,
                    word.end,
                    f"A comma is missing after the infinitive clause opened by "
                    f"'{token.text}', after '{word.text}'.",
                    word.text + ",",
                )


def _infinitive_end(tokens, tags, start):
    """Index of the last word of the zu-infinitive clause opened at ``start``, or None.

    Coordinated infinitives ("um zu lesen und zu schreiben") extend the clause.
    """
    last = None
    index = start + 1
    while index < len(tokens):
        tag = tags[index]
        if is_boundary(tag) or is_finite(tag) or tag in ("KOUS", "PRELS"):
            break
        if tag == "PTKZU" and index + 1 < len(tokens) and is_verb(tags[index + 1]):
            last = index + 1
            index += 2
            continue
        if tag == "VV(IZU)":
            last = index
        elif last is not None:
            if tokens[index].text.lower() in COORDINATORS or tag == "KON":
                index += 1
                continue  # look for a coordinated infinitive
            break
        index += 1
    if last is None:
        return None
    # A coordinator after the last infinitive that led to no further infinitive: unsure.
    if last + 1 < len(tokens) and (
        tokens[last + 1].text.lower() in COORDINATORS or tags[last + 1] == "KON"
    ):
        return None
    return last
