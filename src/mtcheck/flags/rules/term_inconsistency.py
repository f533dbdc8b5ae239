"""term-inconsistency: one term rendered two ways in one document."""

from __future__ import annotations

import re
from collections import Counter

from mtcheck.flags.registry import Finding, rule

# Each entry: the variants of one term, the preferred German form first. A variant
# matches as a word or as the first or last part of a hyphenated compound ("KI-Modelle",
# "Cloud-KI"), case-sensitively.
TERMS: tuple[tuple[str, ...], ...] = (
    ("KI", "AI"),
    ("E-Mail", "Email", "Mail"),
    ("Start-up", "Startup"),
    ("BIP", "GDP"),
    ("F&E", "R&D"),
    ("EZB", "ECB"),
)


def _pattern(variants: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
    # Not inside a word; "Mail" not as the tail of "E-Mail" (longer variants match first).
    return re.compile(rf"(?<![\w&])({alternatives})(?:s)?(?![\w&])")


_PATTERNS = tuple((variants, _pattern(variants)) for variants in TERMS)


@rule("term-inconsistency", "Terminology/Inconsistent", "minor", scope="document", fix="unsafe")
def check(segments, contexts):
    """One term rendered two ways in one document ("KI" and "AI").

    Uses a small built-in table of German terms and their English or variant spellings
    (KI/AI, E-Mail/Email/Mail, Start-up/Startup, BIP/GDP, F&E/R&D, EZB/ECB). When a
    document uses two variants, each use of the rarer one is flagged (on a tie, the
    variant that is not the preferred German form); the suggestion is the majority form.

    Bad:  "Die KI-Modelle sind neu, die KI-Chips auch, aber die AI-Sparte verliert Geld."
    Good: "Die KI-Modelle sind neu, die KI-Chips auch, aber die KI-Sparte verliert Geld."
    """
    for variants, pattern in _PATTERNS:
        hits = []
        for index, segment in enumerate(segments):
            for match in pattern.finditer(segment.text):
                hits.append((index, match.start(1), match.end(1), match.group(1)))
        counts = Counter(hit[3] for hit in hits)
        if len(counts) < 2:
            continue
        majority = max(counts, key=lambda v: (counts[v], -variants.index(v)))
        for index, start, end, variant in hits:
            if variant != majority:
                yield (
                    index,
                    Finding(
                        start,
                        end,
                        f"'{variant}' renders the same term as '{majority}', which this document "
                        f"uses {counts[majority]} time{'s' if counts[majority] != 1 else ''}.",
                        majority,
                    ),
                )
