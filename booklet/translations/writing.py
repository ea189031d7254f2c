"""Writing translations into a chapter file: replace a piece's text, add the pieces it lacks.

Takes a chapter's pairing (booklet.translations.pairing) and new text for some of the
original's pieces; gives the translation file's new text. A paired piece gets only its
text replaced, its markup kept (`## `, `- [ ] `, `> `). A piece the translation lacks is
added where it belongs, after the translation of the piece before it: an item beside its
siblings, a new block (a callout with its fences, a list) copied from the original's
markup with the translated text in it; a chapter the language lacks is created. The
file keeps its line endings and byte-order mark.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from booklet.model import Callout
from booklet.sources.spans import written
from booklet.translations.pairing import ChapterPairing, Piece

_QUOTE_MARKER = re.compile(r"^[ \t]*(?:>[ \t]?)*")


@dataclass
class _Chunk:
    """Lines to insert at one place: a block of its own (blank-line separated) or not."""

    lines: list[str]
    separate: bool
    separator: str = ""


def _block_lines(pairing: ChapterPairing, block: int, texts: Mapping[int, str]) -> list[str]:
    """The original's markup of a block, with the translated pieces' text in it and the
    pieces not translated left out."""
    original = pairing.chapter.versions[pairing.authoritative]
    lines = original.file_text.split("\n")
    members = [(i, p) for i, p in enumerate(pairing.originals) if p.block == block]
    top = members[0][1].top
    start = top.location.line - 1
    end = max(p.span.end for _, p in members)
    if isinstance(top, Callout):  # the closing fence
        while end < len(lines) and not lines[end].strip().startswith(":::"):
            end += 1
        end = min(end + 1, len(lines))
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


def _piece_chunk(piece: Piece, text: str, sibling: bool) -> _Chunk:
    lines = written(piece.span, text)
    if piece.kind == "item" and sibling:
        return _Chunk(lines, separate=False)
    marker = _QUOTE_MARKER.match(piece.span.prefixes[0] if piece.span.prefixes else "")
    return _Chunk(lines, separate=True, separator=(marker.group(0) if marker else "").rstrip())


def rewrite_translation(pairing: ChapterPairing, texts: Mapping[int, str]) -> str:
    """The translation file with `texts` (original piece index -> translated text) in it."""
    version = pairing.translated
    lines = version.file_text.split("\n") if version is not None else []
    if lines == [""]:
        lines = []
    replacements: dict[int, tuple[int, list[str]]] = {}
    inserts: dict[int, list[_Chunk]] = {}
    anchor: tuple[int, int] | None = None  # (original block, line after its translation)
    done_blocks: set[int] = set()
    for state in pairing.states:
        if state.original is None:
            continue
        index = state.original
        piece = pairing.originals[index]
        if state.translation is not None:
            mine = pairing.translations[state.translation]
            if index in texts:
                replacements[mine.span.start] = (mine.span.end, written(mine.span, texts[index]))
            anchor = (piece.block, mine.span.end)
            continue
        if index not in texts or piece.block in done_blocks:
            continue
        at = anchor[1] if anchor is not None else 0
        if anchor is not None and anchor[0] == piece.block:
            chunk = _piece_chunk(piece, texts[index], sibling=True)
        elif not any(
            s.translation is not None
            for s in pairing.states
            if s.original is not None and pairing.originals[s.original].block == piece.block
        ):
            # The whole block is new here: copy it from the original, once.
            chunk = _Chunk(_block_lines(pairing, piece.block, texts), separate=True)
            done_blocks.add(piece.block)
        else:
            chunk = _piece_chunk(piece, texts[index], sibling=False)
        inserts.setdefault(at, []).append(chunk)
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
    spans = [pairing.translations[s.translation].span for s in pairing.orphans
             if s.translation is not None]  # fmt: skip
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
        if chunk.separate and previous.strip() and previous.strip() != chunk.separator:
            out.append(chunk.separator)
        out.extend(chunk.lines)
    after = lines[position] if position < len(lines) else ""
    if chunks and chunks[-1].separate and after.strip():
        out.append(chunks[-1].separator)
    return out


def encoded(text: str, newline: str, bom: bool) -> bytes:
    """A chapter's text as its file holds it: its own line endings and byte-order mark."""
    data = text.replace("\n", newline).encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom else data
