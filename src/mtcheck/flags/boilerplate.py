"""Boilerplate that a translation adds: machine-translation disclaimers and editors' or
translators' notes, recognised by what they say (German), and English that speaks of
translation itself."""

from __future__ import annotations

import re

# What machine-translation disclaimers and their boilerplate say, by meaning:
# "translated" together with "by machine / automatically / by AI / by an MT engine" ...
_TRANSLATED = re.compile(r"übersetz\w*", re.I)
_BY_MACHINE = re.compile(
    r"\b(?:maschinell|automatisch|automatisiert|computergestützt|computergeneriert|"
    r"KI-gestützt|KI-generiert)\w*"
    r"|\bKI\b|künstliche[nr]? Intelligenz"
    r"|\b(?:DeepL|Google[ -](?:Translate|Übersetzer)|(?:Bing|Microsoft)[ -]Translator"
    r"|Amazon[ -]Translate|ChatGPT)\b",
    re.I,
)
# ... or "no guarantee that the translation is accurate", "may contain errors" ...
_NO_GUARANTEE = re.compile(
    r"\b(?:Gewähr\w*|Haftung|haften|Richtigkeit|Genauigkeit|Vollständigkeit|Ungenauigkeiten)\b"
    r"|\bFehler enthalten",
    re.I,
)
# ... or a pointer to the original: "for the original version click here", "the English
# version prevails".
_ORIGINAL = re.compile(
    r"\bOriginal(?:version|fassung|text|artikel|beitrag|sprache|dokument|seite|quelle)\w*"
    r"|\b(?:englisch|ursprünglich)\w* (?:Original\w*|Fassung|Version|Ausgabe)\b",
    re.I,
)
_POINTER = re.compile(
    r"\b(?:hier|klick\w*|Link|finden|lesen|abrufbar|verfügbar|maßgeblich|verbindlich|"
    r"gilt|gelten)\b",
    re.I,
)
# An editor's or translator's note labels itself: "Anmerkung der Redaktion:", "Anm. d. Ü.".
_NOTE = re.compile(
    r"^\W*(?:Anmerkung|Anm\.|Hinweis|Nachbemerkung)\s*(?:der|des|d\.)\s*"
    r"(?:Redaktion|Red\.|Übersetz\w*|Ü\.)",
    re.I,
)
# English that itself speaks of translation: a German disclaimer inside a link may be its
# translation.
_ENGLISH_TRANSLATION = re.compile(r"translat\w*|\boriginal\b", re.I)


def is_disclaimer(sentence: str) -> bool:
    """Whether a German sentence reads as a machine-translation disclaimer."""
    if _TRANSLATED.search(sentence) and (
        _BY_MACHINE.search(sentence) or _NO_GUARANTEE.search(sentence)
    ):
        return True
    return bool(_ORIGINAL.search(sentence) and _POINTER.search(sentence))


def is_note(sentence: str) -> bool:
    """Whether a German sentence opens as an editor's or translator's note."""
    return bool(_NOTE.search(sentence))


def speaks_of_translation(english: str) -> bool:
    """Whether English text mentions translation or an original (a German disclaimer may
    then translate it)."""
    return bool(_ENGLISH_TRANSLATION.search(english))
