"""The audit's per-group table: corpus chrF, BLEU and penalty per 1,000 words with 95%
bootstrap intervals as sacrebleu computes them, in summary.json and report.html."""

from __future__ import annotations

import json
import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

np = pytest.importorskip("numpy")
pq = pytest.importorskip("pyarrow.parquet")

from mtcheck.audit import commit_batch  # noqa: E402
from mtcheck.audit import output as audit_output  # noqa: E402
from mtcheck.audit.output import write_outputs  # noqa: E402
from mtcheck.audit.store import Store  # noqa: E402
from mtcheck.audit.work import RuleSpec, Task, init_worker, run_task  # noqa: E402
from mtcheck.cli import main  # noqa: E402
from mtcheck.io.tables import Row  # noqa: E402
from mtcheck.model import SEVERITY_WEIGHTS  # noqa: E402
from mtcheck.score import bootstrap, metric_figure, resample_counts  # noqa: E402

WORDS = (
    "the company city library wind farm operator reported sales of million euros is said to "
    "have negotiated with manufacturers for months expects number rise plans new sites by"
).split()
GERMAN = [
    "Das Unternehmen meldete einen Umsatz von {n} Millionen Euro.",
    "Die Stadtbibliothek soll monatelang mit {n} Herstellern verhandelt.",
    "Der Verband erwartet, dass die Zahl um 3.5% auf {n} steigen wird.",
    "Die Geschäftsführerin plant bis 2028 insgesamt {n} neue Standorte.",
]
HOSTILE = '<b onmouseover="x">&amp;'


def _pairs(count: int, keep: float, seed: int) -> list[tuple[str, str]]:
    """(back-translation, reference) pairs: references of 3-15 words, back-translations that
    keep each word with probability ``keep``."""
    rng = random.Random(seed)
    pairs = []
    for _ in range(count):
        reference = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 15)))
        hypothesis = " ".join(
            w if rng.random() < keep else rng.choice(WORDS) for w in reference.split()
        )
        pairs.append((hypothesis, reference))
    return pairs


def _sacrebleu_ci(metric_class, hypotheses, references):
    score = metric_class().corpus_score(hypotheses, [references], n_bootstrap=1000)
    return score.score, score._mean, score._ci


# -- the bootstrap itself ----------------------------------------------------------------------


@pytest.mark.parametrize("metric_name", ["BLEU", "CHRF"])
def test_bootstrap_equals_sacrebleus_corpus_score_with_n_bootstrap(metric_name):
    import sacrebleu.metrics

    metric_class = getattr(sacrebleu.metrics, metric_name)
    pairs = _pairs(57, keep=0.7, seed=1)
    hypotheses, references = [h for h, _ in pairs], [r for _, r in pairs]
    metric = metric_class()
    stats = metric._extract_corpus_statistics(hypotheses, [references])
    interval = bootstrap({"x": (stats, metric_figure(metric))})["x"]
    score, mean, ci = _sacrebleu_ci(metric_class, hypotheses, references)
    # sacrebleu sums in float32, this bootstrap in float64: equal to many digits.
    assert interval.score == pytest.approx(score, abs=1e-9)
    assert interval.mean == pytest.approx(mean, abs=1e-4)
    assert interval.ci == pytest.approx(ci, abs=1e-4)
    assert interval.low < interval.score < interval.high


