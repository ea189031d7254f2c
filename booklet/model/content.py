"""A handbook's text: inline nodes, blocks and chapters, each with its place."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from booklet.errors import SourceLocation
from booklet.vocabulary import CalloutKind

Localized = Mapping[str, str]
"""Text per language, keyed by BCP 47 tag."""


# ---------------------------------------------------------------- inline content


@dataclass(frozen=True)
class Text:
    """Plain text."""

    text: str
    """The characters, entities already decoded."""
    line: int
    """Source line the text starts on."""


@dataclass(frozen=True)
class Code:
    """Inline code span, printed verbatim."""

    text: str
    """The characters."""
    line: int
    """Source line."""


@dataclass(frozen=True)
class LineBreak:
    """A hard line break (two spaces or a backslash at the end of a line)."""


@dataclass(frozen=True)
class Strong:
    """Strong emphasis (`**...**`)."""

    children: tuple[Inline, ...]
    """What is emphasised."""


@dataclass(frozen=True)
class Emphasis:
    """Emphasis (`*...*`)."""

    children: tuple[Inline, ...]
    """What is emphasised."""


@dataclass(frozen=True)
class Link:
    """A hyperlink; only http(s), mailto and tel targets survive parsing."""

    href: str
    """The target."""
    children: tuple[Inline, ...]
    """The link text."""
    line: int
    """Source line."""


@dataclass(frozen=True)
class Image:
    """An image from the handbook folder."""

    src: str
    """Path relative to the chapter file, as written."""
    alt: str
    """Text alternative."""
    line: int
    """Source line."""


@dataclass(frozen=True)
class Citation:
    """A statute citation, `[[prc-civil-code 667-671]]`."""

    law: str
    """Statute id in the registry."""
    items: tuple[str, ...]
    """The cited items as written: an article key (`667`) or a range (`667-671`)."""
    raw: str
    """The text between the double brackets, for messages."""
    line: int
    """Source line."""


Inline = Text | Code | LineBreak | Strong | Emphasis | Link | Image | Citation


# ---------------------------------------------------------------- blocks


@dataclass(frozen=True)
class TextSpan:
    """Where a heading, paragraph or list item's text sits in its file (booklet.sources.spans)."""

    start: int
    """First line, 0-based."""
    end: int
    """Line after the last, 0-based."""
    prefixes: tuple[str, ...]
    """The markup before the text on each line (`## `, `- [ ] `, `> `, indentation)."""
    suffix: str
    """Markup after the text on its last line (a closing `##`)."""
    text: str
    """The text exactly as written, lines joined by newlines."""


NO_SPAN = TextSpan(0, 0, (), "", "")
"""For nodes made without a file (tests, generated text)."""


@dataclass(frozen=True)
class Heading:
    """`#` (chapter title) to `###`."""

    level: int
    """1 for the chapter title, 2 for sections, 3 for subsections."""
    content: tuple[Inline, ...]
    """The heading text."""
    location: SourceLocation
    """Where it starts."""
    span: TextSpan = NO_SPAN
    """Its text's place in the file, for the translation tools."""


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of running text."""

    content: tuple[Inline, ...]
    """The text."""
    location: SourceLocation
    """Where it starts."""
    span: TextSpan = NO_SPAN
    """Its text's place in the file, for the translation tools."""


@dataclass(frozen=True)
class ListItem:
    """One item of a list; a task-list item carries a check box."""

    content: tuple[Inline, ...]
    """The item's text (one paragraph)."""
    task: bool | None
    """None for an ordinary item; False for `- [ ]`, True for `- [x]`."""
    location: SourceLocation
    """Where it starts."""
    span: TextSpan = NO_SPAN
    """Its text's place in the file, for the translation tools."""


@dataclass(frozen=True)
class ListBlock:
    """A bullet or numbered list."""

    ordered: bool
    """True for `1.` lists."""
    start: int
    """Number of the first item of an ordered list."""
    items: tuple[ListItem, ...]
    """The items, in order."""
    location: SourceLocation
    """Where it starts."""


