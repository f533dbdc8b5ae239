"""Audits into one --out exclude each other, runs with other options never mix their
results in the store, and a full disk during an audit is one sentence after which the same
command resumes."""

from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")

from mtcheck.audit import AuditOptions, run_audit  # noqa: E402
from mtcheck.audit import job as audit_job  # noqa: E402
from mtcheck.audit.store import LOCK_NAME, PID_NAME, Store, StoreError  # noqa: E402
from mtcheck.backtranslate.settings import RunIdentity  # noqa: E402
from tests.helpers import audit, make_rows, read_segments, stored_results, write_jsonl  # noqa: E402

ROWS = 40  # two batches of 32 rows at --batch-size 2

# A model identity of its own: a job of other options than the --no-backtranslation one.
HELD = RunIdentity("held", None, "marian", "cpu", 4, "held")


@dataclass(frozen=True)
class _Translation:
    text: str


class _HeldTranslator:
    """A model that waits at its first call until ``release`` is set, and says when it
    got there (``reached``): the test decides what happens while the audit is running."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.release = threading.Event()

    def translate(self, texts):
        self.reached.set()
        assert self.release.wait(30), "the test never released the audit"
        return [_Translation(text[::-1]) for text in texts]

    def score(self, targets, references):
        return [-float(len(t) + len(r)) for t, r in zip(targets, references, strict=True)]


class _Background:
    """``run_audit(options, translator=...)`` in a thread; ``join`` gives its outcome or
    raises its error."""

    def __init__(self, options: AuditOptions, translator) -> None:
        self.outcome = self.error = None
        self._thread = threading.Thread(target=self._run, args=(options, translator))
        self._thread.start()

    def _run(self, options, translator) -> None:
        try:
            self.outcome = run_audit(options, translator=translator)
        except BaseException as error:  # noqa: BLE001 - handed to the test
            self.error = error

    def join(self):
        self._thread.join(60)
        assert not self._thread.is_alive(), "the background audit did not end"
        if self.error is not None:
            raise self.error
        return self.outcome


@pytest.fixture
def table(tmp_path) -> Path:
    return write_jsonl(tmp_path / "t.jsonl", make_rows(ROWS))


def test_a_second_audit_into_a_running_ones_folder_is_refused(tmp_path, table):
    out = tmp_path / "out"
    model = _HeldTranslator()
    first = _Background(
        AuditOptions(inputs=(table,), out=out, batch_size=2, identity=HELD), model
    )
    try:
        assert model.reached.wait(30)
        # Same inputs, other options, and --overwrite, which would delete the store.
        code, output = audit(str(table), "--out", str(out), "--no-backtranslation", "--overwrite")
    finally:
        model.release.set()
    outcome = first.join()
    assert code == 2 and output.count("\n") == 1 and "unexpected" not in output
    assert f"{out} is in use by another mtcheck audit (process {os.getpid()})" in output
    # The first run was not disturbed: every segment once, its store intact.
    assert outcome.status == "done" and outcome.segments == ROWS
    assert [s["id"] for s in read_segments(out)] == [f"s{k}" for k in range(ROWS)]
    assert stored_results(out) == ROWS
    assert not (out / PID_NAME).exists()  # gone with the run; the lock file may stay


def test_a_held_lock_without_a_pid_still_refuses(tmp_path, table):
    from filelock import FileLock

    out = tmp_path / "out"
    out.mkdir()
    with FileLock(out / LOCK_NAME, timeout=0):
        code, output = audit(str(table), "--out", str(out), "--no-backtranslation")
    assert code == 2 and "in use by another mtcheck audit (process unknown)" in output
    assert not (out / "audit.sqlite").exists()  # refused before the store was opened
    code, output = audit(str(table), "--out", str(out), "--no-backtranslation")
    assert code == 0, output


def test_a_run_whose_job_was_replaced_stores_nothing_more(tmp_path, table, monkeypatch):
    """What two runs with other options did to a folder before the lock: the second reset
    the first's job (it had stored nothing yet) and the first went on committing into the
    second's job, leaving "the store holds 40 results for 10 segments". The lock is lifted
    here to show that the store itself refuses such results."""
    monkeypatch.setattr(audit_job, "exclusive", lambda out: nullcontext())
    out = tmp_path / "out"
    model = _HeldTranslator()
    first = _Background(
        AuditOptions(inputs=(table,), out=out, batch_size=2, identity=HELD), model
    )
    try:
        assert model.reached.wait(30)
        second = run_audit(AuditOptions(inputs=(table,), out=out, limit=10, batch_size=2))
    finally:
        model.release.set()
    with pytest.raises(StoreError, match="another run replaced this audit's job"):
        first.join()
    assert second.status == "done" and second.segments == 10
    assert stored_results(out) == 10
    again = run_audit(AuditOptions(inputs=(table,), out=out, limit=10, batch_size=2))
    assert again.status == "nothing-to-do" and again.segments == 10
    assert [s["id"] for s in read_segments(out)] == [f"s{k}" for k in range(10)]


def test_a_stale_store_connection_cannot_commit_or_finish(tmp_path):
    path = tmp_path / "audit.sqlite"
    stale, other = Store(path), Store(path)
    stale.start("job-a", {})
    stale.commit([(0, '{"meta": {}}')], [])
    other.reset()
    other.start("job-b", {})
    for write in (
        lambda: stale.commit([(1, '{"meta": {}}')], []),
        lambda: stale.set_total(99),
        lambda: stale.set_finished(True),
    ):
        with pytest.raises(StoreError, match="another run replaced"):
            write()
    assert other.job() == ("job-b", None, False) and other.done() == 0
    other.commit([(0, '{"meta": {}}')], [])
    assert other.done() == 1
    stale.close()
    other.close()


def test_runs_with_other_options_one_after_the_other_keep_the_store_usable(tmp_path, table):
    out = str(tmp_path / "out")
    everything = [str(table), "--out", out, "--no-backtranslation", "--batch-size", "2"]
    assert audit(*everything)[0] == 0
    code, output = audit(*everything, "--limit", "10")
    assert code == 2 and "--overwrite" in output
    code, output = audit(*everything)  # the refused run left the store as it was
    assert code == 0 and "nothing to do" in output
    assert stored_results(Path(out)) == ROWS
    assert audit(*everything, "--limit", "10", "--overwrite")[0] == 0
    code, output = audit(*everything, "--limit", "10")
    assert code == 0 and "nothing to do" in output
    assert len(read_segments(Path(out))) == stored_results(Path(out)) == 10


def test_a_full_disk_during_an_audit_is_one_sentence_and_the_rerun_finishes(
    tmp_path, table, monkeypatch
):
    arguments = ["--no-backtranslation", "--batch-size", "2"]
    reference = tmp_path / "reference"
    assert audit(str(table), "--out", str(reference), *arguments)[0] == 0

    commit = Store.commit
    calls = []

    def full_at_the_second_batch(self, rows, columns):
        calls.append(len(rows))
        if len(calls) == 2:
            raise sqlite3.OperationalError("database or disk is full")
        commit(self, rows, columns)

    out = tmp_path / "out"
    monkeypatch.setattr(Store, "commit", full_at_the_second_batch)
    code, output = audit(str(table), "--out", str(out), *arguments)
    assert code == 2 and output.count("\n") == 1 and "unexpected" not in output
    assert f"The disk holding the audit store {out / 'audit.sqlite'} is full" in output
    assert "free space and run the same command again; finished work is kept" in output
    assert stored_results(out) == calls[0] > 0  # the first batch is kept
    assert not (out / PID_NAME).exists()

    monkeypatch.setattr(Store, "commit", commit)  # space freed
    code, output = audit(str(table), "--out", str(out), *arguments)
    assert code == 0, output
    assert read_segments(out) == read_segments(reference)
