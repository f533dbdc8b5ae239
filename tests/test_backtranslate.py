"""Back-translation with the tiny MarianMT model: order, determinism, log-probs, cache."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mtcheck.backtranslate import (
    DecodingSettings,
    ResultCache,
    default_cache_path,
    open_translator,
    resolve_model,
)
from mtcheck.errors import ConfigError, ModelNotAvailable, MtcheckError
from mtcheck.model import Translation

GERMAN = [
    "Der Zug nach Berlin fällt heute aus.",
    "Ja.",
    "Die Umsätze sind im dritten Quartal um 12 Prozent gestiegen, obwohl die Nachfrage in "
    "Asien schwächer war und viele Kunden seit Wochen auf ihre Lieferungen warten.",
    "Wir bitten alle Fahrgäste, auf die Ansagen zu achten.",
    "Forscher haben gezeigt, dass kleine Modelle gut übersetzen.",
    "Am Montag kommt die Sonne zurück.",
    "Um die Kosten zu senken, will das Unternehmen mehr Software selbst entwickeln.",
]
ENGLISH = [
    "The train to Berlin is cancelled today.",
    "Yes.",
    "Sales rose by 12 percent in the third quarter.",
    "We ask all passengers to pay attention to the announcements.",
    "Researchers have shown that small models translate well.",
    "The sun returns on Monday.",
    "To cut costs, the company wants to develop more software itself.",
]


SHORT = DecodingSettings(max_new_tokens=16)


def _translator(model: Path, **kwargs):
    """The marian backend: these tests compare it with transformers itself
    (tests/test_ctranslate2.py compares the ctranslate2 backend with it)."""
    kwargs.setdefault("use_cache", False)
    kwargs.setdefault("backend", "marian")
    return open_translator(str(model), device="cpu", **kwargs)


def _hf_model(model: Path):
    import torch  # noqa: F401  (the tests below need the real thing)
    from transformers import MarianMTModel, MarianTokenizer

    return (
        MarianMTModel.from_pretrained(str(model), use_safetensors=True).eval(),
        MarianTokenizer.from_pretrained(str(model)),
    )


# -- package and settings ------------------------------------------------------------------


def test_importing_the_package_loads_neither_torch_nor_transformers():
    code = (
        "import sys, mtcheck.backtranslate\n"
        "heavy = [m for m in ('torch', 'transformers') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_settings_key_names_what_changes_outputs_only():
    assert DecodingSettings().key() == DecodingSettings(batch_size=7).key()
    assert DecodingSettings(beams=4).key() != DecodingSettings(beams=5).key()
    assert DecodingSettings().key() != DecodingSettings(max_new_tokens=40).key()


@pytest.mark.parametrize("bad", [{"beams": 0}, {"batch_size": 0}, {"max_new_tokens": 0}])
def test_settings_reject_nonsense(bad):
    with pytest.raises(ConfigError):
        DecodingSettings(**bad)


def test_default_cache_path_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("MTCHECK_CACHE", str(tmp_path / "x.sqlite"))
    assert default_cache_path() == tmp_path / "x.sqlite"
    monkeypatch.delenv("MTCHECK_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_path() == tmp_path / "xdg" / "mtcheck" / "cache.sqlite"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_path() == tmp_path / "home" / ".cache" / "mtcheck" / "cache.sqlite"


# -- translate -----------------------------------------------------------------------------


def test_translate_keeps_order_under_length_sorting(tiny_model):
    settings = DecodingSettings(beams=2, batch_size=3, max_new_tokens=20)
    translator = _translator(tiny_model, settings=settings)
    together = translator.translate(GERMAN)
    assert len(together) == len(GERMAN)
    assert translator.model_calls >= 3  # batches of at most 3
    for text, expected in zip(GERMAN, together, strict=True):
        alone = translator.translate([text])[0]
        assert alone.text == expected.text
        assert alone.logprob == pytest.approx(expected.logprob, abs=1e-4)


def test_batch_size_follows_the_device_unless_set():
    from mtcheck.backtranslate.settings import BATCH_SIZE, TOKENS_PER_SENTENCE

    default = DecodingSettings()
    assert default.sentences_per_batch("cpu") == BATCH_SIZE["cpu"] == 32
    assert default.sentences_per_batch("cuda") == default.sentences_per_batch("cuda:1") == 256
    assert default.token_budget("cuda") == 256 * TOKENS_PER_SENTENCE
    fixed = DecodingSettings(batch_size=5)
    assert fixed.sentences_per_batch("cpu") == fixed.sentences_per_batch("cuda") == 5
    assert DecodingSettings(batch_tokens=100).token_budget("cuda") == 100
    assert default.key() == fixed.key()  # throughput only: never in a cache key


def test_batches_are_cut_by_the_loaded_devices_batch_size(tiny_model):
    # Short outputs: the batches are cut by the sentence count, not the token budget.
    translator = _translator(tiny_model, settings=DecodingSettings(max_new_tokens=8))
    translator.translate(["Vorab."])  # loads the backend
    backend = translator._backend
    texts = [f"Satz Nummer {i} ist kurz." for i in range(300)]
    _ids, _bounds, batches = backend._translation_batches(texts)
    assert max(len(batch) for batch in batches) == 32
    backend.device = "cuda"  # as loaded on a GPU: only the batch plan is asked for
    _ids, _bounds, batches = backend._translation_batches(texts)
    sizes = [len(batch) for batch in batches]
    assert max(sizes) == 256 and sum(sizes) == 300


def test_automatic_length_bound_ignores_batch_mates(tiny_model):
    """With max_new_tokens unset the bound follows each source's own length, so a short
    sentence translates the same next to a long one as alone."""
    translator = _translator(tiny_model, settings=DecodingSettings(beams=1, batch_size=8))
    short, long_ = GERMAN[1], GERMAN[2]
    assert translator.translate([short, long_])[0] == translator.translate([short])[0]
    assert translator.model_calls == 3  # the two lengths never share a batch


def test_translate_is_deterministic_and_varied(tiny_model):
    first = _translator(tiny_model).translate(GERMAN)
    second = _translator(tiny_model).translate(GERMAN)
    assert [t.text for t in first] == [t.text for t in second]
    assert [t.logprob for t in first] == pytest.approx([t.logprob for t in second], abs=1e-5)
    assert any(t.text for t in first)
    assert len({t.text for t in first}) > 1
    assert all(math.isfinite(t.logprob) and t.logprob < 0 for t in first if t.text)


def test_blank_texts_need_no_model_call(tiny_model):
    translator = _translator(tiny_model)
    assert translator.translate(["", "  \n"]) == [Translation("", 0.0), Translation("", 0.0)]
    assert translator.translate([]) == []
    assert translator.model_calls == 0
    assert not translator.loaded
    assert translator.info.device == "cpu"
    mixed = translator.translate(["", GERMAN[0], ""])
    assert mixed[0] == mixed[2] == Translation("", 0.0)
    assert mixed[1].text
    assert translator.model_calls == 1


def test_duplicates_are_translated_once(tiny_model):
    translator = _translator(tiny_model, settings=DecodingSettings(batch_size=1))
    out = translator.translate([GERMAN[0], GERMAN[1], GERMAN[0]])
    assert out[0] == out[2]
    assert translator.model_calls == 2


def test_translation_logprob_is_the_models_own(tiny_model, monkeypatch):
    """Compare with a plain full forward pass of transformers over the same output ids."""
    import torch

    from mtcheck.backtranslate import marian

    # Force the chunked path of the scorer: a few tokens per chunk.
    monkeypatch.setitem(marian._LOGIT_BUDGET, "cpu", 3 * 1024)
    model, tokenizer = _hf_model(tiny_model)
    translator = _translator(tiny_model, settings=DecodingSettings(beams=1, max_new_tokens=12))
    results = translator.translate(GERMAN)
    cut = 0
    for text, result in zip(GERMAN, results, strict=True):
        batch = tokenizer([text], return_tensors="pt")
        with torch.inference_mode():
            ids = model.generate(**batch, num_beams=1, do_sample=False, max_new_tokens=12)
            logits = model(**batch, decoder_input_ids=ids[:, :-1]).logits
        labels = ids[:, 1:]
        logprobs = logits.log_softmax(-1).gather(-1, labels[..., None])[..., 0]
        real = labels != model.config.pad_token_id
        if int(real.sum()) == 12:  # cut at the bound: the forced </s> is not the model's choice
            real[0, -1] = False
            cut += 1
        expected = (logprobs[real].sum() / real.sum()).item()
        assert result.logprob == pytest.approx(expected, abs=1e-4)
        assert result.text == tokenizer.decode(ids[0], skip_special_tokens=True).strip()
    assert cut > 0, "no output reached the bound: the cut case is untested"


def test_cuda_without_cuda_is_a_clear_error(tiny_model):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a CUDA GPU")
    translator = open_translator(str(tiny_model), device="cuda", use_cache=False)
    assert translator.info.device == "cuda"
    with pytest.raises(ModelNotAvailable, match="--device cpu"):
        translator.translate(GERMAN[:1])


def test_unknown_device_fails_before_loading(tiny_model):
    with pytest.raises(ModelNotAvailable, match="Unknown device"):
        open_translator(str(tiny_model), device="tpu", use_cache=False)


# -- score ---------------------------------------------------------------------------------


def test_score_matches_the_models_own_loss(tiny_model):
    """Forced decoding agrees with transformers' cross-entropy loss, pair by pair."""
    import torch

    model, tokenizer = _hf_model(tiny_model)
    translator = _translator(tiny_model, settings=DecodingSettings(batch_size=3))
    scores = translator.score(GERMAN, ENGLISH)
    assert translator.model_calls == 3
    for source, target, score in zip(GERMAN, ENGLISH, scores, strict=True):
        inputs = tokenizer([source], text_target=[target], return_tensors="pt")
        with torch.inference_mode():
            loss = model(**inputs).loss.item()
        assert score == pytest.approx(-loss, abs=1e-4)
        assert math.isfinite(score) and score < 0


