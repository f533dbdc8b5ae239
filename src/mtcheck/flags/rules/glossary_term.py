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
    text = segment.text
    forbidden_hits: set[int] = set()
    for entry in glossary.forbidden_candidates(text):
        for term, pattern in zip(entry.forbidden, entry.forbidden_patterns, strict=True):
            for match in pattern.finditer(text):
                forbidden_hits.add(id(entry))
                preferred = entry.preferred
                message = f"'{match.group(0)}': the glossary forbids '{term}'"
                message += f"; use '{preferred}'." if preferred else "."
                yield Finding(match.start(), match.end(), message, preferred)
    reference = segment.reference
    if not reference:
        return
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
        english = next(
            (
                m.group(0)
                for m in matches[id(entry)]
                if not any(
                    key != id(entry)
                    and s <= m.start()
                    and m.end() <= e
                    and e - s > m.end() - m.start()
                    for s, e, key in spans
                )
            ),
            None,
        )
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
