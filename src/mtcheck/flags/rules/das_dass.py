"""das-dass: "das" and "dass" confused at the start of a clause, either way."""

from __future__ import annotations

from mtcheck.flags.gender import FEM, MASC, noun_gender
from mtcheck.flags.nouns import noun_readings
from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.stts import is_boundary, is_finite, is_verb
from mtcheck.flags.text import SegmentText

# What may follow a clause-opening "das" when it cannot be an article or a pronoun that
# opens a main clause: the subject of a verb-final clause ("das er kommt", "das die
# Regierung …"). After an article "das" comes a noun or an adjective, after a pronoun
# "das" the finite verb.
_SUBJECT_TAGS = frozenset({"PPER", "ART", "NE", "PPOSAT", "PIS"})
# Nouns and names that may be neuter singular could be the antecedent of a relative
# "das" ("Er hat ein Buch gelesen, das er mag"); only known masculine or feminine nouns
# cannot.
_NOT_NEUTER = (MASC, FEM)


@rule("das-dass", "Fluency/Grammar", "major", fix="unsafe")
def check(segment: SegmentText, context: Context):
    """ "das" where a complement clause needs "dass" ("Er sagt, das er kommt").

    A clause that completes a verb of saying, thinking or knowing opens with the
    conjunction "dass"; "das" is an article or a pronoun. Fires on "das" right after the
    comma that ends a clause with a verb, when "das" is followed by a subject (a pronoun,
    a name or another article: no article, then) and the clause ends in its finite verb
    (no demonstrative pronoun, then), and no word before could be the neuter antecedent
    of a relative "das" (every noun there is known masculine or feminine). The span is
    "das"; the suggestion is "dass".

    Bad:  "Sie sagt, das er morgen kommt."
    Bad:  "Er hofft, das die Regierung bald handelt."
    Good: "Sie sagt, dass er morgen kommt."
    Good: "Ich glaube, das ist richtig."
    Good: "Er hat ein Buch gelesen, das er sehr mag."
    Good: "Sie weiß, das Kind schläft schon."
    Bad:  "Er sprach in einem Interview, dass am Freitag veröffentlicht wurde."
    Good: "Er sprach in einem Interview, das am Freitag veröffentlicht wurde."
    Good: "Er hatte das Gefühl, dass ihn niemand verstand."
    Good: "Sie gab ihm das Versprechen, dass sie am Freitag kommt."
    """
    for tokens, tags in segment.tagged_sentences({"das", "dass"}):
        for index in range(2, len(tokens) - 2):
            if tags[index - 1] != "$,":
                continue
            if tokens[index].text == "dass" and relative_clause(tokens, tags, index):
                token = tokens[index]
                yield Finding(
                    token.start,
                    token.end,
                    "A relative clause after a neuter noun opens with “das”.",
                    "das",
                )
                continue
            if tokens[index].text != "das" or index >= len(tokens) - 3:
                continue
            if complement_clause(tokens, tags, index):
                token = tokens[index]
                yield Finding(
                    token.start,
                    token.end,
                    "A clause after a verb of saying or thinking opens with “dass”.",
                    "dass",
                )


# Tags that can stand for the subject of a clause (outside a prepositional phrase).
_SUBJECT_LIKE = frozenset(
    {"PPER", "PDS", "PIS", "PRELS", "ART", "NN", "NE", "NNA", "PPOSAT", "PIAT", "PDAT", "CARD"}
)
# What a clause without a subject may hold besides prepositional phrases: adverbs,
# negation, participles and infinitives ("dass gestern veröffentlicht werden soll").
_NO_SUBJECT = frozenset(
    {
        "ADV",
        "ADJ(D)",
        "PTKNEG",
        "PTKZU",
        "VV(PP)",
        "VA(PP)",
        "VM(PP)",
        "VV(INF)",
        "VA(INF)",
        "VM(INF)",
        "VV(IZU)",
    }
)
_PREPOSITIONS = frozenset({"APPR", "APPRART", "APPO"})


