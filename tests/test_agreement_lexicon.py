"""Noun-phrase agreement from the german-nouns lexicon: the readings it gives, the errors
the agreement rules now catch, tricky correct sentences, and the derived table's cache."""

from __future__ import annotations

import csv

import pytest

from mtcheck.flags import cache as flag_cache
from mtcheck.flags import gender, nouns
from tests.helpers import found, run

# --- readings -------------------------------------------------------------------------------


def test_a_form_of_two_nouns_has_both_genders():
    teil = nouns.noun_readings("Teil")
    assert {("m", "n"), ("n", "n")} <= teil  # der Teil / das Teil
    see = nouns.noun_readings("See")
    assert {("m", "n"), ("f", "n")} <= see  # der See / die See


def test_case_and_number_readings():
    assert nouns.noun_readings("Hauses") == {("n", "g")}
    assert nouns.noun_readings("Kinder") == {("p", "n"), ("p", "a"), ("p", "g")}
    assert ("p", "d") in nouns.noun_readings("Kindern")


def test_compound_takes_its_longest_known_last_part():
    assert nouns.noun_readings("Fensterputzmaschine") == nouns.noun_readings("Maschine")
    assert nouns.known_part("Fensterputzmaschine").endswith("maschine")
    assert nouns.noun_readings("KI-Werkstatt") == nouns.noun_readings("Werkstatt")
    assert nouns.noun_readings("Qwrtzplx") is None


def test_forms_the_lexicon_cannot_pin_down_are_left_alone():
    # declined like adjectives: the ending depends on the article before them
    assert gender.noun_phrase_readings("Angestellte") is None
    assert gender.noun_phrase_readings("Angestellter") is None


def test_nominalised_infinitive_reads_as_neuter():
    assert gender.noun_phrase_readings("Hämmern") == {("p", "d")}  # the lexicon: a plural
    assert ("n", "n") in gender.nominalised_infinitive("Hämmern")  # and "das Hämmern"
    assert gender.nominalised_infinitive("Hammer") == frozenset()


# --- errors the small list missed ------------------------------------------------------------


@pytest.mark.parametrize(
    "text, span, suggestion",
    [
        ("Wir besichtigten einen alte Burg am Fluss.", "einen alte Burg", "eine alte Burg"),
        ("Er kaufte einen neues Fahrrad.", "einen neues Fahrrad", "ein neues Fahrrad"),
        ("Das Gabel liegt auf dem Tisch.", "Das Gabel", "Die Gabel"),
        # "das" is a pronoun that does not fit "Hund", so "eine" is the article
        ("Ist das eine Hund?", "eine Hund", "ein Hund"),
        ("Die Bank eröffnete ein neue Filiale.", "ein neue Filiale", "eine neue Filiale"),
    ],
)
def test_gender_errors_now_caught(text, span, suggestion):
    assert found(text, "article-agreement") == [("article-agreement", span, suggestion)]


def test_compound_gender_error_offers_each_case():
    (flag,) = run(
        ["Die Stadt baut eine Windkraftanlagenturm."], [None], select={"article-agreement"}
    )[0]
    assert flag.suggestion == "ein Windkraftanlagenturm"
    assert "einen Windkraftanlagenturm" in flag.suggestions


@pytest.mark.parametrize(
    "text, span",
    [
        ("Sie spielte mit den Kinder im Garten.", "den Kinder"),
        ("Er sprach lange mit dem Präsident des Vereins.", "dem Präsident"),
    ],
)
def test_case_form_errors(text, span):
    flags = found(text, "article-agreement")
    assert [f[1] for f in flags] == [span]
    assert flags[0][2] is None  # the right form is not derived: no guessed fix


@pytest.mark.parametrize(
    "text, span, suggestion",
    [
        ("Die Bibliothek hat seine eigenen Regeln.", "seine", "ihre"),
        ("Das Krankenhaus verbessert ihre eigenen Abläufe.", "ihre", "seine"),
    ],
)
def test_possessive_gender_from_lexicon(text, span, suggestion):
    assert found(text, "possessive-gender") == [("possessive-gender", span, suggestion)]


