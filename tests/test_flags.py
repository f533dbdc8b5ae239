"""The German checks (mtcheck.flags): API, settings, and each rule's bad and good cases."""

from __future__ import annotations

import dataclasses
import random
import re

import pytest

from mtcheck.errors import ConfigError
from mtcheck.flags import RULES, RuleSettings, check_segments
from mtcheck.flags.tagger import get_tagger
from mtcheck.model import SEVERITIES, Scores
from tests.helpers import found, run, segment  # noqa: E402

CATEGORIES = {
    "modal-participle": "Fluency/Grammar",
    "verb-final-subclause": "Fluency/Grammar",
    "infinitive-comma": "Fluency/Punctuation",
    "untranslated-text": "Accuracy/Untranslated",
    "term-inconsistency": "Terminology/Inconsistent",
    "number-mismatch": "Accuracy/Mistranslation",
    "number-format": "Locale convention",
    "low-adequacy": "Accuracy/Mistranslation",
    "glossary-term": "Terminology/Wrong term",
    "article-agreement": "Fluency/Grammar",
    "possessive-gender": "Fluency/Grammar",
    "subclause-comma": "Fluency/Punctuation",
    "relative-comma": "Fluency/Punctuation",
    "repeated-word": "Fluency/Grammar",
    "quotation-marks": "Fluency/Punctuation",
    "straight-quotes": "Fluency/Punctuation",
    "number-hyphen": "Fluency/Punctuation",
    "hyphen-space": "Fluency/Punctuation",
    "unit-space": "Fluency/Punctuation",
    "spaced-hyphen": "Fluency/Punctuation",
    "missing-space": "Fluency/Spelling",
    "open-compound": "Fluency/Spelling",
    "das-dass": "Fluency/Grammar",
    "indirect-speech": "Fluency/Grammar",
    "capitalised-word": "Fluency/Spelling",
    "mixed-address": "Fluency/Register",
    "english-spelling": "Fluency/Spelling",
    "score-format": "Fluency/Punctuation",
    "quote-space": "Fluency/Punctuation",
    "preposition-case": "Fluency/Grammar",
    "fronted-clause-comma": "Fluency/Punctuation",
    "omission": "Accuracy/Omission",
    "addition": "Accuracy/Addition",
    "markup-mismatch": "Design/Markup",
}
# Rules that run only when selected.
PICKY = {"relative-comma", "spaced-hyphen"}


# --- registry and settings ------------------------------------------------------------------


def test_registry_names_categories_and_metadata():
    assert set(RULES) == set(CATEGORIES)
    for name, rule in RULES.items():
        assert rule.name == name
        assert rule.category == CATEGORIES[name]
        assert rule.severity in SEVERITIES
        assert rule.group == ("picky" if name in PICKY else "default"), name
        assert rule.scope in ("segment", "document")
        assert rule.summary and "\n" not in rule.summary
        assert "Bad:" in rule.doc and "Good:" in rule.doc, name
    assert {n for n, r in RULES.items() if r.scope == "document"} == {
        "term-inconsistency", "number-format", "omission", "addition", "indirect-speech",
        "mixed-address"}


def test_settings_defaults_and_frozen_forms():
    settings = RuleSettings(select=["modal-participle"], ignore=["low-adequacy"],
                            severity={"number-format": "major"})
    assert settings.select == frozenset({"modal-participle"})
    assert settings.ignore == frozenset({"low-adequacy"})
    assert dict(settings.severity) == {"number-format": "major"}
    with pytest.raises(TypeError):
        settings.severity["x"] = "minor"  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.min_chrf = 10  # type: ignore[misc]
    hash(settings)
    default = RuleSettings()
    assert default == RuleSettings()
    assert (default.min_chrf, default.min_adequacy) == (30.0, -3.0)
    assert default.enabled() == [name for name in RULES if name not in PICKY]


