"""modal-participle: a modal verb with a bare past participle."""

from __future__ import annotations

import re

from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.stts import (
    COORDINATORS,
    is_boundary,
    is_finite,
    is_infinitive,
    is_participle,
    is_verb,
)
from mtcheck.flags.tagger import get_tagger
from mtcheck.flags.text import SegmentText

_STEMS = {
    "soll": ("e", "en", "st", "t", "te", "ten", "test", "tet"),
    "woll": ("en", "t", "te", "ten", "test", "tet"),
    "könn": ("en", "t", "te", "ten", "test", "tet"),
    "konn": ("te", "ten", "test", "tet"),
    "müss": ("en", "t", "te", "ten", "test", "tet"),
    "muss": ("", "t", "te", "ten", "test", "tet"),
    "dürf": ("en", "t", "te", "ten", "test", "tet"),
    "durf": ("te", "ten", "test", "tet"),
    "mög": ("en", "t"),
    "möcht": ("e", "en", "est", "et"),
    "moch": ("te", "ten", "test", "tet"),
}
MODAL_FORMS = frozenset(
    {stem + ending for stem, endings in _STEMS.items() for ending in endings}
    | {"soll", "will", "willst", "kann", "kannst", "muß", "darf", "darfst", "mag", "magst"}
)
# Modals that, with a participle, most likely report a claim about the past ("soll
# versucht haben", "dürfte gefallen sein"): the perfect comes first.
_CLAIM_MODALS = frozenset(
    {"soll", "sollen", "sollst", "sollt", "dürfte", "dürften", "dürftest", "dürftet"}
)
# Modals of wanting: the subject most likely wants to do it ("möchte beginnen").
_WISH_STEMS = ("will", "woll", "möcht", "mag", "mög", "moch")
# Participles that form their perfect with "sein" (and have no passive).
_SEIN_PARTICIPLES = (
    "gekommen",
    "gegangen",
    "gefahren",
    "geflogen",
    "gelaufen",
    "gestiegen",
    "gefallen",
    "gesunken",
    "gewachsen",
    "geworden",
    "gewesen",
    "geblieben",
    "gestorben",
    "geschehen",
    "passiert",
    "gelungen",
    "gescheitert",
    "erschienen",
    "entstanden",
    "verschwunden",
    "gereist",
    "gesprungen",
    "geschrumpft",
    "explodiert",
    "eingebrochen",
    "aufgewacht",
    "gestartet",
)
# English after a modal or "to" that shows which German reading is meant.
_EN_MODAL = r"\b(?:to|must|can|could|should|shall|will|would|may|might)\s+(?:not\s+)?"
_EN_PARTICIPLE = r"\w+(?:ed|en|wn|ne|t)\b"
_ENGLISH_READINGS = (
    ("perfect passive", re.compile(rf"{_EN_MODAL}have\s+been\s+{_EN_PARTICIPLE}", re.I)),
    ("passive", re.compile(rf"{_EN_MODAL}be\s+{_EN_PARTICIPLE}", re.I)),
    ("perfect", re.compile(rf"{_EN_MODAL}have\s+(?!been\b){_EN_PARTICIPLE}", re.I)),
)
# Punctuation inside a clause: list commas and brackets (HanTa's "$," and "$(").
_LIST_MARKS = frozenset({"$,", "$("})
_STOP_TAGS = frozenset({"KOUS", "KOUI", "PRELS", "PRELAT", "PWAV", "PTKZU"})
# Pronouns that may stand for a thing ("ich", "er", "man" stand for people, who act).
_THING_PRONOUNS = frozenset({"es", "das", "dies", "dieses", "sie"})
# What may open a noun phrase, and what heads one.
_PHRASE_OPENERS = frozenset({"ART", "PPOSAT", "PDAT", "PIAT", "PWAT", "CARD", "ADJ(A)", "ADV"})
_PHRASE_HEADS = frozenset({"NN", "NE", "PPER", "PRF", "PDS", "PIS", "PPOSS", "FM"})
# Dative forms, whose phrase is no direct object and leaves a passive possible ("Das muss
# mir erklärt werden").
_DATIVE_PRONOUNS = frozenset({"mir", "dir", "ihm", "ihnen"})