# --- tricky correct sentences ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # plurals and genitives
        "Die Fahrräder stehen vor der Tür.",
        "Der Umfang des Buches ist groß.",
        "Die Farbe des Autos gefällt mir.",
        "Die Kinder der Nachbarn spielen draußen.",
        "Sie gedachten der Opfer des Unglücks.",
        "Ich las die Bücher der Autorin.",
        "Wir sahen die Seen der Region.",
        "Nach dem Tode des Königs zerfiel das Reich.",
        "Wir halfen dem Studenten bei der Arbeit.",
        # a genitive without -s: usage varies for foreign words and units
        "Der Wert des Dollar sank.",
        # nominalised adjectives and infinitives
        "Der Angestellte kam zu spät.",
        "Ein Angestellter hat gekündigt.",
        "Die Angestellten streiken heute.",
        "Die Erwachsenen zahlen mehr.",
        "Das Klingeln des Telefons störte uns.",
        "Sie hörten ein lautes Rauschen.",
        "Das Beste kommt noch.",
        # compounds
        "Der Windkraftanlagenturm ist hoch.",
        "Die Stadtbibliothek öffnet um neun Uhr.",
        # one form, two genders
        "Das Teil ist kaputt.",
        "Der größte Teil der Arbeit ist erledigt.",
        "Ein Teil der Gäste blieb bis zum Morgen.",
        "Die Nordsee ist im Winter kalt.",
        "Der Bodensee liegt im Süden.",
        # "eine" as a numeral after the article
        "Das eine Kind lacht, das andere weint.",
        # names
        "Die Familie Schneider wohnt nebenan.",
        "Der Koch bereitet das Essen vor.",
        "Die Merkel sagte das nicht.",
        # two noun phrases: "die ausgewählten | starke Kandidaten"
        "Er weiß, dass die befragten große Sorgen haben.",
    ],
)
def test_correct_sentences_not_flagged(text):
    assert found(text, "article-agreement") == []


@pytest.mark.parametrize(
    "text, reference",
    [
        # a newspaper's title, though "Bild" is neuter
        ("Die Bild berichtete gestern über den Fall.", "Bild reported on the case yesterday."),
        # a loanword whose gender varies in use ("der/das Post")
        ("Das Post wurde oft geteilt.", "The post was shared often."),
    ],
)
def test_word_carried_over_from_the_english_is_not_judged(text, reference):
    assert found(text, "article-agreement", reference=reference) == []
    assert found(text, "article-agreement") != []  # without the English it is judged


def test_name_read_as_name_is_not_a_noun():
    # "Tate" is also a rare German noun (masculine), but far more frequent in English
    assert found("Die Tate zeigt neue Bilder.", "article-agreement") == []


@pytest.mark.parametrize(
    "text",
    [
        "Die Bibliothek hat ihre eigenen Regeln.",
        "Die See hat ihre eigenen Gesetze.",  # "See" may be either gender
        "Der See hat seine eigenen Fische.",
        "Die Angestellte hat ihre eigenen Ideen.",
    ],
)
def test_possessive_correct(text):
    assert found(text, "possessive-gender") == []


# --- the derived table's cache ---------------------------------------------------------------

_COLUMNS = [
    "lemma",
    "pos",
    "genus",
    "genus 1",
    "genus 2",
    "nominativ singular",
    "nominativ plural",
    "genitiv singular",
    "genitiv singular*",
    "dativ singular",
    "akkusativ singular",
]


@pytest.fixture
def tiny_lexicon(tmp_path, monkeypatch):
    """A three-entry lexicon in place of german-nouns; the real table is restored after."""
    path = tmp_path / "nouns.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(_COLUMNS)
        writer.writerow(
            [
                "Kessel",
                "Substantiv",
                "m",
                "",
                "",
                "Kessel",
                "Kessel",
                "Kessels",
                "",
                "Kessel",
                "Kessel",
            ]
        )
        writer.writerow(
            ["Wolke", "Substantiv", "f", "", "", "Wolke", "Wolken", "Wolke", "", "Wolke", "Wolke"]
        )
        writer.writerow(["Hulda", "Substantiv,Vorname", "", "", "", "", "", "", "", "", ""])
    monkeypatch.setattr(nouns, "_csv_path", lambda: path)
    monkeypatch.setattr(nouns, "lexicon_version", lambda: "9.9.test")
    monkeypatch.setattr(nouns, "_table", None)
    monkeypatch.setattr(nouns, "_folder", nouns._DEFAULT)
    _clear()
    yield path
    _clear()


def _clear():
    nouns._lookup.cache_clear()
    gender.noun_phrase_readings.cache_clear()
    gender.nominalised_infinitive.cache_clear()


