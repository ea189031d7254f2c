"""Re-rendering a book by its parts: the works that make it (booklet.build.chapters
chooses them).

Takes a book's parts as booklet.render.parts cuts its HTML, the record of the book as
last made and its bytes; gives the book as a `RenderedPdf` with its parts noted for the
next build:

- `WholeWork`: rendered whole, in one worker;
- `PartsWork`: the changed parts rendered again, consecutive ones as one document (a
  run), one run after the other in one worker, and put in place of their old pages
  (booklet.outputs.replace); when a page count changes, the parts whose first page or
  targets' pages moved are rendered again, in rounds, while what is left to render,
  shared by the workers, is less than half the book, else the book is rendered whole;
- `ByParts`: the same with the runs side by side in the workers (a long run cut so that
  each worker has about as many pages), spliced in the main process.

What a `PartsWork` makes is a draft (`booklet build --draft`, `watch`), and says so in its
XMP (booklet.outputs.identity.mark_draft, written with the splice's one save), even when
it falls back to a whole render: `booklet identify` tells it from the copy to hand out.

Why the workers count: a whole book is one document, laid out in one worker, while its
parts are laid out side by side. A part costs about what its pages cost in the whole
book, plus a document's start (about 0.3 s: the stylesheet, the fonts' subsets): so a
paragraph that moves every page after it, in a book whose chapters all cite its legal
basis, costs about half a whole render with two workers, and is rendered whole with one.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING

from booklet.build.cache import fingerprint
from booklet.build.workers import PdfWork

if TYPE_CHECKING:
    from booklet.build.workers import Renderer
    from booklet.outputs.pdf import RenderedPdf
    from booklet.outputs.replace import NewPart
    from booklet.render.parts import BookParts

_LOG = logging.getLogger(__name__)

MOST_CHANGED = 0.5
"""The share of a book's pages, per worker, above which rendering it whole is the
cheaper."""

ROUNDS = 3
"""Rounds of re-rendering the parts a moved page changes, before rendering whole."""

PartRecord = tuple[str, int, int]
"""A part of a book as recorded: its key, its first page (1-based) and its page count."""


@dataclass(frozen=True)
class Outline:
    """What a book's parts are, from its HTML: what a part's key is made of."""

    contents: tuple[str, ...]
    """Each part's key but for its pages: its HTML and the book's head, booklet's code."""
    first_ids: tuple[str, ...]
    """Each part's first element id, whose page is the part's first ("" for none)."""
    targets: tuple[tuple[str, ...], ...]
    """The ids each part's links point at."""

    def keys(self, firsts: Sequence[int], anchors: Mapping[str, int]) -> tuple[str, ...]:
        """Each part's key, given its first page and the pages of the book's targets."""
        return tuple(
            fingerprint(content, first, {t: anchors.get(t, 0) for t in targets})
            for content, first, targets in zip(self.contents, firsts, self.targets, strict=True)
        )

    def parts(self, rendered: RenderedPdf) -> tuple[PartRecord, ...]:
        """The parts of a book rendered whole (none when a part's first page is unknown)."""
        firsts = [rendered.anchor_pages.get(name, 0) if name else 0 for name in self.first_ids]
        if not firsts or firsts[0] != 1 or any(b <= a for a, b in itertools.pairwise(firsts)):
            return ()
        ends = [*firsts[1:], rendered.pages + 1]
        keys = self.keys(firsts, rendered.anchor_pages)
        return tuple(
            (key, first, end - first) for key, first, end in zip(keys, firsts, ends, strict=True)
        )


@dataclass(frozen=True)
class WholeWork:
    """A book rendered whole, its parts noted for the next build."""

    work: PdfWork
    outline: Outline

    def __call__(self) -> RenderedPdf:
        rendered = self.work()
        return dataclasses.replace(rendered, parts=self.outline.parts(rendered))


Run = tuple[int, ...]
"""Consecutive parts of a book, rendered again as one document (often one part)."""

Renders = Callable[[Sequence[PdfWork]], Iterator["RenderedPdf"]]
"""Renders works, giving each one's PDF in their order (one after the other, or side by
side in the workers)."""


