"""The rules of issue 3: agreement, possessive gender, subclause commas, repeated words,
quotation marks; each with bad cases and tricky correct sentences."""

from __future__ import annotations

import pytest

from mtcheck.flags import RULES
from mtcheck.flags.gender import noun_gender
from tests.helpers import found


def test_noun_gender_only_when_certain():
    assert noun_gender("Erfolg") == ("m", False)
    assert noun_gender("Muttergesellschaft") == ("f", False)
    assert noun_gender("KI-Firma") == ("f", False)
    assert noun_gender("Unternehmen") == ("n", True)  # may be plural
    for unknown in ("Drehmoment", "Legende", "Start", "Mensch", "Xyzabc"):
        assert noun_gender(unknown) is None, unknown


@pytest.mark.parametrize("text, span, suggestion", [
    ("Das war das große Erfolg des Jahres.", "das große Erfolg", "der große Erfolg"),
    ("Er gründete einen kleine Firma.", "einen kleine Firma", "eine kleine Firma"),
    ("Er hat keinen neue Idee.", "keinen neue Idee", "keine neue Idee"),
    ("Wir suchen eine neuen Lösung.", "eine neuen Lösung", "eine neue Lösung"),
    ("Sie verkauft an unseren großem Konzern.", "unseren großem Konzern",
     "unseren großen Konzern"),
    ("Der Bericht des Regierung kam spät.", "des Regierung", "der Regierung"),
])
def test_article_agreement_bad(text, span, suggestion):
    assert found(text, "article-agreement") == [("article-agreement", span, suggestion)]


@pytest.mark.parametrize("text", [
    "Das ist ein großer Fortschritt für die Forschung.",
    "Die Zahl der neuen Modelle wächst.",
    "Er gab der Regierung die Schuld.",
    "Die Unternehmen wachsen schnell.",
    "Das Kind, das Zeitung liest, lacht.",
    "Sie sah den Zeitung lesenden Mann.",
    "Das Haus- und Gartenbuch ist neu.",
    "Die Leiter der Abteilung treffen sich.",
    "Das Drehmoment des Motors ist hoch.",
    "Er mag den Kunden nicht.",
])
def test_article_agreement_good(text):
    assert found(text, "article-agreement") == []


@pytest.mark.parametrize("text, span, suggestion", [
    ("Die Muttergesellschaft soll versucht haben, seine eigenen Modelle zu bauen.",
     "seine", "ihre"),
    ("Der Konzern baut ihre eigenen Chips.", "ihre", "seine"),
    ("Die Regierung hat seine eigene Meinung.", "seine", "ihre"),
])
def test_possessive_gender_bad(text, span, suggestion):
    assert found(text, "possessive-gender") == [("possessive-gender", span, suggestion)]


@pytest.mark.parametrize("text", [
    "Die Firma hilft dem Kunden, seine eigenen Chips zu bauen.",
    "Die Firma baut ihre eigenen Chips.",
    "Das Unternehmen baut seine eigenen Chips.",
    "Die Regierung hat sein Auto beschlagnahmt.",
    "Der Firma fehlen ihre eigenen Ideen.",
    "Die Chefin sagt, dass er seine eigenen Ideen hat.",
])
def test_possessive_gender_good(text):
    assert found(text, "possessive-gender") == []


@pytest.mark.parametrize("text, span", [
    ("Ich weiß dass er morgen kommt.", "weiß"),
    ("Ich weiß nicht ob er morgen kommt.", "nicht"),
    ("Sie bleibt zu Hause weil sie krank ist.", "Hause"),
])
def test_subclause_comma_bad(text, span):
    assert found(text, "subclause-comma") == [("subclause-comma", span, span + ",")]


