"""One font subset per face for a clinic edition's body and its spliced tail.

A tail rendered apart subsets each face for its own glyphs; spliced onto the body, the
PDF carried two subsets of every face (the sample's clinic PDF was 1.47x the plain one).
WeasyPrint's subsets keep the face's glyph ids (a character code is its glyph id,
/Identity-H), so one subset can serve both once it holds the glyphs of both:

- `glyphs_of` reads, from the body's PDF, each composite font's glyphs: width and text;
- `including`, around the tails' render, adds them to WeasyPrint's font of the same
  name (the same face, weight and style) before it is subset: the tails' subset of a
  face is the body's glyphs and theirs, with the body's widths and text;
- `cut_to_own`, when several clinics' tails were rendered as one PDF (its subsets hold
  every one's glyphs), cuts each face of one clinic's pages down to the body's glyphs and
  that clinic's own (HarfBuzz, glyph ids kept, as WeasyPrint cuts a face: the cut of any
  subset holding them gives the same bytes), so a clinic's PDF does not depend on the
  clinics it was rendered with (`batch_glyphs`: unless a font cannot be so cut);
- `share`, after the splice, points the body's pages at the tail's font of each face
  whose glyphs, widths and text hold the body's (checked, face by face: a face that does
  not keeps its two subsets, as before). The body's own subsets are then reached from
  nothing, and not written.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pikepdf
import uharfbuzz as hb
from pikepdf import Array, Dictionary, Name, Object, Pdf

from booklet.errors import RenderError
from booklet.outputs.text_layer import to_unicode

try:  # WeasyPrint is heavy: import it once, on first use, not at CLI start-up.
    from weasyprint import pdf as weasyprint_pdf
except ImportError as error:  # pragma: no cover - the package depends on it
    raise RenderError(f"WeasyPrint cannot be imported ({error}); run: make setup") from None

Glyphs = Mapping[str, Mapping[int, tuple[float, str]]]
"""A font's name (its /BaseFont, `/ABCDEF+Noto-Serif`) -> glyph id -> (width, text)."""

_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")


def glyphs_of(data: bytes) -> dict[str, dict[int, tuple[float, str]]]:
    """The glyphs each composite font of the PDF `data` draws (fonts whose codes are not
    glyph ids, or whose glyphs lack a text, are left out)."""
    return _fonts_glyphs(data, strict=False) or {}


def batch_glyphs(data: bytes) -> dict[str, dict[int, tuple[float, str]]] | None:
    """`glyphs_of` a batch of tails, or None when one of its fonts has codes that are not
    glyph ids (booklet.outputs.text_layer gives some glyphs codes of their own): such a
    font cannot be cut to one clinic's glyphs."""
    return _fonts_glyphs(data, strict=True)


def _fonts_glyphs(data: bytes, strict: bool) -> dict[str, dict[int, tuple[float, str]]] | None:
    found: dict[str, dict[int, tuple[float, str]]] = {}
    with pikepdf.open(BytesIO(data)) as pdf:
        seen: set[tuple[int, int]] = set()
        for page in pdf.pages:
            for fonts in _font_resources(page.obj, seen):
                for font in fonts.values():
                    glyphs = _glyphs(font)
                    if glyphs is not None:
                        found[str(font.BaseFont)] = glyphs
                    elif strict:
                        return None
    return found


@contextmanager
def including(glyphs: Glyphs) -> Iterator[None]:
    """While WeasyPrint writes a PDF, each font named in `glyphs` also holds those glyphs
    (in its subset, widths and text)."""
    original = weasyprint_pdf.build_fonts_dictionary

    def build(pdf: Any, fonts: Mapping[str, Any], *args: Any) -> Any:
        for font in fonts.values():
            more = glyphs.get(font.name.decode("latin-1"))
            if more and not font.bitmap and not font.missing and not font.used_in_forms:
                for gid, (width, text) in more.items():
                    # The body's first: in a whole render, its glyphs were drawn first.
                    font.widths[gid] = width
                    font.to_unicode[gid] = text
        return original(pdf, fonts, *args)

    weasyprint_pdf.build_fonts_dictionary = build
    try:
        yield
    finally:
        weasyprint_pdf.build_fonts_dictionary = original


def share(book: Pdf, body_pages: int, known: tuple[Glyphs, Glyphs] | None = None) -> None:
    """Point the first `body_pages` pages' fonts at the later pages' font of the same
    name wherever that one holds all their glyphs (`known`: the glyphs of the fonts of
    the body and of the tail, by name, when they are known: not read again)."""
    theirs: dict[str, Object] = {}
    for page in book.pages[body_pages:]:
        for fonts in _font_resources(page.obj, set()):
            for font in fonts.values():
                theirs.setdefault(str(font.get("/BaseFont", "")), font)
    swap: dict[tuple[int, int], Object | None] = {}
    seen: set[tuple[int, int]] = set()
    for page in book.pages[:body_pages]:
        for fonts in _font_resources(page.obj, seen):
            for name, font in list(fonts.items()):
                if font.objgen not in swap:
                    other = theirs.get(str(font.get("/BaseFont", "")))
                    held = other is not None and _holds(other, font, known)
                    swap[font.objgen] = other if held else None
                replacement = swap[font.objgen]
                if replacement is not None:
                    fonts[name] = replacement


