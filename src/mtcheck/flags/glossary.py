"""A terminology glossary (CSV or TBX) and how its terms are found in English and German.

File formats
------------
CSV (``.csv``; ``.tsv`` is tab-separated; a ``.csv`` whose header has ``;`` and no comma is
read with ``;``), UTF-8 (a BOM is fine), a header row naming at least ``english`` and
``german``; an optional ``status`` column holds ``preferred`` (the default), ``admitted`` or
``forbidden``; other columns (notes) are ignored. Either cell may list alternatives
separated by ``|``. Rows that share an English term form one entry. A ``forbidden`` row
names German terms that must not be used: with an ``english`` cell, for that entry (its
preferred German term is then the suggestion); with an empty ``english`` cell, on its own.
Blank lines and lines starting with ``#`` are skipped::

    english,german,status
    AI|artificial intelligence,KI|künstliche Intelligenz,
    AI,AI,forbidden
    data center,Rechenzentrum,

TBX (``.tbx`` or ``.xml``; ISO 30042 TBX-Basic / TBX-Core: v2 ``termEntry`` > ``langSet`` >
``tig``/``ntig``, or v3 ``conceptEntry`` > ``langSec`` > ``termSec``), parsed with defusedxml
(no DTD entities, no external references). Each entry's ``langSet``/``langSec`` with
``xml:lang`` "en…" gives the English terms, with
"de…" the German terms; a ``termNote`` ``administrativeStatus`` (or ``normativeAuthorization``)
starting with "deprecated", "superseded" or "forbidden" marks a German term forbidden,
anything else (preferredTerm-admn-sts, admittedTerm-admn-sts, none) allowed.

Matching
--------
English (in the reference): whole words, case-insensitive, the last word also in a simple
plural (-s, -es, -y → -ies); an all-capitals term ("AI", "IT") matches case-sensitively,
so "IT" does not match "it".

German allowed terms (in the target), tolerant of inflection and compounds: each word of the
term matches a word (or a part of a hyphenated compound) that starts with the term word's
stem (the word less a final -e, -a, -um or -us: "Grenze" matches "Grenzen", "Firma"
"Firmen", "Zentrum" "Zentren", "Modell" "Modellen") or that ends with the term word or its
stem plus an optional ending (compounds: "Sprachmodell" contains "Modell"); case-insensitive.
Umlaut plurals ("Haus"/"Häuser") are not recognised: list them as alternatives. An
all-capitals term ("KI") matches case-sensitively as a word or a part of a hyphenated
compound, with an optional plural "s" ("KI-Modelle", "Cloud-KI", "KIs"; not "Kinder").

German forbidden terms are matched more strictly (a wrong flag is worse than a missed one):
the term as a word or part of a hyphenated compound, with an optional ending -e, -en, -n,
-s, -es, -er, -ern; case-insensitive except all-capitals terms.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mtcheck.errors import ConfigError

STATUSES = ("preferred", "admitted", "forbidden")
_LETTER = r"[^\W\d_]"
_ENDINGS = "(?:e|en|n|s|es|er|ern)?"
_WORD = re.compile(r"[^\W_]+")


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _english_word(word: str, last: bool) -> str:
    escaped = re.escape(word)
    if not last:
        return escaped
    if _is_acronym(word):
        return escaped + "s?"
    if word.lower().endswith("y") and len(word) > 2:
        return re.escape(word[:-1]) + "(?:y|ies)"
    return escaped + "(?:s|es)?"


def english_pattern(term: str) -> re.Pattern[str]:
    words = term.split()
    parts = [_english_word(w, i == len(words) - 1) for i, w in enumerate(words)]
    body = r"[\s-]+".join(parts)
    ignore_case = not any(_is_acronym(w) for w in words)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE if ignore_case else 0)


def _german_word(word: str, strict: bool) -> str:
    if _is_acronym(word):
        return rf"(?<!{_LETTER}){re.escape(word)}s?(?!{_LETTER})"
    escaped = re.escape(word)
    if strict:
        return rf"(?i:(?<!{_LETTER}){escaped}{_ENDINGS}(?!{_LETTER}))"
    stem = _stem(word)
    return (
        rf"(?i:(?<!{_LETTER})(?:{re.escape(stem)}{_LETTER}*|"
        rf"{_LETTER}*(?:{escaped}|{re.escape(stem)}){_ENDINGS})(?!{_LETTER}))"
    )


def _stem(word: str) -> str:
    """The word less a final -e, -a, -um or -us that inflection replaces (Grenze/Grenzen,
    Firma/Firmen, Zentrum/Zentren, Virus/Viren), when at least three letters remain."""
    for ending in ("um", "us", "e", "a"):
        if word.lower().endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def german_pattern(term: str, *, strict: bool = False) -> re.Pattern[str]:
    return re.compile(r"\s+".join(_german_word(w, strict) for w in term.split()))


@dataclass(frozen=True)
class GlossaryEntry:
    """One concept: its English terms, allowed German terms (preferred first), forbidden
    German terms. ``line`` is where it starts in the file (for messages)."""

    english: tuple[str, ...]
    german: tuple[str, ...]
    forbidden: tuple[str, ...] = ()
    english_patterns: tuple[re.Pattern[str], ...] = field(
        init=False, repr=False, compare=False, hash=False
    )
    german_patterns: tuple[re.Pattern[str], ...] = field(
        init=False, repr=False, compare=False, hash=False
    )
    forbidden_patterns: tuple[re.Pattern[str], ...] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "english_patterns", tuple(map(english_pattern, self.english)))
        object.__setattr__(self, "german_patterns", tuple(map(german_pattern, self.german)))
        object.__setattr__(
            self,
            "forbidden_patterns",
            tuple(german_pattern(term, strict=True) for term in self.forbidden),
        )

    @property
    def preferred(self) -> str | None:
        return self.german[0] if self.german else None


@dataclass(frozen=True, eq=False)
class Glossary:
    """The entries of one glossary file. Equal and hashed by content (a digest), so that a
    ``RuleSettings`` holding a big glossary stays cheap to hash."""

    path: str
    entries: tuple[GlossaryEntry, ...]
    digest: str = ""
    _index: dict[str, tuple[int, ...]] = field(init=False, repr=False)
    _forbidden_index: dict[str, tuple[int, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.digest:
            text = repr([(e.english, e.german, e.forbidden) for e in self.entries])
            object.__setattr__(self, "digest", hashlib.sha256(text.encode()).hexdigest())
        index: dict[str, list[int]] = {}
        forbidden_index: dict[str, list[int]] = {}
        for number, entry in enumerate(self.entries):
            for term in entry.english:
                index.setdefault(_first_word(term), []).append(number)
            for term in entry.forbidden:
                for key in _stems(_first_word(term)):
                    forbidden_index.setdefault(key, []).append(number)
        object.__setattr__(self, "_index", {k: tuple(v) for k, v in index.items()})
        object.__setattr__(
            self, "_forbidden_index", {k: tuple(v) for k, v in forbidden_index.items()}
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Glossary) and self.digest == other.digest

    def __hash__(self) -> int:
        return hash(self.digest)

    def __len__(self) -> int:
        return len(self.entries)

    def candidates(self, reference: str) -> list[GlossaryEntry]:
        """Entries whose first English word (or its singular) is a word of ``reference``."""
        found: set[int] = set(self._index.get("", ()))
        for word in {w.lower() for w in _WORD.findall(reference)}:
            for key in _singulars(word):
                found.update(self._index.get(key, ()))
        return [self.entries[i] for i in sorted(found)]

    def forbidden_candidates(self, target: str) -> list[GlossaryEntry]:
        """Entries with a forbidden term whose first word may occur in ``target``."""
        found: set[int] = set(self._forbidden_index.get("", ()))
        for word in {w.lower() for w in _WORD.findall(target)}:
            for key in _stems(word):
                found.update(self._forbidden_index.get(key, ()))
        return [self.entries[i] for i in sorted(found)]


def _first_word(term: str) -> str:
    """The index key of a term: its first word, lower-cased ("" when it has no word)."""
    words = _WORD.findall(term)
    return words[0].lower() if words else ""


def _singulars(word: str) -> Iterable[str]:
    yield word
    if word.endswith("ies"):
        yield word[:-3] + "y"
    if word.endswith("es"):
        yield word[:-2]
    if word.endswith("s"):
        yield word[:-1]


def _stems(word: str) -> Iterable[str]:
    yield word
    for ending in ("ern", "en", "er", "es", "e", "n", "s"):
        if word.endswith(ending) and len(word) > len(ending):
            yield word[: -len(ending)]


# -- loading ---------------------------------------------------------------------------------


def load_glossary(path: Path) -> Glossary:
    """Read a CSV/TSV or TBX glossary; any problem is a ``ConfigError`` naming the file."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".tsv", ".tbx", ".xml"):
        raise ConfigError(
            f"{path}: glossary files must be .csv, .tsv or .tbx (TBX may also be .xml)."
        )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: glossary file not found.") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: the glossary is a directory, not a file.") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the glossary ({error.strerror}).") from None
    if suffix in (".tbx", ".xml"):
        entries = _parse_tbx(data, path)
    else:
        entries = _parse_csv(data, path, "\t" if suffix == ".tsv" else None)
    if not entries:
        raise ConfigError(f"{path}: the glossary has no terms.")
    return Glossary(str(path), tuple(entries))


