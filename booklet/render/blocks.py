"""One language's version of a block -> escaped HTML (also well-formed XHTML for the EPUB).

Every piece of source text goes through markupsafe's escape here; templates receive
`Markup` and never see raw source strings. Citations become links to the article in the
legal-basis appendix, written in the language's own citation convention.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from booklet.law.citations import format_citation, resolve_citation
from booklet.model import (
    Callout,
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
    Statute,
    Strong,
    Table,
    TableCell,
    Text,
    image_key,
)
from booklet.text.word_breaks import break_between_words


def article_anchor(statute_id: str, key: str, language: str) -> str:
    """The id of an article's entry in one language's legal-basis appendix."""
    return f"art-{statute_id}-{key}--{language}"


def chapter_stem(chapter_name: str) -> str:
    """A chapter's name as it can go in an id or a file name of an EPUB: its letters,
    digits and dashes, and a hash of the whole name when anything else was in it."""
    stem = chapter_name.removesuffix(".md")
    safe = re.sub(r"[^A-Za-z0-9-]+", "-", stem).strip("-") or "chapter"
    if safe == stem:
        return stem
    return f"{safe}-{hashlib.sha256(stem.encode('utf-8')).hexdigest()[:6]}"


def chapter_anchor(chapter_name: str, language: str) -> str:
    """The id of a chapter's title in one language."""
    return f"ch-{chapter_stem(chapter_name)}--{language}"


def unit_anchor(chapter_name: str, position: int, language: str) -> str:
    """The id of an aligned unit's text in one language (its 0-based place in its chapter)."""
    return f"u-{chapter_stem(chapter_name)}-{position}--{language}"


@dataclass(frozen=True)
class HtmlContext:
    """What rendering a block needs besides the block."""

    language: str
    """The language of the block."""
    statutes: Sequence[Statute]
    """The registry, to resolve citations."""
    text: Mapping[str, Any]
    """Interface text of the language (callout labels)."""
    article_href: Callable[[str, str], str]
    """(statute id, article key) -> link target of the article for this language."""
    image_url: Callable[[Path], str]
    """Absolute image path -> URL to use in the output."""
    source_dir: Path
    """Folder of the chapter file, for relative image paths."""


LEFT_TO_RIGHT_RUN = re.compile(
    r"https?://[^\s<>\"]*[^\s<>\".,;:!?)\]]"  # a web address, without closing punctuation
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # an e-mail address
    r"|\+?\d+(?:[ \u00a0\-\u2010\u2011\u2013./]\d+)+"  # 1800 555 0199, 2026-10-01, 667–671
)
"""Text that reads left to right as a unit in any language. In right-to-left text the
bidirectional algorithm would otherwise reorder its parts: "1800 555 0199" would show as
"0199 555 1800", and a reader would dial a wrong number."""

LEFT_TO_RIGHT_ISOLATE, POP_ISOLATE = "\u2066", "\u2069"
"""Unicode's isolate controls: WeasyPrint ignores `dir` and `unicode-bidi` on inline
elements, but Pango's bidirectional algorithm honours these (reading systems honour both)."""


KOREAN_WORD = re.compile(r"[^\s]*[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f][^\s]*")
"""A Korean word (eojeol): Korean breaks lines between words, at spaces, but Pango breaks
Hangul between any two syllables ("대|항력을") and WeasyPrint has no `word-break: keep-all`."""


def text_html(text: str, language: str = "") -> Markup:
    """Plain text of a language -> escaped HTML: runs that read left to right isolated,
    Korean words kept whole, Lao, Khmer and Myanmar words given a break between them
    (for any text a reader sees: blocks, headings, citations, statutes)."""
    out: list[str] = []
    last = 0
    for found in LEFT_TO_RIGHT_RUN.finditer(text):
        out.append(_words_html(text[last : found.start()], language))
        isolated = LEFT_TO_RIGHT_ISOLATE + found.group() + POP_ISOLATE
        address = "@" in found.group() or "://" in found.group()
        kind = "ltr" if address else "ltr number"  # a number never breaks; an address may
        out.append(Markup('<span class="{}" dir="ltr">{}</span>').format(kind, isolated))
        last = found.end()
    out.append(_words_html(text[last:], language))
    return Markup("").join(out)


def _words_html(text: str, language: str) -> Markup:
    # By script, not language: a Lao name in an English sentence needs its breaks too.
    text = break_between_words(text, language)
    if language.split("-")[0].lower() != "ko":
        return escape(text)
    return Markup(
        KOREAN_WORD.sub(lambda m: f'<span class="word">{m.group()}</span>', str(escape(text)))
    )


