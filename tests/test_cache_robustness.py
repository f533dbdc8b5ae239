"""Both caches (back-translations and flags) against hostile or unlucky cache files: paths
that are not regular files, damaged rows, a lock held by another process, a full disk and
a read-only file. Each ends in a miss that is recomputed, or in one sentence (exit 2) whose
advice fits the cause: only a file that is not an mtcheck cache is to be deleted."""

from __future__ import annotations

import math
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtcheck.backtranslate import cache as result_cache
from mtcheck.backtranslate.cache import ResultCache, sqlite_problem
from mtcheck.backtranslate.hub import ResolvedModel
from mtcheck.backtranslate.translator import MarianTranslator
from mtcheck.cli import main
from mtcheck.errors import MtcheckError
from mtcheck.flags import RuleSettings, check_segments
from mtcheck.flags.cache import FlagCache
from mtcheck.model import Segment

GERMAN = "Die Firma soll versucht, Kunden zu gewinnen."


def _segment(target: str) -> Segment:
    return Segment(
        id="1.1",
        paragraph=1,
        target=target,
        reference=None,
        alignment=None,
        start=0,
        line=1,
        column=1,
    )


class _Counting:
    """The flag rules, counting how often they run."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, segments, scores, settings):
        self.calls += 1
        return check_segments(segments, scores, settings)


class _FakeBackend:
    """Stands in for the Marian model: a translation is the text reversed, with a logprob of
    minus its length; a score is minus the length of both sides."""

    name = "fake"
    key = "fake-1"
    device = "cpu"
    loaded = True

    def __init__(self) -> None:
        self.model_calls = 0

    def translate(self, texts):
        self.model_calls += 1
        yield [(k, text[::-1], -float(len(text))) for k, text in enumerate(texts)]

    def score(self, sources, targets):
        self.model_calls += 1
        yield [
            (k, -float(len(s) + len(t)))
            for k, (s, t) in enumerate(zip(sources, targets, strict=True))
        ]


def _translator(tmp_path: Path, cache: ResultCache) -> MarianTranslator:
    model = ResolvedModel(name="fake", path=tmp_path, revision="0" * 40)
    translator = MarianTranslator(model, device="cpu", cache=cache, backend="marian")
    translator._backend = _FakeBackend()  # no weights: what is tested is the cache around it
    return translator


class _Failing:
    """A connection whose writes fail with ``error`` (what SQLite raises on a full disk or a
    read-only file), reads going through."""

    def __init__(self, conn: sqlite3.Connection, error: sqlite3.Error) -> None:
        self._conn, self._error = conn, error

    def execute(self, sql, *args):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            raise self._error
        return self._conn.execute(sql, *args)

    def executemany(self, *_args):
        raise self._error

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return None

    def close(self) -> None:
        self._conn.close()


def _open_cache(kind: str, path: Path, **kwargs):
    return ResultCache(path, **kwargs) if kind == "results" else FlagCache(path, **kwargs)


def _write(kind: str, cache) -> None:
    if kind == "results":
        cache.put_many([(b"k" * 32, "text", -1.0)])
    else:
        cache.check([_segment(GERMAN)], None, RuleSettings(), check_segments)


# -- paths that are not regular files ----------------------------------------------------


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


def _link_to(target: Path, tmp_path: Path) -> Path:
    link = tmp_path / "link.sqlite"
    link.symlink_to(target)
    return link


UNFIT = {
    "device": (lambda tmp: Path("/dev/null"), "is a device"),
    "fifo": (_fifo, "is a named pipe"),
    "directory": (lambda tmp: tmp, "is a directory"),
    "link to a device": (
        lambda tmp: _link_to(Path("/dev/null"), tmp),
        "is a symbolic link to a device",
    ),
    "link to a directory": (
        lambda tmp: _link_to(tmp, tmp),
        "is a symbolic link to a directory",
    ),
    "dangling link": (
        lambda tmp: _link_to(tmp / "missing.sqlite", tmp),
        "symbolic link to a missing file",
    ),
}


@pytest.mark.parametrize("kind", ["results", "flags"])
@pytest.mark.parametrize("name", list(UNFIT))
def test_a_cache_path_that_is_not_a_regular_file_is_refused(tmp_path, kind, name):
    make, words = UNFIT[name]
    path = make(tmp_path)
    before = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(MtcheckError) as caught:
        _open_cache(kind, path)
    message = str(caught.value)
    assert str(path) in message and words in message and "--no-cache" in message
    assert "delete" not in message
    # Nothing was created beside it (no PATH-journal, -wal or -shm, no dangling target).
    assert sorted(p.name for p in path.parent.iterdir()) == before
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_check_with_the_cache_on_dev_null_is_one_sentence(tmp_path):
    draft = tmp_path / "d.de.txt"
    draft.write_text(GERMAN + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["check", str(draft), "--no-backtranslation", "--cache", "/dev/null"]
    )
    assert result.exit_code == 2
    assert "/dev/null is a device" in result.output and "delete" not in result.output
    assert result.output.count("\n") == 1 and "unexpected" not in result.output
    assert not os.path.exists("/dev/null-journal") and not os.path.exists("/dev/null-wal")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


# -- damaged rows: a miss, recomputed and overwritten -------------------------------------

# SQL that damages every row of the back-translation cache's ``entries``.
RESULT_DAMAGE = {
    "text not UTF-8": "UPDATE entries SET text = CAST(X'FFFE41' AS TEXT)",
    "text a blob": "UPDATE entries SET text = X'00FF'",
    "text missing": "UPDATE entries SET text = NULL",
    "value not a number": "UPDATE entries SET value = 'minus two'",
    "value a blob": "UPDATE entries SET value = X'0102'",
    "value not UTF-8": "UPDATE entries SET value = CAST(X'FFFE' AS TEXT)",
}


def _damage(path: Path, sql: str, *params) -> None:
    with sqlite3.connect(path) as conn:
        assert conn.execute(sql, params).rowcount >= 1


@pytest.mark.parametrize("damage", list(RESULT_DAMAGE))
def test_a_damaged_back_translation_row_is_recomputed_and_overwritten(tmp_path, damage):
    path = tmp_path / "cache.sqlite"
    texts, references = ["Guten Morgen.", "Hallo Welt."], ["Good morning.", "Hello world."]
    with _translator(tmp_path, ResultCache(path)) as first:
        expected = (first.translate(texts), first.score(texts, references))
    _damage(path, RESULT_DAMAGE[damage])
    with _translator(tmp_path, ResultCache(path)) as second:
        # Scores have no text: "text missing" leaves them intact, and they still hit.
        assert (second.translate(texts), second.score(texts, references)) == expected
        assert second.cache_misses >= len(texts) and second.model_calls >= 1
    with _translator(tmp_path, ResultCache(path)) as third:
        assert (third.translate(texts), third.score(texts, references)) == expected
        assert third.model_calls == 0 and third.cache_misses == 0  # rows were overwritten


def test_a_damaged_row_is_left_out_of_a_lookup_not_the_others(tmp_path):
    path = tmp_path / "cache.sqlite"
    good, bad = b"g" * 32, b"b" * 32
    with ResultCache(path) as cache:
        cache.put_many([(good, "fine", -1.0), (bad, "damaged", -2.0)])
    _damage(path, "UPDATE entries SET text = CAST(X'C3' AS TEXT) WHERE key = ?", bad)
    with ResultCache(path) as cache:
        assert cache.get_many([good, bad]) == {good: ("fine", -1.0)}
        cache.put_many([(bad, "again", -3.0)])
        assert cache.get_many([bad]) == {bad: ("again", -3.0)}


# Stored values for a one-segment document whose text is GERMAN (44 characters).
FLAG_DAMAGE = {
    "not JSON": "[[[",
    "not UTF-8": None,  # written as bytes below
    "deeply nested": "[" * 100_000 + "]" * 100_000,
    "an object": '{"flags": []}',
    "too few segments": "[]",
    "too many segments": "[[], []]",
    "segment not a list": '["flags"]',
    "six fields": '[[["modal-participle", "grammar", "major", "m", null, 0]]]',
    "nine fields": '[[["r", "c", "major", "m", null, 0, 4, [], "x"]]]',
    "flag not a list": '[[{"rule": "r"}]]',
    "span as text": '[[["r", "c", "major", "m", null, "0", "4", []]]]',
    "span as floats": '[[["r", "c", "major", "m", null, 0.0, 4.0, []]]]',
    "span reversed": '[[["r", "c", "major", "m", null, 9, 4, []]]]',
    "span past the text": '[[["r", "c", "major", "m", null, 40, 400, []]]]',
    "unknown severity": '[[["r", "c", "fatal", "m", null, 0, 4, []]]]',
    "rule a number": '[[[7, "c", "major", "m", null, 0, 4, []]]]',
    "suggestions not a list": '[[["r", "c", "major", "m", "x", 0, 4, "x"]]]',
    "suggestion not first": '[[["r", "c", "major", "m", "x", 0, 4, ["y", "x"]]]]',
}


@pytest.mark.parametrize("damage", list(FLAG_DAMAGE))
def test_a_damaged_flags_entry_is_recomputed_and_overwritten(tmp_path, damage):
    path = tmp_path / "cache.sqlite"
    segments, settings = [_segment(GERMAN)], RuleSettings()
    with_flags = FlagCache(path)
    expected = with_flags.check(segments, None, settings, check_segments)
    with_flags.close()
    assert expected[0]  # a document with a flag, so a damaged entry could hide it
    value = FLAG_DAMAGE[damage]
    if value is None:
        _damage(path, "UPDATE flags SET value = CAST(X'FF7B' AS TEXT)")
    else:
        _damage(path, "UPDATE flags SET value = ?", value)
    compute = _Counting()
    second = FlagCache(path)
    assert second.check(segments, None, settings, compute) == expected
    assert compute.calls == 1 and second.misses == 1
    assert second.check(segments, None, settings, compute) == expected
    assert compute.calls == 1 and second.hits == 1  # the entry was overwritten
    second.close()


# -- a lock held by another process ------------------------------------------------------


@pytest.fixture
def holder(tmp_path):
    """A cache file whose write lock another connection holds (BEGIN EXCLUSIVE)."""
    path = tmp_path / "cache.sqlite"
    ResultCache(path).close()
    FlagCache(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    yield path
    conn.execute("ROLLBACK")
    conn.close()


@pytest.mark.parametrize("kind", ["results", "flags"])
def test_a_cache_locked_too_long_is_the_stayed_locked_sentence(holder, kind):
    cache = _open_cache(kind, holder, timeout=0.3)  # readers pass a writer in WAL mode
    with pytest.raises(MtcheckError) as caught:
        _write(kind, cache)
    message = str(caught.value)
    assert message.startswith(f"The cache file {holder} stayed locked by another process")
    assert "0.3 seconds" in message and "delete" not in message
    cache.close()


def test_a_new_cache_locked_while_it_is_set_up_is_the_stayed_locked_sentence(tmp_path):
    path = tmp_path / "cache.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)  # not WAL yet: the lock blocks all
    conn.execute("CREATE TABLE other (x)")
    conn.execute("BEGIN EXCLUSIVE")
    try:
        for kind in ("results", "flags"):
            with pytest.raises(MtcheckError, match="stayed locked by another process"):
                _open_cache(kind, path, timeout=0.2)
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def test_check_on_a_locked_cache_ends_in_one_sentence(holder, tmp_path, monkeypatch):
    monkeypatch.setattr(result_cache, "BUSY_TIMEOUT", 0.3)
    draft = tmp_path / "d.de.txt"
    draft.write_text(GERMAN + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["check", str(draft), "--no-backtranslation", "--cache", str(holder)]
    )
    assert result.exit_code == 2
    assert "stayed locked by another process for 0.3 seconds" in result.output
    assert "unexpected" not in result.output


# -- a full disk, a read-only file, a file that is not a cache ----------------------------


@pytest.mark.parametrize("kind", ["results", "flags"])
def test_a_really_full_cache_says_disk_full_and_keeps_the_cache(tmp_path, kind):
    path = tmp_path / "cache.sqlite"
    cache = _open_cache(kind, path)
    db = cache._conn if kind == "results" else cache._db
    # SQLite's own SQLITE_FULL: the file may not grow past its current pages.
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(MtcheckError) as caught:
        if kind == "results":
            cache.put_many([(i.to_bytes(32, "big"), "x" * 500, 0.0) for i in range(200)])
        else:  # flags of 100 segments need more than the free room of the table's page
            cache.check([_segment(GERMAN)] * 100, None, RuleSettings(), check_segments)
    message = str(caught.value)
    assert message.startswith(f"The disk holding the cache file {path} is full")
    assert "free space and run again; finished work is kept" in message
    assert "delete" not in message and "corrupt" not in message
    cache.close()


FAILURES = {
    "database or disk is full": "is full: free space and run again",
    "attempt to write a readonly database": "it or its folder is read-only",
    "unable to open database file": "it or its folder is read-only",
    "database is locked": "stayed locked by another process",
    "file is not a database": "is not an mtcheck cache or is corrupt",
    "database disk image is malformed": "is not an mtcheck cache or is corrupt",
}


@pytest.mark.parametrize("kind", ["results", "flags"])
@pytest.mark.parametrize("text", list(FAILURES))
def test_each_failure_gets_its_own_advice(tmp_path, kind, text):
    path = tmp_path / "cache.sqlite"
    cache = _open_cache(kind, path)
    failing = _Failing(
        cache._conn if kind == "results" else cache._db, sqlite3.OperationalError(text)
    )
    if kind == "results":
        cache._conn = failing
    else:
        cache._db = failing
    with pytest.raises(MtcheckError) as caught:
        _write(kind, cache)
    message = str(caught.value)
    assert str(path) in message and FAILURES[text] in message
    # Only a file that is not an mtcheck cache may be deleted.
    assert ("delete it" in message) == ("corrupt" in FAILURES[text])
    cache.close()


def test_sqlite_codes_are_read_before_the_words(tmp_path):
    path = tmp_path / "c.sqlite"
    ResultCache(path).close()
    read_only = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as caught:
        read_only.execute("INSERT INTO meta VALUES ('x', 'y')")
    read_only.close()
    assert sqlite_problem(caught.value, path) == "read-only"
    assert sqlite_problem(OSError(28, "No space left on device"), path) == "full"
    assert sqlite_problem(sqlite3.OperationalError("something new"), path) == "other"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files")
@pytest.mark.parametrize("kind", ["results", "flags"])
def test_a_read_only_cache_folder_is_not_called_corrupt(tmp_path, kind):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "cache.sqlite"
    _open_cache(kind, path).close()
    for name in os.listdir(folder):
        os.chmod(folder / name, 0o444)
    os.chmod(folder, 0o555)
    try:
        with pytest.raises(MtcheckError) as caught:
            _write(kind, _open_cache(kind, path))
    finally:
        os.chmod(folder, 0o755)
    message = str(caught.value)
    assert "read-only" in message and "delete" not in message


def test_nan_is_still_a_stored_value(tmp_path):
    """NULL is how NaN is stored: it must stay a hit, not be taken for damage."""
    with ResultCache(tmp_path / "c.sqlite") as cache:
        cache.put_many([(b"n" * 32, None, math.nan)])
        found = cache.get_many([b"n" * 32])
    assert found[b"n" * 32][0] is None and math.isnan(found[b"n" * 32][1])