@pytest.mark.parametrize("kwargs, named", [
    ({"select": {"modal-participel"}}, "modal-participel"),
    ({"ignore": {"no-such-rule"}}, "no-such-rule"),
    ({"severity": {"bogus": "minor"}}, "bogus"),
    ({"severity": {"number-format": "blocker"}}, "blocker"),
    ({"min_chrf": 150}, "150"),
    ({"min_chrf": "30"}, "30"),
    ({"min_adequacy": 0.5}, "0.5"),
])
def test_settings_name_the_bad_key_or_value_when_made(kwargs, named):
    with pytest.raises(ConfigError, match=re.escape(named)):
        RuleSettings(**kwargs)


def test_select_ignore_and_severity_override():
    text = "ByteDance soll versucht, um 25% zu wachsen."
    assert {r for r, _, _ in found(text)} == {"modal-participle", "number-format"}
    (flags,) = run([text], ignore={"number-format"})
    assert [f.rule for f in flags] == ["modal-participle"]
    (flags,) = run([text], select={"number-format"}, severity={"number-format": "critical"})
    assert [(f.rule, f.severity, f.category) for f in flags] == [
        ("number-format", "critical", "Locale convention")]
    (flags,) = run([text], select=set())
    assert flags == ()


# --- check_segments contract ------------------------------------------------------------------


def test_one_sorted_tuple_per_segment_with_spans_into_target():
    targets = ["", "   ", "Die Aktie stieg um 25%, weil sie hat viele Käufer.",
               "Das ist ein korrekter Satz."]
    result = run(targets)
    assert len(result) == 4 and all(isinstance(flags, tuple) for flags in result)
    assert result[0] == () and result[1] == () and result[3] == ()
    flags = result[2]
    assert [f.rule for f in flags] == ["number-format", "verb-final-subclause"]
    assert [f.span[0] for f in flags] == sorted(f.span[0] for f in flags)
    text = targets[2]
    assert [text[f.span[0]:f.span[1]] for f in flags] == ["25%", "weil sie hat viele Käufer"]
    for flag in flags:
        assert (flag.line, flag.column) == (0, 0)
        assert flag.severity in SEVERITIES and flag.message.endswith(".")


def test_empty_input_and_scores_length_mismatch():
    assert check_segments([]) == []
    with pytest.raises(ValueError):
        check_segments([segment("Gut.")], [None, None])


# --- modal-participle ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, span, suggestion", [
    ("ByteDance soll versucht, eigene Modelle zu bauen.", "soll versucht",
     "soll versucht haben"),
    ("Das Dach muss repariert.", "muss repariert", "muss repariert werden"),
    ("Die Aktien sollen stark gesunken.", "sollen stark gesunken",
     "sollen stark gesunken sein"),
    ("Er soll gelogen und betrogen, sagen Zeugen.", "soll gelogen und betrogen",
     "soll gelogen und betrogen haben"),
    ("Die Firma soll das Werk geschlossen.", "soll das Werk geschlossen",
     "soll das Werk geschlossen haben"),
])
def test_modal_participle_bad(text, span, suggestion):
    assert found(text, "modal-participle") == [("modal-participle", span, suggestion)]


@pytest.mark.parametrize("text", [
    "ByteDance soll versucht haben, eigene Modelle zu bauen.",
    "Das Fenster muss gemacht werden.",
    "Die Firma soll gestern verhaftet worden sein.",
    "Er will mehr Geld und wurde entlassen.",
    "Das Paket soll morgen geliefert und installiert werden.",
    "Wir möchten informiert werden, sobald das Paket angekommen ist.",
    "Er muss das nicht tun.",
    "Man sagt, dass er das Buch gelesen haben soll.",
    "Die Zahl der Nutzer soll bis 2030 verdoppelt werden.",
    "Das Ergebnis kann sich sehen lassen.",
    # "gefallen" is also an infinitive ("to please"): after a modal it is read as one
    "Die Aktien sollen stark gefallen.",
])
def test_modal_participle_good(text):
    assert found(text, "modal-participle") == []


# --- verb-final-subclause -----------------------------------------------------------------------


