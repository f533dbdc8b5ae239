"""preposition-case: a determiner or noun in a case the preposition does not take."""

from __future__ import annotations

import re

from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.stts import DETERMINER_TAGS
from mtcheck.flags.text import SegmentText

# Prepositions that take only the dative, and only the accusative. Two-way prepositions
# (in, an, auf, …) take either, and the genitive ones are often used with the dative
# ("wegen dem"), so neither group is checked. "gegenüber", "außer", "bis" and "seit" are
# left out too: they may follow their noun or open a clause ("seit die Preise fallen").
DATIVE = frozenset({"mit", "nach", "bei", "von", "zu", "aus"})
ACCUSATIVE = frozenset({"für", "durch", "gegen", "ohne", "um"})
# Determiners that can be no dative: nominative/accusative forms ("die", "das", "eine",
# "keine", "diese", "seine"). Genitive "des" may open a genitive before its noun ("von
# des Kaisers Bart"), so it is left alone. "ein" also begins fixed phrases
# ("mit ein paar Freunden", "mit ein bisschen Glück"), so it is checked apart.
_POSSESSIVE = r"(?:mein|dein|sein|ihr|unser|eur|euer|kein)"
# A bare "ihr" after a dative preposition is the pronoun ("aus ihr", dative of "sie")
# that the tagger may read as a possessive, so it is left out.
_NOT_DATIVE = re.compile(
    rf"(?!ihr$)(?:die|das|eine|{_POSSESSIVE}(?:e|es)?|(?:dies|jen|jed|welch)es?)"
)
# Determiners that can be no accusative: the dative forms in -em ("dem", "einem",
# "keinem", "diesem"). "der" is left alone ("um der Sache willen" takes the genitive).
_NOT_ACCUSATIVE = re.compile(rf"dem|einem|{_POSSESSIVE}em|(?:dies|jen|jed|welch)em")
_INDECLINABLE_AFTER_EIN = frozenset({"paar", "bisschen", "wenig"})
_SUPERLATIVE = ("ste", "sten")
# Plural endings that stay in the dative: a dative plural noun ends in -n or -s ("den
# Kindern", "den Autos"), except plurals in a vowel such as "Visa", "Taxis".
_DATIVE_PLURAL_END = tuple("nsaiouy")


@rule("preposition-case", "Fluency/Grammar", "minor", fix="unsafe")
def check(segment: SegmentText, context: Context):
    """A determiner or plural noun in a case its preposition does not govern ("mit die").

    mit, nach, bei, von, zu and aus take the dative; für, durch, gegen, ohne and um
    the accusative. Fires on a determiner right after such a preposition that cannot be
    in its case ("mit die Kinder", "für dem Team"), and on a dative plural "den" whose
    noun lacks the dative -n ("mit den Kinder" → "Kindern"). The preposition must be
    tagged as one (not "um … zu", not a verb particle). The span is the determiner (or the
    noun); two-way and genitive prepositions are not checked.

    Bad:  "Sie spielte mit die Kinder im Garten."
    Bad:  "Wir sprachen lange mit den Nachbar über den Zaun."
    Bad:  "Das ist ein Geschenk für dem Team."
    Good: "Sie spielte mit den Kindern und mit ein paar Freunden im Garten."
    Good: "Um der Sache willen kam er mit seinem Auto, ohne einen Plan."
    Good: "Nach den Ferien fährt er zu den Großeltern, seit die Preise fallen."
    Good: "Sie sprach mit ihr über das Projekt, das war mit das Schönste."
    """
    for tokens, tags in segment.tagged_sentences(DATIVE | ACCUSATIVE):
        for index in range(len(tokens) - 2):
            if tags[index] != "APPR":
                continue
            preposition = tokens[index].text.lower()
            finding = None
            if tags[index + 1] not in DETERMINER_TAGS:
                continue  # "mit ihr" (a pronoun), "zu dritt"
            if _glued_to_hyphen(segment.text, tokens[index + 1]):
                continue  # part of a compound: "zu Ein-/Ausgabefehlern"
            if preposition == "um" and _zu_infinitive_follows(tags, index):
                continue  # "Um dem Dienst das Schreiben zu erlauben": a conjunction
            if preposition in DATIVE:
                finding = dative_error(tokens, tags, index + 1)
            elif preposition in ACCUSATIVE:
                finding = accusative_error(tokens, index + 1)
            if finding is not None:
                yield finding


def _glued_to_hyphen(text, token):
    """Whether a hyphen or slash follows the word at once: the first part of a compound."""
    return text[token.end : token.end + 1] in ("-", "/")


def _zu_infinitive_follows(tags, index):
    """Whether a zu-infinitive follows in the clause of ``index`` (before a boundary)."""
    for tag in tags[index + 1 :]:
        if tag in ("PTKZU", "VV(IZU)"):
            return True
        if tag in ("$,", "$."):
            return False
    return False


def dative_error(tokens, tags, start) -> Finding | None:
    """A determiner at ``start`` that is no dative, or a dative plural noun without -n."""
    word = tokens[start].text
    lowered = word.lower()
    if tokens[start + 1].text.lower().endswith(_SUPERLATIVE):
        return None  # "mit" as an adverb: "das ist mit das Wichtigste", "mit die beste"
    if _NOT_DATIVE.fullmatch(lowered) or (
        lowered == "ein" and tokens[start + 1].text.lower() not in _INDECLINABLE_AFTER_EIN
    ):
        return Finding(
            tokens[start].start,
            tokens[start].end,
            f"The preposition takes the dative; “{word}” is no dative.",
        )
    if lowered == "den":
        return dative_plural_error(tokens, tags, start + 1)
    return None


def dative_plural_error(tokens, tags, start) -> Finding | None:
    """After a dative "den" (only ever plural), the noun that lacks the dative -n."""
    position = start
    while position < len(tokens) and tags[position] in ("ADJA", "CARD", "ADV"):
        position += 1
    if position >= len(tokens) or tags[position] != "NN":
        return None
    if position + 1 < len(tokens) and tokens[position + 1].text in ("-", "/"):
        return None  # a compound cut short: "mit den Protokoll- und Versionswerten"
    noun = tokens[position].text
    if not noun[-1:].islower() or noun.endswith(_DATIVE_PLURAL_END):
        return None
    return Finding(
        tokens[position].start,
        tokens[position].end,
        f"Dative plural after “den”: “{noun}” lacks the -n.",
        noun + "n",
    )


def accusative_error(tokens, start) -> Finding | None:
    """A determiner at ``start`` in the dative after an accusative preposition."""
    word = tokens[start].text
    if not _NOT_ACCUSATIVE.fullmatch(word.lower()):
        return None
    return Finding(
        tokens[start].start,
        tokens[start].end,
        f"The preposition takes the accusative; “{word}” is a dative.",
    )
