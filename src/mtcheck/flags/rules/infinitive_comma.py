"""infinitive-comma: a missing comma around an um/ohne/statt/anstatt/außer … zu clause."""

from __future__ import annotations

from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.stts import COORDINATORS, is_boundary, is_finite, is_verb
from mtcheck.flags.tagger import get_tagger
from mtcheck.flags.text import SegmentText

INTRODUCERS = frozenset({"um", "ohne", "statt", "anstatt", "außer"})
# A valency lexicon: verbs (lemmas) whose prepositional object "um" opens, with the word
# the clause needs for that reading ("es geht um", "es handelt sich um"). After them "um"
# is a preposition, and a zu-infinitive that follows belongs to its noun: "Es geht um die
# Fähigkeit zu lernen", "Sie bat um Erlaubnis zu gehen".
_UM_OBJECT_VERBS = {
    "gehen": "es",
    "stehen": "es",
    "handeln": "sich",
    "drehen": "sich",
    "bitten": None,
    "ersuchen": None,
    "kämpfen": None,
    "ringen": None,
    "streiten": None,
    "konkurrieren": None,
    "werben": None,
    "buhlen": None,
    "feilschen": None,
    "bemühen": None,
    "bewerben": None,
    "kümmern": None,
    "sorgen": None,
    "fürchten": None,
    "trauern": None,
    "beneiden": None,
    "betrügen": None,
    "wissen": None,
}
# Verbs that take a zu-infinitive as their object: one that follows them may be that
# object with "um" a preposition inside it ("Sie versuchte, um Mitternacht zu Hause zu
# sein"), and then its comma is optional.
_ZU_OBJECT_VERBS = frozenset(
    {
        "versuchen",
        "beginnen",
        "anfangen",
        "aufhören",
        "planen",
        "vorhaben",
        "beschließen",
        "hoffen",
        "vergessen",
        "wagen",
        "vermeiden",
        "versprechen",
        "drohen",
        "scheinen",
        "pflegen",
        "lernen",
        "wünschen",
        "erwarten",
        "weigern",
        "gedenken",
    }
)
# Words that may stand between a comma and the introducer: ", nur um zu …", "und um zu …".
_NO_COMMA_BEFORE = COORDINATORS | {
    "nur",
    "bloß",
    "allein",
    "einfach",
    "gerade",
    "schon",
    "auch",
    "vor",
    "allem",
    "sogar",
    "eher",
    "lieber",
}


@rule("infinitive-comma", "Fluency/Punctuation", "minor", fix="unsafe")
def check(segment: SegmentText, context: Context):
    """A missing comma around an infinitive clause opened by um, ohne, statt, anstatt or außer.

    Such a clause is always set off by commas. "um" with a zu-infinitive after it is a
    preposition, not such a clause, before a number ("um 9 Uhr") and after a verb whose
    object "um" opens ("es geht um", "bitten um") or whose object the zu-infinitive may
    be ("versuchen"). The span is the word after which the comma is missing (the
    clause's last word, or the word before "um"); the suggestion is that word with the
    comma.

    Bad:  "Um diese Ziele zu erreichen wird die Technik genutzt."
    Good: "Um diese Ziele zu erreichen, wird die Technik genutzt."
    Good: "Sie nutzen die Hardware, um eigene Chips zu bauen."
    Good: "Im Kern geht es um die Kunst zu verzeihen."
    """
    for tokens, tags in segment.tagged_sentences(INTRODUCERS):
        for index, token in enumerate(tokens):
            if token.text.lower() not in INTRODUCERS:
                continue
            last = _infinitive_end(tokens, tags, index)
            if last is None:
                continue
            if token.text.lower() == "um" and _prepositional_um(tokens, tags, index):
                continue
            if any(tokens[i].text.lower() == "herum" for i in range(index + 1, last)):
                continue  # "eine Erde um sie herum in die Umlaufbahn zu bringen"
            if _preposition_in_phrase(tokens, tags, index, last):
                continue
            if index > 0 and _needs_comma_before(segment.text, tokens, tags, index):
                before = tokens[index - 1]
                yield Finding(
                    before.start,
                    before.end,
                    f"A comma is missing before the infinitive clause opened by '{token.text}'.",
                    before.text + ",",
                )
            after = last + 1
            if (
                after < len(tokens)
                and not is_boundary(tags[after])
                and not _line_break(segment.text, tokens[last], tokens[after])
            ):
                word = tokens[last]
                yield Finding(
                    word.start,
                    word.end,
                    f"A comma is missing after the infinitive clause opened by "
                    f"'{token.text}', after '{word.text}'.",
                    word.text + ",",
                )


_NOUNS = ("NN", "NE")
# Marks that open a list item or close markup: "• Um …", "<i>Um …" start a sentence.
_ITEM_MARKS = frozenset("•*·▪◦–—->")


def _needs_comma_before(text, tokens, tags, index):
    """Whether the word before the introducer at ``index`` should carry a comma: not after
    a boundary, a line break, a list or markup mark, a conjunction or a focus word ("nur
    um"), nor after an adverb that itself follows a comma (", beispielsweise um …")."""
    before = tokens[index - 1]
    if is_boundary(tags[index - 1]) or tags[index - 1] == "KON":
        return False
    if before.text.lower() in _NO_COMMA_BEFORE or set(before.text) <= _ITEM_MARKS:
        return False
    if _line_break(text, before, tokens[index]):
        return False
    adverb = tags[index - 1] in ("ADV", "ADJ(D)")
    return not (adverb and index >= 2 and is_boundary(tags[index - 2]))


def _line_break(text, left, right):
    """A line break between two tokens ends a clause: list items and lines of a message
    carry no commas at their ends."""
    return "\n" in text[left.end : right.start]


