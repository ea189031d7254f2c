"""Re-rendering a book by its chapters: only the parts an edit changed, spliced into the
book as it was last made (issue 30).

Takes a planned PDF's whole HTML, its `PdfWork` and the build record of the file on disk;
gives the work that makes the PDF:

- rendered whole (`WholeWork`), noting for the next build each part's key and pages
  (booklet.render.parts: the cover, the about page, the contents, each chapter, the legal
  basis, the back cover, each starting on a page of its own);
- or, when the record says which parts are as they were (`PartsWork`), only the others
  rendered, each alone as it lies in the book, and put in place of their old pages
  (booklet.outputs.replace). A part's key is what its pages depend on: its HTML, the
  book's head (the CSS) but for the revision, its first page (and so its side), the
  pages its links point at, booklet's code, the theme and fonts, a fixed build time.

A one-word edit re-renders its chapter and the two pages that print the revision (the
about page and the back cover). The result is the document a whole render gives (text,
tags, bookmarks, links, page labels; tests/test_chapters.py), but not its bytes: each
re-rendered part keeps its own font subsets. Whenever that cannot be kept to, the work
renders the book whole: a part whose page count or targets' pages changed (the pages
after it would move), more than half of the book's pages changed, no record, a layout
not in `BY_CHAPTER`, a print-shop PDF, a proof or a clinic's edition (made by splicing
already).
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from booklet.build.cache import CachedOutput, fingerprint
from booklet.build.plan import PlannedOutput
from booklet.build.workers import PdfWork
from booklet.vocabulary import Layout

if TYPE_CHECKING:
    from booklet.build.records import Context
    from booklet.outputs.pdf import RenderedPdf
    from booklet.render.parts import BookParts

_LOG = logging.getLogger(__name__)

BY_CHAPTER = frozenset({Layout.PARALLEL, Layout.INTERLEAVED})
"""The layouts re-rendered by chapter (each of their parts starts on a page of its own)."""

MOST_CHANGED = 0.5
"""The share of a book's pages above which rendering it whole is the cheaper."""

PARTS = "parts"
"""The key of a PDF's parts (key, first page, pages) in its record's summary."""

ANCHORS = "anchors"
"""The key of the pages of its watched element ids in its record's summary."""

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
class ChangedPart:
    """A part to render again, alone."""

    index: int
    first: int
    """Its first page in the book (1-based)."""
    pages: int
    """Its page count in the book as last made."""
    html: str
    """It alone, as booklet.render.parts lays it out."""
    stylesheet: str
    """The book's stylesheet, given apart (parsed once for every part)."""
    ids: tuple[str, ...]
    stubs: tuple[str, ...]
    """The ids it links to and does not hold (empty anchors in its document)."""


@dataclass(frozen=True)
class PartsWork:
    """The changed parts of a book rendered alone and put in place of their old pages;
    the book rendered whole when that cannot give what a whole render does."""

    whole: WholeWork
    book: bytes
    """The book as last made (the file on disk, checked against its record)."""
    recorded: tuple[PartRecord, ...]
    anchors: Mapping[str, int]
    """The pages of the watched ids in the book as last made."""
    changed: tuple[ChangedPart, ...]

    def __call__(self) -> RenderedPdf:
        from booklet.outputs.pdf import RenderedPdf
        from booklet.outputs.replace import NewPart, Unspliceable, replace_parts

        made = self._render_changed()
        if made is None:
            _LOG.info("rendered whole: a part's pages or its targets' pages moved")
            return self.whole()
        anchors, parts = made
        try:
            data = replace_parts(
                self.book,
                [
                    NewPart(c.index, c.first - 1, c.pages, r.data, frozenset(c.stubs))
                    for c, r in parts
                ],
            )
        except Unspliceable as error:
            _LOG.info("rendered whole: %s", error)
            return self.whole()
        pages = sum(count for _, _, count in self.recorded)
        firsts = [first for _, first, _ in self.recorded]
        keys = self.whole.outline.keys(firsts, anchors)
        records = tuple(
            (key, first, count) for key, (_, first, count) in zip(keys, self.recorded, strict=True)
        )
        _LOG.info("re-rendered parts %s of %d", [c.index for c in self.changed], len(records))
        return RenderedPdf(data, pages, anchors, records)

    def _render_changed(
        self,
    ) -> tuple[dict[str, int], list[tuple[ChangedPart, RenderedPdf]]] | None:
        """Each changed part rendered, and the book's anchors after; None when a part's
        pages or its targets' pages are not what they were."""
        base = self.whole.work
        referenced = {target for targets in self.whole.outline.targets for target in targets}
        ranges = [range(c.first, c.first + c.pages) for c in self.changed]
        anchors = {
            name: page
            for name, page in self.anchors.items()
            if not any(page in pages for pages in ranges)
        }
        made = []
        # The longest first: a chapter whose page count changed is the likeliest, and
        # then nothing else need be rendered before the whole book.
        for part in sorted(self.changed, key=lambda c: -c.pages):
            work = dataclasses.replace(
                base, html=part.html, watched=part.ids, stylesheet=part.stylesheet
            )
            rendered = work()
            if rendered.pages != part.pages:
                return None
            here = {name: part.first + page - 1 for name, page in rendered.anchor_pages.items()}
            moved = [
                name for name in referenced & set(here) if self.anchors.get(name) != here[name]
            ]
            if moved or here.get(part.ids[0]) != part.first:
                return None
            anchors.update(here)
            made.append((part, rendered))
        watched = set(base.watched)
        if not watched <= set(anchors):
            return None
        return {name: page for name, page in anchors.items() if name in watched}, made


