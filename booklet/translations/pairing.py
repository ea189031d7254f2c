"""Which piece of a translation goes with which piece of the original, and its state.

Takes a chapter in every language and its part of translations.lock; gives, per
translation language, a `ChapterPairing`: every piece of running text of the original
(a heading, a paragraph, a list item, also inside callouts and quotations) with its
stable unit id, the piece of the translation that translates it (or none) and whether
that translation is current, stale or missing; and the translation's orphans, whose
original is gone.

Pieces are paired through the lock's hashes first (so an insertion, a deletion or a move
in the original is that one change, and a piece edited in place keeps its id), then, for
what the lock cannot pair, by their shape (kind, container, citations) between pieces
already paired. Without a lock, shape alone pairs them. Nothing here assumes the n-th
block of one language is the n-th of another.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from booklet.model import (
    Block,
    Callout,
    Chapter,
    ChapterText,
    Citation,
    Heading,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    RecordedUnit,
    Table,
    TableCell,
    TextSpan,
    block_inlines,
)
from booklet.sources.inline import TRANSLATE_PLACEHOLDER
from booklet.text.normal import normal_text
from booklet.vocabulary import TranslationState

TODO_MARKER = "TODO:"
"""The explicit to-do marker. Never a bare word: "TODO" and "Todo" are Spanish and
Portuguese for "everything", so a block of just that word is real text."""

Holder = Callout | Quote | ListBlock | Table
"""A container of pieces of text."""

PLACEHOLDERS = frozenset({"", TODO_MARKER, TRANSLATE_PLACEHOLDER})
"""Text still to be translated (compared after normal_text)."""


def digest(text: str) -> str:
    """The short hash the lock file records."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def is_placeholder(text: str) -> bool:
    """Text still to be translated: empty, `TODO:` or `<!-- translate -->`."""
    return normal_text(text) in PLACEHOLDERS


# ---------------------------------------------------------------- pieces


@dataclass(frozen=True)
class Piece:
    """One run of translatable text in one language's chapter file."""

    kind: str
    """`heading`, `paragraph`, `item`, `cell` or `caption` (a table's)."""
    level: int
    """A heading's level; 0 for the other kinds."""
    container: str
    """What it sits in: "" at the top, `list`, `numbered list`, `note callout/list`..."""
    block: int
    """0-based index of its top-level block in the file."""
    node: Heading | Paragraph | ListItem | TableCell
    """The parsed node, for rendering."""
    top: Block
    """Its top-level block."""
    list: ListBlock | None
    """The list an item belongs to."""
    item: int
    """An item's 0-based position in its list."""
    citations: tuple[str, ...]
    """Its citations (`prc-civil-code 667-671`), which every language shares."""
    path: tuple[int, ...] = ()
    """Its place: the 0-based position at each level, from the chapter down (a paragraph
    at the top `(3,)`, the second item of a list in a callout `(5, 0, 1)`); all but the
    last number name its container."""
    holders: tuple[Holder, ...] = ()
    """The containers it sits in, outermost first (a callout, a quotation, a list)."""

    @property
    def span(self) -> TextSpan:
        return self.node.span

    @property
    def text(self) -> str:
        return self.node.span.text

    @property
    def line(self) -> int:
        """1-based line it starts on."""
        return self.node.location.line

    @cached_property
    def hash(self) -> str:
        """Kind and text: re-wrapping lines does not change it, moving the piece neither."""
        kind = f"heading{self.level}" if self.kind == "heading" else self.kind
        return digest(f"{kind}\n{normal_text(self.text)}")

    @property
    def shape(self) -> tuple[str, str, tuple[str, ...]]:
        """What a translation shares with its original, whatever the language."""
        return self.kind, self.container, self.citations

    @property
    def placeholder(self) -> bool:
        return is_placeholder(self.text)

    def describe(self) -> str:
        """For messages: `a heading (##)`, `a paragraph`, `an item of a list`, `a cell of
        a table`."""
        if self.kind == "caption":
            return "the caption of a table"
        if self.kind == "cell" and isinstance(self.holders[-1], Table):
            columns = len(self.holders[-1].header) or 1
            row, column = divmod(self.item, columns)
            where = f"row {row}" if row else "the header row"
            return f"a cell of a table ({where}, column {column + 1})"
        if self.kind == "heading":
            return f"a heading ({'#' * self.level})"
        where = f" in a {self.container}" if self.container else ""
        return f"an item of a {self.container}" if self.kind == "item" else f"a paragraph{where}"


def _citations(node: Heading | Paragraph | ListItem | TableCell) -> tuple[str, ...]:
    return tuple(
        f"{c.law} {', '.join(c.items)}" for c in block_inlines(node) if isinstance(c, Citation)
    )