@dataclass(frozen=True)
class _Piece:
    """A run of parts rendered as one document, and what it was laid out with."""

    run: Run
    pdf: RenderedPdf
    first: int
    """The page it starts on."""
    anchors: Mapping[str, int]
    """The pages of the book's targets it was laid out with."""
    round: int
    """The round it was rendered in: its pages replace those the rounds before left."""
    counts: tuple[int, ...]
    """Each of its parts' page count."""


@dataclass(frozen=True)
class _Rendered:
    """A part as last rendered: the piece it was rendered in, where, how long."""

    piece: _Piece
    first: int
    """The page it starts on."""
    pages: int
    anchor_pages: Mapping[str, int]
    """The pages of its element ids, as rendered."""


@dataclass(frozen=True)
class _Settled:
    """The parts rendered again once no part is stale: where each part starts, and the
    pages of the book's targets."""

    rendered: Mapping[int, _Rendered]
    firsts: Sequence[int]
    anchors: Mapping[str, int]
    counts: Sequence[int]


def one_by_one(works: Sequence[PdfWork]) -> Iterator[RenderedPdf]:
    """Each work rendered here when its result is asked for (so the asker may stop)."""
    for work in works:
        yield work()


@dataclass(frozen=True)
class PartsWork:
    """The changed parts of a book rendered again and put in place of their old pages,
    with the parts whose pages moved or whose targets did when a page count changed;
    consecutive ones as one document. The book is rendered whole when that costs more,
    or cannot give what it gives."""

    whole: WholeWork
    book: bytes
    """The book as last made (the file on disk, checked against its record)."""
    html: BookParts
    """The book's HTML now, cut into its parts."""
    recorded: tuple[PartRecord, ...]
    anchors: Mapping[str, int]
    """The pages of the watched ids in the book as last made."""
    changed: tuple[int, ...]
    """The parts whose HTML (or the head) changed."""

    def __call__(self) -> RenderedPdf:
        """Made in one worker (or here, with one job): the runs one after the other."""
        return self.made(one_by_one, self.whole, jobs=1)

    def made(self, renders: Renders, whole: Callable[[], RenderedPdf], jobs: int) -> RenderedPdf:
        """The book, its runs of parts rendered by `renders` (`jobs` at a time) round by
        round, or `whole`."""
        from booklet.outputs.identity import mark_draft, marked_draft
        from booklet.outputs.pdf import RenderedPdf
        from booklet.outputs.replace import Unspliceable, numbered_on, replace_parts

        def draft_whole() -> RenderedPdf:
            # Keyed as a draft (a build renders it again), so it says so too.
            made = whole()
            return dataclasses.replace(made, data=marked_draft(made.data))

        settled = self._render(renders, jobs)
        if settled is None or (
            list(settled.counts) != [c for _, _, c in self.recorded] and not numbered_on(self.book)
        ):
            _LOG.info("rendered whole: re-rendering what moved costs more")
            return draft_whole()
        try:
            parts = self._new_parts(settled.rendered)
            data = replace_parts(self.book, parts, finishing=mark_draft)
        except Unspliceable as error:
            _LOG.info("rendered whole: %s", error)
            return draft_whole()
        keys = self.whole.outline.keys(settled.firsts, settled.anchors)
        records = tuple(zip(keys, settled.firsts, settled.counts, strict=True))
        watched = set(self.whole.work.watched)
        kept = {name: page for name, page in settled.anchors.items() if name in watched}
        _LOG.info("re-rendered parts %s of %d", sorted(settled.rendered), len(records))
        return RenderedPdf(data, sum(settled.counts), kept, records)

    def _render(self, renders: Renders, jobs: int) -> _Settled | None:
        """The parts to render again, rendered: the changed ones, then those whose first
        page or targets' pages moved, in rounds; None when that costs more than the
        whole book, or does not settle."""
        total = sum(count for _, _, count in self.recorded)
        counts = [count for _, _, count in self.recorded]
        firsts = [first for _, first, _ in self.recorded]
        anchors = dict(self.anchors)
        rendered: dict[int, _Rendered] = {}
        todo = list(self.changed)
        # Parts that want the other side of the page they came to: each is rendered with
        # the part before it, so that the blank page between them is laid out as in the
        # whole book (a back cover is a verso: a page count that changed by one moves it).
        joined: set[int] = set()
        for round_ in range(ROUNDS):
            runs = _runs(todo, counts, jobs, joined)
            _LOG.debug("round %s: %s", round_, runs)
            works = [self.run_work(run, firsts[run[0]], anchors) for run in runs]
            made = renders(works)
            again: set[int] = set()
            for at, (run, pdf) in enumerate(zip(runs, made, strict=True)):
                piece = self._piece(run, pdf, firsts[run[0]], anchors, round_)
                if piece is None:
                    if not self._wants_other_side(run, pdf):
                        return None
                    _LOG.debug("part %d wants the other side: with the one before it", run[0])
                    joined.add(run[0])
                    again.update(run)
                    continue
                rendered.update(self._parts_of(piece))
                counts[run[0] : run[-1] + 1] = piece.counts
                waiting = [n for later in runs[at + 1 :] for n in later]
                if self._dearer(counts, rendered, waiting, jobs, total):
                    return None
            firsts = list(itertools.accumulate([1, *counts[:-1]]))
            anchors = self._moved(firsts, rendered)
            todo = sorted(set(self._stale(firsts, anchors, rendered)) | again)
            if not todo:
                watched = set(self.whole.work.watched) <= set(anchors)
                return _Settled(rendered, firsts, anchors, counts) if watched else None
        return None

    def _piece(
        self, run: Run, pdf: RenderedPdf, first: int, anchors: Mapping[str, int], round_: int
    ) -> _Piece | None:
        """A run as rendered, or None when its parts do not each start a page of their
        own in order (the first on its first page)."""
        starts = [pdf.anchor_pages.get(self.html.parts[n].ids[0], 0) for n in run]
        if starts[0] != 1 or any(b <= a for a, b in itertools.pairwise(starts)):
            return None
        if pdf.pages < starts[-1]:
            return None
        ends = [*starts[1:], pdf.pages + 1]
        counts = tuple(end - start for start, end in zip(starts, ends, strict=True))
        return _Piece(run, pdf, first, anchors, round_, counts)

    def _wants_other_side(self, run: Run, pdf: RenderedPdf) -> bool:
        """The run's first part begins on its second page: it wants the other side of the
        page it was given (a blank page came first), and a part comes before it."""
        first = pdf.anchor_pages.get(self.html.parts[run[0]].ids[0], 0)
        return run[0] > 0 and first == 2

    def _parts_of(self, piece: _Piece) -> dict[int, _Rendered]:
        """Each part of a piece, as rendered."""
        parts: dict[int, _Rendered] = {}
        first = piece.first
        pages = {name: piece.first + page - 1 for name, page in piece.pdf.anchor_pages.items()}
        for n, count in zip(piece.run, piece.counts, strict=True):
            ids = self.html.parts[n].ids
            parts[n] = _Rendered(piece, first, count, {i: pages[i] for i in ids if i in pages})
            first += count
        return parts

    def _new_parts(self, rendered: Mapping[int, _Rendered]) -> list[NewPart]:
        """The pieces whose pages are in the book now, each where its parts are in the
        book the rounds before it left: a part rendered again in a later round replaces
        its pages in an earlier piece."""
        from booklet.outputs.replace import NewPart

        pieces = {id(r.piece): r.piece for r in rendered.values()}.values()
        counts = [count for _, _, count in self.recorded]
        new: list[NewPart] = []
        for round_, group in itertools.groupby(
            sorted(pieces, key=lambda p: (p.round, p.run)), key=lambda p: p.round
        ):
            pieces_now = list(group)
            for piece in pieces_now:
                start, end = piece.run[0], piece.run[-1] + 1
                new.append(
                    NewPart(
                        start,
                        sum(counts[:start]),
                        sum(counts[start:end]),
                        piece.pdf.data,
                        self._stubs(piece.run),
                        elements=len(piece.run),
                        stage=round_,
                    )
                )
            for piece in pieces_now:
                counts[piece.run[0] : piece.run[-1] + 1] = piece.counts
        return new

    def _dearer(
        self,
        counts: Sequence[int],
        rendered: Mapping[int, _Rendered],
        waiting: Sequence[int],
        jobs: int,
        total: int,
    ) -> bool:
        """Rendering what waits and what the pages that moved change costs more than
        rendering the whole book: its pages, shared by the workers, are more than
        `MOST_CHANGED` of the book's (what is rendered already is spent either way)."""
        firsts = list(itertools.accumulate([1, *counts[:-1]]))
        stale = set(self._stale(firsts, self._moved(firsts, rendered), rendered))
        left = sum(counts[n] for n in stale | set(waiting))
        return left > MOST_CHANGED * jobs * total

    def run_work(self, run: Run, first: int, anchors: Mapping[str, int]) -> PdfWork:
        """The work that renders a run of parts alone, starting on page `first`."""
        from booklet.render.parts import part_html

        parts = [self.html.parts[n] for n in run]
        html, css = part_html(self.html, parts, first, anchors)
        ids = tuple(name for part in parts for name in part.ids)
        return dataclasses.replace(self.whole.work, html=html, watched=ids, stylesheet=css)

    def _stubs(self, run: Run) -> frozenset[str]:
        parts = [self.html.parts[n] for n in run]
        targets = {target for part in parts for target in part.targets}
        return frozenset(targets - {name for part in parts for name in part.ids})

    def _moved(self, firsts: Sequence[int], rendered: Mapping[int, _Rendered]) -> dict[str, int]:
        """The page of each watched id: where its part went, or where it is in its part
        rendered again."""
        starts = [first for _, first, _ in self.recorded]
        anchors: dict[str, int] = {}
        for name, page in self.anchors.items():
            n = bisect.bisect_right(starts, page) - 1
            if n >= 0 and n not in rendered:
                anchors[name] = page + firsts[n] - starts[n]
        for r in rendered.values():
            anchors.update(r.anchor_pages)
        return anchors

    def _stale(
        self, firsts: Sequence[int], anchors: Mapping[str, int], rendered: Mapping[int, _Rendered]
    ) -> list[int]:
        """The parts whose first page or targets' pages are not those they have now."""
        stale = []
        for n, (_, first, _) in enumerate(self.recorded):
            now = {target: anchors.get(target, 0) for target in self.whole.outline.targets[n]}
            if n in rendered:
                used = {target: rendered[n].piece.anchors.get(target, 0) for target in now}
                if rendered[n].first != firsts[n] or used != now:
                    stale.append(n)
            elif firsts[n] != first or any(self.anchors.get(t, 0) != p for t, p in now.items()):
                stale.append(n)
        return stale