def book_work(context: Context, item: PlannedOutput, html: str, work: PdfWork) -> Any:
    """The work that makes a whole PDF: by its changed parts when its record allows,
    else whole (noting its parts when its layout is re-rendered by chapter)."""
    from booklet.render.parts import book_parts

    spec = item.spec
    if spec.layout not in BY_CHAPTER or spec.print_shop or spec.proof or spec.clinic:
        return work
    book = book_parts(html)
    if book is None or any(not part.ids for part in book.parts):
        return work
    outline = _outline(context, book)
    extra = (*outline.first_ids, *(t for targets in outline.targets for t in targets))
    watched = tuple(dict.fromkeys((*work.watched, *extra)))
    whole = WholeWork(dataclasses.replace(work, watched=watched), outline)
    previous = context.cache.previous(item.path)
    if previous is None:
        return whole
    entry, data = previous
    changed = _changed(entry, outline, book)
    if changed is None:
        return whole
    recorded = tuple((str(k), int(f), int(p)) for k, f, p in entry.summary[PARTS])
    anchors = {str(k): int(v) for k, v in entry.summary.get(ANCHORS, {}).items()}
    return PartsWork(whole, data, recorded, anchors, changed)


def _outline(context: Context, book: BookParts) -> Outline:
    from booklet.render.parts import head_key

    head = head_key(book.head)
    return Outline(
        tuple(
            fingerprint("part", context.base_key, head, book.text(part), context.stamp)
            for part in book.parts
        ),
        tuple(part.ids[0] for part in book.parts),
        tuple(part.targets for part in book.parts),
    )


def _changed(
    entry: CachedOutput, outline: Outline, book: BookParts
) -> tuple[ChangedPart, ...] | None:
    """The parts whose key is not the recorded one, when rendering only them is the
    cheaper; None when the whole book must be rendered."""
    from booklet.render.parts import part_html

    recorded = entry.summary.get(PARTS)
    anchors = entry.summary.get(ANCHORS, {})
    if not recorded or len(recorded) != len(outline.contents) or not isinstance(anchors, dict):
        return None
    firsts = [int(first) for _, first, _ in recorded]
    keys = outline.keys(firsts, anchors)
    changed = [n for n, key in enumerate(keys) if key != recorded[n][0]]
    if not changed or sum(recorded[n][2] for n in changed) > MOST_CHANGED * entry.pages:
        return None
    made = []
    for n in changed:
        part = book.parts[n]
        first, pages = int(recorded[n][1]), int(recorded[n][2])
        stubs = tuple(t for t in part.targets if t not in set(part.ids))
        html, css = part_html(book, part, first, anchors)
        made.append(ChangedPart(n, first, pages, html, css, part.ids, stubs))
    return tuple(made)
