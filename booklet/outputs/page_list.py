"""The pages of an EPUB's print edition: the page each marked element starts on in the
PDF -> where the EPUB's page-break markers go, so "p. 20" in print can be found.

The EPUB's templates ask `PageBreaks.at(id)` before each element that can start a page
(the cover, the contents, every unit, every article, the back cover); the PDF of the
same edition, rendered with those ids watched, says the page each starts on.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PrintPages:
    """How the print edition of an EPUB was laid out."""

    source: str
    """The PDF's file name (the EPUB's pageBreakSource)."""
    pages: int
    """Its page count."""
    starts: Mapping[str, int]
    """Element id -> the 1-based page it starts on."""


@dataclass
class PageBreaks:
    """What the EPUB's templates ask while they are rendered: the page numbers whose
    markers go before an element. It records each element it is asked about, with the
    document it is in, in reading order."""

    placed: Mapping[str, Sequence[int]] = field(default_factory=dict)
    """Element id -> the pages that begin there."""
    document: str = ""
    """The EPUB document being rendered."""
    asked: list[tuple[str, str]] = field(default_factory=list)
    """(document, element id) of each element asked about."""

    def at(self, anchor: str) -> list[int]:
        """The pages whose markers go before element `anchor`."""
        self.asked.append((self.document, anchor))
        return list(self.placed.get(anchor, ()))


def place_pages(order: Sequence[str], layout: PrintPages) -> dict[str, list[int]]:
    """Element ids in reading order -> the pages whose markers go before each: a page
    goes before the first element that starts on it or, when none does (a long passage
    runs over it), before the passage it is part of, so its text is found there."""
    known: list[tuple[str, int]] = []
    for anchor in order:
        page = layout.starts.get(anchor)
        # An element the PDF lacks, or one placed before an earlier one, cannot mark a page.
        if page is not None and (not known or page >= known[-1][1]):
            known.append((anchor, page))
    placed: dict[str, list[int]] = {}
    if not known:
        return placed
    pages = [page for _, page in known]
    for number in range(1, layout.pages + 1):
        first = bisect_left(pages, number)  # the first element on this page or later
        if first == len(pages) or pages[first] != number:
            first = max(first - 1, 0)  # the passage running over it
        placed.setdefault(known[first][0], []).append(number)
    return placed
