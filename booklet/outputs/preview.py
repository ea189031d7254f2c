"""PDF -> PNG pages and one contact sheet of them, to see a book without a PDF viewer.

Pages are drawn by PDFium (pypdfium2, a wheel on every OS, so no poppler is needed); the
contact sheet lays the pages out as the book opens: page 1 alone on the right, then
each left-hand page beside its right-hand page, each spread labelled with its numbers; a
right-to-left book (its PDF asks viewers for /Direction /R2L) is its mirror image: page 1
alone on the left, each even page on the right of its spread, spreads read from the right.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from booklet.errors import ConfigError

PAGE_DPI = 110
"""Resolution of the page PNGs: readable on a screen, a few hundred KB a page."""

THUMB_HEIGHT = 360
"""Height of a page on the contact sheet, in pixels."""

SPREADS_PER_ROW = 3
GAP = 24
LABEL = 22
BACKGROUND = (208, 208, 208)


@dataclass(frozen=True)
class Preview:
    """The PNGs of a page range of one PDF."""

    pages: list[tuple[int, bytes]]
    """(page number, PNG) for each page shown."""
    contact_sheet: bytes
    """All of them on one PNG, as spreads."""


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _spreads(numbers: list[int]) -> list[list[int]]:
    """Pages grouped as the book opens: [1], [2, 3], [4, 5]..."""
    spreads: list[list[int]] = []
    for number in numbers:
        if spreads and number % 2 == 1 and spreads[-1][-1] == number - 1:
            spreads[-1].append(number)
        else:
            spreads.append([number])
    return spreads


def _right_to_left(pdf: bytes) -> bool:
    """Whether the PDF asks viewers to show its pages from right to left."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        preferences = document.Root.get("/ViewerPreferences", pikepdf.Dictionary())
        return str(preferences.get("/Direction", "/L2R")) == "/R2L"


def _contact_sheet(images: dict[int, Image.Image], right_to_left: bool = False) -> Image.Image:
    thumbs = {
        n: image.resize((round(image.width * THUMB_HEIGHT / image.height), THUMB_HEIGHT))
        for n, image in images.items()
    }
    page_width = max(thumb.width for thumb in thumbs.values())
    spreads = _spreads(sorted(thumbs))
    columns = min(SPREADS_PER_ROW, len(spreads))
    rows = -(-len(spreads) // columns)
    cell = 2 * page_width + GAP
    width = columns * cell + GAP
    height = rows * (THUMB_HEIGHT + LABEL + GAP) + GAP
    sheet = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=16)
    for index, spread in enumerate(spreads):
        column = index % columns
        x0 = GAP + (columns - 1 - column if right_to_left else column) * cell
        y0 = GAP + (index // columns) * (THUMB_HEIGHT + LABEL + GAP)
        for number in spread:
            # Even pages on the left of a spread (on the right in a right-to-left book).
            left = (number % 2 == 0) != right_to_left
            x = x0 + (0 if left else page_width)
            sheet.paste(thumbs[number], (x, y0))
        label = "-".join(str(n) for n in spread)  # the default font has no en dash
        draw.text(
            (x0 + page_width, y0 + THUMB_HEIGHT + 4), label, fill=(0, 0, 0), font=font, anchor="ma"
        )
    return sheet


def preview_pages(pdf: bytes, first: int, last: int | None) -> Preview:
    """PNGs of pages `first` to `last` (None: to the end) and their contact sheet; a
    range outside the book is a ConfigError naming its page count."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        count = len(document)
        end = count if last is None else last
        if first > count or end > count:
            asked = f"{first}-{last}" if last is not None and last != first else f"{first}"
            raise ConfigError(
                f"--pages {asked}: the book has {count} pages; ask for pages between 1 and {count}"
            )
        images = {
            n: document[n - 1].render(scale=PAGE_DPI / 72).to_pil().convert("RGB")
            for n in range(first, end + 1)
        }
    finally:
        document.close()
    sheet = _contact_sheet(images, _right_to_left(pdf))
    return Preview([(n, _png(image)) for n, image in images.items()], _png(sheet))
