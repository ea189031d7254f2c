"""Facing pages: one language on each page of a spread, the spreads in step.

Takes the facing layout's documents (booklet.render.documents.render_facing): the pages
in every language (the cover, then the back cover) and each language's pages, every
aligned unit marked `data-unit`; gives one RenderedPdf.

Each language is laid out once to measure its units; the spread breaks are chosen for
both languages together (`spread_starts`, the rule in docs/layouts.md); each language is
laid out again with those breaks forced, and again with blank pages where the other
language needed more pages for a spread (a unit longer than a page); the pages are then
interleaved into one WeasyPrint document (the cover, each spread's verso and recto, the
back pages) and written, tagged and labelled as any other PDF (booklet.outputs.pdf):
its reading order is each spread's verso, then its recto. A cover that runs over one
page keeps its pages, and a blank page after them when they are even, so the first
spread still starts on a verso: the languages are then laid out again, numbered on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

from booklet.errors import RenderError
from booklet.outputs.pdf import RenderedPdf, laid_out, rendering, write_document
from booklet.render.parts import COVER_END_ID

FILL = 0.97
"""The share of a page's height the units of one spread may take: their heights are
measured apart, and a unit's margins may add up differently on the page."""

FILLER = '<div class="facing-filler"></div>'
"""A blank page (its running head and folio stay), keeping a language in step."""

_MARK = re.compile(r"<!--facing:([a-z0-9-]+)-->")
"""Where blank pages may go: before each unit, and at the end (`end`)."""

ROUNDS = 3
"""Layouts of a language with its breaks before the spreads must be in step."""


@dataclass(frozen=True)
class Unit:
    """An aligned unit, as laid out in every language."""

    name: str
    """Its `data-unit`, the same in every language."""
    heights: tuple[float, ...]
    """Its height in each language, in CSS pixels."""
    start: bool
    """It starts a spread (a chapter, the contents...)."""
    heading: bool
    """It must not end a page."""
    joined: bool = False
    """It goes on a list begun by the unit before it: a spread starts at the list's first
    item when it can, so that each list is read whole before the facing page."""


def spread_starts(units: Sequence[Unit], room: float) -> list[int]:
    """The index of the first unit of each spread: units are added to a spread while
    they fit on its page in every language; a unit marked `start` starts one; a heading
    that would end a page goes to the next spread with what it heads, and so does a
    list's beginning with the rest of its list; a spread of headings only takes the next
    unit whatever its length. A unit longer than a page
    continues on the next pages in every language, the next unit starting a spread."""
    starts: list[int] = []
    used: list[float] = []
    for index, unit in enumerate(units):
        fits = bool(starts) and all(a + h <= room for a, h in zip(used, unit.heights, strict=True))
        headed = bool(starts) and all(u.heading for u in units[starts[-1] : index])
        if (fits or headed) and not unit.start:
            used = [a + h for a, h in zip(used, unit.heights, strict=True)]
            continue
        first = index if unit.start or not starts else _moved_back(units, index, starts[-1])
        starts.append(first)
        used = [
            sum(u.heights[k] for u in units[first : index + 1]) for k in range(len(unit.heights))
        ]
    return starts


def _moved_back(units: Sequence[Unit], index: int, spread: int) -> int:
    """Where the spread after the one starting at unit `spread` starts, when unit `index`
    does not fit on it: before the headings that head it, and before the beginning of its
    list, unless the list began the spread (then it is cut at `index`)."""
    first = index
    while first - 1 > spread and (units[first].joined or units[first - 1].heading):
        first -= 1
    if units[first].joined:
        first = index
        while first - 1 > spread and units[first - 1].heading:
            first -= 1
    return first


def _unit_boxes(document: Any) -> Iterator[tuple[int, Any, Any]]:
    """(page index, box, element) of each unit's outermost box on each page, in order."""
    for number, page in enumerate(document.pages):
        seen: set[str] = set()
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            name = element.get("data-unit") if element is not None else None
            if name is not None and name not in seen:
                seen.add(name)  # not the boxes inside it (its lines, an anonymous block)
                yield number, box, element


def _extents(document: Any) -> dict[str, float]:
    """How much of its pages' height each unit takes: from its top (or the top of the
    page it starts) to the next unit's top, so the margins of the blocks inside it that
    collapse through it count too."""
    extents: dict[str, float] = {}
    placed = list(_unit_boxes(document))
    befores = [None, *placed[:-1]]
    afters = [*placed[1:], None]
    for before, (number, box, element), after in zip(befores, placed, afters, strict=True):
        name = element.get("data-unit")
        first = before is None or before[0] != number
        top = document.pages[number]._page_box.content_box_y() if first else box.position_y
        if after is None or after[0] != number:
            bottom = box.position_y + box.margin_height()
        else:
            bottom = after[1].position_y
        extents[name] = extents.get(name, 0.0) + bottom - top
    return extents


def measured(documents: Sequence[Any]) -> tuple[list[Unit], float]:
    """The units of the languages' documents with their heights, and the height of a
    page's area (the smallest, should the pages differ)."""
    heights = [_extents(document) for document in documents]
    marks = {
        element.get("data-unit"): (
            element.get("data-start") is not None,
            element.get("data-heading") is not None,
            element.get("data-joined") is not None,
        )
        for _, _, element in _unit_boxes(documents[0])
    }
    names = list(heights[0])
    if any(list(height) != names for height in heights[1:]):
        raise RenderError("the languages of the facing layout do not have the same units")
    room = min(page._page_box.height for document in documents for page in document.pages)
    units = [Unit(name, tuple(h[name] for h in heights), *marks[name]) for name in names]
    return units, room


