"""Clinic editions: every clinic's edition of a layout made from one shared body.

Takes a `Context` and a `PlannedOutput` of a clinic edition (kind `pdf` with a clinic);
gives its `Document`: the body every clinic of the layout shares, rendered once; the
clinics' tails, numbered on from the body's last page, rendered together in batches (one
WeasyPrint document a batch, bounded in size) once the body's page count is known; each
clinic's pages cut out of its batch and spliced onto the body (`EditionsWork`:
booklet.outputs.split, booklet.outputs.shared_fonts, booklet.outputs.splice).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

from booklet.build.cache import fingerprint
from booklet.build.pdfs import (
    BACK_COVER_ID,
    clinic_of,
    document_html,
    layout_name,
    right_to_left,
    watched_ids,
)
from booklet.build.records import Context, Document, Spliced
from booklet.build.workers import EditionsWork, PdfWork, Renderer

if TYPE_CHECKING:
    from booklet.build.plan import PlannedOutput
    from booklet.build.workers import Pending
    from booklet.outputs.pdf import RenderedPdf


def edition_document(context: Context, item: PlannedOutput) -> Document:
    """Every clinic's edition of a layout shares its body, rendered once; the clinics'
    tails, numbered on from the body's last page, are rendered together in batches
    (`_Editions`), and each clinic's pages spliced on (booklet.outputs.splice). The
    tail's first page is known once the body is laid out, so it is keyed with none."""
    from booklet.render.documents import numbered_tail, render_tail

    handbook, theme, spec = context.checked.handbook, context.theme, item.spec
    roots = (handbook.root, *theme.folders)
    rtl = right_to_left(context, spec)
    shared = (spec.layout, spec.paper, spec.language)
    body = context.shared.get(shared)
    if body is None:
        html = document_html(context, spec, None, "body")
        work = PdfWork(
            html, handbook.root, roots, context.created, watched_ids(context, item, html), rtl
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

    # Once, page numbers apart: they are known once the body is laid out, so the key
    # has none, and a batch's tails are numbered when it starts.
    html, css = render_tail(
        handbook,
        theme,
        layout_name(spec),
        spec.paper,
        spec.edition,
        spec.print_shop,
        clinic,
        spec.language,
    )
    watched = watched_ids(context, item, html, BACK_COVER_ID)

    def tail(first_page: int) -> PdfWork:
        return PdfWork(
            numbered_tail(html, first_page),
            handbook.root,
            roots,
            context.created,
            watched,
            rtl,
            css,
        )

    key = fingerprint("pdf", context.base_key, body.work.html, (html, css), context.stamp)
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
