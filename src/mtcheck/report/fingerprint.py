"""A stable fingerprint of a finding: what it flags, not where.

SARIF reports carry it as ``partialFingerprints["mtcheckFingerprint/v1"]`` and the gate's
baseline stores it, so an accepted finding stays accepted when lines move or the file is
re-wrapped. It changes when the rule, the segment's text or the flagged words change.
"""

from __future__ import annotations

import hashlib
import unicodedata

FINGERPRINT_KEY = "mtcheckFingerprint/v1"


def normalize(text: str) -> str:
    """NFC, every run of white space made one blank, no blanks at either end."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def fingerprint(rule: str, segment_target: str, flagged_text: str) -> str:
    """Hex SHA-256 of the rule name, the normalised segment text and the flagged text."""
    # str.split() counts U+001F as white space, so the separator never survives inside a
    # normalised text and the three parts cannot run into each other.
    payload = "\x1f".join((rule, normalize(segment_target), normalize(flagged_text)))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def segment_text(target: str, reference: str | None) -> str:
    """What a fingerprint names a segment by: its German, or, for English with no German
    (a 0-1 link, where omissions are flagged), that English, so that two omissions in one
    file differ."""
    if target.strip() or not reference:
        return target
    return f"[English] {reference}"
