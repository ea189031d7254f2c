"""Markdown chapter text -> a `ChapterText` of blocks, each keeping its source line.

CommonMark with raw HTML switched off (tags stay literal text and are escaped later),
plus three extensions: GFM task-list items, `::: kind` callouts and `[[law key]]`
citations. Constructs a handbook cannot print well (code blocks, deep headings, nested
lists) are reported as problems with the line, never silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from booklet.errors import Problem, Severity, SourceLocation
from booklet.model import (
    NO_SPAN,
    Block,
    Callout,
    ChapterText,
    Heading,
    Inline,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Table,
    TableCell,
    Text,
)
from booklet.sources.files import SourceFile
from booklet.sources.inline import (
    InlineParser,
    citation_rule,
)
from booklet.sources.spans import CONTINUATION, HEADING, ITEM, cell_spans, text_span
from booklet.vocabulary import CalloutKind

MAX_HEADING_LEVEL = 3
_TASK = re.compile(r"^\[([ xX])\]\s+")
_EMPTY_TASK = re.compile(r"^\[\]")
"""`- []`: a check box without its space, which prints as a stray `[]`."""


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    # GitHub's pipe tables (a table read as CommonMark would be a paragraph of pipes).
    md.enable("table")
    md.inline.ruler.before("link", "citation", citation_rule)
    container_plugin(md, name="callout", validate=lambda params, *args: True)
    return md


MARKDOWN = _markdown()
"""The one Markdown parser configuration of booklet (the segments stage reuses it)."""


class _ChapterParser:
    """Walks markdown-it's token stream for one file, collecting blocks and problems."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.split("\n")
        self.tokens = MARKDOWN.parse(text)
        self.pos = 0
        self.problems: list[Problem] = []
        self.inlines = InlineParser(path, self.problems)

    def at(self, token: Token) -> SourceLocation:
        line = token.map[0] + 1 if token.map else 0
        return SourceLocation(self.path, line)

    def problem(self, token: Token, message: str) -> None:
        self.problems.append(Problem(self.at(token), message))

    def skip_to_close(self) -> None:
        """Skip the current token and everything nested in it."""
        depth = 0
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            depth += token.nesting
            self.pos += 1
            if depth <= 0:
                return

    # ------------------------------------------------------------- blocks

    def blocks(self, close: str | None, allowed: str) -> list[Block]:
        """Blocks until a token of type `close` (or the end); `allowed` names the context."""
        out: list[Block] = []
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            if close is not None and token.type == close:
                self.pos += 1
                return out
            block = self.block(token, allowed)
            if isinstance(block, Table) and out and isinstance(out[-1], Paragraph):
                caption = _caption(out[-1])
                if caption is not None:  # `Table: …` right before it is its caption
                    out.pop()
                    block = replace(block, caption=caption)
            if block is not None:
                out.append(block)
        return out

    def block(self, token: Token, context: str) -> Block | None:
        kind = token.type
        nested_ok = ("paragraph_open", "bullet_list_open", "ordered_list_open")
        if context != "chapter" and kind not in nested_ok:
            self.problem(
                token, f"only paragraphs and lists can go inside a {context}; move this out of it"
            )
            self.skip_to_close()
            return None
        if kind == "heading_open":
            return self.heading(token)
        if kind == "paragraph_open":
            self.pos += 1
            content = self.inlines.read(self.tokens[self.pos], self.at(token).line)
            self.pos += 2  # inline, paragraph_close
            span = text_span(self.lines, token, CONTINUATION)
            return Paragraph(content, self.at(token), span)
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self.list_block(token)
        if kind == "container_callout_open":
            return self.callout(token)
        if kind == "table_open":
            return self.table(token)
        if kind == "blockquote_open":
            self.pos += 1
            inner = self.blocks("blockquote_close", "quotation")
            return Quote(tuple(_only_text_blocks(inner)), self.at(token))
        first = self.lines[token.map[0]] if token.map else ""
        if kind == "code_block" and first.lstrip(" ").startswith("\t"):
            self.problem(
                token,
                "this line starts with a tab, which Markdown reads as a code block; remove "
                "the tab (a list item starts with - at the beginning of the line)",
            )
        elif kind in ("fence", "code_block"):
            self.problem(
                token,
                "code blocks are not supported in a handbook; "
                "remove the ``` fence or the four-space indent",
            )
        elif kind == "hr":
            self.problem(
                token,
                "horizontal rules (---, ***) are not supported; start a new section with ##",
            )
        else:
            self.problem(token, f"unsupported Markdown ({kind}); remove it")
        self.skip_to_close()
        return None

    def heading(self, token: Token) -> Heading | None:
        level = int(token.tag[1])
        if level > MAX_HEADING_LEVEL:
            self.problem(
                token,
                f"heading level {level} is too deep; use # for the chapter, "
                "## for sections and ### for subsections",
            )
            # Kept (the build stops anyway), so it still pairs with its original and
            # this stays the one problem reported for it.
        self.pos += 1
        content = self.inlines.read(self.tokens[self.pos], self.at(token).line)
        self.pos += 2
        return Heading(level, content, self.at(token), text_span(self.lines, token, HEADING))

    def callout(self, token: Token) -> Callout | None:
        kind = token.info.strip().split(" ", 1)[0]
        if kind not in list(CalloutKind):
            known = ", ".join(CalloutKind)
            self.problem(token, f'unknown callout kind "{kind}"; use one of: {known}')
            self.skip_to_close()
            return None
        self.pos += 1
        # The container's map ends on its closing fence, or on the end of the file.
        end = token.map[1] if token.map else -1
        closing = self.lines[end].strip() if 0 <= end < len(self.lines) else ":::"
        if not closing.startswith(":::"):
            # Never closed: everything after it would be blamed for being inside it.
            self.problem(
                token,
                f"this ::: {kind} callout is not closed; add a line ::: where it ends",
            )
            inner = self.blocks("container_callout_close", "chapter")
        else:
            inner = self.blocks("container_callout_close", "callout")
        return Callout(CalloutKind(kind), tuple(_only_text_blocks(inner)), self.at(token))

    def table(self, token: Token) -> Table:
        header: list[TableCell] = []
        rows: list[list[TableCell]] = []
        aligns: list[str] = []
        row: list[TableCell] = header
        while self.tokens[self.pos].type != "table_close":
            current = self.tokens[self.pos]
            self.pos += 1
            if current.type == "tr_open" and header:
                row = []
                rows.append(row)
            elif current.type in ("th_open", "td_open"):
                if current.type == "th_open":
                    style = str(current.attrGet("style") or "")
                    aligns.append(style.removeprefix("text-align:"))
                inline = self.tokens[self.pos]
                assert inline.map is not None
                line = inline.map[0]
                spans = cell_spans(
                    self.lines[line], line, len(aligns) if row is not header else None
                )
                span = spans[len(row)] if len(row) < len(spans) else NO_SPAN
                content = self.inlines.read(inline, line + 1)
                row.append(TableCell(content, SourceLocation(self.path, line + 1), span))
                self.pos += 2  # inline, th_close or td_close
        self.pos += 1
        return Table(tuple(header), tuple(tuple(r) for r in rows), tuple(aligns), self.at(token))

    def list_block(self, token: Token) -> ListBlock:
        ordered = token.type == "ordered_list_open"
        start = int(token.attrGet("start") or 1) if ordered else 1
        close = "ordered_list_close" if ordered else "bullet_list_close"
        self.pos += 1
        items: list[ListItem] = []
        while self.tokens[self.pos].type != close:
            item = self.tokens[self.pos]  # list_item_open
            self.pos += 1
            inner = self.tokens[self.pos]
            content: tuple[Inline, ...] = ()
            span = NO_SPAN
            if inner.type == "paragraph_open":
                span = text_span(self.lines, inner, ITEM)
                content = self.inlines.read(self.tokens[self.pos + 1], self.at(inner).line)
                self.pos += 3
            if self.tokens[self.pos].type != "list_item_close":
                self.problem(
                    self.tokens[self.pos],
                    "a list item must be a single paragraph (no nested lists or second "
                    "paragraphs); make it a separate item or a paragraph after the list",
                )
                while self.tokens[self.pos].type != "list_item_close" or (
                    self.tokens[self.pos].level != item.level
                ):
                    self.pos += 1
            self.pos += 1  # list_item_close
            content, task = _task_marker(content)
            first = content[0] if content else None
            if isinstance(first, Text) and _EMPTY_TASK.match(first.text):
                self.problems.append(
                    Problem(
                        self.at(item),
                        '"- []" is not a check box and prints as "[]"; write "- [ ]" with a '
                        "space between the brackets",
                        Severity.WARNING,
                    )
                )
            elif task:
                self.problems.append(
                    Problem(
                        self.at(item),
                        '"- [x]" prints an already ticked box, which a reader cannot tick; write '
                        '"- [ ]" for a box to tick',
                        Severity.WARNING,
                    )
                )
            items.append(ListItem(content, task, self.at(item), span))
        self.pos += 1
        return ListBlock(ordered, start, tuple(items), self.at(token))


