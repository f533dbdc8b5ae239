"""capitalised-word: a verb, pronoun or article capitalised after a comma."""

from __future__ import annotations

from mtcheck.flags.nouns import is_common_noun_form
from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.tagger import get_tagger
from mtcheck.flags.text import SegmentText

# Word classes that German writes in lower case inside a sentence and that never begin a
# name or a title: finite verbs and personal pronouns. Articles do begin titles ("Der
# Spiegel", "Die Zeit") and place names ("Den Haag"), so only the dative and genitive
# article forms, which titles and names do not open, count.
_LOWER_CLASSES = frozenset({"VV(FIN)", "VA(FIN)", "VM(FIN)", "PPER"})
_OBLIQUE_ARTICLES = frozenset({"einem", "einer", "eines", "dem", "des"})
# The polite pronoun of address is capitalised anywhere: "…, Sie", "…, Ihnen".
_POLITE = frozenset({"sie", "ihr", "ihnen", "ihre", "ihren", "ihrem", "ihrer", "ihres"})
_AFTER = frozenset({","})


@rule("capitalised-word", "Fluency/Spelling", "minor", fix="unsafe")
def check(segment: SegmentText, context: Context):
    """A word capitalised after a comma although German writes it in lower case there
    ("…, Kündigte der Polizeichef an").

    After a comma a German sentence goes on in lower case, except for nouns, names and
    the polite "Sie". Fires on a capitalised word right after a comma that HanTa's
    lexicon knows only as a finite verb or a personal pronoun, with no noun reading, and
    that the tagger does not read as a noun or a name in its sentence; or on a dative or
    genitive article ("Einem", "Des") before a common noun of the german-nouns lexicon
    ("Des Moines" is a name). The
    span is the word; the suggestion is the word in lower case.

    Bad:  "Ihm werden drei Fälle vorgeworfen, Kündigte der Polizeichef an."
    Bad:  "Die Aussage von Prigoschin, Einem Millionär, sorgte für Aufsehen."
    Good: "Ihm werden drei Fälle vorgeworfen, kündigte der Polizeichef an."
    Good: "Wir danken Ihnen, Sie waren eine große Hilfe."
    Good: "Er flog nach Chicago, Des Moines und Denver."
    Good: "Das berichteten Medien in Berlin, Den Haag und Paris, Der Spiegel schrieb es zuerst."
    """
    tagger = get_tagger()
    for tokens, tags in segment.tagged_sentences(_has_capital_after_comma):
        for index in range(1, len(tokens)):
            token = tokens[index]
            if tokens[index - 1].text not in _AFTER or not _capitalised(token.text):
                continue
            lowered = token.text.lower()
            if lowered in _POLITE:
                continue
            if lowered in _OBLIQUE_ARTICLES:
                # The tagger reads a capitalised article before a noun as a name part.
                following = tokens[index + 1].text if index + 1 < len(tokens) else ""
                wrong = "ART" in (tagger.lexicon_tags(token.text) or ()) and (
                    is_common_noun_form(following)
                )
            else:
                wrong = tags[index] not in ("NN", "NE") and _lower_case_only(
                    tagger.lexicon_tags(token.text)
                )
            if wrong:
                fixed = token.text[0].lower() + token.text[1:]
                yield Finding(
                    token.start,
                    token.end,
                    f"German writes “{fixed}” in lower case after a comma.",
                    fixed,
                )


def _has_capital_after_comma(tokens) -> bool:
    return any(
        tokens[i - 1].text in _AFTER and _capitalised(tokens[i].text) for i in range(1, len(tokens))
    )


def _capitalised(word: str) -> bool:
    """A word with a capital first letter and lower-case letters after it ("Kündigte",
    not "EU" or "iPhone")."""
    return len(word) > 1 and word[0].isupper() and word[1:].islower()


def _lower_case_only(readings: frozenset[str] | None) -> bool:
    """Whether the lexicon's readings make the word one German writes in lower case."""
    if not readings or readings & {"NN", "NNA", "ADJ(A)", "ADJ(D)"}:
        return False
    return bool(readings & _LOWER_CLASSES)