@rule("modal-participle", "Fluency/Grammar", "major", fix="unsafe")
def check(segment: SegmentText, context: Context):
    """A modal verb with a bare past participle and no infinitive auxiliary.

    German needs an infinitive after a modal. A word that can be an infinitive
    ("erhalten", "entfernen", "ratifizieren") is read as one. The span runs from the
    modal to the participle. The suggestions, most likely first: the infinitive ("möchte
    … beginnen"), the perfect infinitive ("soll versucht haben", "gekommen sein") and,
    for a thing as subject with no object, the passive ("muss repariert werden",
    "repariert worden sein"). "soll" and "dürfte" put the perfect first (a claim) and
    offer the passive only where the English reference has one; "möchte", "will" and
    "mag" put the infinitive first and offer no passive; the other modals put the passive
    first where there is one. A reading the English reference shows ("must have
    terminated", "is to be delivered") comes first.

    Bad:  "ByteDance soll versucht, eigene Modelle zu bauen."
    Bad:  "Ich möchte mit einem Paradox begonnen."
    Good: "ByteDance soll versucht haben, eigene Modelle zu bauen."
    Good: "Das Dach muss repariert werden."
    Good: "Sie möchte den Preis erhalten."
    """
    for tokens, tags in segment.tagged_sentences(MODAL_FORMS):
        for index, token in enumerate(tokens):
            if token.text.lower() in MODAL_FORMS and tags[index].startswith("VM"):
                finding = _check_modal(segment, tokens, tags, index)
                if finding is not None:
                    yield finding


def _check_modal(segment, tokens, tags, modal_index):
    participle = _participle(tokens, tags, modal_index)
    if participle is None:
        return None
    modal, verb = tokens[modal_index], tokens[participle]
    suggestions = _suggestions(
        segment.text, tokens, tags, modal_index, participle, segment.reference
    )
    return Finding(
        modal.start,
        verb.end,
        f"The modal verb '{modal.text}' has the bare participle '{verb.text}' without an "
        f"infinitive such as 'haben', 'sein' or 'werden'.",
        suggestions=suggestions,
    )


def _participle(tokens, tags, modal_index):
    """Index of the bare participle that the modal at ``modal_index`` governs, or None."""
    tagger = get_tagger()
    participle = None
    after = modal_index + 1
    if after < len(tokens) and tokens[after].text.lower() in COORDINATORS:
        return None  # the modal ends its clause: "… sein kann und viel Zeit kostet"
    for index in range(modal_index + 1, len(tokens)):
        tag, word = tags[index], tokens[index].text
        if is_infinitive(tag) or (participle is not None and is_finite(tag)):
            # "soll versucht haben", "muss gemacht werden" (also with "werden" mis-tagged
            # as finite)
            return None
        if participle is None and _final_participle(tokens, tags, index):
            participle = index  # "möchten Sie sich bewegt.", "wir müssen gefragt:"
            continue
        if is_boundary(tag) or tag in _STOP_TAGS or is_finite(tag):
            if participle is not None and tag in _LIST_MARKS and _shared_auxiliary(tags, index):
                return None  # "kann umbenannt, gelöscht oder verschoben werden"
            break
        if word.lower() in COORDINATORS and participle is not None:
            if _shared_auxiliary(tags, index):
                return None  # "kann markiert und danach gelöscht werden"
        if (
            word.lower() in COORDINATORS
            and participle is None
            and (index + 1 >= len(tokens) or is_verb(tags[index + 1]))
        ):
            # a new clause may start: "will mehr Geld und bekommt weniger"; a coordinator
            # inside a phrase does not end the clause: "will sich nach rechts oder links …"
            break
        if is_participle(tag) and word[:1].islower():
            if tagger.may_be_infinitive(word):
                # the modal's infinitive, which HanTa read as a participle: "will den
                # Täter verurteilen", "möchte den Preis erhalten"
                return None
            participle = index
    return participle


