"""A print-shop PDF (PDF/UA-1, from booklet.outputs.pdf_tags) -> PDF/X-4 with a slug.

Print-shop pages are laid out with a 13 mm CSS bleed (print-shop.css): the media box is
the trim plus 13 mm. This module makes of that what a print shop's preflight expects:

- boxes: TrimBox the page, BleedBox 3 mm beyond it, MediaBox 13 mm beyond it, so the
  10 mm between bleed and media is a slug for the marks;
- crop marks in the slug only (from 1 mm beyond the bleed box to the media edge, on the
  trim lines), and a one-line caption (handbook, edition, revision, page) in the bottom
  slug, drawn as glyph outlines (no font to embed, no text in the text layer), both in
  DeviceCMYK K only and marked as artifacts;
- no RGB: a grey set as DeviceRGB becomes the same grey in K only (0 0 0 1-g k); any
  other RGB, Lab or ICC colour, or an RGB image that is not grey, is refused with the
  page it is on; transparency groups are DeviceCMYK;
- an /OutputIntents entry /GTS_PDFX with an embedded CMYK profile, /GTS_PDFXVersion and
  /Trapped in the document information, pdfxid:GTS_PDFXVersion and pdf:Trapped in the
  XMP beside the PDF/UA identifier.

The output profile is Ghostscript's `default_cmyk.icc` ("Artifex CMYK SWOP Profile",
Debian package libgs-common, AGPL-3+): a characterised press condition (SWOP), under a
licence that lets booklet embed and pass it on in every PDF it makes. Debian's
icc-profiles-free has FOGRA39's measurements but no CMYK profile built from them, and
these are black-only jobs: every mark is K, so the profile changes no ink.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pikepdf
from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont

from booklet.errors import ConfigError, RenderError
from booklet.outputs.pdf_tags import saved
from booklet.vocabulary import POINTS_PER_MM

CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
"""The output intent's profile (see the module's docstring for why this one)."""
OUTPUT_CONDITION = "Artifex CMYK SWOP Profile (Ghostscript default_cmyk.icc)"
CAPTION_FONT = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")
"""The face the slug caption's outlines are taken from (Debian package fonts-noto-core)."""

BLEED = 3 * POINTS_PER_MM
SLUG = 10 * POINTS_PER_MM
"""Beyond the bleed box: where the marks and caption go."""
MARK_GAP = 1 * POINTS_PER_MM
"""Between the bleed box and a crop mark, so a bleeding background never touches one."""
CAPTION_SIZE = 6.0

_RGB_OPERATORS = {"rg": "k", "RG": "K"}
_SPACE_OPERATORS = {"cs", "CS"}
"""Choose a colour space: a device one named directly must be CMYK or grey; one named in
the resources is checked there (`_check_space`)."""


@dataclass(frozen=True)
class Slug:
    """What the caption says of the document; the page is added per page."""

    caption: str


def profile() -> bytes:
    """The CMYK output profile's bytes, or a ConfigError naming the package to install."""
    if not CMYK_PROFILE.is_file():
        raise ConfigError(
            f"{CMYK_PROFILE}: the CMYK output profile of --print-shop is missing; "
            "install it with: apt-get install libgs-common (or run: make setup)"
        )
    return CMYK_PROFILE.read_bytes()


def make_pdfx(data: bytes, slug: Slug) -> bytes:
    """The PDF/UA print-shop PDF `data` made PDF/X-4, its marks and caption in the slug."""
    pdf = pikepdf.open(io.BytesIO(data))
    used: set[str] = set()
    for number, page in enumerate(pdf.pages, start=1):
        _to_k_only(pdf, page, number, used)
        trim = [float(value) for value in page.obj.TrimBox]
        page.obj.BleedBox = pikepdf.Array(_grown(trim, BLEED))
        page.obj.MediaBox = pikepdf.Array(_grown(trim, BLEED + SLUG))
        for box in ("/CropBox", "/ArtBox"):  # WeasyPrint's are the media box, not the art
            if box in page.obj:
                del page.obj[box]
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
        marks = _crop_marks(trim) + _caption(f"{slug.caption} \u00b7 {page.label}", trim)
        page.contents_add(pdf.make_stream(b"\nQ\n/Artifact BMC q " + marks + b" Q EMC\n"))
    _unused_spaces_removed(pdf, used)
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFX,
        OutputConditionIdentifier=pikepdf.String("Custom"),
        OutputCondition=pikepdf.String(OUTPUT_CONDITION),
        Info=pikepdf.String(OUTPUT_CONDITION),
        DestOutputProfile=pdf.make_stream(profile(), N=4, Alternate=pikepdf.Name.DeviceCMYK),
    )
    pdf.Root.OutputIntents = pikepdf.Array([intent])
    pdf.docinfo[pikepdf.Name.GTS_PDFXVersion] = pikepdf.String("PDF/X-4")
    pdf.docinfo[pikepdf.Name.Trapped] = pikepdf.Name("/False")
    pdf.Root.Metadata = pdf.make_stream(
        _xmp_with_pdfx(pdf.Root.Metadata.read_bytes()),
        Type=pikepdf.Name.Metadata,
        Subtype=pikepdf.Name.XML,
    )
    return saved(pdf)


