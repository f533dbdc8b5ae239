"""scripts/compare_outputs.py: what counts as the same output of two revisions.

The script itself runs mtcheck on both revisions (minutes); these tests check its
comparison on small inline outputs: only version and time fields may differ.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

compare_outputs = importlib.import_module("compare_outputs")

REPORT = {
    "mtcheck_version": "0.1.0",
    "model": None,
    "documents": [{"path": "a.de.txt", "scores": {"chrf": 41.5, "bleu": 12.0}, "segments": []}],
    "summary": {"flags": 2, "elapsed": 1.25},
}


def encoded(value, indent: int = 2) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=indent) + "\n").encode()


def changed(**summary) -> dict:
    report = json.loads(json.dumps(REPORT))
    report["summary"].update(summary)
    return report


def test_version_and_time_fields_may_differ():
    other = json.loads(json.dumps(REPORT))
    other["mtcheck_version"] = "0.2.0.dev3"
    other["summary"]["elapsed"] = 9.5
    assert compare_outputs.compare_json(encoded(REPORT), encoded(other)) == (
        True,
        "apart from version/time fields",
    )
    assert compare_outputs.compare_json(encoded(REPORT), encoded(REPORT)) == (True, "")


def test_a_changed_result_is_named_by_its_path():
    other = json.loads(json.dumps(REPORT))
    other["documents"][0]["scores"]["chrf"] = 41.6
    same, detail = compare_outputs.compare_json(encoded(REPORT), encoded(other))
    assert not same
    assert detail == "$.documents[0].scores.chrf: 41.5 != 41.6"


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        (encoded(changed(flags=2.0)), "$.summary.flags: 2 != 2.0"),
        (encoded(dict(reversed(REPORT.items()))), "$: keys"),
        (encoded(REPORT, indent=4), "formatting: line 2"),
    ],
    ids=["int-or-float", "key-order", "indentation"],
)
def test_types_key_order_and_formatting_count(other, expected):
    same, detail = compare_outputs.compare_json(encoded(REPORT), other)
    assert not same
    assert detail.startswith(expected), detail


def test_sarif_driver_version_is_masked_but_not_the_sarif_version():
    sarif = {
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "mtcheck", "version": "0.1.0", "rules": []}}}],
    }
    newer = json.loads(json.dumps(sarif))
    newer["runs"][0]["tool"]["driver"]["version"] = "0.2.0"
    assert compare_outputs.compare_json(encoded(sarif), encoded(newer))[0]
    other_schema = dict(sarif, version="2.2.0")
    same, detail = compare_outputs.compare_json(encoded(sarif), encoded(other_schema))
    assert not same and detail.startswith("$.version")


def test_text_reports_may_differ_in_the_version_header_only():
    a = b"mtcheck 0.1.0  \xc2\xb7  flags only\nde/a.txt:2:11  major  modal-participle\n"
    b = a.replace(b"0.1.0", b"0.2.0")
    assert compare_outputs.compare_text(a, b, ("0.1.0", "0.2.0"))[0]
    worse = b.replace(b"2:11", b"2:12")
    same, detail = compare_outputs.compare_text(a, worse, ("0.1.0", "0.2.0"))
    assert not same and detail.startswith("line 2:")
    assert "2:11" in detail and "2:12" in detail


def test_long_strings_are_shown_where_they_differ():
    message = "The modal verb 'soll' has the bare participle 'versucht' without an infinitive"
    found = compare_outputs.first_difference({"m": message + "."}, {"m": message + "!"})
    assert found == (
        '$.m: "...ersucht\' without an infinitive." != "...ersucht\' without an infinitive!"'
    )


def test_parquet_compares_schema_and_rows_not_bytes(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rows = [
        {"id": "s0", "chrf": 41.5, "adequacy": float("nan"), "flags": [{"rule": "a"}]},
        {"id": "s1", "chrf": None, "adequacy": -2.0, "flags": []},
    ]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "a.parquet", compression="zstd")
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "b.parquet", compression="none")
    same, detail = compare_outputs.compare_parquet(tmp_path / "a.parquet", tmp_path / "b.parquet")
    assert same, detail  # NaN equals NaN; the compression is no result
    rows[1]["flags"] = [{"rule": "b"}]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "c.parquet")
    same, detail = compare_outputs.compare_parquet(tmp_path / "a.parquet", tmp_path / "c.parquet")
    assert not same and detail.startswith("rows[1].flags: 0 items != 1"), detail


def test_the_audit_table_and_cases_are_deterministic():
    assert compare_outputs.make_rows(200) == compare_outputs.make_rows(200)
    names = [case.name for case in compare_outputs.all_cases(["windpark"], quick=True)]
    assert len(names) == len(set(names))  # each case gets an output folder of its own
    assert "check windpark flags" in names and "gate-md write-baseline" in names
    assert names.index("gate-md write-baseline") < names.index("gate-md baseline json")
