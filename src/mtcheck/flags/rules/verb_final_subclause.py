"""verb-final-subclause: a finite verb in second position inside a subordinate clause."""

from __future__ import annotations

from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.stts import (
    COORDINATORS,
    DETERMINER_TAGS,
    SUBORDINATORS,
    is_boundary,
    is_finite,
    is_verb,
)
from mtcheck.flags.tagger import get_tagger
from mtcheck.flags.text import SegmentText

# Conjunctions that are also prepositions or adverbs ("während der Woche", "da drüben").
# They count only where the tagger reads them as a conjunction and a subject follows at
# once: for these a personal pronoun ("während er schläft"); for "da" also a noun phrase.
AMBIGUOUS_SUBORDINATORS = frozenset({"während", "seitdem", "da"})
_SUBJECT_PRONOUNS = frozenset({"ich", "du", "er", "sie", "es", "wir", "ihr", "man"})
_NOUN_SUBJECT_STARTERS = frozenset({"da"})
# Verbs whose infinitive replaces a participle after "haben"/"werden" and then follows the
# finite auxiliary: "dass er das Buch hat lesen lassen".
_REPLACEMENT_INFINITIVES = frozenset(
    {"lassen", "sehen", "hören", "helfen", "brauchen", "fühlen", "heißen"}
)
RELATIVE_PRONOUNS = frozenset(
    {
        "der",
        "die",
        "das",
        "dem",
        "den",
        "denen",
        "dessen",
        "deren",
        "welcher",
        "welche",
        "welches",
        "welchem",
        "welchen",
    }
)
_CLAUSE_STOP_TAGS = frozenset({"KOUS", "KOUI", "PRELS", "PRELAT"})
# What may stand right before a misplaced auxiliary ("dass die Kunden werden …", "weil er
# gestern hat …") or a misplaced full verb ("weil sie lieben …").
_BEFORE_AUXILIARY = frozenset(
    {
        "NN",
        "NE",
        "NNA",
        "PPER",
        "PDS",
        "PIS",
        "PPOSS",
        "PRELS",
        "ADV",
        "PTKNEG",
        "ADJ(D)",
        "PRF",
        "PROAV",
    }
)
_BEFORE_VERB = frozenset({"NN", "NE", "NNA", "PPER", "PDS", "PIS", "PPOSS", "PRELS"})
# What may open the object that follows a misplaced full verb: "… erzeugen riesige Mengen".
_OBJECT_START = DETERMINER_TAGS | {"ADJ(A)", "CARD", "NN"}
# What else may follow a misplaced full verb when the clause has no other verb: "wenn man
# anschaut sich die Systeme", "dass er kommt morgen", "weil sie wohnt in Berlin".
_AFTER_MOVED_VERB = _OBJECT_START | {
    "PRF",
    "PTKNEG",
    "ADV",
    "APPR",
    "APPRART",
    "PPER",
    "PDS",
    "PIS",
    "PROAV",
    "ADJ(D)",
    "NE",
    "PTKVZ",
}


@rule("verb-final-subclause", "Fluency/Grammar", "major", fix="unsafe")
def check(segment: SegmentText, context: Context):
    """A finite verb not at the end of a subordinate clause.

    Checks clauses opened by an unambiguous subordinating conjunction (dass, weil, ob,
    wenn, obwohl, …) or by a relative pronoun after a comma. It fires when an auxiliary
    or modal stands before the rest of the clause and the clause ends in another verb
    ("dass … werden die Produkte nicht mehr brauchen"), or when a finite verb is followed
    directly by an article or determiner and the clause has no other verb ("weil sie
    lieben die Musik"). A pronoun with the verb right after it opens a relative clause
    only inside another clause ("Die Kunden, die haben …, sind"); elsewhere it is a
    demonstrative opening a main clause ("…, das ist gut."). The span is the whole
    clause, from the conjunction or pronoun to its last word; the suggestion is that
    clause with the finite verb moved to the end.

    Bad:  "Analysten fürchten, dass die Kunden werden die Produkte nicht mehr brauchen."
    Good: "Analysten fürchten, dass die Kunden die Produkte nicht mehr brauchen werden."
    Good: "Die Kunden, die Nvidias Hardware verwendet haben, bauen eigene Chips."
    Good: "Ich habe eine Schwester, die wohnt in Berlin."
    """
    for tokens, tags in segment.tagged_sentences(_may_have_subclause):
        for index, token in enumerate(tokens):
            word = token.text.lower()
            if word == "damit" and tags[index] in ("KOUS", "PROAV"):
                if index == 0 or tags[index - 1] != "$,":
                    continue  # "Damit hat er nicht gerechnet" (pronominal adverb)
                # after a comma a conjunction, even where the tagger reads an adverb (an
                # adverb there has the verb right after it: ", damit hat er gerechnet")
                relative = False
            elif word in SUBORDINATORS and tags[index] == "KOUS":
                relative = False
            elif word in AMBIGUOUS_SUBORDINATORS and tags[index] == "KOUS":
                if not _subject_follows(tokens, tags, index, word in _NOUN_SUBJECT_STARTERS):
                    continue
                relative = False
            elif (
                word in RELATIVE_PRONOUNS
                and tags[index] in ("PRELS", "PRELAT", "PDS")
                and _after_comma(tags, index)
            ):
                # HanTa reads some relative pronouns as demonstratives ("Die Ärztin, die
                # arbeitet nachts, ist müde"): the clause's position decides (_check_clause)
                relative = True
            else:
                continue
            finding = _check_clause(segment.text, tokens, tags, index, relative)
            if finding is not None:
                yield finding


