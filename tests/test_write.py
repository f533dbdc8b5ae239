"""mtcheck's one output writer (mtcheck.io.write) and the commands that use it: devices,
FIFOs and symlinks are never replaced, a symlink planted at a temporary name is never
followed, inputs and configuration are never overwritten, and no temporary file survives
an error (issue 13, items 1-3 and 16)."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtcheck.cli import main
from mtcheck.errors import ConfigError
from mtcheck.io import write
from mtcheck.io.write import Outputs, open_output, write_bytes, write_text
from tests.helpers import audit, make_rows, read_segments, write_jsonl

DRAFT = "Das Unternehmen baut Windparks in der Nordsee.\nEs beschäftigt 1.900 Menschen.\n"
REFERENCE = "The company builds wind farms in the North Sea.\nIt employs 1,900 people.\n"
GATE_CONFIG = """
[tool.mtcheck.gate]
pairs = [{ target = "de/*.txt", reference = "en/{name}" }]
backtranslation = false
"""


@pytest.fixture(autouse=True)
def _never_replace_a_device(monkeypatch):
    """Make a regression fail here instead of doing its damage: these tests write through
    /dev/null, and a writer that renamed onto it would, run as root, replace the real
    /dev/null of the machine with a regular file."""
    rename = os.replace

    def guarded(source, destination, **kwargs):
        if os.path.exists(destination) and not stat.S_ISREG(os.stat(destination).st_mode):
            raise AssertionError(f"the writer renamed a file onto {destination}")
        if os.path.islink(destination):
            raise AssertionError(f"the writer replaced the symlink {destination}")
        return rename(source, destination, **kwargs)

    monkeypatch.setattr(os, "replace", guarded)


def check(*args: str):
    return CliRunner().invoke(main, ["check", *args, "--no-backtranslation", "--no-cache"])


@pytest.fixture
def draft(tmp_path, monkeypatch) -> Path:
    """A draft and its reference in an empty working folder without configuration."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d.en.txt").write_text(REFERENCE, encoding="utf-8")
    path = tmp_path / "d.de.txt"
    path.write_text(DRAFT, encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A gate repository: pyproject.toml, de/a.txt and en/a.txt."""
    for folder, text in (("de", DRAFT), ("en", REFERENCE)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(GATE_CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def full_disk(_handle, _data):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def leftovers(folder: Path) -> list[str]:
    """Temporary files in ``folder`` (hidden, ending in .tmp, as the writer names them)."""
    return sorted(
        p.name for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")
    )


# -- regular files ------------------------------------------------------------------------------


def test_new_and_existing_files_are_replaced_whole_keeping_the_mode(tmp_path):
    target = tmp_path / "report.txt"
    write_text(target, "first\n")
    assert target.read_text(encoding="utf-8") == "first\n"
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask  # not mkstemp's 0600
    target.chmod(0o640)
    inode = target.stat().st_ino
    write_bytes(target, b"second\n")
    assert target.read_bytes() == b"second\n"
    assert target.stat().st_ino != inode  # a new file was renamed into place
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_a_symlink_planted_at_the_old_temporary_name_is_not_followed(tmp_path):
    victim = tmp_path / "outside" / "victim.txt"
    victim.parent.mkdir()
    victim.write_text("precious\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    planted = out / ".report.txt.tmp"
    planted.symlink_to(victim)
    write_text(out / "report.txt", "report\n")
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert planted.is_symlink() and os.readlink(planted) == str(victim)
    assert (out / "report.txt").read_text(encoding="utf-8") == "report\n"
    assert not (out / "report.txt").is_symlink()
    assert leftovers(out) == [".report.txt.tmp"]


def test_temporary_names_are_random(tmp_path, monkeypatch):
    names = []

    def remember_listing(handle, data):  # the temporaries in the folder while writing
        names.append(leftovers(tmp_path))
        handle.write(data)

    monkeypatch.setattr(write, "_write_all", remember_listing)
    write_text(tmp_path / "r.txt", "a")
    write_text(tmp_path / "r.txt", "b")
    (first,), (second,) = names
    assert first.startswith(".r.txt.") and first.endswith(".tmp") and first != ".r.txt.tmp"
    assert first != second


def test_a_symlink_to_a_regular_file_is_written_through_and_stays_a_link(tmp_path):
    real = tmp_path / "elsewhere" / "report.txt"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_text(link, "new\n")
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text(encoding="utf-8") == "new\n"
    assert leftovers(tmp_path) == [] and leftovers(real.parent) == []


def test_a_directory_target_is_one_sentence(tmp_path):
    with pytest.raises(ConfigError, match=r"cannot write the report \(Is a directory\)\.$"):
        write_text(tmp_path, "x", what="the report")


# -- devices, FIFOs, standard output --------------------------------------------------------------


def test_a_symlink_to_dev_null_stays_a_symlink_and_dev_null_a_device(tmp_path):
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    write_text(link, "discarded\n")
    with open_output(link, "wb") as handle:
        handle.write(b"discarded too")
    assert link.is_symlink() and os.readlink(link) == "/dev/null"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert leftovers(tmp_path) == []


def test_check_report_into_a_symlink_to_dev_null(draft, tmp_path):
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    result = check(str(draft), "-o", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert leftovers(tmp_path) == []


def test_check_report_into_a_fifo_is_written_to_the_reader(draft, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # A reader that is already open lets the writer open the FIFO without blocking; the
    # report (well under the pipe's 64 KiB buffer) waits in the pipe until read below.
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        result = check(str(draft), "-r", "d.en.txt", "-f", "json", "-o", str(fifo))
        received = b""
        while chunk := os.read(reader, 65536):
            received += chunk
    finally:
        os.close(reader)
    assert result.exit_code == 0, result.output
    assert json.loads(received)["documents"][0]["path"].endswith("d.de.txt")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert leftovers(tmp_path) == []


def test_dash_is_standard_output(draft):
    result = check(str(draft), "-f", "json", "-o", "-")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["documents"]
    assert not Path("-").exists()


# -- inputs and configuration are refused ---------------------------------------------------------


def test_check_refuses_to_write_the_report_onto_its_draft(draft):
    before = draft.read_bytes()
    result = check(str(draft), "-o", str(draft))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"mtcheck: error: refusing to write the report onto the input draft {draft}; "
        "choose another output file."
    )
    assert draft.read_bytes() == before


@pytest.mark.parametrize("kind", ["reference", "symlink", "hard link"])
def test_check_sees_the_input_through_other_names(draft, tmp_path, kind):
    reference = tmp_path / "d.en.txt"
    target = tmp_path / "other.txt"
    if kind == "symlink":
        target.symlink_to(draft)
    elif kind == "hard link":
        os.link(draft, target)
    else:
        target = reference
    result = check(str(draft), "-r", str(reference), "-o", str(target))
    assert result.exit_code == 2
    assert "refusing to write the report onto the" in result.stderr
    assert draft.read_text(encoding="utf-8") == DRAFT
    assert reference.read_text(encoding="utf-8") == REFERENCE


def test_check_refuses_its_configuration_file(draft, tmp_path):
    config = tmp_path / "mtcheck.toml"
    config.write_text('fail-on = "never"\n', encoding="utf-8")
    result = check(str(draft), "-o", "mtcheck.toml")
    assert result.exit_code == 2
    assert "onto the configuration file" in result.stderr
    assert config.read_text(encoding="utf-8") == 'fail-on = "never"\n'


@pytest.mark.parametrize("name", ["pyproject.toml", "mtcheck.toml"])
def test_gate_refuses_to_write_the_baseline_onto_its_configuration(repo, name):
    if name == "mtcheck.toml":
        (repo / "pyproject.toml").unlink()
        (repo / name).write_text(GATE_CONFIG.replace("tool.mtcheck.gate", "gate"), "utf-8")
    before = (repo / name).read_bytes()
    result = CliRunner().invoke(main, ["gate", "--write-baseline", name])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"mtcheck: error: refusing to write the baseline onto the configuration file "
        f"{repo / name}; choose another output file."
    )
    assert (repo / name).read_bytes() == before


def test_gate_refuses_its_drafts_and_baseline_but_rewrites_the_baseline(repo):
    assert CliRunner().invoke(main, ["gate", "--write-baseline", "b.json"]).exit_code == 0
    baseline = (repo / "b.json").read_bytes()
    for args in (["-o", "de/a.txt"], ["--baseline", "b.json", "-o", "b.json"]):
        result = CliRunner().invoke(main, ["gate", *args])
        assert result.exit_code == 2, args
        assert "refusing to write the report onto the" in result.stderr
    assert (repo / "de" / "a.txt").read_text(encoding="utf-8") == DRAFT
    assert (repo / "b.json").read_bytes() == baseline
    rewritten = CliRunner().invoke(
        main, ["gate", "--baseline", "b.json", "--write-baseline", "b.json"]
    )
    assert rewritten.exit_code == 0, rewritten.output


# -- errors leave no temporary file ---------------------------------------------------------------


def test_a_full_disk_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "report.txt"
    target.write_text("old\n", encoding="utf-8")
    monkeypatch.setattr(write, "_write_all", full_disk)
    with pytest.raises(ConfigError) as caught:
        write_text(target, "new\n", what="the report")
    assert str(caught.value) == f"{target}: cannot write the report (No space left on device)."
    with pytest.raises(OSError):  # without ``what`` the OSError is the caller's to handle
        write_bytes(tmp_path / "new.bin", b"x")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


def test_an_error_while_streaming_leaves_no_temporary(tmp_path):
    with pytest.raises(OSError, match="No space"):
        with open_output(tmp_path / "big.bin", "wb") as handle:
            handle.write(b"x" * 10_000)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert list(tmp_path.iterdir()) == []


def test_a_batch_is_renamed_all_or_nothing(tmp_path):
    with pytest.raises(RuntimeError):
        with Outputs() as outputs:
            outputs.write_text(tmp_path / "one.json", "{}")
            outputs.open(tmp_path / "two.html").write("<p>")
            raise RuntimeError("stopped before the end")
    assert list(tmp_path.iterdir()) == []
    with Outputs() as outputs:
        outputs.write_text(tmp_path / "one.json", "{}")
        outputs.open(tmp_path / "two.html").write("<p>")
        assert not (tmp_path / "one.json").exists()  # nothing is in place before the end
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.json", "two.html"]


def test_check_on_a_full_disk_is_one_sentence_and_leaves_no_temporary(draft, tmp_path, monkeypatch):
    monkeypatch.setattr(write, "_write_all", full_disk)
    result = check(str(draft), "-o", "report.txt")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "mtcheck: error: report.txt: cannot write the report (No space left on device)."
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.de.txt", "d.en.txt"]


def test_audit_on_a_full_disk_leaves_no_temporary_and_resumes(tmp_path, monkeypatch):
    source = write_jsonl(tmp_path / "t.jsonl", make_rows(12))
    out = tmp_path / "out"
    original = write._write_all
    monkeypatch.setattr(write, "_write_all", full_disk)
    code, output = audit(str(source), "--out", str(out), "--no-backtranslation")
    assert code == 2
    assert "cannot write the audit output (No space left on device)." in output
    assert "unexpected" not in output
    assert leftovers(out) == []
    assert not (out / "segments.parquet").exists() and not (out / "summary.json").exists()
    monkeypatch.setattr(write, "_write_all", original)  # space freed: resume from the store
    code, output = audit(str(source), "--out", str(out), "--no-backtranslation")
    assert code == 0, output
    assert len(read_segments(out)) == 12
    assert leftovers(out) == []
