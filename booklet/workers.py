"""Where the expensive steps run: PDF renders and EPUB packaging, in worker processes.

Takes self-contained pieces of work (`PdfWork`: an HTML document and the folders it may
read; `EditionWork`: a clinic edition's tail to render and splice onto its body;
`EpubWork`: an EPUB's pages, images and font cuts) and gives their results, in a pool of
worker processes shared by every handbook of a build (`--jobs`), or in this
process with one job. On Linux the workers are forked after WeasyPrint is imported, so
none pays that import again; elsewhere each imports it once, at start. A worker ignores
Ctrl-C (this process stops them and rolls back), and any failure or interruption stops
every worker before the error goes on.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from booklet.errors import BookletError

if TYPE_CHECKING:
    from booklet.outputs.epub import EmbeddedFont, EpubDraft
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

        return render_pdf(self.html, self.base, self.roots, self.created, self.watched,
                          self.right_to_left, self.stylesheet)  # fmt: skip


@dataclass(frozen=True)
class EditionWork:
    """One clinic edition: its tail rendered and spliced onto its shared body."""

    body: bytes
    """The body's PDF."""
    body_pages: int
    tail: PdfWork
    """The tail, its pages numbered on from the body's."""

    def __call__(self) -> RenderedPdf:
        from booklet.outputs.pdf import RenderedPdf
        from booklet.outputs.splice import splice_pdf

        tail = self.tail()
        anchors = {name: self.body_pages + page for name, page in tail.anchor_pages.items()}
        data = splice_pdf(self.body, tail.data)
        return RenderedPdf(data, self.body_pages + tail.pages, anchors)


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

    def __init__(self, work: Callable[[], T], future: Future[tuple[T, float]] | None) -> None:
        self._work = work
        self._future = future
        self.seconds = 0.0
        """How long the work itself took, once `result()` has returned."""

    def result(self) -> T:
        made, self.seconds = _run(self._work) if self._future is None else self._future.result()
        return made


def _run(work: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    made = work()
    return made, time.perf_counter() - start


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

    def submit(self, work: Callable[[], T], worker: bool = True) -> Pending[T]:
        """Start `work` in a worker when there are several jobs; `worker=False` keeps work
        that takes a fraction of a second here, made when it is waited for (a worker
        would cost the import of WeasyPrint, to a build that needs none)."""
        if self.jobs <= 1:
            return Pending(work, None)
        if not worker:  # made now, while the workers render what came before it
            future: Future[tuple[T, float]] = Future()
            try:
                future.set_result(_run(work))
            except BookletError as error:  # raised where it is waited for, as from a worker
                future.set_exception(error)
            return Pending(work, future)
        if self._pool is None:
            self._pool = self._start()
        return Pending(work, self._pool.submit(_run, work))

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
        pool, self._pool = self._pool, None
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
