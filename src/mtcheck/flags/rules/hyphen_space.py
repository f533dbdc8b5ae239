"""hyphen-space: a space between a word and the hyphen that joins it to the next."""

from __future__ import annotations

import re

from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.stts import COORDINATORS
from mtcheck.flags.text import SegmentText

# A space between a word, number or closing quotation mark and a hyphen glued to the
# capitalised word after it: "„Yellowstone“ -Schauspielerin", "4:1 -Niederlage". A hyphen
# with spaces on both sides is a dash (spaced-hyphen's), and one glued to the word before
# ("Ein- und Ausgang") is a suspended compound, so neither matches.
# The glued word has three lower-case letters or more after its capital: a short one is
# a command-line option in running text ("mit -Wl", "die -Tps-Ausgabe"), no compound part.
_SPACE_HYPHEN = re.compile(r"(?<=[\w\"“”»'])(?P<space> )-(?=[A-ZÄÖÜ][a-zäöüß]{3})")
# The two words before the space, to tell a suspended compound after a conjunction
# ("IP-Adresse und -Maske", "Benutzer oder die -Gruppe") from a misplaced space.
_WORDS_BEFORE = re.compile(r"([\w.]+)(?:\s+([\w.]+))?\Z")


@rule("hyphen-space", "Fluency/Punctuation", "minor", fix="safe")
def check(segment: SegmentText, context: Context):
    """A space before the hyphen that joins a compound ("„Aurora“ -Mission").

    A hyphenated compound is one word: a quoted name, a number or an abbreviation joins
    the next word with a hyphen and no space ("„Aurora“-Mission", "3:1-Sieg"). Fires on a
    space before a hyphen that is glued to a capitalised word. The span is the space and
    the hyphen; the suggestion is the hyphen alone.

    Bad:  "Die „Aurora“ -Mission beginnt morgen."
    Bad:  "Nach dem 3:1 -Sieg feierten alle."
    Good: "Die „Aurora“-Mission beginnt morgen – oder später."
    Good: "Das ist ein Ein- und Ausgang, und das Ergebnis ist 5 - 3."
    Good: "Tragen Sie die IP-Adresse und -Maske ein."
    """
    text = segment.text
    for match in _SPACE_HYPHEN.finditer(text):
        start = match.start("space")
        if _after_coordinator(text, start):
            continue  # a suspended compound: the hyphen stands for the shared first part
        yield Finding(start, start + 2, "No space before the hyphen that joins a compound.", "-")


def _after_coordinator(text: str, start: int) -> bool:
    """Whether a conjunction ends the text before ``start``, alone or followed by one more
    word, an article ("und -Maske", "oder die -Gruppe")."""
    before = _WORDS_BEFORE.search(text, 0, start)
    if before is None:
        return False
    return any(word and word.lower() in COORDINATORS for word in before.groups())
