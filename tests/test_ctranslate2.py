"""The ctranslate2 backend against the marian backend on the tiny model; conversion cache."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

pytest.importorskip("ctranslate2")

from mtcheck.backtranslate import DecodingSettings, ct2, open_translator, resolve_backend  # noqa: E402
from mtcheck.errors import ModelNotAvailable  # noqa: E402

GERMAN = [
    "Der Zug nach Berlin fällt heute aus.",
    "Ja.",
    "Die Umsätze sind im dritten Quartal um 12 Prozent gestiegen, obwohl die Nachfrage in "
    "Asien schwächer war.",
    "Wir bitten alle Fahrgäste, auf die Ansagen zu achten.",
    "Am Montag kommt die Sonne zurück.",
]
ENGLISH = [
    "The train to Berlin is cancelled today.",
    "Yes.",
    "Sales rose by 12 percent in the third quarter.",
    "We ask all passengers to pay attention to the announcements.",
    "The sun returns on Monday.",
]


def _open(model: Path, backend: str, tmp_path: Path, **kwargs):
    kwargs.setdefault("settings", DecodingSettings(beams=4, batch_size=2, max_new_tokens=24))
    return open_translator(
        str(model),
        device="cpu",
        backend=backend,
        cache_path=tmp_path / "cache.sqlite",
        use_cache=kwargs.pop("use_cache", False),
        **kwargs,
    )


@pytest.mark.parametrize("beams", [1, 4])
def test_float32_translations_match_marian(tiny_model, tmp_path, beams):
    settings = DecodingSettings(beams=beams, batch_size=2, max_new_tokens=24)
    marian = _open(tiny_model, "marian", tmp_path, settings=settings).translate(GERMAN)
    fast = _open(tiny_model, "ctranslate2", tmp_path, settings=settings, compute_type="float32")
    out = fast.translate(GERMAN)
    assert [t.text for t in out] == [t.text for t in marian]
    # CTranslate2 drops <pad> from the softmax: log-probs a little higher at most.
    assert [t.logprob for t in out] == pytest.approx([t.logprob for t in marian], abs=5e-3)


def test_automatic_bound_and_natural_end_match_marian(tiny_model, tmp_path):
    """No max_new_tokens: the per-source bound; outputs that end with </s> use CT2's own
    beam score, which must be the same average log-prob."""
    corpus = Path(__file__).resolve().parent.parent / "corpora"
    lines = [
        line.strip()
        for name in ("windpark.de.txt", "bibliothek.de.txt")
        if (corpus / name).is_file()
        for line in (corpus / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ][:12] or GERMAN
    settings = DecodingSettings(beams=1, batch_size=4)
    marian = _open(tiny_model, "marian", tmp_path, settings=settings).translate(lines)
    fast = _open(tiny_model, "ctranslate2", tmp_path, settings=settings, compute_type="float32")
    out = fast.translate(lines)
    assert [t.text for t in out] == [t.text for t in marian]
    assert [t.logprob for t in out] == pytest.approx([t.logprob for t in marian], abs=5e-3)


def test_scores_match_marian(tiny_model, tmp_path):
    marian = _open(tiny_model, "marian", tmp_path).score(GERMAN, ENGLISH)
    exact = _open(tiny_model, "ctranslate2", tmp_path, compute_type="float32")
    assert exact.score(GERMAN, ENGLISH) == pytest.approx(marian, abs=5e-3)
    # int8: quantisation noise; the tiny model's large random weights make it big (a trained
    # model is far closer), so only a loose bound here.
    int8 = _open(tiny_model, "ctranslate2", tmp_path)
    assert int8._backend.compute_type == "int8"
    scores = int8.score(GERMAN, ENGLISH)
    assert scores == pytest.approx(marian, rel=0.15)
    assert all(math.isfinite(s) and s < 0 for s in scores)
    assert len(int8.translate(GERMAN)) == len(GERMAN)


def test_blank_and_empty_inputs(tiny_model, tmp_path):
    translator = _open(tiny_model, "ctranslate2", tmp_path)
    assert translator.translate(["", " "])[0].text == ""
    assert translator.model_calls == 0 and not translator.loaded
    assert all(math.isnan(s) for s in translator.score(["", "Hallo"], ["Hello", ""]))


def test_conversion_is_cached_and_reused(tiny_model, tmp_path):
    before = ct2.conversions
    _open(tiny_model, "ctranslate2", tmp_path).translate(GERMAN[:1])
    assert ct2.conversions == before + 1
    folders = [p for p in (tmp_path / "ct2").iterdir()]
    assert len(folders) == 1 and folders[0].name.endswith("-int8-v1")
    stamp = (folders[0] / "model.bin").stat().st_mtime_ns
    _open(tiny_model, "ctranslate2", tmp_path).translate(GERMAN[1:2])
    assert ct2.conversions == before + 1
    assert (folders[0] / "model.bin").stat().st_mtime_ns == stamp
    _open(tiny_model, "ctranslate2", tmp_path, compute_type="float32").translate(GERMAN[:1])
    assert ct2.conversions == before + 2  # another quantization, another folder


def test_interrupted_conversion_is_not_used(tiny_model, tmp_path, monkeypatch):
    # A left-over temporary folder with a half-written model.bin ...
    root = tmp_path / "ct2"
    half = root / ".dir@x-int8-v1.abc.tmp" / "model"
    half.mkdir(parents=True)
    (half / "model.bin").write_bytes(b"half")
    # ... and a conversion that dies in the middle, after writing part of its output.
    real = ct2._convert

    def dying(model_path, out, quantization):
        out.mkdir(parents=True)
        (out / "model.bin").write_bytes(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(ct2, "_convert", dying)
    with pytest.raises(KeyboardInterrupt):
        _open(tiny_model, "ctranslate2", tmp_path).translate(GERMAN[:1])
    # Nothing at a final place; the dying conversion's own temporary folder is gone.
    assert [p.name for p in root.iterdir()] == [".dir@x-int8-v1.abc.tmp"]
    monkeypatch.setattr(ct2, "_convert", real)
    before = ct2.conversions
    out = _open(tiny_model, "ctranslate2", tmp_path).translate(GERMAN[:1])
    assert ct2.conversions == before + 1 and out[0].text is not None
    # An incomplete folder at the final place (not made by a rename) is replaced.
    target = next(p for p in root.iterdir() if not p.name.startswith("."))
    (target / "model.bin").unlink()
    _open(tiny_model, "ctranslate2", tmp_path).translate(GERMAN[1:2])
    assert ct2.conversions == before + 2 and (target / "model.bin").is_file()


def test_cache_entries_are_separated_by_backend(tiny_model, tmp_path):
    settings = DecodingSettings(beams=1, max_new_tokens=16)
    with _open(tiny_model, "marian", tmp_path, settings=settings, use_cache=True) as marian:
        marian.translate(GERMAN)
        marian.score(GERMAN, ENGLISH)
    with _open(tiny_model, "ctranslate2", tmp_path, settings=settings, use_cache=True) as fast:
        fast.translate(GERMAN)
        fast.score(GERMAN, ENGLISH)
        assert fast.cache_hits == 0 and fast.model_calls > 0
    with _open(
        tiny_model,
        "ctranslate2",
        tmp_path,
        settings=settings,
        use_cache=True,
        compute_type="float32",
    ) as exact:
        exact.translate(GERMAN)
        assert exact.cache_hits == 0  # another quantization, other entries
    with _open(tiny_model, "ctranslate2", tmp_path, settings=settings, use_cache=True) as again:
        again.translate(GERMAN)
        again.score(GERMAN, ENGLISH)
        assert again.model_calls == 0 and again.cache_hits == 2 * len(GERMAN)


def test_auto_backend_choice(monkeypatch):
    assert resolve_backend("marian", "cpu") == "marian"
    assert resolve_backend("auto", "cpu") == "ctranslate2"
    assert resolve_backend("ctranslate2", "auto") == "ctranslate2"
    # A GPU that CTranslate2 sees but cannot use (CUDA 13 vs its cuBLAS 12): marian.
    monkeypatch.setattr(ct2, "cuda_device_count", lambda: 1)
    monkeypatch.setattr(ct2, "cuda_usable", lambda: False)
    assert resolve_backend("auto", "cuda") == "marian"
    assert resolve_backend("auto", "auto") == "marian"
    monkeypatch.setattr(ct2, "cuda_usable", lambda: True)
    assert resolve_backend("auto", "cuda") == "ctranslate2"
    monkeypatch.setattr(ct2, "available", lambda: False)
    assert resolve_backend("auto", "cpu") == "marian"
    with pytest.raises(ModelNotAvailable, match="mtcheck\\[fast\\]"):
        resolve_backend("ctranslate2", "cpu")


def test_cli_backend_option_reaches_the_translator(monkeypatch):
    import click
    from click.testing import CliRunner

    from mtcheck import cli
    from mtcheck.commands.setup import open_model

    seen = {}

    def fake_open(model, **kwargs):
        seen.update(kwargs)
        raise ModelNotAvailable("stop here")

    monkeypatch.setattr("mtcheck.commands.setup.open_translator", fake_open)

    @click.command()
    @cli.model_options
    def probe(model):
        open_model(model)

    result = CliRunner().invoke(probe, ["--backend", "marian"])
    assert isinstance(result.exception, ModelNotAvailable)
    assert seen["backend"] == "marian"
    CliRunner().invoke(probe, [])
    assert seen["backend"] == "auto"


def test_scoring_batches_bound_the_vocabulary_scores(tiny_model, tmp_path, monkeypatch):
    """score_batch holds every target position's vocabulary scores at once: a batch stays
    within SCORE_LOGITS_BUDGET scores, and smaller batches give the same log-probs."""
    wide = DecodingSettings(beams=4, batch_size=8, max_new_tokens=24)
    whole = _open(tiny_model, "ctranslate2", tmp_path, settings=wide, compute_type="float32")
    expected = whole.score(GERMAN, ENGLISH)
    assert whole.model_calls == 1
    translator = _open(tiny_model, "ctranslate2", tmp_path, settings=wide, compute_type="float32")
    backend = translator._backend
    backend.load()
    positions = 60
    monkeypatch.setitem(ct2.SCORE_LOGITS_BUDGET, "cpu", positions * backend._vocabulary)
    seen = []
    original = backend._translator.score_batch

    class Spy:
        def __getattr__(self, name):
            return getattr(original.__self__, name)

        def score_batch(self, sources, targets, **kwargs):
            widths = [max(len(s), len(t) + 1) for s, t in zip(sources, targets, strict=True)]
            seen.append((len(sources), len(sources) * max(widths)))
            return original(sources, targets, **kwargs)

    backend._translator = Spy()
    assert translator.score(GERMAN, ENGLISH) == pytest.approx(expected, abs=1e-4)
    assert len(seen) > 1
    assert all(n == 1 or cost <= positions for n, cost in seen)
    assert any(n > 1 for n, _ in seen)


def test_translation_batches_count_the_output_bound(tiny_model, tmp_path):
    """A batch's padded tokens count the output bound when it exceeds the source: the beam
    search's memory grows with the output length."""
    settings = DecodingSettings(beams=1, batch_size=32, max_new_tokens=20, batch_tokens=45)
    backend = _open(tiny_model, "ctranslate2", tmp_path, settings=settings)._backend
    backend.load()
    short = ["Ja.", "Nein.", "Gut.", "Hallo.", "Danke.", "Bitte."]
    ids, bounds, batches = backend._translation_batches(short)
    assert all(len(i) < 20 for i in ids) and set(bounds) == {20}
    assert [len(b) for b in batches] == [2, 2, 2]  # 2 x 20 <= 45 < 3 x 20


