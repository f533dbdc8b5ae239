"""`mtcheck check` as users meet it: model lookup, cache, errors, imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtcheck.backtranslate import DecodingSettings, open_translator
from mtcheck.cli import main
from mtcheck.pipeline import run_check
from mtcheck.report.json_report import to_dict
from tests.helpers import CORPORA, assert_contract

DRAFT = CORPORA / "windpark.de.txt"
REFERENCE = CORPORA / "windpark.en.txt"


def run_cli(args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None):
    """Run mtcheck in a fresh interpreter, the way a user does."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mtcheck.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=300,
    )


def test_default_model_is_found_in_the_offline_hub_cache(hf_home_with_default_model, tmp_path):
    result = run_cli(
        ["check", str(DRAFT), "-r", str(REFERENCE), "--format", "json", "--no-cache"],
        env={
            "HF_HOME": str(hf_home_with_default_model),
            "HF_HUB_OFFLINE": "1",
            "MTCHECK_MODEL": "",
        },
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert_contract(report)
    assert report["model"]["name"] == "Helsinki-NLP/opus-mt-de-en"
    assert report["model"]["revision"] and len(report["model"]["revision"]) == 40
    assert any(s["backtranslation"] for s in report["documents"][0]["segments"])


def test_empty_hub_cache_exits_2_naming_download_and_model_option(tmp_path):
    empty = tmp_path / "hf"
    empty.mkdir()
    result = run_cli(
        ["check", str(DRAFT), "-r", str(REFERENCE)],
        env={"HF_HOME": str(empty), "HF_HUB_OFFLINE": "1", "MTCHECK_MODEL": ""},
    )
    assert result.returncode == 2
    assert result.stdout == ""
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert "mtcheck model download" in message and "--model" in message
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda d: d / "missing.de.txt", "no such file"),
        (lambda d: _write(d / "latin1.de.txt", "Grüße".encode("latin-1")), "not valid UTF-8"),
        (lambda d: _write(d / "empty.de.txt", b"\n\n"), "holds no text"),
    ],
)
def test_bad_input_exits_2_with_one_sentence(tmp_path, make, expected):
    draft = make(tmp_path)
    result = run_cli(["check", str(draft), "-r", str(REFERENCE), "--no-backtranslation"])
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and str(draft) in lines[0]
    assert "Traceback" not in result.stderr


def test_bad_model_path_exits_2(tmp_path):
    result = run_cli(["check", str(DRAFT), "-r", str(REFERENCE), "--model", str(tmp_path / "nope")])
    assert result.returncode == 2
    assert "--model" in result.stderr or "mtcheck model download" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


PROBE = (
    "import sys\n"
    "from mtcheck.cli import main\n"
    "try:\n"
    "    main(sys.argv[1:])\n"
    "except SystemExit as exit:\n"
    "    code = exit.code\n"
    "heavy = sorted(m for m in ('torch', 'transformers') if m in sys.modules)\n"
    "print('HEAVY=' + ','.join(heavy), file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def test_flags_only_and_help_do_not_import_torch():
    for args in (
        ["--help"],
        ["check", str(DRAFT), "-r", str(REFERENCE), "--no-backtranslation", "--format", "json"],
    ):
        result = subprocess.run(
            [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
        assert "HEAVY=\n" in result.stderr, result.stderr
    report = json.loads(result.stdout)
    assert report["model"] is None
    assert all(s["scores"] is None for s in report["documents"][0]["segments"])


def test_second_run_is_served_from_the_cache(tiny_model, tmp_path):
    cache = tmp_path / "cache.sqlite"
    settings = DecodingSettings(beams=2, batch_size=8)
    first = open_translator(str(tiny_model), device="cpu", settings=settings, cache_path=cache)
    report_1 = to_dict(run_check([(DRAFT, REFERENCE)], translator=first))
    assert first.model_calls > 0

    second = open_translator(str(tiny_model), device="cpu", settings=settings, cache_path=cache)
    report_2 = to_dict(run_check([(DRAFT, REFERENCE)], translator=second))
    assert second.model_calls == 0
    assert not second.loaded
    strip = lambda r: {**r, "model": None}  # noqa: E731 - device differs before loading
    assert strip(report_1) == strip(report_2)


def test_fail_on_sets_exit_code(tmp_path):
    args = ["check", str(DRAFT), "-r", str(REFERENCE), "--no-backtranslation", "-f", "json"]
    runner = CliRunner()
    assert runner.invoke(main, args).exit_code == 0
    assert runner.invoke(main, [*args, "--fail-on", "minor"]).exit_code == 1


def test_output_file_gets_the_report_and_stdout_stays_empty(tmp_path):
    out = tmp_path / "report.json"
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(DRAFT),
            "-r",
            str(REFERENCE),
            "--no-backtranslation",
            "-f",
            "json",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0
    assert result.stdout == ""
    assert_contract(json.loads(out.read_text(encoding="utf-8")))


def test_unknown_rule_is_a_usage_error():
    result = CliRunner().invoke(
        main, ["check", str(DRAFT), "--no-backtranslation", "--select", "no-such-rule"]
    )
    assert result.exit_code == 2
    assert "no-such-rule" in result.stderr


def test_rules_lists_every_rule_and_explain_shows_examples():
    from mtcheck.flags import RULES

    runner = CliRunner()
    listing = runner.invoke(main, ["rules"])
    assert listing.exit_code == 0
    names = [line.split()[0] for line in listing.stdout.splitlines()]
    assert names == list(RULES)
    explained = runner.invoke(main, ["rules", "explain", "modal-participle"])
    assert explained.exit_code == 0
    assert "Bad:" in explained.stdout and "Good:" in explained.stdout
    unknown = runner.invoke(main, ["rules", "explain", "no-such-rule"])
    assert unknown.exit_code == 2 and "no-such-rule" in unknown.stderr


def test_jsonl_draft_with_inline_references(tmp_path, tiny_model):
    records = [
        {"id": "a", "target": "Die Firma soll versucht, neue Kunden zu gewinnen.",
         "reference": "The company is said to have tried to win new customers."},
        {"id": "b", "target": "Der Umsatz stieg um 20 %.", "reference": "Revenue rose by 30%."},
        {"id": "c", "target": "Dieser Text wurde maschinell übersetzt."},
    ]
    draft = tmp_path / "draft.jsonl"
    draft.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n",
                     encoding="utf-8")
    result = CliRunner().invoke(
        main, ["check", str(draft), "-f", "json", "--model", str(tiny_model)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert_contract(report)
    segments = {s["id"]: s for s in report["documents"][0]["segments"]}
    assert set(segments) == {"a.1", "b.1", "c.1"}
    assert segments["c.1"]["reference"] is None and segments["c.1"]["alignment"] == "1-0"
    assert segments["b.1"]["reference"] == "Revenue rose by 30%."
    rules = {f["rule"]: f for s in segments.values() for f in s["flags"]}
    assert "modal-participle" in rules and "number-mismatch" in rules
    raw_lines = draft.read_text(encoding="utf-8").split("\n")
    flag = rules["modal-participle"]
    assert flag["line"] == 1
    assert raw_lines[0][flag["column"] - 1 :].startswith("soll versucht")


def test_jsonl_with_inline_references_and_reference_option_is_refused(tmp_path):
    draft = tmp_path / "draft.jsonl"
    draft.write_text(json.dumps({"target": "Hallo.", "reference": "Hello."}) + "\n")
    result = CliRunner().invoke(
        main, ["check", str(draft), "-r", str(REFERENCE), "--no-backtranslation"]
    )
    assert result.exit_code == 2
    assert "--reference" in result.stderr
