"""Gender, number and case readings of German noun forms, from the german-nouns lexicon.

german-nouns (Wiktionary, CC BY-SA 4.0) lists about 100,000 nouns with their gender and
every case form, but reading its CSV takes seconds. So the readings the agreement rules
need are derived from it once into a compact table (form -> bit mask of (gender or
plural, case) readings) stored in the user cache folder, next to the back-translation
cache, named after the german-nouns version; later processes open only that table, when
a rule first asks for a noun, and parse only the small shards their words fall in.
Nothing derived from the lexicon goes anywhere else; when the cache folder cannot be
written the table is kept in memory only.

A form that belongs to several nouns has all their readings ("Teil": masculine and
neuter; "See": masculine and feminine). A form whose gender the lexicon does not fix
(names without gender, nouns declined like adjectives such as "Angestellte") reads as
every gender and case, so that no rule flags it. A compound the lexicon lacks takes the
readings of its longest known last part ("Windparkbetreibern" like "Betreibern").
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from mtcheck.backtranslate.cache import default_cache_path, make_cache_folder
from mtcheck.io.write import write_bytes

MASC, FEM, NEUT, PLURAL = "m", "f", "n", "p"
_GENDERS = (MASC, FEM, NEUT, PLURAL)
CASES = ("n", "a", "d", "g")
_CASE_COLUMNS = {"nominativ": "n", "akkusativ": "a", "dativ": "d", "genitiv": "g"}
# Every reading: a form the lexicon cannot pin down.
ANY = (1 << (len(_GENDERS) * len(CASES))) - 1
# Set beside the readings for a main form of a common noun: not only a name ("Dnepr"),
# nor only a rare or old variant ("Tode", an old dative of "Tod").
COMMON = ANY + 1
# Entries of these parts of speech are names, not common nouns.
_NAME_POS = ("Toponym", "Eigenname", "Vorname", "Nachname", "Straßenname")
# Bumped when the derived table's content or layout changes.
_TABLE_FORMAT = 3
# A compound takes its last part's gender; parts shorter than this are too often
# accidental word endings ("Legende" does not end in "Ende").
_MIN_TAIL = 4
_MIN_HEAD = 3
# A last part shorter than this counts only after a known first part: "Gigafactory" does
# not end in "Tory", "Bergdorf" does end in "Dorf".
_SURE_TAIL = 6
# Linking elements between the parts of a compound ("Arbeits|platz", "Sonnen|licht").
_LINKS = ("es", "en", "er", "s", "n", "e")

# Forms are stored in shards by their last letters.
_SHARD = 3
_HEADER = f"mtcheck german-nouns readings {_TABLE_FORMAT}"

_table: Table | None = None


def _bit(gender: str, case: str) -> int:
    return 1 << (_GENDERS.index(gender) * len(CASES) + CASES.index(case))


@lru_cache(maxsize=1024)
def mask_readings(mask: int) -> frozenset[tuple[str, str]]:
    """The (gender or "p", case) pairs of a bit mask."""
    return frozenset((g, c) for g in _GENDERS for c in CASES if mask & _bit(g, c))


ANY_READINGS = mask_readings(ANY)


def lexicon_version() -> str | None:
    """The installed german-nouns version, or None when it is not installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("german-nouns")
    except PackageNotFoundError:
        return None


# The folder a command chose for the table (its --cache file's folder), None for --no-cache
# (memory only), or _DEFAULT: the default cache folder.
_DEFAULT = object()
_folder: object = _DEFAULT


def keep_table_in(folder: Path | None) -> None:
    """Keep the derived table in ``folder`` (a command's cache folder), or in memory only
    when ``folder`` is None (``--no-cache``: nothing written, nothing read)."""
    global _folder
    _folder = folder


def table_path(version: str) -> Path | None:
    """Where the derived table of this german-nouns version lives: the folder chosen with
    :func:`keep_table_in`, else that of the back-translation cache (``$MTCHECK_CACHE``'s
    folder, else ``~/.cache/mtcheck``); None when it is to stay in memory."""
    name = f"german-nouns-{version}-readings-v{_TABLE_FORMAT}.bin"
    if _folder is None:
        return None
    folder = default_cache_path().parent if _folder is _DEFAULT else Path(_folder)
    return folder / name


def _csv_path() -> Path | None:
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        path = Path(distribution("german-nouns").locate_file("german_nouns/nouns.csv"))
    except PackageNotFoundError:
        return None
    return path if path.is_file() else None