def _preposition_in_phrase(tokens, tags, index, last):
    """Whether the introducer at ``index`` is a preposition inside the clause rather than
    the clause's opener, although a zu-infinitive follows:

    - "außer" before a bare noun ("außer Kraft zu setzen", "außer Acht zu lassen");
    - "statt"/"anstatt" between two like phrases ("Namen statt Nummern zu nutzen", "auf
      A statt auf B zu bauen");
    - any introducer inside a clause that an earlier one opened and the same infinitive
      closes ("um den Text ohne Abstände darzustellen").
    """
    word = tokens[index].text.lower()
    following = tags[index + 1] if index + 1 < len(tags) else "$."
    if word == "außer" and following in _NOUNS and index + 2 <= last:
        after_noun = tags[index + 2]
        if after_noun == "PTKZU" or is_verb(after_noun):
            return True
    if word in ("statt", "anstatt") and index > 0:
        if tokens[index + 1].text.lower() == "von":
            return True  # "anstatt von X": the preposition "instead of"
        if tags[index - 1] in _NOUNS and following in (*_NOUNS, "ADJ(A)"):
            return True
        if following == "APPR" and _earlier_in_clause(tokens, tags, index, tokens[index + 1]):
            return True
    return _opened_before(tokens, tags, index, last)


def _earlier_in_clause(tokens, tags, index, token):
    """Whether ``token``'s word stands earlier in the clause of ``index``."""
    for position in range(index - 1, -1, -1):
        if is_boundary(tags[position]):
            return False
        if tokens[position].text.lower() == token.text.lower():
            return True
    return False


def _opened_before(tokens, tags, index, last):
    """Whether an introducer or a comma earlier in the same clause opens a zu-infinitive
    clause that ends where this one ends: then this one is a preposition inside it ("um
    den Text ohne Lücken darzustellen", "…, Dateien ohne Prüfung zu laden"). After a
    comma, only a word other than "um" and only with no finite verb in between: "…, das
    Problem ohne Hilfe zu lösen", but "…, ging er ohne die Tür zu schließen"."""
    word = tokens[index].text.lower()
    for position in range(index - 1, -1, -1):
        tag = tags[position]
        if tag == "$," and position < index - 1 and word != "um":
            return True  # a bare zu-infinitive clause the comma opened
        if is_boundary(tag) or is_finite(tag):
            return False
        if tokens[position].text.lower() in INTRODUCERS:
            return _infinitive_end(tokens, tags, position) == last
    return False


def _infinitive_end(tokens, tags, start):
    """Index of the last word of the zu-infinitive clause opened at ``start``, or None.

    Coordinated infinitives ("um zu lesen und zu schreiben", "um sich zu falten oder neu
    zu ordnen") extend the clause; a coordinator after the last infinitive that leads to
    no further one leaves the clause's end unsure (None).
    """
    last = None
    index = start + 1
    while index < len(tokens) and not _ends_clause(tags[index]):
        found = _zu_infinitive(tokens, tags, index)
        if found is not None:
            last = index = found
        elif last is not None:
            if not _is_coordinator(tokens, tags, index):
                break
            last = index = _next_zu_infinitive(tokens, tags, index + 1)
            if last is None:
                return None
        index += 1
    return last


def _ends_clause(tag):
    return is_boundary(tag) or is_finite(tag) or tag in ("KOUS", "PRELS")


def _is_coordinator(tokens, tags, index):
    return tokens[index].text.lower() in COORDINATORS or tags[index] == "KON"


def _zu_infinitive(tokens, tags, index):
    """Index of the infinitive of a zu-infinitive at ``index`` ("zu bauen", "aufzubauen")."""
    if tags[index] == "PTKZU" and index + 1 < len(tokens) and is_verb(tags[index + 1]):
        return index + 1
    return index if tags[index] == "VV(IZU)" else None


def _next_zu_infinitive(tokens, tags, start):
    """Index of the infinitive of the next zu-infinitive in the clause from ``start``."""
    for index in range(start, len(tokens)):
        if _ends_clause(tags[index]):
            return None
        found = _zu_infinitive(tokens, tags, index)
        if found is not None:
            return found
    return None


def _prepositional_um(tokens, tags, index):
    """Whether "um" at ``index`` is a preposition although a zu-infinitive follows: before
    a number ("um 9 Uhr"), or after a verb whose object "um" opens ("es geht um die
    Fähigkeit zu lernen") or whose object the zu-infinitive may be ("Wir beginnen um neun
    zu arbeiten"). "um zu" is always the conjunction."""
    following = tags[index + 1] if index + 1 < len(tags) else "$."
    if following == "PTKZU":
        return False
    if following == "CARD":
        return True
    tagger = get_tagger()
    for position in range(index - 1, -1, -1):
        tag, word = tags[position], tokens[position].text
        if is_boundary(tag) or word.lower() in INTRODUCERS:
            return False
        if _zu_infinitive(tokens, tags, position) is not None:
            return False  # the verb's object slot is filled before this "um"
        if is_verb(tag):
            lemma = tagger.lemma(word, tag).lower()
            if lemma in _ZU_OBJECT_VERBS:
                return True
            if lemma in _UM_OBJECT_VERBS:
                needed = _UM_OBJECT_VERBS[lemma]
                return needed is None or needed in _clause_words(tokens, tags, index)
    return False


def _clause_words(tokens, tags, index):
    """The lower-case words of the clause around ``index`` ("Es geht um …", "Dabei geht
    es um …")."""
    first = index
    while first > 0 and not is_boundary(tags[first - 1]):
        first -= 1
    last = index
    while last + 1 < len(tokens) and not _ends_clause(tags[last + 1]):
        last += 1
    return {token.text.lower() for token in tokens[first : last + 1]}
