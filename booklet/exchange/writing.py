"""Writing translations into a chapter file: replace a piece's text, add the pieces it lacks.

Takes a chapter's pairing (booklet.translations.pairing) and new text for some of the
original's pieces; gives the translation file's new text. A paired piece gets only its
text replaced, its markup kept (`## `, `- [ ] `, `> `). A piece the translation lacks is
added where it belongs (booklet.translations.places): into the container that translates
its original's container, right after the translation of its nearest sibling before it,
or first in that container: an item beside its siblings, with their marker; a new
container (a callout with its fences, a list) copied from the original's markup with the
translated text in it; a chapter the language lacks is created. The file keeps its line
endings and byte-order mark.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from booklet.model import Callout, Table, TextSpan
from booklet.sources.spans import written
from booklet.translations.pairing import TODO_MARKER, ChapterPairing, Piece
from booklet.translations.places import NodePath, places

_QUOTE_MARKER = re.compile(r"^[ \t]*(?:>[ \t]?)*")
_FENCE = re.compile(r"^:::+\s*(\S*)")
_BOX = re.compile(r"\[[ xX]\]")
_PIPE = re.compile(r"(?<!\\)\|")


@dataclass
class _Chunk:
    """Lines to insert at one place: a block of its own (blank-line separated) or not."""

    lines: list[str]
    separate: bool
    separator: str = ""


def _node_pieces(pieces: Sequence[Piece], path: NodePath) -> list[tuple[int, Piece]]:
    return [(i, p) for i, p in enumerate(pieces) if p.path[: len(path)] == path]


def _closing_fence(lines: Sequence[str], after: int) -> int:
    """The line after a callout's closing `:::`, looking from line `after` on."""
    while after < len(lines) and not lines[after].strip().startswith(":::"):
        after += 1
    return min(after + 1, len(lines))


def _extent(pieces: Sequence[Piece], path: NodePath, lines: Sequence[str]) -> tuple[int, int]:
    """The lines a node (a piece, or a container with everything in it) covers."""
    members = [p for _, p in _node_pieces(pieces, path)]
    start = min(p.span.start for p in members)
    end = max(p.span.end for p in members)
    holder = members[0].holders[len(path) - 1] if len(path) <= len(members[0].holders) else None
    if holder is not None and len(path) == 1:
        start = holder.location.line - 1
    if isinstance(holder, Callout):
        end = _closing_fence(lines, end)
    return start, end


def _content_start(pieces: Sequence[Piece], path: NodePath) -> int:
    """The first line of a container's content in the translation: after a callout's
    opening fence, at the first line of a quotation or list; the chapter's first line."""
    if not path:
        return 0
    members = [p for _, p in _node_pieces(pieces, path)]
    holder = members[0].holders[len(path) - 1]
    if isinstance(holder, Callout):
        return holder.location.line
    return min(p.span.start for p in members)


def cell_text(text: str) -> str:
    """A table cell's text as its row holds it: a pipe in it escaped."""
    return _PIPE.sub(r"\\|", text)


def _with_cells(lines: list[str], cells: Sequence[tuple[TextSpan, str]]) -> None:
    """Replace table cells' text in their rows, in place (several cells share a line)."""
    for span, text in sorted(cells, key=lambda c: (c[0].start, -len(c[0].prefixes[0]))):
        line = lines[span.start]  # its cells to the right may be replaced already
        start = len(span.prefixes[0])
        lines[span.start] = line[:start] + cell_text(text) + line[start + len(span.text) :]


def _table_lines(pairing: ChapterPairing, path: NodePath, texts: Mapping[int, str]) -> list[str]:
    """A new table copied from the original: its translated cells' text in it, `TODO:`
    in the others (a table keeps its shape)."""
    lines = pairing.chapter.versions[pairing.authoritative].file_text.split("\n")
    members = _node_pieces(pairing.originals, path)
    start, end = _extent(pairing.originals, path, lines)
    _with_cells(lines, [(p.span, texts.get(i, TODO_MARKER)) for i, p in members])
    return lines[start:end]


def _row_cells(pairing: ChapterPairing, index: int) -> tuple[int, list[int]]:
    """A cell's row in its table (0: the header) and the indexes of that row's cells."""
    piece = pairing.originals[index]
    table = piece.holders[-1]
    assert isinstance(table, Table)
    columns = len(table.header) or 1
    row = piece.item // columns
    first = index - piece.item % columns
    return row, list(range(first, first + columns))


def new_row(pairing: ChapterPairing, index: int) -> tuple[int, int] | None:
    """(table's block, row) when a body cell's whole row is missing from the translated
    table (a row added to the original), else None (a header cell: a new column)."""
    row, members = _row_cells(pairing, index)
    if row == 0 or any(pairing.state_of(i).translation is not None for i in members):
        return None
    return pairing.originals[index].block, row