def _split(cell: str) -> list[str]:
    return [" ".join(part.split()) for part in cell.split("|") if part.strip()]


def _parse_csv(data: bytes, path: Path, delimiter: str | None) -> list[GlossaryEntry]:
    numbers, rows = _csv_rows(data, path, delimiter)
    header = [cell.strip().lower() for cell in rows[0]]
    if "english" not in header or "german" not in header:
        raise ConfigError(
            f"{path}: line {numbers[0]}: the header must name the columns 'english' and "
            f"'german' (and optionally 'status'), not {', '.join(map(repr, rows[0]))}."
        )
    slots: list[tuple[list[str], list[str], list[str], list[str]]] = []
    by_term: dict[str, int] = {}
    standalone: list[str] = []
    for number, row in zip(numbers[1:], rows[1:], strict=True):
        english, german, status = _csv_terms(header, row, f"{path}: line {number}")
        if not english:
            standalone.extend(german)
            continue
        # Rows that share an English term describe one concept.
        number_of_slot = next((by_term[t.lower()] for t in english if t.lower() in by_term), None)
        if number_of_slot is None:
            number_of_slot = len(slots)
            slots.append(([], [], [], []))
        slot = slots[number_of_slot]
        slot[0].extend(english)
        for term in english:
            by_term[term.lower()] = number_of_slot
        column = {"preferred": 1, "admitted": 2, "forbidden": 3}[status]
        slot[column].extend(german)
    entries = [
        GlossaryEntry(_unique(english), _unique(preferred + admitted), _unique(forbidden))
        for english, preferred, admitted, forbidden in slots
    ]
    if standalone:
        entries.append(GlossaryEntry((), (), _unique(standalone)))
    return entries


