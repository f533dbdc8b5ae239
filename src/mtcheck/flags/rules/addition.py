"""addition: a German sentence with no English counterpart (alignment 1-0)."""

from __future__ import annotations

from collections.abc import Sequence

from mtcheck.flags.boilerplate import is_disclaimer, is_note, speaks_of_translation
from mtcheck.flags.links import LINKED, alignment_mistakes
from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.text import SegmentText

DISCLAIMER = "Machine-translation disclaimer added: it has no counterpart in the English."
NOTE = "Editor's or translator's note added: it has no counterpart in the English."
ADDED = "Sentence added: it has no counterpart in the English."


@rule("addition", "Accuracy/Addition", "major", scope="document", needs="alignment")
def check(texts: Sequence[SegmentText], contexts: Sequence[Context]):
    """A German sentence has no English counterpart: the translation added it.

    Fires on every 1-0 link of the sentence alignment (German that the aligner could join
    to no English sentence) of a document that has a reference; the span is the whole
    sentence. The message says what the sentence is when it reads as a
    machine-translation disclaimer ("maschinell übersetzt", "Übersetzung: DeepL", "für die
    Originalversion klicken Sie hier") or an editor's or translator's note ("Anmerkung der
    Redaktion:"). A disclaimer that the aligner joined to a neighbouring sentence (a 2-1
    link) is found too, when the English of that link says nothing about translation.
    Quiet where the alignment more likely erred (:mod:`mtcheck.flags.links`): an English
    sentence left unlinked close by, or a neighbouring link or paragraph whose English has
    the sentence's numbers or names, or whose German is too short by about that sentence
    (the German split a sentence or paragraph). Quiet without a reference; works without
    the back-translation model. The examples are paragraph pairs, aligned before the
    check.

    Bad:  "Die Brücke über die Elbe wird im Mai gesperrt. Dieser Text wurde automatisch übersetzt und kann Fehler enthalten." (reference: "The bridge over the Elbe will be closed in May.")
    Good: "Die Brücke über die Elbe wird im Mai gesperrt. Ingenieure hatten Risse in zwei Stahlstützen gefunden." (reference: "The bridge over the Elbe will be closed in May because engineers found cracks in two of its steel supports.")
    """  # noqa: E501  (one example a line, as the catalogue reads them)
    mistakes = alignment_mistakes(texts)
    for index, text in enumerate(texts):
        if text.alignment == "1-0" and index not in mistakes:
            sentence = text.text.strip()
            start = text.text.index(sentence)
            yield index, Finding(start, start + len(sentence), _message(sentence))
        elif text.alignment in LINKED:
            for start, end in _joined_disclaimers(text):
                yield index, Finding(start, end, DISCLAIMER)


def _message(sentence: str) -> str:
    if is_disclaimer(sentence):
        return DISCLAIMER
    if is_note(sentence):
        return NOTE
    return ADDED


def _joined_disclaimers(text: SegmentText) -> list[tuple[int, int]]:
    """Spans of the disclaimers among the German sentences of a link with several, when
    the link's English speaks of no translation."""
    if len(text.sentences) < 2 or speaks_of_translation(text.reference or ""):
        return []
    spans = []
    for first, last in text.sentences:
        start, end = text.tokens[first].start, text.tokens[last - 1].end
        if is_disclaimer(text.text[start:end]):
            spans.append((start, end))
    return spans
