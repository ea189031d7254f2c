"""What differs between the kinds of output, as one table keyed by `OutputKind`.

Takes nothing; gives `KINDS`: for each kind, how its document and work are made, where
its work runs (a worker process, or here when it is waited for), whether it is started
with the build or once the outputs it is made from are made, how its work's result
becomes bytes, pages and notes, and what a command reports it as. `booklet.build.run`
reads this table and has no branch on a kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from booklet.build.booklets import (
    booklet_document,
    booklet_result,
    printing_document,
    printing_result,
)
from booklet.build.epubs import epub_document, epub_result
from booklet.build.htmls import html_document, html_result
from booklet.build.pdfs import pdf_document, pdf_result
from booklet.build.plan import PlannedOutput
from booklet.build.records import Context, Document, Result
from booklet.vocabulary import OutputKind


@dataclass(frozen=True)
class KindRow:
    """How one kind of output is made."""

    document: Callable[[Context, PlannedOutput], Document]
    """Its key and its work."""
    result: Callable[[Context, Any, PlannedOutput], Result]
    """What its work's result is as a file."""
    in_worker: bool
    """Its work runs in a worker process (a render); else here, when it is waited for."""
    after_sources: bool
    """Started once the outputs it is made from (`PlannedOutput.sources`) are made."""
    reported_as: str
    """Its `kind` in progress lines and `--json`: `pdf`, `booklet`, `epub` or `html`."""


KINDS: dict[OutputKind, KindRow] = {
    OutputKind.PDF: KindRow(
        pdf_document, pdf_result, in_worker=True, after_sources=False, reported_as="pdf"
    ),
    OutputKind.EPUB: KindRow(
        epub_document, epub_result, in_worker=False, after_sources=False, reported_as="epub"
    ),
    OutputKind.HTML_EDITION: KindRow(
        html_document, html_result, in_worker=False, after_sources=False, reported_as="html"
    ),
    OutputKind.BOOKLET: KindRow(
        booklet_document, booklet_result, in_worker=False, after_sources=True, reported_as="booklet"
    ),
    OutputKind.PRINTING_SHEET: KindRow(
        printing_document, printing_result, in_worker=True, after_sources=True, reported_as="pdf"
    ),
}
"""Every kind of output a build makes; a new kind is one row here and one planner in
booklet.build.plan."""
