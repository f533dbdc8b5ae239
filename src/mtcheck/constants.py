"""Names and choices shared by the commands, the configuration and the reports, defined once.

Nothing here imports anything: the command line reads these before any other module loads.
"""

from __future__ import annotations

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-de-en"

# Severities from least to most severe, after "never": --fail-on and 'fail-on' compare by
# place in this tuple.
FAIL_ON = ("never", "minor", "major", "critical")

# What `mtcheck check` writes; `mtcheck gate` writes the CI subset; --statistics a table or JSON.
REPORT_FORMATS = ("text", "json", "sarif", "junit", "github", "html", "xliff", "markdown")
GATE_FORMATS = ("text", "json", "sarif", "junit", "github", "markdown")
STATISTICS_FORMATS = ("text", "json")

DEVICES = ("auto", "cpu", "cuda")
BACKEND_CHOICES = ("auto", "marian", "ctranslate2")
ENGINES = ("local", "ray")


def over_fail_on(severities, fail_on: str) -> bool:
    """Whether any of ``severities`` is ``fail_on`` or worse (never for "never")."""
    if fail_on == "never":
        return False
    threshold = FAIL_ON.index(fail_on)
    return any(FAIL_ON.index(severity) >= threshold for severity in severities)
