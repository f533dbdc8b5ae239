"""possessive-gender: "sein"/"ihr" that refers back to a subject of the other gender."""

from __future__ import annotations

from mtcheck.flags.gender import FEM, MASC, NEUT, noun_phrase_readings
from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.text import SegmentText

# Sentence-initial articles that make the noun a singular nominative subject.
_SUBJECT_ARTICLES = {"der": MASC, "ein": None, "die": FEM, "eine": FEM, "das": NEUT}
# What may stand between the subject and the possessive without offering another
# antecedent: verbs, adverbs, particles, commas, prepositions and articles are fine;
# nouns, names and pronouns are not, nor a word that opens a new clause.
_STOP_TAGS = frozenset(
    {
        "NN",
        "NE",
        "PPER",
        "PRF",
        "PDS",
        "PIS",
        "PPOSS",
        "PRELS",
        "PRELAT",
        "PWS",
        "PWAV",
        "PWAT",
        "KOUS",
        "KON",
        "$.",
        "$(",
        "FM",
        "XY",
        "TRUNC",
    }
)
_NAMES = {MASC: "masculine", FEM: "feminine", NEUT: "neuter"}
_POSSESSIVE_ENDINGS = ("", "e", "en", "em", "er", "es")


@rule("possessive-gender", "Fluency/Grammar", "minor", fix="unsafe")
def check(segment: SegmentText, context: Context):
    """A possessive "sein"/"ihr" … "eigen" that does not match the subject's gender.

    Checks a sentence that opens with a singular subject whose gender is certain (the
    german-nouns lexicon, or a short list, gives the form one nominative reading: "Die
    Muttergesellschaft", "Der Konzern", not "Die See" or "Die Unternehmen") and later,
    with no other noun or pronoun in between, has "sein-"/"ihr-" followed by "eigen-":
    that phrase refers back to the subject, so a feminine subject needs "ihr-", a
    masculine or neuter one "sein-". The span is the possessive; the suggestion is the
    matching form.

    Bad:  "Die Muttergesellschaft soll versucht haben, seine eigenen Modelle zu bauen."
    Good: "Die Muttergesellschaft soll versucht haben, ihre eigenen Modelle zu bauen."
    Good: "Der Konzern baut seine eigenen Chips."
    Bad:  "Die Bibliothek hat seine eigenen Regeln."
    """
    for tokens, tags in segment.tagged_sentences(_has_eigen):
        finding = _check_sentence(tokens, tags)
        if finding is not None:
            yield finding


def _has_eigen(tokens):
    return any(token.text.lower().startswith("eigen") for token in tokens)


def _subject_gender(word):
    """The gender of a noun form that can only be a nominative singular of one gender;
    None for a form that may be plural ("Unternehmen") or of either gender ("See")."""
    readings = noun_phrase_readings(word)
    if readings is None:
        return None
    genders = {gender for gender, case in readings if case == "n"}
    if len(genders) != 1 or "p" in genders:
        return None
    return genders.pop()


def _check_sentence(tokens, tags):
    if len(tokens) < 4 or tags[0] != "ART" or tokens[0].text.lower() not in _SUBJECT_ARTICLES:
        return None
    index = 1
    while index < len(tokens) and tags[index] == "ADJ(A)":
        index += 1
    if index >= len(tokens) or tags[index] != "NN":
        return None
    gender = _subject_gender(tokens[index].text)
    if gender is None:
        return None
    head = tokens[index]
    article = tokens[0].text.lower()
    wanted = _SUBJECT_ARTICLES[article]
    if article == "ein":
        if gender == FEM:
            return None
    elif wanted != gender:
        return None  # "Der Firma …": a dative or genitive, not the subject
    index += 1
    while index < len(tokens) and tags[index] == "NE":  # "Die Muttergesellschaft ByteDance"
        index += 1
    for position in range(index, len(tokens) - 1):
        word = tokens[position].text
        lowered = word.lower()
        if tags[position] == "PPOSAT" and word.islower():
            stem = next((s for s in ("sein", "ihr") if lowered.startswith(s)), None)
            ending = lowered[len(stem) :] if stem else None
            if (
                stem is None
                or ending not in _POSSESSIVE_ENDINGS
                or not tokens[position + 1].text.lower().startswith("eigen")
            ):
                return None
            right = "ihr" if gender == FEM else "sein"
            if stem == right:
                return None
            token = tokens[position]
            return Finding(
                token.start,
                token.end,
                f"'{word}' refers back to the {_NAMES[gender]} subject "
                f"'{head.text}': use '{right}{ending}'.",
                right + ending,
            )
        if tags[position] in _STOP_TAGS:
            return None
    return None
