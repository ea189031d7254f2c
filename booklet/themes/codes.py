"""What a clinic edition's QR code can hold at the size the theme prints it.

Takes a Theme (its stylesheets' `.qr-code` width); gives the largest QR code version whose
modules stay readable (at least 0.33 mm each, what a phone camera resolves at arm's
length, with the four-module quiet zone inside the printed square) and how many bytes
that version holds at error correction level M, from segno's own capacity table: the
limit `booklet check` puts on a clinic's web address and number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from booklet.themes.theme import OVERRIDE_CSS, Theme

MIN_MODULE_MM = 0.33
"""The smallest module a phone reads from paper reliably."""
QUIET_ZONE = 4
"""Modules of white around the code on each side (the standard's quiet zone)."""
DEFAULT_CODE_MM = 26.0
"""The printed width when no stylesheet sets one."""
SCREEN_STYLESHEETS = frozenset({"epub.css"})
"""Stylesheets for screens: their code is not printed, so it sets no limit."""
_RULE = re.compile(r"\.qr-code\b[^{}]*\{([^}]*)\}")
_WIDTH = re.compile(r"(?<![-\w])width\s*:\s*([0-9]*\.?[0-9]+)\s*(mm|cm|in|pt|px)\b")
_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "px": 25.4 / 96}


@dataclass(frozen=True)
class CodeCapacity:
    """The largest readable QR code at the printed size, and what it holds."""

    size_mm: float
    """The printed width of the code, quiet zone included."""
    version: int
    """The QR version (1-40), 0 when even version 1 would print too small."""
    max_bytes: int
    """Bytes of text (UTF-8) the code holds at level M; 0 when none fits."""


def code_size_mm(theme: Theme) -> float:
    """The narrowest printed width the theme's stylesheets give `.qr-code`."""
    widths = [
        float(number) * _MM[unit]
        for name, css in [*theme.stylesheets.items(), *((OVERRIDE_CSS, c) for c in theme.overrides)]
        if name not in SCREEN_STYLESHEETS
        for rule in _RULE.findall(css)
        for number, unit in _WIDTH.findall(rule)
    ]
    return min(widths, default=DEFAULT_CODE_MM)


def byte_capacity(version: int) -> int:
    """Bytes a QR code of `version` holds in byte mode at level M."""
    from segno import consts  # segno is imported by clinic editions only

    table: dict[int, dict[int, int]] = consts.SYMBOL_CAPACITY  # type: ignore[assignment]
    bits = table[version][consts.ERROR_LEVEL_M]
    count_bits = 8 if version < 10 else 16
    return (bits - 4 - count_bits) // 8


def code_capacity(theme: Theme) -> CodeCapacity:
    """What the theme's printed QR code holds at a readable module size."""
    size = code_size_mm(theme)
    modules = int(size / MIN_MODULE_MM + 1e-9) - 2 * QUIET_ZONE
    version = min(40, (modules - 17) // 4) if modules >= 21 else 0
    return CodeCapacity(size, version, byte_capacity(version) if version else 0)
