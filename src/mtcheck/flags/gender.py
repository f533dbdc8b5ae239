"""Grammatical gender of German nouns, where it is certain, and determiner agreement tables.

HanTa gives STTS tags and lemmas but no gender, so the agreement rules read gender from
a short list of frequent nouns and from the suffixes that fix a noun's gender
("-ung", "-heit", "-keit", "-schaft", "-tät", "-ion" are feminine, "-ismus" masculine,
"-ment" neuter). A noun that neither knows is left alone. Only forms whose singular
differs from the plural are listed (or they are marked as possibly plural), so that
"die" before a listed masculine or neuter noun is certainly wrong.

The agreement rules read a noun's readings with ``noun_phrase_readings``: from the full
german-nouns lexicon (``mtcheck.flags.nouns``) when it knows the form, else from this
list and these suffixes.
"""

from __future__ import annotations

from functools import lru_cache

from mtcheck.flags.nouns import ANY_READINGS, noun_readings
from mtcheck.flags.tagger import get_tagger

MASC, FEM, NEUT = "m", "f", "n"

# Frequent nouns (nominative singular) whose gender is not in doubt. A trailing "*"
# marks a noun whose plural has the same form ("Unternehmen"): it may be plural.
_NOUNS = {
    MASC: """
        Erfolg Markt Tag Mann Weg Grund Punkt Raum Baum Satz Preis Wert Plan Blick Krieg
        Staat Job Arzt Hund Tisch Stuhl Zug Flug Ort Sinn Kopf Fuß Arm Wald Berg Stern Mond
        Text Brief Film Stein Schritt Versuch Vertrag Bericht Unterschied Zweck Schutz Strom
        Platz Anfang Beginn Chip Konzern Kurs Umsatz Gewinn Verlust Fall Stand Zustand Abstand
        Vorstand Hinweis Beitrag Auftrag Vorschlag Zusammenhang Einfluss Prozess Bereich
        Betrieb Vorteil Nachteil Monat Sohn Bruder Freund Gott Himmel* Körper* Computer*
        Lehrer* Fehler* Partner* Sommer* Winter* Augenblick Traum Schlaf Hunger Durst
        Frieden* Boden* Garten* Wagen* Roboter* Planet Kontinent Staub Rand Zeitpunkt Ansatz
        Einsatz Wunsch Mensch* Ozean Fluss Strand Wind Regen* Schnee Sturm Kampf Sieg Mut
        Hass Spaß Witz Ton Klang Gedanke* Begriff Ausdruck Eindruck Druck Sprung Schwung
        Ursprung Aufstieg Rückgang Anstieg Rückschlag Termin Besuch Kunde* Nutzer* Kontakt
        Dienst Algorithmus Mechanismus Organismus Tourismus Kapitalismus Sozialismus
        """,
    FEM: """
        Welt Zeit Frau Stadt Hand Idee Frage Firma Art Form Rolle Seite Sprache Sache
        Geschichte Arbeit Antwort Zahl Nacht Kraft Macht Liste Woche Stunde Straße Schule
        Nachricht Gruppe Karte Bank Farbe Wand Tür Uhr Luft Erde Sonne Katze Familie Mutter
        Tochter Schwester Minute Sekunde Lösung Aufgabe Grenze Krise Studie Methode Energie
        Industrie Technik Politik Musik Kritik Fabrik Natur Kultur Zukunft Vergangenheit
        Gegenwart Regel Million Milliarde Hälfte Mitte Stimme Straße Kirche Insel Küste
        Brücke Wahl Zelle Pflanze Blume Art Ware Menge Summe Quelle Branche Plattform
        Software Hardware Cloud Website App Aktie Börse Region Nation Union Frucht
        Haut Angst Freude Liebe Hoffnung Wahrheit Lüge Reise Fahrt Straße Spur Wirtschaft
        Gesellschaft Wissenschaft Forschung Regierung Entwicklung Bewegung Meinung Erfahrung
        Ecke Sicht Ansicht Absicht Aussicht Einsicht Hilfe Mühe Ruhe Nähe Höhe Tiefe Breite
        Länge Größe Stärke Schwäche Wärme Kälte Gefahr Pflicht Figur
        """,
    NEUT: """
        Jahr Haus Land Kind Geld Problem Bild Buch Auto Licht Wort Ziel Spiel Werk Feld Recht
        Ende Thema System Modell Projekt Programm Produkt Ergebnis Beispiel Gesetz Netz Gerät
        Team Internet Video Foto Tier Auge Ohr Herz Gehirn Gesicht Blut Bein Dach Dorf Fenster*
        Zimmer* Wasser* Leben* Unternehmen* Mädchen* Essen* Wetter* Theater* Zentrum Museum
        Studium Publikum Datum Forum Spektrum Universum Medium Jahrzehnt Jahrhundert Konzept
        Experiment Dokument Argument Element Instrument Parlament Segment Management Prinzip
        Risiko Angebot Gebiet Verhalten* Verhältnis Gefühl Gespräch Geschäft Gebäude* Gewicht
        Schiff Boot Flugzeug* Fahrzeug* Werkzeug* Spielzeug* Wissen Ding Stück Glas Holz Gold
        Eis Feuer* Meer Tal Volk Paar Prozent* Kapitel* Ereignis Geheimnis Bedürfnis Interesse
        Verständnis Zeugnis Wachstum Eigentum Mittel* Lied Glück Pech Recht Gold Salz Brot
        Fleisch Obst Gemüse* Format Telefon Handy Radio Training Marketing Design
        """,
}
_SAME_PLURAL = frozenset(
    word.rstrip("*").lower()
    for words in _NOUNS.values()
    for word in words.split()
    if word.endswith("*")
)
# Weak masculine nouns: every case but the nominative ends in -en, so "den Mensch" etc.
# are errors of another kind; they are not used for article checks.
_WEAK = frozenset({"mensch", "kunde", "gedanke", "planet", "kontinent"})
LEXICON = {
    word.rstrip("*").lower(): gender for gender, words in _NOUNS.items() for word in words.split()
}