@pytest.mark.parametrize("text", [
    "Er ging, ohne dass es jemand merkte.",
    "Ich komme auch wenn es regnet.",
    "Er tat so, als ob nichts wäre.",
    "Es regnete, so dass wir zu Hause blieben.",
    "Damit hat er nicht gerechnet.",
    "Sie sagte, dass er kommt und dass sie bleibt.",
    "Nur weil es regnet, bleibe ich nicht zu Hause.",
    "Wir gehen, kurz bevor es dunkel wird.",
])
def test_subclause_comma_good(text):
    assert found(text, "subclause-comma") == []


def test_relative_comma_is_picky_and_guesses_carefully():
    assert RULES["relative-comma"].group == "picky"
    assert found("Das Auto das ich gekauft habe ist rot.") == []  # not a default rule
    assert found("Das Auto das ich gekauft habe ist rot.", "relative-comma") == [
        ("relative-comma", "Auto", "Auto,")]
    assert found("Ich sah den Mann der die Zeitung las.", "relative-comma") == [
        ("relative-comma", "Mann", "Mann,")]
    for text in ("Er weiß, dass das Kind das nicht will.", "Der Preis der Aktie stieg.",
                 "Er gab dem Kind das Buch.", "Sie sagte der Frau die Wahrheit."):
        assert found(text, "relative-comma") == [], text


@pytest.mark.parametrize("text, span", [
    ("Die Firma hat hat neue Chips gebaut.", "hat"),
    ("Er wohnt in in Berlin.", "in"),
    ("Und Und dann kam er.", "Und"),
])
def test_repeated_word_bad(text, span):
    (flag,) = found(text, "repeated-word")
    assert flag[:2] == ("repeated-word", span)


@pytest.mark.parametrize("text", [
    "Sie kennt die Leute, die die Regeln machen.",
    "Er sagt, dass das das Beste ist.",
    "Weil sie sie liebt, bleibt er.",
    "Das ist sehr sehr gut.",
    "Er kam, kam aber zu spät.",
    "Die Zahl 42 42 stand da.",
])
def test_repeated_word_good(text):
    assert found(text, "repeated-word") == []


def test_quotation_marks():
    text = "Er nannte das Projekt “Aurora” und lachte."
    assert found(text, "quotation-marks") == [
        ("quotation-marks", "“", "„"), ("quotation-marks", "”", "“")]
    for good in ("Er nannte das Projekt „Aurora“ und lachte.",
                 "Er nannte das Projekt »Aurora« und lachte.",
                 'Er nannte das Projekt "Aurora" und lachte.'):
        assert found(good, "quotation-marks") == [], good
    straight = 'Er nannte das Projekt "Aurora" und lachte.'
    assert RULES["straight-quotes"].group == "default"
    assert found(straight, "straight-quotes") == [
        ("straight-quotes", '"', "„"), ("straight-quotes", '"', "“")]


def test_verb_final_catches_more_verb_second_orders():
    for text, span in [
        ("Sie sagt, dass der Nutzer kann eingeben.", "dass der Nutzer kann eingeben"),
        ("Wir gehen, wenn man anschaut sich die Bilder.",
         "wenn man anschaut sich die Bilder"),
        ("Er weiß, dass es kommt nahe.", "dass es kommt nahe"),
    ]:
        assert [s for _, s, _ in found(text, "verb-final-subclause")] == [span], text
    for text in ("Er weiß, dass er größer ist als sein Bruder.",
                 "Er weiß, dass er das Buch hat lesen können.",
                 "Ich glaube, dass er kam und die Kinder lachten."):
        assert found(text, "verb-final-subclause") == [], text


def test_infinitive_comma_ignores_um_herum():
    text = "Sie wollen eine kleine Erde um sie herum in eine Umlaufbahn zu bringen versuchen."
    assert found(text, "infinitive-comma") == []


def test_number_mismatch_skips_imperial_units():
    assert found("Die Eisberge ragten 60 Meter hoch.", "number-mismatch",
                 "The icebergs rose 200 feet high.") == []
    assert found("Die Eisberge ragten 60 Meter hoch.", "number-mismatch",
                 "The icebergs rose 200 meters high.") != []
