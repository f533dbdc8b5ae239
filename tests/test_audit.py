"""mtcheck audit: table formats, summary by group, errors, streaming, and resumption after
SIGKILL (the result equals an uninterrupted run's, every segment exactly once)."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from tests.helpers import audit, kill_three_times_then_finish, make_rows, read_segments, write_jsonl  # noqa: E402


def write_delimited(path: Path, rows: list[dict], delimiter: str) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
        writer = csv.writer(handle, delimiter=delimiter, quoting=quoting, escapechar=None)
        writer.writerow(list(rows[0]))
        for row in rows:
            writer.writerow(["" if value is None else value for value in row.values()])
    return path


def write_parquet(path: Path, rows: list[dict]) -> Path:
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=16)
    return path


# -- formats and summary -----------------------------------------------------------------


def test_every_table_format_gives_the_same_segments(tmp_path):
    rows = make_rows(60)
    inputs = [
        write_jsonl(tmp_path / "t.jsonl", rows),
        write_delimited(tmp_path / "t.tsv", rows, "\t"),
        write_delimited(tmp_path / "t.csv", rows, ","),
        write_parquet(tmp_path / "t.parquet", rows),
    ]
    outputs = []
    for path in inputs:
        out = tmp_path / f"out-{path.suffix[1:]}"
        code, output = audit(str(path), "--out", str(out), "--no-backtranslation", "--quiet")
        assert code == 0, output
        outputs.append(read_segments(out))
    first = outputs[0]
    assert [s["id"] for s in first] == [r["id"] for r in rows]
    assert list(first[0]) == [
        "id",
        "system",
        "doc",
        "n",
        "target",
        "reference",
        "backtranslation",
        "chrf",
        "bleu",
        "ter",
        "adequacy",
        "flags",
    ]
    assert first[0]["n"] == rows[0]["n"]  # metadata keep their type: an int in every format
    assert [s["reference"] for s in first] == [r["reference"] for r in rows]
    assert any(s["flags"] for s in first)
    for other in outputs[1:]:
        assert other == first


def test_summary_per_group_counts_by_hand(tmp_path):
    rows = [
        # 8 words, modal-participle (major)
        {
            "id": "a1",
            "target": "Das Unternehmen soll monatelang mit zwei Herstellern verhandelt.",
            "system": "A",
        },
        # 6 words (3.5 is two), number-format (minor)
        {"id": "b1", "target": "Die Aktien stiegen um 3.5%.", "system": "B"},
        # 5 words, no flag
        {"id": "a2", "target": "Das Wetter ist heute schön.", "system": "A"},
        # 6 words, number-format (minor)
        {"id": "b2", "target": "Die Kosten sanken um 1.5%.", "system": "B"},
    ]
    path = write_jsonl(tmp_path / "small.jsonl", rows)
    out = tmp_path / "out"
    code, output = audit(
        str(path), "--out", str(out), "--no-backtranslation", "--group-by", "system"
    )
    assert code == 0, output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["group_by"] == "system"
    a, b, overall = summary["groups"]["A"], summary["groups"]["B"], summary["overall"]
    assert (a["segments"], a["words"], a["flags"]) == (2, 13, 1)
    assert a["by_rule"] == {"modal-participle": {"major": 1}}
    assert a["by_severity"] == {"minor": 0, "major": 1, "critical": 0}
    assert a["penalty"] == 5 and a["penalty_per_1000_words"] == round(5000 / 13, 2)
    assert (b["segments"], b["words"], b["flags"]) == (2, 12, 2)
    assert b["by_rule"] == {"number-format": {"minor": 2}}
    assert b["penalty"] == 2 and b["penalty_per_1000_words"] == round(2000 / 12, 2)
    assert (overall["segments"], overall["words"], overall["penalty"]) == (4, 25, 7)
    assert overall["scores"] is None  # no back-translation, no references
    # Another grouping of a finished job: outputs rewritten from the store, nothing computed.
    code, output = audit(str(path), "--out", str(out), "--no-backtranslation")
    assert code == 0 and "0 computed" in output
    assert json.loads((out / "summary.json").read_text())["groups"] is None


def test_corpus_scores_match_sacrebleu_corpus_scores(tmp_path, tiny_model):
    from sacrebleu.metrics import BLEU, CHRF, TER

    rows = make_rows(40, seed=3)
    path = write_jsonl(tmp_path / "t.jsonl", rows)
    out = tmp_path / "out"
    code, output = audit(
        str(path),
        "--out",
        str(out),
        "--model",
        str(tiny_model),
        "--beams",
        "1",
        "--group-by",
        "system",
        "--quiet",
    )
    assert code == 0, output
    segments = read_segments(out)
    summary = json.loads((out / "summary.json").read_text())
    for group, figures in [(None, summary["overall"])] + [(g, summary["groups"][g]) for g in "ABC"]:
        chosen = [
            s
            for s in segments
            if s["reference"] is not None and (group is None or s["system"] == group)
        ]
        hypotheses = [s["backtranslation"] for s in chosen]
        references = [[s["reference"] for s in chosen]]
        assert figures["segments_with_reference"] == len(chosen)
        assert figures["scores"] == {
            name: round(metric().corpus_score(hypotheses, references).score, 2)
            for name, metric in (("chrf", CHRF), ("bleu", BLEU), ("ter", TER))
        }
    assert all(s["chrf"] is not None for s in segments if s["reference"])


# -- errors ------------------------------------------------------------------------------


def test_bad_inputs_are_one_sentence_naming_file_and_line(tmp_path):
    out = str(tmp_path / "out")
    missing = tmp_path / "no-target.csv"
    missing.write_text("id,text\n1,Hallo\n")
    code, output = audit(str(missing), "--out", out, "--no-backtranslation")
    assert code == 2 and f"{missing}:1: no 'target' column" in output

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"target": "Gut."}\n{"target": "Auch gut."}\n{"target": \n')
    code, output = audit(str(bad), "--out", out, "--no-backtranslation")
    assert code == 2 and f"{bad}:3: invalid JSON" in output
    assert "Traceback" not in output

    code, output = audit(str(tmp_path / "absent.jsonl"), "--out", out, "--no-backtranslation")
    assert code == 2 and "absent.jsonl: no such file" in output

    ragged = tmp_path / "ragged.tsv"
    ragged.write_text("id\ttarget\n1\tEins.\n2\tZwei.\textra\n")
    code, output = audit(str(ragged), "--out", out, "--no-backtranslation")
    assert code == 2 and f"{ragged}:3:" in output

    good = write_jsonl(tmp_path / "good.jsonl", make_rows(3))
    code, output = audit(str(good), "--out", out, "--ray-address", "auto")
    assert code == 2 and "--ray-address needs --engine ray" in output
    code, output = audit(str(good), "--out", out, "--no-backtranslation", "--group-by", "x")
    assert code == 2 and "'x' column" in output


def test_other_options_into_the_same_folder_need_overwrite(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", make_rows(20))
    out = str(tmp_path / "out")
    assert audit(str(path), "--out", out, "--no-backtranslation")[0] == 0
    code, output = audit(str(path), "--out", out, "--no-backtranslation", "--limit", "5")
    assert code == 2 and "--overwrite" in output
    code, output = audit(
        str(path), "--out", out, "--no-backtranslation", "--limit", "5", "--overwrite"
    )
    assert code == 0, output
    assert len(read_segments(Path(out))) == 5


def test_limit_and_sample_are_deterministic(tmp_path):
    rows = make_rows(100)
    path = write_jsonl(tmp_path / "t.jsonl", rows)
    runs = []
    for k in range(2):
        out = tmp_path / f"out{k}"
        code, output = audit(
            str(path),
            "--out",
            str(out),
            "--no-backtranslation",
            "--limit",
            "50",
            "--sample",
            "10",
            "--seed",
            "4",
        )
        assert code == 0, output
        runs.append([s["id"] for s in read_segments(out)])
    assert runs[0] == runs[1] and len(runs[0]) == 10
    positions = [int(i[1:]) for i in runs[0]]
    assert positions == sorted(positions) and max(positions) < 50


# -- streaming ---------------------------------------------------------------------------


class CountingStream(io.BytesIO):
    """A binary stream that counts the lines handed out."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.lines = 0

    def readline(self, *args):
        line = super().readline(*args)
        if line:
            self.lines += 1
        return line

    def __next__(self):
        line = super().__next__()
        self.lines += 1
        return line


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".tsv"])
def test_readers_are_lazy(tmp_path, suffix):
    from mtcheck.io.tables import read_rows

    rows = make_rows(3000)
    path = tmp_path / f"big{suffix}"
    if suffix == ".jsonl":
        write_jsonl(path, rows)
    else:
        write_delimited(path, rows, "," if suffix == ".csv" else "\t")
    stream = CountingStream(path.read_bytes())
    first = list(itertools.islice(read_rows(path, stream), 100))
    assert [r.id for r in first] == [r["id"] for r in rows[:100]]
    assert stream.lines <= 102  # the header, 100 records, at most one line ahead


