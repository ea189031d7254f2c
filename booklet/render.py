"""Handbook + theme -> one HTML document for a layout and paper size (Jinja2).

Python prepares a view of the handbook (aligned units, contents, legal basis, colophon)
with all source text already escaped by booklet.blocks_html; the theme's templates and
CSS decide the layout. `LAYOUTS` are the bilingual arrangements the PDF comes in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateError
from markupsafe import Markup

from booklet.align import Unit, aligned_units
from booklet.blocks_html import (
    HtmlContext,
    article_anchor,
    block_html,
    chapter_anchor,
    inline_html,
    list_html,
    plain_text,
)
from booklet.citations import article_heading, natural_key, resolve_citation
from booklet.errors import RenderError
from booklet.interface import format_date, interface_text
from booklet.model import (
    Article,
    Citation,
    Handbook,
    Heading,
    ListBlock,
    Statute,
    block_inlines,
)
from booklet.paper import PAPERS, Paper
from booklet.patterns import fill
from booklet.theme import Theme

LAYOUTS = ("parallel", "interleaved", "sequential")
"""Bilingual layouts of the PDF."""

EDITIONS = ("standard", "large-print")
"""Editions of the PDF: the standard one, and large print (A4, 16 pt, sans serif)."""

LARGE_PRINT_LAYOUTS = ("interleaved", "sequential")
"""Large print has no side-by-side columns: they would be too narrow at 16 pt."""


# ---------------------------------------------------------------- the view


@dataclass(frozen=True)
class LanguageView:
    """A language of the handbook with its interface text."""

    tag: str
    index: int
    dir: str
    text: Mapping[str, Any]
    serif: tuple[str, ...]
    sans: tuple[str, ...]


@dataclass(frozen=True)
class UnitView:
    """One aligned unit, rendered per language."""

    kind: str
    cells: Mapping[str, Markup]
    level: int
    """Heading level, 0 for other kinds."""
    first_item: bool
    """An item that starts its list (the sequential layout adds space before it)."""


@dataclass(frozen=True)
class ChapterView:
    number: int
    name: str
    anchors: Mapping[str, str]
    titles: Mapping[str, Markup]
    plain_titles: Mapping[str, str]
    units: Sequence[UnitView]


@dataclass(frozen=True)
class ArticleView:
    anchors: Mapping[str, str]
    headings: Mapping[str, str]
    paragraphs: Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class StatuteView:
    id: str
    titles: Mapping[str, str]
    translation: Mapping[str, str]
    articles: Sequence[ArticleView]


def cited_articles(handbook: Handbook) -> list[tuple[Statute, list[Article]]]:
    """Every article the handbook cites or lists in `appendix`, by statute in registry order."""
    cited: dict[str, dict[str, Article]] = {}

    def add(citation: Citation) -> None:
        resolved = resolve_citation(citation, handbook.statutes)
        for article in resolved.articles:
            cited.setdefault(resolved.statute.id, {})[article.key] = article

    for chapter in handbook.chapters:
        for text in chapter.versions.values():
            for block in text.blocks:
                for node in block_inlines(block):
                    if isinstance(node, Citation):
                        add(node)
    for citation in handbook.appendix:
        add(citation)
    return [
        (statute, sorted(cited[statute.id].values(), key=lambda a: natural_key(a.key)))
        for statute in handbook.statutes
        if statute.id in cited
    ]


def unit_html(unit: Unit, language: str, ctx: HtmlContext, heading_id: str | None) -> Markup:
    part = unit.part(language)
    if unit.kind == "item":
        return list_html(unit.lists[language], ctx, only=unit.index)
    assert not isinstance(part, ListBlock | type(None))
    return block_html(part, ctx, heading_id)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Targets:
    """Where links point in this output: one file (PDF) or several (EPUB)."""

    article: Callable[[str, str, str], str]
    """(statute id, article key, language) -> href."""
    image: Callable[[Path], str]
    """Absolute image path -> src."""


def pdf_targets() -> Targets:
    return Targets(
        article=lambda law, key, lang: "#" + article_anchor(law, key, lang),
        image=lambda path: path.as_uri(),
    )


def book_view(handbook: Handbook, theme: Theme, targets: Targets) -> dict[str, Any]:
    """Everything the templates show, for any layout."""
    languages = []
    for index, tag in enumerate(handbook.languages):
        stack = theme.font_stack(tag)
        languages.append(
            LanguageView(
                tag,
                index,
                theme.direction(tag),
                interface_text(handbook, theme, tag),
                stack.serif,
                stack.sans,
            )
        )

    def article_href(tag: str) -> Callable[[str, str], str]:
        return lambda law, key: targets.article(law, key, tag)

    contexts = {
        lang.tag: HtmlContext(
            language=lang.tag,
            statutes=handbook.statutes,
            text=lang.text,
            article_href=article_href(lang.tag),
            image_url=targets.image,
            source_dir=handbook.root,
        )
        for lang in languages
    }
    chapters = []
    for number, chapter in enumerate(handbook.chapters, start=1):
        units = aligned_units(chapter, handbook.languages)
        anchors = {tag: chapter_anchor(chapter.name, tag) for tag in handbook.languages}
        views = []
        section = 0
        previous_kind = ""
        for position, unit in enumerate(units):
            cells = {}
            level = 0
            first = unit.part(handbook.languages[0])
            if isinstance(first, Heading):
                level = first.level
                section += 1
            for tag in handbook.languages:
                ctx = replace(contexts[tag], source_dir=chapter.versions[tag].path.parent)
                heading_id = None
                if level == 1 and position == 0:
                    heading_id = anchors[tag]
                elif level:
                    heading_id = f"sec-{chapter.name.removesuffix('.md')}-{section}--{tag}"
                cells[tag] = unit_html(unit, tag, ctx, heading_id)
            first_item = unit.kind == "item" and (unit.index == 0 or previous_kind != "item")
            views.append(UnitView(unit.kind, cells, level, first_item))
            previous_kind = unit.kind
        titles = {}
        plain = {}
        for tag in handbook.languages:
            blocks = chapter.versions[tag].blocks
            head = blocks[0] if blocks and isinstance(blocks[0], Heading) else None
            titles[tag] = inline_html(head.content, contexts[tag]) if head else Markup("")
            plain[tag] = plain_text(head.content, contexts[tag]) if head else chapter.name
        chapters.append(ChapterView(number, chapter.name, anchors, titles, plain, views))

    statutes = []
    for statute, articles in cited_articles(handbook):
        statutes.append(
            StatuteView(
                statute.id,
                {tag: statute.title.get(tag, "") for tag in handbook.languages},
                {tag: statute.translation.get(tag, "") for tag in handbook.languages},
                [
                    ArticleView(
                        {t: article_anchor(statute.id, a.key, t) for t in handbook.languages},
                        {t: article_heading(statute, a, t) for t in handbook.languages},
                        {t: a.paragraphs.get(t, ()) for t in handbook.languages},
                    )
                    for a in articles
                ],
            )
        )

    review = handbook.review
    colophon = {}
    for lang in languages:
        text = lang.text
        lines = []
        if review.law_as_at:
            lines.append(fill(text["law_as_at"], date=format_date(review.law_as_at, text)))
        if review.status == "reviewed" and review.reviewed_on:
            lines.append(
                fill(
                    text["status_reviewed"],
                    reviewer=review.reviewer,
                    date=format_date(review.reviewed_on, text),
                )
            )
        if review.next_review:
            lines.append(fill(text["next_review"], date=format_date(review.next_review, text)))
        colophon[lang.tag] = lines

    return {
        "id": handbook.id,
        "languages": languages,
        "first": languages[0],
        "title": handbook.title,
        "subtitle": handbook.subtitle,
        "publisher": handbook.publisher,
        "disclaimer": handbook.disclaimer,
        "edition": handbook.edition,
        "draft": review.status == "draft",
        "colophon": colophon,
        "contacts": handbook.contacts,
        "chapters": chapters,
        "statutes": statutes,
        "doc_title": " / ".join(handbook.title[t] for t in handbook.languages),
        "doc_author": " / ".join(dict.fromkeys(handbook.publisher[t] for t in handbook.languages)),
        "doc_description": " / ".join(
            handbook.subtitle[t] for t in handbook.languages if handbook.subtitle.get(t)
        ),
    }


# ---------------------------------------------------------------- Jinja


def css_string(value: object) -> Markup:
    """A CSS string literal, safe inside a <style> element."""
    escaped = []
    for char in str(value):
        if char in '"\\<>&' or ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\{ord(char):x} ")
        else:
            escaped.append(char)
    return Markup('"' + "".join(escaped) + '"')


def css_template(value: str, field: str = "page") -> tuple[Markup, Markup]:
    """Split `" (p. {page})"` around its placeholder into two CSS strings."""
    before, _, after = value.partition("{" + field + "}")
    return css_string(before), css_string(after)


def environment(theme: Theme) -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(folder / "templates") for folder in theme.folders]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["css_string"] = css_string
    env.filters["fill"] = fill
    env.filters["css_template"] = css_template
    env.filters["css_fonts"] = lambda families: Markup(", ".join(css_string(f) for f in families))
    env.filters["per_language"] = lambda texts, langs: " / ".join(texts[lang.tag] for lang in langs)
    env.filters["interface_text"] = lambda langs, name: " / ".join(
        dict.fromkeys(lang.text[name] for lang in langs)
    )
    return env


def render_html(
    handbook: Handbook,
    theme: Theme,
    layout: str,
    paper: str,
    created: datetime | None,
    edition: str = "standard",
    print_shop: bool = False,
) -> str:
    """The whole handbook as one HTML document for WeasyPrint."""
    if layout not in LAYOUTS or edition not in EDITIONS:
        raise ValueError(f"unknown layout {layout!r} or edition {edition!r}")
    env = environment(theme)
    view = book_view(handbook, theme, pdf_targets())
    common = {
        "book": view,
        "layout": layout,
        "paper": PAPERS[paper],
        "created": created,
        "xhtml": False,
        "print_edition": edition,
    }
    sheets = ["book.css", f"paper-{paper}.css", f"edition-{edition}.css"]
    if print_shop:
        sheets.append("print-shop.css")
    css = Markup("\n").join(
        [
            *(Markup(theme.stylesheets.get(name, "")) for name in sheets),
            Markup(render_template(env, "generated.css.j2", common)),
        ]
    )
    return render_template(env, "book.html.j2", common, css=css)


def render_template(env: Environment, name: str, context: Mapping[str, Any], **extra: Any) -> str:
    """Render a theme template; a broken template is a RenderError naming its file and line."""
    try:
        return env.get_template(name).render(context, **extra)
    except TemplateError as error:
        where = getattr(error, "filename", None) or name
        line = getattr(error, "lineno", None)
        if line is None:
            # Runtime errors carry the template position only in their traceback.
            tb = error.__traceback__
            while tb is not None:
                code = tb.tb_frame.f_code
                if code.co_filename.endswith(".j2"):
                    where, line = code.co_filename, tb.tb_lineno
                tb = tb.tb_next
        at = f"{where}:{line}" if line else where
        raise RenderError(f"{at}: template error: {error.message or error}") from None


def render_printing_sheet(
    handbook: Handbook,
    theme: Theme,
    sheet: Paper,
    booklets: Sequence[Mapping[str, object]],
) -> str:
    """HTML of the printing sheet: how to print the booklets, and a duplex test."""
    env = environment(theme)
    view = book_view(handbook, theme, pdf_targets())
    common = {
        "book": view,
        "layout": "printing",
        "paper": sheet,
        "created": None,
        "xhtml": False,
        "print_edition": "standard",
    }
    css = Markup("\n").join(
        [
            Markup(theme.stylesheets.get("printing.css", "")),
            Markup(render_template(env, "generated.css.j2", common)),
        ]
    )
    return render_template(env, "printing.html.j2", common, css=css, booklets=booklets)