def _holds(theirs: Object, ours: Object, known: tuple[Glyphs, Glyphs] | None) -> bool:
    """Whether font `theirs` draws every glyph of `ours` alike: the same code, width and
    text."""
    if theirs.DescendantFonts[0].get("/Subtype") != ours.DescendantFonts[0].get("/Subtype"):
        return False
    name = str(ours.BaseFont)
    if known is not None:
        mine, other = known[0].get(name), known[1].get(name)
    else:
        mine, other = _glyphs(ours), _glyphs(theirs)
    if mine is None or other is None:
        return False
    return all(
        gid in other and abs(other[gid][0] - width) < 1e-3 and other[gid][1] == text
        for gid, (width, text) in mine.items()
    )


def _glyphs(font: Object) -> dict[int, tuple[float, str]] | None:
    """A composite font's glyphs (id -> width, text), when its codes are glyph ids and
    each glyph has a text."""
    if font.get("/Subtype") != Name.Type0 or font.get("/Encoding") != Name("/Identity-H"):
        return None
    descendant = font.DescendantFonts[0]
    if descendant.get("/CIDToGIDMap", Name.Identity) != Name.Identity:
        return None
    if "/ToUnicode" not in font:
        return None
    texts = {
        int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
        for code, text in _BFCHAR.findall(font.ToUnicode.read_bytes())
    }
    widths = _widths(descendant.get("/W", Array()))
    if not widths.keys() <= texts.keys():
        return None
    return {gid: (width, texts[gid]) for gid, width in widths.items()}


def _widths(array: Object) -> dict[int, float]:
    """A CIDFont's /W array as glyph id -> width."""
    widths: dict[int, float] = {}
    items = list(array)
    index = 0
    while index + 1 < len(items):
        first = int(items[index])
        if isinstance(items[index + 1], Array):
            for step, width in enumerate(items[index + 1]):
                widths[first + step] = float(width)
            index += 2
        else:
            for gid in range(first, int(items[index + 1]) + 1):
                widths[gid] = float(items[index + 2])
            index += 3
    return widths


def _font_resources(holder: Object, seen: set[tuple[int, int]]) -> Iterator[Dictionary]:
    """The /Font dictionaries of `holder`'s resources and of its forms' (each once)."""
    resources = holder.get("/Resources")
    if not isinstance(resources, Dictionary):
        return
    fonts = resources.get("/Font")
    if isinstance(fonts, Dictionary):
        key = fonts.objgen if fonts.is_indirect else (id(fonts), -1)
        if key not in seen:
            seen.add(key)
            yield fonts
    for xobject in resources.get("/XObject", Dictionary()).values():
        if xobject.get("/Subtype") == Name.Form:
            yield from _font_resources(xobject, seen)


def cut_to_own(
    pdf: Pdf, body: Glyphs, batch: Glyphs, cuts: Cuts
) -> dict[str, dict[int, tuple[float, str]]]:
    """Cut each font of `pdf`'s pages (`batch` their glyphs: `batch_glyphs`) to the
    glyphs they draw and the body's of the same name: its program, widths, text and
    bounding box (`cuts`: the batch's last cuts). Gives each font's glyphs as cut."""
    used: dict[tuple[int, int], set[int]] = {}
    fonts: dict[tuple[int, int], Object] = {}
    for page in pdf.pages:
        _codes(page.obj, page.obj.get("/Resources", Dictionary()), used, fonts)
    cut: dict[str, dict[int, tuple[float, str]]] = {}
    for key, font in fonts.items():
        name = str(font.BaseFont)
        glyphs = batch[name]
        wanted = used.get(key, set()) | set(body.get(name, {}))
        cut[name] = {gid: glyphs[gid] for gid in sorted(wanted) if gid in glyphs}
        _cut(pdf, font, cut[name], cuts)
    return cut


def _codes(
    holder: Object,
    resources: Object,
    used: dict[tuple[int, int], set[int]],
    fonts: dict[tuple[int, int], Object],
) -> None:
    """The two-byte codes each font draws in `holder`'s content (and its forms')."""
    named = resources.get("/Font", Dictionary())
    for font in named.values():
        fonts.setdefault(font.objgen, font)
    current: Object | None = None
    # Only the operators that choose a font or show text: a clinic page's QR codes are
    # thousands of others.
    for instruction in pikepdf.parse_content_stream(holder, _TEXT_OPERATORS):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        operands, operator = instruction.operands, instruction.operator
        op = str(operator)
        if op == "Tf":
            current = named.get(str(operands[0]))
        elif op in ("Tj", "'", '"', "TJ") and current is not None:
            parts = operands[-1] if op == "TJ" else [operands[-1]]
            codes = used.setdefault(current.objgen, set())
            for part in parts:
                if isinstance(part, pikepdf.String):
                    raw = bytes(part)
                    codes.update(
                        int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)
                    )
    for xobject in resources.get("/XObject", Dictionary()).values():
        if xobject.get("/Subtype") == Name.Form:
            _codes(xobject, xobject.get("/Resources", resources), used, fonts)


