"""JUnit XML (``--format junit``): one test case per document, for CI test-report views.

A document fails when the gate gave reasons (``verdicts``); without a gate, when it has a
flag of severity major or critical. A failure's body lists all the document's flags, one
``path:line:col severity rule message`` a line; a passing document's flags go to
``<system-out>``. mtcheck does not time documents, so ``time`` is 0.

The XML is built with ElementTree, which escapes ``<``, ``&`` and quotes; characters that
XML 1.0 cannot carry at all (most control characters) are dropped from the text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from mtcheck.model import DocumentResult, Result
from mtcheck.report.common import Verdicts, document_flags, failure_reasons, flag_message
from mtcheck.report.summary import document_summary

# Everything outside XML 1.0's Char production.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SEVERE = ("critical", "major")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 does not allow."""
    return _NOT_XML.sub("", text)


def _flag_lines(document: DocumentResult) -> str:
    return "\n".join(
        f"{document.path}:{flag.line}:{flag.column} {flag.severity} {flag.rule} "
        f"{flag_message(flag)}"
        for _, flag in document_flags(document)
    )


def _failure_message(document: DocumentResult, verdicts: Verdicts | None) -> str | None:
    """Why the document failed, or None when it passed."""
    reasons = failure_reasons(verdicts, document.path)
    if reasons is not None:
        return "; ".join(reasons) if reasons else None
    by_severity = document_summary(document)["by_severity"]
    severe = [f"{by_severity[s]} {s}" for s in _SEVERE if by_severity[s]]
    if not severe:
        return None
    plural = "s" if sum(by_severity[s] for s in _SEVERE) > 1 else ""
    return f"{' and '.join(severe)} flag{plural}"


def to_junit(result: Result, *, verdicts: Verdicts | None = None) -> ET.Element:
    cases: list[ET.Element] = []
    failures = 0
    for document in result.documents:
        case = ET.Element(
            "testcase", {"classname": "mtcheck", "name": xml_text(document.path), "time": "0"}
        )
        message = _failure_message(document, verdicts)
        lines = _flag_lines(document)
        if message is not None:
            failures += 1
            failure = ET.SubElement(
                case, "failure", {"message": xml_text(message), "type": "quality"}
            )
            failure.text = xml_text(lines) if lines else None
        elif lines:
            ET.SubElement(case, "system-out").text = xml_text(lines)
        cases.append(case)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0", "time": "0"}
    root = ET.Element("testsuites", {"name": "mtcheck", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "mtcheck", **counts, "skipped": "0"})
    suite.extend(cases)
    return root


def render_junit(result: Result, *, verdicts: Verdicts | None = None) -> str:
    root = to_junit(result, verdicts=verdicts)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
