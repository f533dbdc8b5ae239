"""english-spelling on fresh sentences: English spellings with a German counterpart flagged;
English words, names German keeps, and German words left alone."""

from __future__ import annotations

import pytest

from mtcheck.flags import RuleSettings
from mtcheck.flags.registry import RULES, Context
from mtcheck.flags.rules.english_spelling import german_spelling
from mtcheck.flags.text import SegmentText


def findings(text: str) -> list[tuple[str, str | None]]:
    found = RULES["english-spelling"].check(SegmentText(text), Context(RuleSettings()))
    return [(text[f.start : f.end], f.suggestion) for f in found]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Die Front bei Kharkiv hält.", [("Kharkiv", "Charkiw")]),
        ("Er kommt aus Donetsk.", [("Donetsk", "Donezk")]),
        ("Die Grafic zeigt den Verlauf.", [("Grafic", "Grafik")]),
        ("Die slovakische Regierung tagt.", [("slovakische", "slowakische")]),
    ],
)
def test_english_spellings_get_the_german_one(text, expected):
    assert findings(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Die Locale ist exact gesetzt, der Code läuft.",  # English words: untranslated text
        "Shell und Chicago, Victoria und Carolina.",  # names German writes this way
        "Die Sprache Lenca und das Volk der Yanda.",  # foreign names German never adapts
        "Die Vase steht im Zylinder, das Verb im Satz.",  # German words
        "Siehe https://example.com/Donetsk und --locale=C.",  # code and URLs
        "Die DONETSK-Gruppe tagt.",  # capitals
    ],
)
def test_english_words_names_and_german_words_are_left_alone(text):
    assert findings(text) == []


def test_the_suggestion_is_not_flagged_again():
    assert german_spelling("Donezk") is None and german_spelling("Charkiw") is None