def test_table_is_derived_once_into_the_cache_folder(tiny_lexicon, tmp_path, monkeypatch):
    cache_file = tmp_path / "cache-here" / "cache.sqlite"
    monkeypatch.setenv("MTCHECK_CACHE", str(cache_file))
    assert nouns.noun_readings("Kessels") == {("m", "g")}
    stored = nouns.table_path("9.9.test")
    assert stored.parent == cache_file.parent and "9.9.test" in stored.name
    assert stored.is_file()
    # a new process reads the stored table and never the CSV
    monkeypatch.setattr(nouns, "_table", None)
    _clear()
    monkeypatch.setattr(nouns, "build_table", lambda path: pytest.fail("rebuilt"))
    assert nouns.noun_readings("Wolken") == {("p", "n")}
    assert nouns.noun_readings("Hulda") == nouns.ANY_READINGS  # a name: every reading


def test_damaged_table_is_derived_anew(tiny_lexicon, tmp_path, monkeypatch):
    monkeypatch.setenv("MTCHECK_CACHE", str(tmp_path / "c" / "cache.sqlite"))
    assert nouns.noun_readings("Kessel") is not None  # builds and stores the table
    stored = nouns.table_path("9.9.test")
    data = stored.read_bytes()
    header, index, body = data.split(b"\n", 2)
    stored.write_bytes(header + b"\n" + index + b"\n" + b"x" * len(body))
    monkeypatch.setattr(nouns, "_table", None)
    _clear()
    assert nouns.noun_readings("Kessels") == {("m", "g")}
    stored.write_bytes(b"something else\n")
    monkeypatch.setattr(nouns, "_table", None)
    _clear()
    assert nouns.noun_readings("Wolken") == {("p", "n")}
    assert stored.read_bytes().startswith(header)  # written anew


def test_unwritable_cache_folder_works_in_memory(tiny_lexicon, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MTCHECK_CACHE", str(blocker / "cache.sqlite"))
    assert nouns.noun_readings("Wolke") == {("f", "n"), ("f", "g"), ("f", "d"), ("f", "a")}
    assert blocker.read_text() == "not a folder"


def test_flag_cache_digest_follows_the_lexicon_version(monkeypatch):
    import importlib.metadata

    real = importlib.metadata.version
    flag_cache.code_digest.cache_clear()
    before = flag_cache.code_digest()

    def other_version(name):
        return "0.0.1" if name == "german-nouns" else real(name)

    monkeypatch.setattr(importlib.metadata, "version", other_version)
    flag_cache.code_digest.cache_clear()
    try:
        assert flag_cache.code_digest() != before
    finally:
        monkeypatch.undo()
        flag_cache.code_digest.cache_clear()


def test_no_cache_keeps_the_table_in_memory_and_cache_puts_it_beside_the_file(
    tiny_lexicon, tmp_path, monkeypatch
):
    monkeypatch.setenv("MTCHECK_CACHE", str(tmp_path / "default" / "cache.sqlite"))
    nouns.keep_table_in(None)  # what --no-cache asks for
    assert nouns.table_path("9.9.test") is None
    assert nouns.noun_readings("Kessels") == {("m", "g")}
    assert not (tmp_path / "default").exists()
    chosen = tmp_path / "chosen"
    nouns.keep_table_in(chosen)  # what --cache chosen/cache.sqlite asks for
    assert nouns.table_path("9.9.test").parent == chosen


def test_check_keeps_the_lexicon_table_beside_its_cache_file(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from mtcheck.cli import main

    if nouns.lexicon_version() is None:
        pytest.fail("german-nouns is a dependency of mtcheck and must be installed")
    monkeypatch.setenv("MTCHECK_CACHE", str(tmp_path / "default" / "cache.sqlite"))
    monkeypatch.setattr(nouns, "_table", None)
    monkeypatch.setattr(nouns, "_folder", nouns._DEFAULT)
    _clear()
    draft = tmp_path / "d.de.txt"
    draft.write_text("Er gründete einen kleine Firma.\n", encoding="utf-8")
    chosen = tmp_path / "chosen" / "bt.sqlite"
    args = ["check", str(draft), "--no-backtranslation", "--isolated", "--cache", str(chosen)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "article-agreement" in result.output
    assert [p.name for p in chosen.parent.glob("german-nouns-*")], list(chosen.parent.iterdir())
    assert not (tmp_path / "default").exists()
    monkeypatch.setattr(nouns, "_table", None)
    _clear()
