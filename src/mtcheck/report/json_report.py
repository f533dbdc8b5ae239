"""The ``--format json`` contract of DESIGN.md; stdout carries nothing but this."""

from __future__ import annotations

import json

from mtcheck.model import DocumentResult, Flag, Result, SegmentResult
from mtcheck.report.summary import summarize


def _flag(flag: Flag) -> dict:
    return {
        "rule": flag.rule,
        "category": flag.category,
        "severity": flag.severity,
        "message": flag.message,
        "suggestion": flag.suggestion,
        "suggestions": list(flag.suggestions),
        "span": [flag.span[0], flag.span[1]],
        "line": flag.line,
        "column": flag.column,
    }


def _segment(result: SegmentResult) -> dict:
    segment = result.segment
    scores = result.scores
    return {
        "id": segment.id,
        "paragraph": segment.paragraph,
        "line": segment.line,
        "column": segment.column,
        "target": segment.target,
        "reference": segment.reference,
        "backtranslation": result.backtranslation,
        "alignment": segment.alignment,
        "scores": None
        if scores is None
        else {
            "chrf": scores.chrf,
            "bleu": scores.bleu,
            "ter": scores.ter,
            "adequacy": scores.adequacy,
        },
        "flags": [_flag(flag) for flag in result.flags],
    }


def _document(document: DocumentResult) -> dict:
    scores = document.scores
    return {
        "path": document.path,
        "reference_path": document.reference_path,
        "scores": None
        if scores is None
        else {
            "bleu": scores.bleu,
            "chrf": scores.chrf,
            "ter": scores.ter,
            "signatures": dict(scores.signatures),
        },
        "segments": [_segment(segment) for segment in document.segments],
    }


def to_dict(result: Result) -> dict:
    model = result.model
    return {
        "mtcheck_version": result.version,
        "model": None
        if model is None
        else {
            "name": model.name,
            "revision": model.revision,
            "device": model.device,
            "backend": model.backend,
            "decoding": model.decoding,
        },
        "documents": [_document(document) for document in result.documents],
        "summary": summarize(result),
    }


def render_json(result: Result) -> str:
    return json.dumps(to_dict(result), ensure_ascii=False, indent=2) + "\n"
