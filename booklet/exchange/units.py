"""Exchange units: one translatable piece, as sent to translators and as read back.

No dependencies: the exchange formats and the import share these records.
"""

from __future__ import annotations

from dataclasses import dataclass

from booklet.errors import SourceLocation

OBSOLETE = "x-obsolete"
"""The state of a translation whose original was deleted: exported for reuse (PO's `#~`),
never imported."""


@dataclass(frozen=True)
class ExchangeUnit:
    """One translatable piece."""

    id: str
    """`chapter.md#5.2` for text, `law:key` for an article."""
    original: str
    """The authoritative text."""
    target: str
    """The current translation ("" when missing)."""
    state: str
    """`translated`, `needs-review-translation`, `new` or OBSOLETE."""
    note: str
    """Where it is and what kind of text it is."""
    previous: str = ""
    """For a stale translation, the original it was made from (gettext's `#| msgid`); for
    a suggestion, the original of the translation suggested."""
    suggested_from: str = ""
    """For a new unit given a suggestion of the translation memory: the unit it comes from."""


@dataclass(frozen=True)
class ImportedUnit:
    """A unit as read back from an exchange file."""

    id: str
    original: str
    target: str
    state: str
    location: SourceLocation
