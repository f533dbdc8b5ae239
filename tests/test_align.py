"""Sentence and paragraph alignment on hand-made cases whose right answer is known."""

from mtcheck.align import align_sentences, informative, pair_paragraphs
from mtcheck.model import Sentence


def sentences(*texts: str) -> list[Sentence]:
    result, start = [], 0
    for text in texts:
        result.append(Sentence(1, start, start + len(text), text))
        start += len(text) + 1
    return result


DE = [
    "Die Stadtwerke Ulm haben 2023 insgesamt 120 neue Ladesäulen aufgestellt.",
    "Das kostete 4,5 Millionen Euro.",
    "Der Bürgermeister nannte das einen großen Schritt für die Region und lobte die Mitarbeiter.",
    "Bis 2030 sollen es 900 sein.",
]
EN = [
    "In 2023 the Ulm municipal utility installed a total of 120 new charging points.",
    "This cost 4.5 million euros.",
    "The mayor called it a big step for the region and praised the staff.",
    "By 2030 there are to be 900.",
]


def kinds(alignments):
    return [a.kind for a in alignments]


def test_one_to_one_when_sentences_correspond():
    result = align_sentences(sentences(*DE), sentences(*EN), ratio=1.15)
    assert kinds(result) == ["1-1"] * 4
    assert [a.target[0].text for a in result] == DE


def test_merged_english_sentence_gives_two_to_one():
    en = [EN[0], EN[1], EN[2] + " " + EN[3]]
    result = align_sentences(sentences(*DE), sentences(*en), ratio=1.15)
    assert kinds(result) == ["1-1", "1-1", "2-1"]
    assert [s.text for s in result[2].target] == DE[2:]


def test_split_english_sentence_gives_one_to_two():
    de = [DE[0] + " " + DE[1], DE[2], DE[3]]
    result = align_sentences(sentences(*de), sentences(*EN), ratio=1.15)
    assert kinds(result) == ["1-2", "1-1", "1-1"]


BT = [
    "In 2023, Stadtwerke Ulm set up a total of 120 new charging stations.",
    "That cost 4.5 million euros.",
    "The mayor called this a big step for the region and praised the employees.",
    "By 2030 there should be 900.",
]


def test_omitted_sentence_is_zero_to_one_not_dropped():
    en = list(EN)
    en[1] = "Most of the money for the project came from a federal programme for cleaner transport."
    de = [DE[0], DE[2], DE[3]]
    bt = [BT[0], BT[2], BT[3]]
    result = align_sentences(sentences(*de), sentences(*en), ratio=1.15, de_backtranslations=bt)
    assert kinds(result) == ["1-1", "0-1", "1-1", "1-1"]
    assert result[1].reference[0].text == en[1]


def test_without_backtranslations_a_short_omission_is_merged_not_lost():
    # Lengths alone prefer 1-2 here (Gale-Church priors make skips rare); the English
    # sentence is still kept in the link, never dropped.
    de = [DE[0], DE[2], DE[3]]
    result = align_sentences(sentences(*de), sentences(*EN), ratio=1.15)
    assert sum(len(a.reference) for a in result) == len(EN)
    assert sum(len(a.target) for a in result) == len(de)


def test_added_sentence_is_one_to_zero():
    extra = "Dieser Text wurde maschinell übersetzt und kann Fehler enthalten."
    de = [*DE, extra]
    result = align_sentences(sentences(*de), sentences(*EN), ratio=1.15)
    assert kinds(result) == ["1-1"] * 4 + ["1-0"]
    assert result[-1].target[0].text == extra


def test_numbers_decide_between_equally_long_candidates():
    # Two German sentences of equal length; only the numbers tell which one is missing.
    de = ["Im Jahr 2019 kamen 300 Besucher.", "Im Jahr 2021 kamen 700 Besucher."]
    en = ["In 2021, 700 visitors came."]
    result = align_sentences(sentences(*de), sentences(*en), ratio=1.15)
    assert kinds(result) == ["1-0", "1-1"]


def test_backtranslations_decide_which_sentence_is_extra():
    de = [
        "Der Hund des Nachbarn bellt jeden Morgen sehr laut.",
        "Die Katze schläft dagegen den ganzen Tag ruhig auf dem Sofa.",
    ]
    en = ["The cat, on the other hand, sleeps quietly on the sofa all day."]
    bt = [
        "The neighbour's dog barks very loudly every morning.",
        "The cat, on the other hand, sleeps quietly on the sofa all day long.",
    ]
    with_bt = align_sentences(sentences(*de), sentences(*en), ratio=1.0, de_backtranslations=bt)
    assert kinds(with_bt) == ["1-0", "1-1"]
    swapped = align_sentences(
        sentences(*de), sentences(*en), ratio=1.0, de_backtranslations=list(reversed(bt))
    )
    assert kinds(swapped) == ["1-1", "1-0"]


def test_paragraphs_pair_and_leave_extra_german_paragraph_unpaired():
    de = [" ".join(DE[:2]), " ".join(DE[2:]), "Dieser Inhalt wurde maschinell übersetzt."]
    en = [" ".join(EN[:2]), " ".join(EN[2:])]
    assert pair_paragraphs(de, en) == [((0,), (0,)), ((1,), (1,)), ((2,), ())]


def test_paragraphs_skip_a_missing_german_paragraph():
    de = [" ".join(DE[:2])]
    en = [" ".join(EN[:2]), " ".join(EN[2:])]
    # The ratio as a longer document would give it: this one lost half its German, and the
    # ratio from its own lengths is bounded at 0.9, which makes a merge look plausible.
    assert pair_paragraphs(de, en, ratio=1.15) == [((0,), (0,)), ((), (1,))]


def test_random_backtranslations_are_not_informative():
    assert informative(["The dog barks loudly."], ["The dog barks loudly!"])
    assert not informative(["xq zzv plo mmr"], ["The dog barks loudly."])
