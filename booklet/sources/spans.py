"""Where a piece of running text sits in its Markdown file, markup kept apart.

Takes the file's lines and the markdown-it token of a heading or paragraph (a list item's
paragraph included); gives a `TextSpan`: the lines it covers, the markup before the text
on each line (`## `, `- [ ] `, `> `, indentation), markup after it (a closing `##`), and
the text exactly as written. The translation tools hash this text and write translations
back by replacing only it, so headings stay headings and check boxes stay check boxes.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from markdown_it.token import Token

from booklet.model import TextSpan

CONTINUATION = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*")
"""Markup before a paragraph's text: indentation and quote markers."""
HEADING = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*#{1,6}(?:[ \t]+|$)")
"""Markup before a heading's text."""
ITEM = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+\[[ xX]\])?(?:[ \t]+|$)")
"""Markup before a list item's text, its check box included."""
_CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*$")
_OWN_CLOSING = re.compile(r"([ \t])(#+[ \t]*)$")


def text_span(lines: Sequence[str], token: Token, first: re.Pattern[str]) -> TextSpan:
    """The span of the heading or paragraph that `token` opens; `first` matches the markup
    of its first line (HEADING, ITEM or CONTINUATION)."""
    assert token.map is not None
    start, end = token.map
    setext = token.type == "heading_open" and token.markup in ("=", "-")
    if setext:  # the underline is markup
        end -= 1
    prefixes: list[str] = []
    texts: list[str] = []
    for number in range(start, end):
        line = lines[number]
        match = (first if number == start else CONTINUATION).match(line)
        prefix = match.group(0) if match else ""
        prefixes.append(prefix)
        texts.append(line[len(prefix) :])
    suffix = ""
    if token.type == "heading_open" and texts and not setext:
        closing = _CLOSING_HASHES.search(texts[-1])
        if closing:
            suffix = closing.group(0)
            texts[-1] = texts[-1][: closing.start()]
    return TextSpan(start, end, tuple(prefixes), suffix, "\n".join(texts))


def continuation_for(first_prefix: str) -> str:
    """Markup for added lines of a text whose first line has `first_prefix`: quote markers
    kept, a list item's marker replaced by as many spaces."""
    quotes = re.match(r"^[ \t]*(?:>[ \t]?)*", first_prefix)
    marker = quotes.group(0) if quotes else ""
    if ITEM.match(first_prefix):
        return marker + " " * (len(first_prefix) - len(marker))
    return marker


def written(span: TextSpan, text: str) -> list[str]:
    """The lines of `span` with its text replaced by `text`, its markup kept."""
    new_lines = text.split("\n")
    prefixes = list(span.prefixes) or [""]
    continuation = prefixes[1] if len(prefixes) > 1 else continuation_for(prefixes[0])
    while len(prefixes) < len(new_lines):
        prefixes.append(continuation)
    lines = [prefixes[i] + line for i, line in enumerate(new_lines)]
    if HEADING.match(prefixes[0]) and not span.suffix:
        # A heading's own trailing " #" would be read as a closing sequence and lost.
        lines[-1] = _OWN_CLOSING.sub(lambda m: m.group(1) + "\\" + m.group(2), lines[-1])
    lines[-1] += span.suffix
    return lines


_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def cell_spans(line: str, number: int, count: int | None = None) -> list[TextSpan]:
    """The spans of a table row's cells (`| a | b |`, on 0-based line `number`): each
    cell's text between its pipes (escaped ones, `\\|`, are text), the row before it as
    its prefix and after it as its suffix. `count` cells: more are cut off, fewer padded
    with empty ones at the end of the row (as markdown-it reads them)."""
    edges = [m.start() for m in _UNESCAPED_PIPE.finditer(line)]
    stripped = line.strip()
    if not stripped.startswith("|"):
        edges.insert(0, -1)
    if not stripped.endswith("|") or stripped == "|":
        edges.append(len(line.rstrip()))
    spans: list[TextSpan] = []
    for left, right in itertools.pairwise(edges):
        segment = line[left + 1 : right]
        text = segment.strip()
        start = left + 1 + (len(segment) - len(segment.lstrip()))
        if not text:
            start = min(left + 2, right)
        end = start + len(text)
        spans.append(TextSpan(number, number + 1, (line[:start],), line[end:], text))
    wanted = len(spans) if count is None else count
    spans = spans[:wanted]
    while len(spans) < wanted:
        base = line.rstrip()
        prefix = base + (" " if base.endswith("|") else " | ")
        suffix = " |" if base.endswith("|") else ""
        spans.append(TextSpan(number, number + 1, (prefix,), suffix, ""))
    return spans