def _grown(box: Sequence[float], by: float) -> list[float]:
    return [box[0] - by, box[1] - by, box[2] + by, box[3] + by]


_PDFUA_PART = b' pdfuaid:part="1"'


def _xmp_with_pdfx(xmp: bytes) -> bytes:
    """pdf_tags' XMP with the PDF/X identifier and the trapping key beside PDF/UA's."""
    if _PDFUA_PART not in xmp:
        raise RenderError("the PDF's XMP has no PDF/UA identifier to add the PDF/X one to")
    return xmp.replace(
        _PDFUA_PART,
        b' xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/" pdfuaid:part="1"'
        b' pdfxid:GTS_PDFXVersion="PDF/X-4" pdf:Trapped="False"',
        1,
    )


def _crop_marks(trim: Sequence[float]) -> bytes:
    """Eight short K-only lines on the trim lines, from beyond the bleed to the media edge."""
    left, bottom, right, top = trim
    near, far = BLEED + MARK_GAP, BLEED + SLUG
    lines = []
    for x, outward in ((left, -1), (right, 1)):
        for y in (bottom, top):  # horizontal marks: on the trim's horizontal lines
            lines.append((x + outward * near, y, x + outward * far, y))
    for y, outward in ((bottom, -1), (top, 1)):
        for x in (left, right):
            lines.append((x, y + outward * near, x, y + outward * far))
    path = " ".join(f"{a:.3f} {b:.3f} m {c:.3f} {d:.3f} l" for a, b, c, d in lines)
    return f"0 0 0 1 K 0.25 w [] 0 d 0 J {path} S ".encode()


class _PdfPen(BasePen):  # type: ignore[misc]
    """Glyph outlines as PDF path operators, scaled and moved into place."""

    def __init__(self, glyphs: object, scale: float, x: float, y: float) -> None:
        super().__init__(glyphs)
        self.scale, self.x, self.y = scale, x, y
        self.parts: list[str] = []

    def _point(self, point: tuple[float, float]) -> str:
        return f"{self.x + point[0] * self.scale:.2f} {self.y + point[1] * self.scale:.2f}"

    def _moveTo(self, point: tuple[float, float]) -> None:
        self.parts.append(f"{self._point(point)} m")

    def _lineTo(self, point: tuple[float, float]) -> None:
        self.parts.append(f"{self._point(point)} l")

    def _curveToOne(
        self, one: tuple[float, float], two: tuple[float, float], three: tuple[float, float]
    ) -> None:
        self.parts.append(f"{self._point(one)} {self._point(two)} {self._point(three)} c")

    def _closePath(self) -> None:
        self.parts.append("h")


@lru_cache(maxsize=1)
def _font() -> TTFont:
    if not CAPTION_FONT.is_file():
        raise ConfigError(
            f"{CAPTION_FONT}: the face of the print-shop slug caption is missing; "
            "install it with: apt-get install fonts-noto-core (or run: make setup)"
        )
    return TTFont(CAPTION_FONT)


def _caption(text: str, trim: Sequence[float]) -> bytes:
    """`text` as K-only filled outlines, on one line in the bottom slug, from the left
    trim line (the first mark ends there): never inside the bleed box."""
    font = _font()
    glyphs = font.getGlyphSet()
    cmap = font.getBestCmap()
    scale = CAPTION_SIZE / font["head"].unitsPerEm
    x = trim[0] + BLEED + MARK_GAP  # the caption starts past the bottom-left mark's end
    y = trim[1] - BLEED - SLUG / 2 - CAPTION_SIZE / 3
    parts = []
    for character in _printable(text):
        name = cmap.get(ord(character), ".notdef")
        pen = _PdfPen(glyphs, scale, x, y)
        glyphs[name].draw(pen)
        parts += pen.parts
        x += glyphs[name].width * scale
    return ("0 0 0 1 k " + " ".join(parts) + " f " if parts else "").encode()


def _printable(text: str) -> Iterator[str]:
    for character in text:
        yield character if character.isprintable() else " "


