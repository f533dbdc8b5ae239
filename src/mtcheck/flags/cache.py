"""A persistent cache of a document's flags, so that CI re-checks only what changed.

One entry per document: document-level rules (term-inconsistency, number formats) look
across segments, so a segment's flags depend on the whole document. The key covers
everything the flags depend on — the code of the flag rules (a digest of their source
files), the rule settings (selection, severities, thresholds, patterns, glossary content,
allowlist), and every segment's German, English and scores — so an entry is never served
for input that could flag differently. Stored in its own table of the back-translation cache's
SQLite file.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from mtcheck.backtranslate import cache as result_cache
from mtcheck.errors import MtcheckError
from mtcheck.model import SEVERITIES, Flag, Scores, Segment, flag_from_dict, flag_to_dict

_SCHEMA = "CREATE TABLE IF NOT EXISTS flags (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


@cache
def code_digest() -> str:
    """Digest of the flag rules' source files and the versions of the tagger and the noun
    lexicon: editing a rule or upgrading HanTa or german-nouns invalidates every entry."""
    from importlib.metadata import PackageNotFoundError, version

    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for package in ("HanTa", "german-nouns"):
        try:
            digest.update(f"{package} {version(package)}".encode())
        except PackageNotFoundError:
            pass
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def settings_digest(settings) -> str:
    patterns = [
        [p.name, p.pattern, p.message, p.suggestion, p.category, p.severity, p.ignore_case]
        for p in settings.patterns
    ]
    parts = {
        "select": sorted(settings.select) if settings.select is not None else None,
        "ignore": sorted(settings.ignore),
        "severity": sorted(settings.severity.items()),
        "min_chrf": settings.min_chrf,
        "min_adequacy": settings.min_adequacy,
        "picky": settings.picky,
        "patterns": patterns,
        "glossary": settings.glossary.digest if settings.glossary is not None else None,
        "allowed_english": sorted(settings.allowed_english),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def document_key(
    segments: Sequence[Segment], scores: Sequence[Scores | None] | None, settings
) -> str:
    rows = [
        [
            segment.target,
            segment.reference,
            # The alignment rules read the link kind and which links are neighbours.
            segment.alignment,
            segment.paragraph,
            # Link targets are not in the text: a changed one must not hit the cache.
            [[m.kind, m.value, m.start, m.end] for m in segment.markup],
            [[m.kind, m.value, m.start, m.end] for m in segment.reference_markup],
            None
            if scores is None or scores[k] is None
            else [scores[k].chrf, scores[k].bleu, scores[k].ter, scores[k].adequacy],
        ]
        for k, segment in enumerate(segments)
    ]
    payload = json.dumps([code_digest(), settings_digest(settings), rows], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


class FlagCache:
    """``check`` with the cache in front: computes only documents it has not seen.

    A stored entry that cannot be read back as flags for these segments (damaged JSON,
    fields missing, wrong types, spans outside the text) is a miss: it is recomputed and
    overwritten, never an error and never a wrong result."""

    def __init__(self, path: Path, timeout: float | None = None) -> None:
        self.path = Path(path)
        self.timeout = result_cache.BUSY_TIMEOUT if timeout is None else timeout
        self.hits = 0
        self.misses = 0
        result_cache.check_cache_path(self.path)
        try:
            result_cache.make_cache_folder(self.path.parent)
            self._db = sqlite3.connect(self.path, timeout=self.timeout)
            self._db.text_factory = _text_or_none
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(_SCHEMA)
            self._db.commit()
        except (OSError, sqlite3.Error) as error:
            raise self._broken(error) from None

    def _broken(self, error: BaseException) -> MtcheckError:
        return result_cache.cache_error(error, self.path, self.timeout)

    def check(self, segments, scores, settings, compute) -> list[tuple[Flag, ...]]:
        key = document_key(segments, scores, settings)
        try:
            row = self._db.execute("SELECT value FROM flags WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as error:
            raise self._broken(error) from None
        stored = None if row is None else decode(row[0], segments)
        if stored is not None:
            self.hits += 1
            return stored
        self.misses += 1
        result = compute(segments, scores, settings)
        value = json.dumps(
            [[flag_to_dict(flag) for flag in flags] for flags in result], ensure_ascii=False
        )
        try:
            with self._db:  # one transaction: a kill never leaves half an entry
                self._db.execute(
                    "INSERT OR REPLACE INTO flags (key, value) VALUES (?, ?)", (key, value)
                )
        except sqlite3.Error as error:
            raise self._broken(error) from None
        return result

    def close(self) -> None:
        self._db.close()


_FLAG_FIELDS = frozenset(
    {
        "rule",
        "category",
        "severity",
        "message",
        "suggestion",
        "suggestions",
        "span",
        "line",
        "column",
    }
)


def _text_or_none(data: bytes) -> str | None:
    """Text that is not UTF-8 (a damaged entry) reads as None, a miss; SQLite's default
    would raise instead."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode(value: object, segments: Sequence[Segment]) -> list[tuple[Flag, ...]] | None:
    """The flags stored in ``value`` for ``segments``, or None when the entry is damaged."""
    if not isinstance(value, str):
        return None
    try:
        document = json.loads(value)
    except (ValueError, RecursionError):
        return None
    if not isinstance(document, list) or len(document) != len(segments):
        return None
    result = []
    for flags, segment in zip(document, segments, strict=True):
        if not isinstance(flags, list):
            return None
        decoded = [_flag(fields, len(segment.target)) for fields in flags]
        if any(flag is None for flag in decoded):
            return None
        result.append(tuple(decoded))
    return result


def _flag(record: object, length: int) -> Flag | None:
    """One stored flag, a record of :func:`mtcheck.model.flag_to_dict`, read by name; None
    when it is damaged (or from before records: a list)."""
    if not isinstance(record, dict) or not _FLAG_FIELDS <= record.keys():
        return None
    texts = (record["rule"], record["category"], record["message"])
    if not all(isinstance(text, str) for text in texts) or record["severity"] not in SEVERITIES:
        return None
    suggestion, suggestions = record["suggestion"], record["suggestions"]
    if suggestion is not None and not isinstance(suggestion, str):
        return None
    if not isinstance(suggestions, list) or not all(isinstance(s, str) for s in suggestions):
        return None
    span = record["span"]
    if not (isinstance(span, list) and len(span) == 2 and all(type(n) is int for n in span)):
        return None
    if not 0 <= span[0] <= span[1] <= length:
        return None
    if not all(type(record[key]) is int for key in ("line", "column")):
        return None
    try:
        return flag_from_dict(record)
    except ValueError:  # a suggestion that is not the first of the suggestions
        return None