def _may_have_subclause(tokens):
    """Cheap test before tagging: a subordinator, or a relative pronoun after a comma
    (or after a comma and a preposition: ", mit dem")."""
    for index, token in enumerate(tokens):
        word = token.text.lower()
        if word in SUBORDINATORS or word in AMBIGUOUS_SUBORDINATORS:
            return True
        if word in RELATIVE_PRONOUNS and "," in (
            tokens[index - 1].text if index >= 1 else "",
            tokens[index - 2].text if index >= 2 else "",
        ):
            return True
    return False


def _after_comma(tags, index):
    """A relative pronoun right after a comma, or after a comma and a preposition."""
    if index >= 1 and tags[index - 1] == "$,":
        return True
    return index >= 2 and tags[index - 1] in ("APPR", "APPRART") and tags[index - 2] == "$,"


def _subject_follows(tokens, tags, index, noun_phrase):
    """A subject right after an ambiguous conjunction: a nominative personal pronoun, or
    (with ``noun_phrase``) a determiner, adjectives and a noun followed by a verb."""
    if index + 1 >= len(tokens):
        return False
    if tokens[index + 1].text.lower() in _SUBJECT_PRONOUNS and tags[index + 1] in ("PPER", "PIS"):
        return True
    if not noun_phrase:
        return False
    position = index + 1
    if tags[position] in DETERMINER_TAGS:
        position += 1
    while position < len(tags) and tags[position] == "ADJ(A)":
        position += 1
    return (
        position + 1 < len(tags)
        and position > index + 1
        and tags[position] in ("NN", "NE")
        and is_finite(tags[position + 1])
    )


def _clause_coordinator(tokens, tags, finite, end):
    """The first coordinator after ``finite`` that joins two clauses ("dass er kam und die
    Kinder lachten"): one right after a verb. A coordinator inside a phrase ("nach rechts
    oder links") does not end the clause."""
    for i in range(finite + 1, end):
        if (_is_coordinator(tokens[i].text) or tags[i] == "KON") and is_verb(tags[i - 1]):
            return i
    return None


def _is_coordinator(word):
    """ "und", "oder", … and their slash pairs ("und/oder")."""
    return all(part in COORDINATORS for part in word.lower().split("/"))


def _check_clause(text, tokens, tags, start, relative):
    span = _clause_span(tokens, tags, start, relative)
    if span is None:
        return None
    finite, end = span
    verb = tokens[finite]
    if not verb.text[:1].islower():
        return None  # a capitalised word read as a verb is more likely a noun
    cluster = _final_cluster(tags, finite, end)
    if (
        tags[finite].startswith("VV")
        and cluster == finite + 1
        and get_tagger().may_be_infinitive(verb.text)
    ):
        # only verbs from here to the end, the first one also an infinitive: a final
        # cluster whose infinitive HanTa read as the finite verb ("falls die Scans hängen
        # bleiben"), not "falls der Scan bleibt hängen"
        return None
    if tags[finite + 1] in ("NN", "NE", "ADJ(A)") and get_tagger().may_be_attributive(verb.text):
        return None  # a participle before its noun: "in der von Moskau unterstützte Truppen …"
    placed = _moved_verb(tokens, tags, finite, end, cluster)
    if placed is None:
        return None
    moved, body_end = placed
    first = tokens[start]
    clause_end = tokens[end - 1].end
    suggestion = (
        text[first.start : verb.start] + text[tokens[finite + 1].start : body_end] + " " + moved
    )
    kind = "relative clause" if relative else f"'{first.text}' clause"
    return Finding(
        first.start,
        clause_end,
        f"The finite verb '{verb.text}' should stand at the end of the {kind}.",
        suggestion,
    )


