"""Clearing the memos of the German checks (for benchmarks of a cold start)."""

from __future__ import annotations

from mtcheck.flags.memos import clear_caches
from mtcheck.flags.tagger import get_tagger


def test_the_tagger_forgets_its_memos_and_tags_alike_afterwards():
    tagger = get_tagger()
    words = ["Das", "Haus", "ist", "groß", "."]
    tags = tagger.tag(words)
    assert tagger.lexicon_tags("haus")
    tagger.clear_caches()
    assert tagger.tag(words) == tags


def test_clear_caches_names_the_memos_of_the_rules_too():
    cleared = clear_caches()
    assert cleared[0].startswith("Tagger")
    assert "mtcheck.flags.tagger._readings" in cleared
    assert any(name.startswith("mtcheck.flags.rules.") for name in cleared)
    assert "mtcheck.flags.tagger.get_tagger" not in cleared