def holder_name(holder: Holder) -> str:
    """`warning callout`, `quotation`, `list`, `numbered list` or `table`."""
    if isinstance(holder, Callout):
        return f"{holder.kind} callout"
    if isinstance(holder, Quote):
        return "quotation"
    if isinstance(holder, Table):
        return "table"
    return "numbered list" if holder.ordered else "list"


def _walk(
    block: Block | ListBlock, path: tuple[int, ...], top: Block, holders: tuple[Holder, ...]
) -> Iterator[Piece]:
    container = "/".join(holder_name(h) for h in holders)
    if isinstance(block, Heading | Paragraph):
        kind = "heading" if isinstance(block, Heading) else "paragraph"
        level = block.level if isinstance(block, Heading) else 0
        yield Piece(
            kind, level, container, path[0], block, top, None, 0, _citations(block), path, holders
        )
    elif isinstance(block, Table):
        inner = (*holders, block)
        if block.caption is not None:
            caption = block.caption
            cited = _citations(caption)
            yield Piece(
                "caption", 0, "table", path[0], caption, top, None, 0, cited, (*path, 0), inner
            )
        for position, cell in enumerate(block.cells):
            cited = _citations(cell)
            yield Piece(
                "cell",
                0,
                "table",
                path[0],
                cell,
                top,
                None,
                position,
                cited,
                (*path, position + 1),
                inner,
            )
    elif isinstance(block, ListBlock):
        inner = (*holders, block)
        name = "/".join(holder_name(h) for h in inner)
        for position, item in enumerate(block.items):
            yield Piece(
                "item",
                0,
                name,
                path[0],
                item,
                top,
                block,
                position,
                _citations(item),
                (*path, position),
                inner,
            )
    else:
        for offset, inner_block in enumerate(block.blocks):
            yield from _walk(inner_block, (*path, offset), top, (*holders, block))


def pieces(text: ChapterText | None) -> list[Piece]:
    """Every piece of running text of a chapter file, in reading order."""
    if text is None:
        return []
    out: list[Piece] = []
    for index, block in enumerate(text.blocks):
        out.extend(_walk(block, (index,), block, ()))
    return out


# ---------------------------------------------------------------- matching


def _matched(
    record: Sequence[RecordedUnit], language: str, current: Sequence[Piece]
) -> dict[int, int]:
    """Current index -> record index: unchanged runs, pieces of the same kind edited in
    place (a replaced run of the same length), then pieces moved (the same hash elsewhere)."""
    recorded = [r.hashes.get(language) for r in record]
    matched: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, recorded, [p.hash for p in current], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for offset in range(j2 - j1):
                old, new = record[i1 + offset], current[j1 + offset]
                # A deleted piece's line is not a piece edited in place: only the same
                # text written again is it.
                if tag == "equal" or (old.kind == new.kind and not old.deleted):
                    matched[j1 + offset] = i1 + offset
    used = set(matched.values())
    free: dict[str, list[int]] = {}
    for index, value in enumerate(recorded):
        if index not in used and value is not None:
            free.setdefault(value, []).append(index)
    for index, piece in enumerate(current):
        if index not in matched and free.get(piece.hash):
            matched[index] = free[piece.hash].pop(0)
    return matched


def unit_ids(
    chapter: str,
    originals: Sequence[Piece],
    recorded: Sequence[RecordedUnit],
    matched: Mapping[int, int],
) -> list[str]:
    """A stable id per original piece: its record's (`matched`: piece -> record), else
    one made from its text."""
    ids: list[str | None] = [
        recorded[matched[i]].id if i in matched else None for i in range(len(originals))
    ]
    taken = {r.id for r in recorded} | {i for i in ids if i}
    for index, piece in enumerate(originals):
        if ids[index] is None:
            base = digest(f"{chapter}\n{normal_text(piece.text)}")[:8]
            candidate, number = base, 1
            while candidate in taken:
                number += 1
                candidate = f"{base}-{number}"
            taken.add(candidate)
            ids[index] = candidate
    return [i for i in ids if i is not None]


@dataclass(frozen=True)
class PieceState:
    """One original piece (or an orphaned translation) and where its translation stands."""

    original: int | None
    """Index in the original's pieces; None for an orphan."""
    translation: int | None
    """Index in the translation's pieces; None when it has none."""
    status: TranslationState
    """Current, stale, missing, or orphan."""
    id: str
    """The unit id of the original piece (an orphan's from its lock line, else "")."""
    record: RecordedUnit | None
    """Its line of translations.lock, if it has one (an orphan's: that of the original
    it translated, deleted since)."""
    made_by: RecordedUnit | None = None
    """The lock line its translation was recorded with: its own, or, for a new piece
    paired by shape, that of the (deleted) original the translation was made from."""


