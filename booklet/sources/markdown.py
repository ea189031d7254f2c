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
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from booklet.errors import Problem, Severity, SourceLocation
from booklet.model import (
    NO_SPAN,
    Block,
    Callout,
    ChapterText,
    Citation,
    Code,
    Emphasis,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Strong,
    Table,
    TableCell,
    Text,
)
from booklet.sources.files import SourceFile
from booklet.sources.spans import CONTINUATION, HEADING, ITEM, cell_spans, text_span
from booklet.text.line_joining import join_wrapped_lines
from booklet.vocabulary import CalloutKind

TRANSLATE_PLACEHOLDER = "<!-- translate -->"
"""Marks a block still to be translated (so are an empty block and `TODO:`)."""
MAX_HEADING_LEVEL = 3
MAX_INLINE_DEPTH = 20
"""Emphasis and links nested deeper than this are refused (every walker recurses)."""
_LINK_SCHEMES = ("http://", "https://", "mailto:", "tel:")
_TASK = re.compile(r"^\[([ xX])\]\s+")
_EMPTY_TASK = re.compile(r"^\[\]")
"""`- []`: a check box without its space, which prints as a stray `[]`."""
_SINGLE_BRACKETS = re.compile(
    r"(?<!\[)\[[a-z][a-z0-9]*(-[a-z0-9]+)*\s+\d[0-9a-zA-Z.,\s–-]*\](?!\])"
)
"""`[law-id 132]`: a citation written with single brackets."""
_CITATION_BODY = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s+(\S.*?)\s*$", re.S)
RAW_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>|<!--")
"""An HTML tag or comment, which a handbook may not contain."""
REFUSED_LINK = re.compile(
    r"(\]\(\s*<?|<|^\s*\[[^\]]+\]:\s*<?)\s*(javascript|vbscript|file|data):", re.I | re.M
)
"""Link syntax markdown-it refused for its target, which would print as literal text."""


_WRAPPED_HYPHEN = re.compile(r"-[ \t]*\n\s*")
"""A line break after a hyphen inside a citation: the hyphen joins the two lines."""