def _csv_rows(
    data: bytes, path: Path, delimiter: str | None
) -> tuple[list[int], list[list[str]]]:
    """The line numbers and cells of the rows that are not blank or comments, the header
    first; ``delimiter`` None takes ';' when the header has it and no ','."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError(f"{path}: line {line}: the glossary is not UTF-8.") from None
    lines = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        raise ConfigError(f"{path}: the glossary is empty; it needs a header 'english,german'.")
    if delimiter is None:
        header_line = lines[0][1]
        delimiter = ";" if ";" in header_line and "," not in header_line else ","
    numbers = [number for number, _ in lines]
    reader = csv.reader((line for _, line in lines), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as error:
        line = numbers[min(reader.line_num, len(numbers)) - 1]
        raise ConfigError(f"{path}: line {line}: not valid CSV ({error}).") from None
    if len(rows) != len(numbers):  # a quoted cell spanning lines: give up on line numbers
        raise ConfigError(f"{path}: cells must not span lines (a quote is not closed?).")
    return numbers, rows


def _csv_terms(
    header: list[str], row: list[str], where: str
) -> tuple[list[str], list[str], str]:
    """One row's English terms, German terms and status; English may be empty only for a
    forbidden term. ``where`` starts an error's sentence (file and line)."""
    if len(row) < len(header):
        row = row + [""] * (len(header) - len(row))
    col_status = header.index("status") if "status" in header else None
    english = _split(row[header.index("english")])
    german = _split(row[header.index("german")])
    status = row[col_status].strip().lower() if col_status is not None else ""
    status = status or "preferred"
    if status not in STATUSES:
        raise ConfigError(
            f"{where}: status {row[col_status].strip()!r} is not one of {', '.join(STATUSES)}."
        )
    if not german:
        raise ConfigError(f"{where}: the 'german' cell is empty.")
    if not english and status != "forbidden":
        raise ConfigError(
            f"{where}: the 'english' cell is empty; only a forbidden term may stand without "
            "an English term."
        )
    return english, german, status


