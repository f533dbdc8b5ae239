"""Lay flag spans out as properly nested elements (HTML ``<mark>``, XLIFF ``<mrk>``).

Flags may overlap in any way; markup may only nest. :func:`nest` cuts every flag into
pieces that nest with all pieces placed before it (a flag that crosses another one is
split at the other's boundary); :func:`tree` arranges laminar intervals as a tree that a
writer walks, emitting the text between the children.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Piece:
    """Part of flag ``index`` (its position in the input list): ``[start, end)``.

    ``first`` marks the one piece per flag that carries the flag's identity (``data-flag``,
    the ITS attributes); the others continue it.
    """

    index: int
    start: int
    end: int
    first: bool


def _crosses(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[0] < a[1] < b[1] or b[0] < a[0] < b[1] < a[1]


def nest(spans: Sequence[tuple[int, int]], length: int) -> list[Piece]:
    """Pieces of ``spans`` (clamped to ``[0, length]``) that pairwise nest or are disjoint.

    Flags are placed longest first among those starting at the same offset, so a flag
    inside another stays whole; one that crosses pieces already placed is split at their
    boundaries. Every flag gets exactly one ``first`` piece (its first), zero-width flags
    included.
    """
    order = sorted(
        range(len(spans)),
        key=lambda i: (min(max(spans[i][0], 0), length), -min(spans[i][1], length), i),
    )
    placed: list[tuple[int, int]] = []
    pieces: list[Piece] = []
    for index in order:
        start = min(max(spans[index][0], 0), length)
        end = min(max(spans[index][1], start), length)
        parts = [(start, end)]
        changed = True
        while changed:
            changed = False
            for k, part in enumerate(parts):
                other = next((p for p in placed if _crosses(part, p)), None)
                if other is None:
                    continue
                cut = other[1] if part[0] < other[1] < part[1] else other[0]
                parts[k : k + 1] = [(part[0], cut), (cut, part[1])]
                changed = True
                break
        for k, part in enumerate(parts):
            pieces.append(Piece(index, part[0], part[1], first=k == 0))
        placed.extend(parts)
    return pieces


@dataclass
class Node:
    """An interval with the intervals directly inside it, in text order."""

    start: int
    end: int
    item: object = None
    children: list[Node] = field(default_factory=list)


def tree(items: Sequence[tuple[int, int, object]], length: int) -> Node:
    """The root (``[0, length]``) of laminar ``(start, end, item)`` intervals.

    Zero-width intervals are leaves; an interval contains those within it; of two equal
    intervals the one listed first is the outer one.
    """
    root = Node(0, length)
    ordered = sorted(enumerate(items), key=lambda e: (e[1][0], -e[1][1], e[0]))
    stack = [root]
    for _, (start, end, item) in ordered:
        node = Node(start, end, item)
        while len(stack) > 1 and not (
            stack[-1].start <= start and end <= stack[-1].end and stack[-1].end > stack[-1].start
        ):
            stack.pop()
        stack[-1].children.append(node)
        if end > start:
            stack.append(node)
    return root


def walk(node: Node, text: str, emit_text, enter, leave) -> None:
    """Call ``emit_text(str)``, ``enter(item)`` and ``leave(item)`` in document order."""
    cursor = node.start
    for child in node.children:
        if child.start > cursor:
            emit_text(text[cursor : child.start])
        enter(child.item)
        walk(child, text, emit_text, enter, leave)
        leave(child.item)
        cursor = max(cursor, child.end)
    if node.end > cursor:
        emit_text(text[cursor : node.end])
