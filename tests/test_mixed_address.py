"""mixed-address on fresh documents: the rarer address flagged where one prevails, nothing
where the text keeps to one, quotes someone, or mixes both evenly."""

from __future__ import annotations

from mtcheck.flags import RuleSettings
from mtcheck.flags.registry import RULES, Context
from mtcheck.flags.text import SegmentText


def flagged(*texts: str) -> list[tuple[int, str, str | None]]:
    segments = [SegmentText(text) for text in texts]
    contexts = [Context(RuleSettings())] * len(segments)
    found = RULES["mixed-address"].check(segments, contexts)
    return [(i, texts[i][f.start : f.end], f.suggestion) for i, f in found]


def test_familiar_forms_in_a_polite_document_are_flagged_with_safe_swaps():
    result = flagged(
        "Wenn Sie das Programm starten, sehen Sie ein Fenster.",
        "Dort geben Sie Ihren Namen ein.",
        "Danach zeigt es dir deinen Bericht.",
    )
    assert result == [(2, "dir", "Ihnen"), (2, "deinen", "Ihren")]


def test_a_polite_form_in_a_familiar_document_is_flagged():
    result = flagged(
        "Wenn du das Programm startest, siehst du ein Fenster.",
        "Dort gibst du deinen Namen ein, und dann zeigt es Ihnen den Bericht.",
    )
    assert result == [(1, "Ihnen", "dir")]


def test_du_gets_no_fix_because_the_verb_changes_too():
    result = flagged("Hier sehen Sie die Karte, und dort sehen Sie den Weg.", "Dann gehst du los.")
    assert result == [(1, "du", None)]


def test_one_address_only_is_never_flagged():
    assert flagged("Du siehst die Karte.", "Sie zeigt dir den Weg, den du gehst.") == []
    assert flagged("Hier sehen Sie die Karte.", "Dann gehen Sie los, wie Ihnen gezeigt.") == []


def test_sentence_initial_sie_is_she_or_they_not_the_address():
    # "Sie" opening a sentence or a line may be "she"/"they": no polite use is counted.
    assert flagged("Du kennst Anna.", "Sie wohnt nebenan.\nSie mag dich.", "Du magst sie.") == []


def test_quoted_speech_keeps_its_own_address():
    assert (
        flagged(
            "Hier sehen Sie die Karte, und nun hören Sie den Sprecher.",
            "Er ruft: „Komm, ich zeige dir den Weg!“",
        )
        == []
    )


def test_an_even_mix_has_no_prevailing_register():
    assert flagged("Hier sehen Sie die Karte.", "Dort siehst du den Weg.") == []
    assert (
        flagged("Hier sehen Sie die Karte, dort sehen Sie den Weg.", "Du gehst, du kommst.") == []
    )


def test_options_paths_and_placeholders_are_no_address():
    assert (
        flagged(
            "Hier sehen Sie die Optionen, und dort finden Sie Hilfe.",
            "Aufruf: prog [--backup-to dir] --dir PFAD %du /home/dir DIR Dir::Bin",
        )
        == []
    )