@pytest.mark.parametrize("text, span, suggestion", [
    ("Das weckt Ängste, dass am Ende die Kunden werden die Chips nicht mehr brauchen.",
     "dass am Ende die Kunden werden die Chips nicht mehr brauchen",
     "dass am Ende die Kunden die Chips nicht mehr brauchen werden"),
    ("Sie bleibt zu Hause, weil sie hat keine Zeit.", "weil sie hat keine Zeit",
     "weil sie keine Zeit hat"),
    ("Er sagte, dass er kauft die Aktien.", "dass er kauft die Aktien",
     "dass er die Aktien kauft"),
    ("Wir wissen nicht, ob er ruft seine Mutter an.", "ob er ruft seine Mutter an",
     "ob er seine Mutter anruft"),
    ("Die Kunden, die haben die Produkte gekauft, sind zufrieden.",
     "die haben die Produkte gekauft", "die die Produkte gekauft haben"),
])
def test_verb_final_subclause_bad(text, span, suggestion):
    assert found(text, "verb-final-subclause") == [("verb-final-subclause", span, suggestion)]


@pytest.mark.parametrize("text", [
    "Die Kunden, die Nvidias Hardware verwendet haben, bauen eigene Chips.",
    "Die Stadt, in der er lebt, ist klein.",
    "Der Bericht, dessen Zahlen falsch waren, wurde zurückgezogen.",
    "Das Haus, das wir gekauft haben, ist alt.",
    "Er weiß, dass das Geld reicht.",
    "Sie sagte, dass das Buch, das sie las, spannend war.",
    "Es bleibt zu hoffen, dass sich die Firma mit der Entscheidung Zeit lässt.",
    "Wenn das gelingt, wird die Firma keinen Partner mehr brauchen.",
    "Es sah aus, als wäre die Welt stehen geblieben.",
    "Während der Sitzung hat der Chef die Zahlen vorgestellt.",
    "Damit hat er nicht gerechnet.",
    "Ich weiß nicht, ob er das Buch hat lesen können.",
    "Sie glaubt, dass er kommen wird und dass sie feiern werden.",
    "Die Preise steigen, weil die Nachfrage wächst und das Angebot sinkt.",
    "Analysten fürchten, dass die Kunden die Produkte nicht mehr brauchen werden.",
])
def test_verb_final_subclause_good(text):
    assert found(text, "verb-final-subclause") == []


# --- infinitive-comma ----------------------------------------------------------------------------


@pytest.mark.parametrize("text, span", [
    ("Um diese Ziele zu erreichen wird sogar fremde Technik genutzt.", "erreichen"),
    ("Ohne ein Wort zu sagen verließ sie den Raum.", "sagen"),
    ("Statt zu sparen gibt er alles aus.", "sparen"),
    ("Er kam um zu helfen.", "kam"),
    ("Um gesehen zu werden trägt er eine Warnweste.", "werden"),
])
def test_infinitive_comma_bad(text, span):
    assert found(text, "infinitive-comma") == [("infinitive-comma", span, span + ",")]


@pytest.mark.parametrize("text", [
    "Sie nutzen die Hardware, um ihre eigenen Chips zu bauen.",
    "Um zu gewinnen, trainiert sie jeden Tag.",
    "Er kam, um zu helfen und um zu lernen.",
    "Es bleibt zu hoffen, dass alles gut geht.",
    "Die Aktie fiel um 6 %.",
    "Er hat versucht, das Problem zu lösen.",
    "Sie hatte die Idee, um Mitternacht zu gehen.",
    "Statt des Autos nahm sie das Rad.",
])
def test_infinitive_comma_good(text):
    assert found(text, "infinitive-comma") == []