class _Columns:
    """Where the CSV keeps what the table needs: lemma, part of speech, the genders, and
    per case-form column its case, whether it is plural and whether it is a main form
    (not a starred variant: "genitiv singular*")."""

    def __init__(self, header: list[str]) -> None:
        self.width = len(header)
        self.lemma = header.index("lemma")
        self.pos = header.index("pos")
        self.genders = [i for i, name in enumerate(header) if name.startswith("genus")]
        self.forms = []
        for i, name in enumerate(header):
            parts = name.split(" ")
            if len(parts) >= 2 and parts[0] in _CASE_COLUMNS:
                plural = parts[1].startswith("plural")
                self.forms.append((i, _CASE_COLUMNS[parts[0]], plural, not parts[1].endswith("*")))


def _row_readings(row: list[str], columns: _Columns):
    """(form, mask) pairs of one lexicon entry; the lemma alone with ``None`` for an entry
    without forms (mostly first names and surnames)."""
    genders = {row[i] for i in columns.genders if row[i] in (MASC, FEM, NEUT)}
    pos = row[columns.pos]
    adjectival = "adjektivische Deklination" in pos
    common = not any(name in pos for name in _NAME_POS)
    found = False
    for index, case, plural, main_column in columns.forms:
        form = row[index]
        if len(form.split()) != 1 or form != form.strip():
            continue  # empty, or several words: no single token to look up
        found = True
        main = COMMON if common and main_column else 0
        if adjectival:
            # the ending depends on the determiner before it: leave such nouns alone
            yield form, ANY
        elif plural:
            yield form, _bit(PLURAL, case) | main
        elif genders:
            yield form, sum(_bit(gender, case) for gender in genders) | main
        else:
            yield form, ANY
    lemma = row[columns.lemma]
    if not found and len(lemma.split()) == 1 and lemma == lemma.strip():
        yield lemma, None


