"""Finding models: local directories and hub ids in an offline Hugging Face cache."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from mtcheck.backtranslate import (
    DEFAULT_MODEL,
    download_model,
    hub_cache_dir,
    installed_models,
    open_translator,
    resolve_model,
)
from mtcheck.backtranslate import fingerprint as fingerprint_module
from mtcheck.errors import ModelNotAvailable
from mtcheck.testing import FAKE_REVISION, install_as_hub_model


def test_default_model_resolves_from_the_hub_cache(hf_home_with_default_model):
    resolved = resolve_model(DEFAULT_MODEL)
    assert resolved.revision == FAKE_REVISION
    assert resolved.source == "hub"
    assert resolved.path == hub_cache_dir() / (
        "models--Helsinki-NLP--opus-mt-de-en/snapshots/" + FAKE_REVISION
    )
    assert str(hf_home_with_default_model) in str(resolved.path)


def test_default_model_translates_by_hub_id(hf_home_with_default_model):
    translator = open_translator(DEFAULT_MODEL, device="cpu", use_cache=False)
    assert translator.info.revision == FAKE_REVISION
    assert translator.info.name == DEFAULT_MODEL
    assert len(translator.translate(["Guten Morgen.", "Danke."])) == 2
    assert translator.loaded and translator.info.device == "cpu"


def test_empty_cache_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "empty"))
    with pytest.raises(ModelNotAvailable) as caught:
        resolve_model(DEFAULT_MODEL)
    message = str(caught.value)
    assert "mtcheck model download" in message and "--model" in message
    assert "\n" not in message
    with pytest.raises(ModelNotAvailable):
        open_translator(DEFAULT_MODEL)  # fails at once, before any model loading


def test_environment_changes_after_import_are_honoured(hf_home_with_default_model, monkeypatch):
    import huggingface_hub  # noqa: F401  (its constants are frozen now)

    assert resolve_model(DEFAULT_MODEL).revision == FAKE_REVISION
    monkeypatch.setenv("HF_HUB_CACHE", str(hf_home_with_default_model / "elsewhere"))
    with pytest.raises(ModelNotAvailable):
        resolve_model(DEFAULT_MODEL)
    monkeypatch.setenv("HF_HUB_CACHE", str(hf_home_with_default_model / "hub"))
    assert resolve_model(DEFAULT_MODEL).revision == FAKE_REVISION


def test_other_hub_ids_name_themselves_in_the_fix(hf_home_with_default_model):
    with pytest.raises(ModelNotAvailable, match="mtcheck model download Helsinki-NLP/opus-mt-xx"):
        resolve_model("Helsinki-NLP/opus-mt-xx")


def test_missing_directory(tmp_path):
    with pytest.raises(ModelNotAvailable, match="does not exist"):
        resolve_model(str(tmp_path / "no" / "such" / "model"))
    with pytest.raises(ModelNotAvailable, match="does not exist"):
        resolve_model("./not-here/")


def test_directory_without_a_model(tmp_path):
    with pytest.raises(ModelNotAvailable, match="config.json"):
        resolve_model(str(tmp_path))


def test_file_instead_of_directory(tmp_path):
    path = tmp_path / "model.bin"
    path.write_bytes(b"x")
    with pytest.raises(ModelNotAvailable, match="not a directory"):
        resolve_model(str(path))


def test_directory_with_another_model_type(tiny_model, tmp_path):
    copy = shutil.copytree(tiny_model, tmp_path / "bert")
    (copy / "config.json").write_text(json.dumps({"model_type": "bert"}))
    with pytest.raises(ModelNotAvailable, match="marian"):
        resolve_model(str(copy))


def test_directory_without_safetensors(tiny_model, tmp_path):
    copy = shutil.copytree(tiny_model, tmp_path / "pickled")
    (copy / "model.safetensors").rename(copy / "pytorch_model.bin")
    with pytest.raises(ModelNotAvailable, match="safetensors"):
        resolve_model(str(copy))


def test_directory_without_tokenizer(tiny_model, tmp_path):
    copy = shutil.copytree(tiny_model, tmp_path / "no-spm")
    (copy / "source.spm").unlink()
    with pytest.raises(ModelNotAvailable, match="source.spm"):
        resolve_model(str(copy))


def _count_hashing(monkeypatch) -> list:
    calls: list = []
    real_hash = fingerprint_module._hash_file
    monkeypatch.setattr(
        fingerprint_module, "_hash_file", lambda path: calls.append(path) or real_hash(path)
    )
    return calls


def test_directory_revision_is_a_memoised_content_fingerprint(tiny_model, tmp_path, monkeypatch):
    copy = shutil.copytree(tiny_model, tmp_path / "model")
    monkeypatch.setattr(fingerprint_module, "RACY_NS", 0)
    calls = _count_hashing(monkeypatch)
    first = resolve_model(str(copy))
    assert first.source == "directory" and len(first.revision) == 40
    assert len(calls) >= 5  # config, generation config, weights, 2 spm, vocab ...
    calls.clear()
    assert resolve_model(str(copy)).revision == first.revision
    assert calls == []  # ... hashed once and remembered
    assert resolve_model(str(tiny_model)).revision == first.revision  # same content


def test_changed_file_with_same_size_and_mtime_changes_the_revision(tiny_model, tmp_path):
    copy = shutil.copytree(tiny_model, tmp_path / "model")
    before = resolve_model(str(copy)).revision
    config = copy / "config.json"
    stat = config.stat()
    data = config.read_bytes()
    changed = data.replace(b'"d_model": 32', b'"d_model": 64', 1)
    assert changed != data and len(changed) == len(data)
    config.write_bytes(changed)
    os.utime(config, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert resolve_model(str(copy)).revision != before


def test_fresh_files_are_not_memoised(tiny_model, tmp_path, monkeypatch):
    copy = shutil.copytree(tiny_model, tmp_path / "model")
    calls = _count_hashing(monkeypatch)
    resolve_model(str(copy))
    hashed = len(calls)
    resolve_model(str(copy))
    assert len(calls) == 2 * hashed  # changed within RACY_NS: hashed again


def test_installed_models_lists_the_default(hf_home_with_default_model):
    models = installed_models()
    assert [(m.name, m.revision, m.refs) for m in models] == [
        (DEFAULT_MODEL, FAKE_REVISION, ("main",))
    ]
    assert models[0].size > 0 and models[0].problem is None
    assert DEFAULT_MODEL in str(models[0])


def test_installed_models_of_an_empty_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "nothing"))
    assert installed_models() == []


def test_safetensors_conversion_branch_is_used_when_main_has_pickles_only(tiny_model, tmp_path):
    hf_home = Path(os.environ["HF_HOME"])
    pickled = shutil.copytree(tiny_model, tmp_path / "pickled")
    (pickled / "model.safetensors").rename(pickled / "pytorch_model.bin")
    main = "a" * 40
    converted = "b" * 40
    install_as_hub_model(tiny_model, hf_home, revision=converted)
    install_as_hub_model(pickled, hf_home, revision=main)  # refs/main -> main
    repo = hf_home / "hub" / "models--Helsinki-NLP--opus-mt-de-en"
    (repo / "refs" / "pr").mkdir()
    (repo / "refs" / "pr" / "1").write_text(converted)
    resolved = resolve_model(DEFAULT_MODEL)
    assert resolved.revision == converted
    (repo / "refs" / "pr" / "1").unlink()
    with pytest.raises(ModelNotAvailable, match="safetensors"):
        resolve_model(DEFAULT_MODEL)


def test_download_offline_fails_with_one_sentence(monkeypatch):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(ModelNotAvailable, match="Could not download") as caught:
        download_model(DEFAULT_MODEL)
    assert "\n" not in str(caught.value)


def test_download_offline_returns_an_installed_model(hf_home_with_default_model, monkeypatch):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    assert download_model().revision == FAKE_REVISION


def test_download_rejects_a_path(tmp_path):
    with pytest.raises(ModelNotAvailable, match="not a Hugging Face model id"):
        download_model(str(tmp_path))