# --- untranslated-text ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, reference, expected", [
    ("Die Umsätze der AI Cloud fielen.", "The AI cloud revenue fell.",
     [("AI Cloud", None)]),
    ("Die Studie zeigt, dass AI die Diagnose verbessert.", None, [("AI", "KI")]),
    ("Die Firma meldete, the company said it would expand.",
     "The firm reported that the company said it would expand.",
     [("the company said it would expand", None)]),
    ("Die Patienten schliefen besser than a comparison group.",
     "Patients slept better than a comparison group.", [("than a comparison group", None)]),
])
def test_untranslated_text_bad(text, reference, expected):
    assert [(span, suggestion) for _, span, suggestion
            in found(text, "untranslated-text", reference)] == expected


@pytest.mark.parametrize("text, reference", [
    ("Das berichtete The Information am Montag.",
     "The Information reported this on Monday."),
    ("Wie The Verge berichtete, wächst die Firma.", None),
    ("Die Bank of America meldete Gewinne.", "Bank of America reported profits."),
    ("Die Software läuft in der Cloud.", "The software runs in the cloud."),
    ("Das Team nutzt Hardware von Nvidia.", "The team uses hardware from Nvidia."),
    ("Die Kunden kaufen direkt beim KI-Startup.", "Customers buy directly from the AI startup."),
    ("Zu den Kunden zählen Walmart, Volvo und Zoom.",
     "Customers include Walmart, Volvo and Zoom."),
    ("Die Information war falsch, sagte der Minister.",
     "The information was wrong, the minister said."),
])
def test_untranslated_text_good(text, reference):
    assert found(text, "untranslated-text", reference) == []


# --- term-inconsistency -------------------------------------------------------------------------


def test_term_inconsistency_flags_the_minority_variant():
    targets = ["Die KI-Modelle sind neu.", "Die Firma setzt auf KI.",
               "Die AI-Modelle kosten viel.", "Das ist alles."]
    result = run(targets, select={"term-inconsistency"})
    assert [[(targets[i][f.span[0]:f.span[1]], f.suggestion) for f in flags]
            for i, flags in enumerate(result)] == [[], [], [("AI", "KI")], []]


def test_term_inconsistency_tie_flags_the_non_preferred_form_and_one_variant_is_fine():
    result = run(["Schicken Sie eine E-Mail.", "Die Email kam an."],
                 select={"term-inconsistency"})
    assert [[f.suggestion for f in flags] for flags in result] == [[], ["E-Mail"]]
    assert run(["Die KI lernt.", "Mehr KI-Chips."], select={"term-inconsistency"}) == [(), ()]
    # Each call is one document: no comparison across calls.
    assert run(["Die AI lernt."], select={"term-inconsistency"}) == [()]


def test_term_inconsistency_inside_untranslated_text_is_reported_once():
    targets = ["Die KI lernt schnell.", "Die Umsätze der AI Cloud fielen.", "Mehr KI."]
    references = ["The AI learns fast.", "The AI cloud revenue fell.", "More AI."]
    result = run(targets, references)
    assert [f.rule for f in result[1]] == ["untranslated-text"]
    result = run(targets, references, ignore={"untranslated-text"})
    assert [(f.rule, f.suggestion) for f in result[1]] == [("term-inconsistency", "KI")]


# --- number-mismatch ----------------------------------------------------------------------------