def test_batches_take_rows_as_they_come():
    from mtcheck.audit import batches
    from mtcheck.io.tables import Row

    taken = 0

    def rows():
        nonlocal taken
        for k in itertools.count():
            taken += 1
            yield Row("t.jsonl", k + 1, str(k), "Text.", None, (("doc", str(k // 4)),))

    stream = batches(rows(), 10**9, None, 64)
    first, batch, runs = next(stream)
    assert (first, len(batch), runs) == (0, 64, [4] * 16)
    assert taken <= 64 + 1
    first, batch, _runs = next(stream)
    assert first == 64 and taken <= 128 + 1


# -- resumption after SIGKILL ------------------------------------------------------------


def test_sigkill_and_rerun_flags_only(tmp_path):
    # The uninterrupted run uses one process, the killed ones two workers: same results.
    total = 3000
    path = write_parquet(tmp_path / "big.parquet", make_rows(total, seed=11))
    kill_three_times_then_finish(
        tmp_path,
        path,
        total,
        lambda cache: [
            "--no-backtranslation",
            "--group-by",
            "system",
            "--batch-size",
            "8",
            "--quiet",
            "--workers",
            "2" if cache.name == "cache-b.sqlite" else "1",
        ],
        seed=5,
    )


def test_sigkill_and_rerun_with_the_model(tmp_path, terse_tiny_model, monkeypatch):
    """Issue 5's acceptance: 20,000 segments with the tiny model, killed three times."""
    # A model this small runs slower on two threads than on one (the threads' overhead
    # outweighs its tiny matrices); the subprocesses inherit the setting.
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    total = 20_000
    path = write_jsonl(tmp_path / "model.jsonl", make_rows(total, seed=12))
    kill_three_times_then_finish(
        tmp_path,
        path,
        total,
        lambda cache: [
            "--model",
            str(terse_tiny_model),
            "--device",
            "cpu",
            "--beams",
            "2",
            "--batch-size",
            "16",
            "--cache",
            str(cache),
            "--quiet",
        ],
        seed=6,
    )


def test_help_does_not_import_pyarrow():
    code = (
        "import sys; from click.testing import CliRunner; from mtcheck.cli import main; "
        "r = CliRunner().invoke(main, ['audit', '--help']); assert r.exit_code == 0, r.output; "
        "assert 'pyarrow' not in sys.modules and 'torch' not in sys.modules"
    )
    env = dict(os.environ)
    assert subprocess.run([sys.executable, "-c", code], env=env).returncode == 0
