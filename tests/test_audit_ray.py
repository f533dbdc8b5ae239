"""mtcheck audit --engine ray: the same segments.parquet and summary.json as the local
engine (flags only, and with the tiny model), a job finished by the other engine after an
interruption, and ray imported by the ray engine only.

The Ray tests share one local Ray with 2 CPUs, started once for this module: the engine uses
a Ray that its process already has (and leaves it running).
"""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")
ray = pytest.importorskip("ray")  # in the test extra: CI runs these tests

from mtcheck.audit import AuditOptions, batches, ray_engine, run_audit  # noqa: E402
from mtcheck.errors import ConfigError  # noqa: E402
from mtcheck.io.sources import read_inputs  # noqa: E402
from tests.helpers import audit, make_rows, read_segments, write_jsonl  # noqa: E402

# Ray Data's own DataContext warns about its deprecated fields whenever it is copied.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context")


@pytest.fixture(scope="module")
def local_ray(tmp_path_factory):
    """A local Ray with 2 CPUs whose workers find no real cache and no network."""
    base = tmp_path_factory.mktemp("ray-env")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HF_HUB_OFFLINE", "1")
        patch.setenv("HF_HOME", str(base / "hf-home"))
        patch.setenv("MTCHECK_CACHE", str(base / "cache.sqlite"))
        ray.init(
            address="local",  # a new one, whatever `ray start` left on this machine
            num_cpus=2,
            include_dashboard=False,
            log_to_driver=False,
            logging_level="ERROR",
            object_store_memory=ray_engine._object_store_memory(),
        )
        try:
            yield
        finally:
            ray.shutdown()


def _both_engines(tmp_path: Path, path: Path, *extra: str) -> tuple[Path, Path]:
    outputs = []
    for engine in ("local", "ray"):
        out = tmp_path / f"out-{engine}"
        code, output = audit(str(path), "--out", str(out), "--engine", engine, *extra)
        assert code == 0, output
        outputs.append(out)
    return outputs[0], outputs[1]


def _assert_same_outputs(expected: Path, actual: Path) -> None:
    want, got = read_segments(expected), read_segments(actual)
    assert len(got) == len(want)
    for k, (a, b) in enumerate(zip(want, got, strict=True)):
        assert a == b, f"segment {k} differs"
    assert json.loads((actual / "summary.json").read_text()) == json.loads(
        (expected / "summary.json").read_text()
    )


def test_flags_only_ray_equals_local(tmp_path, local_ray):
    path = write_jsonl(tmp_path / "t.jsonl", make_rows(300, seed=21))
    # --batch-size 2: batches of 32 rows (10 or so), so document runs meet batch boundaries.
    local, on_ray = _both_engines(
        tmp_path, path, "--no-backtranslation", "--group-by", "system", "--batch-size", "2"
    )
    _assert_same_outputs(local, on_ray)
    segments = read_segments(on_ray)
    assert any(s["flags"] for s in segments)
    assert {s["system"] for s in segments} == {"A", "B", "C"}


def test_model_ray_equals_local(tmp_path, local_ray, tiny_model):
    path = write_jsonl(tmp_path / "t.jsonl", make_rows(120, seed=22))
    outputs = []
    for engine in ("local", "ray"):
        out = tmp_path / f"out-{engine}"
        code, output = audit(
            str(path),
            "--out",
            str(out),
            "--engine",
            engine,
            "--model",
            str(tiny_model),
            "--device",
            "cpu",
            "--beams",
            "2",
            "--batch-size",
            "2",
            "--group-by",
            "system",
            # Each engine its own translation cache: both compute every back-translation.
            "--cache",
            str(tmp_path / f"cache-{engine}.sqlite"),
        )
        assert code == 0, output
        assert "120 computed" in output
        outputs.append(out)
    _assert_same_outputs(*outputs)
    segments = read_segments(outputs[1])
    assert all(s["backtranslation"] is not None for s in segments)
    assert all(s["chrf"] is not None for s in segments if s["reference"] is not None)
    assert any(s["adequacy"] is not None for s in segments)


def _interrupt(out: Path, ordinals: list[int]) -> None:
    """What a kill leaves: these results missing, the job not finished, no outputs."""
    db = sqlite3.connect(out / "audit.sqlite")
    with db:
        db.executemany("DELETE FROM results WHERE ordinal = ?", [(k,) for k in ordinals])
        db.execute("UPDATE jobs SET finished = 0")
    db.close()
    (out / "segments.parquet").unlink()