@pytest.mark.parametrize("text, reference", [
    ("Die Firma gibt monatlich 20 Millionen Dollar aus.",
     "The firm spends 20 million dollars a month."),
    ("Die Käufe machen 25 Prozent des Umsatzes aus.", "Purchases make up 25% of revenue."),
    ("Die Aktie lag bei etwa 418 USD.", "The stock traded at about $418."),
    ("Der Umsatz wuchs um 6,5 %.", "Revenue grew 6.5%."),
    ("Es kamen 1.000 Gäste.", "1,000 guests came."),
    ("Die Zahlen für das vierte Quartal waren schwach.", "Fourth-quarter numbers were weak."),
    ("Im Jahr 2023 sank der Absatz.", "In 2023, sales fell."),
    ("Zwei Firmen bieten mit.", "Two companies are bidding."),
    ("Es kamen 2 Firmen.", "Two companies came."),
    ("Das Treffen beginnt um 18 Uhr.", "The meeting starts at 6 p.m."),
    ("Die Mode der 1990er-Jahre kehrt zurück.", "The fashion of the 1990s is back."),
    ("Die Aktie erreichte ein Zehnjahreshoch.", "The stock hit a 10-year high."),
    ("Die Firma investiert 1,5 Mrd. Euro.", "The firm invests €1.5bn."),
    ("Die Firma investiert 3 Milliarden Euro.", "The firm invests 3 billion euros."),
    ("Er berichtete am 5. März.", "He reported on March 5."),
    # Compound number words have their whole value (the MQM TED reference was flagged on these).
    ("Es wurden zweieinhalb Millionen Teile gebaut.", "2.5 million parts were built."),
    ("Eineinhalb Millionen Menschen kamen.", "1.5 million people came."),
    ("Der Test dauerte vierundzwanzig Stunden.", "The test took 24 hours."),
    ("Dreizehn Firmen und dreihundert Gäste kamen.", "13 companies and 300 guests came."),
])
def test_number_mismatch_good(text, reference):
    assert found(text, "number-mismatch", reference) == []


def test_number_mismatch_changed_number():
    assert found("Die Firma gibt monatlich 30 Millionen Dollar aus.", "number-mismatch",
                 "The firm spends 20 million dollars a month.") == [
        ("number-mismatch", "30 Millionen", "20 Millionen")]
    assert found("Die Aktie fiel um 9 %.", "number-mismatch", "The stock fell 6%.") == [
        ("number-mismatch", "9 %", "6 %")]
    assert found("Es wurden zweieinhalb Millionen Teile gebaut.", "number-mismatch",
                 "3.5 million parts were built.") == [
        ("number-mismatch", "Es wurden zweieinhalb Millionen Teile gebaut.", None)]
    # A billion is a Milliarde, not a Billion.
    assert found("Sie investiert 3 Billionen Euro.", "number-mismatch",
                 "It invests 3 billion euros.") == [
        ("number-mismatch", "3 Billionen", "3 Milliarden")]


def test_number_mismatch_missing_number_spans_the_segment_and_needs_a_reference():
    text = " Die Aktie fiel deutlich. "
    assert found(text, "number-mismatch", "The stock fell 6%.") == [
        ("number-mismatch", "Die Aktie fiel deutlich.", None)]
    assert found(text, "number-mismatch") == []


# --- number-format -------------------------------------------------------------------------------


@pytest.mark.parametrize("text, span, suggestion", [
    ("Der Anteil liegt bei 25%.", "25%", "25 %"),
    ("Der Umsatz stieg um 6.5%.", "6.5%", "6,5 %"),
    ("Die Aktie kostet $418.", "$418", "418 Dollar"),
    ("Der Deal ist $1.5 Milliarden wert.", "$1.5 Milliarden", "1,5 Milliarden Dollar"),
    ("Das kostet 1,000,000 Euro.", "1,000,000", "1.000.000"),
    ("Das wiegt 1,000.5 Tonnen.", "1,000.5", "1.000,5"),
    ("Es geht um 2.5 Millionen Euro.", "2.5 Millionen", "2,5 Millionen"),
])
def test_number_format_bad(text, span, suggestion):
    assert found(text, "number-format") == [("number-format", span, suggestion)]


@pytest.mark.parametrize("text, reference", [
    ("Die Aktie fiel um 6 %.", None),
    ("Die Aktie fiel um 6,5 Prozent.", None),
    ("Das Skript läuft mit Python 3.11.", None),
    ("Wir treffen uns um 18.30 Uhr.", None),
    ("Das kostet 1.500 Euro.", None),
    ("Das kostet 15,000 Euro.", None),  # German 15 with three decimals: only the reference tells
    ("Die Aktie lag bei 418 USD.", "The stock traded at $418."),
])
def test_number_format_good(text, reference):
    assert found(text, "number-format", reference) == []


def test_number_format_single_thousands_group_needs_the_reference():
    assert found("Das kostet 15,000 Euro.", "number-format", "It costs 15,000 euros.") == [
        ("number-format", "15,000", "15.000")]