# Suffixes that fix the gender; exceptions are whole words or word endings.
_SUFFIXES = (
    ("ung", FEM),
    ("heit", FEM),
    ("keit", FEM),
    ("schaft", FEM),
    ("tät", FEM),
    ("tion", FEM),
    ("sion", FEM),
    ("gion", FEM),
    ("enz", FEM),
    ("erei", FEM),
    ("ismus", MASC),
    ("ment", NEUT),
)
# Listed nouns that end words of another gender ("Legende", "Aufwand", "Scherz").
_NO_COMPOUND_TAILS = frozenset({"ende", "wand", "herz"})
_SUFFIX_EXCEPTIONS = ("sprung", "schwung", "dung", "moment", "zement", "lenz")


@lru_cache(maxsize=50_000)
def noun_gender(word: str) -> tuple[str, bool] | None:
    """(gender, may_be_plural) of a singular-looking noun form, or None when unsure.

    A hyphenated compound takes the gender of its last part ("KI-Firma" like "Firma");
    a closed compound that ends in a listed noun of four letters or more takes its gender
    ("Muttergesellschaft", "Marktanteil" is not listed: unknown).
    """
    lowered = word.lower()
    if "-" in lowered:
        lowered = lowered.rsplit("-", 1)[-1]
        if not lowered:
            return None
    if lowered in LEXICON:
        if lowered in _WEAK:
            return None
        return LEXICON[lowered], lowered in _SAME_PLURAL
    if len(lowered) < 5 or not lowered.isalpha():
        return None
    if not lowered.endswith(_SUFFIX_EXCEPTIONS):
        for suffix, gender in _SUFFIXES:
            if lowered.endswith(suffix) and len(lowered) > len(suffix) + 2:
                return gender, False
    for start in range(3, len(lowered) - 3):
        tail = lowered[start:]
        if tail in LEXICON and tail not in _WEAK and tail not in _NO_COMPOUND_TAILS:
            return LEXICON[tail], tail in _SAME_PLURAL
    return None


