"""Booklet imposition: reading-order pages -> sheets that print duplex, fold and staple.

Two parts: the page-order arithmetic (pure, table-tested), and the placement of each
page on its half of a sheet as a form XObject (pikepdf), so nothing is rendered again
and the imposed file stays about as small as its source.

Sheets print duplex with "flip on short edge": the back of each sheet is placed upright,
and after printing the stack is folded in the middle and stapled on the fold. Blank
pages that pad the book to a multiple of four go before the back cover, never after it.
"""

from __future__ import annotations

import io
import math
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf

from booklet.errors import BookletError
from booklet.vocabulary import POINTS_PER_MM

MAX_STAPLED_PAGES = 40
"""An office stapler goes through ten folded sheets (40 pages); longer books get split."""


@dataclass(frozen=True)
class Side:
    """One side of a sheet: the page on its left half and on its right half."""

    left: int | None
    """1-based page number of the source, or None for a blank."""
    right: int | None
    """1-based page number of the source, or None for a blank."""


@dataclass(frozen=True)
class Sheet:
    """One sheet of paper, printed on both sides."""

    signature: int
    """0-based signature (a folded stack stapled on its own) the sheet belongs to."""
    depth: int
    """0 for the outermost sheet of its signature, counting inwards (for creep)."""
    front: Side
    """The side printed first (holds the signature's first and last pages)."""
    back: Side
    """The other side."""


def padded_order(pages: int, back_cover: bool = True) -> list[int | None]:
    """Reading order padded to a multiple of four, blanks before the back cover."""
    if pages < 1:
        raise ValueError("a booklet needs at least one page")
    blanks = -pages % 4
    if back_cover and pages > 1:
        return [*range(1, pages), *([None] * blanks), pages]
    return [*range(1, pages + 1), *([None] * blanks)]


def signature_sizes(total: int, signature: int | None) -> list[int]:
    """Pages per signature; `total` is a multiple of four.

    With `signature` given, every signature has that many pages but the last, which
    takes what is left. Without it, the book stays one signature up to 40 pages and is
    otherwise split into the fewest signatures of at most 40 pages, as equal as possible.
    """
    if signature is not None:
        if signature < 4 or signature % 4:
            raise BookletError(
                f"--signature {signature}: a signature holds a multiple of 4 pages (4, 8, 12...)"
            )
        full, rest = divmod(total, signature)
        return [signature] * full + ([rest] if rest else [])
    sheets = total // 4
    count = math.ceil(total / MAX_STAPLED_PAGES)
    base, extra = divmod(sheets, count)
    return [4 * (base + (1 if index < extra else 0)) for index in range(count)]


