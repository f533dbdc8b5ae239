"""untranslated-text and its language evidence (mtcheck.flags.language), the allowlist
setting and the glossary's allowed terms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mtcheck.config import load_config, rule_settings
from mtcheck.errors import ConfigError
from mtcheck.flags import RuleSettings, check_segments
from mtcheck.flags.cache import settings_digest
from mtcheck.flags.glossary import Glossary, GlossaryEntry
from mtcheck.flags.language import (
    ENGLISH_MARGIN,
    Language,
    SegmentEvidence,
    frequencies,
    word_language,
)
from mtcheck.flags.lexicon import ENGLISH_FUNCTION_WORDS
from mtcheck.flags.tokens import tokenize
from mtcheck.model import Segment

RULE = "untranslated-text"


def flagged(text: str, reference: str | None = None, **settings) -> list[str]:
    """The texts that untranslated-text flags in ``text``."""
    segment = Segment(
        id="1",
        paragraph=1,
        target=text,
        reference=reference,
        alignment="1-1" if reference is not None else "1-0",
        start=0,
        line=1,
        column=1,
    )
    rules = RuleSettings(select=frozenset({RULE}), **settings)
    (flags,) = check_segments([segment], settings=rules)
    return [text[flag.span[0] : flag.span[1]] for flag in flags]


def languages(text: str, reference: str | None = None) -> dict[str, Language]:
    """The language of each word of ``text`` in its context (the last one of a repeated
    word)."""
    tokens = tokenize(text)
    evidence = SegmentEvidence(text, tokens, reference)
    return {
        token.text: evidence.language(index)
        for index, token in enumerate(tokens)
        if token.kind == "word"
    }


# --- what is not English ----------------------------------------------------------------------


def test_products_and_names_on_a_docs_page_pass():
    assert (
        flagged("Die Software läuft auf Linux und macOS.", "The software runs on Linux and macOS.")
        == []
    )
    assert (
        flagged(
            "Die Anwendung steht auf GitHub bereit und läuft auch unter iOS.",
            "The application is available on GitHub and also runs on iOS.",
        )
        == []
    )


def test_code_tokens_are_never_english():
    assert (
        flagged(
            "Tragen Sie den Wert in die Datei config.yaml ein und setzen Sie retry_on_error.",
            "Enter the value in the config.yaml file and set retry_on_error.",
        )
        == []
    )
    assert (
        flagged(
            "Das Skript liegt unter https://example.org/the/tools und in /opt/with/the/data.",
            "The script is at https://example.org/the/tools and in /opt/with/the/data.",
        )
        == []
    )
    assert flagged("Schreiben Sie an @the_team oder nutzen Sie #with.", None) == []
    found = languages("Die Datei config.yaml und der Schalter `keep with the cache` fehlen.")
    assert found["config"] is Language.NAME and found["yaml"] is Language.NAME
    assert found["with"] is Language.NAME  # inside inline code


@pytest.mark.parametrize("word", ["macOS", "iOS", "GitHub", "iPhone", "JavaScript", "MP3"])
def test_mixed_case_and_digits_make_a_product_name(word):
    assert word_language(word) is Language.NAME


def test_words_shared_by_german_and_english_are_not_flagged():
    # "Pollen", "Flag" and "Cloud" are common in German text, though English too.
    assert (
        flagged(
            "Die Pollen der Birke fliegen schon im März.",
            "The pollen of the birch flies as early as March.",
        )
        == []
    )
    assert (
        flagged(
            "Setzen Sie das Flag, bevor Sie den Server neu starten.",
            "Set the flag before you restart the server.",
        )
        == []
    )
    for word in ("Pollen", "Software", "Cloud", "Start", "Test"):
        assert word_language(word) is Language.SHARED, word


def test_latin_names_are_not_english():
    assert (
        flagged(
            "Die Stieleiche (Quercus robur) und der Mensch (Homo sapiens) teilen sich den Wald.",
            "The English oak (Quercus robur) and humans (Homo sapiens) share the forest.",
        )
        == []
    )
    found = languages("In der Probe fanden sich E. coli und Quercus robur.")
    assert found["coli"] is Language.NAME
    assert found["Quercus"] is Language.NAME and found["robur"] is Language.NAME


def test_single_letters_and_abbreviations_are_not_english():
    text = "Vgl. Schmidt, a. a. O., S. 40, sowie z. B. u. a. Teil I."
    assert flagged(text, "See Schmidt, a cited work, p. 40, and for example a part I.") == []
    found = languages(text)
    assert found["a"] is Language.NAME and found["O"] is Language.NAME
    assert word_language("a") is Language.NAME and word_language("I") is Language.NAME


def test_a_word_the_reference_capitalises_mid_sentence_is_a_name():
    text = "Das Lied stammt vom Album The Wall."
    assert flagged(text, "The song comes from the album The Wall.") == []
    assert languages(text, "The song comes from the album The Wall.")["The"] is Language.NAME
    # Without that reference, "The" is the English article.
    assert languages(text)["The"] is Language.ENGLISH


def test_capitalised_english_terms_and_german_genitives_are_left_alone():
    assert (
        flagged(
            "Das Labor forscht an Machine Learning.", "The lab does research on machine learning."
        )
        == []
    )
    # German genitive -s of a loanword looks like an English plural.
    assert (
        flagged(
            "Der Kurs des Dollars stieg.", "The price of the dollar rose, as did dollars in cash."
        )
        == []
    )


def test_names_and_titles_the_reference_has_are_not_flagged():
    assert flagged("Sie sang „Let it be“ auf der Bühne.", "She sang Let It Be on stage.") == []
    # The full name differs ("PLC"/"Plc"), its words around the run do not.
    assert (
        flagged(
            "Die Aktien der Northern Printing and Minting Company PLC fielen.",
            "Shares in Northern Printing and Minting Company Plc fell.",
        )
        == []
    )
    # A quotation left in English is no title.
    assert flagged(
        "Die Sängerin sagte: „It is what it is.“", 'The singer said: "It is what it is."'
    ) == ["It is what it is"]


# --- what is English --------------------------------------------------------------------------


def test_real_english_next_to_german_usage_is_flagged():
    assert flagged(
        "Die Umsätze der AI Cloud blieben hinter den expectations zurück.",
        "AI cloud revenue fell short of expectations.",
    ) == ["AI Cloud", "expectations"]
    assert flagged(
        "Auf macOS und iOS lief die App stabil, but the Android version crashed.",
        "The app ran smoothly on macOS and iOS, but the Android version crashed.",
    ) == ["but the Android version crashed"]
    assert flagged(
        "Die Eichen (Quercus robur) wachsen next to the river.",
        "The oaks (Quercus robur) grow next to the river.",
    ) == ["next to the river"]
    # "a" joins English words around it, but is never English on its own.
    assert flagged("Sie wohnen jetzt next to a lake.", "They now live next to a lake.") == [
        "next to a lake"
    ]


def test_an_english_content_word_needs_the_reference():
    text = "Die Umsätze blieben hinter den expectations zurück."
    assert flagged(text, "Revenue fell short of expectations.") == ["expectations"]
    assert flagged(text, None) == []  # no positive evidence beyond the word itself
    assert word_language("expectations") is Language.ENGLISH


def test_function_words_are_no_german_words():
    """Every listed English function word is far more frequent in English than in German
    text: none is a German homograph."""
    for word in sorted(ENGLISH_FUNCTION_WORDS):
        german, english = frequencies(word)
        assert english - german >= ENGLISH_MARGIN, (word, german, english)
        assert word_language(word) is Language.ENGLISH, word


@pytest.mark.parametrize("word", ["die", "was", "will", "also", "in", "man", "so", "Kunden"])
def test_german_words_that_look_english_are_german(word):
    assert word_language(word) is Language.GERMAN


# --- allowlist and glossary -------------------------------------------------------------------


TEXT = "Die Shareholders der AI Cloud erwarten mehr."
REFERENCE = "The shareholders of the AI cloud expect more."


def test_allowed_words_are_never_flagged():
    assert flagged(TEXT, REFERENCE) == ["Shareholders", "AI Cloud"]
    assert flagged(TEXT, REFERENCE, allowed_english=frozenset({"shareholder"})) == ["AI Cloud"]
    # "Cloud" only joins English next to it; with "AI" allowed nothing is left.
    assert flagged(TEXT, REFERENCE, allowed_english=frozenset({"ai", "Shareholders"})) == []
    phrase = frozenset({"AI Cloud"})
    assert flagged(TEXT, REFERENCE, allowed_english=phrase) == ["Shareholders"]


def test_glossary_allowed_terms_count_as_allowed():
    admits_cloud = Glossary("terms.csv", (GlossaryEntry(("cloud",), ("Cloud",)),))
    assert flagged(TEXT, REFERENCE, glossary=admits_cloud) == ["Shareholders", "AI"]
    admits_shareholder = Glossary(
        "terms.csv", (GlossaryEntry(("shareholder",), ("Aktionär", "Shareholder")),)
    )
    assert flagged(TEXT, REFERENCE, glossary=admits_shareholder) == ["AI Cloud"]
    # A forbidden German term is not an allowed one.
    forbids = Glossary(
        "terms.csv", (GlossaryEntry(("shareholder",), ("Aktionär",), ("Shareholders",)),)
    )
    assert flagged(TEXT, REFERENCE, glossary=forbids) == ["Shareholders", "AI Cloud"]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_allowlist_from_the_configuration(tmp_path):
    path = write(
        tmp_path / "pyproject.toml",
        "[project]\nname = 'x'\n\n[tool.mtcheck]\nallowed-english = ['Shareholders']\n",
    )
    config = load_config(path)
    assert config.allowed_english == frozenset({"Shareholders"})
    settings = rule_settings(config)
    assert settings.allowed_english == frozenset({"Shareholders"})
    assert flagged(TEXT, REFERENCE, allowed_english=settings.allowed_english) == ["AI Cloud"]
    snake = load_config(write(tmp_path / "mtcheck.toml", "allowed_english = ['Kubernetes']\n"))
    assert snake.allowed_english == frozenset({"Kubernetes"})


@pytest.mark.parametrize(
    "value",
    ["'Kubernetes'", "[1, 2]", "['']", "['two  spaces']", "['(regex)+']", "{ word = 1 }"],
)
def test_a_bad_allowlist_is_a_clear_error(tmp_path, value):
    path = write(tmp_path / "mtcheck.toml", f"allowed-english = {value}\n")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: 'allowed-english' must")
    assert message.count(".") >= 1 and "\n" not in message


def test_a_bad_allowlist_exits_with_code_2(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from mtcheck.cli import main

    write(tmp_path / "draft.de.txt", "Die Software läuft.\n")
    write(tmp_path / "mtcheck.toml", "allowed-english = 'Kubernetes'\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "draft.de.txt", "--no-backtranslation"])
    assert result.exit_code == 2
    assert re.search(r"'allowed-english' must be a list of words", result.stderr)


def test_settings_validate_the_allowlist_and_key_the_cache_on_it():
    with pytest.raises(ConfigError, match="allowed-english"):
        RuleSettings(allowed_english="Kubernetes")
    plain = RuleSettings()
    allowing = RuleSettings(allowed_english=["Kubernetes"])
    assert allowing.allowed_english == frozenset({"Kubernetes"})
    assert settings_digest(plain) != settings_digest(allowing)
    assert hash(allowing) == hash(RuleSettings(allowed_english=frozenset({"Kubernetes"})))


@pytest.mark.parametrize(
    "text, word",
    [
        ("Setzen Sie Dir::Bin::Methods auf den Pfad.", "Dir"),  # a scoped name
        ("Vertrauen: %dm, %df, %du.", "du"),  # a printf placeholder
        ("Aufruf: prog [--backup-to dir] DATEI", "dir"),  # an option's value in a synopsis
    ],
)
def test_scoped_names_placeholders_and_synopsis_values_are_code(text, word):
    tokens = tokenize(text)
    evidence = SegmentEvidence(text, tokens, None)
    (index,) = [i for i, token in enumerate(tokens) if token.text == word]
    assert evidence.is_code(index)


def test_prose_around_them_is_no_code():
    text = "Hast du 50 % mehr Zeit?"
    tokens = tokenize(text)
    evidence = SegmentEvidence(text, tokens, None)
    assert not any(evidence.is_code(i) for i, token in enumerate(tokens) if token.kind == "word")
