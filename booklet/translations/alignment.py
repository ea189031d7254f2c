"""The aligned units of a chapter: each piece of the original beside its translations.

Takes a chapter and its pairings (booklet.translations.pairing); gives what the parallel
layout puts in one table row and the interleaved layout in one pair: a heading, a
paragraph, a callout, a quotation, or one item of a list (so a long checklist aligns
item by item, not as one tall row). A unit follows the original's order; a language
whose translation lacks it has no part, and its status says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from booklet.model import (
    Block,
    Callout,
    Chapter,
    Heading,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Table,
    TableCell,
)
from booklet.translations.pairing import ChapterPairing, PieceState, pieces
from booklet.translations.places import places
from booklet.vocabulary import TranslationState

Part = Block | ListItem


@dataclass(frozen=True)
class AlignedUnit:
    """One aligned piece of a chapter."""

    kind: str
    """`heading`, `paragraph`, `item`, `callout`, `quote` or `table`."""
    parts: Mapping[str, Part]
    """Language tag -> that language's block (or list item); a missing translation has none."""
    lists: Mapping[str, ListBlock]
    """For an item: language tag -> the list it belongs to."""
    indexes: Mapping[str, int]
    """For an item: language tag -> its position in that list (0-based)."""
    block: int
    """0-based position of the original block in the chapter."""
    id: str
    """The unit id translators see (that of its first piece of text)."""
    status: Mapping[str, TranslationState] = field(default_factory=dict)
    """Language tag -> where its translation stands (the original's is current)."""

    def part(self, language: str) -> Part | None:
        return self.parts.get(language)


_KINDS = {
    Heading: "heading",
    Paragraph: "paragraph",
    Callout: "callout",
    Quote: "quote",
    Table: "table",
}


def _worst(states: Sequence[TranslationState]) -> TranslationState:
    if all(s == TranslationState.MISSING for s in states):
        return TranslationState.MISSING
    if all(s == TranslationState.CURRENT for s in states):
        return TranslationState.CURRENT
    return TranslationState.STALE


def _filled(table: Table, pairing: ChapterPairing) -> Table:
    """A translated table whose cells still to be translated (`TODO:`) show their
    original's text, as a missing block does: a reader never sees the marker."""
    originals = {
        id(pairing.translations[s.translation].node): pairing.originals[s.original].node
        for s in pairing.states
        if s.original is not None
        and s.translation is not None
        and s.status == TranslationState.MISSING
    }

    def cell(mine: TableCell) -> TableCell:
        theirs = originals.get(id(mine))
        if theirs is None:
            return mine
        return replace(mine, content=theirs.content, language=pairing.authoritative)

    return replace(
        table,
        header=tuple(cell(c) for c in table.header),
        rows=tuple(tuple(cell(c) for c in row) for row in table.rows),
    )


def aligned_units(
    chapter: Chapter, pairings: Mapping[str, ChapterPairing], authoritative: str
) -> list[AlignedUnit]:
    """The chapter as aligned units, in the order of the original."""
    original = chapter.versions[authoritative]
    by_block: dict[int, list[int]] = {}
    for index, piece in enumerate(pieces(original)):
        by_block.setdefault(piece.block, []).append(index)
    held = {lang: places(pairing) for lang, pairing in pairings.items()}

    def placed(lang: str, state: PieceState) -> bool:
        """A translation sits in the container its original's translation is in: one that
        does not (check reports it) is printed where it is, not a second time here."""
        pairing = pairings[lang]
        if state.original is None or state.translation is None:
            return False
        theirs = pairing.translations[state.translation]
        return held[lang].in_place(pairing.originals[state.original], theirs)

    units: list[AlignedUnit] = []
    for position, block in enumerate(original.blocks):
        members = by_block.get(position, [])
        if isinstance(block, ListBlock):
            for offset, index in enumerate(members):
                parts: dict[str, Part] = {authoritative: block.items[offset]}
                lists = {authoritative: block}
                indexes = {authoritative: offset}
                status = {authoritative: TranslationState.CURRENT}
                unit_id = ""
                for lang, pairing in pairings.items():
                    state = pairing.state_of(index)
                    unit_id = state.id
                    status[lang] = state.status
                    if state.translation is None or state.status == TranslationState.MISSING:
                        continue
                    theirs = pairing.translations[state.translation]
                    if isinstance(theirs.node, ListItem) and theirs.list and placed(lang, state):
                        parts[lang], lists[lang] = theirs.node, theirs.list
                        indexes[lang] = theirs.item
                    else:
                        status[lang] = TranslationState.MISSING
                units.append(AlignedUnit("item", parts, lists, indexes, position, unit_id, status))
            continue
        parts = {authoritative: block}
        status = {authoritative: TranslationState.CURRENT}
        unit_id = ""
        for lang, pairing in pairings.items():
            states = [pairing.state_of(index) for index in members]
            unit_id = states[0].id if states else ""
            status[lang] = (
                _worst([s.status for s in states]) if states else (TranslationState.CURRENT)
            )
            found = [
                pairing.translations[s.translation]
                for s in states
                if s.translation is not None and placed(lang, s)
            ]
            if found and status[lang] != TranslationState.MISSING:
                theirs = found[0]
                mine = theirs.top if isinstance(block, Callout | Quote | Table) else theirs.node
                if isinstance(mine, Table):
                    parts[lang] = _filled(mine, pairing)
                elif type(mine) is type(block):
                    parts[lang] = mine
                else:
                    status[lang] = TranslationState.MISSING
            elif states:
                status[lang] = TranslationState.MISSING
        units.append(AlignedUnit(_KINDS[type(block)], parts, {}, {}, position, unit_id, status))
    return units
