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

from mtcheck.errors import MtcheckError
from mtcheck.model import Flag, Scores, Segment

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
    """``check`` with the cache in front: computes only documents it has not seen."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.hits = 0
        self.misses = 0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(_SCHEMA)
            self._db.commit()
        except (OSError, sqlite3.Error) as error:
            raise MtcheckError(
                f"{self.path}: cannot use the cache ({error}); delete the file or use --no-cache."
            ) from None

    def check(self, segments, scores, settings, compute) -> list[tuple[Flag, ...]]:
        key = document_key(segments, scores, settings)
        row = self._db.execute("SELECT value FROM flags WHERE key = ?", (key,)).fetchone()
        if row is not None:
            self.hits += 1
            return [
                tuple(
                    Flag(
                        rule=f[0],
                        category=f[1],
                        severity=f[2],
                        message=f[3],
                        suggestion=f[4],
                        span=(f[5], f[6]),
                        # ranked suggestions: 8th field (entries without it have one or none)
                        suggestions=tuple(f[7]) if len(f) > 7 else (),
                    )
                    for f in flags
                )
                for flags in json.loads(row[0])
            ]
        self.misses += 1
        result = compute(segments, scores, settings)
        value = json.dumps(
            [
                [
                    [f.rule, f.category, f.severity, f.message, f.suggestion, *f.span]
                    + [list(f.suggestions)]
                    for f in flags
                ]
                for flags in result
            ],
            ensure_ascii=False,
        )
        with self._db:  # one transaction: a kill never leaves half an entry
            self._db.execute(
                "INSERT OR REPLACE INTO flags (key, value) VALUES (?, ?)", (key, value)
            )
        return result

    def close(self) -> None:
        self._db.close()
