"""Numbers in English and German text, normalised so that they can be compared.

"20 million" and "20 Millionen", "25%" and "25 Prozent", "$418" and "418 USD", "6.5" and
"6,5", "1,000" and "1.000" all read as the same value. A number keeps every reading its
text allows ("1.000" in German text may be an English 1.0 left untranslated), so that a
comparison never fails on an ambiguity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_EN_MULTIPLIERS = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_DE_MULTIPLIERS = {
    "tausend": 1e3,
    "tsd.": 1e3,
    "million": 1e6,
    "millionen": 1e6,
    "mio.": 1e6,
    "mio": 1e6,
    "milliarde": 1e9,
    "milliarden": 1e9,
    "mrd.": 1e9,
    "mrd": 1e9,
    "billion": 1e12,
    "billionen": 1e12,
}
_EN_WORDS = {
    "zero": 0,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a": 1,
    "an": 1,
    "one": 1,
}
_DE_WORDS = {
    "null": 0,
    "eins": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
    "zehn": 10,
    "elf": 11,
    "zwölf": 12,
    "zwanzig": 20,
    "dreißig": 30,
    "vierzig": 40,
    "fünfzig": 50,
    "sechzig": 60,
    "siebzig": 70,
    "achtzig": 80,
    "neunzig": 90,
    "hundert": 100,
    "tausend": 1000,
}
_DE_ARTICLE_ONE = ("einem", "einen", "einer", "eine", "ein")

_DIGITS = r"\d{1,2}:\d{2}(?!\d)|\d+(?:[.,\u00a0\u202f\u2009]\d+)*"
_EN_RE = re.compile(
    r"(?P<cur>US\$|\$|€|£)?"
    rf"(?P<num>{_DIGITS}|\.\d+)"
    r"(?:(?P<abbr>k|m|mn|mln|bn|b|tn)\b"
    r"|(?P<suf>st|nd|rd|th|s)?(?![\w])"
    r"(?P<tail>\s?%|\s?percent\b|\s?per\s?cent\b"
    r"|[\s-]?(?:thousand|million|billion|trillion)\b)?)"
    r"(?P<ampm>\s?[ap]\.?m\.?(?!\w))?",
    re.IGNORECASE,
)
_EN_WORD_RE = re.compile(
    r"\b(?P<word>" + "|".join(sorted(_EN_WORDS, key=len, reverse=True)) + r")"
    r"(?P<tail>[\s-](?:thousand|million|billion|trillion)\b)?(?![\w-])",
    re.IGNORECASE,
)
_DE_RE = re.compile(
    r"(?P<cur>US\$|\$|€|£)?"
    rf"(?P<num>{_DIGITS})"
    r"(?P<suf>er|ern|ers)?(?![\w])"
    r"(?P<tail>\s?%|\s?Prozent\b"
    r"|\s(?:Tausend|Millionen|Million|Mio\.|Mio\b|Milliarden|Milliarde|Mrd\.|Mrd\b"
    r"|Billionen|Billion|Tsd\.))?"
)
_DE_WORD_RE = re.compile(
    r"(?<![\w-])(?P<word>"
    + "|".join(sorted(_DE_WORDS, key=len, reverse=True))
    + r"|"
    + "|".join(_DE_ARTICLE_ONE)
    + r")"
    r"(?P<rest>[a-zäöüß]*)"
    r"(?P<tail>\s(?:Tausend|Millionen|Million|Mio\.|Milliarden|Milliarde|Mrd\.|Billionen"
    r"|Billion)(?!\w))?",
    re.IGNORECASE,
)
_MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
    "Quartal",
    "Jahrhundert",
)


@dataclass(frozen=True)
class Number:
    start: int  # span of the number in its text, with any multiplier or percent word
    end: int
    text: str
    values: frozenset  # every value the text may mean (floats; times as ("t", h, m))
    bases: frozenset  # the same without the multiplier
    multiplier: float = 1.0
    percent: str | None = None  # "%", " %", "Prozent", "percent" as written
    currency: str | None = None  # a currency sign written before the number
    digits: bool = True  # written in digits (not as a word)
    ordinal: bool = False  # "4th", "5. März": compared, but not required or blamed


def _key(value: float) -> float:
    return round(value, 6)


def _group_digits(text: str) -> str | None:
    """Digits grouped by (narrow) no-break or thin spaces, joined: "20 000" -> "20000"."""
    if re.fullmatch(r"\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+", text):
        return re.sub(r"\D", "", text)
    return None


def english_readings(text: str) -> set[float]:
    grouped = _group_digits(text)
    if grouped is not None:
        return {float(grouped)}
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d*\.?\d+", text):
        return {float(text.replace(",", ""))}
    return german_readings(text, lenient=False)


def german_readings(text: str, lenient: bool = True) -> set[float]:
    """Values of a German digit string; with ``lenient`` also its English readings."""
    grouped = _group_digits(text)
    if grouped is not None:
        return {float(grouped)}
    values = set()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?", text):
        values.add(float(text.replace(".", "").replace(",", ".")))
    if lenient and re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+", text):
        values.add(float(text.replace(",", "")))
    return values


def _times(text: str) -> set[tuple]:
    match = re.fullmatch(r"(\d{1,2})[.:](\d{2})", text)
    if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
        return {("t", int(match.group(1)), int(match.group(2)))}
    return set()


def _part_of_word(text: str, start: int) -> bool:
    """A digit run glued to letters before it: "Q4", "FY24", "COVID-19"."""
    if start == 0:
        return False
    before = text[start - 1]
    if before.isalnum() or before in "_.,":
        return True
    return before == "-" and start >= 2 and text[start - 2].isalpha()


def english_numbers(text: str) -> list[Number]:
    numbers = []
    for match in _EN_RE.finditer(text):
        if _part_of_word(text, match.start()):
            continue
        start = match.start("num") if match.group("cur") is None else match.start()
        raw = match.group("num")
        suffix = (match.group("suf") or "").lower()
        tail = re.sub(r"\s+", " ", match.group("tail") or match.group("abbr") or "")
        tail = tail.strip(" -").lower()
        multiplier = _EN_MULTIPLIERS.get(tail, 1.0)
        bases = {_key(v) for v in english_readings(raw)}
        values = {_key(v * multiplier) for v in bases} | _times(raw)
        if match.group("ampm"):
            if match.group("ampm").strip().lower().startswith("p"):
                values |= {_key(v + 12) for v in bases if v < 13}
                values |= {("t", t[1] + 12, t[2]) for t in _times(raw)}
        end = match.end()
        numbers.append(
            Number(
                start,
                end,
                text[start:end],
                frozenset(values),
                frozenset(bases),
                multiplier,
                percent=tail if tail in ("%", "percent", "per cent") else None,
                currency=match.group("cur"),
                ordinal=suffix in ("st", "nd", "rd", "th"),
            )
        )
    for match in _EN_WORD_RE.finditer(text):
        word = match.group("word").lower()
        tail = (match.group("tail") or "").strip(" -").lower()
        if word in ("a", "an", "one") and not tail:
            continue  # only "a million", "one billion"
        numbers.append(_word_number(match, _EN_WORDS[word], _EN_MULTIPLIERS.get(tail, 1.0)))
    return numbers


def german_numbers(text: str) -> list[Number]:
    numbers = []
    for match in _DE_RE.finditer(text):
        if _part_of_word(text, match.start()):
            continue
        raw = match.group("num")
        tail_raw = match.group("tail") or ""
        tail = tail_raw.strip().lower()
        multiplier = _DE_MULTIPLIERS.get(tail, 1.0)
        bases = {_key(v) for v in german_readings(raw)}
        values = {_key(v * multiplier) for v in bases} | _times(raw)
        end = match.end()
        after = text[end : end + 16]
        ordinal = bool(re.match(r"\.\s+(?:[a-zäöüß]|(?:" + "|".join(_MONTHS) + r")\b)", after))
        percent = None
        if tail in ("%", "prozent"):
            percent = tail_raw if tail == "%" else "Prozent"
        start = match.start("num")
        numbers.append(
            Number(
                start,
                end,
                text[start:end],
                frozenset(values),
                frozenset(bases),
                multiplier,
                percent=percent,
                currency=match.group("cur"),
                ordinal=ordinal,
            )
        )
    for match in _DE_WORD_RE.finditer(text):
        word = match.group("word").lower()
        tail = (match.group("tail") or "").strip().lower()
        rest = match.group("rest").lower()
        if word in _DE_ARTICLE_ONE:
            if word + rest == "eineinhalb":
                base = 1.5  # "eineinhalb Millionen"
            elif not tail or rest:
                continue  # "eine Million", not the article alone
            else:
                base = 1
        else:
            base = _compound_value(_DE_WORDS[word], rest)
        numbers.append(_word_number(match, base, _DE_MULTIPLIERS.get(tail, 1.0)))
    return numbers


def _word_number(match: re.Match, base: float, multiplier: float) -> Number:
    """A number written in words ("two million", "zweieinhalb Millionen")."""
    return Number(
        match.start(),
        match.end(),
        match.group(),
        frozenset({_key(base * multiplier)}),
        frozenset({_key(base)}),
        multiplier,
        digits=False,
    )


_DE_TENS = {word: value for word, value in _DE_WORDS.items() if 20 <= value <= 90}


def _compound_value(base: float, rest: str) -> float:
    """The value of a number word written as ``base`` followed by ``rest``: "zweieinhalb"
    2.5, "dreizehn" 13, "vierundzwanzig" 24, "dreihundert" 300; in any other compound the
    number word's own value ("Zehnjahreshoch" 10, as in "10-year high")."""
    if not rest:
        return base
    if rest == "einhalb":
        return base + 0.5
    if rest == "zehn" and 3 <= base <= 9:
        return base + 10
    if rest.startswith("und") and rest[3:] in _DE_TENS and base < 10:
        return base + _DE_TENS[rest[3:]]
    if rest in ("hundert", "tausend") and base < 100:
        return base * (100 if rest == "hundert" else 1000)
    return base


def same_number(english: Number, german: Number) -> bool:
    """Whether two numbers may say the same; a multiplier written on one side only is
    forgiven ("20 million" and "20" in "20 Mio. Dollar" read apart)."""
    if english.values & german.values:
        return True
    return (english.multiplier == 1.0 or german.multiplier == 1.0) and bool(
        english.bases & german.bases
    )


def format_german(value: float) -> str:
    """A value in German notation: 6.5 -> "6,5", 20000 -> "20.000"."""
    if value == int(value):
        whole = int(value)
        return f"{whole:,}".replace(",", ".") if abs(whole) >= 10000 else str(whole)
    return f"{value:.6f}".rstrip("0").replace(".", ",")


_DE_MULTIPLIER_WORDS = {
    1e3: ("Tausend", "Tausend"),
    1e6: ("Million", "Millionen"),
    1e9: ("Milliarde", "Milliarden"),
    1e12: ("Billion", "Billionen"),
}


def german_multiplier(multiplier: float, base: float) -> str:
    singular, plural = _DE_MULTIPLIER_WORDS[multiplier]
    return singular if base == 1 else plural
