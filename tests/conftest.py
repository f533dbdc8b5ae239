"""Shared fixtures: a tiny MarianMT model built from the repository's corpora, and
environment isolation so that no test reads or writes the user's real caches."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# The tiny model's SentencePiece vocabulary is trained on these files.
# MTCHECK_TEST_CORPUS may name another folder of *.txt files.
CORPUS_DIR = Path(os.environ.get("MTCHECK_TEST_CORPUS", REPO / "corpora"))


@pytest.fixture(autouse=True)
def _isolated_caches(tmp_path_factory, monkeypatch):
    """Every test gets its own mtcheck cache file and an empty Hugging Face cache, offline."""
    base = tmp_path_factory.mktemp("caches")
    monkeypatch.setenv("MTCHECK_CACHE", str(base / "mtcheck" / "cache.sqlite"))
    monkeypatch.setenv("HF_HOME", str(base / "hf-home"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.delenv("HUGGINGFACE_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def corpus_files() -> list[Path]:
    return sorted(CORPUS_DIR.glob("*.txt"))


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """Path of a saved tiny random MarianMT model (SentencePiece trained on corpora/*.txt)."""
    files = corpus_files()
    if not files:
        pytest.fail(
            f"no corpus text for the tiny test model: {CORPUS_DIR}/*.txt matches no file "
            "(add the demo documents to corpora/ or set MTCHECK_TEST_CORPUS to a folder of "
            "*.txt files)",
            pytrace=False,
        )
    from mtcheck.testing import build_tiny_marian

    return build_tiny_marian(tmp_path_factory.mktemp("tiny-marian"), files)


@pytest.fixture(scope="session")
def terse_tiny_model(tmp_path_factory, tiny_model) -> Path:
    """The tiny model with a strong bias towards ``</s>``: short outputs (about a third of
    them empty), for tests that back-translate tens of thousands of segments."""
    from mtcheck.testing import build_tiny_marian

    return build_tiny_marian(tmp_path_factory.mktemp("terse-marian"), corpus_files(), eos_bias=6.0)


@pytest.fixture
def hf_home_with_default_model(tiny_model, tmp_path, monkeypatch) -> Path:
    """An HF_HOME (set in the environment, offline) whose hub cache holds the tiny model as
    Helsinki-NLP/opus-mt-de-en at revision ``mtcheck.testing.FAKE_REVISION``."""
    from mtcheck.testing import install_as_hub_model

    hf_home = tmp_path / "hf-home-with-model"
    install_as_hub_model(tiny_model, hf_home)
    monkeypatch.setenv("HF_HOME", str(hf_home))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.delenv("HUGGINGFACE_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return hf_home
