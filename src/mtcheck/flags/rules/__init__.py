"""The rules. Importing this package registers them, in catalogue order."""

from importlib import import_module

CATALOGUE = (
    "modal_participle",
    "verb_final",
    "infinitive_comma",
    "untranslated",
    "terms",
    "number_mismatch",
    "number_format",
    "low_adequacy",
    "glossary",
    "agreement",
    "possessive",
    "subclause_comma",
    "repeated",
)

for _module in CATALOGUE:
    import_module(f"{__name__}.{_module}")
