"""Typography and spelling rules that expert raters mark often: spaced-hyphen (a hyphen
standing for a dash), missing-space (an ordinal or a sentence glued to the next word) and
open-compound (an English compound copied with its space). Bad sentences are flagged with
the span and suggestion; tricky correct ones are not flagged."""

from __future__ import annotations

import pytest

from mtcheck.flags import RULES
from tests.helpers import found


def test_rules_are_registered_as_minor_rules():
    expected = {
        "spaced-hyphen": ("Fluency/Punctuation", "picky"),
        "missing-space": ("Fluency/Spelling", "default"),
        "open-compound": ("Fluency/Spelling", "default"),
    }
    for name, (category, group) in expected.items():
        rule = RULES[name]
        assert (rule.category, rule.severity, rule.group) == (category, "minor", group)


# --- spaced-hyphen --------------------------------------------------------------------------


@pytest.mark.parametrize("text, spans", [
    ("Der Zug hielt an - niemand stieg aus.", ["-"]),
    ("Die Feier war schön - und viel zu kurz.", ["-"]),
    ("Sein Ziel - ein eigenes Café - rückt näher.", ["-", "-"]),
    ("Das Museum öffnete 1998 - zwei Jahre zu spät.", ["-"]),
    ("Wir warten -- wie jedes Jahr -- auf den Frühling.", ["--", "--"]),
    ("Die Antwort kam prompt - ablehnend.", ["-"]),
    ("Die Zahl der Gäste - etwa 300 -, war kleiner als erwartet.", ["-", "-"]),
])
def test_spaced_hyphen_flags_a_hyphen_standing_for_a_dash(text, spans):
    assert found(text, "spaced-hyphen") == [("spaced-hyphen", span, "–") for span in spans]


@pytest.mark.parametrize("text", [
    "Der Zug hielt an – niemand stieg aus.",
    "Die Nord-Süd-Verbindung wird im Mai eröffnet.",
    "Der Ein- und Ausgang liegt auf der linken Seite.",
    "Sie kauft Apfel- und Birnensaft sowie Vollkorn-Brot.",
    "Es gilt: 12 - 5 = 7, und der Bereich liegt bei 10 - 20 Grad.",
    "Die Handschrift stammt aus dem 10. - 12. Jahrhundert.",
    "Einkaufsliste:\n- Milch\n- Eier\n  - braune Eier",
    "LEIPZIG (epd) - Die Messe meldet einen Besucherrekord.",
    "Die Strecke Köln–Bonn ist gesperrt.",
    "Er schrieb -nicht- zurück, sondern rief an.",
])
def test_spaced_hyphen_leaves_correct_text_alone(text):
    assert found(text, "spaced-hyphen") == []


def test_spaced_hyphen_flags_a_dash_after_a_dateline_that_is_not_at_the_start():
    text = "Der Bericht kam aus LEIPZIG (epd) - spät am Abend."
    assert found(text, "spaced-hyphen") == [("spaced-hyphen", "-", "–")]


# --- missing-space --------------------------------------------------------------------------


@pytest.mark.parametrize("text, span, suggestion", [
    ("Die Messe beginnt am 7.Oktober in Hamburg.", "7.Oktober", "7. Oktober"),
    ("Das Schloss stammt aus dem 12.Jahrhundert.", "12.Jahrhundert", "12. Jahrhundert"),
    ("Sie gewann das Rennen im 3.Anlauf.", "3.Anlauf", "3. Anlauf"),
    ("Der Laden schloss früh.Danach war die Straße leer.", "früh.Danach", "früh. Danach"),
    ("Kommst du morgen?Wir fahren um acht.", "morgen?Wir", "morgen? Wir"),
    ("Das ist ja großartig!Ich freue mich sehr.", "großartig!Ich", "großartig! Ich"),
    ("Er nahm den Bus (den letzten.Der fuhr um zehn).", "letzten.Der", "letzten. Der"),
])
def test_missing_space_flags_glued_words(text, span, suggestion):
    assert found(text, "missing-space") == [("missing-space", span, suggestion)]


@pytest.mark.parametrize("text", [
    "Die Messe beginnt am 7. Oktober in Hamburg.",
    "Der Kurs stieg um 2.5 Prozent, am 7.10.2024 um 14.45 Uhr.",
    "Sie las Bücher von J.R.R. Tolkien und z.B. von C.S. Lewis.",
    "Die Firma hat ihren Sitz in den U.S.A. und in der EU.",
    "Mehr dazu unter www.stadtwerke.de/Service.Info oder auf beispiel.de.",
    "Schreiben Sie an info.Team@beispiel.de oder https://beispiel.de/Hilfe.Seite jetzt.",
    "Die Datei heißt Bericht.Final, daneben liegt Jahresbericht.pdf.",
    "Der Dienst org.beispiel.Druck startet neu.",
    "Öffnen Sie die Klasse DBus.Properties im Editor.",
    "Der 1.FC Köln spielt am Sonntag.",
])
def test_missing_space_leaves_correct_text_alone(text):
    assert found(text, "missing-space") == []


def test_missing_space_ignores_commas():
    assert found("Sie mag Tee,Kaffee und Kakao.", "missing-space") == []


