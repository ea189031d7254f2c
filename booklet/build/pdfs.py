"""How a planned PDF is made: its document and key, its work, and its result.

Takes a `Context` and a `PlannedOutput` of kind `pdf`; gives its `Document` (the whole
HTML rendered in a worker, or a clinic edition: the body every clinic of a layout shares,
rendered once, with the clinic's own tail spliced on) and turns a rendered PDF into a
`Result` (its pages, the page of each element an EPUB marks, and a warning when the back
cover runs over).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from booklet.build.cache import fingerprint
from booklet.build.chapters import PARTS, book_document
from booklet.build.plan import DocumentSpec, PlannedOutput, print_edition_spec
from booklet.build.records import Context, Document, Result
from booklet.build.workers import EditionWork, PdfWork, Renderer
from booklet.model import Clinic

if TYPE_CHECKING:
    from booklet.build.workers import Pending
    from booklet.outputs.pdf import RenderedPdf
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
    return _html(context, spec, clinic_of(context, spec), "whole")


def _html(context: Context, spec: DocumentSpec, clinic: Clinic | None, part: Part) -> str:
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


def _right_to_left(context: Context, spec: DocumentSpec) -> bool:
    handbook = context.checked.handbook
    first = spec.language or (handbook.languages[0] if handbook.languages else "")
    return context.theme.direction(first) == "rtl"  # a book's direction is its first language's


def _watched(context: Context, item: PlannedOutput, html: str, *more: str) -> tuple[str, ...]:
    """The ids whose pages the render tells: the back cover's, and every element's when
    this PDF is the print edition whose pages an EPUB marks (made now or later)."""
    spec = item.spec
    handbook = context.checked.handbook
    marks_epub = spec == print_edition_spec(handbook, spec.clinic, spec.language, spec.edition)
    return (*more, *ELEMENT_ID.findall(html)) if marks_epub else more


def pdf_document(context: Context, item: PlannedOutput) -> Document:
    """A PDF's document: its whole HTML, or a clinic edition's body and tail."""
    if item.spec.clinic is not None and not item.spec.proof:
        return _edition_document(context, item)
    handbook = context.checked.handbook
    html = whole_html(context, item.spec)
    work = PdfWork(
        html,
        handbook.root,
        (handbook.root, *context.theme.folders),
        context.created,
        _watched(context, item, html, BACK_COVER_ID),
        _right_to_left(context, item.spec),
    )
    return book_document(context, item, html, work, whole_key(context, html))


def _edition_document(context: Context, item: PlannedOutput) -> Document:
    """Every clinic's edition of a layout shares its body, rendered once; each renders only
    its tail, numbered on from the body's last page, and splices it on
    (booklet.outputs.splice). The tail's first page is known once the body is laid out,
    so it is keyed with none."""
    from booklet.render.documents import render_tail

    handbook, theme, spec = context.checked.handbook, context.theme, item.spec
    roots = (handbook.root, *theme.folders)
    rtl = _right_to_left(context, spec)
    shared = (spec.layout, spec.paper, spec.language)
    body = context.shared.get(shared)
    if body is None:
        html = _html(context, spec, None, "body")
        work = PdfWork(
            html, handbook.root, roots, context.created, _watched(context, item, html), rtl
        )
        body = context.shared[shared] = _Body(context.renderer, work)
    clinic = clinic_of(context, spec)
    assert clinic is not None

    def tail_document(first_page: int) -> tuple[str, str]:
        return render_tail(
            handbook,
            theme,
            layout_name(spec),
            spec.paper,
            spec.edition,
            spec.print_shop,
            clinic,
            spec.language,
            first_page,
        )

    def tail(first_page: int) -> PdfWork:
        html, css = tail_document(first_page)
        return PdfWork(
            html,
            handbook.root,
            roots,
            context.created,
            _watched(context, item, html, BACK_COVER_ID),
            rtl,
            css,
        )

    key = fingerprint("pdf", context.base_key, body.work.html, tail_document(0), context.stamp)
    return Document(key, _no_work, _Spliced(body, tail))


def _no_work() -> None:
    raise AssertionError("a clinic edition is spliced, not rendered whole")


class _Body:
    """The body every clinic's edition of one layout shares, rendered once."""

    def __init__(self, renderer: Renderer, work: PdfWork) -> None:
        self.work = work
        self._pending = renderer.submit(work)
        self._rendered: RenderedPdf | None = None

    def result(self) -> RenderedPdf:
        """The rendered body (waited for, or with one job made, the first time only)."""
        if self._rendered is None:
            self._rendered = self._pending.result()
        return self._rendered


class _Spliced:
    """One clinic edition on its way: its shared body, then its own tail spliced on."""

    def __init__(self, body: _Body, tail: Callable[[int], PdfWork]) -> None:
        self.body = body
        self.tail = tail
        """The tail's work, given its first page's number."""
        self._pending: Pending[RenderedPdf] | None = None
        self.seconds = 0.0
        """How long the tail and the splice took, once `result()` has returned."""

    def start(self, renderer: Renderer) -> None:
        """Wait for the body, then start the tail and the splice in a worker."""
        body = self.body.result()
        self._pending = renderer.submit(EditionWork(body, self.tail(body.pages + 1)))

    def result(self) -> RenderedPdf:
        """The whole edition; `start` was called."""
        assert self._pending is not None
        made = self._pending.result()
        self.seconds = self._pending.seconds
        return made


BACK_COVER_RUNS_OVER = (
    "the back cover runs over one page on this paper; shorten the disclaimer or contact "
    "labels, or use a larger paper"
)


def pdf_result(rendered: Any, item: PlannedOutput) -> Result:
    """A rendered PDF's bytes and pages; the page of each element (an EPUB made later,
    when this PDF is unchanged, reads its page list from the record)."""
    back = rendered.anchor_pages.get(BACK_COVER_ID)
    # It must be the last page, and a verso (an even page, in either direction), to be
    # the outside of the fold: text past its one page breaks one or the other.
    over = rendered.pages % 2 or (back is not None and back != rendered.pages)
    return Result(
        rendered.data,
        rendered.pages,
        warnings=[BACK_COVER_RUNS_OVER] if over else [],
        summary={
            "anchors": dict(rendered.anchor_pages),
            **({PARTS: [list(part) for part in rendered.parts]} if rendered.parts else {}),
        },
    )