@dataclass(frozen=True)
class Cut:
    """A face cut to some glyphs, as a PDF holds it."""

    program: bytes | None
    """Its program, Flate-compressed (None: a font without one)."""
    length: int
    """Its program's length before compression."""
    widths: bytes
    """Its /W array."""
    cmap: bytes
    """Its ToUnicode CMap, Flate-compressed."""


_TEXT_OPERATORS = "Tf Tj ' \" TJ"
"""The content-stream operators `_codes` reads."""


class Cuts:
    """The last cut of each face (most clinics of a batch cut a Latin face alike)."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[tuple[int, ...], Cut]] = {}

    def cut(self, font: Object, glyphs: dict[int, tuple[float, str]]) -> Cut:
        """`font`'s program, /W array and ToUnicode CMap holding `glyphs` only (the
        program and the CMap Flate-compressed)."""
        name, gids = str(font.BaseFont), tuple(glyphs)
        last = self._last.get(name)
        if last is not None and last[0] == gids:
            return last[1]
        program = _program(font)
        data = _subset(program.read_bytes(), list(gids)) if program is not None else None
        runs: list[str] = []
        for gid, (width, _) in glyphs.items():
            if gid - 1 not in glyphs:
                runs.append(f"] {gid} [")
            runs.append(f"{width:.4f}".rstrip("0").rstrip("."))
        widths = ("[" + " ".join(runs)[1:] + "]]" if runs else "[]").encode()
        cmap = to_unicode({gid: text for gid, (_, text) in glyphs.items()})
        # Compressed here, once for every clinic the cut serves, not by each edition's
        # save (a CJK face's program was three quarters of an edition's save time).
        made = Cut(
            None if data is None else zlib.compress(data),
            0 if data is None else len(data),
            widths,
            zlib.compress(cmap),
        )
        self._last[name] = (gids, made)
        return made


def _program(font: Object) -> Object | None:
    descriptor = font.DescendantFonts[0].FontDescriptor
    return descriptor.get("/FontFile2", descriptor.get("/FontFile3"))


def _cut(pdf: Pdf, font: Object, glyphs: dict[int, tuple[float, str]], cuts: Cuts) -> None:
    """`font` holding `glyphs` only, as WeasyPrint writes a font of those glyphs; cut
    even when it holds no more, so that its bytes are the same either way."""
    descendant = font.DescendantFonts[0]
    descriptor = descendant.FontDescriptor
    made = cuts.cut(font, glyphs)
    program = _program(font)
    if program is not None and made.program is not None:
        cut = _compressed(pdf, made.program)
        if "/Subtype" in program:  # an OpenType (CFF) program says so
            cut.Subtype = program.Subtype
        else:  # a TrueType one its length
            cut.Length1 = made.length
        descriptor["/FontFile2" if "/FontFile2" in descriptor else "/FontFile3"] = cut
    # Parsed from text: a thousand pikepdf numbers made one by one took milliseconds.
    descendant.W = pikepdf.Object.parse(made.widths)
    values = {width for width, _ in glyphs.values()}
    flags = int(descriptor.get("/Flags", 0)) & ~1  # FixedPitch, as WeasyPrint sets it
    descriptor.Flags = flags | (1 if len(glyphs) > 1 and len(values) == 1 else 0)
    box = list(descriptor.get("/FontBBox", Array([0, 0, 0, 0])))
    descriptor.FontBBox = Array([box[0], box[1], max(values, default=0), box[3]])
    font.ToUnicode = _compressed(pdf, made.cmap)


def _compressed(pdf: Pdf, data: bytes) -> pikepdf.Stream:
    """A stream of `data`, Flate-compressed already (a save leaves it as it is)."""
    stream = pdf.make_stream(b"")
    stream.write(data, filter=Name.FlateDecode)
    return stream


def _subset(data: bytes, gids: list[int]) -> bytes:
    """A subset of WeasyPrint's (glyph ids kept, no hinting) cut to `gids`: the same bytes
    whichever subset of the face, holding them, it is cut from."""
    flags = hb.SubsetFlags
    wanted = hb.SubsetInput()
    wanted.glyph_set.update(gids)
    wanted.flags = (
        flags.RETAIN_GIDS | flags.PASSTHROUGH_UNRECOGNIZED | flags.DESUBROUTINIZE | flags.NO_HINTING
    )
    return bytes(hb.subset(hb.Face(hb.Blob(data)), wanted).blob.data)
