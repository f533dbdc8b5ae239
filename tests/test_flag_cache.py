"""The flags cache serves unchanged documents and never a stale entry."""

from __future__ import annotations

import pytest

from mtcheck.errors import MtcheckError
from mtcheck.flags import RuleSettings, check_segments
from mtcheck.flags.cache import FlagCache
from mtcheck.model import Scores, Segment
from mtcheck.pipeline import run_check
from tests.helpers import CORPORA


def segment(target: str, reference: str | None = None) -> Segment:
    return Segment(
        id="1.1",
        paragraph=1,
        target=target,
        reference=reference,
        alignment=None,
        start=0,
        line=1,
        column=1,
    )


class Counting:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, segments, scores, settings):
        self.calls += 1
        return check_segments(segments, scores, settings)


@pytest.fixture
def flag_cache(tmp_path):
    cache = FlagCache(tmp_path / "cache.sqlite")
    yield cache
    cache.close()


def test_hit_returns_the_same_flags_without_computing(flag_cache):
    segments = [segment("Die Firma soll versucht, Kunden zu gewinnen.")]
    compute = Counting()
    first = flag_cache.check(segments, None, RuleSettings(), compute)
    second = flag_cache.check(segments, None, RuleSettings(), compute)
    assert compute.calls == 1
    assert first == second and first[0][0].rule == "modal-participle"


@pytest.mark.parametrize(
    "change",
    [
        lambda s, sc, st: ([segment(s[0].target + " Das ist gut.")], sc, st),
        lambda s, sc, st: ([segment(s[0].target, "The firm tried.")], sc, st),
        lambda s, sc, st: (s, [Scores(chrf=10.0, bleu=1.0, ter=90.0, adequacy=-5.0)], st),
        lambda s, sc, st: (s, sc, RuleSettings(ignore=frozenset({"modal-participle"}))),
        lambda s, sc, st: (s, sc, RuleSettings(severity={"modal-participle": "critical"})),
        lambda s, sc, st: (s, sc, RuleSettings(min_chrf=50.0)),
    ],
    ids=["target", "reference", "scores", "ignore", "severity", "threshold"],
)
def test_any_change_that_could_change_flags_misses(flag_cache, change):
    segments = [segment("Die Firma soll versucht, Kunden zu gewinnen.")]
    compute = Counting()
    flag_cache.check(segments, [None], RuleSettings(), compute)
    flag_cache.check(*change(segments, [None], RuleSettings()), compute)
    assert compute.calls == 2


def test_changed_rule_code_invalidates(flag_cache, monkeypatch):
    from mtcheck.flags import cache as cache_module

    segments = [segment("Ein korrekter Satz.")]
    compute = Counting()
    flag_cache.check(segments, None, RuleSettings(), compute)
    monkeypatch.setattr(cache_module, "code_digest", lambda: "another version of the rules")
    flag_cache.check(segments, None, RuleSettings(), compute)
    assert compute.calls == 2


def test_second_run_of_a_document_computes_no_flags(tmp_path, monkeypatch):
    import mtcheck.flags

    compute = Counting()
    monkeypatch.setattr(mtcheck.flags, "check_segments", compute)
    pair = (CORPORA / "windpark.de.txt", CORPORA / "windpark.en.txt")
    cache = FlagCache(tmp_path / "c.sqlite")
    first = run_check([pair], flag_cache=cache)
    second = run_check([pair], flag_cache=FlagCache(tmp_path / "c.sqlite"))
    assert compute.calls == 1
    assert first == second
    assert sum(len(s.flags) for s in second.documents[0].segments) == 6


def test_unusable_cache_file_is_a_clear_error(tmp_path):
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(MtcheckError) as error:
        FlagCache(path)
    assert str(path) in str(error.value) and "--no-cache" in str(error.value)
