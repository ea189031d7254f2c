"""The documents a PDF is made from: the whole handbook in a layout, and the printing sheet.

Takes the handbook, the theme, a layout (or the proof), a paper and an edition; gives one
HTML document with its CSS, for booklet.outputs.pdf.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Literal

from booklet.model import Clinic, Handbook
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
    first_page: int = 1,
) -> str:
    """The whole handbook as one HTML document for WeasyPrint; `only` (a language) makes
    the edition in that language (any layout shows one language as one book).

    Layout `proof` makes the translator's proof (parallel with marks); `clinic` makes
    that clinic's edition (its page of details and QR codes, its number on the back).
    `part` `body` is the book without its tail (the clinic's page and the back cover),
    `tail` the tail alone, its pages numbered from `first_page` and starting on that
    page's side: a clinic edition is the shared body with its own tail spliced on
    (booklet.outputs.splice).
    """
    if layout not in (*Layout, "proof") or edition not in list(Edition):
        raise ValueError(f"unknown layout {layout!r} or edition {edition!r}")
    env = environment(theme)
    view = book_view(handbook, theme, pdf_targets(handbook), layout == "proof", clinic, only,
                     contents=part != "tail")  # fmt: skip
    common = {
        "book": view,
        "layout": layout,
        "paper": PAPERS[paper],
        "created": created,
        "xhtml": False,
        "print_edition": edition,
        "part": part,
        "first_page": first_page,
    }
    sheets = ["book.css", f"paper-{paper}.css", f"edition-{edition}.css"]
    if print_shop:
        sheets.append("print-shop.css")
    if layout == "proof":
        sheets.append("proof.css")
    css = stylesheet(theme, sheets, render_template(env, "generated.css.j2", common))
    return render_template(env, "book.html.j2", common, css=css)


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
        "first_page": 1,
    }
    css = stylesheet(theme, ["printing.css"], render_template(env, "generated.css.j2", common))
    return render_template(env, "printing.html.j2", common, css=css, booklets=booklets,
                           everyday=everyday)  # fmt: skip
