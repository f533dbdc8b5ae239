"""The ``--format json`` contract of DESIGN.md; stdout carries nothing but this."""

from __future__ import annotations

import json

from mtcheck.model import DocumentResult, Result, segment_to_dict
from mtcheck.report.summary import summarize


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
        "segments": [segment_to_dict(segment) for segment in document.segments],
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
