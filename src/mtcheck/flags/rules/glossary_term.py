"""glossary-term: a glossary term rendered otherwise, or a forbidden German term used."""

from __future__ import annotations

from mtcheck.flags.registry import Context, Finding, rule
from mtcheck.flags.text import SegmentText


def _quoted(terms) -> str:
    return " or ".join(f"'{term}'" for term in terms)


@rule("glossary-term", "Terminology/Wrong term", "major", needs="glossary", fix="unsafe")
def check(segment: SegmentText, context: Context):
    """A glossary term is not rendered as the glossary says, or a forbidden term is used.

    Runs only with a glossary (``glossary = "terms.csv"`` in the configuration or
    ``--glossary FILE``; CSV with columns english,german[,status] or TBX). When an English
    term of the glossary occurs in the reference and none of its German terms occurs in the
    German segment, the whole segment is flagged (there is no German span to point at).
    A German term the glossary marks forbidden (CSV status "forbidden", TBX
    deprecatedTerm/supersededTerm) is flagged where it occurs, with the preferred term as
    the suggestion. German matching tolerates inflection and compounds ("KI" matches
    "KI-Modelle", "Modell" matches "Modellen" and "Sprachmodell").

    Bad:  "Der neue AI-Chip ist schnell." for "The new AI chip is fast." (glossary AI → KI)
    Good: "Der neue KI-Chip ist schnell."
    """
    glossary = context.settings.glossary
    if glossary is None:
        return
    forbidden_hits: set[int] = set()
    yield from _forbidden_findings(glossary, segment.text, forbidden_hits)
    if segment.reference:
        yield from _missing_findings(glossary, segment, forbidden_hits)


def _forbidden_findings(glossary, text: str, hits: set[int]):
    """A finding on each forbidden German term in ``text``; the entries found go to
    ``hits``."""
    for entry in glossary.forbidden_candidates(text):
        for term, pattern in zip(entry.forbidden, entry.forbidden_patterns, strict=True):
            for match in pattern.finditer(text):
                hits.add(id(entry))
                preferred = entry.preferred
                message = f"'{match.group(0)}': the glossary forbids '{term}'"
                message += f"; use '{preferred}'." if preferred else "."
                yield Finding(match.start(), match.end(), message, preferred)


def _missing_findings(glossary, segment: SegmentText, forbidden_hits: set[int]):
    """A whole-segment finding for each English term of the reference whose German
    rendering the segment lacks."""
    text, reference = segment.text, segment.reference
    # English matches per entry; a match inside a longer one of another entry ("data" in
    # "data center") does not count: the longer term decides.
    entries = glossary.candidates(reference)
    matches = {
        id(entry): [m for p in entry.english_patterns for m in p.finditer(reference)]
        for entry in entries
    }
    spans = [(m.start(), m.end(), key) for key, found in matches.items() for m in found]
    for entry in entries:
        if id(entry) in forbidden_hits or not entry.german:
            continue
        english = _first_own_match(matches[id(entry)], id(entry), spans)
        if english is None:
            continue
        if any(pattern.search(text) for pattern in entry.german_patterns):
            continue
        start = len(text) - len(text.lstrip())
        yield Finding(
            start,
            len(text.rstrip()),
            f"The reference has '{english}'; the glossary renders it as "
            f"{_quoted(entry.german)}, which this segment lacks.",
        )


def _first_own_match(found, key: int, spans) -> str | None:
    """The first English match of entry ``key`` that no longer match of another entry
    contains."""
    for match in found:
        inside_longer = any(
            other != key
            and s <= match.start()
            and match.end() <= e
            and e - s > match.end() - match.start()
            for s, e, other in spans
        )
        if not inside_longer:
            return match.group(0)
    return None
