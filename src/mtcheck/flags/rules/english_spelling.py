"""english-spelling: a word spelled the English way where German has its own spelling."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import combinations

from mtcheck.flags.language import common_frequencies, frequencies, in_code_chunk
from mtcheck.flags.nouns import is_common_noun_form
from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.tagger import get_tagger
from mtcheck.flags.text import SegmentText

# English spellings and their German counterparts: the English transliteration of
# Russian and Ukrainian names ("Donetsk" / "Donezk", "Kharkiv" / "Charkiw", "Shoigu" /
# "Schoigu") and the English "c" of Latin and Greek loans where German writes "k"
# ("Republican…" / "Republikan…"). A "c" in "ch", "ck" or "sch" is German already.
_SPELLINGS = (
    ("sh", "sch"),
    ("zh", "sch"),
    ("kh", "ch"),
    ("ts", "z"),
    ("v", "w"),
    ("y", "j"),
)
_LONE_C = re.compile(r"(?<![sS])[cC](?![hkHK])")
_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{5,}")
# Zipf frequencies (wordfreq): a German spelling counts when it is in real use (once in
# 10 million words) and ten times as frequent in German text as the word as written.
_GERMAN_IN_USE = 2.0
_MARGIN = 1.0
_ENGLISH_WORD = 1.0  # Zipf in English text from which a word counts as English
# A name in its English spelling must be seen in German text too (once in 100 million
# words): German news writing it both ways. A foreign name German text never shows
# ("Lenca", "Yanda") keeps its own spelling.
_SEEN_IN_GERMAN = 1.0
_MAX_CHANGES = 3  # spelling changes combined into one candidate


@rule("english-spelling", "Fluency/Spelling", "minor", fix="unsafe")
def check(segment: SegmentText, context: Context):
    """A word spelled the English way where German has a spelling of its own
    ("Donetsk" for "Donezk", "Republicanern" for "Republikanern").

    German transliterates Russian and Ukrainian names its own way ("sch" for English
    "sh" and "zh", "ch" for "kh", "z" for "ts", "w" for "v", "j" for "y") and writes
    "k" where English keeps the "c" of a Latin or Greek loan. Fires on a word of five
    letters or more that German text seldom uses as written (it is rarer in German than in
    English, or nearly absent), when changing those letters gives a spelling that German
    text uses at least ten times as often (wordfreq). A word that is English as written
    ("exact", "Locale") counts only when it is a capitalised name that German text also
    shows in this spelling, and its German spelling is no common word (HanTa's lexicon,
    german-nouns): a name ("Donetsk"), not untranslated text with a German look-alike
    ("Lokale", "Klare"). A word that is no English word as written ("Republicanern") counts
    only when its German spelling is a common German word: a foreign name such as
    "Wanca" keeps its spelling. The span is the word; the
    suggestion is the German spelling. Code, URLs and words in capitals are left alone.

    Bad:  "Die Kämpfe um Donetsk gehen weiter."
    Bad:  "Er warf den Republicanern Blockade vor."
    Good: "Die Kämpfe um Donezk gehen weiter."
    Good: "Der Konzern Shell meldet Gewinne, Chicago ist kalt, der Code läuft."
    Good: "Die Locale ist exact, sagt symbolic."
    """
    text = segment.text
    for match in _WORD.finditer(text):
        word = match.group()
        if word.isupper() or in_code_chunk(text, match.start(), match.end()):
            continue
        german = german_spelling(word)
        if german is not None:
            yield Finding(
                match.start(),
                match.end(),
                f"English spelling: German writes “{german}”.",
                german,
            )


@lru_cache(maxsize=20_000)
def german_spelling(word: str) -> str | None:
    """The German spelling of ``word`` when it is written the English way, else None."""
    places = _places(word)
    if not places:
        return None
    if common_frequencies(word)[0] >= 3.0:
        return None  # German text uses it as written ("Code", "Shell", "Vater")
    german_now, english_now = frequencies(word)
    if german_now >= english_now and german_now >= 1.0:
        return None  # German text uses it as written
    # An English word ("exact", "Locale") is untranslated text, not a spelling: only a
    # German form of an English stem ("Republicanern", no English word) or a capitalised
    # name whose German spelling is a name too ("Donetsk" / "Donezk", not "Lokale").
    english_word = english_now >= _ENGLISH_WORD
    if english_word and (not word[0].isupper() or german_now < _SEEN_IN_GERMAN):
        return None  # English text, or a foreign name German writes as it is ("Lenca")
    best, best_frequency = None, max(_GERMAN_IN_USE, german_now + _MARGIN)
    for count in range(1, min(len(places), _MAX_CHANGES) + 1):
        for chosen in combinations(places, count):
            candidate = _apply(word, chosen)
            german, english = frequencies(candidate)
            if german < best_frequency or german <= english:
                continue
            # A name's German spelling is a name; a German word's is a German word.
            if _common_word(candidate) == english_word:
                continue
            best, best_frequency = candidate, german
    return best


def _common_word(word: str) -> bool:
    """Whether ``word`` is a common German word (a noun, adjective, adverb …), not a name."""
    readings = get_tagger().lexicon_tags(word)
    return bool(readings and readings - {"NE"}) or is_common_noun_form(word)


def _places(word: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) of each letter group that German may spell otherwise."""
    lowered = word.lower()
    places = []
    for english, german in _SPELLINGS:
        start = lowered.find(english)
        while start >= 0:
            if not (english == "sh" and lowered[start - 1 : start] == "c"):  # "sch"
                places.append((start, start + len(english), german))
            start = lowered.find(english, start + 1)
    places += [(m.start(), m.end(), "k") for m in _LONE_C.finditer(word)]
    places.sort()
    # Overlapping groups ("tsh") cannot both change: keep the first.
    kept: list[tuple[int, int, str]] = []
    for place in places:
        if not kept or place[0] >= kept[-1][1]:
            kept.append(place)
    return kept


def _apply(word: str, chosen: tuple[tuple[int, int, str], ...]) -> str:
    """``word`` with the chosen letter groups replaced, keeping a capital first letter."""
    result, last = [], 0
    for start, end, german in chosen:
        result.append(word[last:start])
        replacement = german
        if start == 0 and word[0].isupper():
            replacement = german[0].upper() + german[1:]
        result.append(replacement)
        last = end
    result.append(word[last:])
    return "".join(result)