def test_a_job_interrupted_is_finished_by_either_engine(tmp_path, local_ray):
    path = write_jsonl(tmp_path / "t.jsonl", make_rows(240, seed=23))
    out = tmp_path / "out"
    common = ["--no-backtranslation", "--group-by", "system", "--batch-size", "2", "--quiet"]
    code, output = audit(str(path), "--out", str(out), *common)
    assert code == 0, output
    expected_segments = read_segments(out)
    expected_summary = json.loads((out / "summary.json").read_text())
    cut = [(first, len(rows)) for first, rows, _ in batches(read_inputs([path]), 240, None, 32)]
    assert len(cut) >= 6

    def ordinals(first: int, count: int) -> list[int]:
        return list(range(first, first + count))

    # Started local, finished by ray: two whole batches gone, and half of a third (as a run
    # with another --batch-size leaves it): those three batches are computed again.
    _interrupt(out, ordinals(*cut[1]) + ordinals(*cut[-1]) + ordinals(cut[3][0], cut[3][1] // 2))
    options = AuditOptions(inputs=(path,), out=out, group_by="system", batch_size=2, engine="ray")
    outcome = run_audit(options, show_progress=True)
    assert outcome.computed == cut[1][1] + cut[-1][1] + cut[3][1]
    assert read_segments(out) == expected_segments
    assert json.loads((out / "summary.json").read_text()) == expected_summary

    # The store now holds batches stored by ray: interrupted again, finished by local.
    _interrupt(out, ordinals(*cut[0]) + ordinals(*cut[3]))
    code, output = audit(str(path), "--out", str(out), "--engine", "local", *common[:-1])
    assert code == 0 and f"({cut[0][1] + cut[3][1]} computed now)" in output
    assert read_segments(out) == expected_segments
    assert json.loads((out / "summary.json").read_text()) == expected_summary

    # Finished: nothing to do for either engine.
    for engine in ("ray", "local"):
        code, output = audit(str(path), "--out", str(out), "--engine", engine, *common[:-1])
        assert code == 0 and "nothing to do" in output


def test_local_engine_and_help_do_not_import_ray(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", make_rows(20))
    out = tmp_path / "out"
    code = (
        "import sys; from click.testing import CliRunner; from mtcheck.cli import main; "
        "r = CliRunner().invoke(main, ['audit', '--help']); assert r.exit_code == 0, r.output; "
        "assert 'ray' not in sys.modules, 'ray imported by --help'; "
        f"r = CliRunner().invoke(main, ['audit', {str(path)!r}, '--out', {str(out)!r}, "
        "'--engine', 'local', '--no-backtranslation', '--quiet']); "
        "assert r.exit_code == 0, r.output; "
        "assert 'ray' not in sys.modules, 'ray imported by --engine local'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_without_ray_the_engine_names_the_extra(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", make_rows(5))
    out = tmp_path / "out"
    code = (
        "import sys; sys.modules['ray'] = None  # import ray fails as if not installed\n"
        "from click.testing import CliRunner; from mtcheck.cli import main\n"
        f"r = CliRunner().invoke(main, ['audit', {str(path)!r}, '--out', {str(out)!r}, "
        "'--engine', 'ray'])\n"
        "print(r.exit_code); print(r.output, end='')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    exit_code, output = result.stdout.split("\n", 1)
    assert exit_code == "2"
    assert "pip install 'mtcheck[ray]'" in output and len(output.strip().splitlines()) == 1
    assert not out.exists()


def test_an_address_nobody_listens_on_fails_at_once():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ConfigError, match="Cannot reach the Ray cluster"):
        ray_engine._check_reachable(f"127.0.0.1:{port}")


def test_layout_of_the_stages():
    layout = ray_engine.layout
    # Flags only: 1 CPU a task.
    assert layout(8, 0, 8, None) == ray_engine.Layout(0, 0, 0, 1.0)
    # CPUs only: one model actor with half of them (at most one node's), flags on the rest.
    assert layout(2, 0, 2, "auto") == ray_engine.Layout(1, 1.0, 0, 1.0)
    assert layout(64, 0, 16, "auto") == ray_engine.Layout(1, 16.0, 0, 1.0)
    assert layout(1, 0, 1, "cpu") == ray_engine.Layout(1, 0.5, 0, 0.5)
    # GPUs: one actor on each, unless the model must stay on the CPU.
    assert layout(32, 4, 8, "auto") == ray_engine.Layout(4, 1.0, 1, 1.0)
    assert layout(32, 4, 8, "cpu") == ray_engine.Layout(1, 8.0, 0, 1.0)


def test_the_source_counts_what_the_store_holds():
    def plan(stored):
        return ray_engine._Plan(
            inputs=(), pairs=(), store="", considered=100, chosen=None, batch_rows=32, stored=stored
        )

    held = plan(((0, 9), (20, 20), (30, 49)))
    assert held.stored_between(0, 31) == 10 + 1 + 2
    assert held.stored_between(10, 19) == 0
    assert held.stored_between(40, 99) == 10
    assert plan(()).stored_between(0, 99) == 0
