"""The one normalisation of text for hashing and comparing, whatever the stage.

Two texts that print the same compare equal: Unicode NFC, lines an author wrapped joined
as the script expects (booklet.text.line_joining), runs of white space as one space, no
white space at either end. Re-wrapping a paragraph, or a translator's tool adding a line
break around a target, changes nothing.
"""

from __future__ import annotations

import re
import unicodedata

from booklet.text.line_joining import join_wrapped_lines

_SPACES = re.compile(r"\s+")


def normal_text(text: str) -> str:
    """`text` as it compares: NFC, wrapped lines joined, white space collapsed and trimmed."""
    return _SPACES.sub(" ", join_wrapped_lines(unicodedata.normalize("NFC", text))).strip()