def _to_k_only(pdf: pikepdf.Pdf, page: pikepdf.Page, number: int, used: set[str]) -> None:
    """Every DeviceRGB grey of the page's content and forms in K; other colour refused.
    The names of the colour spaces the content chooses are added to `used`."""
    for group_holder in [page.obj, *_forms(page.obj)]:
        if "/Group" in group_holder:
            group_holder.Group.CS = pikepdf.Name.DeviceCMYK
    holders: list[pikepdf.Page | pikepdf.Object] = [page, *_forms(page.obj)]
    for holder in holders:
        owner = holder.obj if isinstance(holder, pikepdf.Page) else holder
        spaces = _resources(owner, "/ColorSpace")
        changed = []
        for instruction in pikepdf.parse_content_stream(holder):
            operands, operator = list(instruction.operands), instruction.operator
            if str(operator) in _SPACE_OPERATORS:
                name = str(operands[0])
                used.add(name)
                _check_space(spaces[name] if name in spaces else operands[0], number)
            changed.append(_k_only(operands, operator, number))
        data = pikepdf.unparse_content_stream(changed)
        if isinstance(holder, pikepdf.Page):
            holder.obj.Contents = pdf.make_stream(data)
        else:
            holder.write(data)
    for image in _images(page.obj):
        _check_image(image, number)
    for shading in _shadings(page.obj):
        _check_space(shading.ColorSpace, number)


def _unused_spaces_removed(pdf: pikepdf.Pdf, used: set[str]) -> None:
    """WeasyPrint names its Lab spaces in every page's resources, used or not: a PDF/X
    preflight (and the brief: no Lab) wants none."""
    for page in pdf.pages:
        for holder in [page.obj, *_forms(page.obj)]:
            spaces = _resources(holder, "/ColorSpace")
            for name in [key for key in spaces.keys() if key not in used]:  # noqa: SIM118
                del spaces[name]


def _k_only(
    operands: Sequence[pikepdf.Object], operator: pikepdf.Operator, number: int
) -> tuple[list[pikepdf.Object], pikepdf.Operator]:
    name = str(operator)
    if name in _RGB_OPERATORS:
        red, green, blue = (float(value) for value in operands)
        if not red == green == blue:
            raise RenderError(
                f"page {number}: a colour ({red:g} {green:g} {blue:g} RGB) in a print-shop "
                "PDF, which prints in black only; use black or greys in the theme"
            )
        cmyk = [pikepdf.Object.parse(f"{value:.4f}".encode()) for value in (0, 0, 0, 1 - red)]
        return cmyk, pikepdf.Operator(_RGB_OPERATORS[name])
    return list(operands), operator


def _forms(
    holder: pikepdf.Object, seen: set[tuple[int, int]] | None = None
) -> Iterator[pikepdf.Object]:
    """The form XObjects a page or form draws, however deep."""
    seen = set() if seen is None else seen
    for xobject in _resources(holder, "/XObject").values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            yield xobject
            yield from _forms(xobject, seen)


def _images(holder: pikepdf.Object) -> Iterator[pikepdf.Object]:
    for owner in [holder, *_forms(holder)]:
        for xobject in _resources(owner, "/XObject").values():
            if xobject.get("/Subtype") == "/Image":
                yield xobject


def _shadings(holder: pikepdf.Object) -> Iterator[pikepdf.Object]:
    for owner in [holder, *_forms(holder)]:
        yield from _resources(owner, "/Shading").values()


def _resources(holder: pikepdf.Object, kind: str) -> pikepdf.Dictionary:
    """The resources of one kind (/XObject, /ColorSpace...) a page or form names."""
    resources = holder.get("/Resources")
    found = resources.get(kind) if isinstance(resources, pikepdf.Dictionary) else None
    return found if isinstance(found, pikepdf.Dictionary) else pikepdf.Dictionary()


_ALLOWED_SPACES = {"/DeviceCMYK", "/DeviceGray"}


def _check_space(space: pikepdf.Object, number: int) -> None:
    name = str(space[0]) if isinstance(space, pikepdf.Array) else str(space)
    if name == "/Pattern" or name in _ALLOWED_SPACES:
        return
    if name == "/ICCBased" and int(space[1].get("/N", 0)) in (1, 4):
        return
    raise RenderError(
        f"page {number}: a colour space {name} in a print-shop PDF, which prints in black "
        "only (DeviceCMYK K); use black or greys in the theme"
    )


def _check_image(image: pikepdf.Object, number: int) -> None:
    """An RGB image that is grey becomes DeviceGray; a colour one is refused."""
    space = image.get("/ColorSpace")
    if space is None or str(space) in _ALLOWED_SPACES or image.get("/ImageMask", False):
        return
    if str(space) == "/DeviceRGB" and int(image.BitsPerComponent) == 8:
        raw = pikepdf.PdfImage(image).read_bytes()  # type: ignore[arg-type]
        if all(raw[i] == raw[i + 1] == raw[i + 2] for i in range(0, len(raw) - 2, 3)):
            image.write(raw[::3])
            image.ColorSpace = pikepdf.Name.DeviceGray
            return
    raise RenderError(
        f"page {number}: a colour image ({space}) in a print-shop PDF, which prints in black "
        "only; use a black-and-white or greyscale image"
    )
