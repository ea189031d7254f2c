"""The documents a PDF is made from: the whole handbook in a layout, and the printing sheet.

Takes the handbook, the theme, a layout (or the proof), a paper and an edition; gives one
HTML document with its CSS, for booklet.outputs.pdf.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Literal

from markupsafe import Markup

from booklet.model import Clinic, CopyOf, Handbook
from booklet.render.parts import numbering
from booklet.render.templates import environment, render_template, stylesheet
from booklet.render.view import book_view, pdf_targets
from booklet.themes.theme import Theme
from booklet.vocabulary import PAPERS, Edition, Layout, Paper

Part = Literal["whole", "body", "tail"]
"""Which pages of a book a document holds: all, all but the tail, or the tail."""


def render_html(
    handbook: Handbook,
    theme: Theme,
    layout: str,
    paper: str,
    created: datetime | None,
    edition: str = "standard",
    print_shop: bool = False,
    clinic: Clinic | None = None,
    only: str | None = None,
    part: Part = "whole",
    side: str | None = None,
) -> str:
    """The whole handbook as one HTML document for WeasyPrint; `only` (a language) makes
    the edition in that language (any layout shows one language as one book).

    Layout `proof` makes the translator's proof (parallel with marks); `clinic` makes
    that clinic's edition (its page of details and QR codes, its number on the back).
    `part` `body` is the book without its tail (the clinic's page and the back cover),
    `tail` the tail alone (`render_tail`): a clinic edition is the shared body with its
    own tail spliced on (booklet.outputs.splice). Layout `facing` is made of several documents
    (`render_facing`): `side`, a language's tag, makes that language's pages.
    """
    html, css = _document(
        handbook,
        theme,
        layout,
        paper,
        created,
        edition,
        print_shop,
        clinic,
        only,
        part,
        side,
    )
    return html.replace(_CSS_PLACE, css, 1)


def render_tail(
    handbook: Handbook,
    theme: Theme,
    layout: str,
    paper: str,
    edition: str,
    print_shop: bool,
    clinic: Clinic,
    only: str | None,
) -> tuple[str, str]:
    """A clinic edition's tail (its page and the back cover, as `render_html` makes
    it), its pages not yet numbered (`numbered_tail`: the body's page count says from
    where), and, apart, its stylesheet: the same for every clinic's tail of one layout,
    so a worker parses it once (booklet.outputs.pdf)."""
    html, css = _document(
        handbook, theme, layout, paper, None, edition, print_shop, clinic, only, "tail"
    )
    return html.replace(_CSS_PLACE, "", 1), css


def numbered_tail(tail: str, first_page: int) -> str:
    """A tail (`render_tail`) that goes on with the body's page numbers, from
    `first_page`, on the side of the page it takes the place of."""
    closing = tail.rfind("</head>")
    style = "<style>\n" + "\n".join(numbering(first_page)) + "\n</style>\n"
    return tail[:closing] + style + tail[closing:]


_CSS_PLACE = Markup("<!--booklet:css-->")
"""Where a document's stylesheet goes, when it goes in the document (no text of the
handbook can hold it: the templates escape its `<`)."""


def _document(
    handbook: Handbook,
    theme: Theme,
    layout: str,
    paper: str,
    created: datetime | None,
    edition: str,
    print_shop: bool,
    clinic: Clinic | None,
    only: str | None,
    part: Part,
    side: str | None = None,
) -> tuple[str, str]:
    """A book's HTML with `_CSS_PLACE` for its stylesheet, and the stylesheet."""
    if layout not in (*Layout, "proof") or edition not in list(Edition):
        raise ValueError(f"unknown layout {layout!r} or edition {edition!r}")
    env = environment(theme)
    view = book_view(
        handbook,
        theme,
        pdf_targets(handbook),
        layout == "proof",
        clinic,
        only,
        contents=part != "tail",
    )
    common = {
        "book": view,
        "layout": layout,
        "paper": PAPERS[paper],
        "created": created,
        "xhtml": False,
        "print_edition": edition,
        "part": part,
        "side": side,
        # A clinic's page on facing pages: a page in each language, from a view in one.
        "side_book": (
            book_view(handbook, theme, pdf_targets(handbook), False, clinic, side, False)
            if side and clinic
            else None
        ),
        "copy_id": CopyOf(
            handbook.id,
            "pdf",
            layout,
            paper,
            edition,
            print_shop,
            clinic.id if clinic else "",
            only or "",
        ).text(),
    }
    sheets = ["book.css", f"paper-{paper}.css", f"edition-{edition}.css"]
    if print_shop:
        sheets.append("print-shop.css")
    if layout == "proof":
        sheets.append("proof.css")
    css = stylesheet(theme, sheets, render_template(env, "generated.css.j2", common))
    return render_template(env, "book.html.j2", common, css=_CSS_PLACE), css


def render_facing(
    handbook: Handbook,
    theme: Theme,
    paper: str,
    created: datetime | None,
    edition: str = "standard",
    print_shop: bool = False,
    clinic: Clinic | None = None,
) -> tuple[str, tuple[str, ...]]:
    """The documents of the facing layout: the pages in every language (the cover, then
    the back cover), and each language's pages (a clinic's page last), the first
    language's first (booklet.outputs.facing lays them out in step and interleaves them)."""
    facing = Layout.FACING.value
    frame = render_html(handbook, theme, facing, paper, created, edition, print_shop, clinic)
    sides = tuple(
        render_html(
            handbook,
            theme,
            facing,
            paper,
            created,
            edition,
            print_shop,
            clinic,
            side=language,
        )
        for language in handbook.languages
    )
    return frame, sides


def render_printing_sheet(
    handbook: Handbook,
    theme: Theme,
    sheet: Paper,
    booklets: Sequence[Mapping[str, object]],
    everyday: str | None = None,
) -> str:
    """HTML of the printing sheet: how to print the booklets, and a duplex test;
    `everyday` names the booklet's file to print for everyday use (of several)."""
    env = environment(theme)
    view = book_view(handbook, theme, pdf_targets(handbook))
    common = {
        "book": view,
        "layout": "printing",
        "paper": sheet,
        "created": None,
        "xhtml": False,
        "print_edition": "standard",
        "part": "whole",
        "side": None,
        "side_book": None,
        "copy_id": CopyOf(handbook.id, "pdf", "printing", sheet.name).text(),
    }
    css = stylesheet(theme, ["printing.css"], render_template(env, "generated.css.j2", common))
    return render_template(
        env, "printing.html.j2", common, css=css, booklets=booklets, everyday=everyday
    )
