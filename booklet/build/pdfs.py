"""How a planned PDF is made: its document and key, its work, and its result.

Takes a `Context` and a `PlannedOutput` of kind `pdf`; gives its `Document` (the whole
HTML rendered in a worker, re-rendered by its chapters in a draft (booklet.build.chapters:
its PDF then marked a draft, booklet.build.by_parts),
the facing layout's documents, or a clinic edition: booklet.build.editions) and turns a
rendered PDF into a `Result` (its pages, the page of each element an EPUB marks, and a
warning when the cover or the back cover runs over).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from booklet.build.cache import fingerprint
from booklet.build.chapters import PARTS, book_document
from booklet.build.plan import DocumentSpec, PlannedOutput, print_edition_spec
from booklet.build.records import Context, Document, Result
from booklet.build.workers import FacingWork, PdfWork
from booklet.errors import ConfigError, SourceLocation
from booklet.model import Clinic, Handbook
from booklet.render.parts import COVER_END_ID
from booklet.vocabulary import FACING_LANGUAGES, Layout

if TYPE_CHECKING:
    from booklet.render.documents import Part

ELEMENT_ID = re.compile(r'\sid="([^"]+)"')
"""An element's id in the HTML the templates write (attributes always in double quotes)."""

BACK_COVER_ID = "back-cover"
"""The id of the back cover's element, to tell whether it stayed on one page."""


def clinic_of(context: Context, spec: DocumentSpec) -> Clinic | None:
    """The clinic of a clinic edition's spec."""
    if spec.clinic is None:
        return None
    return next(c for c in context.checked.handbook.clinics if c.id == spec.clinic)


def layout_name(spec: DocumentSpec) -> str:
    """The layout the templates set: a `Layout`'s name, or `proof`."""
    assert spec.layout is not None
    return "proof" if spec.proof else spec.layout.value


def whole_html(context: Context, spec: DocumentSpec) -> str:
    """The whole HTML of a PDF (a clinic edition's too, as one document)."""
    if spec.proof:
        from booklet.render.documents import render_html

        return render_html(context.checked.handbook, context.theme, "proof", spec.paper, None)
    return document_html(context, spec, clinic_of(context, spec), "whole")


def document_html(context: Context, spec: DocumentSpec, clinic: Clinic | None, part: Part) -> str:
    """The HTML of a PDF of `spec`, or of a `part` of it (a clinic edition's body)."""
    from booklet.render.documents import render_html

    handbook, theme = context.checked.handbook, context.theme
    return render_html(
        handbook,
        theme,
        layout_name(spec),
        spec.paper,
        None,
        spec.edition,
        spec.print_shop,
        clinic,
        spec.language,
        part,
    )


def whole_key(context: Context, html: str) -> str:
    """The build cache's key of a PDF rendered from one whole HTML document."""
    return fingerprint("pdf", context.base_key, html, context.stamp)


def right_to_left(context: Context, spec: DocumentSpec) -> bool:
    handbook = context.checked.handbook
    first = spec.language or (handbook.languages[0] if handbook.languages else "")
    return context.theme.direction(first) == "rtl"  # a book's direction is its first language's


def watched_ids(context: Context, item: PlannedOutput, html: str, *more: str) -> tuple[str, ...]:
    """The ids whose pages the render tells: the cover's end, `more` (the back cover's),
    and every element's when this PDF is the print edition whose pages an EPUB marks
    (made now or later)."""
    spec = item.spec
    handbook = context.checked.handbook
    marks_epub = spec == print_edition_spec(handbook, spec.clinic, spec.language, spec.edition)
    watched = (COVER_END_ID, *more)
    return (*watched, *ELEMENT_ID.findall(html)) if marks_epub else watched


def pdf_document(context: Context, item: PlannedOutput) -> Document:
    """A PDF's document: its whole HTML, or a clinic edition's body and tail."""
    if item.spec.layout is Layout.FACING:
        return _facing_document(context, item)
    if item.spec.clinic is not None and not item.spec.proof:
        from booklet.build.editions import edition_document

        return edition_document(context, item)
    handbook = context.checked.handbook
    html = whole_html(context, item.spec)
    work = PdfWork(
        html,
        handbook.root,
        (handbook.root, *context.theme.folders),
        context.created,
        watched_ids(context, item, html, BACK_COVER_ID),
        right_to_left(context, item.spec),
    )
    return book_document(context, item, html, work, whole_key(context, html))


FACING_REFUSED = (
    "{handbook}: the facing layout shows two languages, one on each page of a spread, "
    "and this handbook has {count}; use --layout parallel, interleaved or sequential"
)


def _facing_document(context: Context, item: PlannedOutput) -> Document:
    """A PDF in the facing layout: its documents, laid out in step in one worker. A
    clinic's edition is laid out whole, not spliced onto a shared body."""
    from booklet.render.documents import render_facing

    handbook, spec = context.checked.handbook, item.spec
    if len(handbook.languages) != FACING_LANGUAGES:
        raise ConfigError(
            FACING_REFUSED.format(handbook=handbook.id, count=len(handbook.languages))
        )
    frame, sides = render_facing(
        handbook,
        context.theme,
        spec.paper,
        None,
        spec.edition,
        spec.print_shop,
        clinic_of(context, spec),
    )
    work = FacingWork(
        frame,
        sides,
        handbook.root,
        (handbook.root, *context.theme.folders),
        context.created,
        (COVER_END_ID, BACK_COVER_ID),
        right_to_left(context, spec),
    )
    return Document(fingerprint("pdf", context.base_key, frame, *sides, context.stamp), work)


BACK_COVER_RUNS_OVER = (
    "the back cover runs over one page on this paper; shorten the disclaimer or contact "
    "labels, or use a larger paper"
)


COVER_RUNS_OVER = (
    "the cover runs over one page on this paper; shorten {what}, or use a larger paper"
)


def cover_runs_over(handbook: Handbook) -> str:
    """The warning when the cover runs over: what to shorten, and where it is written."""

    def named(field: str, location: SourceLocation | None) -> str:
        return f"the {field} ({location or handbook.location})"

    what = [named("title", handbook.title_location)]
    if handbook.subtitle:
        what.insert(0, named("subtitle", handbook.subtitle_location))
    return COVER_RUNS_OVER.format(what=" or ".join(what))


def pdf_result(context: Context, rendered: Any, item: PlannedOutput) -> Result:
    """A rendered PDF's bytes and pages; the page of each element (an EPUB made later,
    when this PDF is unchanged, reads its page list from the record)."""
    back = rendered.anchor_pages.get(BACK_COVER_ID)
    # It must be the last page, and a verso (an even page, in either direction), to be
    # the outside of the fold: text past its one page breaks one or the other.
    over = rendered.pages % 2 or (back is not None and back != rendered.pages)
    # The cover is page 1: what runs over goes on the inside of the cover, or further.
    cover = rendered.anchor_pages.get(COVER_END_ID, 1) > 1
    warnings = [cover_runs_over(context.checked.handbook)] if cover else []
    return Result(
        rendered.data,
        rendered.pages,
        warnings=[*warnings, *([BACK_COVER_RUNS_OVER] if over else [])],
        summary={
            "anchors": dict(rendered.anchor_pages),
            **({PARTS: [list(part) for part in rendered.parts]} if rendered.parts else {}),
        },
    )
