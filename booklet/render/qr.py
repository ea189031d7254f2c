"""QR codes for a clinic edition: text (a `tel:` or `https:` URI) -> an SVG image's bytes.

segno makes the code; error correction level M survives a photocopy's smudges, and the
four-module quiet zone the standard asks for is part of the image, so no margin of the
page layout can eat it. The same text always gives the same bytes. Text too long for
any code is a located RenderError (`booklet check` refuses it earlier, against the
size the theme prints the code at).
"""

from __future__ import annotations

import io
from functools import lru_cache

from booklet.errors import RenderError, SourceLocation


def qr_code(text: str, location: SourceLocation) -> bytes:
    """`qr_svg(text)`, or a RenderError at `location` when no QR code holds `text`."""
    import segno.encoder  # a twentieth of a second to import, for clinic editions only

    try:
        return qr_svg(text)
    except segno.encoder.DataOverflowError:
        raise RenderError(
            f"{location}: {len(text.encode('utf-8'))} characters are too many for a QR "
            "code; use a shorter web address"
        ) from None


# Cached: every layout of a clinic's edition shows the same codes, and making one takes
# a fiftieth of a second.
@lru_cache(maxsize=256)
def qr_svg(text: str) -> bytes:
    """A QR code holding `text`, black on white, sized by its viewBox (the page sets its size)."""
    import segno

    code = segno.make(text, error="m", micro=False, boost_error=False)
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        scale=1,
        border=4,
        xmldecl=False,
        omitsize=True,
        dark="#000",
        light="#fff",
    )
    return buffer.getvalue()
