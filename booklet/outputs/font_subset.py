"""A font cut down to the characters a book uses, as WOFF, for embedding in the EPUB.

A Noto CJK face is about 20 MB; the characters of a handbook need a few hundred KB.
Deterministic: the same face and characters give the same bytes (no timestamps).
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from fontTools import subset
from fontTools.ttLib import TTFont

from booklet.themes.fonts import FontFace


def subset_font(face: FontFace, characters: Iterable[str]) -> bytes:
    """WOFF bytes of `face` holding only the glyphs for `characters` (and .notdef)."""
    codepoints = sorted({ord(c) for c in characters} & face.codepoints)
    options = subset.Options()
    options.flavor = "woff"
    options.notdef_outline = True
    options.hinting = False  # reading systems render at screen sizes without TrueType hints
    options.desubroutinize = True  # a quarter smaller for CJK faces once compressed
    options.recalc_timestamp = False
    font = TTFont(face.path, fontNumber=face.index, recalcTimestamp=False)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints)
        subsetter.subset(font)
        font.flavor = "woff"
        out = io.BytesIO()
        font.save(out, reorderTables=True)
    finally:
        font.close()
    return out.getvalue()