@dataclass(frozen=True)
class Callout:
    """A `::: note|tip|warning` container."""

    kind: CalloutKind
    """The callout kind."""
    blocks: tuple[Paragraph | ListBlock, ...]
    """What is inside."""
    location: SourceLocation
    """The line of the opening `:::`."""


@dataclass(frozen=True)
class Quote:
    """A block quotation (`>`)."""

    blocks: tuple[Paragraph | ListBlock, ...]
    """What is quoted."""
    location: SourceLocation
    """Where it starts."""


@dataclass(frozen=True)
class TableCell:
    """One cell of a table: one piece of text, translated on its own."""

    content: tuple[Inline, ...]
    """The cell's text."""
    location: SourceLocation
    """The line of its row."""
    span: TextSpan = NO_SPAN
    """Its text's place in its row's line (the markup before it, `| `, as its prefix and
    the rest of the row as its suffix), for the translation tools."""
    language: str = ""
    """The language of its text when not its table's: an original printed in place of a
    translation still to be made ("" otherwise)."""


@dataclass(frozen=True)
class Table:
    """A GitHub-style pipe table: a header row, then body rows, each of as many cells."""

    header: tuple[TableCell, ...]
    """The header row's cells (the columns' names)."""
    rows: tuple[tuple[TableCell, ...], ...]
    """The body rows."""
    aligns: tuple[str, ...]
    """Per column: "left", "center", "right" or "" (the language's start)."""
    location: SourceLocation
    """The header row's line."""
    caption: Paragraph | None = None
    """Its caption: the paragraph `Table: …` right before it, without `Table: `."""

    @property
    def cells(self) -> tuple[TableCell, ...]:
        """Every cell in reading order, the header's first."""
        return self.header + tuple(cell for row in self.rows for cell in row)


Block = Heading | Paragraph | ListBlock | Callout | Quote | Table


@dataclass(frozen=True)
class ChapterText:
    """One language's version of a chapter: one Markdown file."""

    language: str
    """BCP 47 tag of the folder it came from."""
    blocks: tuple[Block, ...]
    """Its blocks in order (booklet.translations.pairing pairs them across languages)."""
    path: Path
    """The Markdown file."""
    file_text: str = ""
    """The file's text with Unix line endings, for the translation tools."""
    newline: str = "\n"
    """The file's own line ending (CR LF from Windows editors), kept when it is rewritten."""
    bom: bool = False
    """The file began with a UTF-8 byte-order mark, kept when it is rewritten."""


@dataclass(frozen=True)
class Chapter:
    """A chapter in every language it exists in, keyed by file name."""

    name: str
    """The file name shared by every language, e.g. `02-evidence.md`."""
    versions: Mapping[str, ChapterText]
    """Language tag -> that language's text; a missing key is a missing translation."""


def block_inlines(block: Block | ListItem | TableCell) -> Iterator[Inline]:
    """Every inline node of a block (or list item), nested ones included, in reading order."""
    if isinstance(block, Heading | Paragraph | ListItem):
        yield from _nested(block.content)
    elif isinstance(block, ListBlock):
        for item in block.items:
            yield from _nested(item.content)
    elif isinstance(block, Callout | Quote):
        for inner in block.blocks:
            yield from block_inlines(inner)
    elif isinstance(block, Table | TableCell):
        if isinstance(block, Table) and block.caption is not None:
            yield from _nested(block.caption.content)
        for cell in block.cells if isinstance(block, Table) else (block,):
            yield from _nested(cell.content)


def image_key(folder: Path, src: str) -> Path:
    """The one name of an image: its path as written, from its chapter's folder."""
    return Path(os.path.normpath(folder / src))


def block_citations(block: Block) -> list[Citation]:
    """Every statute citation of a block, in reading order."""
    return [node for node in block_inlines(block) if isinstance(node, Citation)]


def _nested(nodes: tuple[Inline, ...]) -> Iterator[Inline]:
    for node in nodes:
        yield node
        if isinstance(node, Strong | Emphasis | Link):
            yield from _nested(node.children)
