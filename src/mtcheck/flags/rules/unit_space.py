"""unit-space: a number glued to its unit ("1000MW", "5km")."""

from __future__ import annotations

import re

from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.text import SegmentText

# Unit symbols of measures (SI and common ones). A number joined to one of them is a
# quantity; "3D", "5G", "4K" and "90er" are names or words and not in the list.
_UNITS = (
    "W kW MW GW TW Wh kWh MWh GWh TWh V kV mV A mA Hz kHz MHz GHz "
    "m km cm mm µm nm m² km² m³ g kg mg t l ml cl dl hl "
    "B kB KB MB GB TB PB Mbit Gbit ha PS"
).split()
_UNIT = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
# The English abbreviations of million and billion after a currency sign: "£44m", "$3bn".
_MONEY_ABBREVIATIONS = {"m": "Mio.", "bn": "Mrd.", "million": "Mio.", "billion": "Mrd."}
_MONEY_ONLY = ("bn", "million", "billion")  # no unit without a currency sign before
# Not after "%" (a printf width: "%10.10A", "%-7l"), "+" ("U+003B") or "-" after "%".
_GLUED_UNIT = re.compile(
    rf"(?<![\w.,%+])(?<!%-)(?P<currency>[$£€]\s?)?(?P<number>\d+(?:[.,]\d+)*)"
    rf"(?P<unit>million|billion|bn|{_UNIT})(?![\w²³])"
)
# No quantity: a version ("3.1.2A", groups that are no thousands) or a code with leading
# zeros ("003B").
_NOT_QUANTITY = re.compile(r"\d+\.\d+\.\d+|0\d+")


@rule("unit-space", "Fluency/Punctuation", "minor", fix="safe")
def check(segment: SegmentText, context: Context):
    """A number glued to its unit ("1000MW", "5km"); German sets a space ("1000 MW").

    German typesetting (DIN 5008) puts a space between a number and its unit symbol.
    Fires on a number directly followed by a unit symbol (W, kW, MW, kWh, V, Hz, m, km,
    kg, l, MB, GB, …). After a currency sign, "m" and "bn" are the English abbreviations
    of million and billion ("£44m"), and "million" and "billion" the English words glued
    on ("£5million"); the suggestion is "44 Mio.". Names such as "3D",
    "5G" or "4K" and words such as "90er" are left alone.

    Bad:  "Das Kraftwerk liefert 600MW, genug für die Region."
    Bad:  "Der Verein zahlte £12m für den Stürmer."
    Bad:  "Der Kredit über £5million läuft bis Sommer."
    Good: "Das Kraftwerk liefert 600 MW für die Region, die 3D-Karte zeigt es."
    Good: "In den 90er Jahren kam 5G noch nicht vor."
    """
    for match in _GLUED_UNIT.finditer(segment.text):
        unit = match["unit"]
        if _NOT_QUANTITY.fullmatch(match["number"]) and not _thousands(match["number"]):
            continue
        if match["currency"] and unit in _MONEY_ABBREVIATIONS:
            suggestion = f"{match['number']} {_MONEY_ABBREVIATIONS[unit]}"
            message = f"English abbreviation of an amount: German writes {suggestion}"
        elif unit in _MONEY_ONLY:
            continue
        else:
            suggestion = f"{match['number']} {unit}"
            message = "A number and its unit are written apart."
        yield Finding(match.start("number"), match.end("unit"), message, suggestion)


def _thousands(number: str) -> bool:
    """Whether ``number`` groups its digits by thousands ("1.000.000")."""
    return re.fullmatch(r"\d{1,3}(?:\.\d{3})+", number) is not None
