"""Is the draft German and the reference English? A cheap test by function-word rates;
and what a check without a reference leaves out.

A swapped pair (the English given as the draft) makes every English word an
"untranslated" flag and every score meaningless, with exit 0: the command should refuse it
with the fix instead. The test counts very common function words of each language in the
first :data:`MAX_WORDS` words. Only words that the other language does not use are counted
("in", "was", "will", "also" and "so" are words of both), so a German text that quotes
English, or names "The Information", stays German.

A text is judged only when it holds at least :data:`MIN_FUNCTION_WORDS` of these words and
one language has :data:`DOMINANCE` of them; a short draft, a list of terms or a text that
mixes both languages is never judged, and then nothing is refused.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable

# Words that English text uses constantly and German text (almost) never.
ENGLISH = frozenset(
    "the and of to is that with for are this be have has from which by on not it".split()
)
# The same for German; "die" and "den" are rare as English words.
GERMAN = frozenset(
    "der die und ist nicht das zu den dem des mit von sich ein eine einen auf auch es im "
    "wird sind werden für dass".split()
)
MAX_WORDS = 5000  # a few pages say enough; a 20 MB draft need not be read through
MIN_FUNCTION_WORDS = 20  # about 100 words of running text: below that, no judgement
DOMINANCE = 0.8  # share of the counted function words that one language must have

_WORD = re.compile(r"[^\W\d_]+")


def function_word_counts(texts: Iterable[str]) -> tuple[int, int]:
    """(English, German) function words among the first ``MAX_WORDS`` words of ``texts``."""
    english = german = seen = 0
    for text in texts:
        for match in _WORD.finditer(text or ""):
            word = match.group().lower()
            english += word in ENGLISH
            german += word in GERMAN
            seen += 1
            if seen >= MAX_WORDS:
                return english, german
    return english, german


def language_of(texts: Iterable[str]) -> str | None:
    """The language the texts clearly read as, "en" or "de"; None when they are too
    short, mixed, or neither."""
    english, german = function_word_counts(texts)
    total = english + german
    if total < MIN_FUNCTION_WORDS:
        return None
    if english >= DOMINANCE * total:
        return "en"
    if german >= DOMINANCE * total:
        return "de"
    return None


def swapped(draft_texts: Iterable[str], reference_texts: Iterable[str]) -> bool:
    """Whether the draft clearly reads as English and the reference as German."""
    return language_of(draft_texts) == "en" and language_of(reference_texts) == "de"


def language_problem(
    draft_texts: Iterable[str],
    reference_texts: Iterable[str],
    *,
    draft: str,
    reference: str | None,
) -> str | None:
    """One sentence with the fix when the draft reads as English or the reference as
    German, else None.

    ``draft`` and ``reference`` are the paths as given (for the command that swaps them);
    ``reference`` None means the references are the records' own (JSONL, XLIFF, TMX).
    """
    draft_language = language_of(draft_texts)
    reference_language = language_of(reference_texts)
    draft_label = _label(draft)
    if draft_language == "en" and reference_language == "de":
        if reference is None:
            return (
                f"{draft_label}: the German and English of the records look swapped (the "
                "draft text reads as English, the references as German); swap the two "
                "fields or languages in the file."
            )
        return (
            f"the draft {draft_label} looks English and the reference {_label(reference)} "
            f"German: swap them: mtcheck check {shlex.quote(reference)} --reference "
            f"{shlex.quote(draft)}"
        )
    if draft_language == "en":
        return (
            f"{draft_label}: the draft does not look German (it reads as English); mtcheck "
            "checks a German draft against its English original: mtcheck check "
            "DRAFT.de.txt --reference ORIGINAL.en.txt"
        )
    if reference_language == "de":
        where = _label(reference) if reference is not None else f"{draft_label} (its references)"
        return (
            f"{where}: the reference does not look English (it reads as German); give the "
            "English original with --reference."
        )
    return None


def _label(path: str) -> str:
    return "standard input" if path == "-" else path


# Rules that compare the German with the English reference, and are silent without one.
REFERENCE_RULES = (
    "low-adequacy",
    "number-mismatch",
    "omission",
    "addition",
    "markup-mismatch",
    "glossary-term",
)


def no_reference_note(
    enabled: Iterable[str], *, backtranslating: bool, glossary: bool = False
) -> str:
    """One sentence for stderr: what a check of ``enabled`` rules misses without a
    reference (``backtranslating``: the model runs, but its output is scored against
    nothing). Rules that are silent for another reason too (low-adequacy without the
    model, glossary-term without a glossary) are not named."""
    enabled = set(enabled)
    if not backtranslating:
        enabled.discard("low-adequacy")
    if not glossary:
        enabled.discard("glossary-term")
    missed = []
    if backtranslating:
        missed.append("the back-translation is shown but not scored (no chrF, BLEU, TER, adequacy)")
    silent = [name for name in REFERENCE_RULES if name in enabled]
    if silent:
        missed.append(f"{', '.join(silent)} cannot fire")
    if "untranslated-text" in enabled:
        # Without the English it cannot confirm content words ("expectations").
        missed.append("untranslated-text finds only English function words and acronyms")
    if not missed:
        return "no reference was given; give the English original with --reference FILE."
    return f"no reference: {'; '.join(missed)}; give the English original with --reference FILE."
