"""Small predicates over STTS tags (HanTa's fine tags such as ``VV(FIN)``)."""

from __future__ import annotations

BOUNDARY_TAGS = frozenset({"$,", "$.", "$("})
DETERMINER_TAGS = frozenset({"ART", "PPOSAT", "PDAT", "PIAT"})
COORDINATORS = frozenset({"und", "oder", "aber", "sondern", "sowie", "bzw.", "doch", "denn"})


def is_verb(tag: str) -> bool:
    return tag[:2] in ("VV", "VA", "VM") and tag.endswith(")")


def is_finite(tag: str) -> bool:
    return is_verb(tag) and tag.endswith("(FIN)")


def is_infinitive(tag: str) -> bool:
    return is_verb(tag) and (tag.endswith("(INF)") or tag.endswith("(IZU)"))


def is_participle(tag: str) -> bool:
    return is_verb(tag) and tag.endswith("(PP)")


def is_boundary(tag: str) -> bool:
    return tag in BOUNDARY_TAGS


# Conjunctions that always open a verb-final clause. Ambiguous ones (als, da, während,
# seit, bis, wie) are left out: a preposition read as a conjunction would raise alarms.
SUBORDINATORS = frozenset(
    {
        "dass",
        "daß",
        "weil",
        "obwohl",
        "obgleich",
        "obschon",
        "ob",
        "falls",
        "sofern",
        "sodass",
        "nachdem",
        "bevor",
        "ehe",
        "sobald",
        "solange",
        "wenn",
        "indem",
        "damit",
        "wohingegen",
    }
)
