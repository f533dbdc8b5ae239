"""Forgetting what the German checks have memoised, so that a benchmark can time a cold run.

The checks memoise per word and per sentence (the tagger, the word readings of the rules
and helpers); HanTa's model and the lexicons stay loaded. Nothing in mtcheck needs this:
the memos are bounded, and a result never depends on them.
"""

from __future__ import annotations

import sys

import mtcheck.flags  # noqa: F401  (every rule module is loaded, so that its memos are found)
from mtcheck.flags.tagger import get_tagger

_PACKAGE = "mtcheck.flags"


def clear_caches() -> list[str]:
    """Clear the tagger's memos and every ``functools`` memo that a module of
    ``mtcheck.flags`` defines (not the process-wide tagger itself); the names cleared."""
    get_tagger().clear_caches()
    cleared = ["Tagger (sentences and word analyses)"]
    for module_name, module in sorted(sys.modules.items()):
        inside = module_name == _PACKAGE or module_name.startswith(f"{_PACKAGE}.")
        if module is None or not inside:
            continue
        for name, value in vars(module).items():
            # Found by looking, not listed: a memo added to a rule is cleared without a word.
            if (
                callable(getattr(value, "cache_clear", None))
                and value is not get_tagger
                and getattr(value, "__module__", None) == module_name
            ):
                value.cache_clear()
                cleared.append(f"{module_name}.{name}")
    return cleared
