"""indirect-speech and capitalised-word on fresh sentences: each false-alarm class next to the
real error it must still catch, and every suggestion applied once."""

from __future__ import annotations

import re

import pytest

from mtcheck.flags import RuleSettings
from mtcheck.flags.registry import RULES, Context
from mtcheck.flags.reported import quoted_positions, subjunctive_of
from mtcheck.flags.text import SegmentText


def findings(rule: str, text: str) -> list[tuple[str, str | None]]:
    check, context = RULES[rule].check, Context(RuleSettings())
    if RULES[rule].scope == "document":
        found = [finding for _, finding in check([SegmentText(text)], [context])]
    else:
        found = list(check(SegmentText(text), context))
    return [(text[f.start : f.end], f.suggestion) for f in found]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a statement in verb-second order after a verb of saying
        ("Der Sprecher erklärte, das Werk bleibt bis Montag geschlossen.", [("bleibt", "bleibe")]),
        ("Die Feuerwehr teilte mit, zwei Häuser sind abgebrannt.", [("sind", "seien")]),
        # a "dass" clause after a verb of saying in the past, in a text that reports in
        # Konjunktiv I elsewhere
        (
            "Sie sagte, es sei spät. Die Ärztin berichtete, dass der Patient Fieber hat.",
            [("hat", "habe")],
        ),
        # a trailing attribution
        ("Der Zug fährt erst morgen wieder, sagte eine Sprecherin.", [("fährt", "fahre")]),
        ("Die Straße bleibt gesperrt, so die Stadtverwaltung.", [("bleibt", "bleibe")]),
        # a named source
        (
            "Nach Angaben der Feuerwehr kann das Haus nicht mehr bewohnt werden.",
            [("kann", "könne")],
        ),
        # plural auxiliaries take Konjunktiv II; the past has no one-word fix
        ("Der Trainer sagte, die Spieler haben alles gegeben.", [("haben", "hätten")]),
        ("Die Polizei meldete, der Fahrer war betrunken.", [("war", None)]),
    ],
)
def test_reported_indicative_is_flagged(text, expected):
    assert findings("indirect-speech", text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # direct speech keeps the indicative: quoted, or after a colon
        "Der Sprecher erklärte: „Das Werk bleibt bis Montag geschlossen.“",
        'Sie sagte, "das Werk bleibt bis Montag geschlossen".',
        "Der Sprecher erklärte: Das Werk bleibt bis Montag geschlossen.",
        # the writer's own voice
        "Ich sage, das Werk bleibt bis Montag geschlossen.",
        "Wir erklärten, das Werk bleibt bis Montag geschlossen.",
        "Gestern haben Sie gesagt, das Werk bleibt geschlossen.",  # polite "Sie"
        "Die Daten sagen uns, dass die Zahl weiter steigt.",
        # "dass" with the indicative: accepted usage, unless the text reports in
        # Konjunktiv I elsewhere; and a present "sagt, dass" states a fact
        "Die Ärztin berichtete, dass der Patient Fieber hat.",
        "Das Handbuch sagt, dass die Option veraltet sei. Es sagt, dass sie bleibt.",
        # a relative clause or a question after the comma is no report
        "Die Polizei bestätigte den Unfall, der sich am Morgen ereignet hat.",
        "Der Sprecher erklärte, wie das Werk arbeitet.",
        # a verb of thinking, and a verb of saying in a parenthesis
        "Er glaubt, das Werk bleibt geschlossen.",
        "Das Werk bleibt, wie der Sprecher sagte, bis Montag geschlossen.",
        # an infinitive after another finite verb ("hätte … dürfen")
        "Er hätte nie Kandidat werden dürfen, sagt die Ministerin.",
        # embedded background clauses inside the report
        "Der Vater sagt, seine Tochter habe die Schule verlassen, nachdem sie gemobbt wurde.",
        # already in the subjunctive
        "Der Sprecher erklärte, das Werk bleibe bis Montag geschlossen.",
        # no verb of saying at all
        "Das Werk bleibt geschlossen, obwohl die Nachfrage steigt.",
    ],
)
def test_no_report_or_already_subjunctive_is_not_flagged(text):
    assert findings("indirect-speech", text) == []


@pytest.mark.parametrize(
    "word, tag, expected",
    [
        ("ist", "VA(FIN)", "sei"),
        ("Wird", "VA(FIN)", "Werde"),
        ("gibt", "VV(FIN)", "gebe"),
        ("hält", "VV(FIN)", "halte"),
        ("ändert", "VV(FIN)", "ändere"),
        ("erhielt", "VV(FIN)", False),  # a strong past: no present subjunctive
        ("sagte", "VV(FIN)", False),
        ("wurden", "VA(FIN)", None),
    ],
)
def test_subjunctive_forms(word, tag, expected):
    assert subjunctive_of(word, tag) == expected


def test_quotations_cover_their_words_and_run_on_when_unclosed():
    text = 'Er sagte „ja“ und "nein" und „vielleicht'
    inside = quoted_positions(text)
    assert text.index("ja") in inside and text.index("nein") in inside
    assert text.index("und") not in inside
    assert text.index("vielleicht") in inside


@pytest.mark.parametrize(
    "text",
    [
        "Der Sprecher erklärte, das Werk bleibt bis Montag geschlossen.",
        "Es sei spät, sagte sie. Die Ärztin berichtete, dass der Patient Fieber hat.",
        "Die Straße bleibt gesperrt, so die Stadtverwaltung.",
        "Der Trainer sagte, die Spieler haben alles gegeben.",
    ],
)
def test_applied_suggestion_silences_the_rule(text):
    (flagged, suggestion), *_ = findings("indirect-speech", text)
    fixed = re.sub(rf"\b{flagged}\b", suggestion, text, count=1)
    assert fixed != text
    assert findings("indirect-speech", fixed) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ihm wird Betrug vorgeworfen, Teilte die Staatsanwaltschaft mit.", [("Teilte", "teilte")]),
        ("Das Urteil fiel gestern, Es war ein langer Prozess.", [("Es", "es")]),
        ("Die Rede von Müller, Einem Unternehmer, fiel kurz aus.", [("Einem", "einem")]),
    ],
)
def test_capitalised_word_after_comma(text, expected):
    assert findings("capitalised-word", text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Wir danken Ihnen, Sie haben uns sehr geholfen.",  # polite address
        "Er sammelt Äpfel, Birnen und Pflaumen.",  # nouns
        "Sie las die Zeitung, Die Zeit lag auf dem Tisch.",  # a title opens with its article
        "Er reiste nach Paris, Den Haag und Rom.",  # a place name
        "Er wohnt in Chicago, Des Moines oder Denver.",
        "Die Partei, CDU genannt, gewann.",  # an abbreviation in capitals
    ],
)
def test_capitalised_word_leaves_nouns_names_and_address_alone(text):
    assert findings("capitalised-word", text) == []