CAPTION = re.compile(r"^Table:[ \t]*")
"""What makes the paragraph right before a table its caption."""


def _caption(paragraph: Paragraph) -> Paragraph | None:
    """The paragraph without its `Table: ` (kept as markup of its first line), or None
    when it is no caption."""
    span = paragraph.span
    found = CAPTION.match(span.text)
    first = paragraph.content[0] if paragraph.content else None
    if found is None or not isinstance(first, Text) or not first.text.startswith("Table:"):
        return None
    rest = first.text[len("Table:") :].lstrip(" \t")
    content = ((replace(first, text=rest),) if rest else ()) + paragraph.content[1:]
    prefixes = (span.prefixes[0] + found.group(0), *span.prefixes[1:])
    text = span.text[found.end() :]
    return replace(paragraph, content=content, span=replace(span, prefixes=prefixes, text=text))


def _task_marker(content: tuple[Inline, ...]) -> tuple[tuple[Inline, ...], bool | None]:
    if not content or not isinstance(content[0], Text):
        return content, None
    first = content[0]
    match = _TASK.match(first.text)
    if not match:
        return content, None
    rest = first.text[match.end() :]
    head: tuple[Inline, ...] = (Text(rest, first.line),) if rest else ()
    return head + content[1:], match.group(1) != " "


def _only_text_blocks(blocks: list[Block]) -> list[Paragraph | ListBlock]:
    # Anything else was refused (and reported) by _ChapterParser.block.
    return [b for b in blocks if isinstance(b, Paragraph | ListBlock)]


def parse_chapter(file: SourceFile, language: str) -> tuple[ChapterText, list[Problem]]:
    """Parse one chapter file; problems are returned, never raised."""
    parser = _ChapterParser(file.path, file.text)
    blocks = parser.blocks(None, "chapter")
    chapter = ChapterText(
        language, tuple(blocks), file.path, file.text, newline=file.newline, bom=file.bom
    )
    return chapter, parser.problems
