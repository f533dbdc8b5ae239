"""The rule catalogue: one module a rule, found without a list, and every rule's documented
bad and good examples behave as documented."""

from __future__ import annotations

import pkgutil

import pytest

import mtcheck.flags.rules as rules_package
from mtcheck.flags import RULES, RuleSettings, check_segments
from mtcheck.flags.registry import Example, parse_examples
from mtcheck.model import Segment


def _segment(example: Example) -> Segment:
    return Segment(
        id="1", paragraph=1, target=example.text, reference=example.reference,
        alignment="1-1" if example.reference is not None else None, start=0, line=1, column=1,
    )


def _flagged_by(name: str, example: Example) -> list[str]:
    (flags,) = check_segments([_segment(example)], settings=RuleSettings(select={name}))
    return [flag.rule for flag in flags]


def test_every_module_of_the_rules_package_registers_one_rule_of_its_name():
    modules = sorted(info.name for info in pkgutil.iter_modules(rules_package.__path__))
    assert modules == sorted(name.replace("-", "_") for name in RULES)
    for name, rule in RULES.items():
        assert rule.check.__module__ == f"mtcheck.flags.rules.{name.replace('-', '_')}", name


def test_a_module_with_two_rules_is_refused():
    from mtcheck.flags.registry import claim_module

    with pytest.raises(RuntimeError, match="registered 2 rules"):
        claim_module("mtcheck.flags.rules.two", len(RULES) - 2)
    with pytest.raises(RuntimeError, match="registered 0 rules"):
        claim_module("mtcheck.flags.rules.none", len(RULES))


def test_examples_parse_with_and_without_reference():
    doc = '''Summary.

    Bad:  "Er kam." (reference: "He came.")
    Good: 'Er sagte "ja".'
    Bad:  this line is prose, not an example
    '''
    assert parse_examples(doc) == (
        Example("Er kam.", True, "He came."),
        Example('Er sagte "ja".', False, None),
    )


@pytest.mark.parametrize("name", sorted(RULES))
def test_every_rule_documents_a_bad_and_a_good_example(name):
    rule = RULES[name]
    if rule.needs:  # shown, not run here: they need scores, a glossary or an alignment
        assert "Bad:" in rule.doc and "Good:" in rule.doc, name
        return
    assert any(e.flagged for e in rule.examples), name
    assert any(not e.flagged for e in rule.examples), name


_RUNNABLE = [
    (name, example)
    for name, rule in sorted(RULES.items())
    if rule.needs is None
    for example in rule.examples
]


@pytest.mark.parametrize(
    "name, example", _RUNNABLE, ids=[f"{n}-{'bad' if e.flagged else 'good'}" for n, e in _RUNNABLE]
)
def test_documented_example_behaves_as_documented(name, example):
    flagged = _flagged_by(name, example)
    if example.flagged:
        assert flagged, f"{name} does not flag its bad example {example.text!r}"
    else:
        assert not flagged, f"{name} flags its good example {example.text!r}"


def test_every_rule_without_special_needs_has_runnable_examples():
    with_needs = {name for name, rule in RULES.items() if rule.needs}
    assert with_needs == {"low-adequacy", "glossary-term", "omission", "addition"}
    assert {name for name, _ in _RUNNABLE} == set(RULES) - with_needs
