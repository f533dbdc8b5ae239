"""``--format html``: one self-contained page for editors (inline CSS and JS, no network).

Per segment, side by side: the German with every flag highlighted (``<mark data-flag>``,
message and suggestion on hover and on keyboard focus), the back-translation and the
English reference, with small chrF and adequacy bars. A header per document gives the
scores, the MQM-style penalty per 1,000 words and the flag counts per rule and severity;
checkboxes filter by rule and severity; ``j``/``n`` and ``k``/``p`` move from flag to flag.

Every text goes through Jinja's autoescaping or :func:`markupsafe.escape`; data for the
script is embedded with ``tojson`` (``<``, ``>``, ``&`` and ``'`` escaped).

Overlapping flags: each flag has exactly one ``<mark data-flag>``; where a flag crosses
another one it continues in ``<mark data-flag-part>`` pieces (see :mod:`.spans`).
Adequacy (average log-probability per token of the reference given the German) is
shown as a bar of ``exp(adequacy)``, the per-token probability.
"""

from __future__ import annotations

import math
from functools import cache

from markupsafe import Markup, escape

from mtcheck.model import SEVERITIES, Flag, Result, SegmentResult
from mtcheck.report.common import flag_message
from mtcheck.report.spans import nest, tree, walk
from mtcheck.report.summary import document_summary, segment_penalty

ALIGNMENT_NOTES = {
    "1-0": "German with no English counterpart",
    "0-1": "English with no German counterpart (omission?)",
    "2-1": "two German sentences for one English",
    "1-2": "one German sentence for two English",
}


@cache
def environment():
    """The Jinja environment of the report templates (autoescaping every text)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(
        loader=PackageLoader("mtcheck.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _tooltip(flag: Flag) -> str:
    return f"{flag.rule} ({flag.severity}): {flag_message(flag)}"


def highlight(text: str, flags: tuple[Flag, ...], ids: list[str]) -> Markup:
    """``text`` escaped, with one ``<mark data-flag>`` per flag (``ids[i]`` for flag i)."""
    pieces = nest([flag.span for flag in flags], len(text))
    items = [(p.start, p.end, p) for p in pieces]
    out: list[str] = []

    def emit_text(chunk: str) -> None:
        out.append(str(escape(chunk)))

    def enter(piece) -> None:
        flag = flags[piece.index]
        flag_id = ids[piece.index]
        classes = f"flag sev-{flag.severity}" + ("" if piece.end > piece.start else " insertion")
        common = (
            f' class="{classes}" data-rule="{escape(flag.rule)}"'
            f' data-severity="{escape(flag.severity)}"'
        )
        if piece.first:
            out.append(
                f'<mark{common} data-flag="{flag_id}" id="{flag_id}" tabindex="0"'
                f' title="{escape(_tooltip(flag))}" aria-describedby="{flag_id}-note">'
            )
        else:
            out.append(f'<mark{common} data-flag-part="{flag_id}">')

    def leave(piece) -> None:
        out.append("</mark>")

    walk(tree(items, len(text)), text, emit_text, enter, leave)
    return Markup("".join(out))


def _bar(value: float | None, low: float, high: float) -> float | None:
    if value is None:
        return None
    return round(100.0 * min(max((value - low) / (high - low), 0.0), 1.0), 1)


def flag_view(flag: Flag, flag_id: str, target: str) -> dict:
    """What a report template shows of one flag (``flag_id``: the anchor its mark links)."""
    return {
        "id": flag_id,
        "rule": flag.rule,
        "category": flag.category,
        "severity": flag.severity,
        "message": flag.message,
        "suggestion": flag.suggestion,
        # the other ranked replacements, shown after the first
        "alternatives": list(flag.suggestions[1:]),
        "text": target[flag.span[0] : flag.span[1]],
        "line": flag.line,
        "column": flag.column,
    }


def _segment_view(item: SegmentResult, doc_index: int, k: int, counter: list[int]) -> dict:
    segment = item.segment
    ids = []
    for _ in item.flags:
        counter[0] += 1
        ids.append(f"flag-{doc_index}-{counter[0]}")
    scores = item.scores
    adequacy_probability = (
        math.exp(scores.adequacy) if scores is not None and scores.adequacy is not None else None
    )
    return {
        "id": segment.id,
        "anchor": f"seg-{doc_index}-{k}",
        "line": segment.line,
        "column": segment.column,
        "alignment": segment.alignment,
        "alignment_note": ALIGNMENT_NOTES.get(segment.alignment or ""),
        "target": segment.target,
        # English with no German still shows its flags: a zero-width mark where it is missing.
        "target_html": highlight(segment.target, item.flags, ids)
        if segment.target or item.flags
        else None,
        "reference": segment.reference,
        "backtranslation": item.backtranslation if segment.target else None,
        "scores": scores,
        "chrf_width": _bar(scores.chrf if scores else None, 0.0, 100.0),
        "adequacy_width": _bar(adequacy_probability, 0.0, 1.0),
        "penalty": segment_penalty(item),
        "flags": [
            flag_view(flag, flag_id, segment.target)
            for flag, flag_id in zip(item.flags, ids, strict=True)
        ],
        "rules": sorted({flag.rule for flag in item.flags}),
        "severities": sorted({flag.severity for flag in item.flags}),
    }


def render_html(result: Result) -> str:
    documents = []
    all_rules: dict[str, int] = {}
    for doc_index, document in enumerate(result.documents, start=1):
        summary = document_summary(document)
        counter = [0]
        segments = [
            _segment_view(item, doc_index, k, counter)
            for k, item in enumerate(document.segments, start=1)
        ]
        for rule, count in summary["by_rule"].items():
            all_rules[rule] = all_rules.get(rule, 0) + count
        documents.append(
            {
                "index": doc_index,
                "path": document.path,
                "reference_path": document.reference_path,
                "scores": document.scores,
                "summary": summary,
                "segments": segments,
            }
        )
    total_flags = sum(d["summary"]["flags"] for d in documents)
    by_severity = {
        s: sum(d["summary"]["by_severity"][s] for d in documents) for s in reversed(SEVERITIES)
    }
    template = environment().get_template("report.html.j2")
    return template.render(
        version=result.version,
        model=result.model,
        documents=documents,
        rules=dict(sorted(all_rules.items())),
        by_severity=by_severity,
        total_flags=total_flags,
        show_bt=result.model is not None
        or any(s["backtranslation"] is not None for d in documents for s in d["segments"]),
        data={"flags": total_flags, "rules": sorted(all_rules), "severities": list(SEVERITIES)},
    )
