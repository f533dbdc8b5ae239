"""``mtcheck check --fix``/``--diff``: safe fixes applied, unsafe ones only on request."""

from __future__ import annotations

import difflib
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtcheck.cli import main
from mtcheck.errors import InputError
from mtcheck.fix import Draft, fixes, read_draft, write_fixed
from mtcheck.flags import RULES, RuleSettings
from mtcheck.flags.registry import rule
from mtcheck.model import DocumentResult, Flag, Result, Segment, SegmentResult
from mtcheck.pipeline import run_check
from tests.helpers import SEED_DE, SEED_EN, requires_seed

SAFE = {name for name, item in RULES.items() if item.fix == "safe"}


def _check(draft: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(
        main,
        ["check", str(draft), "--no-backtranslation", "--no-cache", *args],
        input=input,
    )


def _flags(path: Path, reference: Path | None = None, settings=None) -> list[tuple[Flag, str]]:
    """(flag, the German it covers) for each flag of a flags-only check."""
    result = run_check([(path, reference)], rules=settings or RuleSettings())
    return [
        (flag, item.segment.target[flag.span[0] : flag.span[1]])
        for document in result.documents
        for item in document.segments
        for flag in item.flags
    ]


def _fixable_safe(flag: Flag) -> bool:
    return flag.rule in SAFE and len(flag.suggestions) == 1


@pytest.fixture
def seed(tmp_path) -> Path:
    draft = tmp_path / "seed.de.txt"
    shutil.copyfile(SEED_DE, draft)  # never write into ../shared
    return draft


@requires_seed
def test_fix_on_the_seed_applies_safe_fixes_and_leaves_unsafe_ones(seed):
    before = _flags(seed, SEED_EN)
    safe = [(flag, text) for flag, text in before if _fixable_safe(flag)]
    unsafe = [(flag, text) for flag, text in before if flag.suggestions and not _fixable_safe(flag)]
    assert safe and unsafe  # the seed has both kinds (number-format; modal-participle, …)

    result = _check(seed, "-r", str(SEED_EN), "--fix", "-f", "json")

    assert result.exit_code == 0, result.output
    assert f"fixed {len(safe)} finding" in result.stderr
    after = _flags(seed, SEED_EN)
    # The fixed rules no longer fire ...
    assert not {flag.rule for flag, _ in safe} & {flag.rule for flag, _ in after}
    # ... and every unsafe fix is untouched: the same finding on the same German.
    key = lambda pair: (pair[0].rule, pair[0].message, pair[1])  # noqa: E731
    assert Counter(map(key, unsafe)) <= Counter(map(key, after))
    assert "25 %" in seed.read_text(encoding="utf-8")
    # The report after --fix is of the corrected text.
    report = json.loads(result.stdout)
    rules_in_report = {
        f["rule"] for d in report["documents"] for s in d["segments"] for f in s["flags"]
    }
    assert rules_in_report == {flag.rule for flag, _ in after}


@requires_seed
def test_diff_shows_exactly_what_fix_writes_and_writes_nothing(seed, tmp_path):
    original = seed.read_bytes()
    shown = _check(seed, "-r", str(SEED_EN), "--diff")
    assert shown.exit_code == 1  # there is something to fix
    assert seed.read_bytes() == original
    assert shown.stdout.startswith(f"--- {seed}\n+++ {seed}\n")

    assert _check(seed, "-r", str(SEED_EN), "--fix").exit_code == 0
    fixed = seed.read_text(encoding="utf-8")
    expected = difflib.unified_diff(
        original.decode().splitlines(keepends=True),
        fixed.splitlines(keepends=True),
        fromfile=str(seed),
        tofile=str(seed),
    )
    # The seed's last line has no line end; diff marks it so.
    assert shown.stdout.replace("\n\\ No newline at end of file\n", "") == "".join(expected)

    again = _check(seed, "-r", str(SEED_EN), "--diff")
    assert (again.exit_code, again.stdout) == (0, "")


@requires_seed
def test_unsafe_fixes_apply_the_first_suggestion(seed):
    before = _flags(seed, SEED_EN)
    modal = next(flag for flag, _ in before if flag.rule == "modal-participle")
    assert len(modal.suggestions) > 1  # ambiguous: never applied by --fix alone

    assert _check(seed, "-r", str(SEED_EN), "--fix").exit_code == 0
    assert modal.suggestions[0] not in seed.read_text(encoding="utf-8")

    result = _check(seed, "-r", str(SEED_EN), "--fix", "--unsafe-fixes")
    assert result.exit_code == 0, result.output
    assert modal.suggestions[0] in seed.read_text(encoding="utf-8")
    assert "modal-participle" not in {flag.rule for flag, _ in _flags(seed, SEED_EN)}


def test_unsafe_fixes_alone_is_a_usage_error(tmp_path):
    draft = tmp_path / "d.de.txt"
    draft.write_text('Er nannte es "Aurora".\n', encoding="utf-8")
    result = _check(draft, "--unsafe-fixes")
    assert result.exit_code == 2
    assert "--unsafe-fixes" in result.stderr and "--fix" in result.stderr
    assert draft.read_text(encoding="utf-8") == 'Er nannte es "Aurora".\n'


def test_fix_on_standard_input_prints_the_corrected_text(tmp_path):
    text = 'Er nannte das Projekt "Aurora" und lachte.\nDas Kraftwerk liefert 600MW.\n'
    result = _check(Path("-"), "--fix", input=text)
    assert result.exit_code == 0, result.output
    assert (
        result.stdout
        == "Er nannte das Projekt „Aurora“ und lachte.\nDas Kraftwerk liefert 600 MW.\n"
    )
    assert "fixed 3 findings in standard input" in result.stderr
    assert "No flags" in result.stderr  # the report of what is left goes to stderr


def test_fix_keeps_byte_order_mark_line_ends_and_other_lines(tmp_path):
    draft = tmp_path / "d.de.txt"
    draft.write_bytes(
        '\ufeffErste Zeile ohne Befund.\r\n  Er nannte es "Aurora".\r\n\r\nEnde.'.encode()
    )
    assert _check(draft, "--fix").exit_code == 0
    assert draft.read_bytes() == (
        "\ufeffErste Zeile ohne Befund.\r\n  Er nannte es „Aurora“.\r\n\r\nEnde.".encode()
    )


def test_markdown_fix_edits_only_text_that_stands_verbatim_in_the_file(tmp_path):
    draft = tmp_path / "d.de.md"
    draft.write_text(
        '# Das "Aurora"-Projekt\n\nEs liefert 600MW, sagt [die "Firma"](https://x.org/"a").\n',
        encoding="utf-8",
    )
    assert _check(draft, "--fix").exit_code == 0
    assert draft.read_text(encoding="utf-8") == (
        '# Das „Aurora“-Projekt\n\nEs liefert 600 MW, sagt [die „Firma“](https://x.org/"a").\n'
    )


def _draft(text: str, kind: str = "txt") -> Draft:
    return Draft(Path("d.de.txt"), kind, text, bom=False, stdin=False)


def _result(text: str, *flags: Flag) -> Result:
    segment = Segment("1.1", 1, text, None, None, 0, 1, 1)
    document = DocumentResult("d.de.txt", None, None, (SegmentResult(segment, None, None, flags),))
    return Result("0", None, (document,))


def _flag(rule_name: str, start: int, end: int, *suggestions: str) -> Flag:
    return Flag(rule_name, "c", "minor", "m", None, (start, end), 1, start + 1, suggestions)


def test_overlapping_fixes_keep_the_first_and_count_the_rest():
    text = "abcdef"
    found = fixes(
        _draft(text),
        _result(
            text,
            _flag("unit-space", 0, 3, "X"),
            _flag("quote-space", 2, 4, "Y"),  # overlaps the first
            _flag("missing-space", 0, 3, "X"),  # the same change: satisfied too
            _flag("hyphen-space", 4, 6, "Z"),
        ),
        RULES,
    )
    assert found.text == "XdZ"
    assert (len(found.applied), found.left) == (2, 1)


def test_unsafe_ambiguous_and_unplaceable_fixes_are_not_applied():
    text = 'ab "c"'
    found = fixes(
        _draft(text, "jsonl"),
        _result(
            text,
            _flag("das-dass", 0, 1, "A"),  # an unsafe rule
            _flag("unit-space", 1, 2, "B", "C"),  # safe rule, but two readings
            _flag("straight-quotes", 3, 4, '""'),  # would need escaping in JSON
            _flag("no-such-rule", 5, 6, "D"),  # a rule that says nothing is unsafe
        ),
        RULES,
    )
    assert found.text == text
    assert (found.unsafe, found.left) == (3, 1)
    asked = fixes(_draft(text), _result(text, _flag("das-dass", 0, 1, "A")), RULES, unsafe=True)
    assert asked.text == 'Ab "c"'


def test_a_flag_whose_german_is_not_where_it_says_is_left_alone():
    found = fixes(_draft("xx Text"), _result("Text", _flag("unit-space", 0, 4, "Tex t")), RULES)
    assert (found.text, found.left) == ("xx Text", 1)


def test_a_draft_changed_during_the_check_is_not_overwritten(tmp_path):
    draft = tmp_path / "d.de.txt"
    draft.write_text("Er sagte 600MW.\n", encoding="utf-8")
    source = read_draft(draft)
    found = fixes(source, _result("Er sagte 600MW.", _flag("unit-space", 9, 14, "600 MW")), RULES)
    assert found.text == "Er sagte 600 MW.\n"
    draft.write_text("Er sagte 700MW, neu.\n", encoding="utf-8")  # an editor saved meanwhile
    with pytest.raises(InputError, match="changed while it was being checked"):
        write_fixed(found)
    assert draft.read_text(encoding="utf-8") == "Er sagte 700MW, neu.\n"


def test_every_rule_declares_its_fix_and_bad_values_are_refused():
    assert {item.fix for item in RULES.values()} <= {"safe", "unsafe", None}
    assert {"straight-quotes", "number-format", "unit-space"} <= SAFE
    assert RULES["modal-participle"].fix == RULES["das-dass"].fix == "unsafe"
    with pytest.raises(ValueError, match="fix must be"):
        rule("x-test", "c", "minor", fix="maybe")


@pytest.mark.parametrize("name", sorted(SAFE))
def test_safe_fixes_silence_their_rule_on_its_bad_examples(name, tmp_path):
    """A safe fix is always right: applied to each bad example of its rule's docstring,
    the rule no longer fires there."""
    settings = RuleSettings(select=frozenset({name}))
    fixed = 0
    for number, example in enumerate(item for item in RULES[name].examples if item.flagged):
        draft = tmp_path / f"{number}.de.txt"
        draft.write_text(example.text + "\n", encoding="utf-8")
        reference = None
        if example.reference:
            reference = tmp_path / f"{number}.en.txt"
            reference.write_text(example.reference + "\n", encoding="utf-8")
        result = run_check([(draft, reference)], rules=settings)
        if not any(item.flags for document in result.documents for item in document.segments):
            continue  # split into two sentences by the check ("Hause.Dort"), nothing to fix
        found = fixes(read_draft(draft), result, settings.rules())
        assert found.applied, example.text
        write_fixed(found)
        assert not _flags(draft, reference, settings), (example.text, found.text)
        fixed += 1
    assert fixed, f"no bad example of {name} was fixed"