def spread_order(
    pages: int, signature: int | None = None
) -> tuple[list[int | None], list[int]] | None:
    """The reading order and set sizes of a facing-pages book (booklet.outputs.facing:
    a cover, then spreads of two pages, then the back cover) cut into several stapled
    sets without splitting a spread: the cover opens the first set and the back cover
    closes the last; every other set opens and closes on a blank page, so each of its
    spreads faces as it does in the book; a set of an even number of spreads gets a blank
    one. None when the book is one set (`padded_order` keeps its spreads) or has an odd
    number of pages (not facing pages)."""
    if pages % 2 or pages < 4:
        return None
    spreads = [(first, first + 1) for first in range(2, pages - 1, 2)]
    most = (signature or MAX_STAPLED_PAGES) - 2  # pages of spreads a set holds: 2 (4k - 1)
    count = math.ceil(len(spreads) / max(1, most // 2))
    if count < 2:
        return None
    base, extra = divmod(len(spreads), count)
    order: list[int | None] = []
    sizes: list[int] = []
    start = 0
    for index in range(count):
        mine = spreads[start : start + base + (1 if index < extra else 0)]
        start += len(mine)
        inside: list[int | None] = [page for pair in mine for page in pair]
        if len(mine) % 2 == 0:
            inside += [None, None]  # a blank spread: a set holds an odd number of them
        front = 1 if index == 0 else None
        back = pages if index == count - 1 else None
        part = [front, *inside, back]
        order += part
        sizes.append(len(part))
    return order, sizes


def reading_order(
    pages: int, signature: int | None = None, back_cover: bool = True, spreads: bool = False
) -> tuple[list[int | None], list[int]]:
    """The booklet's pages in reading order (None for a blank) and the pages of each of
    its stapled sets; `spreads`: a facing-pages book, whose spreads no set splits."""
    if spreads:
        kept = spread_order(pages, signature)
        if kept is not None:
            return kept
    order = padded_order(pages, back_cover)
    return order, signature_sizes(len(order), signature)


def booklet_sheets(
    pages: int, signature: int | None = None, back_cover: bool = True, spreads: bool = False
) -> list[Sheet]:
    """Every sheet of the imposed booklet, signature by signature, outermost sheet first."""
    order, sizes = reading_order(pages, signature, back_cover, spreads)
    sheets: list[Sheet] = []
    start = 0
    for number, size in enumerate(sizes):
        part = order[start : start + size]
        start += size
        for depth in range(size // 4):
            sheets.append(
                Sheet(
                    signature=number,
                    depth=depth,
                    front=Side(part[size - 1 - 2 * depth], part[2 * depth]),
                    back=Side(part[2 * depth + 1], part[size - 2 - 2 * depth]),
                )
            )
    return sheets


# ---------------------------------------------------------------- placement

SHEET_FOR_PAGE_MM = {
    (148, 210): (297, 210),  # A5 pages on A4 landscape
    (105, 148): (210, 148),  # A6 on A5
    (139.7, 215.9): (279.4, 215.9),  # half-letter on letter
    (210, 297): (420, 297),  # A4 on A3
    (215.9, 279.4): (431.8, 279.4),  # letter on tabloid
}
"""Page size -> the sheet it is imposed two-up on (millimetres, landscape)."""

SHEET_NAMES = {
    (297, 210): "A4",
    (210, 148): "A5",
    (420, 297): "A3",
    (279.4, 215.9): "Letter",
    (431.8, 279.4): "Tabloid (11 × 17 in)",
}
"""The name a printer's paper tray gives each sheet."""


def sheet_name(width_mm: float, height_mm: float) -> str:
    """What to load in the printer: `A4`, `Letter`, or the size in millimetres."""
    for (width, height), name in SHEET_NAMES.items():
        if abs(width - width_mm) < 1 and abs(height - height_mm) < 1:
            return name
    return f"{width_mm:.0f} × {height_mm:.0f} mm"


def sheet_key(width_mm: float, height_mm: float) -> str:
    """The interface text naming the sheet in a language (`paper_a4`, `paper_letter`), or
    "" for a sheet without a name."""
    name = sheet_name(width_mm, height_mm)
    if name not in SHEET_NAMES.values():
        return ""
    return "paper_" + name.split()[0].lower()


@dataclass(frozen=True)
class Imposed:
    """An imposed booklet."""

    pdf: bytes
    """The file."""
    sheets: int
    """Sheets of paper to print (each on both sides)."""
    signatures: int
    """Stacks to fold and staple separately."""
    sheet_size_mm: tuple[float, float]
    """Width and height of a sheet."""
    blanks: int
    """Blank pages added."""
    mixed_sizes: bool = False
    """The source's pages are not all one size (each is centred in its half)."""
    set_pages: tuple[tuple[int, int], ...] = ()
    """Each stapled set's first and last page of the imposed file (1-based)."""


def sheet_size(page_width: float, page_height: float) -> tuple[float, float]:
    """The sheet (points, landscape) for pages of this size: two pages side by side."""
    mm = (page_width / POINTS_PER_MM, page_height / POINTS_PER_MM)
    for (width, height), sheet in SHEET_FOR_PAGE_MM.items():
        if abs(mm[0] - width) < 1 and abs(mm[1] - height) < 1:
            return sheet[0] * POINTS_PER_MM, sheet[1] * POINTS_PER_MM
    return 2 * page_width, page_height


def _fold_mark(width: float, height: float) -> bytes:
    """Short lines at the top and bottom of the fold, outside the pages' text area."""
    x, length = width / 2, 6 * POINTS_PER_MM
    return (
        f"q 0 G 0.5 w {x:.3f} {height:.3f} m {x:.3f} {height - length:.3f} l S "
        f"{x:.3f} 0 m {x:.3f} {length:.3f} l S Q\n"
    ).encode()


def _open(source: bytes) -> pikepdf.Pdf:
    try:
        return pikepdf.open(io.BytesIO(source))
    except pikepdf.PasswordError:
        raise BookletError(
            "this PDF is protected by a password; save an unprotected copy and impose that"
        ) from None
    except pikepdf.PdfError as error:
        reason = str(error).split(": ", 1)[-1]  # drop qpdf's "stream <BytesIO...>: " prefix
        raise BookletError(
            f"this is not a PDF booklet can read ({reason}); export it again as PDF"
        ) from None


_NOT_PDF_UA = re.compile(rb'\s*pdfuaid:part="1"|\s*<pdfuaid:part>1</pdfuaid:part>')
"""The PDF/UA claim of an XMP packet, as an attribute or an element."""


def _mark_as_made(writer: pikepdf.Pdf, reader: pikepdf.Pdf) -> None:
    """Say that booklet made the imposed PDF (/Creator), and, for a copy of a handbook,
    which copy and revision it is: the source's XMP, describing its imposed booklet
    (booklet.model.CopyOf, read back by `booklet identify`).

    The sheets are print-only and untagged (no /MarkInfo, no structure: their pages are
    out of reading order, two to a side), and say so: the kit's index calls the file "not
    for reading on a screen" (strings kit_booklet), and the XMP no longer claims PDF/UA.
    What a viewer or screen reader announces first is kept: the source's /Lang, its
    title (shown as the window's title, DisplayDocTitle) and document information."""
    writer.docinfo[pikepdf.Name.Creator] = pikepdf.String("booklet")
    for key in ("/Title", "/Author", "/Subject"):
        if key in reader.docinfo:
            writer.docinfo[key] = reader.docinfo[key]
    if "/Lang" in reader.Root:
        writer.Root.Lang = reader.Root.Lang
    writer.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    if "/Metadata" not in reader.Root:
        return
    xmp = _NOT_PDF_UA.sub(b"", reader.Root.Metadata.read_bytes())
    end = b"</xmpMM:DocumentID>"
    if b"<xmpMM:DocumentID>booklet:" in xmp and end in xmp:
        xmp = xmp.replace(end, b"&amp;imposed=yes" + end, 1)
        writer.Root.Metadata = writer.make_stream(
            xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML
        )


def impose_booklet(
    source: bytes,
    signature: int | None = None,
    creep_mm: float = 0.0,
    fold_marks: bool = True,
    back_cover: bool = True,
    spreads: bool = False,
) -> Imposed:
    """Impose a PDF (its bytes) as a saddle-stitched booklet; returns the new PDF.
    `spreads`: it is a facing-pages book, whose spreads no stapled set may split
    (`spread_order`).

    Each source page becomes one form XObject drawn on its half of a sheet, so the
    pages are not rendered again and fonts are shared. A PDF that reads from right to left
    (/ViewerPreferences /Direction /R2L, as booklet writes for an Arabic or Hebrew book)
    is bound on the right: each side's halves are swapped, so the folded booklet opens
    from the left-hand edge with its cover on top. (qpdf through pikepdf reads a
    256-page tagged PDF about ten times faster than pypdf, which is what the 0.5 s
    budget for 256 pages needs.)
    """
    reader = _open(source)
    count = len(reader.pages)
    if count == 0:
        raise BookletError("the PDF has no pages to impose")
    order, sizes_of_sets = reading_order(count, signature, back_cover, spreads)
    sheets = booklet_sheets(count, signature, back_cover, spreads)
    right_to_left = reads_right_to_left(reader)
    own_forms = page_forms(reader)
    shown = [_shown_box(form, page) for form, page in zip(own_forms, reader.pages, strict=True)]
    sizes = {(round(w), round(h)) for _, _, w, h in shown}
    page_width, page_height = shown[0][2], shown[0][3]
    if min(page_width, page_height) < 36:  # half an inch: not a page anyone can read
        raise BookletError(
            f"its pages measure {page_width:.1f} x {page_height:.1f} pt, too small or "
            "inverted to impose; check the PDF's page size"
        )
    width, height = sheet_size(page_width, page_height)
    creep = creep_mm * POINTS_PER_MM

    writer = pikepdf.new()
    forms: dict[int, pikepdf.Object] = {}

    def place(number: int | None, half: int, shift: float) -> bytes:
        if number is None:
            return b""
        if number not in forms:
            forms[number] = writer.copy_foreign(own_forms[number - 1])
        x, y, w, h = shown[number - 1]
        # Centre each page in its half; creep moves it towards the fold.
        left = half * width / 2 + (width / 2 - w) / 2 + (shift if half == 0 else -shift)
        bottom = (height - h) / 2
        clip = f"{half * width / 2:.3f} 0 {width / 2:.3f} {height:.3f} re W n"
        return f"q {clip} 1 0 0 1 {left - x:.3f} {bottom - y:.3f} cm /P{number} Do Q\n".encode()

    for sheet in sheets:
        for side, marks in ((sheet.front, fold_marks), (sheet.back, False)):
            content = b""
            xobjects = pikepdf.Dictionary()
            halves = (side.right, side.left) if right_to_left else (side.left, side.right)
            for half, number in enumerate(halves):
                content += place(number, half, sheet.depth * creep)
                if number is not None:
                    xobjects[f"/P{number}"] = forms[number]
            if marks:
                content += _fold_mark(width, height)
            page = pikepdf.Dictionary(
                Type=pikepdf.Name.Page,
                MediaBox=pikepdf.Array([0, 0, width, height]),
                Resources=pikepdf.Dictionary(XObject=xobjects),
                Contents=writer.make_stream(content),
            )
            writer.pages.append(pikepdf.Page(page))
    _mark_as_made(writer, reader)
    out = io.BytesIO()
    # A deterministic /ID and no dates keep the file reproducible.
    writer.save(
        out,
        deterministic_id=True,
        compress_streams=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    padded = len(order)
    set_pages, first = [], 1
    for size in sizes_of_sets:  # a set of n pages is n / 4 sheets, each two file pages
        set_pages.append((first, first + size // 2 - 1))
        first += size // 2
    return Imposed(
        out.getvalue(),
        len(sheets),
        len(sizes_of_sets),
        (width / POINTS_PER_MM, height / POINTS_PER_MM),
        padded - count,
        len(sizes) > 1,
        tuple(set_pages),
    )


_FORM_KEYS = ("/Type", "/Subtype", "/FormType", "/BBox", "/Resources", "/Matrix", "/Group")
"""What qpdf's form for a page says about it; the content is taken from the page itself."""


def reads_right_to_left(reader: pikepdf.Pdf) -> bool:
    """Whether the PDF asks to be read from right to left."""
    preferences = reader.Root.get("/ViewerPreferences")
    if not isinstance(preferences, pikepdf.Dictionary):
        return False
    return str(preferences.get("/Direction", "")) == "/R2L"


def page_forms(reader: pikepdf.Pdf) -> list[pikepdf.Object]:
    """One form XObject per page of `reader`, made without decoding its content.

    qpdf's own page-to-form turns the content into data it provides when writing, and
    copying such a stream into another PDF holds it decoded in memory: a page that
    shares one content stream with 500 others cost 500 decoded copies (a 1.9 MB PDF
    peaked at 5.5 GB). Here a page's content stream, still compressed, becomes the form
    itself; pages with the same content, resources and placement share one form; a page
    whose content is several streams is joined and compressed again, one page at a time.
    qpdf still provides the dictionary: the /Matrix for /Rotate and /UserUnit, the /BBox.
    """
    forms: list[pikepdf.Object] = []
    made: dict[tuple[object, ...], pikepdf.Object] = {}
    taken: set[tuple[int, int]] = set()
    for page in reader.pages:
        probe = page.as_form_xobject()  # its data is never read: only its dictionary is used
        contents = page.obj.get("/Contents")
        parts = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        streams = [part for part in parts if isinstance(part, pikepdf.Stream)]
        resources = _inherited(page.obj, "/Resources")
        key = (
            tuple(stream.objgen for stream in streams),
            resources.objgen if resources is not None and resources.is_indirect else page.objgen,
            tuple(float(v) for v in probe.get("/Matrix", ())),
            tuple(float(v) for v in probe.BBox),
        )
        if key not in made:
            made[key] = _form_from_content(reader, streams, taken)
            for name in _FORM_KEYS:
                if name in probe:
                    made[key][name] = probe[name]
        forms.append(made[key])
    return forms


def _form_from_content(
    reader: pikepdf.Pdf, streams: list[pikepdf.Stream], taken: set[tuple[int, int]]
) -> pikepdf.Stream:
    if len(streams) == 1 and streams[0].is_indirect and streams[0].objgen not in taken:
        taken.add(streams[0].objgen)
        return streams[0]  # the reader is a private copy: its page keeps working anyway
    form = pikepdf.Stream(reader, b"")
    if len(streams) == 1:  # already a form elsewhere, with other resources: copy it raw
        form.write(streams[0].read_raw_bytes())
        for name in ("/Filter", "/DecodeParms"):  # the bytes stay encoded as they were
            if name in streams[0]:
                form[name] = streams[0][name]
    else:  # parts may split an operator between them, so only the joined text is content
        joined = b"\n".join(stream.read_bytes() for stream in streams)
        form.write(zlib.compress(joined), filter=pikepdf.Name.FlateDecode)
    return form


def _inherited(page: pikepdf.Dictionary, name: str) -> pikepdf.Object | None:
    """A page attribute, from the page or the nearest /Pages node above it that has it."""
    node: pikepdf.Object | None = page
    for _ in range(64):  # a /Parent loop in a damaged file must not hang
        if node is None or not isinstance(node, pikepdf.Dictionary):
            return None
        if name in node:
            return node[name]
        node = node.get("/Parent")
    return None


def _size(box: pikepdf.Array) -> tuple[float, float]:
    return float(box[2]) - float(box[0]), float(box[3]) - float(box[1])


def _shown_box(form: pikepdf.Object, page: pikepdf.Page) -> tuple[float, float, float, float]:
    """(x, y, width, height) of the page's trim box as a reader sees it (turned by its
    /Rotate, scaled by its /UserUnit), in the space its form XObject draws into: the
    form's /Matrix applied to the box's corners."""
    x0, y0, x1, y1 = (float(v) for v in page.trimbox)
    matrix = form.get("/Matrix")
    a, b, c, d, e, f = (float(v) for v in matrix) if matrix is not None else (1, 0, 0, 1, 0, 0)
    corners = [(x0, y0), (x1, y0), (x0, y1), (x1, y1)]
    xs = [a * px + c * py + e for px, py in corners]
    ys = [b * px + d * py + f for px, py in corners]
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


def page_numbers(sheets: Sequence[Sheet]) -> list[int | None]:
    """All page slots of the sheets in print order (for checks and tests)."""
    return [
        number
        for sheet in sheets
        for number in (sheet.front.left, sheet.front.right, sheet.back.left, sheet.back.right)
    ]