TRAILING_SPACE = re.compile(r"[ \t\n]+$")
"""Collapsible white space at the end of a run of text."""

_ELEMENTS = (Strong, Emphasis, Link, Citation, Code)
"""Inline nodes that become an element of their own."""


def inline_html(nodes: Sequence[Inline], ctx: HtmlContext) -> Markup:
    """Inline nodes -> escaped HTML.

    The space before an element (a citation, emphasis, a link) is moved inside it, to the
    element's start: WeasyPrint measures a text box that ends in a space with the space,
    and when only the space overflows the line it takes the box for one unbreakable word
    and breaks after the box's first word ("An" alone on a line, the rest of the sentence
    on the next). Inside the element the space is still the break opportunity it was.
    """
    out: list[str] = []
    carried = ""
    for index, node in enumerate(nodes):
        lead, carried = carried, ""
        if isinstance(node, Text):
            text = node.text
            following = nodes[index + 1] if index + 1 < len(nodes) else None
            space = TRAILING_SPACE.search(text)
            if space and isinstance(following, _ELEMENTS) and space.start() > 0:
                text, carried = text[: space.start()], space.group()
            out.append(text_html(text, ctx.language))
        elif isinstance(node, Code):
            out.append(Markup("<code>{}{}</code>").format(lead, node.text))
        elif isinstance(node, LineBreak):
            out.append(Markup("<br/>"))
        elif isinstance(node, Strong):
            inner = inline_html(node.children, ctx)
            out.append(Markup("<strong>{}{}</strong>").format(lead, inner))
        elif isinstance(node, Emphasis):
            out.append(Markup("<em>{}{}</em>").format(lead, inline_html(node.children, ctx)))
        elif isinstance(node, Link):
            label = inline_html(node.children, ctx)
            plain = "".join(c.text for c in node.children if isinstance(c, Text))
            shown = node.href.removeprefix("mailto:").removeprefix("tel:")
            css = "url" if plain.strip() == shown else "url show-url"
            out.append(
                Markup('<a class="{}" href="{}" data-url="{}">{}{}</a>').format(
                    css, node.href, shown, lead, label
                )
            )
        elif isinstance(node, Image):
            path = image_key(ctx.source_dir, node.src)
            out.append(Markup('<img src="{}" alt="{}"/>').format(ctx.image_url(path), node.alt))
        elif isinstance(node, Citation):
            out.append(_citation_html(node, ctx, lead))
        else:  # pragma: no cover - the model has no other inline kinds
            raise TypeError(node)
    return Markup("").join(out)


def plain_text(nodes: Sequence[Inline], ctx: HtmlContext) -> str:
    """The text a reader sees, without markup (bookmarks, running heads, metadata)."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Text | Code):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append(" ")
        elif isinstance(node, Strong | Emphasis | Link):
            out.append(plain_text(node.children, ctx))
        elif isinstance(node, Image):
            out.append(node.alt)
        elif isinstance(node, Citation):
            resolved = resolve_citation(node, ctx.statutes)
            out.append(format_citation(resolved, ctx.language))
    return "".join(out)


def plain_inline_text(nodes: Sequence[Inline]) -> str:
    """The written text of inline nodes, citations as written (for placeholder tests)."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Text | Code):
            out.append(node.text)
        elif isinstance(node, Strong | Emphasis | Link):
            out.append(plain_inline_text(node.children))
        elif isinstance(node, Citation):
            out.append(f"[[{node.raw}]]")
    return "".join(out)


def _citation_html(citation: Citation, ctx: HtmlContext, lead: str = "") -> Markup:
    """A citation as a link to its article; `lead` is the space before it (see inline_html).
    Its text is text like any other: Korean words kept whole, ranges set left to right."""
    resolved = resolve_citation(citation, ctx.statutes)
    first = resolved.items[0][0]
    return Markup('<a class="cite" href="{}">{}{}</a>').format(
        ctx.article_href(resolved.statute.id, first.key),
        lead,
        text_html(format_citation(resolved, ctx.language), ctx.language),
    )


def item_content_html(item: ListItem, ctx: HtmlContext) -> Markup:
    """What a list item holds: its text, after its check box when it has one. The box is
    drawn by CSS; it says "ticked" or "not ticked" in the item's language to a screen
    reader, since its state must not rest on sight alone."""
    body = inline_html(item.content, ctx)
    if item.task is None:
        return body
    state, said = ("box done", ctx.text["ticked"]) if item.task else ("box", ctx.text["not_ticked"])
    return Markup('<span class="{}" role="img" aria-label="{}"></span>{}').format(state, said, body)