# --- open-compound --------------------------------------------------------------------------


@pytest.mark.parametrize("text, reference, span, suggestion", [
    ("Der Streit um die BBC Gebühren geht weiter.",
     "The row over BBC fees is not over.", "BBC Gebühren", "BBC-Gebühren"),
    ("Die neuen Tesla Fabriken stehen in Texas.",
     "The new Tesla factories are in Texas.", "Tesla Fabriken", "Tesla-Fabriken"),
    ("Viele Netflix Abonnenten kündigen.",
     "Many Netflix subscribers are cancelling.", "Netflix Abonnenten", "Netflix-Abonnenten"),
    ("Er besuchte einen Podcasting Kurs in Berlin.",
     "He attended a podcasting course in Berlin.", "Podcasting Kurs", "Podcasting-Kurs"),
    ("Die New York Polizei ermittelt.",
     "The New York police are investigating.", "New York Polizei", "New-York-Polizei"),
    ("Viele Silicon Valley Firmen wachsen.", "Many Silicon Valley firms are growing.",
     "Silicon Valley Firmen", "Silicon-Valley-Firmen"),
    ("Zwischen Google und Apple Anwälten gab es Streit.",
     "There was a dispute between Google and Apple lawyers.", "Apple Anwälten", "Apple-Anwälten"),
    ("Der US Präsident sprach lange.", "The US president has spoken for long.",
     "US Präsident", "US-Präsident"),
    # a headline in title case: the capital of "Notes" says nothing there
    ("Die Bank kann keine neuen Naira Banknoten drucken",
     "Bank Lacks Capacity To Print More New Naira Notes", "Naira Banknoten", "Naira-Banknoten"),
])
def test_open_compound_flags_an_english_compound_written_apart(text, reference, span, suggestion):
    assert found(text, "open-compound", reference) == [("open-compound", span, suggestion)]


@pytest.mark.parametrize("text, reference", [
    ("Der Streit um die BBC-Gebühren geht weiter.", "The row over the BBC fees goes on."),
    ("Kanzler Scholz reist nach Kanada.", "Chancellor Scholz travels to Canada."),
    ("Die Firma Apple meldet Gewinne.", "The company Apple reports profits."),
    ("Er lebt seit Jahren in New York.", "He has lived in New York for years."),
    ("Warum hat die EU Sanktionen verhängt?", "Why has the EU imposed sanctions?"),
    ("Hat die EU Strafen verhängt?", "Did the EU impose fines on them?"),
    ("Gestern sagte Apple Kunden ab.", "Yesterday Apple told customers no."),
    ("Fabriken in den USA Gewinne bringen lassen", "Letting factories in the USA make profits"),
    ("Die Bostoner Polizei ermittelt.", "The Boston police are investigating."),
    ("Merkels Rede wurde gelobt.", "Merkel's speech was praised."),
    ("Installieren Sie Microsoft Teams neu.", "Reinstall Microsoft Teams."),
    ("Das ist eine Sun Typ 6 Tastatur.", "This is a Sun type 6 keyboard."),
    ("Der UN Gipfel beginnt heute.", None),
    ("The Prozess wird gestoppt.", "The process is stopped."),
    ("Sie kauft im Apple Store ein.", "She is a loyal Apple customer."),
    ("Das Handy hat 5 GB Speicher.", "The phone has 5 GB storage."),
    ("Er gab Microsoft Zeit bis Montag.", "He gave Microsoft time until Monday."),
    ("In der EU Geld zu verdienen ist schwer.", "Making money in the EU is hard."),
    ("Der CEO Tim Cook sprach.", "The CEO Tim Cook spoke."),
    # in running text a capitalised follower is a name or a verb, not a noun it modifies
    ("Er gab Microsoft Zeit bis Montag.", "He gave Microsoft Time until Monday."),
])
def test_open_compound_leaves_correct_or_unclear_text_alone(text, reference):
    assert found(text, "open-compound", reference) == []


# --- score-format --------------------------------------------------------------------------


@pytest.mark.parametrize("text, reference, span, suggestion", [
    ("Bayern gewann 4: 1 gegen Mainz.", "Bayern won 4-1 against Mainz.", "4: 1", "4:1"),
    ("Es stand zur Pause 2 : 0.", "It was 2–0 at half-time.", "2 : 0", "2:0"),
    ("Nach dem 3: 2-Sieg feierten sie.", None, "3: 2", "3:2"),
])
def test_score_format_flags_a_spaced_score(text, reference, span, suggestion):
    assert found(text, "score-format", reference) == [("score-format", span, suggestion)]


@pytest.mark.parametrize("text, reference", [
    ("Bayern gewann 4:1 gegen Mainz.", "Bayern won 4-1 against Mainz."),
    ("Schritt 3: 10 Minuten warten.", "Step 3: wait 10 minutes."),
    ("Kapitel 2: 5 Fragen zur Geschichte", "Chapter 2: five questions on history"),
    ("Es ist 12: 15 Uhr.", None),
    ("Das Verhältnis beträgt 3: 1.", "The ratio is three to two."),
])
def test_score_format_leaves_labels_and_unknown_ratios_alone(text, reference):
    assert found(text, "score-format", reference) == []
