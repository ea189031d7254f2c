"""Where each piece sits: its container path, the same in every language.

Takes a chapter's pairing (booklet.translations.pairing); gives which container of the
translation (a callout, a quotation, a list, by its path) holds what a container of the
original holds, and for each paired piece whether its translation sits in that container.
A piece's place is its container path plus its position: `check` reports a translation
in another container than its original's, and `import` adds a new piece to the container
its original is in, after the right sibling (booklet.exchange.writing).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from booklet.translations.pairing import ChapterPairing, Piece

NodePath = tuple[int, ...]
"""Positions from the chapter down; () is the chapter itself."""


def _names(piece: Piece, depth: int) -> tuple[str, ...]:
    """The kinds of the containers a piece sits in, down to `depth`: a callout, a
    quotation, a list. A warning translated as a note, or a bulleted list as a numbered
    one, is a choice of style, not another place."""
    return tuple(type(h).__name__ for h in piece.holders[:depth])


@dataclass(frozen=True)
class Places:
    """The containers of one chapter's original, mapped to its translation's."""

    pairing: ChapterPairing
    containers: dict[NodePath, NodePath]
    """Original container path -> the translation's container holding its translations
    (the chapter, `()`, is its own)."""

    def translation_container(self, original: NodePath) -> NodePath | None:
        return self.containers.get(original)

    def in_place(self, original: Piece, translation: Piece) -> bool:
        """Whether a translation sits in the container that translates its original's."""
        depth = len(original.path) - 1
        return (
            len(translation.path) - 1 == depth
            and _names(original, depth) == _names(translation, depth)
            and self.containers.get(original.path[:-1]) == translation.path[:-1]
        )


def places(pairing: ChapterPairing) -> Places:
    """Each container of the original -> the translation's container most of its paired
    pieces sit in (of the same kinds, each translation container used once)."""
    votes: Counter[tuple[NodePath, NodePath]] = Counter()
    for state in pairing.states:
        if state.original is None or state.translation is None:
            continue
        mine = pairing.originals[state.original]
        theirs = pairing.translations[state.translation]
        for depth in range(1, len(mine.path)):
            if len(theirs.path) > depth and _names(mine, depth) == _names(theirs, depth):
                votes[mine.path[:depth], theirs.path[:depth]] += 1
    containers: dict[NodePath, NodePath] = {(): ()}
    taken: set[NodePath] = {()}
    ranked = sorted(votes.items(), key=lambda pair: (-pair[1], pair[0]))
    for (ours, held), _count in ranked:
        parent_ok = containers.get(ours[:-1]) == held[:-1]
        if ours not in containers and held not in taken and parent_ok:
            containers[ours] = held
            taken.add(held)
    return Places(pairing, containers)
