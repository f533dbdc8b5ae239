"""das-dass in the direction "dass" → "das": a relative clause after a neuter noun."""

from __future__ import annotations

import pytest

from mtcheck.flags import RuleSettings
from mtcheck.flags.registry import RULES, Context
from mtcheck.flags.text import SegmentText


def findings(text: str) -> list[tuple[str, str | None]]:
    found = RULES["das-dass"].check(SegmentText(text), Context(RuleSettings()))
    return [(text[f.start : f.end], f.suggestion) for f in found]


@pytest.mark.parametrize(
    "text",
    [
        "Die Stadt baut ein Schwimmbad, dass im Sommer eröffnet werden soll.",
        "Er zeigte uns das Foto, dass gestern in der Zeitung erschien.",
    ],
)
def test_dass_opening_a_subject_relative_clause_is_flagged(text):
    assert findings(text) == [("dass", "das")]


@pytest.mark.parametrize(
    "text",
    [
        "Die Stadt baut ein Schwimmbad, das im Sommer eröffnet werden soll.",
        "Er gab uns das Versprechen, dass er im Sommer kommt.",  # complement, own subject
        "Sie hatte das Gefühl, dass niemand zuhörte.",
        "Er las die Zeitung, dass gestern erschien.",  # not neuter: not this rule's call
        "Es freut mich, dass im Sommer gebaut wird.",  # no noun before the comma
    ],
)
def test_complement_clauses_and_other_nouns_are_left_alone(text):
    assert findings(text) == []


def test_a_bare_noun_subject_makes_it_a_complement_clause():
    assert findings("Das Ergebnis zeigt das Risiko, dass Menschen krank werden.") == []
