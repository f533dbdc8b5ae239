"""An interrupted audit (Ctrl-C, SIGTERM) says how far it got and the exact command that
resumes it; a resumed audit's progress counts only the work still to do."""

from __future__ import annotations

import json
import re
import shlex
import signal
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("pyarrow")

import mtcheck.audit  # noqa: E402
from mtcheck.audit import Interrupted, command_line, rate_and_eta  # noqa: E402
from mtcheck.cli import main  # noqa: E402
from tests.helpers import stored_results  # noqa: E402

GERMAN = [
    "Das Unternehmen soll monatelang mit {n} Herstellern verhandelt.",
    "Die Aktien stiegen um 3.5% auf {n} Euro.",
    "Der Verband sagte, dass die Kunden werden {n} Produkte nicht mehr brauchen.",
    "Die Stadtbibliothek plant bis 2028 insgesamt {n} neue Standorte.",
]
# --batch-size 2: batches of 32 rows (the minimum), so a run stores many batches.
BATCH_ROWS = 32


def _write_rows(path: Path, count: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for k in range(count):
            row = {"id": f"s{k}", "target": GERMAN[k % 4].format(n=k + 2), "system": "AB"[k % 2]}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


HINT = re.compile(
    r"^mtcheck: interrupted after ([\d,]+) of ([\d,]+) segments; resume with: (.+)$", re.M
)


# -- a real process, a real signal -------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_prints_the_exact_command_and_that_command_resumes(tmp_path, signum):
    total = 300
    # A space and a quote in the path: the command must come back shell-quoted.
    path = _write_rows(tmp_path / "my corpus" / "it's.jsonl", total)
    out = tmp_path / "out dir"
    command = [sys.executable, "-m", "mtcheck.cli", "audit", str(path), "--out", str(out)]
    command += ["--no-backtranslation", "--batch-size", "2", "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while stored_results(out) < BATCH_ROWS and process.poll() is None:
            assert time.monotonic() < deadline, "the audit stored nothing in two minutes"
            time.sleep(0.01)
        assert process.poll() is None, "the audit finished before it could be interrupted"
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    message = stderr.decode()
    assert process.returncode == 130, message
    match = HINT.search(message)
    assert match, message
    stored = stored_results(out)
    assert 0 < stored < total and stored % BATCH_ROWS == 0  # whole batches only
    assert match.group(1) == f"{stored:,}" and match.group(2) == f"{total:,}"
    assert match.group(3) == shlex.join(command)
    assert "Traceback" not in message

    if signum != signal.SIGTERM:
        return  # the resumed run is the same after either signal: run it once
    # The hinted command, run as a shell would split it, finishes the job.
    resumed = subprocess.run(
        shlex.split(match.group(3)), capture_output=True, text=True, timeout=300, check=False
    )
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stderr == ""  # --quiet
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["overall"]["segments"] == total


# -- the hint's command line -------------------------------------------------------------------


def test_the_program_is_written_as_found_on_path(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = bin_dir / "mtcheck"
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    arguments = ["audit", "a b.jsonl", "--out", "it's", "--group-by", "$system"]
    assert command_line([str(program), *arguments]) == (
        "mtcheck audit 'a b.jsonl' --out 'it'\"'\"'s' --group-by '$system'"
    )
    # Not the mtcheck on PATH: the path it was started by.
    elsewhere = tmp_path / "venv" / "mtcheck"
    assert command_line([str(elsewhere), "audit", "x.jsonl"]) == f"{elsewhere} audit x.jsonl"
    assert shlex.split(command_line([str(program), *arguments]))[1:] == arguments


def test_a_module_run_with_dash_m_is_written_so(monkeypatch):
    fake_main = types.SimpleNamespace(__spec__=types.SimpleNamespace(name="mtcheck.cli"))
    monkeypatch.setitem(sys.modules, "__main__", fake_main)
    line = command_line(["/somewhere/mtcheck/cli.py", "audit", "t.jsonl", "--out", "o"])
    assert shlex.split(line) == [
        sys.executable,
        "-m",
        "mtcheck.cli",
        "audit",
        "t.jsonl",
        "--out",
        "o",
    ]


def test_the_hint_before_the_segments_are_counted():
    assert Interrupted(None, None).hint("mtcheck audit x") == (
        "mtcheck: interrupted before the segments were counted; resume with: mtcheck audit x"
    )
    assert Interrupted(1234, 5678).hint("c") == (
        "mtcheck: interrupted after 1,234 of 5,678 segments; resume with: c"
    )


# -- in this process: an interrupt after two batches, then the resumed run's progress --------


class _Recorder:
    """Stands in for the progress bar: what it was told."""

    made: list[_Recorder] = []

    def __init__(self, total: int, show: bool, stored: int = 0) -> None:
        self.total, self.stored, self.advances = total, stored, []
        _Recorder.made.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        return None

    def advance(self, count: int) -> None:
        self.advances.append(count)


def test_ctrl_c_in_process_then_the_resumed_progress_counts_only_new_work(tmp_path, monkeypatch):
    total = 200
    path = _write_rows(tmp_path / "t.jsonl", total)
    out = tmp_path / "out"
    arguments = ["audit", str(path), "--out", str(out), "--no-backtranslation", "--batch-size", "2"]
    monkeypatch.setattr(sys, "argv", ["mtcheck", *arguments])
    real_commit = mtcheck.audit.local.commit_batch
    calls = []

    def commit_twice_then_stop(store, rows):
        calls.append(len(rows))
        if len(calls) == 3:
            raise KeyboardInterrupt
        real_commit(store, rows)

    monkeypatch.setattr(mtcheck.audit.local, "commit_batch", commit_twice_then_stop)
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 130, result.output
    expected = f"mtcheck: interrupted after 64 of 200 segments; resume with: {shlex.join(sys.argv)}"
    assert result.output.strip() == expected
    assert stored_results(out) == 2 * BATCH_ROWS

    monkeypatch.setattr(mtcheck.audit.local, "commit_batch", real_commit)
    monkeypatch.setattr(mtcheck.audit.local, "progress", _Recorder)
    _Recorder.made.clear()
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    assert "(136 computed now)" in result.output
    (progress,) = _Recorder.made
    assert (progress.total, progress.stored) == (total, 2 * BATCH_ROWS)
    # Only this run's batches advance the bar; the two stored batches were never "done" again.
    assert sum(progress.advances) == total - 2 * BATCH_ROWS
    assert progress.advances == [32, 32, 32, 32, 8]


def test_a_batch_partly_stored_advances_by_its_new_segments_only(tmp_path, monkeypatch):
    # The first run stores batches of 32 rows; the rerun with --batch-size 3 cuts batches of
    # 48 rows, so its first batch holds 32 stored rows and 16 new ones.
    path = _write_rows(tmp_path / "t.jsonl", 100)
    out = tmp_path / "out"
    arguments = ["audit", str(path), "--out", str(out), "--no-backtranslation", "--limit", "100"]
    real_commit = mtcheck.audit.local.commit_batch
    calls = []

    def commit_once_then_stop(store, rows):
        calls.append(len(rows))
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_commit(store, rows)

    monkeypatch.setattr(mtcheck.audit.local, "commit_batch", commit_once_then_stop)
    result = CliRunner().invoke(main, [*arguments, "--batch-size", "2"])
    assert result.exit_code == 130 and "after 32 of 100 segments" in result.output
    monkeypatch.setattr(mtcheck.audit.local, "commit_batch", real_commit)
    monkeypatch.setattr(mtcheck.audit.local, "progress", _Recorder)
    _Recorder.made.clear()
    result = CliRunner().invoke(main, [*arguments, "--batch-size", "3"])
    assert result.exit_code == 0, result.output
    (progress,) = _Recorder.made
    assert progress.stored == 32
    assert progress.advances == [16, 48, 4]  # 48 - 32 stored, then whole new batches


# -- the rate and the ETA ----------------------------------------------------------------------


def test_rate_and_eta_from_this_runs_work_only():
    assert rate_and_eta(0, 500, 3.0) == ("", "-:--:--")  # nothing computed yet: no guess
    assert rate_and_eta(50, 100, 10.0) == ("5 seg/s", "0:00:20")
    assert rate_and_eta(2, 36_000, 1.0) == ("2 seg/s", "5:00:00")
    assert rate_and_eta(10, 0, 1.0) == ("10 seg/s", "0:00:00")


def test_progress_bar_after_a_resume_reports_the_rate_of_new_work(monkeypatch):
    # 60 of 100 segments stored before; this run computes 10 in 1 second: 10 seg/s and 3 s
    # left for the other 30 (not 70 seg/s, and not 40 s from the whole).
    pytest.importorskip("rich")
    now = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    progress = mtcheck.audit.progress.Progress(total=100, stored=60)
    progress._progress.disable = True  # nothing drawn in the test's output
    with progress:
        now[0] += 1.0
        progress.advance(10)
        task = progress._progress.tasks[0]
        assert (task.completed, task.total) == (70, 100)
        assert task.fields["rate"] == "10 seg/s"
        assert task.fields["eta"] == "0:00:03"


def test_sigterm_under_ray_is_an_interrupt_too(tmp_path, monkeypatch):
    # ray.init() makes SIGTERM a sys.exit(SIGTERM) in the driver: the audit reports it as
    # the interruption it is (here without starting Ray: its engine stands in).
    import mtcheck.audit.ray_engine as ray_engine
    from mtcheck.audit import AuditOptions

    def stopped_by_sigterm(store, options, selected, show_progress):
        sys.exit(signal.SIGTERM)

    monkeypatch.setattr(ray_engine, "process", stopped_by_sigterm)
    path = _write_rows(tmp_path / "t.jsonl", 40)
    options = AuditOptions(inputs=(path,), out=tmp_path / "out", engine="ray")
    with pytest.raises(Interrupted) as caught:
        mtcheck.audit.run_audit(options)
    assert (caught.value.done, caught.value.total) == (0, 40)
    # Any other exit is left alone.
    monkeypatch.setattr(ray_engine, "process", lambda *args: sys.exit(3))
    with pytest.raises(SystemExit):
        mtcheck.audit.run_audit(options)
