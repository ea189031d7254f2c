"""A chapter's translatable text with its exact place in the Markdown file.

The parse stage builds the content model; this stage keeps what the model drops: for each
block, the lines it spans, and for each piece of running text (a heading, a paragraph, a
list item) the markup before it on every line (`## `, `- [ ] `, `> `, indentation). The
translation tools hash these pieces, hand them to translators, and write translations
back by replacing only the text, so headings stay headings and check boxes stay check
boxes, and a file whose translations did not change is left byte for byte as it was.

Segment ids follow the aligned block model: `3` is the third block of the chapter, `5.2`
the second item of the list that is block 5, `7.1` the first paragraph in callout 7.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from booklet.sources.markdown import MARKDOWN

_CONTINUATION = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*")
_HEADING = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*#{1,6}(?:[ \t]+|$)")
_ITEM = re.compile(
    r"^[ \t]*(?:>[ \t]?)*[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+\[[ xX]\])?(?:[ \t]+|$)"
)
_CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*$")


@dataclass(frozen=True)
class Segment:
    """One run of translatable text: a heading, a paragraph or a list item."""

    id: str
    """Position in the chapter's aligned block model (`5.2`)."""
    kind: str
    """`heading`, `paragraph` or `item`."""
    start: int
    """First line, 0-based."""
    end: int
    """Line after the last, 0-based."""
    prefixes: tuple[str, ...]
    """The markup before the text on each line."""
    suffix: str
    """Markup after the text on the last line (a closing `##` of a heading)."""
    text: str
    """The text itself, lines joined by newlines, exactly as written."""


@dataclass(frozen=True)
class BlockSpan:
    """A top-level block of a chapter file and its segments."""

    index: int
    """1-based block number."""
    kind: str
    """`heading`, `paragraph`, `list`, `callout` or `quote`."""
    start: int
    """First line, 0-based."""
    end: int
    """Line after the last, 0-based."""
    segments: tuple[Segment, ...]
    """Its running text, in order."""


def _segment(
    lines: Sequence[str], token: Token, segment_id: str, kind: str, first: re.Pattern[str]
) -> Segment:
    assert token.map is not None
    start, end = token.map
    if kind == "heading" and token.markup in ("=", "-"):  # setext: the underline is markup
        end -= 1
    prefixes: list[str] = []
    texts: list[str] = []
    suffix = ""
    for number in range(start, end):
        line = lines[number]
        match = (first if number == start else _CONTINUATION).match(line)
        prefix = match.group(0) if match else ""
        prefixes.append(prefix)
        texts.append(line[len(prefix) :])
    if kind == "heading" and texts:
        closing = _CLOSING_HASHES.search(texts[-1])
        if closing:
            suffix = closing.group(0)
            texts[-1] = texts[-1][: closing.start()]
    return Segment(segment_id, kind, start, end, tuple(prefixes), suffix, "\n".join(texts))


def _inner(
    lines: Sequence[str], tokens: Sequence[Token], start: int, close: str, prefix: str
) -> tuple[list[Segment], int]:
    """Segments of the blocks inside a container until `close`; returns the next position."""
    segments: list[Segment] = []
    position, number = start, 0
    while tokens[position].type != close:
        token = tokens[position]
        if token.nesting == 1 and token.level == tokens[start - 1].level + 1:
            number += 1
            found, position = _block(lines, tokens, position, f"{prefix}{number}")
            segments.extend(found)
            continue
        position += 1
    return segments, position + 1


def _block(
    lines: Sequence[str], tokens: Sequence[Token], position: int, block_id: str
) -> tuple[list[Segment], int]:
    token = tokens[position]
    kind = token.type
    if kind == "heading_open":
        return [_segment(lines, token, block_id, "heading", _HEADING)], position + 3
    if kind == "paragraph_open":
        return [_segment(lines, token, block_id, "paragraph", _CONTINUATION)], position + 3
    if kind in ("bullet_list_open", "ordered_list_open"):
        close = kind.replace("_open", "_close")
        segments: list[Segment] = []
        position += 1
        item = 0
        while tokens[position].type != close:
            if tokens[position].type == "list_item_open" and tokens[position + 1].type == (
                "paragraph_open"
            ):
                item += 1
                paragraph = tokens[position + 1]
                segments.append(_segment(lines, paragraph, f"{block_id}.{item}", "item", _ITEM))
                position += 5  # item_open, p_open, inline, p_close, item_close
            else:
                position += 1
        return segments, position + 1
    if kind == "container_callout_open":
        return _inner(lines, tokens, position + 1, "container_callout_close", f"{block_id}.")
    if kind == "blockquote_open":
        return _inner(lines, tokens, position + 1, "blockquote_close", f"{block_id}.")
    # Anything else was refused by the parse stage; skip it the same way.
    depth = 0
    while True:
        depth += tokens[position].nesting
        position += 1
        if depth <= 0:
            return [], position


_KINDS = {
    "heading_open": "heading",
    "paragraph_open": "paragraph",
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "container_callout_open": "callout",
    "blockquote_open": "quote",
}


def block_spans(text: str) -> list[BlockSpan]:
    """Every top-level block of a chapter file with its segments, in order."""
    lines = text.split("\n")
    tokens = MARKDOWN.parse(text)
    blocks: list[BlockSpan] = []
    position = 0
    while position < len(tokens):
        token = tokens[position]
        kind = _KINDS.get(token.type)
        if kind is None:
            _, position = _block(lines, tokens, position, "")
            continue
        index = len(blocks) + 1
        segments, position = _block(lines, tokens, position, str(index))
        assert token.map is not None
        blocks.append(BlockSpan(index, kind, token.map[0], token.map[1], tuple(segments)))
    return blocks


def rewrite(text: str, changes: Sequence[tuple[Segment, str]]) -> str:
    """The file with each segment's text replaced by new text, its markup kept."""
    lines = text.split("\n")
    for segment, new in sorted(changes, key=lambda change: change[0].start, reverse=True):
        new_lines = new.split("\n")
        prefixes = list(segment.prefixes)
        continuation = prefixes[1] if len(prefixes) > 1 else _continuation_for(prefixes[0])
        while len(prefixes) < len(new_lines):
            prefixes.append(continuation)
        written = [prefixes[i] + line for i, line in enumerate(new_lines)]
        written[-1] += segment.suffix
        lines[segment.start : segment.end] = written
    return "\n".join(lines)


def _continuation_for(first_prefix: str) -> str:
    """Indentation for new lines of a segment that had one line (quote markers kept)."""
    quotes = re.match(r"^[ \t]*(?:>[ \t]?)*", first_prefix)
    marker = quotes.group(0) if quotes else ""
    if _ITEM.match(first_prefix):
        return marker + " " * (len(first_prefix) - len(marker))
    return marker
