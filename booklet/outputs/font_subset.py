"""A font cut down to the characters a book uses, for embedding in the EPUB.

A Noto CJK face is about 20 MB; the characters of a handbook need a few hundred KB.
HarfBuzz's subsetter does it in milliseconds (fontTools took a second per CJK face);
it writes plain OpenType (CFF or TrueType, as the face), which the EPUB's ZIP compresses
as well as WOFF would. fontTools remains for a face HarfBuzz refuses. Deterministic: the
same face and characters give the same bytes (no timestamps).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

import uharfbuzz as hb

from booklet.themes.fonts import FontFace


@dataclass(frozen=True)
class FontKind:
    """What an EPUB calls a font file."""

    suffix: str
    """`.otf` (CFF outlines) or `.ttf` (TrueType outlines)."""
    media_type: str
    """`font/otf` or `font/ttf`."""
    css_format: str
    """Its name in a CSS `format()` hint."""


def font_kind(face: FontFace) -> FontKind:
    """The kind of file a subset of `face` is: that of the face itself."""
    tags = hb.Face(hb.Blob.from_file_path(str(face.path)), face.index).table_tags
    if "CFF " in tags or "CFF2" in tags:
        return FontKind(".otf", "font/otf", "opentype")
    return FontKind(".ttf", "font/ttf", "truetype")


def subset_font(face: FontFace, characters: Iterable[str]) -> bytes:
    """`face` holding only the glyphs for `characters` (and an outlined .notdef), without
    hints (reading systems render at screen sizes), as a file of `font_kind(face)`."""
    codepoints = sorted({ord(c) for c in characters} & face.codepoints)
    source = hb.Face(hb.Blob.from_file_path(str(face.path)), face.index)
    wanted = hb.SubsetInput()
    wanted.unicode_set.update(codepoints)
    wanted.flags = (
        hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.DESUBROUTINIZE | hb.SubsetFlags.NOTDEF_OUTLINE
    )
    try:
        return bytes(hb.subset(source, wanted).blob.data)
    except RuntimeError:  # HarfBuzz cannot subset this face (an unusual table layout)
        return _fonttools_subset(face, codepoints)


def _fonttools_subset(face: FontFace, codepoints: list[int]) -> bytes:
    from fontTools import subset  # a fifth of a second to import, and rarely needed
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    options.recalc_timestamp = False
    font = TTFont(face.path, fontNumber=face.index, recalcTimestamp=False)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints)
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out, reorderTables=True)
    finally:
        font.close()
    return out.getvalue()
