"""Ranked suggestions: every replacement a rule offers fixes what it flagged, the order
follows the likeliest reading, and every report and store carries the list.

The contract: a flag's ``suggestions`` are its replacements for the span, most likely
first; ``suggestion`` is the first of them, or None when there are none.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3

import pytest

from mtcheck.flags import RuleSettings, check_segments
from mtcheck.flags.cache import FlagCache
from mtcheck.model import DocumentResult, Flag, Result, Segment, SegmentResult
from mtcheck.report import render
from tests import test_false_alarms, test_rules_recall
from tests.helpers import CORPORA, SEED, paragraph_segments, run

# (German, English reference or None, the ranked replacements of the modal-participle span)
RANKED = [
    # a subject that acts, with "möchte"/"will": the infinitive first
    ("Ich möchte mit einem Paradox begonnen.", None,
     ("möchte mit einem Paradox beginnen", "möchte mit einem Paradox begonnen haben")),
    ("Die Regierung will das Abkommen ratifiziert.", None,
     ("will das Abkommen ratifizieren", "will das Abkommen ratifiziert haben")),
    # with an object a verb of motion forms its perfect with "haben"
    ("Die Techniker wollen den Server neu gestartet.", None,
     ("wollen den Server neu starten", "wollen den Server neu gestartet haben")),
    # "soll" reports a claim: the perfect first
    ("Der Minister soll die Akten vernichtet.", None,
     ("soll die Akten vernichtet haben", "soll die Akten vernichten")),
    ("Der Zug soll pünktlich angekommen.", None,
     ("soll pünktlich angekommen sein", "soll pünktlich ankommen")),
    ("Er soll gelogen und betrogen, sagen Zeugen.", None,
     ("soll gelogen und betrogen haben", "soll lügen und betrügen")),
    # a thing with no object after "muss"/"kann": the passive first
    ("Das Dach muss vor dem Winter repariert.", None,
     ("muss vor dem Winter repariert werden", "muss vor dem Winter repariert worden sein",
      "muss vor dem Winter reparieren")),
    ("Deshalb kann die Datei jederzeit gelöscht.", None,
     ("kann die Datei jederzeit gelöscht werden", "kann die Datei jederzeit gelöscht worden sein",
      "kann die Datei jederzeit löschen")),
    # with an object or a reflexive there is no passive
    ("Sie können die Daten jederzeit gelöscht.", None,
     ("können die Daten jederzeit löschen", "können die Daten jederzeit gelöscht haben")),
    ("Möchten Sie sich kurz vorgestellt?", None,
     ("Möchten Sie sich kurz vorstellen", "Möchten Sie sich kurz vorgestellt haben")),
    # the English reference shows the reading
    ("Das Paket soll morgen geliefert.", None,
     ("soll morgen geliefert haben", "soll morgen liefern")),
    ("Das Paket soll morgen geliefert.", "The parcel is to be delivered tomorrow.",
     ("soll morgen geliefert werden", "soll morgen geliefert worden sein",
      "soll morgen liefern")),
    ("Die Firma muss den Vertrag gekündigt.", "The firm must have terminated the contract.",
     ("muss den Vertrag gekündigt haben", "muss den Vertrag kündigen")),
]


def _modal_flag(text, reference):
    (flags,) = run([text], [reference])
    (flag,) = [f for f in flags if f.rule == "modal-participle"]
    return flag


@pytest.mark.parametrize("text, reference, expected", RANKED, ids=[c[0] for c in RANKED])
def test_modal_participle_replacements_are_ranked(text, reference, expected):
    flag = _modal_flag(text, reference)
    assert flag.suggestions == expected
    assert flag.suggestion == expected[0]


# --- every replacement fixes what it replaces ---------------------------------------------


def _documents():
    """(name, segments) of the demo corpora, the seed draft and this project's test
    sentences (one segment each)."""
    documents = []
    for name in ("windpark", "bibliothek"):
        documents.append(
            (name, paragraph_segments(CORPORA / f"{name}.de.txt", CORPORA / f"{name}.en.txt"))
        )
    seed = SEED / "tiktok-microsoft.de.txt"
    if seed.is_file():
        documents.append(("seed", paragraph_segments(seed, SEED / "tiktok-microsoft.en.txt")))
    sentences = [(text, reference) for text, reference, _ in RANKED]
    for case in test_false_alarms.CASES:
        sentences += [(case[2], None), (case[3], None)]
    for case in test_rules_recall.CASES:
        sentences += [(case[1], None)]
    for k, (text, reference) in enumerate(sentences):
        documents.append((f"sentence {k}: {text}", [_segment(text, reference)]))
    return documents


def _segment(target, reference):
    return Segment(id="s", paragraph=1, target=target, reference=reference,
                   alignment=None, start=0, line=1, column=1)


def _still_flagged(segments, index, flag, replacement):
    """Whether ``flag``'s rule still fires where ``replacement`` went in."""
    segment = segments[index]
    start, end = flag.span
    corrected = segment.target[:start] + replacement + segment.target[end:]
    changed = list(segments)
    changed[index] = dataclasses.replace(segment, target=corrected)
    new_end = start + len(replacement)
    flags = check_segments(changed, settings=RuleSettings())[index]
    return [
        f for f in flags
        if f.rule == flag.rule and f.span[0] <= new_end and start <= f.span[1]
        and not (f.span[0] == new_end and f.span[1] > new_end)  # a flag right after it
    ]


