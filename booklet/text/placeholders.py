"""Text patterns with `{name}` placeholders, as written in theme, handbook and statute files."""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill(pattern: str, **values: object) -> str:
    """Put values into a pattern's `{name}` placeholders; other braces stay as written.

    Not str.format: patterns come from theme and handbook files, and a typo there must
    print visibly rather than crash the build or reach into Python objects.
    """
    return _PLACEHOLDER.sub(
        lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), pattern
    )


_BRACED = re.compile(r"\{[^{}]*\}")


def pattern_problem(pattern: str, allowed: tuple[str, ...]) -> str | None:
    """Why a pattern is not usable (an unknown placeholder, a stray brace), or None."""
    for match in _BRACED.finditer(pattern):
        name = match.group(0)[1:-1]
        if name not in allowed:
            known = ", ".join("{" + a + "}" for a in allowed) or "none"
            return f"{match.group(0)} is not a placeholder it can use (it can use: {known})"
    rest = _BRACED.sub("", pattern)
    if "{" in rest or "}" in rest:
        return "it has a { or } that does not close; write placeholders as {name}"
    return None
