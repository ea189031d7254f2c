"""The text layer: what a PDF's text says when it is copied, searched or read aloud.

Takes what WeasyPrint drew (each line of text as glyphs, noted by `recording` while it
draws) and the PDF it wrote; gives the PDF whose glyphs say the source text:

- every glyph occurrence stands for its own characters. WeasyPrint gives a glyph one
  Unicode mapping, its first occurrence's, so a glyph shared by different clusters said
  the wrong thing elsewhere (Thai SARA AA also drawn for the tail of SARA AM: "กำหนด"
  came out "กาหนด", "สายด่วน" as "สำยด่วน"). An occurrence that means something else is
  drawn with a new character code of the same font, which maps to the same glyph
  (CIDToGIDMap) and to its own text (ToUnicode);
- a cluster's characters sit on its letters, the glyphs that stand on the line, in the
  order they are read (a Devanagari or Myanmar vowel drawn before its consonant reads
  after it), and a mark's or an invisible character's (ZWNJ) on the letter before it:
  extractors group characters into words by where they stand, and a mark above the
  line split a word;
- a glyph that stands for nothing has a code that is a default-ignorable code point.

A right-to-left line stays stored as drawn, from left to right: poppler and PDFium
(Chrome's and Edge's viewer, and what their accessibility tree gives a screen reader)
put such a line back in reading order by position, reversing it character by
character, the characters of one glyph too. So there a cluster's characters sit on its
first letter backwards ("مُ" as "ُم", a ligature's "لا" as "ال"), a mark's and a ZWNJ's
text going to that letter as well, and the glyphs that then stand for nothing are
written after the line's others: mapped in logical order and written where they fell,
the marks were read apart and a ZWNJ lost (pdftotext and PDFium read 5 of 7 Arabic
words, now 7). Stored in logical order, poppler's structure text
(`pdfinfo -struct-text`) read it right, but PDFium read every Arabic, Hebrew and
Persian word backwards, and poppler's text split lam-alef: measured in issue 27. No
other mark makes that structure text read in logical order: it reads neither /ActualText
nor /ReversedChars (why, from poppler's source, with the figures: tests/test_text_layer.py,
GAPS).

WeasyPrint's `draw_first_line` is wrapped (pinned with pdf_tags.WEASYPRINT_MAJOR): the
glyphs of each line it draws are noted, and a line that needs correcting is marked in
the content stream (a `BookletGlyphs` marked-content sequence numbering its note);
`correct` rewrites the marked lines and removes the marks. Text that is one glyph per
character (Latin, CJK) is left as WeasyPrint draws it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pikepdf

from booklet.errors import RenderError
from booklet.text.word_breaks import WORD_BREAK

try:  # WeasyPrint is heavy: import it once, on first use, not at CLI start-up.
    from weasyprint.draw import text as weasyprint_text
    from weasyprint.text.ffi import ffi, pango
except ImportError as error:  # pragma: no cover - the package depends on it
    raise RenderError(f"WeasyPrint cannot be imported ({error}); run: make setup") from None

MARK = "BookletGlyphs"
"""The marked-content tag around a line `correct` rewrites (never left in a PDF)."""


@dataclass(frozen=True)
class Glyph:
    """One glyph drawn in a line of text."""

    gid: int
    """The glyph's id in its font (the code WeasyPrint writes)."""
    text: str
    """The characters it stands for in this occurrence ("" for nothing)."""
    last: bool = False
    """It stands for nothing in a right-to-left run (a mark, whose text its letter
    carries): written after the line's other glyphs, where it is drawn all the same.
    Written among them, raised and overlapping its letter, it made PDFium end a word on
    either side of it ("مُ همّ ة" for "مُهمّة"), even written after its letter."""


@dataclass
class Lines:
    """The lines marked for correction while WeasyPrint drew, by their mark's number."""

    glyphs: list[tuple[Glyph, ...]] = field(default_factory=list)