def test_own_output_scores_higher_than_unrelated_text(tiny_model):
    translator = _translator(tiny_model, settings=DecodingSettings(beams=1))
    outputs = [t.text for t in translator.translate(GERMAN)]
    pairs = [(s, o) for s, o in zip(GERMAN, outputs, strict=True) if o]
    assert pairs
    own = translator.score([s for s, _ in pairs], [o for _, o in pairs])
    unrelated = translator.score([s for s, _ in pairs], ENGLISH[: len(pairs)])
    assert sum(own) / len(own) > sum(unrelated) / len(unrelated) + 0.5


def test_score_blank_sides_are_nan_without_model_call(tiny_model):
    translator = _translator(tiny_model)
    scores = translator.score(["", "Hallo", " "], ["Hello", "", "x"])
    assert all(math.isnan(s) for s in scores)
    assert translator.model_calls == 0
    with pytest.raises(ValueError):
        translator.score(["a"], ["b", "c"])


# -- cache ---------------------------------------------------------------------------------


def test_second_run_is_served_from_the_cache(tiny_model, tmp_path):
    cache = tmp_path / "cache.sqlite"
    with open_translator(str(tiny_model), device="cpu", cache_path=cache, settings=SHORT) as first:
        translations = first.translate(GERMAN)
        scores = first.score(GERMAN, ENGLISH)
        assert first.model_calls > 0
    with open_translator(str(tiny_model), device="cpu", cache_path=cache, settings=SHORT) as second:
        assert second.translate(GERMAN) == translations
        assert second.score(GERMAN, ENGLISH) == scores
        assert second.model_calls == 0
        assert not second.loaded
        assert second.cache_hits == len(GERMAN) * 2


