"""number-mismatch: a number of the reference missing or changed in the German."""

from __future__ import annotations

import re

from mtcheck.flags.markup import find_markup
from mtcheck.flags.numbers import (
    english_numbers,
    format_german,
    german_multiplier,
    german_numbers,
    same_number,
)
from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.text import SegmentText

# Imperial units: a translation converts them ("200 feet" -> "60 Meter"), so their
# numbers are not compared.
_IMPERIAL_RE = re.compile(
    r"\s*-?\s*(?:feet|foot|ft\b|miles?\b|inch(?:es)?\b|pounds?\b|lbs?\b|ounces?\b|oz\b|"
    r"gallons?\b|yards?\b|acres?\b|mph\b|°\s?F\b|degrees? Fahrenheit)",
    re.IGNORECASE,
)
_NUMERAL_RE = re.compile(r"\d+(?:[.,:\u00a0\u202f\u2009]\d+)*")
# "1 file" is "eine Datei": a form of the German indefinite article says one.
_GERMAN_ONE = re.compile(r"(?<!\w)(?:ein|eine|einen|einem|einer|eines)(?!\w)", re.IGNORECASE)


@rule("number-mismatch", "Accuracy/Mistranslation", "major", fix="unsafe")
def check(segment: SegmentText, context: Context):
    """A number in the reference that is missing or changed in the German.

    Numbers are compared after locale normalisation: "20 million" = "20 Millionen",
    "25%" = "25 %" = "25 Prozent", "$418" = "418 USD", "6.5" = "6,5", "1,000" = "1.000",
    "6 p.m." = "18 Uhr", and English number words ("two") match German digits or words.
    Only numbers the reference writes in digits are required; ordinals ("4th") and number
    words are compared but never reported missing, so "fourth-quarter" beside "vierten
    Quartal" is fine. A changed number is flagged on the German number, with the
    reference's value in German notation as the suggestion; a missing one on the whole
    segment. Numbers of imperial units ("200 feet", "5 miles") are skipped: a translation
    converts them. Needs a reference.

    Bad:  "Sie gibt monatlich 30 Millionen Dollar aus." (reference: "20 million dollars")
    Good: "Sie gibt monatlich 20 Millionen Dollar aus." (reference: "20 million dollars")
    """
    if not segment.reference:
        return
    reference = segment.reference
    english = [
        n
        for n in _outside_markup(english_numbers(reference), reference)
        if not _IMPERIAL_RE.match(reference, n.end)
    ]
    if not english:
        return
    german = _outside_markup(german_numbers(segment.text), segment.text)
    missing, used = _unmatched(english, german)
    missing = [n for n in missing if not _written_alike(n, segment.text)]
    if not missing:
        return
    missing.sort(key=lambda n: n.start)
    evidence = [g for i, g in enumerate(german) if i not in used and g.digits and not g.ordinal]
    for number in missing:
        if evidence:
            found = evidence.pop(0)
            yield Finding(
                found.start,
                found.end,
                f"The reference says '{number.text}' but the German says '{found.text}'.",
                _suggest(number, found),
            )
        else:
            text = segment.text
            start = len(text) - len(text.lstrip())
            yield Finding(
                start,
                len(text.rstrip()),
                f"The number '{number.text}' in the reference is missing from the German.",
            )


def _unmatched(english, german) -> tuple[list, set[int]]:
    """The required English numbers no German number matches, and the indices of the
    German numbers that matched. Numbers in digits (no ordinals) are required; the others
    only take their German match away from the rest."""
    used: set[int] = set()
    missing = []
    required = [n for n in english if n.digits and not n.ordinal]
    optional = [n for n in english if not (n.digits and not n.ordinal)]
    for group, report in ((required, True), (optional, False)):
        # The numbers with fewest candidates choose first.
        order = sorted(group, key=lambda e: sum(_same(e, g) for g in german))
        for number in order:
            match = next(
                (i for i, g in enumerate(german) if i not in used and _same(number, g)), None
            )
            if match is not None:
                used.add(match)
            elif report:
                missing.append(number)
    return missing, used


def _written_alike(english, text: str) -> bool:
    """Whether the German writes the English number's digits as they are where the number
    reader does not see a number: inside a compound or a code ("Word-2007-Dokument",
    "ISO-8601", "PGP2"), or, for a bare 1, as the article "ein" ("1 file": "eine Datei").
    Not a number with a currency or percent sign, which German writes apart; one with a
    multiplier only as written whole ("1K", "234M")."""
    numeral = _NUMERAL_RE.search(english.text)
    if numeral is None or english.percent or english.currency:
        return False  # "£44m" and "5%" must be converted, not copied
    # With a multiplier the whole of it must stand there ("1K", "234M"), not the digits.
    written = numeral.group() if english.multiplier == 1.0 else english.text
    if re.search(rf"(?<![\d.,]){re.escape(written)}(?![.,]?\d)", text):
        return True
    plain_one = english.values == {1.0} and english.multiplier == 1.0
    return plain_one and _GERMAN_ONE.search(text) is not None


def _same(english, german) -> bool:
    """``same_number``, or the same digits as written where neither has a value to compare
    (a version or a date such as "5.0.3" or "2024-01-31" is copied, not converted)."""
    if same_number(english, german):
        return True
    return not english.values and not german.values and english.text == german.text


def _outside_markup(numbers, text: str) -> list:
    """The numbers that are no part of a placeholder, URL, tag or inline code ("%.250s",
    "%-10s"): markup-mismatch compares those whole."""
    spans = [(item.start, item.end) for item in find_markup(text)]
    return [n for n in numbers if not any(s < n.end and n.start < e for s, e in spans)]


def _suggest(english, german) -> str | None:
    """The English value written like the German span ("30 Millionen" -> "20 Millionen")."""
    values = sorted(v for v in english.values if isinstance(v, float))
    numeral = _NUMERAL_RE.search(german.text)
    if not values or numeral is None:
        return None
    if german.multiplier != 1.0 and english.multiplier not in (1.0, german.multiplier):
        # "3 Billionen" for "3 billion": name the right multiplier.
        base = min(english.bases)
        return f"{format_german(base)} {german_multiplier(english.multiplier, base)}"
    return format_german(values[0] / german.multiplier) + german.text[numeral.end() :]
