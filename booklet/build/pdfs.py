"""How a planned PDF is made: its document and key, its work, and its result.

Takes a `Context` and a `PlannedOutput` of kind `pdf`; gives its `Document` (the whole
HTML rendered in a worker, or a clinic edition: the body every clinic of a layout shares,
rendered once, with the clinic's own tail spliced on, its tail rendered in a batch with
other clinics') and turns a rendered PDF into a `Result` (its pages, the page of each
element an EPUB marks, and a warning when the back cover runs over).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from booklet.build.cache import fingerprint
from booklet.build.chapters import PARTS, book_document
from booklet.build.plan import DocumentSpec, PlannedOutput, print_edition_spec
from booklet.build.records import Context, Document, Result, Spliced
from booklet.build.workers import EditionsWork, FacingWork, PdfWork, Renderer
from booklet.errors import ConfigError
from booklet.model import Clinic
from booklet.vocabulary import FACING_LANGUAGES, Layout

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
    if item.spec.layout is Layout.FACING:
        return _facing_document(context, item)
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
        (BACK_COVER_ID,),
        _right_to_left(context, spec),
    )
    return Document(fingerprint("pdf", context.base_key, frame, *sides, context.stamp), work)


def _edition_document(context: Context, item: PlannedOutput) -> Document:
    """Every clinic's edition of a layout shares its body, rendered once; the clinics'
    tails, numbered on from the body's last page, are rendered together in batches
    (`_Editions`), and each clinic's pages spliced on (booklet.outputs.splice). The
    tail's first page is known once the body is laid out, so it is keyed with none."""
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
    batched = ("editions", *shared, spec.edition, spec.print_shop)
    editions = context.shared.get(batched)
    if editions is None:
        # A print-shop PDF's slug names its clinic on every page: one tail a document.
        most = 1 if spec.print_shop else TAILS_PER_DOCUMENT
        editions = context.shared[batched] = _Editions(body, most, context.spliced)
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
    return Document(key, _no_work, _Spliced(editions, tail))


def _no_work() -> None:
    raise AssertionError("a clinic edition is spliced, not rendered whole")


TAILS_PER_DOCUMENT = 20
"""The most clinics' tails rendered as one document: memory stays bounded (a batch of
tails and its spliced editions, about 1 MB each, live in a worker at once) at any number
of clinics, and a few batches keep every worker busy."""


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


class _Batch:
    """Some clinics' editions of one layout, made by one `EditionsWork`."""

    def __init__(self, pending: Pending[list[RenderedPdf]], count: int) -> None:
        self._pending = pending
        self._made: list[RenderedPdf | None] | None = None
        self.count = count

    def result(self, index: int) -> tuple[RenderedPdf, float]:
        """Edition `index`'s PDF and its share of the batch's time; the batch lets each go
        once handed on (to its `_Spliced`)."""
        if self._made is None:
            # The list the pending result holds too: emptied here, its PDFs are let go.
            self._made = cast("list[RenderedPdf | None]", self._pending.result())
        made = self._made[index]
        assert made is not None, "a clinic edition is handed on once"
        self._made[index] = None
        return made, self._pending.seconds / self.count


class _Editions:
    """Every clinic edition of one layout in this build, split into batches when the
    first starts (all are planned by then): as many batches as workers, or a multiple of
    them so that none holds more than `most` tails, in the order planned."""

    def __init__(self, body: _Body, most: int, made: list[Spliced]) -> None:
        self.body = body
        self.most = most
        self.made = made
        """The build's editions to splice (those its cache does not have already)."""
        self.waiting: list[_Spliced] = []

    def start(self, renderer: Renderer) -> None:
        """Wait for the body, then start the batches of every edition not started that
        the build makes."""
        made = {id(edition) for edition in self.made}
        editions = [edition for edition in self.waiting if id(edition) in made]
        self.waiting = [edition for edition in self.waiting if id(edition) not in made]
        if not editions:
            return
        body = self.body.result()
        for batch in batches(editions, self.most, renderer.jobs):
            work = EditionsWork(body, tuple(e.tail(body.pages + 1) for e in batch))
            started = _Batch(renderer.submit(work), len(batch))
            for index, edition in enumerate(batch):
                edition.batch = (started, index)


T = TypeVar("T")


def batches(items: list[T], most: int, workers: int) -> list[list[T]]:
    """`items` in order, in batches of at most `most`, as even as can be, as many as a
    multiple of `workers` (while there are items enough): no worker is left idle while
    another does a last batch alone."""
    count = -(-len(items) // max(1, most))
    count = min(len(items), -(-count // max(1, workers)) * max(1, workers))
    size, extra = divmod(len(items), max(1, count))
    made, start = [], 0
    for n in range(count):
        end = start + size + (1 if n < extra else 0)
        made.append(items[start:end])
        start = end
    return made


class _Spliced:
    """One clinic edition on its way: its shared body, then its own tail spliced on."""

    def __init__(self, editions: _Editions, tail: Callable[[int], PdfWork]) -> None:
        self.editions = editions
        self.tail = tail
        """The tail's work, given its first page's number."""
        self.batch: tuple[_Batch, int] | None = None
        self._made: RenderedPdf | None = None
        self.seconds = 0.0
        """Its share of its batch's time (tails, cutting and splices), once `result()`
        has returned."""
        editions.waiting.append(self)

    def start(self, renderer: Renderer) -> None:
        """Wait for the body, then start this edition's batch (and the others')."""
        self.editions.start(renderer)

    def result(self) -> RenderedPdf:
        """The whole edition; `start` was called. Kept here once made (the EPUB that marks
        its pages asks again), not in the batch: it goes with this edition."""
        if self._made is None:
            assert self.batch is not None
            batch, index = self.batch
            self._made, self.seconds = batch.result(index)
        return self._made


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