def build_table(csv_path: Path) -> dict[str, int]:
    """Lower-cased form -> mask of its readings, over every entry of the lexicon. An entry
    without forms (a name: "Sinn", "Koch" are also surnames) makes its lemma open to every
    reading only where no noun with forms spells the same."""
    table: dict[str, int] = {}
    bare: set[str] = set()
    with open(csv_path, encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        columns = _Columns(next(rows))
        for row in rows:
            if len(row) < columns.width:
                continue  # a malformed line: no entry rather than a misread one
            for form, mask in _row_readings(row, columns):
                key = form.lower()
                if mask is None:
                    bare.add(key)
                else:
                    table[key] = table.get(key, 0) | mask
    for key in bare - table.keys():
        table[key] = ANY
    return table


class Table:
    """Form -> mask. Read from the stored file shard by shard: forms are grouped by their
    last letters, which a word shares with every last part of it, so one lookup (tails
    included) parses one small shard, and a short document never parses most of them."""

    def __init__(self, full: dict[str, int] | None = None) -> None:
        self._full = full
        self._body = b""
        self._index: dict[str, tuple[int, int]] = {}
        self._shards: dict[str, dict[str, int]] = {}
        self._rebuild = None

    def get(self, form: str) -> int | None:
        if self._full is not None:
            return self._full.get(form)
        suffix = form[-_SHARD:]
        shard = self._shards.get(suffix)
        if shard is None:
            shard = self._shards[suffix] = self._parse_shard(suffix)
        return shard.get(form)

    def _parse_shard(self, suffix: str) -> dict[str, int]:
        where = self._index.get(suffix)
        if where is None:
            return {}
        offset, length = where
        try:
            return _parse_lines(self._body[offset : offset + length].decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            # a damaged file: derive the table anew rather than read it wrongly
            self._full = self._rebuild() if self._rebuild is not None else {}
            return self._full

    @classmethod
    def read(cls, path: Path, rebuild) -> Table | None:
        """The stored table, or None when the file is missing or not one of ours."""
        try:
            data = path.read_bytes()
            header_end = data.index(b"\n")
            index_end = data.index(b"\n", header_end + 1)
            if data[:header_end].decode("ascii") != _HEADER:
                return None
            table = cls()
            body = index_end + 1
            for entry in data[header_end + 1 : index_end].decode("utf-8").split("\t"):
                suffix, offset, length = entry.rsplit(" ", 2)
                table._index[suffix] = (body + int(offset), int(length))
        except (OSError, ValueError, UnicodeDecodeError):
            return None
        table._body = data
        table._rebuild = rebuild
        return table


def _parse_lines(text: str) -> dict[str, int]:
    """Lines of "mask<TAB>form form …" (``dict.fromkeys`` loads them fast)."""
    table: dict[str, int] = {}
    for line in text.splitlines():
        mask, forms = line.split("\t", 1)
        table.update(dict.fromkeys(forms.split(" "), int(mask)))
    return table


def _serialise(table: dict[str, int]) -> bytes:
    """Header line, index line ("suffix offset length" per shard, tab-separated), then
    the shards, each as lines of "mask<TAB>form form …"."""
    shards: dict[str, dict[int, list[str]]] = {}
    for form, mask in table.items():
        shards.setdefault(form[-_SHARD:], {}).setdefault(mask, []).append(form)
    index, body, offset = [], [], 0
    for suffix, by_mask in sorted(shards.items()):
        chunk = "".join(
            f"{mask}\t{' '.join(sorted(forms))}\n" for mask, forms in sorted(by_mask.items())
        )
        data = chunk.encode("utf-8")
        index.append(f"{suffix} {offset} {len(data)}")
        body.append(data)
        offset += len(data)
    index_line = "\t".join(index)
    return f"{_HEADER}\n{index_line}\n".encode() + b"".join(body)


def _store(path: Path, table: dict[str, int]) -> None:
    """Write the table atomically (a parallel process never reads half a file); a folder
    that cannot be written, or a full disk, is no error: the table then lives in memory
    only, and no temporary file is left behind."""
    try:
        make_cache_folder(path.parent)
        write_bytes(path, _serialise(table))
    except OSError:
        pass


def load_table() -> Table:
    """The derived table: from the cache folder, else built from the lexicon (and stored);
    empty when german-nouns is not installed. Opened once per process."""
    global _table
    if _table is not None:
        return _table
    version = lexicon_version()
    csv_path = _csv_path() if version else None
    if version is None or csv_path is None:
        _table = Table({})
        return _table
    try:
        path = table_path(version)
    except (RuntimeError, OSError):  # no home folder to put the cache in
        path = None

    def rebuild() -> dict[str, int]:
        table = build_table(csv_path)
        if path is not None:
            _store(path, table)
        return table

    stored = Table.read(path, rebuild) if path is not None else None
    _table = stored or Table(rebuild())
    return _table


def noun_readings(word: str) -> frozenset[tuple[str, str]] | None:
    """(gender or "p", case) readings of a noun form, or None when the lexicon does not
    know it. A hyphenated or closed compound takes the readings of its longest known last
    part ("KI-Firma" like "Firma", "Windparkbetreibern" like "Betreibern")."""
    found = _lookup(word)
    return None if found is None else mask_readings(found[1] & ANY)


def is_common_noun_form(word: str) -> bool:
    """Whether the lexicon lists ``word`` (or its compound's last part) as a main form of
    a common noun, not only as a name or a rare variant."""
    found = _lookup(word)
    return found is not None and bool(found[1] & COMMON)


def known_part(word: str) -> str | None:
    """The lower-cased form the lexicon knows: ``word`` itself or its compound's last part."""
    found = _lookup(word)
    return None if found is None else found[0]


@lru_cache(maxsize=50_000)
def _lookup(word: str) -> tuple[str, int] | None:
    """(form, mask) of ``word`` in the table, or of its longest known last part."""
    table = load_table()
    lowered = word.lower()
    mask = table.get(lowered)
    if mask is not None:
        return lowered, mask
    if "-" in lowered:
        lowered = lowered.rsplit("-", 1)[-1]
    if not lowered.isalpha():
        return None
    for start in range(0, len(lowered) - _MIN_TAIL + 1):
        if start and start < _MIN_HEAD:
            continue
        tail = lowered[start:]
        mask = table.get(tail)
        if mask is not None and (len(tail) >= _SURE_TAIL or _known_head(lowered[:start])):
            return tail, mask
    return None


def _known_head(head: str) -> bool:
    """Whether the first part of a compound is a noun the lexicon knows (itself or by its
    own last part), with or without a linking element."""
    if not head:
        return True
    candidates = [head] + [head[: -len(link)] for link in _LINKS if head.endswith(link)]
    return any(len(c) >= _MIN_HEAD and _lookup(c) is not None for c in candidates)