def test_every_replacement_of_every_flag_fixes_its_place():
    checked = ranked = 0
    failures = []
    for name, segments in _documents():
        for index, flags in enumerate(check_segments(segments, settings=RuleSettings())):
            for flag in flags:
                assert flag.suggestion == (flag.suggestions[0] if flag.suggestions else None)
                ranked += len(flag.suggestions) > 1
                for replacement in flag.suggestions:
                    checked += 1
                    left = _still_flagged(segments, index, flag, replacement)
                    if left:
                        failures.append((name, flag.rule, replacement, [f.message for f in left]))
    assert failures == []
    assert checked >= 60 and ranked >= 20, (checked, ranked)


# --- the Flag record ---------------------------------------------------------------------


def test_flag_suggestion_is_the_first_of_its_suggestions():
    one = Flag("r", "Fluency/Grammar", "minor", "m", "a", (0, 1))
    assert one.suggestions == ("a",)
    ranked = Flag("r", "Fluency/Grammar", "minor", "m", None, (0, 1), suggestions=("a", "b"))
    assert ranked.suggestion == "a" and ranked.suggestions == ("a", "b")
    none = Flag("r", "Fluency/Grammar", "minor", "m", None, (0, 1))
    assert none.suggestions == ()
    with pytest.raises(ValueError):
        Flag("r", "Fluency/Grammar", "minor", "m", "b", (0, 1), suggestions=("a", "b"))
    moved = dataclasses.replace(ranked, line=3, column=4)
    assert moved.suggestions == ("a", "b") and moved.suggestion == "a"


# --- reports -----------------------------------------------------------------------------

TARGET = "Ich möchte mit einem Paradox begonnen."


def _result(flag: Flag | None = None) -> Result:
    flag = flag or dataclasses.replace(_modal_flag(TARGET, None), line=1, column=5)
    segment = Segment("1.1", 1, TARGET, None, "1-1", 0, 1, 1)
    document = DocumentResult(
        path="draft.de.txt",
        reference_path=None,
        scores=None,
        segments=(SegmentResult(segment, None, None, (flag,)),),
    )
    return Result(version="0", model=None, documents=(document,))


def test_json_lists_the_suggestions_and_keeps_the_first_as_suggestion():
    report = json.loads(render(_result(), "json"))
    (flag,) = report["documents"][0]["segments"][0]["flags"]
    assert flag["suggestions"] == [
        "möchte mit einem Paradox beginnen", "möchte mit einem Paradox begonnen haben"]
    assert flag["suggestion"] == "möchte mit einem Paradox beginnen"


def test_text_markdown_and_html_show_the_alternatives_after_the_first():
    alternatives = "möchte mit einem Paradox beginnen | möchte mit einem Paradox begonnen haben"
    assert f"→ {alternatives}" in render(_result(), "text")
    assert "begonnen haben" in render(_result(), "markdown")
    page = render(_result(), "html")
    assert page.index("mit einem Paradox beginnen") < page.index("Paradox begonnen haben")


