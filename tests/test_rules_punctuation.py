"""Rules for the Fluency errors expert raters mark most: quotation marks, number-noun
hyphens, a space before a joining hyphen and the comma after a fronted subordinate
clause. Each with bad sentences (flagged, with the span and suggestion) and tricky correct
ones (not flagged)."""

from __future__ import annotations

import pytest

from mtcheck.flags import RULES
from mtcheck.flags.quotes import english_marks, straight_double_marks
from tests.helpers import found

# --- straight-quotes ---------------------------------------------------------------------


def test_straight_quotes_is_a_default_punctuation_rule():
    rule = RULES["straight-quotes"]
    assert (rule.group, rule.category, rule.severity) == ("default", "Fluency/Punctuation", "minor")


@pytest.mark.parametrize(
    "text, expected",
    [
        ('Die Zeitung nannte ihn "den Retter".', [('"', "„"), ('"', "“")]),
        # a German opening mark closed by a straight one: only the straight one is wrong
        ('Sie rief: „Kommt sofort rein!"', [('"', "“")]),
        ('"Nein", sagte er, "das geht nicht."', [('"', "„"), ('"', "“"), ('"', "„"), ('"', "“")]),
        ("Wir sahen den Film 'Nordlicht' gestern.", [("'", "„"), ("'", "“")]),
    ],
)
def test_straight_quotes_flag_each_mark(text, expected):
    flags = found(text, "straight-quotes")
    assert [(span, suggestion) for _, span, suggestion in flags] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Die Zeitung nannte ihn „den Retter“.",
        "Die Zeitung nannte ihn »den Retter«.",
        'Der Monitor hat 32" und kostet viel.',
        "Wie geht's? Das ist Klaus' Fahrrad, sagte O'Brien.",
        "Sie hat's geschafft, und 's ist gut so.",
    ],
)
def test_straight_quotes_leave_german_marks_inches_and_apostrophes(text):
    assert found(text, "straight-quotes") == []


def test_straight_double_marks_reads_opening_and_closing():
    marks = list(straight_double_marks('Er sagte "ja" und "nein".'))
    assert [(m.index, m.opening) for m in marks] == [
        (9, True),
        (12, False),
        (18, True),
        (23, False),
    ]


# --- quotation-marks ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Wir nennen es “Plan B” intern.", [("“", "„"), ("”", "“")]),
        ("Wir nennen es „Plan B” intern.", [("”", "“")]),
    ],
)
def test_quotation_marks_flag_english_marks(text, expected):
    flags = found(text, "quotation-marks")
    assert [(span, suggestion) for _, span, suggestion in flags] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Wir nennen es „Plan B“ intern.",
        "„Geh“, sagte sie, „bevor es dunkel wird.“",
        "Er schrieb „Ende“ “ und ging.",  # a stray closing mark after a space closes nothing
    ],
)
def test_quotation_marks_leave_german_quotations(text):
    assert found(text, "quotation-marks") == []


def test_english_opening_needs_a_closing_mark():
    assert list(english_marks("Am Ende stand “ allein.")) == []


# --- quote-space -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Er nannte es „eine Zumutung “, sagte sie.",
        'Sie fand das "großartig ". Dann ging sie.',
        "Der Chef schrieb: „ Morgen ist frei.“",
    ],
)
def test_quote_space_flags(text):
    assert found(text, "quote-space") == [("quote-space", " ", "")]


@pytest.mark.parametrize(
    "text",
    [
        "Er nannte es „eine Zumutung“, sagte sie.",
        "Sie rief „Halt!“ und „Stopp!“ – dann war Ruhe.",
        "Der Titel lautet »Nordwind« und erschien 2019.",
    ],
)
def test_quote_space_leaves_tight_quotations(text):
    assert found(text, "quote-space") == []


# --- number-hyphen -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Das Konzert dauerte 3-Stunden.",
        "Wir warteten fast 20-Minuten auf den Bus.",
        "Sie trugen 6-Flaschen Wasser nach oben.",
        "Er lief in 4-Tagen über die Alpen.",
    ],
)
def test_number_hyphen_flags_a_counted_plural(text):
    assert found(text, "number-hyphen") == [("number-hyphen", "-", " ")]


def test_number_hyphen_leaves_a_plural_without_ending():
    # "Einwohner" is singular and plural alike: the analysis cannot tell, so no flag
    assert found("Das Dorf hat 250-Einwohner.", "number-hyphen") == []


@pytest.mark.parametrize(
    "text",
    [
        "Sie buchten ein 5-Sterne-Hotel mit 2-Zimmer-Apartments.",
        "Der 17-Jährige und die 80-Jährigen kamen zusammen.",
        "Nach dem 2:1-Sieg feierte die Mannschaft.",
        "Die Covid-19-Fälle und G7-Staaten waren Thema.",
        "Er kaufte einen 12-Zylinder und einen 40-Tonner.",
        "Das 1-Euro-Stück fiel in den 3-Liter-Eimer.",
        "Sie war 100-prozentig sicher und kam 5-mal.",
    ],
)
def test_number_hyphen_leaves_compounds(text):
    assert found(text, "number-hyphen") == []