_CASES = ("n", "a", "d", "g")


@lru_cache(maxsize=50_000)
def noun_phrase_readings(word: str) -> frozenset[tuple[str, str]] | None:
    """(gender or "p", case) readings of a noun form for agreement checks, or None when
    unsure: the lexicon's readings (None when they are open to every gender), else those
    of the hand-kept list and suffixes, in every case."""
    readings = noun_readings(word)
    if readings is not None:
        return None if readings == ANY_READINGS else readings
    known = noun_gender(word)
    if known is None:
        return None
    gender, may_be_plural = known
    genders = (gender, "p") if may_be_plural else (gender,)
    return frozenset((g, case) for g in genders for case in _CASES)


@lru_cache(maxsize=50_000)
def nominalised_infinitive(word: str) -> frozenset[tuple[str, str]]:
    """Neuter singular readings for a form that may be a verb's infinitive used as a noun
    ("das Klingeln", "dem Zusammendrücken"): any verb makes one, and the lexicon lists
    few, so "Klingeln" must not read as the plural of "Klingel" alone. Empty otherwise."""
    if not word.endswith("n") or not get_tagger().may_be_infinitive(word.lower()):
        return frozenset()
    return frozenset((NEUT, case) for case in ("n", "a", "d"))


# Determiners: the (gender, case) readings of each singular form; "p" stands for plural.
# Case letters: n nominative, a accusative, d dative, g genitive.
DEFINITE = {
    "der": {(MASC, "n"), (FEM, "d"), (FEM, "g"), ("p", "g")},
    "die": {(FEM, "n"), (FEM, "a"), ("p", "n"), ("p", "a")},
    "das": {(NEUT, "n"), (NEUT, "a")},
    "den": {(MASC, "a"), ("p", "d")},
    "dem": {(MASC, "d"), (NEUT, "d")},
    "des": {(MASC, "g"), (NEUT, "g")},
}
INDEFINITE = {
    "ein": {(MASC, "n"), (NEUT, "n"), (NEUT, "a")},
    "eine": {(FEM, "n"), (FEM, "a")},
    "einen": {(MASC, "a")},
    "einem": {(MASC, "d"), (NEUT, "d")},
    "einer": {(FEM, "d"), (FEM, "g")},
    "eines": {(MASC, "g"), (NEUT, "g")},
}
_INFLECTED = {"": "ein", "e": "eine", "en": "einen", "em": "einem", "er": "einer", "es": "eines"}
# The ein-words ("kein", possessives) inflect like "ein" and add the plural.
EIN_WORDS = ("kein", "mein", "dein", "sein", "unser", "eur", "euer")


def determiner_readings(word: str) -> tuple[set[tuple[str, str]], str] | None:
    """(readings, kind) of a determiner form: kind "def" or "indef"; None if not one."""
    lowered = word.lower()
    if lowered in DEFINITE:
        return DEFINITE[lowered], "def"
    if lowered in INDEFINITE:
        return INDEFINITE[lowered], "indef"
    for stem in EIN_WORDS:
        if lowered.startswith(stem):
            ending = lowered[len(stem) :]
            if stem == "euer" and ending:
                return None
            if ending in _INFLECTED:
                readings = set(INDEFINITE[_INFLECTED[ending]])
                plural = {"e": {("p", "n"), ("p", "a")}, "er": {("p", "g")}, "en": {("p", "d")}}
                readings |= plural.get(ending, set())
                return readings, "indef"
    return None


def adjective_ending(reading: tuple[str, str], kind: str) -> str:
    """The ending an attributive adjective takes after a determiner of ``kind``."""
    gender, case = reading
    if gender == "p":
        return "en"
    if kind == "def":
        if case == "n" or (case == "a" and gender != MASC):
            return "e"
        return "en"
    # ein-words: strong ending where the determiner has none
    if case == "n":
        return {MASC: "er", NEUT: "es", FEM: "e"}[gender]
    if case == "a":
        return {MASC: "en", NEUT: "es", FEM: "e"}[gender]
    return "en"
