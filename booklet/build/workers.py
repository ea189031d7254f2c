"""Where the expensive steps run: PDF renders and EPUB packaging, in worker processes.

Takes self-contained pieces of work (`PdfWork`: an HTML document and the folders it may
read; `FacingWork`: the documents of the facing layout, laid out in step and
interleaved; `EditionsWork`: clinic editions' tails to render as one PDF, cut apart and
spliced onto their body; `PageMapWork`: a document laid out only for the pages its
elements start on; `EpubWork`: an EPUB's pages, images and font cuts) and gives their
results, in a pool of worker
processes shared by every handbook of a build (`--jobs`), or in this process with one
job. The pool is given no more work than it has workers; the rest waits here, and this
process, when it must wait for a result, makes waiting work itself: three PDFs on two
workers then take about half their sum, not two renders' time. On Linux the workers are
forked after WeasyPrint is imported, so none pays that import again; elsewhere each
imports it once, at start. A worker ignores Ctrl-C (this process stops them and rolls
back), and any failure or interruption stops every worker before the error goes on.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from booklet.errors import BookletError

if TYPE_CHECKING:
    from booklet.outputs.epub import EmbeddedFont, EpubDraft
    from booklet.outputs.page_list import PrintPages
    from booklet.outputs.pdf import RenderedPdf

T = TypeVar("T")


@dataclass(frozen=True)
class PdfWork:
    """One PDF to render: its whole HTML document (CSS and images inline)."""

    html: str
    base: Path
    """The folder relative URLs start from (the handbook's)."""
    roots: tuple[Path, ...]
    """The only folders it may read files from."""
    created: datetime | None = None
    """The date written into the PDF's metadata."""
    watched: tuple[str, ...] = ()
    """Element ids whose page the result tells."""
    right_to_left: bool = False
    """The book reads from right to left."""
    stylesheet: str = ""
    """CSS given apart from the HTML (parsed once per worker for every document with it)."""

    def __call__(self) -> RenderedPdf:
        from booklet.outputs.pdf import render_pdf

        return render_pdf(
            self.html,
            self.base,
            self.roots,
            self.created,
            self.watched,
            self.right_to_left,
            self.stylesheet,
        )


@dataclass(frozen=True)
class FacingWork:
    """One PDF in the facing layout: its documents laid out in step and interleaved."""

    frame: str
    """The pages in every language (the cover, the last pages)."""
    sides: tuple[str, ...]
    """Each language's pages."""
    base: Path
    roots: tuple[Path, ...]
    created: datetime | None = None
    watched: tuple[str, ...] = ()
    right_to_left: bool = False

    def __call__(self) -> RenderedPdf:
        from booklet.outputs.facing import FacingDocuments, render_facing

        documents = FacingDocuments(self.frame, self.sides)
        return render_facing(
            documents, self.base, self.roots, self.created, self.watched, self.right_to_left
        )


@dataclass(frozen=True)
class EditionsWork:
    """Clinic editions of one layout: their tails rendered as one PDF (each face subset
    once, with the body's glyphs: booklet.outputs.shared_fonts), then each clinic's pages
    cut out (booklet.outputs.split) and spliced onto the shared body."""

    body: RenderedPdf
    """The body, rendered."""
    tails: tuple[PdfWork, ...]
    """Each clinic's tail, its pages numbered on from the body's (the same folders,
    date, direction and stylesheet)."""

    def __call__(self) -> list[RenderedPdf]:
        from booklet.outputs import shared_fonts
        from booklet.outputs.pdf import render_pdfs
        from booklet.outputs.splice import splice_pdf
        from booklet.outputs.split import own_pages

        first = self.tails[0]
        body = shared_fonts.batch_glyphs(self.body.data)
        if body is None:  # its tails' fonts will not be cut either (see below): one by one
            body = shared_fonts.glyphs_of(self.body.data)
            if len(self.tails) > 1:
                return [made for tail in self.tails for made in EditionsWork(self.body, (tail,))()]
        with shared_fonts.including(body):
            data, laid = render_pdfs(
                [tail.html for tail in self.tails],
                first.base,
                first.roots,
                first.created,
                first.right_to_left,
                first.stylesheet,
            )
        batch = shared_fonts.batch_glyphs(data)
        if batch is None and len(self.tails) > 1:
            # A font with codes of its own (booklet.outputs.text_layer) cannot be cut to
            # one clinic's glyphs: each tail alone, so no edition depends on the others.
            return [made for tail in self.tails for made in EditionsWork(self.body, (tail,))()]
        made: list[RenderedPdf] = []
        cuts = shared_fonts.Cuts()
        for index, (tail, own) in enumerate(zip(self.tails, laid, strict=True)):
            with own_pages(data, laid, index) as cut:
                if batch is None:
                    spliced = splice_pdf(self.body.data, cut)
                else:
                    fonts = (body, shared_fonts.cut_to_own(cut, body, batch, cuts))
                    spliced = splice_pdf(self.body.data, cut, fonts)
            made.append(self._edition(spliced, tail, own.pages, own.anchors))
        return made

    def _edition(
        self, data: bytes, tail: PdfWork, pages: int, anchors: Mapping[str, int]
    ) -> RenderedPdf:
        from booklet.outputs.pdf import RenderedPdf

        watched = set(tail.watched)
        before = self.body.pages
        return RenderedPdf(
            data,
            before + pages,
            {
                **self.body.anchor_pages,
                **{name: before + page for name, page in anchors.items() if name in watched},
            },
        )


@dataclass(frozen=True)
class PageMapWork:
    """The pages of an EPUB's print edition, laid out without writing its PDF."""

    html: str
    base: Path
    roots: tuple[Path, ...]
    watched: tuple[str, ...]
    source: str
    """The PDF's file name."""

    def __call__(self) -> PrintPages:
        from booklet.outputs.page_list import PrintPages
        from booklet.outputs.pdf import lay_out

        pages, starts = lay_out(self.html, self.base, self.roots, self.watched)
        return PrintPages(self.source, pages, starts)


@dataclass(frozen=True)
class EpubWork:
    """One EPUB to package: its fonts cut, its files zipped."""

    draft: EpubDraft

    def __call__(self) -> tuple[bytes, list[EmbeddedFont]]:
        from booklet.outputs.epub import package_epub

        return package_epub(self.draft)


def usable_cpus() -> int:
    """The CPUs this process may run on (a container's limit, not the machine's count)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


class Pending(Generic[T]):
    """A result on its way: `result()` waits for it (or, with one job, makes it)."""

    def __init__(
        self,
        work: Callable[[], T],
        future: Future[tuple[T, float]] | None,
        renderer: Renderer | None = None,
    ) -> None:
        self._work = work
        self._future = future
        self._renderer = renderer
        self._made: tuple[T, float] | None = None
        self.seconds = 0.0
        """How long the work itself took, once `result()` has returned."""

    def result(self) -> T:
        """The work's result; made once, however often it is asked for (a PDF and the
        EPUB that marks its pages wait for the same render)."""
        if self._made is None:
            if self._future is None:
                self._made = _run(self._work)
            else:
                if self._renderer is not None:
                    self._renderer.help_while_waiting(self._future)
                self._made = self._future.result()
        made, self.seconds = self._made
        return made


def _run(work: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    made = work()
    return made, time.perf_counter() - start


def _run_into(work: Callable[[], Any], future: Future[Any]) -> None:
    """Make `work` here and settle `future` with it; a BookletError is kept for whoever
    waits for it (as from a worker), anything else (a bug, Ctrl-C) goes on at once."""
    try:
        future.set_result(_run(work))
    except BookletError as error:
        future.set_exception(error)


def _start_worker(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C for all
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    _end_with(parent)
    import booklet.outputs.pdf  # noqa: F401  (once per worker, when not forked with it)


def _end_with(parent: int) -> None:
    """End this worker when its parent ends, even by SIGKILL (nothing would stop it, and
    it would hold the parent's output open)."""
    if sys.platform == "linux":
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the call
            os._exit(1)
        return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


class Renderer:
    """Runs work in this process (`jobs=1`) or in a pool started on first use."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None
        self._waiting: deque[tuple[Callable[[], Any], Future[Any]]] = deque()
        self._busy = 0
        """Work handed to the pool and not finished."""
        self._lock = threading.Lock()

    def submit(self, work: Callable[[], T], worker: bool = True) -> Pending[T]:
        """Start `work` in a worker when there are several jobs; `worker=False` keeps work
        that takes a fraction of a second here, made when it is waited for (a worker
        would cost the import of WeasyPrint, to a build that needs none)."""
        if self.jobs <= 1:
            return Pending(work, None)
        future: Future[tuple[T, float]] = Future()
        if not worker:  # made now, while the workers render what came before it
            _run_into(work, future)
            return Pending(work, future)
        if self._pool is None:
            self._pool = self._start()
        with self._lock:
            self._waiting.append((work, future))
        self._hand_on()
        return Pending(work, future, self)

    def _hand_on(self) -> None:
        """Give waiting work to the pool while it has an idle worker."""
        while True:
            with self._lock:
                pool = self._pool
                if pool is None or self._busy >= self.jobs or not self._waiting:
                    return
                work, future = self._waiting.popleft()
                self._busy += 1
            try:
                pool.submit(_run, work).add_done_callback(partial(self._finished, future=future))
            except RuntimeError as error:  # the pool was stopped meanwhile (an error, a signal)
                future.set_exception(error)

    def _finished(self, done: Future[Any], *, future: Future[Any]) -> None:
        # Runs in the pool's own thread; an exception here would be lost, so none is raised.
        if future.done():  # cancelled by `stop`
            pass
        elif done.cancelled():
            future.cancel()
        elif (error := done.exception()) is not None:
            future.set_exception(error)
        else:
            future.set_result(done.result())
        with self._lock:
            self._busy -= 1
        self._hand_on()

    def help_while_waiting(self, awaited: Future[Any]) -> None:
        """Until `awaited` is settled, make work the pool has not started, here."""
        while not awaited.done():
            with self._lock:
                if not self._waiting:
                    return
                work, future = self._waiting.popleft()
            _run_into(work, future)

    def _start(self) -> ProcessPoolExecutor:
        import booklet.outputs.pdf  # noqa: F401  (imported here, so forked workers share it)

        method = "fork" if sys.platform == "linux" else "spawn"
        return ProcessPoolExecutor(
            self.jobs,
            multiprocessing.get_context(method),
            initializer=_start_worker,
            initargs=(os.getpid(),),
        )

    def stop(self, now: bool) -> None:
        """Let the workers go; `now` stops them mid-work (after an error or a signal)."""
        with self._lock:
            pool, self._pool = self._pool, None
            left, self._waiting = list(self._waiting), deque()
        for _work, future in left:
            future.cancel()
        if pool is None:
            return
        if now:
            # concurrent.futures has no way to stop a running task before Python 3.14.
            processes: Sequence[Any] = list(getattr(pool, "_processes", {}).values())
            for process in processes:
                process.terminate()
            pool.shutdown(wait=True, cancel_futures=True)
        else:
            pool.shutdown(wait=True)


@contextmanager
def renderer(jobs: int) -> Iterator[Renderer]:
    """A `Renderer` for one command; its workers are stopped when it ends, at once when it
    ends with an error or a signal."""
    made = Renderer(jobs)
    try:
        yield made
    except BaseException:
        made.stop(now=True)
        raise
    made.stop(now=False)