def _clause_span(tokens, tags, start, relative):
    """(index of the clause's first finite verb, end of the clause) when that verb stands
    before the clause's end where a verb-final clause needs it last; else None."""
    end = start + 1
    while end < len(tokens) and not is_boundary(tags[end]) and tags[end] not in _CLAUSE_STOP_TAGS:
        end += 1
    # The clause is tokens[start:end]; find its first finite verb.
    finite = next((i for i in range(start + 1, end) if is_finite(tags[i])), None)
    if finite is None or finite == end - 1:
        return None
    if not relative and finite == start + 1:
        return None  # no subject before the verb: "als wäre …" or a mis-read conjunction
    if relative and (finite == start + 1 or tags[start] == "PDS"):
        if not _embedded(tags, start, end, certain=tags[start] == "PDS"):
            # "…, das ist gut.", "…, dem stimme ich zu.": with the verb second, "das" or
            # "dem" is a demonstrative opening a main clause, unless the clause sits
            # inside another, where only a relative clause can
            return None
    coordinator = _clause_coordinator(tokens, tags, finite, end)
    if coordinator is not None:
        # coordinated clauses: "dass er kam und die Kinder lachten"; check the first one
        end = coordinator
        if finite == end - 1:
            return None
    return finite, end


def _final_cluster(tags, finite, end):
    """Where the verbs that close the clause ("nicht mehr brauchen") begin; ``end`` when
    there are none."""
    cluster = end
    while cluster - 1 > finite and (is_verb(tags[cluster - 1]) or tags[cluster - 1] == "PTKZU"):
        cluster -= 1
    return cluster


def _moved_verb(tokens, tags, finite, end, cluster):
    """(the verb as it belongs at the end, where the clause's body ends) when the finite
    verb at ``finite`` is misplaced; None when its place is right or unclear."""
    verb = tokens[finite]
    before = tags[finite - 1]
    rest = range(finite + 1, end)
    if cluster < end:
        if (
            (
                cluster == finite + 1
                and end - cluster > 1
                and (
                    tags[end - 1].startswith("VM")
                    or tokens[end - 1].text.lower() in _REPLACEMENT_INFINITIVES
                )
            )
            or not (tags[finite].startswith(("VA", "VM")) or _perception_verb(tags, cluster, end))
            or before not in _BEFORE_AUXILIARY
        ):
            # "dass er das Buch hat lesen können" is correct; "dass er kann kommen" is not
            return None
        return verb.text, tokens[end - 1].end
    if (
        tags[finite + 1] in _AFTER_MOVED_VERB
        and before in _BEFORE_VERB
        and not any(is_verb(tags[i]) or tags[i] == "PTKZU" for i in rest)
    ):
        if tags[end - 1] == "PTKVZ" and end - 2 > finite:
            return tokens[end - 1].text + verb.text, tokens[end - 2].end  # "ruft … an"
        return verb.text, tokens[end - 1].end
    return None


def _embedded(tags, start, end, certain=False):
    """Whether the clause ``tags[start:end]`` after a comma sits inside another clause, as
    only a relative clause can: the clause before the comma has no verb yet ("Die
    Kunden, die …, sind"), or a comma and a finite verb follow it ("…, sind zufrieden");
    with ``certain``, both."""
    comma = start - 1 if tags[start - 1] == "$," else start - 2
    opened = not any(is_verb(tag) for tag in tags[:comma])
    resumed = end + 1 < len(tags) and tags[end] == "$," and is_finite(tags[end + 1])
    return opened and resumed if certain else opened or resumed


def _perception_verb(tags, cluster, end):
    """A full verb with a bare infinitive at the clause's end, as after "sehen", "hören",
    "lassen": "dass man sieht einen Eisberg rollen" (not a zu-infinitive, which may
    follow: "dass er versucht das Auto zu reparieren")."""
    return end - cluster == 1 and tags[cluster] == "VV(INF)"
