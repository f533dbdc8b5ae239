"""False-alarm classes of the grammar rules, each fixed at its cause, on sentences written
for this test (not from any data set).

Every case pairs a correct sentence of one class, which its rule must leave alone, with a
real error of the same kind, which the rule must still flag where the error is.
"""

from __future__ import annotations

import pytest

from tests.helpers import run

# Rules whose false alarms these classes are; a correct sentence must pass all of them.
GRAMMAR_RULES = frozenset(
    {
        "article-agreement",
        "verb-final-subclause",
        "infinitive-comma",
        "subclause-comma",
        "repeated-word",
        "modal-participle",
    }
)

# (class, rule, correct sentence, error of the same kind, the erroneous words)
CASES = [
    # A pronoun "das"/"einem" is no article: the noun after it stands without one.
    ("pronoun", "article-agreement",
     "Hat das überhaupt Zukunft?", "Wir glauben an das Zukunft.", "das Zukunft"),
    ("pronoun", "article-agreement",
     "Jetzt ergibt das Sinn.", "Er erkannte das Sinn der Regel nicht.", "das Sinn"),
    ("pronoun", "article-agreement",
     "Hat das Zukunft?", "Sie sprach über das Zukunft.", "das Zukunft"),
    ("pronoun", "article-agreement",
     "Ich zweifle, ob das Sinn ergibt.", "Ich zweifle, ob wir das Sinn finden.", "das Sinn"),
    ("pronoun", "article-agreement",
     "Solche Nachrichten machen einem Angst.", "Sie wohnt in einem Stadt am Meer.",
     "einem Stadt"),
    ("pronoun", "article-agreement",
     "Gute Lehrer geben einem Hoffnung.", "Er sprach mit einem Familie aus Bonn.",
     "einem Familie"),
    ("pronoun", "article-agreement",
     "Der Lärm bereitet einem große Mühe.", "Wir arbeiten mit einem großen Firma.",
     "einem großen Firma"),
    # "das"/"dem"/"die" after a comma with the verb right after it: a demonstrative
    # opening a main clause, unless the clause sits inside another.
    ("demonstrative", "verb-final-subclause",
     "Ich kenne eine Ärztin, die arbeitet nachts.",
     "Die Ärztin, die arbeitet nachts, ist müde.", "arbeitet nachts"),
    ("demonstrative", "verb-final-subclause",
     "Er fährt ein Auto, das lädt in zehn Minuten.",
     "Das Auto, das lädt in zehn Minuten, gehört ihm.", "lädt in zehn Minuten"),
    ("demonstrative", "verb-final-subclause",
     "Wir brauchen einen Plan, dem stimmen alle zu.",
     "Der Plan, dem stimmen alle zu, ist einfach.", "stimmen alle zu"),
    ("demonstrative", "verb-final-subclause",
     "Sie hat einen Kollegen, der spricht fünf Sprachen.",
     "Der Kollege, der spricht fünf Sprachen, hilft uns.", "spricht fünf Sprachen"),
    ("demonstrative", "verb-final-subclause",
     "Der Vorschlag kam spät, das ärgerte viele.",
     "Das ist das Rad, das ich habe im Mai gekauft.", "habe im Mai gekauft"),
    # A participle before its noun is no misplaced finite verb.
    ("attributive participle", "verb-final-subclause",
     "Das ist die Gegend, in der von Paris unterstützte Rebellen seit Jahren kämpfen.",
     "Das ist das Tal, in dem die Bauern pflanzten die Reben.", "pflanzten die Reben"),
    ("attributive participle", "verb-final-subclause",
     "Ich lese das Buch, in dem der Autor beschriebene Orte besucht.",
     "Ich lese das Buch, in dem der Autor beschreibt seine Kindheit.",
     "beschreibt seine Kindheit"),
    # Prepositional "um": the zu-infinitive after it belongs to a noun or to the verb.
    ("prepositional um", "infinitive-comma",
     "Im Kern geht es um die Kunst zu verzeihen.",
     "Er spart jeden Cent um ein Boot zu kaufen.", "Cent"),
    ("prepositional um", "infinitive-comma",
     "Die Mieter kämpfen um das Recht zu bleiben.",
     "Die Mieter protestieren um ihr Recht zu verteidigen.", "protestieren"),
    ("prepositional um", "infinitive-comma",
     "Die Fotografin bat um die Erlaubnis zu filmen.",
     "Die Fotografin kam früher um in Ruhe zu arbeiten.", "früher"),
    ("prepositional um", "infinitive-comma",
     "Es handelt sich um den Versuch zu vermitteln.",
     "Die Diplomaten reisten nach Genf um zu vermitteln.", "Genf"),
    ("prepositional um", "infinitive-comma",
     "Der Bäcker fängt um vier Uhr an zu backen.",
     "Der Bäcker steht früh auf um frisch zu backen.", "auf"),
    ("prepositional um", "infinitive-comma",
     "Sie versuchte um Mitternacht am Bahnhof zu sein.",
     "Um rechtzeitig am Bahnhof zu sein nahm sie ein Taxi.", "sein"),
    # A measure of time opens the clause after its comma: "…, zwei Tage nachdem …".
    ("time before subordinator", "subclause-comma",
     "Er kam zurück, zwei Wochen nachdem sie gegangen war.",
     "Er kam zurück nachdem sie gegangen war.", "zurück"),
    ("time before subordinator", "subclause-comma",
     "Die Brücke stürzte ein, wenige Stunden bevor der Zug kam.",
     "Die Brücke stürzte ein bevor der Zug kam.", "ein"),
    ("time before subordinator", "subclause-comma",
     "Die Familie verkaufte das Haus, ein Jahr ehe der Vertrag endete.",
     "Die Familie verkaufte das Haus ehe der Vertrag endete.", "Haus"),
    ("time before subordinator", "subclause-comma",
     "Die Mieter kündigten, zwei Monate bevor der Vertrag endete.",
     "Die Mieter kündigten bevor der Vertrag endete.", "kündigten"),
    # A noun and its verb, spelled alike but for case, are two words.
    ("noun and verb", "repeated-word",
     "Er will sein Leben leben.", "Er will sein Leben leben leben.", "leben leben"),
    ("noun and verb", "repeated-word",
     "Im Gasthaus kann man gutes Essen essen.",
     "Im Gasthaus kann man man gutes Essen essen.", "man man"),
    ("noun and verb", "repeated-word",
     "Du musst dein eigenes Leben leben.", "Du musst dein eigenes Leben Leben.",
     "Leben Leben"),
    # A word that can be an infinitive is one after a modal.
    ("infinitive reading", "modal-participle",
     "Die Regierung will das Abkommen ratifizieren.",
     "Die Regierung will das Abkommen ratifiziert.", "ratifiziert"),
    ("infinitive reading", "modal-participle",
     "Sie möchte den Preis erhalten.", "Sie möchte den Preis gewonnen.", "gewonnen"),
    ("infinitive reading", "modal-participle",
     "Das Gericht kann den Angeklagten verurteilen.",
     "Das Gericht kann den Angeklagten verurteilt.", "verurteilt"),
    ("infinitive reading", "modal-participle",
     "Der Verband will seine Satzung reformieren.",
     "Der Verband will seine Satzung reformiert.", "reformiert"),
    ("infinitive reading", "modal-participle",
     "Die Stadt möchte das alte Kino erhalten.",
     "Die Stadt möchte das alte Kino saniert.", "saniert"),
    # Reflexive verbs whose infinitive HanTa also reads as a participle.
    ("reflexive infinitive", "modal-participle",
     "Wir müssen uns vom Ufer entfernen.", "Wir müssen uns vom Ufer entfernt.", "entfernt"),
    ("reflexive infinitive", "modal-participle",
     "Ich möchte mich beim ganzen Team bedanken.",
     "Ich möchte mich beim ganzen Team bedankt.", "bedankt"),
    ("reflexive infinitive", "modal-participle",
     "Er kann sich an den Abend nicht erinnern.",
     "Er kann sich an den Abend nicht erinnert.", "erinnert"),
]


def _flags(sentence, rule=None):
    (flags,) = run([sentence], [None])
    rules = GRAMMAR_RULES if rule is None else {rule}
    return [(f.rule, sentence[f.span[0] : f.span[1]]) for f in flags if f.rule in rules]


def _ids(cases):
    return [f"{c[0]}: {c[2]}" for c in cases]


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_correct_sentence_is_not_flagged(case):
    _, _, correct, _, _ = case
    assert _flags(correct) == []


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_error_of_the_same_kind_is_flagged(case):
    _, rule, _, error, words = case
    start = error.index(words)
    end = start + len(words)
    (flags,) = run([error], [None])
    hits = [f for f in flags if f.rule == rule and f.span[0] < end and start < f.span[1]]
    assert hits, (_flags(error, rule), words)


def test_every_class_has_several_pairs():
    classes = [c[0] for c in CASES]
    assert all(classes.count(name) >= 2 for name in classes)
