"""Re-rendering a book by its parts: the works that make it (booklet.build.chapters
chooses them).

Takes a book's parts as booklet.render.parts cuts its HTML, the record of the book as
last made and its bytes; gives the book as a `RenderedPdf` with its parts noted for the
next build:

- `WholeWork`: rendered whole, in one worker;
- `PartsWork`: the changed parts rendered alone, one after the other in one worker, and
  put in place of their old pages (booklet.outputs.replace); when a page count changes,
  the parts whose first page or targets' pages moved are rendered again, in rounds,
  while that costs less than half the book, else the book is rendered whole;
- `ByParts`: the same with each part a work of its own, side by side in the workers,
  spliced in the main process.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from booklet.build.cache import fingerprint
from booklet.build.workers import PdfWork

if TYPE_CHECKING:
    from booklet.build.workers import Renderer
    from booklet.outputs.pdf import RenderedPdf
    from booklet.render.parts import BookParts

_LOG = logging.getLogger(__name__)

MOST_CHANGED = 0.5
"""The share of a book's pages above which rendering it whole is the cheaper."""

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


@dataclass(frozen=True)
class _Rendered:
    """A part rendered alone, and what it was laid out with."""

    pdf: RenderedPdf
    first: int
    """The page it starts on."""
    anchors: Mapping[str, int]
    """The pages of the book's targets it was laid out with."""


_Round = Callable[
    [Sequence[int], Sequence[int], Mapping[str, int], list[int], dict[int, _Rendered]], bool
]
"""Renders some parts (given their first pages and the targets' pages), noting each one's
page count; False when what is left costs more than the whole book."""


