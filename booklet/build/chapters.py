"""Re-rendering a book by its chapters: only the parts an edit changed, spliced into the
book as it was last made (issue 30).

Takes a planned PDF's whole HTML, its `PdfWork` and the build record of the file on disk;
gives its `Document`, whose work (booklet.build.by_parts) makes the PDF:

- rendered whole (`WholeWork`), noting for the next build each part's key and pages
  (booklet.render.parts: the cover, the about page, the contents, each chapter, the legal
  basis, the back cover, each starting on a page of its own);
- or, when the record says which parts are as they were (`PartsWork`), only the others
  rendered, alone or in runs of consecutive ones, as they lie in the book, and put in
  place of their old pages (booklet.outputs.replace), side by side in the workers when
  there are several (`ByParts`). A part's key is what its pages depend on: its HTML, the
  book's head (the CSS) but for the revision, its first page (and so its side), the
  pages its links point at, booklet's code, the theme and fonts, a fixed build time.

A one-word edit re-renders its chapter and the two pages that print the revision (the
about page and the back cover). The result is the document a whole render gives (text,
tags, bookmarks, links, page labels; tests/test_chapters.py), but not its bytes: each
re-rendered part keeps its own font subsets. When a part's page count changes, the parts
after it move: they are rendered again at their new pages, and so is every part whose
links' targets moved (the contents; a chapter citing the legal basis), in rounds, as
long as what is left, shared by the workers, is less than half the book's pages: with
two workers, even a book whose chapters all cite the legal basis at its end (every
citation moves) is rendered again in two runs side by side, about half a whole render.
Otherwise the work renders the book whole: with one worker when most of the book moved,
no record, a book labelled in other digits whose page count changed, a layout not in
`BY_CHAPTER`, a print-shop PDF, a proof or a clinic's edition (made by splicing
already).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from booklet.build.by_parts import MOST_CHANGED, ByParts, Outline, PartsWork, WholeWork
from booklet.build.cache import CachedOutput, fingerprint
from booklet.build.plan import PlannedOutput
from booklet.build.workers import PdfWork
from booklet.vocabulary import Layout

if TYPE_CHECKING:
    from booklet.build.records import Context, Document
    from booklet.render.parts import BookParts

BY_CHAPTER = frozenset({Layout.PARALLEL, Layout.INTERLEAVED})
"""The layouts re-rendered by chapter (each of their parts starts on a page of its own)."""

PARTS = "parts"
"""The key of a PDF's parts (key, first page, pages) in its record's summary."""

ANCHORS = "anchors"
"""The key of the pages of its watched element ids in its record's summary."""


def book_document(
    context: Context, item: PlannedOutput, html: str, work: PdfWork, key: str
) -> Document:
    """A whole PDF's document: re-rendered by its parts, side by side in the workers
    when there are several, when its record allows; else rendered whole."""
    from booklet.build.records import Document

    made = book_work(context, item, html, work)
    if not isinstance(made, PartsWork):
        return Document(key, made)
    # Not the bytes a whole render gives: keyed apart, so that a build renders it whole.
    spliced = fingerprint("by-parts", key)
    if context.renderer.jobs > 1:
        return Document(spliced, made, ByParts(made, context.renderer))
    return Document(spliced, made)


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
    previous = context.cache.previous(item.path) if context.by_parts else None
    if previous is None:
        return whole
    entry, data = previous
    changed = _changed(entry, outline, context.renderer.jobs)
    if changed is None:
        return whole
    recorded = tuple((str(k), int(f), int(p)) for k, f, p in entry.summary[PARTS])
    anchors = {str(k): int(v) for k, v in entry.summary.get(ANCHORS, {}).items()}
    return PartsWork(whole, data, book, recorded, anchors, changed)


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


def _changed(entry: CachedOutput, outline: Outline, jobs: int) -> tuple[int, ...] | None:
    """The parts whose key is not the recorded one, when rendering only them (shared by
    `jobs` workers) is the cheaper; None when the whole book must be rendered."""
    recorded = entry.summary.get(PARTS)
    anchors = entry.summary.get(ANCHORS, {})
    if not recorded or len(recorded) != len(outline.contents) or not isinstance(anchors, dict):
        return None
    firsts = [int(first) for _, first, _ in recorded]
    keys = outline.keys(firsts, anchors)
    changed = tuple(n for n, key in enumerate(keys) if key != recorded[n][0])
    if not changed or sum(recorded[n][2] for n in changed) > MOST_CHANGED * jobs * entry.pages:
        return None
    return changed