def test_number_format_mixed_percent_styles():
    targets = ["Die Aktie fiel um 6 %.", "Der Umsatz stieg um 9 %.",
               "Fast 70 Prozent wollen weitermachen."]
    result = run(targets, select={"number-format"})
    assert [[(targets[i][f.span[0]:f.span[1]], f.suggestion) for f in flags]
            for i, flags in enumerate(result)] == [[], [], [("70 Prozent", "70 %")]]
    # One each: no majority, nothing flagged.
    assert run(targets[1:], select={"number-format"}) == [(), ()]
    # A glued "%" is English style; the message points at the document's own style.
    (_, flags) = run(["Die Aktie fiel um 6 %.", "Sie machen 25% aus."], select={"number-format"})
    assert "'6 %'" in flags[0].message


# --- low-adequacy -------------------------------------------------------------------------------


def test_low_adequacy_thresholds():
    targets = ["Die sozialen Medien geben Geld aus.", "Das Unternehmen gibt Geld aus.",
               "Ein Satz.", "Noch ein Satz.", ""]
    scores = [Scores(chrf=25.0, bleu=3.0, ter=90.0, adequacy=-1.0),
              Scores(chrf=70.0, bleu=40.0, ter=30.0, adequacy=-0.5),
              Scores(chrf=60.0, bleu=30.0, ter=40.0, adequacy=-4.5),
              None,
              Scores(chrf=0.0, bleu=0.0, ter=100.0)]
    result = run(targets, scores=scores, select={"low-adequacy"})
    assert [[(f.span, "chrF" in f.message, "adequacy" in f.message) for f in flags]
            for flags in result] == [[((0, len(targets[0])), True, False)], [],
                                     [((0, 9), False, True)], [], []]
    assert result[0][0].severity == "major" and result[0][0].suggestion is None
    result = run(targets, scores=scores, select={"low-adequacy"}, min_chrf=20,
                 min_adequacy=-5.0)
    assert all(flags == () for flags in result)
    scores[1] = Scores(chrf=20.0, bleu=1.0, ter=95.0)  # adequacy None: chrF alone decides
    assert len(run(targets, scores=scores, select={"low-adequacy"})[1]) == 1
    assert run(targets, select={"low-adequacy"}) == [()] * 5


# --- robustness and tagger ------------------------------------------------------------------------


def test_arbitrary_text_never_crashes_and_spans_stay_inside():
    rng = random.Random(7)
    pieces = ["soll", "versucht", ",", "dass", "um", "zu", "25%", "$", "1,000", "AI", "KI",
              "the", "Die", "werden", ".", "–", "„", "€5", "6.5", "z. B.", "5.", "März", "und",
              "\u00a0", "Millionen", "%", "!", "(", "der", "hat", "Ölpreis", "😀", "\t"]
    targets = [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 25)))
               for _ in range(200)]
    references = [rng.choice([None, "The 25% of $418 and 20 million AI things."])
                  for _ in targets]
    for target, flags in zip(targets, run(targets, references), strict=True):
        for flag in flags:
            assert 0 <= flag.span[0] < flag.span[1] <= len(target)


def test_tagger_memoises_sentences_and_knows_german_words():
    tagger = get_tagger()
    words = ["Die", "Firma", "soll", "versucht", "haben", "."]
    first = tagger.tag(words)
    assert first == ("ART", "NN", "VM(FIN)", "VV(PP)", "VA(INF)", "$.")
    assert tagger.tag(list(words)) is first
    assert tagger.is_german_word("Information") and tagger.is_german_word("Software")
    assert not tagger.is_german_word("cloud") and not tagger.is_german_word("the")


def test_flags_run_without_torch_and_load_the_tagger_lazily():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from mtcheck.flags import check_segments, RULES\n"
        "from mtcheck.model import Segment\n"
        "assert 'HanTa.HanoverTagger' not in sys.modules\n"
        "s = Segment(id='1', paragraph=1, target='Er soll versucht, es zu tun.', reference=None,"
        " alignment=None, start=0, line=0, column=0)\n"
        "(flags,) = check_segments([s])\n"
        "assert [f.rule for f in flags] == ['modal-participle'], flags\n"
        "assert 'HanTa.HanoverTagger' in sys.modules\n"
        "bad = [m for m in ('torch', 'transformers') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr


CORRECT_SENTENCES = """
Der Minister betonte, dass die Regierung die Steuern nicht erhöhen werde.
Weil die Nachfrage gestiegen ist, erhöht der Hersteller die Produktion.
Obwohl es regnete, kamen viele Besucher zum Konzert.
Ob die Maßnahmen wirken, wird sich erst im nächsten Jahr zeigen.
Nachdem die Zahlen veröffentlicht worden waren, fiel der Kurs deutlich.
Bevor das Gesetz in Kraft tritt, muss der Bundesrat zustimmen.
Sobald die Genehmigung vorliegt, beginnen die Bauarbeiten.
Der Konzern, dessen Chef vor kurzem zurückgetreten ist, sucht einen Nachfolger.
Die Mitarbeiter, denen gekündigt wurde, erhalten eine Abfindung.
Es ist fraglich, ob die Firma die Ziele erreichen kann, die sie sich gesetzt hat.
Falls die Preise weiter steigen, will die Zentralbank die Zinsen anheben.
Die Polizei teilte mit, dass zwei Menschen leicht verletzt worden seien.
Er erklärte, dass man die Lage genau beobachte und bei Bedarf eingreifen werde.
Wenn man bedenkt, wie schnell sich die Technik entwickelt, ist das kein Wunder.
Die Firma gab bekannt, dass sie im kommenden Jahr rund 500 neue Leute einstellen wird.
Die Studie, die im Fachjournal veröffentlicht wurde, umfasst Daten von 3000 Patienten.
Sie hofft, dass die Verhandlungen bald abgeschlossen werden können.
Indem sie die Kosten senkt, will die Firma wieder profitabel werden.
Das Projekt soll bis Ende des Jahres abgeschlossen sein.
Der Vertrag kann jederzeit gekündigt werden.
Die Firma will ihre Produktion bis 2030 verdoppeln.
Er betonte, die Lage sei ernst, aber nicht hoffnungslos.
Laut Bericht sollen die Kosten deutlich gestiegen sein.
Damit die Kunden zufrieden sind, investiert die Firma in den Service.
Sie war sich nicht sicher, ob sie das Angebot annehmen sollte.
Die Aktie, die im Frühjahr noch stark gefallen war, hat sich erholt.
Der Vorstand rechnet damit, dass die Nachfrage im zweiten Halbjahr anzieht.
Die Kommission prüft, ob der Zusammenschluss den Wettbewerb einschränkt.
Die Stadt plant, ein neues Schwimmbad zu bauen, um den Bedarf zu decken.
Er musste zugeben, dass er den Termin vergessen hatte.
Die Verbraucherzentrale rät, die Verträge genau zu prüfen, bevor man unterschreibt.
Das Unternehmen, das 1998 gegründet wurde, beschäftigt heute 2.000 Menschen.
Die Ärzte warnen, dass zu wenig Schlaf das Risiko für Herzkrankheiten erhöht.
Während die Exporte sanken, stiegen die Importe.
Anstatt neue Straßen zu bauen, will die Regierung die Bahn ausbauen.
Es gelang ihr, das Publikum zu überzeugen, ohne laut zu werden.
Die Preise für Strom und Gas sind im vergangenen Jahr um 12 % gestiegen.
Die neue Software soll Fehler schneller erkennen und automatisch beheben.
Die KI-gestützte Suche der Stadtbibliothek findet auch E-Books und Hörbücher.
Am 5. März, also drei Tage später, meldete die Firma z. B. neue Zahlen.
""".strip().split("\n")


@pytest.mark.parametrize("text", CORRECT_SENTENCES)
def test_correct_sentences_raise_no_flag(text):
    assert found(text) == []