@dataclass(frozen=True)
class PartsWork:
    """The changed parts of a book rendered alone and put in place of their old pages,
    with the parts whose pages moved or whose targets did when a page count changed;
    the book rendered whole when that costs more, or cannot give what it gives."""

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
        """Made in one worker (or here, with one job): the parts one after the other."""
        return self.made(self._one_by_one, self.whole)

    def made(self, render: _Round, whole: Callable[[], RenderedPdf]) -> RenderedPdf:
        """The book, its parts rendered by `render` round by round, or `whole`."""
        from booklet.outputs.pdf import RenderedPdf
        from booklet.outputs.replace import NewPart, Unspliceable, numbered_on, replace_parts

        made = self._render(render)
        counts = [count for _, _, count in self.recorded]
        if made is not None:
            counts = [made[0][n].pdf.pages if n in made[0] else c for n, c in enumerate(counts)]
        if made is None or (
            counts != [c for _, _, c in self.recorded] and not numbered_on(self.book)
        ):
            _LOG.info("rendered whole: re-rendering what moved costs more")
            return whole()
        rendered, firsts, anchors = made
        parts = [
            NewPart(n, self.recorded[n][1] - 1, self.recorded[n][2], r.pdf.data, self._stubs(n))
            for n, r in rendered.items()
        ]
        try:
            data = replace_parts(self.book, parts)
        except Unspliceable as error:
            _LOG.info("rendered whole: %s", error)
            return whole()
        keys = self.whole.outline.keys(firsts, anchors)
        records = tuple(zip(keys, firsts, counts, strict=True))
        watched = set(self.whole.work.watched)
        kept = {name: page for name, page in anchors.items() if name in watched}
        _LOG.info("re-rendered parts %s of %d", sorted(rendered), len(records))
        return RenderedPdf(data, sum(counts), kept, records)

    def _render(
        self, render: _Round
    ) -> tuple[dict[int, _Rendered], list[int], dict[str, int]] | None:
        """The parts to render again, rendered: the changed ones, then those whose first
        page or targets' pages moved, in rounds; None when that costs more than the
        whole book, or does not settle."""
        total = sum(count for _, _, count in self.recorded)
        counts = [count for _, _, count in self.recorded]
        firsts = [first for _, first, _ in self.recorded]
        anchors = dict(self.anchors)
        rendered: dict[int, _Rendered] = {}
        todo = list(self.changed)
        for _ in range(ROUNDS):
            if not render(todo, firsts, anchors, counts, rendered):
                return None
            firsts = list(itertools.accumulate([1, *counts[:-1]]))
            anchors = self._moved(firsts, rendered)
            todo = self._stale(firsts, anchors, rendered)
            if not todo:
                return (rendered, firsts, anchors) if self._settled(rendered, anchors) else None
            if self._dearer(counts, rendered, [], total):
                return None
        return None

    def _dearer(
        self,
        counts: Sequence[int],
        rendered: Mapping[int, _Rendered],
        waiting: Sequence[int],
        total: int,
    ) -> bool:
        """Rendering what is rendered, what waits and what the pages that moved change
        costs more than rendering the whole book."""
        firsts = list(itertools.accumulate([1, *counts[:-1]]))
        stale = set(self._stale(firsts, self._moved(firsts, rendered), rendered))
        spent = sum(r.pdf.pages for r in rendered.values())
        return spent + sum(counts[n] for n in stale | set(waiting)) > MOST_CHANGED * total

    def _one_by_one(
        self,
        todo: Sequence[int],
        firsts: Sequence[int],
        anchors: Mapping[str, int],
        counts: list[int],
        rendered: dict[int, _Rendered],
    ) -> bool:
        """Render `todo` one after the other, the longest first: a page count that changes
        shows there soonest, and whether the rest is worth rendering is known before it
        is rendered (False: it is not)."""
        total = sum(count for _, _, count in self.recorded)
        ordered = sorted(todo, key=lambda n: -counts[n])
        for at, n in enumerate(ordered):
            rendered[n] = _Rendered(self.part_work(n, firsts[n], anchors)(), firsts[n], anchors)
            moved = rendered[n].pdf.pages != counts[n]
            counts[n] = rendered[n].pdf.pages
            if moved and self._dearer(counts, rendered, ordered[at + 1 :], total):
                return False
        return True

    def part_work(self, n: int, first: int, anchors: Mapping[str, int]) -> PdfWork:
        """The work that renders part `n` alone, starting on page `first`."""
        from booklet.render.parts import part_html

        part = self.html.parts[n]
        html, css = part_html(self.html, part, first, anchors)
        return dataclasses.replace(self.whole.work, html=html, watched=part.ids, stylesheet=css)

    def _stubs(self, n: int) -> frozenset[str]:
        part = self.html.parts[n]
        return frozenset(part.targets) - frozenset(part.ids)

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
            anchors.update({name: r.first + p - 1 for name, p in r.pdf.anchor_pages.items()})
        return anchors

    def _stale(
        self, firsts: Sequence[int], anchors: Mapping[str, int], rendered: Mapping[int, _Rendered]
    ) -> list[int]:
        """The parts whose first page or targets' pages are not those they have now."""
        stale = []
        for n, (_, first, _) in enumerate(self.recorded):
            now = {target: anchors.get(target, 0) for target in self.whole.outline.targets[n]}
            if n in rendered:
                used = {target: rendered[n].anchors.get(target, 0) for target in now}
                if rendered[n].first != firsts[n] or used != now:
                    stale.append(n)
            elif firsts[n] != first or any(self.anchors.get(t, 0) != p for t, p in now.items()):
                stale.append(n)
        return stale

    def _settled(self, rendered: Mapping[int, _Rendered], anchors: Mapping[str, int]) -> bool:
        """Each part rendered starts with its first element, and every watched id has
        its page."""
        starts = all(
            r.pdf.anchor_pages.get(self.html.parts[n].ids[0]) == 1 for n, r in rendered.items()
        )
        return starts and set(self.whole.work.watched) <= set(anchors)


class ByParts:
    """A book re-rendered by its parts in the workers, each part a work of its own
    rendered side by side with the others, the parts spliced in here (booklet.build.run
    takes it as it takes a clinic edition: `start`, then `result`)."""

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
            self._made = self.work.made(self._side_by_side, self._whole)
            self.seconds = time.perf_counter() - began
        return self._made

    def _whole(self) -> RenderedPdf:
        made: RenderedPdf = self.renderer.submit(self.work.whole).result()
        return made

    def _side_by_side(
        self,
        todo: Sequence[int],
        firsts: Sequence[int],
        anchors: Mapping[str, int],
        counts: list[int],
        rendered: dict[int, _Rendered],
    ) -> bool:
        pending = {
            n: self.renderer.submit(self.work.part_work(n, firsts[n], anchors)) for n in todo
        }
        for n, made in pending.items():
            rendered[n] = _Rendered(made.result(), firsts[n], anchors)
            counts[n] = rendered[n].pdf.pages
        return True