@pytest.mark.parametrize("n", [1, 7, 300])
def test_resample_counts_in_chunks_are_the_draws_of_one_call(monkeypatch, n):
    import mtcheck.score

    drawn = np.random.default_rng(12345).choice(n, size=(1000, n), replace=True)
    expected = np.stack([np.bincount(row, minlength=n) for row in drawn])
    monkeypatch.setattr(mtcheck.score, "_CHUNK_CELLS", 3 * n)  # chunks of three rows
    chunks = list(resample_counts(n))
    assert len(chunks) == -(-1000 // 3)
    assert np.array_equal(np.concatenate(chunks), expected)


def test_groups_of_the_same_size_get_the_same_resamples():
    # Paired: with the same statistics, two groups of the same size get equal intervals;
    # a different statistic in one segment moves only that group's figures.
    rng = np.random.default_rng(0)
    stats = rng.integers(1, 40, size=(25, 2)).astype(float)
    changed = stats.copy()
    changed[3, 0] += 50

    def per_1000(sums):
        return 1000.0 * sums[0] / sums[1]

    first = bootstrap({"p": (stats, per_1000)})["p"]
    again = bootstrap({"p": (stats.copy(), per_1000)})["p"]
    other = bootstrap({"p": (changed, per_1000)})["p"]
    assert first == again
    assert other.score > first.score and other.mean > first.mean


def test_bootstrap_refuses_columns_of_different_lengths():
    with pytest.raises(ValueError):
        bootstrap({"a": ([[1.0]], float), "b": ([[1.0], [2.0]], float)})


# -- the audit's summary and page, from a store of known results ------------------------------


def _audit_store(tmp_path: Path, groups: dict[str, list[tuple[str | None, str | None]]]):
    """A store holding the results of rows with the given (back-translation, reference)
    pairs per system (a None reference: an unscored segment), computed by the audit's own
    run_task; the German cycles through sentences that draw flags."""
    init_worker(RuleSpec(isolated=True))
    rows, backtranslations = [], []
    for system, pairs in groups.items():
        for hypothesis, reference in pairs:
            k = len(rows)
            target = GERMAN[k % len(GERMAN)].format(n=k + 2)
            meta = (("system", system),)
            rows.append(Row("t.jsonl", k + 1, f"s{k}", target, reference, meta, None))
            backtranslations.append(hypothesis or "")
    task = Task(0, tuple(rows), (1,) * len(rows), tuple(backtranslations), (None,) * len(rows))
    store = Store(tmp_path / "audit.sqlite")
    results = run_task(task)
    commit_batch(store, results)
    return store, [json.loads(value) for _ordinal, value in results]


def _write(tmp_path: Path, store, model: dict | None = None) -> tuple[dict, str]:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    header = {
        "mtcheck_version": "test",
        "inputs": [],
        "model": {"name": "fake"} if model is None else model,
        "limit": None,
        "sample": None,
        "seed": None,
    }
    write_outputs(store, out, header, "system")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return summary, (out / "report.html").read_text(encoding="utf-8")


class _TableParser(HTMLParser):
    """The rows of the page's per-group table: the group, and each figure's data."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict] = []
        self.headers: list[str] = []
        self._in_table = False
        self._in_header = False
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("class") == "groups":
            self._in_table = True
        elif self._in_table and tag == "tr" and attrs.get("class") == "group":
            self.rows.append({"group": attrs["data-group"], "figures": []})
        elif self._in_table and tag == "td" and "figure" in (attrs.get("class") or ""):
            self.rows[-1]["figures"].append(attrs)
        elif self._in_table and tag == "th" and not self.rows:
            self._in_header, self._text = True, []

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        elif tag == "th" and self._in_header:
            self.headers.append("".join(self._text).strip())
            self._in_header = False

    def handle_data(self, data):
        if self._in_header:
            self._text.append(data)


def _table(page: str) -> _TableParser:
    parser = _TableParser()
    parser.feed(page)
    return parser


def test_group_intervals_are_sacrebleus_and_contain_the_point_estimates(tmp_path):
    # A and B: the same 40 references (paired), B's back-translations worse; C: 25
    # segments, 5 of them without a reference; the last group's name is hostile HTML.
    references = _pairs(40, keep=1.0, seed=2)
    worse = _pairs(40, keep=0.5, seed=2)
    partial = [(h, None if k % 5 == 0 else r) for k, (h, r) in enumerate(_pairs(25, 0.8, 3))]
    groups = {
        "A": _pairs(40, keep=0.8, seed=2),
        "B": [(h, r) for (h, _), (_, r) in zip(worse, references, strict=True)],
        HOSTILE: partial,
    }
    store, values = _audit_store(tmp_path, groups)
    summary, page = _write(tmp_path, store)
    store.close()
    from sacrebleu.metrics import BLEU, CHRF

    assert summary["bootstrap"]["intervals"] is True
    assert (summary["bootstrap"]["resamples"], summary["bootstrap"]["seed"]) == (1000, 12345)
    for name, pairs in groups.items():
        figures = summary["groups"][name]
        intervals = figures["intervals"]
        scored = [(h, r) for h, r in pairs if r is not None]
        hypotheses, refs = [h for h, _ in scored], [r for _, r in scored]
        for key, metric_class in (("chrf", CHRF), ("bleu", BLEU)):
            score, mean, ci = _sacrebleu_ci(metric_class, hypotheses, refs)
            interval = intervals[key]
            assert interval["score"] == round(score, 2) == figures["scores"][key]
            assert interval["mean"] == pytest.approx(mean, abs=0.011)
            assert interval["ci"] == pytest.approx(ci, abs=0.011)
        penalty = intervals["penalty_per_1000_words"]
        assert penalty["score"] == figures["penalty_per_1000_words"]
        for interval in intervals.values():
            # the acceptance test: each interval contains its point estimate
            assert interval["low"] <= interval["score"] <= interval["high"]
            assert interval["low"] < interval["high"]
    # The penalty interval by hand: sacrebleu's draws over the group's segments.
    mine = [v for v in values if v["meta"]["system"] == "A"]
    sample = np.array(
        [[sum(SEVERITY_WEIGHTS[f["severity"]] for f in v["flags"]), v["words"]] for v in mine],
        float,
    )
    drawn = np.random.default_rng(12345).choice(len(mine), size=(1000, len(mine)))
    resampled = np.sort([1000 * sample[i, 0].sum() / sample[i, 1].sum() for i in drawn])
    low, high = resampled[1000 // 40], resampled[1000 - 1000 // 40 - 1]
    expected_ci = round(0.5 * (high - low), 2)
    assert summary["groups"]["A"]["intervals"]["penalty_per_1000_words"]["ci"] == expected_ci
    # B is worse than A on the same references: its chrF interval lies lower.
    a, b = summary["groups"]["A"]["intervals"], summary["groups"]["B"]["intervals"]
    assert b["chrf"]["high"] < a["chrf"]["low"]

    table = _table(page)
    assert table.headers[-3:] == ["chrF", "BLEU", "Penalty / 1,000 words"]
    assert [row["group"] for row in table.rows] == sorted(groups)
    for row in table.rows:
        intervals = summary["groups"][row["group"]]["intervals"]
        keys = ("chrf", "bleu", "penalty_per_1000_words")
        for key, cell in zip(keys, row["figures"], strict=True):
            assert float(cell["data-score"]) == intervals[key]["score"]
            assert float(cell["data-low"]) == intervals[key]["low"]
            assert float(cell["data-high"]) == intervals[key]["high"]
    assert HOSTILE not in page  # escaped everywhere, read back intact above
    assert "95% bootstrap intervals as sacrebleu computes them" in page


def test_more_groups_than_the_limit_get_no_intervals(tmp_path, monkeypatch):
    monkeypatch.setattr(audit_output, "INTERVAL_GROUP_LIMIT", 2)
    groups = {name: _pairs(6, keep=0.8, seed=k) for k, name in enumerate("XYZ")}
    store, _values = _audit_store(tmp_path, groups)
    summary, page = _write(tmp_path, store)
    store.close()
    assert summary["bootstrap"] == {
        "intervals": False,
        "reason": "more than 2 groups: no bootstrap intervals",
    }
    assert all(g["intervals"] is None for g in summary["groups"].values())
    table = _table(page)
    assert len(table.rows) == 3
    assert all("data-low" not in cell for row in table.rows for cell in row["figures"])
    assert "No intervals: more than 2 groups" in page


# -- through the command line ------------------------------------------------------------------


def _write_rows(path: Path, count: int, with_reference: bool) -> Path:
    rng = random.Random(4)
    with path.open("w", encoding="utf-8") as handle:
        for k in range(count):
            row = {
                "id": f"s{k}",
                "target": GERMAN[k % len(GERMAN)].format(n=rng.randint(2, 999)),
                "system": "AB"[k % 2],
            }
            if with_reference:
                row["reference"] = "The company reported sales of 20 million euros."
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def test_flags_only_table_has_the_penalty_only_and_says_so(tmp_path):
    path = _write_rows(tmp_path / "t.jsonl", 60, with_reference=True)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["audit", str(path), "--out", str(out), "--no-backtranslation", "--group-by", "system"],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    for figures in summary["groups"].values():
        assert figures["intervals"]["chrf"] is None and figures["intervals"]["bleu"] is None
        penalty = figures["intervals"]["penalty_per_1000_words"]
        assert penalty["low"] <= penalty["score"] == figures["penalty_per_1000_words"]
        assert penalty["score"] <= penalty["high"]
    page = (out / "report.html").read_text(encoding="utf-8")
    table = _table(page)
    assert table.headers == ["system", "Segments", "Words", "Penalty / 1,000 words"]
    assert [row["group"] for row in table.rows] == ["A", "B"]
    assert "so the table has the penalty only" in page


def test_no_group_by_no_table(tmp_path):
    path = _write_rows(tmp_path / "t.jsonl", 10, with_reference=False)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["audit", str(path), "--out", str(out), "--no-backtranslation"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["groups"] is None and summary["bootstrap"] is None
    assert 'id="group-table"' not in (out / "report.html").read_text(encoding="utf-8")


def test_model_audit_intervals_match_sacrebleu_on_the_back_translations(tmp_path, tiny_model):
    from sacrebleu.metrics import BLEU, CHRF

    path = tmp_path / "t.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for k, (reference, _) in enumerate(_pairs(30, keep=1.0, seed=5)):
            row = {"id": f"s{k}", "target": GERMAN[k % 4].format(n=k), "system": "AB"[k % 2]}
            row["reference"] = reference
            handle.write(json.dumps(row) + "\n")
    out = tmp_path / "out"
    arguments = ["audit", str(path), "--out", str(out), "--model", str(tiny_model)]
    arguments += ["--beams", "1", "--group-by", "system", "--quiet"]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    segments = pq.read_table(out / "segments.parquet").to_pylist()
    for name in "AB":
        chosen = [s for s in segments if s["system"] == name]
        hypotheses = [s["backtranslation"] for s in chosen]
        references = [s["reference"] for s in chosen]
        intervals = summary["groups"][name]["intervals"]
        for key, metric_class in (("chrf", CHRF), ("bleu", BLEU)):
            score, mean, ci = _sacrebleu_ci(metric_class, hypotheses, references)
            assert intervals[key]["score"] == round(score, 2)
            assert intervals[key]["mean"] == pytest.approx(mean, abs=0.011)
            assert intervals[key]["ci"] == pytest.approx(ci, abs=0.011)
            assert intervals[key]["low"] <= intervals[key]["score"] <= intervals[key]["high"]
    page = (out / "report.html").read_text(encoding="utf-8")
    assert re.search(r"<th scope=\"col\">chrF</th><th scope=\"col\">BLEU</th>", page)