INSERTED = str.maketrans(
    "", "", WORD_BREAK + "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""What the render inserts, drawn as no glyph: break opportunities between words written
without spaces, and the bidirectional isolates and marks around a run of the other
direction (extraction sets its own). Not the source's words: left out of the text layer."""

COMPLEX = re.compile(
    "[^\u0000-\u02ff\u0370-\u04ff\u2000-\u206f\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\ufe30-\ufe4f\uff00-\uffef]"
)
"""A character outside the scripts whose every character is one glyph, or a ligature
WeasyPrint maps whole (Latin, Greek, Cyrillic, CJK, Hangul syllables): a line without
one is left as WeasyPrint draws it (walking its glyphs took 6% of a Chinese book's
render)."""


@dataclass
class _Drawn:
    """A glyph of a run being read: where it is in the cluster and whether it stands on
    the line as a letter does."""

    gid: int
    order: tuple[int, int]
    spacing: bool
    """It advances the line and sits on the baseline: extraction places a character
    there. A mark (no advance, or raised or lowered by the font) and a character drawn
    as no glyph (ZWNJ) are not: a character there was read as a word of its own, or
    left a gap inside a word."""
    backwards: bool = False
    """It is in a right-to-left run."""
    text: str = ""


def _clusters(glyph_item: Any, utf8: bytes) -> list[tuple[str, list[_Drawn]]]:
    """A run's clusters in its drawing order: each one's text, and its glyphs in the
    order they are read."""
    item = glyph_item.item
    count = glyph_item.glyphs.num_glyphs
    starts = sorted({int(glyph_item.glyphs.log_clusters[i]) for i in range(count)})
    ends = dict(zip(starts, [*starts[1:], int(item.length)], strict=True))
    backwards = bool(item.analysis.level % 2)
    clusters: dict[int, list[_Drawn]] = {}
    for index in range(count):
        info = glyph_item.glyphs.glyphs[index]
        start = int(glyph_item.glyphs.log_clusters[index])
        visible = info.glyph != pango.PANGO_GLYPH_EMPTY
        spacing = visible and info.geometry.width > 0 and not info.geometry.y_offset
        place = -index if backwards else index
        glyph = _Drawn(int(info.glyph), (int(item.offset) + start, place), spacing, backwards)
        clusters.setdefault(start, []).append(glyph)
    found = []
    for start, glyphs in clusters.items():
        text = utf8[item.offset + start : item.offset + ends[start]].decode("utf-8", "replace")
        found.append((text.translate(INSERTED), sorted(glyphs, key=lambda g: g.order)))
    return found


def _line_glyphs(textbox: Any) -> tuple[list[Glyph], bool, list[Any]]:
    """The glyphs of a text box's line as drawn, each with the characters it stands for,
    whether any run is right to left, and the Pango font of each.

    A cluster's characters go to its letters (glyphs that stand on the line) in the
    order they are read, one each, the last taking the rest: a pre-base vowel drawn
    before its consonant reads, with it, as written. A cluster with no letter (a mark
    of its own, a ZWNJ) adds its characters to the letter before it."""
    line, _ = textbox.pango_layout.get_first_line()
    utf8 = textbox.pango_layout.text.encode()
    drawn: list[tuple[_Drawn, Any]] = []
    orphans: list[tuple[tuple[int, int], str]] = []
    rtl = False
    run = line.runs[0]
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        backwards = bool(glyph_item.item.analysis.level % 2)
        rtl = rtl or backwards
        for text, glyphs in _clusters(glyph_item, utf8):
            letters = [glyph for glyph in glyphs if glyph.spacing]
            if backwards and letters:
                # Stored as drawn, from left to right, which readers (poppler, PDFium)
                # put back in reading order character by character: the cluster's text
                # on its first letter, backwards (`_glyph`).
                min(letters, key=lambda g: -g.order[1]).text = text
            elif letters:
                for letter, part in zip(letters, _shared(text, len(letters)), strict=True):
                    letter.text = part
            elif text:
                orphans.append((glyphs[0].order, text))
            drawn.extend((glyph, glyph_item.item.analysis.font) for glyph in glyphs)
    _adopt(orphans, [glyph for glyph, _ in drawn if glyph.spacing])
    kept = [(g, font) for g, font in drawn if g.gid != pango.PANGO_GLYPH_EMPTY]
    return [_glyph(g) for g, _ in kept], rtl, [font for _, font in kept]


def _glyph(drawn: _Drawn) -> Glyph:
    """A glyph drawn with its characters, backwards in a right-to-left run: readers
    reverse a right-to-left line character by character, the characters of one glyph
    too, and read a letter with its marks ("مُ") or a ligature ("لا") in the order it is
    written only when it is stored backwards."""
    if not drawn.backwards:
        return Glyph(drawn.gid, drawn.text)
    return Glyph(drawn.gid, drawn.text[::-1], last=not drawn.text)


def _writing_order(glyphs: tuple[Glyph, ...]) -> list[int]:
    """The glyphs' indices in the order a line writes them: those of a right-to-left
    run that stand for nothing last (`Glyph.last`)."""
    return [index for index, glyph in enumerate(glyphs) if not glyph.last] + [
        index for index, glyph in enumerate(glyphs) if glyph.last
    ]


def _shared(text: str, count: int) -> list[str]:
    """`text` over `count` glyphs: one character each, the last taking the rest."""
    parts = [*text[: count - 1], text[count - 1 :]]
    return parts + [""] * (count - len(parts))


def _adopt(orphans: list[tuple[tuple[int, int], str]], letters: list[_Drawn]) -> None:
    """Each orphan text added to the letter before it in reading order (the first
    letter after it when none is before)."""
    for order, text in orphans:
        before = [letter for letter in letters if letter.order < order]
        if before:
            host = max(before, key=lambda letter: letter.order)
            host.text += text
        elif letters:
            host = min(letters, key=lambda letter: letter.order)
            host.text = text + host.text


def _needs_correcting(stream: Any, glyphs: list[Glyph], fonts: list[Any], rtl: bool) -> bool:
    """Whether a line drawn with WeasyPrint's glyph mappings would read otherwise than
    its text: a right-to-left run, or a glyph whose mapping is another occurrence's."""
    correct = not rtl
    for glyph, pango_font in zip(glyphs, fonts, strict=True):
        font, _ = stream.add_font(pango_font)  # the font WeasyPrint drew with (cached)
        if font.bitmap or glyph.gid & pango.PANGO_GLYPH_UNKNOWN_FLAG:
            return False  # one-byte codes, or a .notdef WeasyPrint re-numbered: left as is
        correct = correct and font.to_unicode.get(glyph.gid) == glyph.text
    return not correct


@contextmanager
def recording(lines: Lines) -> Iterator[None]:
    """While WeasyPrint draws, note in `lines` each line that needs correcting and mark
    it in the content stream."""
    original = weasyprint_text.draw_first_line

    def draw(stream: Any, textbox: Any, *args: Any) -> Any:
        start = len(stream.stream)
        drawn = original(stream, textbox, *args)
        if len(stream.stream) == start or not COMPLEX.search(textbox.pango_layout.text):
            return drawn  # nothing drawn (a blank line), or one glyph a character
        glyphs, rtl, fonts = _line_glyphs(textbox)
        if _needs_correcting(stream, glyphs, fonts, rtl):
            stream.stream.insert(start, f"/{MARK} <</N {len(lines.glyphs)}>> BDC".encode())
            stream.end_marked_content()
            lines.glyphs.append(tuple(glyphs))
        return drawn

    weasyprint_text.draw_first_line = draw
    try:
        yield
    finally:
        weasyprint_text.draw_first_line = original


# --- after WeasyPrint: the written PDF, corrected -------------------------------------

IGNORABLE: tuple[int, ...] = (
    0x200B,
    *range(0x2060, 0x2065),
    *range(0xFE00, 0xFE10),
    *range(0x180B, 0x180E),
    0x180F,
    0x115F,
    0x1160,
    0x3164,
    0xFFA0,
)
"""Default-ignorable code points that no text here needs (no ZWNJ, ZWJ or bidi control):
the codes of glyphs that stand for nothing, when a reader maps a code by its number."""

_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")


class _Font:
    """A composite font of the PDF: its glyph widths and mappings, and the new codes
    given to glyphs whose occurrence says something else than their mapping."""

    def __init__(self, font: pikepdf.Object) -> None:
        self.font = font
        self.descendant = font.DescendantFonts[0]
        self.widths = _widths(self.descendant.get("/W", pikepdf.Array()))
        self.default_width = float(self.descendant.get("/DW", 1000))
        self.mapping: dict[int, str] = {}
        if "/ToUnicode" in font:
            for code, text in _BFCHAR.findall(font.ToUnicode.read_bytes()):
                self.mapping[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
        # A code maps to another glyph only through a TrueType CIDFont's CIDToGIDMap.
        self.can_alias = (
            str(self.descendant.get("/Subtype")) == "/CIDFontType2"
            and str(self.descendant.get("/CIDToGIDMap", "/Identity")) == "/Identity"
            and str(font.get("/Encoding")) == "/Identity-H"
        )
        self.glyph_of: dict[int, int] = {}
        self.aliases: dict[tuple[int, str], int] = {}
        self.next_code = max([*self.widths, *self.mapping, 0]) + 1

    def width(self, code: int) -> float:
        return self.widths.get(self.glyph_of.get(code, code), self.default_width)

    def code(self, gid: int, text: str) -> int:
        """The code that draws glyph `gid` and reads as `text`.

        A glyph that stands for nothing gets a code that is a default-ignorable code
        point (U+200B, U+2060...) mapped to nothing: PDFium takes a code mapped to
        nothing for the character of that number, and printed "ก;ำหนด" for "กำหนด"."""
        if not self.can_alias or (text and self.mapping.get(gid) == text):
            return gid
        code = self.aliases.get((gid, text))
        if code is None:
            code = self._free_code(ignorable=not text)
            if code is None:
                return gid
            self.aliases[(gid, text)] = code
            self.glyph_of[code] = gid
            self.widths[code] = self.widths.get(gid, self.default_width)
        return code

    def _free_code(self, ignorable: bool) -> int | None:
        """A code no glyph of the font uses: a default-ignorable one for a glyph that
        stands for nothing while one is free, else the next after the font's."""
        taken = {*self.widths, *self.mapping, *self.glyph_of}
        if ignorable:
            code = next((c for c in IGNORABLE if c not in taken), None)
            if code is not None:
                return code
        while self.next_code in taken or self.next_code in IGNORABLE:
            self.next_code += 1
        if self.next_code > 0xFFFF:
            return None
        self.next_code += 1
        return self.next_code - 1

    def write(self, pdf: pikepdf.Pdf) -> None:
        """The new codes into the font: their glyph, width and text."""
        if not self.aliases:
            return
        last = max(self.glyph_of)
        table = bytearray()
        for code in range(last + 1):
            table += self.glyph_of.get(code, code).to_bytes(2, "big")
        self.descendant.CIDToGIDMap = pdf.make_stream(bytes(table))
        widths = self.descendant.get("/W", pikepdf.Array())
        for code, gid in sorted(self.glyph_of.items()):
            widths.append(code)
            widths.append(pikepdf.Array([self.widths.get(gid, self.default_width)]))
        self.descendant.W = widths
        if "/CIDSet" in self.descendant.FontDescriptor:
            del self.descendant.FontDescriptor.CIDSet  # optional, and now incomplete
        mapping = dict(self.mapping)
        mapping.update({code: text for (_, text), code in self.aliases.items()})
        self.font.ToUnicode = pdf.make_stream(to_unicode(mapping))


def _widths(array: Any) -> dict[int, float]:
    """A CIDFont's /W array as code -> width (thousandths of the font size)."""
    widths: dict[int, float] = {}
    items = list(array)
    index = 0
    while index < len(items):
        first = int(items[index])
        if isinstance(items[index + 1], pikepdf.Array):
            for step, width in enumerate(items[index + 1]):
                widths[first + step] = float(width)
            index += 2
        else:
            for code in range(first, int(items[index + 1]) + 1):
                widths[code] = float(items[index + 2])
            index += 3
    return widths


def to_unicode(mapping: Mapping[int, str]) -> bytes:
    """A ToUnicode CMap for two-byte codes (as WeasyPrint writes them)."""
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        batch = items[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        for code, text in batch:
            lines.append(f"<{code:04x}> <{text.encode('utf-16-be').hex()}>".encode())
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


@dataclass(frozen=True)
class _Placed:
    """A glyph where WeasyPrint drew it."""

    gid: int
    x: float
    """Its origin along the line, in text space (from the line's text matrix)."""
    font: pikepdf.Name
    size: float
    rise: float


def _placed(block: list[Any], fonts: dict[pikepdf.Name, _Font]) -> list[_Placed] | None:
    """The glyphs of a marked line where they are drawn, None for a line drawn otherwise
    than WeasyPrint draws text (it is then left as it is)."""
    placed: list[_Placed] = []
    name: pikepdf.Name | None = None
    size = rise = x = 0.0
    for index, instruction in enumerate(block):
        operator, operands = str(instruction.operator), instruction.operands
        if index == 0:
            if operator != "Tm":
                return None
            continue
        if operator == "Tf" and operands[0] in fonts:
            name, size = operands[0], float(operands[1])
        elif operator == "Ts":
            rise = float(operands[0])
        elif operator == "TJ" and name is not None:
            for item in operands[0]:
                if isinstance(item, pikepdf.String):
                    raw = bytes(item)
                    for at in range(0, len(raw) - 1, 2):
                        gid = int.from_bytes(raw[at : at + 2], "big")
                        placed.append(_Placed(gid, x, name, size, rise))
                        x += fonts[name].width(gid) * size / 1000
                else:
                    x -= float(item) * size / 1000
        else:
            return None
    return placed


def _rewritten(
    block: list[Any], glyphs: tuple[Glyph, ...], fonts: dict[pikepdf.Name, _Font]
) -> list[Any]:
    """A marked line's instructions: its glyphs where they were drawn, each with a code
    that reads as its own text (placed from their positions, so that a font, size or
    rise change between them is written once)."""
    placed = _placed(block, fonts)
    if placed is None or len(placed) != len(glyphs):
        return block
    out = [block[0]]
    shown: list[Any] = []
    pen, state = 0.0, (pikepdf.Name("/None"), 0.0)
    rise = 0.0

    def flush() -> None:
        if shown:
            out.append(
                pikepdf.ContentStreamInstruction([pikepdf.Array(shown)], pikepdf.Operator("TJ"))
            )
            shown.clear()

    for index in _writing_order(glyphs):
        glyph = placed[index]
        font = fonts[glyph.font]
        if (glyph.font, glyph.size) != state:
            flush()
            state = (glyph.font, glyph.size)
            out.append(
                pikepdf.ContentStreamInstruction([glyph.font, glyph.size], pikepdf.Operator("Tf"))
            )
        if glyph.rise != rise:
            flush()
            rise = glyph.rise
            out.append(pikepdf.ContentStreamInstruction([rise], pikepdf.Operator("Ts")))
        if abs(glyph.x - pen) > 1e-4:
            shown.append(round((pen - glyph.x) * 1000 / glyph.size, 3))
        code = font.code(glyph.gid, glyphs[index].text)
        shown.append(pikepdf.String(code.to_bytes(2, "big")))
        pen = glyph.x + font.width(code) * glyph.size / 1000
    flush()
    if rise:
        out.append(pikepdf.ContentStreamInstruction([0], pikepdf.Operator("Ts")))
    return out


def _page_fonts(page: pikepdf.Page, known: dict[Any, _Font]) -> dict[pikepdf.Name, _Font]:
    fonts: dict[pikepdf.Name, _Font] = {}
    resources: Any = page.obj.get("/Resources", pikepdf.Dictionary())
    for name, font in resources.get("/Font", pikepdf.Dictionary()).items():
        if str(font.get("/Subtype")) != "/Type0":
            continue
        if font.objgen not in known:
            known[font.objgen] = _Font(font)
        fonts[pikepdf.Name(name)] = known[font.objgen]
    return fonts


def correct(pdf: pikepdf.Pdf, lines: Lines) -> None:
    """Rewrite the lines `recording` marked in `pdf`, and remove the marks."""
    if not lines.glyphs:
        return
    known: dict[Any, _Font] = {}
    bdc, emc = pikepdf.Operator("BDC"), pikepdf.Operator("EMC")
    mark = pikepdf.Name("/" + MARK)
    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        if isinstance(contents, pikepdf.Stream) and MARK.encode() not in contents.read_bytes():
            continue  # nothing marked: not parsed
        fonts = _page_fonts(page, known)
        instructions = list(pikepdf.parse_content_stream(page))
        out: list[Any] = []
        block: list[Any] | None = None
        number = 0
        for instruction in instructions:
            if block is None and instruction.operator == bdc and instruction.operands[0] == mark:
                block, number = [], int(instruction.operands[1].N)
            elif block is not None and instruction.operator == emc:
                out += _rewritten(block, lines.glyphs[number], fonts)
                block = None
            elif block is not None:
                block.append(instruction)
            else:
                out.append(instruction)
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))
    for font in known.values():
        font.write(pdf)
