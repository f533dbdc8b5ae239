"""Reported speech in German: where it is, and the subjunctive its verbs take.

German written reporting sets what someone said (without quotation marks) in Konjunktiv
I, or in Konjunktiv II where Konjunktiv I looks like the indicative (Duden, "indirekte
Rede"). This module finds the stretches of a tagged sentence that report speech and the
indicative finite verbs in them whose subjunctive is certain. The verbs of saying are a
closed lexical class of German grammar, not words collected from data.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from mtcheck.flags.stts import is_finite, is_participle
from mtcheck.flags.tagger import get_tagger
from mtcheck.flags.tokens import Token

# Verbs of saying and reporting, by lemma. Verbs of thinking and knowing ("glauben",
# "wissen", "finden") are left out: after them the indicative is the norm.
SPEECH_VERBS = frozenset(
    {
        "sagen",
        "erklären",
        "betonen",
        "berichten",
        "behaupten",
        "warnen",
        "melden",
        "bestätigen",
        "versichern",
        "argumentieren",
        "erwidern",
        "unterstreichen",
        "verkünden",
        "beteuern",
        "antworten",
        "erzählen",
        "mitteilen",
        "einräumen",
        "ankündigen",
        "zugeben",
        "verlautbaren",
    }
)
# Particle verbs whose particle stands apart in a main clause: "fügte … hinzu". Verbs
# that mean "specify" or "add (an item)" as often as "say" in technical text ("angeben",
# the participle "hinzugefügt") are left out, and a finite verb of saying must be in the
# third person or the past ("füge … hinzu" is an instruction).
PARTICLE_SPEECH_VERBS = frozenset(
    {
        ("fügen", "hinzu"),
        ("teilen", "mit"),
        ("räumen", "ein"),
        ("kündigen", "an"),
        ("geben", "zu"),
    }
)
# A speaker in the first or second person speaks for themselves: "Ich sage, das ist gut".
_OWN_VOICE = frozenset({"ich", "wir", "du", "ihr"})
# Told to the writer or the reader ("es sagt uns, …", "er erklärte mir, …"): the writer
# passes on what they themselves learnt.
_ADDRESSED = frozenset({"uns", "mir", "mich", "dir", "dich", "euch"})
# The indicative forms whose subjunctive is certain. None: the past, which reported speech
# sets in the perfect subjunctive ("war" → "sei … gewesen"), where no one-word fix exists.
_IRREGULAR = {
    "ist": "sei",
    "sind": "seien",
    "hat": "habe",
    "wird": "werde",
    "kann": "könne",
    "muss": "müsse",
    "soll": "solle",
    "will": "wolle",
    "darf": "dürfe",
    "mag": "möge",
    "weiß": "wisse",
    # Konjunktiv I of these plurals looks like the indicative: Konjunktiv II stands in.
    "haben": "hätten",
    "werden": "würden",
    "können": "könnten",
    "müssen": "müssten",
    "dürfen": "dürften",
    "war": None,
    "waren": None,
    "hatte": None,
    "hatten": None,
    "wurde": None,
    "wurden": None,
}
# Tags that may open the reported clause after the comma: "sagte, dass …", "sagte, der
# Krieg …", "sagte, er …". A relative pronoun ("erklärte den Plan, der …") or a
# question word ("erklärte, wie …") opens no reported statement.
_CLAUSE_OPENERS = frozenset(
    {"ART", "PPER", "PIAT", "PIS", "PPOSAT", "PDAT", "PDS", "NN", "NE", "CARD", "ADJ(A)"}
)
# Tags that open an embedded clause: subordinators, relative and question words.
_EMBEDDING = frozenset({"KOUS", "KOUI", "PRELS", "PRELAT", "PWS", "PWAV", "PWAT"})
_QUOTATION_RE = re.compile('["„“”«»]')
_ATTRIBUTION_WORDS = frozenset({"so"})
# Konjunktiv I forms that only reported speech uses (not "habe", "werde": also the
# first person indicative).
SUBJUNCTIVE_FORMS = frozenset(
    {"sei", "seien", "könne", "müsse", "solle", "wolle", "dürfe", "möge", "wisse", "gebe"}
)
_SOURCE_OPENERS = frozenset({"ART", "NE", "NN", "PPOSAT", "ADJ(A)", "PIAT"})
_SOURCE_WORDS = frozenset({"laut", "zufolge", "angaben"})
_STOPS = frozenset({":", ";"})


class ReportedVerb(NamedTuple):
    """An indicative verb in reported speech: its offsets, text and subjunctive (None
    where the fix needs more than one word)."""

    start: int
    end: int
    word: str
    subjunctive: str | None


def reports_in_subjunctive(tokens: Sequence[Token]) -> bool:
    """Whether a text already reports in Konjunktiv I somewhere ("sei", "könne"): then it
    follows the written reporting norm, and an indicative "dass" clause of reported speech
    breaks it. Without such a sign, "Er sagte, dass er krank ist" is accepted usage."""
    return any(token.text.lower() in SUBJUNCTIVE_FORMS for token in tokens)


def may_report(tokens: Sequence[Token]) -> bool:
    """Whether a sentence can report speech at all: it has a comma or names a source
    ("laut", "zufolge", "Angaben"). Other sentences are never tagged for this."""
    return any(token.text == "," or token.text.lower() in _SOURCE_WORDS for token in tokens)


def reported_verbs(
    text: str, tokens: Sequence[Token], tags: Sequence[str], *, with_dass: bool = False
) -> Iterator[ReportedVerb]:
    """The indicative finite verbs of the main clauses of the sentence's reported
    stretches, outside quotations; "dass" clauses count only ``with_dass``."""
    quoted = None  # found only once a verb needs it
    seen: set[int] = set()
    for first, last in reported_stretches(tokens, tags, with_dass=with_dass):
        for index in _main_clause_verbs(tags, first, last):
            token = tokens[index]
            if index in seen or _own_voice(tokens, index):
                continue
            quoted = quoted if quoted is not None else Quotations(text)
            if token.start in quoted:
                continue
            if _infinitive_after_finite(tags, first, index):
                continue
            subjunctive = subjunctive_of(token.text, tags[index])
            if subjunctive is False:
                continue
            seen.add(index)
            yield ReportedVerb(token.start, token.end, token.text, subjunctive)


def _main_clause_verbs(tags: Sequence[str], first: int, last: int) -> Iterator[int]:
    """Finite verbs in ``first:last`` outside embedded clauses. A clause that a
    subordinator, a relative pronoun or a question word opens ("nachdem sie …", "der …")
    is the speaker's background, where usage allows the indicative; it runs to the next
    comma."""
    # A stretch opened by "dass" is itself the reported statement.
    embedded = first < last and tags[first] in _EMBEDDING and tags[first] != "KOUS"
    for index in range(first, last):
        if tags[index] == "$," and index + 1 < last:
            embedded = tags[index + 1] in _EMBEDDING or (
                tags[index + 1] == "APPR" and index + 2 < last and tags[index + 2] == "PRELS"
            )
        elif not embedded and is_finite(tags[index]):
            yield index


def _infinitive_after_finite(tags: Sequence[str], first: int, index: int) -> bool:
    """Whether a plural form that looks like an infinitive ("dürfen" in "hätte … sein
    dürfen") follows another finite verb of its clause: then it is the infinitive."""
    for before in range(index - 1, first - 1, -1):
        if tags[before] in ("$,", "$."):
            return False
        if is_finite(tags[before]):
            return True
    return False


def reported_stretches(
    tokens: Sequence[Token], tags: Sequence[str], *, with_dass: bool = False
) -> Iterator[tuple[int, int]]:
    """Token ranges [first, last) that report speech: after "<speaker> sagte,", before a
    trailing ", sagte <speaker>" or ", so <source>", and the clause of "laut <source>",
    "<source> zufolge" or "nach Angaben <source>"."""
    for index, token in enumerate(tokens):
        if token.text == ",":
            if _reports_after(tokens, tags, index, with_dass):
                yield index + 1, _stop_after(tokens, index + 1)
            elif _reports_before(tokens, tags, index):
                yield _stop_before(tokens, index), index
        elif _attribution(tokens, tags, index):
            first = index
            while (
                first > 0
                and tags[first - 1] not in ("$,", "$.")
                and tokens[first - 1].text not in _STOPS
            ):
                first -= 1
            yield first, _stop_after(tokens, index)


def _attribution(tokens, tags, index: int) -> bool:
    """Whether the token at ``index`` names the source of the clause's statement: "laut"
    (a preposition), "zufolge" (a postposition) or "nach Angaben"."""
    word = tokens[index].text.lower()
    if word == "laut":
        return tags[index] == "APPR"
    if word == "zufolge":
        return True
    return word == "angaben" and index > 0 and tokens[index - 1].text.lower() == "nach"


def _reports_after(tokens, tags, comma: int, with_dass: bool) -> bool:
    """Whether the clause ending at ``comma`` is "<speaker> <verb of saying> …" and a
    statement follows: in verb-second order ("sagte, der Krieg wird …"), or, ``with_dass``,
    a "dass" clause."""
    following = comma + 1
    if following >= len(tokens):
        return False
    opener = tokens[following].text.lower()
    if tags[following] not in _CLAUSE_OPENERS and not (with_dass and opener == "dass"):
        return False
    start = comma
    while (
        start > 0 and tags[start - 1] not in ("$,", "$.") and tokens[start - 1].text not in _STOPS
    ):
        start -= 1
    clause = range(start, comma)
    if _speaks_for_self(tokens, clause) or any(
        tokens[i].text.lower() in _ADDRESSED for i in clause
    ):
        return False
    if tags[start] == "KOUS" or tokens[start].text.lower() in ("wie", "als"):
        return False  # "…, wie er sagte, …": a parenthesis, not a reporting clause
    # A "dass" clause after a verb of saying in the present ("Die Theorie sagt, dass …")
    # states a fact; a report of what was said ("sagte, dass") is reported speech.
    return _has_speech_verb(tokens, tags, clause, past_only=opener == "dass")


def _reports_before(tokens, tags, comma: int) -> bool:
    """Whether ``comma`` is followed by a short trailing attribution that ends the
    sentence: ", sagte die Ministerin." or ", so die Polizei."."""
    end = comma + 1
    while end < len(tokens) and tags[end] not in ("$,", "$."):
        end += 1
    tail = range(comma + 1, end)
    if not 2 <= len(tail) <= 7 or (end < len(tokens) and tokens[end].text not in ".!"):
        return False
    first = comma + 1
    if tokens[first].text.lower() in _ATTRIBUTION_WORDS and tags[first] == "ADV":
        # ", so die Polizei.": a source, no verb ("…, so gilt die letzte", "so dass").
        return tags[first + 1] in _SOURCE_OPENERS and not any(is_finite(tags[i]) for i in tail)
    if not is_finite(tags[first]):
        return False
    if _speaks_for_self(tokens, tail):
        return False
    return _has_speech_verb(tokens, tags, tail)


def _has_speech_verb(tokens, tags, span: range, *, past_only: bool = False) -> bool:
    """Whether ``span`` holds a verb of saying (in the past, with ``past_only``)."""
    tagger = get_tagger()
    particles = {tokens[i].text.lower() for i in span if tags[i] == "PTKVZ"}
    for i in span:
        if not (is_finite(tags[i]) or is_participle(tags[i])) or tags[i][:2] != "VV":
            continue
        lemma = tagger.lemma(tokens[i].text, tags[i]).lower()
        speech = lemma in SPEECH_VERBS or any(
            (lemma, particle) in PARTICLE_SPEECH_VERBS for particle in particles
        )
        word = tokens[i].text.lower()
        if not speech or (is_finite(tags[i]) and _first_person(word)):
            continue
        if i > 0 and tokens[i].text[:1].isupper():
            continue  # a capitalised word inside a sentence is a noun ("ein Unterstrich")
        if not past_only or _is_past(word, tags[i], lemma):
            return True
    return False


def _first_person(word: str) -> bool:
    """Whether a finite verb of saying has the form of the first person singular or the
    imperative ("sage", "füge"), not "sagt", "sagte", "sagen"."""
    return word.endswith("e") and not word.endswith("te")


def _is_past(word: str, tag: str, lemma: str) -> bool:
    """Whether a verb of saying is a participle ("hat gesagt") or a finite past ("sagte",
    "schrieb"): neither the lemma nor a present form."""
    if is_participle(tag):
        return True
    return word != lemma and _konjunktiv_one(word, lemma) is None


def _stop_after(tokens, first: int) -> int:
    """Where the reported stretch that starts at ``first`` ends: a colon, a semicolon, an
    opening quotation or the end of the sentence."""
    for index in range(first, len(tokens)):
        if tokens[index].text in _STOPS:
            return index
    return len(tokens)


def _stop_before(tokens, comma: int) -> int:
    """Where the reported stretch that ends at ``comma`` begins."""
    for index in range(comma - 1, -1, -1):
        if tokens[index].text in _STOPS:
            return index + 1
    return 0


def _own_voice(tokens, index: int) -> bool:
    """Whether the verb at ``index`` has a first- or second-person subject beside it."""
    return _speaks_for_self(tokens, range(max(0, index - 2), min(len(tokens), index + 3)))


def _speaks_for_self(tokens, span: range) -> bool:
    """Whether ``span`` holds a first- or second-person pronoun: "ich", "wir", or the
    polite "Sie" (capitalised inside the sentence)."""
    return any(
        tokens[i].text.lower() in _OWN_VOICE or (tokens[i].text == "Sie" and i > 0) for i in span
    )


def subjunctive_of(word: str, tag: str) -> str | None | bool:
    """The subjunctive of an indicative finite verb: a word, None (past: no one-word
    fix) or False (not an indicative whose subjunctive differs, or not known)."""
    lowered = word.lower()
    if lowered in _IRREGULAR:
        return _same_case(_IRREGULAR[lowered], word)
    if tag != "VV(FIN)" or not lowered.endswith("t"):
        return False
    lemma = get_tagger().lemma(word, tag).lower()
    form = _konjunktiv_one(lowered, lemma)
    return _same_case(form, word) if form else False


def _konjunktiv_one(word: str, lemma: str) -> str | None:
    """Konjunktiv I, third person singular, of a present indicative ``word`` of ``lemma``
    ("nutzt"/"nutzen" → "nutze", "gibt"/"geben" → "gebe"); None where ``word`` is no
    third person singular present of it (a past such as "erhielt")."""
    if lemma.endswith(("eln", "ern")):
        stem, subjunctive = lemma[:-1], lemma[:-1] + "e"
    elif lemma.endswith("en"):
        stem, subjunctive = lemma[:-2], lemma[:-2] + "e"
    else:
        return None
    if len(stem) < 2:
        return None
    if word in {variant + ending for variant in _present_stems(stem) for ending in ("t", "et")}:
        return subjunctive
    if stem.endswith("t") and word in _present_stems(stem):  # "hält" from "halten"
        return subjunctive
    return None


def _present_stems(stem: str) -> set[str]:
    """The stem and its present-tense vowel changes ("fahr" → "fähr", "geb" → "gib")."""
    stems = {stem}
    for plain, changed in (("au", "äu"), ("a", "ä"), ("o", "ö"), ("e", "i"), ("e", "ie")):
        at = stem.rfind(plain)
        if at >= 0:
            stems.add(stem[:at] + changed + stem[at + len(plain) :])
    return stems


def _same_case(form: str | None, word: str) -> str | None:
    if form is None:
        return None
    return form[:1].upper() + form[1:] if word[:1].isupper() else form


class Quotations:
    """The stretches of a text inside quotation marks (direct speech keeps the
    indicative): German „…“ and »…«, English “…” and straight "…" pairs; ``offset in``
    tells whether a character lies inside one."""

    def __init__(self, text: str) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        opened: int | None = None
        for match in _QUOTATION_RE.finditer(text):
            index, char = match.start(), match.group()
            if opened is None:
                if char in '„»"“':
                    opened = index
            elif char in '“”"«':
                self._starts.append(opened)
                self._ends.append(index + 1)
                opened = None
        if opened is not None:  # a quotation that goes on past the segment
            self._starts.append(opened)
            self._ends.append(len(text))

    def __contains__(self, offset: int) -> bool:
        at = bisect_right(self._starts, offset) - 1
        return at >= 0 and offset < self._ends[at]


def quoted_positions(text: str) -> Quotations:
    """The quotations of ``text`` (see :class:`Quotations`)."""
    return Quotations(text)