def test_sarif_has_one_fix_per_replacement_in_rank_order():
    log = json.loads(render(_result(), "sarif"))
    (result,) = log["runs"][0]["results"]
    fixes = result["fixes"]
    assert [f["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"]
            for f in fixes] == ["möchte mit einem Paradox beginnen",
                                "möchte mit einem Paradox begonnen haben"]
    region = fixes[0]["artifactChanges"][0]["replacements"][0]["deletedRegion"]
    width = len("möchte mit einem Paradox begonnen")
    assert region == {"startLine": 1, "endLine": 1, "startColumn": 5,
                      "endColumn": 5 + width}
    assert result["properties"]["suggestion"] == "möchte mit einem Paradox beginnen"


def test_sarif_with_fixes_validates_against_the_oasis_schema():
    from tests.helpers import SARIF_SCHEMA

    if not SARIF_SCHEMA.is_file():
        pytest.skip("no SARIF schema in ../shared/schemas")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    log = json.loads(render(_result(), "sarif"))
    assert log["runs"][0]["results"][0]["fixes"]
    assert list(validator.iter_errors(log)) == []


def test_sarif_without_a_column_has_no_fixes():
    flag = _modal_flag(TARGET, None)  # line and column 0: not placed in a file
    log = json.loads(render(_result(flag), "sarif"))
    assert "fixes" not in log["runs"][0]["results"][0]


# --- stores ------------------------------------------------------------------------------


def test_flag_cache_keeps_the_ranked_suggestions_and_recomputes_old_entries(tmp_path):
    segments = [_segment(TARGET, None)]
    cache = FlagCache(tmp_path / "cache.sqlite")
    first = cache.check(segments, None, RuleSettings(), check_segments)
    second = cache.check(segments, None, RuleSettings(), check_segments)
    assert cache.hits == 1 and second == first
    assert len(second[0][0].suggestions) == 2
    # an entry of the positional format, before flags were stored as records: a miss,
    # computed again and stored as records
    old = [[["modal-participle", "Fluency/Grammar", "major", "m", "soll x haben", 4, 10]]]
    with sqlite3.connect(tmp_path / "cache.sqlite") as db:
        db.execute("UPDATE flags SET value = ?", (json.dumps(old),))
    cache = FlagCache(tmp_path / "cache.sqlite")
    third = cache.check(segments, None, RuleSettings(), check_segments)
    assert cache.hits == 0 and cache.misses == 1 and third == first
    with sqlite3.connect(tmp_path / "cache.sqlite") as db:
        (stored,) = db.execute("SELECT value FROM flags").fetchone()
    assert json.loads(stored)[0][0]["suggestions"] == list(first[0][0].suggestions)
    cache.close()


def test_audit_stores_and_reports_the_ranked_suggestions(tmp_path):
    from tests.helpers import audit, read_segments, write_jsonl

    rows = [{"id": "a", "target": TARGET, "reference": "I want to begin with a paradox."}]
    out = tmp_path / "out"
    code, output = audit(str(write_jsonl(tmp_path / "t.jsonl", rows)), "--out", str(out),
                         "--no-backtranslation")
    assert code == 0, output
    (segment,) = read_segments(out)
    (flag,) = [f for f in segment["flags"] if f["rule"] == "modal-participle"]
    assert flag["suggestions"] == [
        "möchte mit einem Paradox beginnen", "möchte mit einem Paradox begonnen haben"]
    assert flag["suggestion"] == flag["suggestions"][0]
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "Paradox beginnen" in page and "Paradox begonnen haben" in page


def test_a_flag_record_keeps_the_ranked_suggestions():
    from mtcheck.audit.output import _flag_record
    from mtcheck.model import Flag, flag_from_dict, flag_to_dict

    flag = Flag(
        "number-format", "Locale convention", "minor", "m", None, (0, 4),
        suggestions=("3,5 %", "3,5 Prozent"),
    )
    assert flag_from_dict(flag_to_dict(flag)) == flag
    assert _flag_record(flag)["suggestions"] == ["3,5 %", "3,5 Prozent"]
    assert _flag_record(flag)["suggestion"] == "3,5 %"