def _runs(
    todo: Sequence[int], counts: Sequence[int], jobs: int, joined: Set[int] = frozenset()
) -> list[Run]:
    """The parts to render as runs of consecutive ones, the longest first (a part in
    `joined` with the one before it); with several workers a run holds at most a
    worker's share of the pages, so that they finish together."""
    wanted = set(todo) | {n - 1 for n in todo if n in joined and n > 0}
    share = -(-sum(counts[n] for n in wanted) // max(1, jobs)) if jobs > 1 else None
    runs: list[list[int]] = []
    pages = 0
    for n in sorted(wanted):
        follows = bool(runs) and runs[-1][-1] == n - 1
        if follows and (n in joined or share is None or pages + counts[n] <= share):
            runs[-1].append(n)
            pages += counts[n]
        else:
            runs.append([n])
            pages = counts[n]
    return sorted((tuple(run) for run in runs), key=lambda run: -sum(counts[n] for n in run))


class ByParts:
    """A book re-rendered by its parts in the workers, its runs of parts side by side,
    spliced in here (booklet.build.run takes it as it takes a clinic edition: `start`,
    then `result`)."""

    def __init__(self, work: PartsWork, renderer: Renderer) -> None:
        self.work = work
        self.renderer = renderer
        self.seconds = 0.0
        """How long it took, once `result()` has returned."""
        self._made: RenderedPdf | None = None

    def start(self, renderer: Renderer) -> None:
        """Nothing to start: the parts' works are known once their pages are."""

    def result(self) -> RenderedPdf:
        """The book (made once, however often it is asked for: an EPUB asks too)."""
        if self._made is None:
            began = time.perf_counter()
            self._made = self.work.made(self._side_by_side, self._whole, self.renderer.jobs)
            self.seconds = time.perf_counter() - began
        return self._made

    def _whole(self) -> RenderedPdf:
        made: RenderedPdf = self.renderer.submit(self.work.whole).result()
        return made

    def _side_by_side(self, works: Sequence[PdfWork]) -> Iterator[RenderedPdf]:
        """Every work started at once, then each one's PDF as it is asked for (a round
        given up on lets the started ones finish: the workers take the whole book after
        them)."""
        pending = [self.renderer.submit(work) for work in works]
        for made in pending:
            yield made.result()