# Determiners that show a following noun is neuter singular.
_NEUTER_DETERMINERS = frozenset({"das", "dieses", "jenes", "jedes", "welches"})


def _neuter_noun_before(tokens, tags, comma) -> bool:
    """Whether the word before ``comma`` is a noun the german-nouns lexicon knows only as
    neuter, or also as neuter after a neuter determiner ("das Foto")."""
    noun = comma - 1
    if tags[noun] not in ("NN", "NE"):
        return False
    readings = noun_readings(tokens[noun].text)
    genders = {gender for gender, _ in readings} if readings else set()
    if genders == {"n"}:
        return True
    determiners = {tokens[i].text.lower() for i in range(max(0, noun - 2), noun)}
    return "n" in genders and bool(determiners & _NEUTER_DETERMINERS)


def relative_clause(tokens, tags, index) -> bool:
    """Whether "dass" at ``index`` opens a clause with no subject before its finite verb,
    right after a neuter noun: a relative clause whose pronoun "das" is the subject."""
    if not _neuter_noun_before(tokens, tags, index - 1):
        return False
    in_phrase = False
    for position in range(index + 1, len(tags)):
        tag = tags[position]
        if is_boundary(tag):
            return False
        if is_finite(tag):
            return position > index + 1
        if tag in _PREPOSITIONS:
            in_phrase = True
        elif tag in ("NN", "NE"):
            if not in_phrase:
                return False  # a subject: "dass Menschen kommen"
            in_phrase = False  # the phrase's noun closes it
        elif tag in _SUBJECT_LIKE and not in_phrase:
            return False
        elif not in_phrase and tag not in _NO_SUBJECT:
            return False
    return False


def complement_clause(tokens, tags, index) -> bool:
    """Whether "das" at ``index`` opens a verb-final clause after a clause with a verb
    and no possible neuter antecedent."""
    if tags[index + 1] not in _SUBJECT_TAGS:
        return False
    clause = preceding_clause(tags, index - 1)
    if not any(is_verb(tags[i]) or tags[i] == "PTKVZ" for i in clause):
        return False
    if not is_verb(tags[index - 2]) and tags[index - 2] != "PTKVZ":
        return False  # the comma must follow the clause's verb: "sagt, das", "gesagt, das"
    if any(may_be_antecedent(tokens[i].text, tags[i]) for i in antecedent_span(tags, index - 1)):
        return False
    return ends_in_finite_verb(tags, index + 1)


def preceding_clause(tags, comma) -> range:
    """Token indices of the clause that ends at the comma at ``comma``."""
    start = comma
    while start > 0 and not is_boundary(tags[start - 1]):
        start -= 1
    return range(start, comma)


def antecedent_span(tags, comma) -> range:
    """Token indices where the antecedent of a relative "das" may stand: the clause before
    the comma, brackets included ("vom Werkzeug tool(8) verwendet, das …")."""
    start = comma
    while start > 0 and tags[start - 1] not in ("$,", "$."):
        start -= 1
    return range(start, comma)


def may_be_antecedent(word: str, tag: str) -> bool:
    """Whether a word could be the neuter singular noun a relative "das" refers to. A
    nominalised verb or adjective ("das Verhalten", "das Gute") may be neuter; a compound
    has the gender of its last part ("Flock-Verhalten")."""
    if tag == "NE" or (tag.startswith("NN") and tag != "NN"):
        return True
    if tag != "NN":
        return False
    gender = noun_gender(word.rsplit("-", 1)[-1])
    return gender is None or gender[0] not in _NOT_NEUTER


def ends_in_finite_verb(tags, start) -> bool:
    """Whether the clause from ``start`` has its first finite verb last (before a
    boundary, a coordinator or the end), not second as in a main clause."""
    for position in range(start + 1, len(tags)):
        if is_boundary(tags[position]):
            return False
        if is_finite(tags[position]):
            following = tags[position + 1] if position + 1 < len(tags) else "$."
            return is_boundary(following) or following == "KON"
    return False