def _row_line(pairing: ChapterPairing, index: int, texts: Mapping[int, str]) -> tuple[int, str]:
    """Where a new row goes in the translation (after the translation of the nearest row
    before it that it has) and its line: the original's row, its cells translated, or
    `TODO:`."""
    row, members = _row_cells(pairing, index)
    columns = len(members)
    after = 0
    for earlier in range(row - 1, -1, -1):
        start = members[0] - (row - earlier) * columns
        found = [pairing.state_of(i).translation for i in range(start, start + columns)]
        paired = [pairing.translations[t] for t in found if t is not None]
        if paired:
            # Below the header row comes the row of dashes.
            after = paired[0].span.end + (1 if earlier == 0 else 0)
            break
    original = pairing.originals[members[0]]
    lines = pairing.chapter.versions[pairing.authoritative].file_text.split("\n")
    _with_cells(lines, [(pairing.originals[i].span, texts.get(i, TODO_MARKER)) for i in members])
    return after, lines[original.span.start]


def _node_lines(pairing: ChapterPairing, path: NodePath, texts: Mapping[int, str]) -> list[str]:
    """The original's markup of a node (a block, or a list in a callout), with the
    translated pieces' text in it and the pieces not translated left out."""
    original = pairing.chapter.versions[pairing.authoritative]
    lines = original.file_text.split("\n")
    members = _node_pieces(pairing.originals, path)
    if members and members[0][1].kind == "cell":
        return _table_lines(pairing, path, texts)
    start, end = _extent(pairing.originals, path, lines)
    out: list[str] = []
    position = start
    for index, piece in members:
        out.extend(lines[position : piece.span.start])
        if index in texts:
            out.extend(written(piece.span, texts[index]))
        position = piece.span.end
    out.extend(lines[position:end])
    while out and not out[-1].strip():
        out.pop()
    return out


def _piece_chunk(piece: Piece, text: str, sibling: Piece | None) -> _Chunk:
    """A new piece's lines; an item takes its marker from an item of the translation's
    list (`-`, `*` or `1.`, so it stays in that list), its check box from its original."""
    span = piece.span
    if piece.kind == "item" and sibling is not None and sibling.span.prefixes:
        prefix = sibling.span.prefixes[0]
        box = _BOX.search(span.prefixes[0]) if span.prefixes else None
        if box is not None:
            prefix = _BOX.sub(box.group(0), prefix)
        span = TextSpan(span.start, span.end, (prefix,), span.suffix, span.text)
    lines = written(span, text)
    if piece.kind == "item":
        return _Chunk(lines, separate=False)
    marker = _QUOTE_MARKER.match(span.prefixes[0] if span.prefixes else "")
    return _Chunk(lines, separate=True, separator=(marker.group(0) if marker else "").rstrip())


class _Placer:
    """Where new nodes of the original go in the translation: into the container that
    translates their original's container, after the nearest sibling it translates."""

    def __init__(self, pairing: ChapterPairing, lines: Sequence[str]) -> None:
        self.pairing = pairing
        self.lines = lines
        self.places = places(pairing)
        self.paired = {
            s.original: pairing.translations[s.translation]
            for s in pairing.states
            if s.original is not None and s.translation is not None
        }
        self.leaves = {p.path: i for i, p in enumerate(pairing.originals)}

    def counterpart(self, path: NodePath) -> NodePath | None:
        """The translation's node (by its path) that translates the original's node, when
        it sits where it should."""
        if path in self.leaves:
            index = self.leaves[path]
            theirs = self.paired.get(index)
            mine = self.pairing.originals[index]
            if theirs is None or not self.places.in_place(mine, theirs):
                return None
            return theirs.path
        return self.places.translation_container(path)

    def new_node(self, piece: Piece) -> NodePath:
        """The outermost node holding `piece` that the translation lacks."""
        for depth in range(1, len(piece.path) + 1):
            if self.counterpart(piece.path[:depth]) is None:
                return piece.path[:depth]
        return piece.path

    def anchor(self, node: NodePath) -> tuple[int, Piece | None]:
        """The line a new node goes before, and a translated sibling item (for its marker)."""
        parent = node[:-1]
        theirs_parent = self.counterpart(parent) if parent else ()
        assert theirs_parent is not None
        translations = self.pairing.translations
        for position in range(node[-1] - 1, -1, -1):
            theirs = self.counterpart((*parent, position))
            if theirs is not None:
                sibling = (
                    next(p for p in translations if p.path == theirs)
                    if ((*parent, position) in self.leaves)
                    else None
                )
                return _extent(translations, theirs, self.lines)[1], sibling
        first = next(
            (
                p
                for p in translations
                if p.path[: len(theirs_parent)] == theirs_parent
                and len(p.path) == len(theirs_parent) + 1
            ),
            None,
        )
        return _content_start(translations, theirs_parent), first