def _item_html(item: ListItem, ctx: HtmlContext) -> Markup:
    task = ' class="task"' if item.task is not None else ""
    return Markup("<li{}>{}</li>").format(Markup(task), item_content_html(item, ctx))


def list_html(block: ListBlock, ctx: HtmlContext, only: int | None = None) -> Markup:
    """A whole list, or just item `only` (kept in its list so numbering and style hold)."""
    indexes = range(len(block.items)) if only is None else [only]
    items = Markup("").join(_item_html(block.items[i], ctx) for i in indexes)
    tasks = " tasks" if any(i.task is not None for i in block.items) else ""
    if block.ordered:
        start = block.start + (indexes[0] if indexes else 0)
        # WeasyPrint ignores the start attribute (a presentational hint); the counter
        # reset does the same in WeasyPrint and in EPUB reading systems.
        return Markup(
            '<ol class="list{}" start="{}" style="counter-reset: list-item {}">{}</ol>'
        ).format(tasks, start, start - 1, items)
    return Markup('<ul class="list{}">{}</ul>').format(tasks, items)


_ALIGNS = {"left": "align-left", "center": "align-center", "right": "align-right"}


def _cell_html(cell: TableCell, tag: str, align: str, ctx: HtmlContext, label: str = "") -> Markup:
    css = Markup(' class="{}"').format(_ALIGNS[align]) if align in _ALIGNS else Markup("")
    scope = Markup(' scope="col"') if tag == "th" else Markup(' data-label="{}"').format(label)
    if cell.language:  # an original in place of its translation: its language's fonts
        scope += Markup(' lang="{0}" xml:lang="{0}"').format(cell.language)
        ctx = replace(ctx, language=cell.language)
    return Markup("<{0}{1}{2}>{3}</{0}>").format(tag, scope, css, inline_html(cell.content, ctx))


def table_html(table: Table, ctx: HtmlContext) -> Markup:
    """A table: its header row as column headers (`<th scope="col">`), then its rows (each
    cell with its column's name, `data-label`, for a stacked table). A
    column aligned right stays right in a right-to-left language (the author chose it for
    figures); an unaligned one starts where the language starts."""
    aligns = table.aligns

    labels = [plain_text(cell.content, ctx) for cell in table.header]

    def row(cells: Sequence[TableCell], tag: str) -> Markup:
        return Markup("<tr>{}</tr>").format(
            Markup("").join(
                _cell_html(cell, tag, aligns[i] if i < len(aligns) else "", ctx, labels[i])
                for i, cell in enumerate(cells)
            )
        )

    body = Markup("").join(row(r, "td") for r in table.rows)
    caption = (
        Markup("<caption>{}</caption>").format(inline_html(table.caption.content, ctx))
        if table.caption is not None
        else Markup("")
    )
    # How wide it is, for the stylesheet: a table with more columns than its page or
    # column can hold is stacked (each row a block, each cell after its column's name).
    wide = " ".join(f"wide-{n}" for n in range(3, min(len(table.header), 6) + 1))
    return Markup(
        '<div class="table-wrap"><table class="content-table{}">{}<thead>{}</thead>'
        "<tbody>{}</tbody></table></div>"
    ).format(f" {wide}" if wide else "", caption, row(table.header, "th"), body)


def block_html(
    block: Heading | Paragraph | ListBlock | Callout | Quote | Table,
    ctx: HtmlContext,
    heading_id: str | None = None,
) -> Markup:
    """One block in one language."""
    if isinstance(block, Table):
        return table_html(block, ctx)
    if isinstance(block, Heading):
        id_attr = Markup(' id="{}"').format(heading_id) if heading_id else Markup("")
        return Markup("<h{0}{1}>{2}</h{0}>").format(
            block.level, id_attr, inline_html(block.content, ctx)
        )
    if isinstance(block, Paragraph):
        return Markup("<p>{}</p>").format(inline_html(block.content, ctx))
    if isinstance(block, ListBlock):
        return list_html(block, ctx)
    inner = Markup("").join(block_html(b, ctx) for b in block.blocks)
    if isinstance(block, Quote):
        return Markup("<blockquote>{}</blockquote>").format(inner)
    label = ctx.text.get(block.kind, block.kind)
    return Markup(
        '<aside class="callout callout-{0}"><p class="callout-label">'
        '<span class="callout-icon" aria-hidden="true"></span>{1}</p>{2}</aside>'
    ).format(block.kind, label, inner)