def first_pages(document: Any, names: Sequence[str]) -> list[int]:
    """The page index each of `names` (units) starts on."""
    wanted = set(names)
    found: dict[str, int] = {}
    for number, _box, element in _unit_boxes(document):
        name = element.get("data-unit")
        if name in wanted and name not in found:
            found[name] = number
    return [found[name] for name in names]


def with_breaks(html: str, starts: Sequence[str], blanks: Mapping[str, int]) -> str:
    """A language's HTML with a page break before each spread's first unit and `blanks`
    blank pages before the units named (`end`: at the end)."""
    rule = ", ".join(f'[data-unit="{name}"]' for name in starts)
    style = f"<style>{rule} {{ break-before: page !important; }}</style>" if rule else ""

    def blank(match: re.Match[str]) -> str:
        return FILLER * blanks.get(match.group(1), 0)

    return _MARK.sub(blank, html).replace("</head>", style + "</head>", 1)


def _in_step(documents: Sequence[Any], names: Sequence[str]) -> list[dict[str, int]]:
    """For each language, the blank pages it needs before each spread (named by its first
    unit, `end` after the last) to have as many pages for each spread as the longest."""
    spans = []
    for document in documents:
        firsts = [*first_pages(document, names), len(document.pages)]
        spans.append([after - before for before, after in pairwise(firsts)])
    longest = [max(column) for column in zip(*spans, strict=True)]
    nexts = [*names[1:], "end"]
    return [
        {nexts[i]: most - span[i] for i, most in enumerate(longest) if most > span[i]}
        for span in spans
    ]


@dataclass(frozen=True)
class FacingDocuments:
    """The facing layout's documents (booklet.render.documents.render_facing)."""

    frame: str
    """The pages in every language: the cover, then the last pages."""
    sides: tuple[str, ...]
    """Each language's pages, the first language's (on the page read first) first."""


def render_facing(
    documents: FacingDocuments,
    base: Path,
    roots: Sequence[Path],
    created: datetime | None = None,
    watched: Sequence[str] = (),
    right_to_left: bool = False,
) -> RenderedPdf:
    """The facing layout's PDF; raise RenderError on any problem."""
    from weasyprint.text.fonts import FontConfiguration

    if len(documents.sides) != 2:
        raise RenderError("the facing layout shows two languages, one on each page of a spread")
    fonts = FontConfiguration()
    with rendering() as notes:
        probes = [laid_out(html, base, roots, fonts)[1] for html in documents.sides]
        units, room = measured(probes)
        del probes
        starts = [units[i].name for i in spread_starts(units, room * FILL)]
        cover = 1  # a cover that runs over is known once the frame is laid out
        for _ in range(2):
            padded = cover + (cover + 1) % 2
            sides = [_numbered(html, padded, k) for k, html in enumerate(documents.sides)]
            verso, recto = _in_step_pages(sides, starts, base, roots, fonts)
            framed = _framed(documents.frame, cover, padded, 2 * len(verso))
            source, frame = laid_out(framed, base, roots, fonts)
            laid = cover_pages(frame)
            if laid == cover:
                break
            cover = laid
        spreads = [page for pair in zip(verso, recto, strict=True) for page in pair]
        pages = [*frame.pages[:padded], *spreads, *frame.pages[padded:]]
        document = frame.copy(pages)
        return write_document(document, source, notes, created, watched, right_to_left)


def cover_pages(frame: Any) -> int:
    """The pages the cover takes in the frame: to the page its end is on (one, when a
    theme's cover has no end)."""
    ends = (n for n, page in enumerate(frame.pages, start=1) if COVER_END_ID in page.anchors)
    return next(ends, 1)


def _numbered(side: str, cover: int, index: int) -> str:
    """The `index`th language's HTML, its pages numbered by two from `cover` + 1 + `index`
    (the theme numbers them after a cover of one page)."""
    if cover == 1:
        return side
    style = f"<style>@page :first {{ counter-reset: page {cover - 1 + index}; }}</style>"
    return side.replace("</head>", style + "</head>", 1)


def _framed(frame: str, cover: int, padded: int, spread_pages: int) -> str:
    """The cover and the last pages, with a blank page after a cover of an even number of
    pages (the first spread starts on a verso), numbered on after the spreads."""
    back = padded + 1
    end = f"<style>@page :nth({back}) {{ counter-reset: page {spread_pages + back}; }}</style>"
    return with_breaks(frame, (), {"back": padded - cover}).replace("</head>", end + "</head>", 1)


def _in_step_pages(
    sides: Sequence[str], starts: Sequence[str], base: Path, roots: Sequence[Path], fonts: Any
) -> list[list[Any]]:
    """Each language's pages, laid out with a break before each spread and as many
    blank pages as keep it in step with the other."""
    blanks: list[dict[str, int]] = [{} for _ in sides]
    for _ in range(ROUNDS):
        laid = [
            laid_out(with_breaks(html, starts, blank), base, roots, fonts)[1]
            for html, blank in zip(sides, blanks, strict=True)
        ]
        more = _in_step(laid, starts)
        if not any(more):
            return [document.pages for document in laid]
        blanks = [
            {name: old.get(name, 0) + new.get(name, 0) for name in {*old, *new}}
            for old, new in zip(blanks, more, strict=True)
        ]
    raise RenderError("the facing layout's spreads could not be kept in step")