def _shared_auxiliary(tags, index):
    """Whether an infinitive follows ``index`` in the same clause: coordinated
    participles, or one with a bracketed aside, share the modal's auxiliary at the end
    ("kann umbenannt, gelöscht oder verschoben werden", "sollte nicht verwendet (also
    eingehängt) sein")."""
    for position in range(index + 1, len(tags)):
        tag = tags[position]
        if tag.endswith("(INF)") or (tag.startswith("VA") and _clause_final(tags, position)):
            return True  # also "werden" or "sein" at the end, which HanTa may read as finite
        if tag == "$." or tag.endswith("(IZU)") or tag in _STOP_TAGS or is_finite(tag):
            return False  # a zu-infinitive after a comma opens a clause of its own
    return False


def _clause_final(tags, position):
    return position + 1 >= len(tags) or is_boundary(tags[position + 1])


def _final_participle(tokens, tags, index):
    """A clause-final word that the tagger read as a finite verb or an adverbial adjective
    but that can be a past participle: "Sie möchten sich bewegt." """
    word = tokens[index].text
    if tags[index] not in ("VV(FIN)", "ADJ(D)") or not word[:1].islower():
        return False
    if index + 1 < len(tokens) and not is_boundary(tags[index + 1]):
        return False
    return get_tagger().may_be_participle(word)


def _suggestions(text, tokens, tags, modal_index, participle, reference):
    """The replacements of the span, most likely first (at most three). Each is correct
    German under its own reading; a reading the sentence rules out is left out (no
    passive of a verb with an object, of a "sein" verb or after "möchte"). The English
    reference, when it shows one reading, moves that reading first."""
    modal = tokens[modal_index].text.lower()
    span = text[tokens[modal_index].start : tokens[participle].end]
    subject, has_object = _roles(tokens, tags, modal_index, participle)
    # "ist gestartet", but "hat den Server gestartet"
    takes_sein = not has_object and tokens[participle].text.lower().endswith(_SEIN_PARTICIPLES)
    options = {
        "infinitive": _with_infinitives(text, tokens, tags, modal_index, participle),
        "perfect": f"{span} {'sein' if takes_sein else 'haben'}",
    }
    claim = modal in _CLAIM_MODALS
    preferred = _english_reading(reference)
    if (
        not modal.startswith(_WISH_STEMS)
        and not takes_sein
        and (not claim or preferred in ("passive", "perfect passive"))
        and _undergoes(tokens, tags, subject, has_object, participle)
    ):
        # "Das Dach muss repariert": most likely done to the subject. After "soll" only
        # where the English says so: "Das Unternehmen soll verhandelt" is a claim.
        options["passive"] = f"{span} werden"
        options["perfect passive"] = f"{span} worden sein"
        order = ("passive", "perfect passive", "infinitive", "perfect")
    else:
        order = ("perfect", "infinitive") if claim else ("infinitive", "perfect")
    if preferred in order:
        order = (preferred, *(reading for reading in order if reading != preferred))
    return tuple(options[reading] for reading in order if options[reading])[:3]


def _english_reading(reference):
    """The reading the English reference shows after a modal or "to": "to have
    negotiated" (perfect), "must be repaired" (passive), "is said to have been sold"
    (perfect passive); None when it shows none or several."""
    if not reference:
        return None
    found = {name for name, pattern in _ENGLISH_READINGS if pattern.search(reference)}
    return found.pop() if len(found) == 1 else None


def _with_infinitives(text, tokens, tags, modal_index, participle):
    """The span with every participle in it made an infinitive ("soll lügen und
    betrügen"), or None when HanTa gives no infinitive for one of them."""
    tagger = get_tagger()
    pieces = []
    position = tokens[modal_index].start
    for index in range(modal_index + 1, participle + 1):
        token = tokens[index]
        if index != participle and not (is_participle(tags[index]) and token.text.islower()):
            continue
        infinitive = tagger.infinitive(token.text)
        if infinitive is None:
            return None
        pieces.append(text[position : token.start] + infinitive)
        position = token.end
    return "".join(pieces)


