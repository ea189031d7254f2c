"""The one sanitising of text on its way to a terminal: control characters made visible.

Messages quote what a file, a record or a source holds (a phone number, a note, a
file name). Written to a terminal as they are, an escape sequence in them would retitle
or clear the window, and a direction override would reorder the line around it; each is
shown instead as its code (`\\x1b`, `\\u202e`). Line breaks and tabs stay: messages use them.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)
"""C0 and C1 controls but line feed and tab, direction embeddings, overrides and isolates
(marks stay: right-to-left text needs them), line and paragraph separators, and the
noncharacters U+FFFE and U+FFFF."""


def _code(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """`text` with every character a terminal would act on written as its code."""
    return _UNSAFE.sub(_code, text)


def quoted(value: str) -> str:
    """A value from a file in quotes for a message, every control character (line breaks
    too: a value is one line) written as its code."""
    return '"' + terminal_safe(value).replace("\n", "\\n").replace("\t", "\\t") + '"'
