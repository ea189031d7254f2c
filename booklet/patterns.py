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
