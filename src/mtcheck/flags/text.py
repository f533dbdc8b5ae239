"""The view of one segment that the rules read: text, reference, tokens, sentences, tags.

Everything is computed on first use and kept, so that rules share one tokenisation and
one tagging of the segment, and a segment that no rule needs tagged is never tagged.
"""

from __future__ import annotations

from functools import cached_property

from mtcheck.flags.tagger import get_tagger
from mtcheck.flags.tokens import Token, split_sentences, tokenize
from mtcheck.model import Markup


class SegmentText:
    """One segment's German ``text`` (with offsets) and English ``reference`` (or None).

    ``alignment`` is the segment's link kind ("1-1", "2-1", "1-2", "1-0", "0-1"), None when
    the document has no reference; ``paragraph`` its paragraph number, so that a document
    rule can tell which links are neighbours.
    """

    def __init__(
        self,
        text: str,
        reference: str | None = None,
        alignment: str | None = None,
        paragraph: int | None = None,
        *,
        markup: tuple[Markup, ...] = (),
        reference_markup: tuple[Markup, ...] = (),
    ) -> None:
        self.text = text
        self.reference = reference
        self.alignment = alignment
        self.paragraph = paragraph
        # Markup the reader found (inline code, link targets), offsets into ``text`` and
        # ``reference``; what the text itself shows is found by mtcheck.flags.markup.
        self.markup = markup
        self.reference_markup = reference_markup
        self._tags: dict[int, tuple[str, ...]] = {}

    @cached_property
    def tokens(self) -> tuple[Token, ...]:
        return tokenize(self.text)

    @cached_property
    def sentences(self) -> tuple[tuple[int, int], ...]:
        """(start, end) token-index ranges, one per sentence."""
        return split_sentences(self.tokens)

    def sentence_tags(self, index: int) -> tuple[str, ...]:
        """STTS tags of sentence ``index`` (aligned with its tokens)."""
        tags = self._tags.get(index)
        if tags is None:
            start, end = self.sentences[index]
            tags = get_tagger().tag([token.text for token in self.tokens[start:end]])
            self._tags[index] = tags
        return tags

    def tagged_sentences(self, needs=None):
        """Yield (tokens, tags) per sentence. With ``needs`` (a set of lower-case words, or a
        predicate over a sentence's tokens) only the sentences that contain one of those
        words (or satisfy the predicate) are tagged and yielded."""
        for index, (start, end) in enumerate(self.sentences):
            tokens = self.tokens[start:end]
            if needs is not None:
                if callable(needs):
                    if not needs(tokens):
                        continue
                elif not any(token.text.lower() in needs for token in tokens):
                    continue
            yield tokens, self.sentence_tags(index)
