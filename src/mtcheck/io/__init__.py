"""Readers for drafts and references. Every paragraph keeps its place in the file."""

from mtcheck.io.readers import ensure_readable, read_document

__all__ = ["ensure_readable", "read_document"]
