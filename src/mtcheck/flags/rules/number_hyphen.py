"""number-hyphen: a hyphen between a number and the plural noun it counts."""

from __future__ import annotations

import re
from functools import lru_cache

from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.tagger import get_tagger
from mtcheck.flags.text import SegmentText

# A number joined by a hyphen to a capitalised word that ends the compound: not part of a
# longer chain ("3-Zimmer-Wohnung"), not after a letter, hyphen or score ("Covid-19-Fälle",
# "G20-Staaten", "4:1-Sieg").
_NUMBER_NOUN = re.compile(
    r"(?<![\w\-.,:/])(?P<number>\d+(?:,\d+)?)(?P<hyphen>-)(?P<noun>[A-ZÄÖÜ][a-zäöüß]+)\b(?!-)"
)
# Endings that make a plural noun from its stem (Personen, Stunden, Monate, Kinder).
_PLURAL_SUFFIXES = frozenset({"e", "n", "en", "er", "ern"})


@rule("number-hyphen", "Fluency/Punctuation", "minor", fix="safe")
def check(segment: SegmentText, context: Context):
    """A hyphen between a number and the plural noun it counts ("15-Personen").

    A number counting a noun stands apart from it ("15 Personen", "18 Stunden"); a
    hyphen joins them only inside a longer compound that ends in another noun
    ("3-Zimmer-Wohnung", "24-Stunden-Service"). Fires when the word after the hyphen is
    the inflected plural of a noun (HanTa's analysis: a noun stem with a plural ending)
    and ends the compound. Nouns made of adjectives ("der 16-Jährige", "die 14-Jährigen"),
    words without a plural ending ("4:1-Niederlage", "8-Zylinder") and a 0 or 1 are left
    alone. The span is the hyphen; the suggestion is a space.

    Bad:  "Die Polizei nahm 12-Personen fest."
    Bad:  "Der Stromausfall dauerte bis zu 9-Stunden."
    Good: "Die Polizei nahm 12 Personen fest, darunter einen 17-Jährigen."
    Good: "Sie mieteten eine 3-Zimmer-Wohnung mit 24-Stunden-Service."
    Good: "Nach dem 3:2-Sieg fuhr er einen alten 8-Zylinder."
    """
    for match in _NUMBER_NOUN.finditer(segment.text):
        if match["number"] in ("0", "1") or not is_inflected_plural(match["noun"]):
            continue
        start, end = match.span("hyphen")
        yield Finding(
            start,
            end,
            f"A number and the noun it counts are written apart: "
            f"{match['number']} {match['noun']}.",
            " ",
        )


@lru_cache(maxsize=4096)
def is_inflected_plural(word: str) -> bool:
    """Whether HanTa's lexicon knows ``word`` as a noun, analysed as a noun stem with a
    plural ending (Personen = person + en; Gäste = gäst + e). Nominalised adjectives
    (Jährige, Toten) have an adjective stem and are not."""
    tagger = get_tagger()
    if "NN" not in (tagger.lexicon_tags(word) or ()):
        return False
    _, morphemes, tag = tagger.analyse(word)
    if tag != "NN" or len(morphemes) != 2:
        return False
    (_, stem_tag), (suffix, suffix_tag) = morphemes
    return stem_tag in ("NN", "NN_VAR") and suffix_tag == "SUF_NN" and suffix in _PLURAL_SUFFIXES