def test_cache_hits_do_not_import_torch(tiny_model, tmp_path):
    cache = tmp_path / "cache.sqlite"
    with open_translator(str(tiny_model), device="cpu", cache_path=cache, settings=SHORT) as warm:
        warm.translate(GERMAN)
        warm.score(GERMAN, ENGLISH)
    code = (
        "import sys, json\n"
        "from mtcheck.backtranslate import open_translator\n"
        "from mtcheck.backtranslate import DecodingSettings\n"
        f"t = open_translator({str(tiny_model)!r}, cache_path={str(cache)!r},"
        " settings=DecodingSettings(max_new_tokens=16))\n"
        f"t.translate({GERMAN!r}); t.score({GERMAN!r}, {ENGLISH!r})\n"
        "print(json.dumps([t.model_calls, 'torch' in sys.modules, t.info.device]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == [0, False, "auto"]


def test_changed_beams_miss_the_cache(tiny_model, tmp_path):
    cache = tmp_path / "cache.sqlite"
    with open_translator(str(tiny_model), device="cpu", cache_path=cache, settings=SHORT) as first:
        first.translate(GERMAN[:3])
    settings = DecodingSettings(beams=2, max_new_tokens=16)
    with open_translator(str(tiny_model), device="cpu", cache_path=cache, settings=settings) as t:
        t.translate(GERMAN[:3])
        assert t.model_calls > 0
        assert t.cache_hits == 0


def test_changed_model_misses_and_copied_model_hits(tiny_model, tmp_path):
    cache = tmp_path / "cache.sqlite"
    with open_translator(str(tiny_model), device="cpu", cache_path=cache, settings=SHORT) as first:
        first.translate(GERMAN[:3])
    copy = shutil.copytree(tiny_model, tmp_path / "copy")
    with open_translator(str(copy), device="cpu", cache_path=cache, settings=SHORT) as same:
        same.translate(GERMAN[:3])
        assert same.model_calls == 0  # same files, same revision
    config = json.loads((copy / "generation_config.json").read_text())
    config["length_penalty"] = 0.5
    (copy / "generation_config.json").write_text(json.dumps(config))
    with open_translator(str(copy), device="cpu", cache_path=cache, settings=SHORT) as changed:
        assert changed.info.revision != resolve_model(str(tiny_model)).revision
        changed.translate(GERMAN[:3])
        assert changed.model_calls > 0


def test_no_cache_writes_nothing(tiny_model, tmp_path):
    cache = tmp_path / "cache.sqlite"
    translator = open_translator(str(tiny_model), device="cpu", cache_path=cache, use_cache=False)
    translator.translate(GERMAN[:1])
    assert not cache.exists()


def test_corrupt_cache_file_is_a_clear_error(tiny_model, tmp_path):
    cache = tmp_path / "cache.sqlite"
    cache.write_bytes(b"this is not a database" * 500)
    with pytest.raises(MtcheckError) as caught:
        open_translator(str(tiny_model), cache_path=cache)
    message = str(caught.value)
    assert str(cache) in message and "--no-cache" in message and "delete" in message


def test_cache_round_trip_and_nan(tmp_path):
    with ResultCache(tmp_path / "sub" / "c.sqlite") as cache:
        cache.put_many([(b"a" * 32, "text", -1.5), (b"b" * 32, None, float("nan"))])
        found = cache.get_many([b"a" * 32, b"b" * 32, b"c" * 32])
        assert found[b"a" * 32] == ("text", -1.5)
        assert found[b"b" * 32][0] is None and math.isnan(found[b"b" * 32][1])
        assert b"c" * 32 not in found
        assert len(cache) == 2
        many = [(i.to_bytes(32, "big"), str(i), float(i)) for i in range(1200)]
        cache.put_many(many)
        assert len(cache.get_many(key for key, _, _ in many)) == 1200


def test_cache_path_that_is_a_directory_is_a_clear_error(tiny_model, tmp_path):
    with pytest.raises(MtcheckError, match="is a directory"):
        open_translator(str(tiny_model), cache_path=tmp_path)


def test_corrupt_weights_are_a_clear_error(tiny_model, tmp_path):
    copy = shutil.copytree(tiny_model, tmp_path / "broken")
    weights = copy / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:100])
    translator = _translator(copy)  # resolving reads no weights ...
    with pytest.raises(ModelNotAvailable, match="could not be loaded"):
        translator.translate(GERMAN[:1])  # ... loading does


