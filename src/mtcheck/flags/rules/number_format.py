"""number-format: English number formats in German, and mixed percent styles."""

from __future__ import annotations

import re
from collections import Counter

from mtcheck.flags.language import in_code_chunk
from mtcheck.flags.markup import find_markup
from mtcheck.flags.numbers import german_numbers
from mtcheck.flags.registry import Finding, rule

_NUMERAL_RE = re.compile(r"\d+(?:[.,:\u00a0\u202f\u2009]\d+)*")
# A decimal point is only read as English when a unit, currency or percent makes the
# number a quantity; "Python 3.11", "Web 2.0" and "18.30 Uhr" are left alone.
_QUANTITY_AFTER = re.compile(
    r"\s?(?:%|Prozent|Prozentpunkte|Punkte|Mio\b|Millionen|Million|Milliarden|Milliarde|Mrd\b"
    r"|Euro|Dollar|US-Dollar|USD|EUR|Pfund|Franken|Cent|€|\$|£|Kilo|Meter|km|kg|Tonnen"
    r"|Grad|Jahre|Stunden|Minuten)"
)
_CURRENCY_WORDS = {"$": "Dollar", "US$": "US-Dollar", "€": "Euro", "£": "Pfund"}


@rule("number-format", "Locale convention", "minor", scope="document", fix="safe")
def check(segments, contexts):
    """English number formats in German, and percentages written two ways in a document.

    Flags a percent sign without the space ("25%" -> "25 %"), a decimal point in a
    quantity ("6.5 Millionen" -> "6,5 Millionen"), English thousands separators
    ("1,000,000" -> "1.000.000"; a single group such as "1,000" only when the reference
    writes it so too), and a currency sign before the amount ("$418" -> "418 Dollar").
    Across the document, when percentages are written both as "%" and as "Prozent", the
    rarer style is flagged. The span is the number with its sign or word.

    Bad:  "Die Aktie fiel um 6.5%, nachdem sie zuvor um 6 % gestiegen war."
    Good: "Die Aktie fiel um 6,5 %, nachdem sie zuvor um 6 % gestiegen war."
    """
    numbers = [german_numbers(segment.text) for segment in segments]
    styles = Counter()
    spaced_example = None
    for found in numbers:
        for number in found:
            if number.percent is not None:
                style = _percent_style(number.percent)
                styles[style] += 1
                if style == "space" and spaced_example is None:
                    spaced_example = number.text
    for index, (segment, found) in enumerate(zip(segments, numbers, strict=True)):
        code = [(item.start, item.end) for item in find_markup(segment.text)]
        for number in found:
            if number.digits and not _in_code(segment.text, number, code):
                finding = _check_number(segment, number, spaced_example)
                if finding is not None:
                    yield index, finding
    yield from _mixed_percent_styles(segments, numbers, styles)


def _in_code(text: str, number, code) -> bool:
    """A number of code, not prose: part of a placeholder ("\\0%c") or of a code-like chunk
    ("CPUQuota=20%", "10%/1min"); code keeps its own notation."""
    start = number.start - len(number.currency or "")
    if any(s < number.end and start < e for s, e in code):
        return True
    return in_code_chunk(text, start, number.end, number=True)


def _percent_style(percent: str) -> str:
    if percent == "Prozent":
        return "word"
    return "space" if percent[:1].isspace() else "glued"


def _check_number(segment, number, spaced_example):
    text = segment.text
    numeral_match = _NUMERAL_RE.match(number.text)
    if numeral_match is None:
        return None
    numeral = numeral_match.group()
    tail = number.text[numeral_match.end() :]
    start = number.start - len(number.currency or "")
    problems = []
    new_numeral = numeral
    quantity = bool(
        number.currency
        or number.percent
        or number.multiplier != 1.0
        or _QUANTITY_AFTER.match(text, number.end)
    )
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+\.\d+|\d{1,3}(?:,\d{3}){2,}", numeral) or (
        re.fullmatch(r"\d{1,3},\d{3}", numeral)
        and segment.reference
        and re.search(rf"(?<![\d.,]){re.escape(numeral)}(?![\d,]|\.\d)", segment.reference)
    ):
        new_numeral = numeral.replace(",", "\0").replace(".", ",").replace("\0", ".")
        problems.append("English thousands separators")
    elif quantity and re.fullmatch(r"\d+\.(?:\d{1,2}|\d{4,})", numeral):
        new_numeral = numeral.replace(".", ",")
        problems.append("a decimal point instead of a decimal comma")
    new_tail = tail
    if number.percent is not None and _percent_style(number.percent) == "glued":
        new_tail = " %"
        problems.append("no space before '%'")
    suffix = ""
    if number.currency:
        suffix = " " + _CURRENCY_WORDS[number.currency]
        problems.append(f"the currency sign '{number.currency}' before the amount")
    if not problems:
        return None
    message = f"English number format: {_join(problems)}."
    if "no space before '%'" in problems and spaced_example:
        message = (
            f"English number format: {_join(problems)}; this document writes "
            f"'{spaced_example}' elsewhere."
        )
    return Finding(start, number.end, message, new_numeral + new_tail + suffix)


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _mixed_percent_styles(segments, numbers, styles):
    """'6 %' beside '6 Prozent': flag the rarer of the two German styles."""
    space, word = styles["space"], styles["word"]
    if not space or not word or space == word:
        return
    minority = "word" if word < space else "space"
    majority_count = max(space, word)
    for index, found in enumerate(numbers):
        for number in found:
            if number.percent is None or _percent_style(number.percent) != minority:
                continue
            numeral = _NUMERAL_RE.match(number.text)
            if numeral is None:
                continue
            if minority == "word":
                suggestion, wanted = numeral.group() + " %", "'%'"
            else:
                suggestion, wanted = numeral.group() + " Prozent", "'Prozent'"
            yield (
                index,
                Finding(
                    number.start,
                    number.end,
                    f"Percentages are written with {wanted} elsewhere in this document "
                    f"({majority_count} times).",
                    suggestion,
                ),
            )