@dataclass(frozen=True)
class ChapterPairing:
    """A chapter's original and one translation, piece by piece."""

    chapter: Chapter
    authoritative: str
    language: str
    originals: list[Piece]
    translations: list[Piece]
    states: list[PieceState]
    """One per original piece in order, then one per orphan."""

    @property
    def translated(self) -> ChapterText | None:
        return self.chapter.versions.get(self.language)

    def state_of(self, original: int) -> PieceState:
        return self.states[original]

    @property
    def orphans(self) -> list[PieceState]:
        return [s for s in self.states if s.original is None]


def _fill_gap(
    originals: Sequence[Piece], translations: Sequence[Piece], ours: list[int], theirs: list[int]
) -> dict[int, int]:
    """Pairs by shape between two pieces already paired: the same shape in the same order,
    or a changed shape of the same kind in a run of the same length."""
    pairs: dict[int, int] = {}
    mine = [originals[i].shape for i in ours]
    other = [translations[j].shape for j in theirs]
    matcher = difflib.SequenceMatcher(None, mine, other, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for offset in range(i2 - i1):
                ours_piece = originals[ours[i1 + offset]]
                their_piece = translations[theirs[j1 + offset]]
                if (ours_piece.kind, ours_piece.container) == (
                    their_piece.kind,
                    their_piece.container,
                ):
                    pairs[ours[i1 + offset]] = theirs[j1 + offset]
    return pairs


def pair_chapter(
    chapter: Chapter,
    recorded: Sequence[RecordedUnit] | None,
    auth: str,
    language: str,
) -> ChapterPairing:
    """Pair the authoritative version of a chapter with one translation."""
    originals = pieces(chapter.versions.get(auth))
    translations = pieces(chapter.versions.get(language))
    record = list(recorded or ())
    to_record = _matched(record, auth, originals)
    ids = unit_ids(chapter.name, originals, record, to_record)
    from_record = {k: j for j, k in _matched(record, language, translations).items()}
    pairs = {i: from_record[k] for i, k in to_record.items() if k in from_record}
    # Pieces the lock cannot pair: by shape, between pieces it paired, in order.
    anchors = [(-1, -1)]
    for i in sorted(pairs):
        if pairs[i] > anchors[-1][1]:
            anchors.append((i, pairs[i]))
    anchors.append((len(originals), len(translations)))
    used = set(pairs.values())
    for (i0, j0), (i1, j1) in itertools.pairwise(anchors):
        ours = [i for i in range(i0 + 1, i1) if i not in pairs]
        theirs = [j for j in range(j0 + 1, j1) if j not in used]
        found = _fill_gap(originals, translations, ours, theirs)
        pairs.update(found)
        used.update(found.values())

    states: list[PieceState] = []
    recorded_as = {j: record[k] for k, j in from_record.items()}
    for index, piece in enumerate(originals):
        entry = record[to_record[index]] if index in to_record else None
        mine = pairs.get(index)
        # A new piece paired by shape with a translation the lock recorded for another
        # original (deleted, then written again in other words) is that one's translation.
        made_by = entry or (recorded_as.get(mine) if mine is not None else None)
        if mine is None or translations[mine].placeholder:
            status = TranslationState.MISSING
        elif made_by is None:
            status = TranslationState.CURRENT  # new, and translated along with it
        else:
            # A translation the lock has not seen was made from the recorded original.
            made_from = made_by.made_from.get(language, made_by.hashes.get(auth))
            current = made_from == piece.hash
            status = TranslationState.CURRENT if current else TranslationState.STALE
        states.append(PieceState(index, mine, status, ids[index], entry, made_by))
    for index in range(len(translations)):
        if index not in used:
            # Its lock line (when the lock paired it) keeps the original it translated.
            entry = recorded_as.get(index)
            unit_id = entry.id if entry is not None else ""
            states.append(PieceState(None, index, TranslationState.ORPHAN, unit_id, entry))
    return ChapterPairing(chapter, auth, language, originals, translations, states)


def chapter_pairings(
    chapter: Chapter,
    record: Mapping[str, Sequence[RecordedUnit]] | None,
    languages: Sequence[str],
    auth: str,
) -> dict[str, ChapterPairing]:
    """The pairing of every translation language of a chapter."""
    recorded = record.get(chapter.name) if record is not None else None
    return {lang: pair_chapter(chapter, recorded, auth, lang) for lang in languages if lang != auth}