def _starved(translator, rows_that_fit: int):
    """Make the loaded marian backend run out of memory for batches over ``rows_that_fit``."""
    import torch

    backend = translator._backend
    encode = backend._encode_batch

    def encode_or_fail(ids):
        if len(ids) > rows_that_fit:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return encode(ids)

    backend._encode_batch = encode_or_fail
    return backend


def test_a_batch_that_runs_out_of_memory_is_run_in_halves(tiny_model):
    settings = DecodingSettings(beams=2, batch_size=8, max_new_tokens=16)
    expected = _translator(tiny_model, settings=settings)
    want_text = expected.translate(GERMAN)
    want_score = expected.score(GERMAN, ENGLISH)
    translator = _translator(tiny_model, settings=settings)
    translator.translate(["Vorab."])  # loads the backend
    backend = _starved(translator, rows_that_fit=2)
    got = translator.translate(GERMAN)
    assert [t.text for t in got] == [t.text for t in want_text]
    assert [t.logprob for t in got] == pytest.approx([t.logprob for t in want_text], abs=1e-4)
    assert translator.score(GERMAN, ENGLISH) == pytest.approx(want_score, abs=1e-5)
    assert backend.memory_splits >= 2


def test_one_sentence_that_does_not_fit_is_a_clear_error(tiny_model):
    translator = _translator(tiny_model, settings=DecodingSettings(max_new_tokens=8))
    translator.translate(["Vorab."])
    _starved(translator, rows_that_fit=0)
    with pytest.raises(ModelNotAvailable, match="ran out of memory for a single sentence"):
        translator.translate(["Ein neuer Satz."])


def test_other_errors_are_not_taken_for_lack_of_memory(tiny_model):
    translator = _translator(tiny_model, settings=DecodingSettings(max_new_tokens=8))
    translator.translate(["Vorab."])
    backend = translator._backend

    def broken(ids):
        raise RuntimeError("index out of range in self")

    backend._encode_batch = broken
    with pytest.raises(RuntimeError, match="index out of range"):
        translator.translate(["Noch ein Satz.", "Und noch einer."])
    assert backend.memory_splits == 0