class _Failed:
    """An asynchronous result whose batch ran out of memory."""

    def result(self):
        raise RuntimeError("CUDA failed with error out of memory")


class _Starved:
    """A CTranslate2 translator that runs out of memory for sub-batches over ``fits``."""

    def __init__(self, real, fits: int) -> None:
        self.real, self.fits, self.limits = real, fits, []

    def _call(self, method, first, *rest, max_batch_size, asynchronous=False, **kwargs):
        self.limits.append(max_batch_size)
        if min(max_batch_size, len(first)) > self.fits:
            if asynchronous:
                return [_Failed() for _ in first]
            raise RuntimeError("CUDA failed with error out of memory")
        return getattr(self.real, method)(
            first, *rest, max_batch_size=max_batch_size, asynchronous=asynchronous, **kwargs
        )

    def translate_batch(self, *args, **kwargs):
        return self._call("translate_batch", *args, **kwargs)

    def score_batch(self, *args, **kwargs):
        return self._call("score_batch", *args, **kwargs)


def test_out_of_memory_batches_run_again_in_smaller_sub_batches(tiny_model, tmp_path):
    settings = DecodingSettings(beams=2, batch_size=8, max_new_tokens=16)
    plain = _open(tiny_model, "ctranslate2", tmp_path, settings=settings)
    want_text, want_score = plain.translate(GERMAN), plain.score(GERMAN, ENGLISH)
    translator = _open(tiny_model, "ctranslate2", tmp_path, settings=settings)
    translator.translate(["Vorab."])  # loads the backend
    backend = translator._backend
    backend._workers = 1  # as on a GPU: one worker takes the whole batch
    backend._translator = starved = _Starved(backend._translator, fits=1)
    got = translator.translate(GERMAN)
    assert [t.text for t in got] == [t.text for t in want_text]
    assert [t.logprob for t in got] == pytest.approx([t.logprob for t in want_text], abs=1e-4)
    assert translator.score(GERMAN, ENGLISH) == pytest.approx(want_score, abs=1e-4)
    assert backend.memory_splits >= 2 and 1 in starved.limits


def test_out_of_memory_for_one_sentence_is_a_clear_error(tiny_model, tmp_path):
    translator = _open(tiny_model, "ctranslate2", tmp_path)
    translator.translate(["Vorab."])
    backend = translator._backend
    backend._translator = _Starved(backend._translator, fits=0)
    with pytest.raises(ModelNotAvailable, match="ran out of memory for a single sentence"):
        translator.translate(["Ein ganz neuer Satz.", "Noch einer."])
