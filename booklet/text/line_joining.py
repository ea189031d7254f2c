"""Joining lines that an author wrapped in the source, the way each script expects.

A line break inside a paragraph is a space in Latin text, but nothing at all between
Chinese or Japanese characters: a space there would print as a visible gap.
"""

from __future__ import annotations

import re
import unicodedata

_WRAPPED = re.compile(r"(.?)[ \t]*\n[ \t]*(.?)")


def _is_wide(char: str) -> bool:
    return bool(char) and unicodedata.east_asian_width(char) in ("W", "F")


def join_wrapped_lines(text: str) -> str:
    """Replace each newline by a space, or by nothing when it sits next to a wide character."""

    def join(match: re.Match[str]) -> str:
        before, after = match.group(1), match.group(2)
        glue = "" if _is_wide(before) or _is_wide(after) else " "
        return f"{before}{glue}{after}"

    return _WRAPPED.sub(join, text)