def _roles(tokens, tags, modal_index, participle):
    """(subject phrase or None, whether a direct object or reflexive stands between the
    modal and the participle). The subject is the first phrase of the clause that no
    preposition governs: before the modal, or right after it ("Deshalb muss das Dach …")."""
    clause_start = modal_index
    while clause_start > 0 and not (
        is_boundary(tags[clause_start - 1]) or tags[clause_start - 1] in ("KON", "KOUS")
    ):
        clause_start -= 1
    before = [p for p in _phrases(tokens, tags, clause_start, modal_index) if not p[2]]
    after = [p for p in _phrases(tokens, tags, modal_index + 1, participle) if not p[2]]
    subject = before[0] if before else (after.pop(0) if after else None)
    has_object = any(
        not _dative(tokens, first, head) and tags[first] != "ADV"  # "heute Abend"
        for first, head, _ in after
    )
    return subject, has_object


def _undergoes(tokens, tags, subject, has_object, participle):
    """Whether the subject most likely undergoes the action: a thing (a common noun, "es",
    "das"), no direct object or reflexive, and no clause after the participle that would
    be its object ("soll versucht, … zu bauen")."""
    if subject is None or has_object or not _is_thing(tokens, tags, subject):
        return False
    if tokens[subject[1]].text.lower() == "es":
        return True  # "Es muss gesagt, dass …": "es" stands for the clause
    return not _clause_follows(tags, participle)


def _phrases(tokens, tags, start, end):
    """(first, head, governed) of each noun phrase in ``tokens[start:end]``; ``governed``
    when a preposition opens it. Genitive attributes ("das Ende des Jahres") and names in
    apposition ("die Firma ByteDance") belong to the phrase before them."""
    index = start
    while index < end:
        governed = tags[index] in ("APPR", "APPRART")
        position = index + 1 if governed else index
        first = position
        while position < end and tags[position] in _PHRASE_OPENERS:
            position += 1
        if position < end and tags[position] in _PHRASE_HEADS:
            head = position
            position += 1
            while position < end and tags[position] in ("NN", "NE"):
                position += 1
            position = _genitives(tokens, tags, position, end)
            yield first, head, governed
            index = position
        else:
            index = max(position, index + 1)


def _genitives(tokens, tags, position, end):
    """The position after the genitive attributes at ``position`` ("des Jahres")."""
    while (
        position + 1 < end
        and tokens[position].text.lower() in ("des", "der", "eines", "einer")
        and tags[position] == "ART"
    ):
        position += 1
        while position < end and tags[position] == "ADJ(A)":
            position += 1
        if position < end and tags[position] in ("NN", "NE"):
            position += 1
    return position


def _is_thing(tokens, tags, phrase):
    """A subject that is a thing, or may be one: a common noun, "es", "das", "sie"."""
    first, position = phrase[0], phrase[1]
    head = tokens[position]
    if tags[position] == "NN":
        return True
    if tags[position] == "NE" and first < position and tags[first] in ("ART", "PDAT"):
        return True  # a noun HanTa took for a name: "die Datei"; names go without article
    # "Sie" with a capital may be the polite "you", unless it opens the sentence
    capital_you = head.text == "Sie" and position > 0
    return head.text.lower() in _THING_PRONOUNS and not capital_you


def _dative(tokens, first, head):
    """A phrase in the dative, which is no direct object: "mir", "dem Kunden"."""
    if tokens[head].text.lower() in _DATIVE_PRONOUNS:
        return True
    return first < head and tokens[first].text.lower().endswith("em")


def _clause_follows(tags, participle):
    """A comma and then a zu-infinitive or a subordinate clause after the participle."""
    after = participle + 1
    if after >= len(tags) or tags[after] != "$,":
        return False
    for index in range(after + 1, len(tags)):
        if tags[index] in ("PTKZU", "VV(IZU)", "KOUS", "KOUI"):
            return True
        if is_boundary(tags[index]):
            break
    return False
