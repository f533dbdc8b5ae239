"""SARIF 2.1.0 (``--format sarif``): one run, for GitHub code scanning and other SARIF viewers.

Each rule that has findings is described once in ``tool.driver.rules`` (its documentation
with the bad and good examples as ``help``); each flag is a result pointing at the flagged
words in the German file, with a content fingerprint that survives moved lines.

Columns are counted in Unicode code points, as mtcheck counts them (``columnKind``). Regions
stay on the flag's start line: a segment's text does not say where the file breaks its lines
(a Markdown paragraph over several lines), so ``endColumn`` is the start column plus the
flagged length, which a viewer clamps at the end of the line when the words run on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import quote

from mtcheck.model import DocumentResult, Flag, Result, SegmentResult
from mtcheck.report.common import (
    LEVELS,
    Verdicts,
    document_flags,
    failure_reasons,
    flag_message,
    flagged_text,
    span_width,
)
from mtcheck.report.fingerprint import FINGERPRINT_KEY, fingerprint, segment_text

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
# GitHub code scanning reads "problem.severity" as error, warning or recommendation.
PROBLEM_SEVERITY = {"critical": "error", "major": "error", "minor": "warning"}
_EXAMPLE = re.compile(r"^(Bad|Good):\s*(.*)$")
# Characters that are safe in a relative URI path, besides letters and digits.
_URI_SAFE = "/-._~!$&'()*+,;=@"


def pascal_case(name: str) -> str:
    """``modal-participle`` → ``ModalParticiple``."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[-_\s]+", name) if part)


def artifact_location(path: str) -> dict:
    """The document path as a URI: relative paths stay relative (to ``%SRCROOT%``)."""
    windows = PureWindowsPath(path)
    if windows.drive and windows.is_absolute():
        return {"uri": windows.as_uri()}
    posix = path.replace("\\", "/")
    if posix.startswith("/"):
        return {"uri": PurePosixPath(posix).as_uri()}
    while posix.startswith("./"):
        posix = posix[2:]
    # ":" is escaped too, so that "a:b.txt" does not read as a URI with scheme "a".
    return {"uri": quote(posix, safe=_URI_SAFE), "uriBaseId": SRCROOT}


def _split_doc(doc: str) -> tuple[str, list[tuple[str, str]]]:
    """(description, [(Bad|Good, example)]) of a rule docstring."""
    description: list[str] = []
    examples: list[tuple[str, str]] = []
    for line in doc.splitlines():
        match = _EXAMPLE.match(line.strip())
        if match:
            examples.append((match.group(1), match.group(2)))
        elif examples and line.strip():
            # A continuation line of the example above.
            kind, text = examples[-1]
            examples[-1] = (kind, f"{text} {line.strip()}")
        elif not examples:
            description.append(line)
    return "\n".join(description).strip(), examples