def rewrite_translation(pairing: ChapterPairing, texts: Mapping[int, str]) -> str:
    """The translation file with `texts` (original piece index -> translated text) in it."""
    version = pairing.translated
    lines = version.file_text.split("\n") if version is not None else []
    if lines == [""]:
        lines = []
    placer = _Placer(pairing, lines)
    replacements: dict[int, tuple[int, list[str]]] = {}
    inserts: dict[int, list[_Chunk]] = {}
    cells: list[tuple[TextSpan, str]] = []
    done: set[NodePath] = set()
    done_rows: set[tuple[int, int]] = set()
    for state in pairing.states:
        if state.original is None or state.original not in texts:
            continue
        index = state.original
        piece = pairing.originals[index]
        if state.translation is not None:
            mine = pairing.translations[state.translation]
            if mine.kind == "cell":
                cells.append((mine.span, texts[index]))
            else:
                replacements[mine.span.start] = (mine.span.end, written(mine.span, texts[index]))
            continue
        if piece.kind == "cell" and placer.counterpart(piece.path[:-1]) is not None:
            # A table the translation has: a whole new row goes in after the row before
            # it; a cell alone (a new column) is not added (the import says so).
            row = new_row(pairing, index)
            if row is not None and row not in done_rows:
                done_rows.add(row)
                at, line = _row_line(pairing, index, texts)
                inserts.setdefault(at, []).append(_Chunk([line], separate=False))
            continue
        node = placer.new_node(piece)
        if node in done:
            continue
        done.add(node)
        at, sibling = placer.anchor(node)
        if node == piece.path:
            chunk = _piece_chunk(piece, texts[index], sibling)
        else:  # a whole container is new here: copy it from the original, once
            chunk = _Chunk(_node_lines(pairing, node, texts), separate=True)
            first = _QUOTE_MARKER.match(piece.span.prefixes[0] if piece.span.prefixes else "")
            chunk.separator = (first.group(0) if first and len(node) > 1 else "").rstrip()
        inserts.setdefault(at, []).append(chunk)
    _with_cells(lines, cells)  # rows keep their lines: the positions below still hold
    for position in sorted(set(replacements) | set(inserts), reverse=True):
        if position in replacements:
            end, new = replacements[position]
            lines[position:end] = new
        if position in inserts:
            lines[position:position] = _joined(inserts[position], lines, position)
    text = "\n".join(lines)
    return text if text.endswith("\n") or not text else text + "\n"


def pruned(pairing: ChapterPairing) -> str:
    """The translation file without its orphans: pieces whose original is gone (a blank
    line that separated one goes with it)."""
    version = pairing.translated
    assert version is not None
    lines = version.file_text.split("\n")
    spans = [
        pairing.translations[s.translation].span
        for s in pairing.orphans
        if s.translation is not None
    ]
    for span in sorted(spans, key=lambda span: span.start, reverse=True):
        end = span.end
        if (
            end < len(lines)
            and not lines[end].strip()
            and (span.start == 0 or not lines[span.start - 1].strip())
        ):
            end += 1
        del lines[span.start : end]
    return "\n".join(lines)


def _joined(chunks: list[_Chunk], lines: list[str], position: int) -> list[str]:
    """Chunks to insert before `lines[position]`, with the blank lines blocks need."""
    out: list[str] = []
    before = lines[position - 1] if position > 0 else ""
    for chunk in chunks:
        previous = out[-1] if out else before
        if chunk.separate and _needs_blank(previous, chunk.separator, opening=True):
            out.append(chunk.separator)
        out.extend(chunk.lines)
    after = lines[position] if position < len(lines) else ""
    if chunks and chunks[-1].separate and _needs_blank(after, chunks[-1].separator, opening=False):
        out.append(chunks[-1].separator)
    return out


def _needs_blank(line: str, separator: str, opening: bool) -> bool:
    """A block next to `line` needs a blank line between them, unless that line is blank
    already, or is the callout fence it sits inside: an opening one before it (`opening`),
    a closing one after it."""
    stripped = line.strip()
    fence = _FENCE.match(stripped)
    inside = fence is not None and bool(fence.group(1)) == opening
    return bool(stripped) and stripped != separator and not inside


def encoded(text: str, newline: str, bom: bool) -> bytes:
    """A chapter's text as its file holds it: its own line endings and byte-order mark."""
    data = text.replace("\n", newline).encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom else data