def _unique(terms: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(terms))


_TBX_FORBIDDEN = ("deprecated", "superseded", "forbidden", "notrecommended")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parse_tbx(data: bytes, path: Path) -> list[GlossaryEntry]:
    import xml.etree.ElementTree as ElementTree

    import defusedxml
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.EntitiesForbidden:
        raise ConfigError(
            f"{path}: the TBX declares XML entities, which mtcheck does not expand "
            "(they can be used for attacks); remove the DOCTYPE's entity declarations."
        ) from None
    except defusedxml.DefusedXmlException as error:
        raise ConfigError(f"{path}: the TBX was refused for safety: {error}.") from None
    except ElementTree.ParseError as error:
        raise ConfigError(f"{path}: not well-formed XML ({error}).") from None
    entries: list[GlossaryEntry] = []
    for concept in root.iter():
        if _local(concept.tag) not in ("termEntry", "conceptEntry"):
            continue
        english: list[str] = []
        german: list[str] = []
        forbidden: list[str] = []
        for lang_set in concept:
            if _local(lang_set.tag) not in ("langSet", "langSec"):
                continue
            language = (lang_set.get(_XML_LANG) or lang_set.get("lang") or "").lower()
            primary = language.split("-")[0].split("_")[0]
            if primary not in ("en", "de"):
                continue
            for term, status in _tbx_terms(lang_set):
                if primary == "en":
                    english.append(term)
                elif status.startswith(_TBX_FORBIDDEN):
                    forbidden.append(term)
                else:
                    german.append(term)
        if german or forbidden:
            entries.append(GlossaryEntry(_unique(english), _unique(german), _unique(forbidden)))
    if not any(_local(e.tag) in ("termEntry", "conceptEntry") for e in root.iter()):
        raise ConfigError(f"{path}: no termEntry or conceptEntry elements; is this a TBX file?")
    return entries


def _tbx_terms(lang_set) -> Iterable[tuple[str, str]]:
    """(term, administrative status lower-cased or "") of each tig/ntig/termSec."""
    for container in lang_set.iter():
        if _local(container.tag) not in ("tig", "ntig", "termSec"):
            continue
        term = next((e for e in container.iter() if _local(e.tag) == "term"), None)
        if term is None:
            continue
        text = " ".join("".join(term.itertext()).split())
        if not text:
            continue
        status = ""
        for note in container.iter():
            if _local(note.tag) == "termNote" and note.get("type") in (
                "administrativeStatus",
                "normativeAuthorization",
            ):
                status = "".join(note.itertext()).strip().lower()
        yield text, status