def _paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each unwrapped onto one line."""
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text) if block.strip()]


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


def _markdown_escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _rule_descriptor(name: str, rule, flag: Flag) -> dict:
    if rule is None:
        # A rule the registry does not know: a house-style pattern from the configuration.
        summary = f"Configured rule '{name}' ({flag.category})."
        category, severity, doc, group = flag.category, flag.severity, summary, "configured"
    else:
        summary, category, severity, doc, group = (
            rule.summary,
            rule.category,
            rule.severity,
            rule.doc or rule.summary,
            rule.group,
        )
    description, examples = _split_doc(doc)
    markdown = [_markdown_escape(paragraph) for paragraph in _paragraphs(description)]
    if examples:
        markdown.append(
            "\n".join(f"- **{kind}:** {_markdown_escape(text)}" for kind, text in examples)
        )
    return {
        "id": name,
        "name": pascal_case(name),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": " ".join(_paragraphs(description)) or summary},
        "help": {"text": doc, "markdown": "\n\n".join(markdown) or _markdown_escape(summary)},
        "defaultConfiguration": {"level": LEVELS.get(severity, "warning")},
        "properties": {
            "tags": ["translation-quality", category, group],
            "problem.severity": PROBLEM_SEVERITY.get(severity, "warning"),
            "mqm.category": category,
            "mqm.severity": severity,
        },
    }


def _region(segment: SegmentResult, flag: Flag) -> dict | None:
    if flag.line < 1:
        return None  # a flag the pipeline did not place in the file
    region: dict = {"startLine": flag.line, "endLine": flag.line}
    if flag.column >= 1:
        region["startColumn"] = flag.column
        # endColumn is exclusive; equal to startColumn for a zero-width flag (an insertion).
        region["endColumn"] = flag.column + span_width(flag)
    text = flagged_text(segment, flag)
    if text:
        region["snippet"] = {"text": text}
    return region


def _result(document: DocumentResult, segment: SegmentResult, flag: Flag, index: int) -> dict:
    physical: dict = {"artifactLocation": artifact_location(document.path)}
    region = _region(segment, flag)
    if region is not None:
        physical["region"] = region
    result = {
        "ruleId": flag.rule,
        "ruleIndex": index,
        "level": LEVELS.get(flag.severity, "warning"),
        "message": {"text": flag_message(flag)},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {
            FINGERPRINT_KEY: fingerprint(
                flag.rule,
                segment_text(segment.segment.target, segment.segment.reference),
                flagged_text(segment, flag),
            )
        },
        "properties": {
            "severity": flag.severity,
            "category": flag.category,
            "segment": segment.segment.id,
        },
    }
    if flag.suggestion is not None:
        result["properties"]["suggestion"] = flag.suggestion
    fixes = _fixes(document, region, flag)
    if fixes:
        result["fixes"] = fixes
    return result


def _fixes(document: DocumentResult, region: dict | None, flag: Flag) -> list[dict]:
    """One SARIF ``fix`` per ranked replacement, most likely first (SARIF 2.1.0 §3.27.30:
    each fix is one proposed way to fix the problem), each replacing the flagged region.
    No fixes where the flag has no column to anchor the replacement."""
    if region is None or "startColumn" not in region:
        return []
    deleted = {key: value for key, value in region.items() if key != "snippet"}
    return [
        {
            "description": {"text": f"Replace with: {replacement}"},
            "artifactChanges": [
                {
                    "artifactLocation": artifact_location(document.path),
                    "replacements": [
                        {"deletedRegion": deleted, "insertedContent": {"text": replacement}}
                    ],
                }
            ],
        }
        for replacement in flag.suggestions
    ]


def to_sarif(
    result: Result, *, verdicts: Verdicts | None = None, rules: Mapping | None = None
) -> dict:
    """The SARIF log as a dict. ``rules`` defaults to the registry of built-in rules."""
    if rules is None:
        from mtcheck.flags import RULES

        rules = RULES
    descriptors: list[dict] = []
    indices: dict[str, int] = {}
    results: list[dict] = []
    for document in result.documents:
        for segment, flag in document_flags(document):
            if flag.rule not in indices:
                indices[flag.rule] = len(descriptors)
                descriptors.append(_rule_descriptor(flag.rule, rules.get(flag.rule), flag))
            results.append(_result(document, segment, flag, indices[flag.rule]))
    driver = {
        "name": "mtcheck",
        "version": result.version,
        "rules": descriptors,
    }
    run: dict = {
        "tool": {"driver": driver},
        "invocations": [{"executionSuccessful": True}],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    properties: dict = {}
    if result.model is not None:
        properties["model"] = {
            "name": result.model.name,
            "revision": result.model.revision,
            "device": result.model.device,
        }
    if verdicts is not None:
        properties["verdicts"] = {}
        for document in result.documents:
            reasons = list(failure_reasons(verdicts, document.path) or ())
            properties["verdicts"][document.path] = {"passed": not reasons, "reasons": reasons}
    if properties:
        run["properties"] = properties
    return {"$schema": SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(
    result: Result, *, verdicts: Verdicts | None = None, rules: Mapping | None = None
) -> str:
    log = to_sarif(result, verdicts=verdicts, rules=rules)
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
