"""modal-participle: a modal verb with a bare past participle."""

from __future__ import annotations

from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.rules.stts import (
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
# Modals that, with a participle, usually report a claim about the past ("soll versucht
# haben"); the others usually want a passive ("muss repariert werden").
_PERFECT_MODALS = ("soll", "will", "woll", "dürfte")
# Participles that form their perfect with "sein".
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
_STOP_TAGS = frozenset({"KOUS", "KOUI", "PRELS", "PRELAT", "PWAV", "PTKZU"})


@rule("modal-participle", "Fluency/Grammar", "major")
def check(segment: SegmentText, context: Context):
    """A modal verb with a bare past participle and no infinitive auxiliary.

    German needs an infinitive after a modal: "haben"/"sein" for a claim about the past,
    "werden" for a passive. The suggestion adds "haben" or "sein" after "soll", "will",
    "wollen" and "dürfte", and "werden" after the other modals; the span runs from the
    modal to the participle.

    Bad:  "ByteDance soll versucht, eigene Modelle zu bauen."
    Good: "ByteDance soll versucht haben, eigene Modelle zu bauen."
    Good: "Das Dach muss repariert werden."
    """
    for tokens, tags in segment.tagged_sentences(MODAL_FORMS):
        for index, token in enumerate(tokens):
            if token.text.lower() in MODAL_FORMS and tags[index].startswith("VM"):
                finding = _check_modal(segment.text, tokens, tags, index)
                if finding is not None:
                    yield finding


def _check_modal(text, tokens, tags, modal_index):
    participle = None
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
            break
        if (
            word.lower() in COORDINATORS
            and participle is None
            and (index + 1 >= len(tokens) or is_verb(tags[index + 1]))
        ):
            # a new clause may start: "will mehr Geld und bekommt weniger"; a coordinator
            # inside a phrase does not end the clause: "will sich nach rechts oder links …"
            break
        if is_participle(tag) and word[:1].islower():
            participle = index
    if participle is None:
        return None
    modal, verb = tokens[modal_index], tokens[participle]
    auxiliary = _auxiliary(modal.text.lower(), verb.text.lower())
    return Finding(
        modal.start,
        verb.end,
        f"The modal verb '{modal.text}' has the bare participle '{verb.text}' without an "
        f"infinitive such as 'haben', 'sein' or 'werden'.",
        f"{text[modal.start : verb.end]} {auxiliary}",
    )


def _final_participle(tokens, tags, index):
    """A clause-final word that the tagger read as a finite verb or an adverbial adjective
    but that can be a past participle: "Sie möchten sich bewegt." """
    word = tokens[index].text
    if tags[index] not in ("VV(FIN)", "ADJ(D)") or not word[:1].islower():
        return False
    if index + 1 < len(tokens) and not is_boundary(tags[index + 1]):
        return False
    return get_tagger().may_be_participle(word)


def _auxiliary(modal: str, participle: str) -> str:
    if modal.startswith(_PERFECT_MODALS):
        return "sein" if participle.endswith(_SEIN_PARTICIPLES) else "haben"
    return "werden"
