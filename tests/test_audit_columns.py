"""``mtcheck audit``'s column options, MQM annotation tables and typed metadata: the
German, English and id columns named (--target-column, --reference-column, --id-column;
``source``/``src`` taken as the English reference with a note), MQM tables (one row per
error and rater) merged to one segment per system, doc and segment, ``<v>`` spans removed
with --strip-tag v, and metadata that keep their types in segments.parquet."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from mtcheck.audit.store import Store  # noqa: E402
from mtcheck.cli import main  # noqa: E402
from mtcheck.errors import ConfigError, InputError  # noqa: E402
from mtcheck.io.columns import (  # noqa: E402
    TableColumns,
    column_value,
    merge_kinds,
    typed_text,
    value_kind,
)
from mtcheck.io.sources import expand_inputs  # noqa: E402
from mtcheck.io.tables import read_rows  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SHARED_MQM = {
    "ted": SHARED / "mqm-ted-ende" / "mqm_ted_ende.dev.tsv",
    "general2023": SHARED / "mqm-general2023-ende" / "mqm_general2023_ende.dev.tsv",
}
# The columns that name a segment in each shared table (besides system and doc).
SHARED_KEYS = {"ted": ("doc_id", "seg_id"), "general2023": ("docSegId", "globalSegId")}
# One cheap rule: these tests are about reading, not flagging.
FLAGS_ONLY = ("--no-backtranslation", "--quiet", "--select", "straight-quotes")


def audit(*args: str):
    return CliRunner().invoke(main, ["audit", *args])


def segments(out: Path) -> list[dict]:
    return pq.read_table(out / "segments.parquet").to_pylist()


def schema(out: Path):
    return pq.read_schema(out / "segments.parquet")


# -- a synthetic MQM table, as the WMT releases ship them ------------------------------------

MQM_HEADER = ["system", "doc", "docSegId", "globalSegId", "rater", "source", "target"]
MQM_HEADER += ["category", "severity"]
# (doc, segment, English, German): two documents, two segments each.
MQM_SEGMENTS = [
    ("news-1", 1, "The company grew.", "Das Unternehmen wuchs."),
    ("news-1", 2, "Sales rose by 3.5 percent.", "Der Umsatz stieg um 3,5 Prozent."),
    ("news-2", 1, "The minister resigned.", "Der Minister trat zurück."),
    ("news-2", 2, "He gave no reason.", "Er nannte keinen Grund."),
]
SYSTEMS = ("sysA", "sysB")


def _spans(text: str, rater: int) -> str:
    """``text`` with the error span each rater marks: another word each."""
    words = text.split(" ")
    k = rater % len(words)
    words[k] = f"<v>{words[k]}</v>"
    return " ".join(words)


def write_mqm(path: Path, docs_again: bool = False) -> Path:
    """One row per error and rater, a document's rows together with the systems and raters
    interleaved (as the WMT files list them), error spans marked with <v>; one error of
    the source is marked too. ``docs_again``: the first document's rows once more at the
    end (a table not sorted by doc)."""
    rows = []
    global_id = 0
    for doc, number, english, german in MQM_SEGMENTS:
        global_id += 1
        for rater in (1, 2, 3):
            for system in SYSTEMS:
                errors = 2 if rater == 2 else 1  # rater 2 found two errors
                for _ in range(errors):
                    source = f"<v>{english}</v>" if rater == 3 else english
                    rows.append(
                        [system, doc, number, global_id, f"rater{rater}", source]
                        + [_spans(german, rater), "Fluency/Grammar", "Minor"]
                    )
    if docs_again:
        rows += [row for row in rows if row[1] == "news-1"][:1]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", quoting=csv.QUOTE_NONE, lineterminator="\n")
        writer.writerow(MQM_HEADER)
        writer.writerows(rows)
    return path


def test_an_mqm_table_gives_one_segment_per_system_doc_and_segment(tmp_path):
    table = write_mqm(tmp_path / "mqm.tsv")
    out = tmp_path / "out"
    result = audit(str(table), "--out", str(out), *FLAGS_ONLY, "--strip-tag", "v")
    assert result.exit_code == 0, result.output
    found = segments(out)
    assert len(found) == len(MQM_SEGMENTS) * len(SYSTEMS)  # 24 rows in the table
    assert len({(s["system"], s["doc"], s["docSegId"]) for s in found}) == len(found)
    english = {(doc, n): en for doc, n, en, _de in MQM_SEGMENTS}
    german = {(doc, n): de for doc, n, _en, de in MQM_SEGMENTS}
    for segment in found:
        key = (segment["doc"], segment["docSegId"])
        assert segment["reference"] == english[key]  # 'source' is the reference
        assert segment["target"] == german[key]  # the spans removed
    # A document's segments come system by system, in order: one system's document run.
    assert [(s["doc"], s["system"], s["docSegId"]) for s in found[:4]] == [
        ("news-1", "sysA", 1),
        ("news-1", "sysA", 2),
        ("news-1", "sysB", 1),
        ("news-1", "sysB", 2),
    ]
    names = schema(out).names
    assert not {"rater", "category", "severity", "source"} & set(names)
    assert schema(out).field("docSegId").type == pa.int64()
    # The id is the first row of the segment: the table's file name and line.
    assert found[0]["id"] == "mqm.tsv:2"
    notes = result.stderr
    assert "taking 'source' as the English reference" in notes
    assert "MQM annotations" in notes and "merged into one segment" in notes
    assert "rater, category, severity are left out" in notes
    assert "--strip-tag v removes them" not in notes  # asked for already


def test_without_strip_tag_the_spans_stay_and_the_note_says_how(tmp_path):
    table = write_mqm(tmp_path / "mqm.tsv")
    out = tmp_path / "out"
    result = audit(str(table), "--out", str(out), *FLAGS_ONLY)
    assert result.exit_code == 0, result.output
    found = segments(out)
    assert len(found) == len(MQM_SEGMENTS) * len(SYSTEMS)
    # The first row's text, with rater 1's span.
    assert found[0]["target"] == _spans(MQM_SEGMENTS[0][3], 1)
    assert "--strip-tag v removes them" in result.stderr


def test_strip_tag_is_part_of_the_job(tmp_path):
    table = write_mqm(tmp_path / "mqm.tsv")
    out = tmp_path / "out"
    assert audit(str(table), "--out", str(out), *FLAGS_ONLY).exit_code == 0
    again = audit(str(table), "--out", str(out), *FLAGS_ONLY, "--strip-tag", "v")
    assert again.exit_code == 2
    assert "holds an audit of other inputs or options" in again.output
    (source,) = expand_inputs([table])
    assert source.identity() == [str(table.resolve()), *source.identity()[1:3]]
    assert len(source.identity()) == 3  # the defaults leave a table's identity as it was
    (stripped,) = expand_inputs([table], columns=TableColumns(strip_tags=("v",)))
    assert stripped.identity()[:3] == source.identity()
    assert stripped.identity()[3] == {
        "columns": {"target": None, "reference": None, "id": None, "strip_tags": ["v"]}
    }


def test_mqm_rows_of_a_doc_after_other_docs_are_refused(tmp_path):
    table = write_mqm(tmp_path / "mqm.tsv", docs_again=True)
    result = audit(str(table), "--out", str(tmp_path / "out"), *FLAGS_ONLY)
    assert result.exit_code == 2
    assert f"{table}:" in result.output and "sort the table by doc" in result.output
    assert "Traceback" not in result.output


def test_group_by_a_per_error_column_is_refused(tmp_path):
    table = write_mqm(tmp_path / "mqm.tsv")
    result = audit(str(table), "--out", str(tmp_path / "out"), *FLAGS_ONLY, "--group-by", "rater")
    assert result.exit_code == 2
    assert "--group-by 'rater' names a per-error column of an MQM table" in result.output


def test_mqm_rows_in_jsonl_merge_too(tmp_path):
    table = tmp_path / "mqm.jsonl"
    records = [
        {"system": "A", "doc": "d", "seg_id": 1, "rater": r, "source": "Hello.", "target": t}
        | {"category": c, "severity": s}
        for r, t, c, s in [
            ("r1", "<v>Halo</v>.", "Fluency/Spelling", "Minor"),
            ("r2", "Halo.", "No-error", "No-error"),
        ]
    ]
    table.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (row,) = read_rows(table, columns=TableColumns(strip_tags=("v",)))
    assert (row.target, row.reference, row.id) == ("Halo.", "Hello.", "mqm.jsonl:1")
    assert dict(row.meta) == {"system": "A", "doc": "d", "seg_id": 1}


# -- the shared MQM tables (in ../shared/data beside the checkout; not in a CI clone) ---------


def _shared(name: str) -> Path:
    path = SHARED_MQM[name]
    if not path.is_file():
        pytest.skip(f"{path} is not there (the shared data sit beside the checkout)")
    return path


def _expected_segments(path: Path, keys: tuple[str, ...]) -> set[tuple]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {(r["system"], r["doc"], *(int(r[k]) for k in keys)) for r in reader}


@pytest.mark.parametrize("name", sorted(SHARED_MQM))
def test_shared_mqm_table_gives_every_segment_once_with_its_reference(name):
    path = _shared(name)
    keys = SHARED_KEYS[name]
    rows = list(read_rows(path, columns=TableColumns(strip_tags=("v",))))
    found = [(r.get("system"), r.get("doc"), *(r.get(k) for k in keys)) for r in rows]
    assert len(found) == len(set(found))  # one row per segment
    assert set(found) == _expected_segments(path, keys)
    assert all(r.reference for r in rows)  # the English of every segment
    assert not any("<v>" in r.target or "<v>" in r.reference for r in rows)
    assert all(isinstance(r.get(k), int) for r in rows for k in keys)


def test_audit_of_the_shared_mqm_table_has_a_reference_for_every_segment(tmp_path):
    path = _shared("general2023")
    out = tmp_path / "out"
    result = audit(
        str(path), "--out", str(out), *FLAGS_ONLY, "--strip-tag", "v", "--group-by", "system"
    )
    assert result.exit_code == 0, result.output
    found = segments(out)
    assert len(found) == len(_expected_segments(path, SHARED_KEYS["general2023"]))
    assert all(s["reference"] for s in found)
    assert "taking 'source' as the English reference" in result.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["overall"]["segments"] == len(found)
    assert summary["metadata_columns"]["globalSegId"] == "int64"
    assert sum(group["segments"] for group in summary["groups"].values()) == len(found)


# -- column mapping --------------------------------------------------------------------------


def _csv(path: Path, rows: list[list]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path


def test_columns_named_on_the_command_line(tmp_path):
    table = _csv(
        tmp_path / "t.csv",
        [
            ["seg", "de", "en", "lp"],
            ["a1", "Das Haus ist groß.", "The house is big.", "en-de"],
            ["a2", "Der Hund schläft.", "The dog sleeps.", "en-de"],
        ],
    )
    out = tmp_path / "out"
    mapping = ("--target-column", "de", "--reference-column", "en", "--id-column", "seg")
    result = audit(str(table), "--out", str(out), *FLAGS_ONLY, *mapping)
    assert result.exit_code == 0, result.output
    found = segments(out)
    assert [(s["id"], s["target"], s["reference"], s["lp"]) for s in found] == [
        ("a1", "Das Haus ist groß.", "The house is big.", "en-de"),
        ("a2", "Der Hund schläft.", "The dog sleeps.", "en-de"),
    ]
    assert not {"seg", "de", "en"} & set(schema(out).names)
    assert "note" not in result.stderr  # nothing guessed


@pytest.mark.parametrize("alias", ["source", "src"])
def test_source_or_src_is_the_reference_with_a_note(tmp_path, alias):
    table = _csv(tmp_path / "t.csv", [["target", alias], ["Das Haus.", "The house."]])
    out = tmp_path / "out"
    result = audit(str(table), "--out", str(out), *FLAGS_ONLY)
    assert result.exit_code == 0, result.output
    assert segments(out)[0]["reference"] == "The house."
    assert result.stderr.count("mtcheck: note:") == 1
    assert f"t.csv: no 'reference' column; taking {alias!r} as the English reference" in (
        result.stderr
    )


def test_a_reference_column_wins_over_source(tmp_path):
    table = _csv(
        tmp_path / "t.csv", [["target", "reference", "source"], ["Das Haus.", "The house.", "x"]]
    )
    (row,) = read_rows(table)
    assert row.reference == "The house." and row.get("source") == "x"


def test_target_column_can_be_called_source(tmp_path):
    # A de→? table whose German is 'source': the alias is not then the reference.
    table = _csv(tmp_path / "t.csv", [["source", "en"], ["Das Haus.", "The house."]])
    (row,) = read_rows(table, columns=TableColumns(target="source", reference="en"))
    assert (row.target, row.reference, row.meta) == ("Das Haus.", "The house.", ())


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--target-column", "de"), "no 'de' column in the header for --target-column"),
        (("--reference-column", "eng"), "no 'eng' column in the header for --reference-column"),
        (("--id-column", "key"), "no 'key' column in the header for --id-column"),
    ],
)
def test_a_named_column_that_is_not_there_is_one_sentence(tmp_path, options, message):
    table = _csv(tmp_path / "t.csv", [["target", "en"], ["Das Haus.", "The house."]])
    result = audit(str(table), "--out", str(tmp_path / "out"), *FLAGS_ONLY, *options)
    assert result.exit_code == 2
    assert f"mtcheck: error: {table}:1: {message}" in result.output
    assert "'target', 'en'" in result.output  # the columns there are


def test_bad_column_options_are_refused(tmp_path):
    table = _csv(tmp_path / "t.csv", [["target", "en"], ["Das Haus.", "The house."]])
    out = str(tmp_path / "out")
    twice = audit(str(table), "--out", out, *FLAGS_ONLY, "--target-column", "en")
    # 'en' is the target: the 'target' column left over would clash with the output's.
    assert twice.exit_code == 2 and "column 'target' clashes" in twice.output
    same = audit(str(table), "--out", out, "--reference-column", "en", "--id-column", "en")
    assert same.exit_code == 2
    assert "--reference-column and --id-column both name column 'en'" in same.output
    tag = audit(str(table), "--out", out, *FLAGS_ONLY, "--strip-tag", "<v>")
    assert tag.exit_code == 2 and "--strip-tag '<v>': give a tag name" in tag.output
    xliff = tmp_path / "a.xlf"
    xliff.write_text(
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file '
        'source-language="en" target-language="de" datatype="plaintext" original="a">'
        '<body><trans-unit id="1"><source>Hi.</source><target>Hallo.</target>'
        "</trans-unit></body></file></xliff>",
        encoding="utf-8",
    )
    only_xliff = audit(str(xliff), "--out", out, *FLAGS_ONLY, "--target-column", "de")
    assert only_xliff.exit_code == 2
    assert "apply to segment tables" in only_xliff.output
    with pytest.raises(ConfigError):
        TableColumns(target="a", id="a")


def test_strip_tag_removes_only_the_named_tags(tmp_path):
    table = tmp_path / "t.jsonl"
    record = {"target": 'Ein <v>Haus</v> und <b x="1">Hof</b>.', "reference": "A <v>house</v>."}
    table.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (row,) = read_rows(table, columns=TableColumns(strip_tags=("v",)))
    assert row.target == 'Ein Haus und <b x="1">Hof</b>.'
    assert row.reference == "A house."
    (both,) = read_rows(table, columns=TableColumns(strip_tags=("v", "b")))
    assert both.target == "Ein Haus und Hof."


# -- metadata types ----------------------------------------------------------------------------


def test_metadata_keep_their_types_from_jsonl(tmp_path):
    table = tmp_path / "t.jsonl"
    records = [
        {"target": "Das Haus.", "n": 3, "score": 0.25, "ok": True, "tags": ["a"], "note": None},
        {"target": "Der Hof.", "n": 4, "score": 1, "ok": False, "tags": [], "note": "x"},
    ]
    table.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out"
    result = audit(str(table), "--out", str(out), *FLAGS_ONLY)
    assert result.exit_code == 0, result.output
    types = {field.name: field.type for field in schema(out)}
    assert types["n"] == pa.int64()
    assert types["score"] == pa.float64()  # 0.25 and 1: numbers
    assert types["ok"] == pa.bool_()
    assert types["tags"] == pa.string() and types["note"] == pa.string()
    found = segments(out)
    assert [(s["n"], s["score"], s["ok"], s["tags"], s["note"]) for s in found] == [
        (3, 0.25, True, '["a"]', None),
        (4, 1.0, False, "[]", "x"),
    ]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["metadata_columns"] == {
        "n": "int64",
        "score": "double",
        "ok": "bool",
        "tags": "string",
        "note": "string",
    }


def test_metadata_types_from_tsv_and_parquet_agree(tmp_path):
    header = ["target", "n", "score", "ok", "code", "mixed", "empty"]
    rows = [
        ["Das Haus.", "3", "0.25", "true", "007", "1", ""],
        ["Der Hof.", "-12", "1.5", "false", "008", "x", "2"],
    ]
    tsv = tmp_path / "t.tsv"
    tsv.write_text("".join("\t".join(r) + "\n" for r in [header, *rows]), encoding="utf-8")
    parquet = tmp_path / "t.parquet"
    table = {
        "target": ["Das Haus.", "Der Hof."],
        "n": [3, -12],
        "score": [0.25, 1.5],
        "ok": [True, False],
        "code": ["007", "008"],
        "mixed": ["1", "x"],
        "empty": [None, 2],
    }
    pq.write_table(pa.table(table), parquet)
    results = []
    for path in (tsv, parquet):
        out = tmp_path / f"out-{path.suffix[1:]}"
        result = audit(str(path), "--out", str(out), *FLAGS_ONLY)
        assert result.exit_code == 0, result.output
        results.append((schema(out), segments(out)))
    (tsv_schema, tsv_rows), (parquet_schema, parquet_rows) = results
    assert tsv_schema == parquet_schema
    assert tsv_schema.field("empty").type == pa.int64()  # an empty field is missing
    assert tsv_schema.field("code").type == pa.string()  # 007 is not written as a number
    assert [(s["n"], s["score"], s["ok"], s["code"], s["mixed"], s["empty"]) for s in tsv_rows] == [
        (3, 0.25, True, "007", "1", None),
        (-12, 1.5, False, "008", "x", 2),
    ]
    assert [s["id"].split(":")[1] for s in tsv_rows] == ["2", "3"]
    assert [{k: v for k, v in s.items() if k != "id"} for s in tsv_rows] == [
        {k: v for k, v in s.items() if k != "id"} for s in parquet_rows
    ]


def test_group_by_a_typed_column(tmp_path):
    table = tmp_path / "t.jsonl"
    records = [{"target": "Das Haus.", "year": y} for y in (2023, 2024, 2023)]
    records.append({"target": "Der Hof."})
    table.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out"
    result = audit(str(table), "--out", str(out), *FLAGS_ONLY, "--group-by", "year")
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert {key: group["segments"] for key, group in summary["groups"].items()} == {
        "2023": 2,
        "2024": 1,
        "(missing)": 1,
    }


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3", 3),
        ("-0", "-0"),
        ("007", "007"),
        ("1.5", 1.5),
        ("1.50", "1.50"),  # would not read back the same
        ("1e-05", 1e-05),
        ("nan", "nan"),
        ("inf", "inf"),
        ("True", True),
        ("false", False),
        ("yes", "yes"),
        ("9" * 30, "9" * 30),  # beyond 64 bits
        ("", ""),
    ],
)
def test_tsv_fields_typed_only_where_they_read_back_the_same(text, value):
    found = typed_text(text)
    assert found == value and type(found) is type(value)


def test_kinds_merge_as_the_store_merges_them(tmp_path):
    assert merge_kinds("int", "float") == "float"
    assert merge_kinds("null", "bool") == "bool" and merge_kinds("bool", "null") == "bool"
    assert merge_kinds("int", "bool") == "string"
    assert merge_kinds(None, "int") == "string"  # a store from before kinds: text
    assert [value_kind(v) for v in (None, "", True, 3, 2.5, "x", 2**70)] == [
        "null",
        "null",
        "bool",
        "int",
        "float",
        "string",
        "string",
    ]
    assert column_value(True, "string") == "true" and column_value("", "int") is None
    assert column_value(3, "float") == 3.0 and column_value(3, "string") == "3"
    store = Store(tmp_path / "audit.sqlite")
    batches = [
        [("a", 0, "int"), ("b", 1, "null"), ("c", 2, "int")],
        [("a", 4096, "float"), ("b", 4097, "bool"), ("c", 4098, "string")],
        [("a", 8192, "null"), ("b", 8193, "null"), ("c", 8194, "int")],
    ]
    for ordinal, columns in enumerate(batches):
        store.commit([(ordinal, '{"meta": {}}')], columns)
    assert store.column_kinds() == [("a", "float"), ("b", "bool"), ("c", "string")]
    store.close()


def test_a_store_from_before_kinds_gets_its_kind_column(tmp_path):
    path = tmp_path / "audit.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE columns (name TEXT PRIMARY KEY, first INTEGER NOT NULL)")
    db.execute("INSERT INTO columns VALUES ('n', 0)")
    db.commit()
    db.close()
    store = Store(path)
    assert store.column_kinds() == [("n", None)]
    store.commit([(1, '{"meta": {}}')], [("n", 4096, "int"), ("m", 4097, "int")])
    assert store.column_kinds() == [("n", "string"), ("m", "int")]  # old values are text
    store.close()


def test_a_run_is_one_system_of_one_doc(tmp_path):
    from mtcheck.io.tables import Row

    def row(system, doc):
        meta = (("system", system), ("doc", doc)) if system else (("doc", doc),)
        return Row("t.tsv", 1, "1", "Text.", None, meta)

    assert row("A", "d").run_key() != row("B", "d").run_key()
    assert row("A", "d").run_key() == row("A", "d").run_key()
    assert row(None, "d").run_key() == ("t.tsv", None, "d")
    assert row("A", "").run_key() is None


def test_an_input_error_in_a_table_names_its_line(tmp_path):
    table = tmp_path / "t.jsonl"
    table.write_text('{"de": "Gut."}\n{"de": 3}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"t\.jsonl:2: the record has a 'de' that is not text"):
        list(read_rows(table, columns=TableColumns(target="de")))


def test_a_numeric_doc_column_reads_as_documents_on_the_page(tmp_path):
    table = tmp_path / "t.tsv"
    table.write_text(
        'target\tdoc\nDas Haus ist "groß".\t17\nDer Hund.\t17\nDie Katze "schläft".\t18\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = audit(str(table), "--out", str(out), *FLAGS_ONLY)
    assert result.exit_code == 0, result.output
    assert schema(out).field("doc").type == pa.int64()
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "Die Katze" in page and ">17<" in page  # the document's bar is labelled 17