# --- hyphen-space ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Die „Nordlicht“ -Tour ist ausverkauft.",
        "Nach dem 3:0 -Erfolg jubelten alle.",
        'Er fährt einen "Blitz" -Roller.',
    ],
)
def test_hyphen_space_flags(text):
    assert found(text, "hyphen-space") == [("hyphen-space", " -", "-")]


@pytest.mark.parametrize(
    "text",
    [
        "Die „Nordlicht“-Tour ist ausverkauft – leider.",
        "Das ist ein Ein- und Ausgang.",
        "Er kam - wie immer - zu spät.",  # a spaced hyphen is a dash: spaced-hyphen's
        "Die Liste:\n -Äpfel\n -Birnen",
    ],
)
def test_hyphen_space_leaves_other_hyphens(text):
    assert found(text, "hyphen-space") == []


# --- unit-space --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, span, suggestion",
    [
        ("Die Anlage erzeugt 450MW Strom.", "450MW", "450 MW"),
        ("Der Akku hat 3,7V und 2000mAh.", "3,7V", "3,7 V"),
        ("Bis zum Gipfel sind es 12km.", "12km", "12 km"),
        ("Der Klub bot $30m für ihn.", "30m", "30 Mio."),
    ],
)
def test_unit_space_flags(text, span, suggestion):
    assert found(text, "unit-space") == [("unit-space", span, suggestion)]


@pytest.mark.parametrize(
    "text",
    [
        "Die Anlage erzeugt 450 MW Strom.",
        "Der 3D-Drucker und das 5G-Netz kamen in den 2020ern.",
        "Das Spiel endete 4:1, sie trug Größe 38M.",
        "Im Jahr 2022a und 2022b erschienen zwei Bände.",
        "Die 4K-Kamera kostet $30 mehr.",
    ],
)
def test_unit_space_leaves_names_and_spaced_units(text):
    assert found(text, "unit-space") == []


# --- fronted-clause-comma ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, span",
    [
        ("Weil der Regen nicht aufhörte blieben wir im Zelt.", "aufhörte"),
        ("Nachdem sie gegessen hatte ging sie spazieren.", "hatte"),
        ("Sobald der Vertrag unterschrieben ist beginnen die Arbeiten.", "ist"),
    ],
)
def test_fronted_clause_comma_flags(text, span):
    assert found(text, "fronted-clause-comma") == [("fronted-clause-comma", span, span + ",")]


@pytest.mark.parametrize(
    "text",
    [
        "Weil der Regen nicht aufhörte, blieben wir im Zelt.",
        "Wenn es schneit und friert, bleiben die Schulen zu.",
        "Damit ist die Sache erledigt.",
        "Falls nötig kommen wir morgen wieder.",
        "Er blieb, weil es regnete.",
    ],
)
def test_fronted_clause_comma_leaves_correct_text(text):
    assert found(text, "fronted-clause-comma") == []


# --- das-dass ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Sie sagt, das er morgen kommt.",
        "Er hofft, das die Regierung bald handelt.",
        "Sie stellte fest, das ihr Auto fehlte.",
        "Wir glauben, das man das schaffen kann.",
    ],
)
def test_das_dass_flags_a_complement_clause(text):
    assert found(text, "das-dass") == [("das-dass", "das", "dass")]


@pytest.mark.parametrize(
    "text",
    [
        "Sie sagt, dass er morgen kommt.",
        "Ich glaube, das ist richtig.",  # demonstrative pronoun, verb second
        "Er hat ein Buch gelesen, das er sehr mag.",  # relative clause, neuter antecedent
        "Ich habe Berlin besucht, das mir sehr gefiel.",
        "Sie weiß, das Kind schläft schon.",  # article, main clause
        "Er sagte, das heißt, er kommt nicht.",
        "Das Haus, das er kaufte, steht leer.",
    ],
)
def test_das_dass_leaves_articles_pronouns_and_relatives(text):
    assert found(text, "das-dass") == []


# --- preposition-case --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, span, suggestion",
    [
        ("Er fuhr mit die Nachbarn zum See.", "die", None),
        ("Wir wohnen bei unsere Tante.", "unsere", None),
        ("Sie sprach mit den Schüler über Noten.", "Schüler", "Schülern"),
        ("Das Geld ist für einem guten Zweck.", "einem", None),
        ("Der Zug fuhr durch dem Tunnel.", "dem", None),
    ],
)
def test_preposition_case_flags(text, span, suggestion):
    assert found(text, "preposition-case") == [("preposition-case", span, suggestion)]


@pytest.mark.parametrize(
    "text",
    [
        "Er fuhr mit den Nachbarn und mit ein paar Freunden zum See.",
        "Sie sprach mit ihr, nicht mit ihm.",  # pronouns, no determiners
        "Seit die Preise steigen, sparen wir.",  # "seit" opening a clause
        "Er tat es um der Kinder willen.",  # um … willen takes the genitive
        "Das war mit das Schönste an der Reise.",  # "mit" as an adverb
        "Sie kam mit den Autos und den Taxis.",
        "Er sprach wegen dem Wetter mit der Chefin.",  # genitive prepositions: not checked
        "Sie legte es auf den Tisch und in die Schublade.",  # two-way prepositions
    ],
)
def test_preposition_case_leaves_correct_and_unchecked_phrases(text):
    assert found(text, "preposition-case") == []