def _citation_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule for `[[...]]`; runs before links so `[[` is never a link."""
    start = state.pos
    if not state.src.startswith("[[", start):
        return False
    # Once no "]]" follows, none follows any later "[[" either: remembering that keeps a
    # paragraph of unclosed brackets linear instead of quadratic.
    unclosed = state.env.setdefault("booklet_unclosed_from", {})
    if start >= unclosed.get(id(state.src), len(state.src) + 1):
        return False
    closings = state.env.setdefault("booklet_next_closing", {})
    end = closings.get(id(state.src), -1)
    if end < start + 2:  # the "]]" found for an earlier "[[" serves until it is passed
        end = state.src.find("]]", start + 2)
        closings[id(state.src)] = end
    if end < 0:
        unclosed[id(state.src)] = start
        return False
    reopened = state.src.find("[[", start + 2, end)
    if reopened >= 0:  # this one is not closed: the "]]" belongs to the next citation
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.content = state.src[start + 2 : end]
    state.pos = end + 2
    return True


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    # GitHub's pipe tables (a table read as CommonMark would be a paragraph of pipes).
    md.enable("table")
    md.inline.ruler.before("link", "citation", _citation_rule)
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
            content = self.inline(self.tokens[self.pos], self.at(token).line)
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
        content = self.inline(self.tokens[self.pos], self.at(token).line)
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
                content = self.inline(inline, line + 1)
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
                content = self.inline(self.tokens[self.pos + 1], self.at(inner).line)
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

    # ------------------------------------------------------------- inline

    def inline(self, token: Token, first_line: int) -> tuple[Inline, ...]:
        line = first_line
        stack: list[tuple[str, list[Inline], str]] = [("", [], "")]
        too_deep = 0  # openings past MAX_INLINE_DEPTH, whose closings are skipped too
        unclosed_reported = False
        for child in token.children or []:
            kind = child.type
            if kind == "text":
                if child.content:
                    self.raw_html(child.content, line)
                    if "[[" in child.content and not unclosed_reported:
                        unclosed_reported = True
                        self.problems.append(
                            Problem(
                                SourceLocation(self.path, line),
                                'a citation is opened with "[[" but not closed with "]]"; write '
                                "[[law-id article]], e.g. [[prc-civil-code 667]]",
                                Severity.WARNING,
                            )
                        )
                    stack[-1][1].append(Text(child.content, line))
            elif kind == "softbreak":
                # Resolved to a space or nothing once neighbours are merged (_merge_text).
                stack[-1][1].append(Text("\n", line))
                line += 1
            elif kind == "hardbreak":
                stack[-1][1].append(LineBreak())
                line += 1
            elif kind == "code_inline":
                stack[-1][1].append(Code(child.content, line))
            elif kind in ("strong_open", "em_open", "link_open"):
                if len(stack) > MAX_INLINE_DEPTH:
                    if not too_deep:
                        self.problems.append(
                            Problem(
                                SourceLocation(self.path, line),
                                f"emphasis and links nest more than {MAX_INLINE_DEPTH} deep here; "
                                "a handbook needs two or three levels at most",
                            )
                        )
                    too_deep += 1
                    continue
                href = str(child.attrGet("href") or "")
                stack.append((kind, [], href))
            elif kind in ("strong_close", "em_close", "link_close"):
                if too_deep:
                    too_deep -= 1
                    continue
                opened, children, href = stack.pop()
                merged = _merge_text(children)
                if opened == "strong_open":
                    stack[-1][1].append(Strong(merged))
                elif opened == "em_open":
                    stack[-1][1].append(Emphasis(merged))
                else:
                    stack[-1][1].extend(self.link(href, merged, line))
            elif kind == "image":
                alt = "".join(c.content for c in child.children or [])
                # markdown-it percent-encodes the destination; the file is named as written.
                src = unquote(str(child.attrGet("src") or ""))
                stack[-1][1].append(Image(src, alt, line))
            elif kind == "citation":
                # An editor may wrap a citation over two lines, after a space or a hyphen
                # (`[[us-` / `fdcpa 1692c]]`); it is still one citation.
                body = " ".join(_WRAPPED_HYPHEN.sub("-", child.content).split())
                stack[-1][1].append(self.citation(body, line))
                line += child.content.count("\n")
            else:
                self.problems.append(
                    Problem(SourceLocation(self.path, line), f"unsupported Markdown ({kind})")
                )
        merged = _merge_text(stack[0][1])
        self.single_brackets(merged)
        return merged

    def single_brackets(self, nodes: tuple[Inline, ...]) -> None:
        """`[law 132]` prints as written: it was meant as a citation."""
        for node in nodes:
            if not isinstance(node, Text):
                continue
            for match in _SINGLE_BRACKETS.finditer(node.text):
                self.problems.append(
                    Problem(
                        SourceLocation(self.path, node.line),
                        f'"{match.group(0)}" looks like a citation but has single brackets, so it '
                        f"prints as written; write [{match.group(0)}]",
                        Severity.WARNING,
                    )
                )

    def link(self, href: str, children: tuple[Inline, ...], line: int) -> tuple[Inline, ...]:
        """The link, or only its text when the target is refused (reported)."""
        if href.startswith(_LINK_SCHEMES):
            return (Link(href, children, line),)
        self.problems.append(
            Problem(
                SourceLocation(self.path, line),
                f'link target "{href}" is not allowed; links may point only to http(s), '
                "mailto: or tel: addresses (cite statutes with [[law article]])",
            )
        )
        return children

    def citation(self, body: str, line: int) -> Inline:
        match = _CITATION_BODY.match(body)
        items = tuple(i.strip() for i in match.group(2).split(",")) if match else ()
        if not match or not all(items):
            self.problems.append(
                Problem(
                    SourceLocation(self.path, line),
                    f'citation "[[{body}]]" is not written right; write [[law-id article]], '
                    "e.g. [[prc-civil-code 667]], [[prc-civil-code 667-671]] or "
                    "[[prc-civil-code 1032, 1033]]",
                )
            )
            return Text(f"[[{body}]]", line)
        return Citation(match.group(1), items, body.strip(), line)

    def raw_html(self, text: str, line: int) -> None:
        if REFUSED_LINK.search(text):
            self.problems.append(
                Problem(
                    SourceLocation(self.path, line),
                    "this link's target is not allowed (only http(s), mailto: and tel: "
                    "addresses are); remove the link or give a web address",
                )
            )
        if RAW_TAG.search(text.replace(TRANSLATE_PLACEHOLDER, "")):
            self.problems.append(
                Problem(
                    SourceLocation(self.path, line),
                    "raw HTML is not allowed in a handbook and would be printed as text; "
                    "remove the tag and use Markdown instead",
                )
            )


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


def _merge_text(nodes: list[Inline]) -> tuple[Inline, ...]:
    """Join adjacent Text nodes (markdown-it splits text at every special character)."""
    out: list[Inline] = []
    for node in nodes:
        previous = out[-1] if out else None
        if isinstance(node, Text) and isinstance(previous, Text):
            out[-1] = Text(previous.text + node.text, previous.line)
        else:
            out.append(node)
    return tuple(
        Text(join_wrapped_lines(node.text), node.line) if isinstance(node, Text) else node
        for node in out
    )


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
