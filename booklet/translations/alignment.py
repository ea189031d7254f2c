"""The aligned block model: the n-th block of every language of a chapter, side by side.

A unit is what the parallel layout puts in one table row and the interleaved layout in
one pair: a heading, a paragraph, a callout, a quotation, or one item of a list (so a
long checklist aligns item by item, not as one tall row).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from booklet.model import Block, Callout, Chapter, Heading, ListBlock, ListItem, Paragraph, Quote

Part = Block | ListItem


@dataclass(frozen=True)
class AlignedUnit:
    """One aligned piece of a chapter."""

    kind: str
    """`heading`, `paragraph`, `item`, `callout` or `quote`."""
    parts: Mapping[str, Part]
    """Language tag -> that language's block (or list item)."""
    lists: Mapping[str, ListBlock]
    """For an item: language tag -> the list it belongs to."""
    index: int
    """For an item: its position in the list (0-based)."""
    block: int
    """0-based position of the block in the chapter."""

    @property
    def id(self) -> str:
        """The unit's id as translators see it: `5`, or `5.2` for an item of block 5."""
        return f"{self.block + 1}.{self.index + 1}" if self.kind == "item" else str(self.block + 1)

    def part(self, language: str) -> Part:
        return self.parts[language]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def block_signature(block: Block) -> str:
    """What must match between translations: the kind and shape of a block."""
    if isinstance(block, Heading):
        return f"heading level {block.level}"
    if isinstance(block, Paragraph):
        return "paragraph"
    if isinstance(block, ListBlock):
        kind = "numbered list" if block.ordered else "list"
        return f"{kind} of {_count(len(block.items), 'item')}"
    if isinstance(block, Callout):
        return f"{block.kind} callout of {_count(len(block.blocks), 'paragraph or list')}"
    if isinstance(block, Quote):
        return f"quotation of {_count(len(block.blocks), 'paragraph or list')}"
    raise TypeError(block)


def describe(block: Block) -> str:
    """A short description for messages: `a heading (##)`, `a list of 3 items`."""
    if isinstance(block, Heading):
        return f"a heading ({'#' * block.level})"
    signature = block_signature(block)
    return f"an {signature}" if signature[0] in "aeiou" else f"a {signature}"


def aligned_units(chapter: Chapter, languages: Sequence[str]) -> list[AlignedUnit]:
    """The chapter as aligned units; the checks guarantee the shapes match before this runs."""
    versions = [chapter.versions[lang] for lang in languages]
    units: list[AlignedUnit] = []
    for position, blocks in enumerate(zip(*(v.blocks for v in versions), strict=True)):
        by_lang = dict(zip(languages, blocks, strict=True))
        first = blocks[0]
        if isinstance(first, ListBlock):
            lists = {lang: b for lang, b in by_lang.items() if isinstance(b, ListBlock)}
            for index in range(len(first.items)):
                items = {lang: lists[lang].items[index] for lang in languages}
                units.append(AlignedUnit("item", items, lists, index, position))
            continue
        kind = {Heading: "heading", Paragraph: "paragraph", Callout: "callout", Quote: "quote"}[
            type(first)
        ]
        units.append(AlignedUnit(kind, by_lang, {}, 0, position))
    return units
