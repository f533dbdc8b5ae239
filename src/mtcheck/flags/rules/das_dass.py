"""das-dass: "das" opening a complement clause where German writes "dass"."""

from __future__ import annotations

from mtcheck.flags.gender import FEM, MASC, noun_gender
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


@rule("das-dass", "Fluency/Grammar", "major")
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
    """
    for tokens, tags in segment.tagged_sentences({"das"}):
        for index in range(2, len(tokens) - 3):
            if tokens[index].text != "das" or tags[index - 1] != "$,":
                continue
            if complement_clause(tokens, tags, index):
                token = tokens[index]
                yield Finding(
                    token.start,
                    token.end,
                    "A clause after a verb of saying or thinking opens with “dass”.",
                    "dass",
                )


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
