"""booklet's vocabulary: the names every stage and the command line share.

Layouts, editions, output and exchange formats, review statuses, callout kinds,
translation states, and the paper sizes booklet prints on. Light on purpose (no imports
beyond the standard library), so the CLI can build `--help` from it without loading
WeasyPrint; one list of each, never repeated elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Layout(StrEnum):
    """How the languages of a PDF are arranged."""

    PARALLEL = "parallel"
    """Side by side, block by block."""
    INTERLEAVED = "interleaved"
    """Each block followed by its translation."""
    SEQUENTIAL = "sequential"
    """One language, then the next, each with its own contents."""
    FACING = "facing"
    """One language on each page of a spread, the spreads in step."""


FACING_LANGUAGES = 2
"""How many languages the facing layout shows: one on each page of a spread."""

LAYOUTS = (Layout.PARALLEL, Layout.INTERLEAVED, Layout.SEQUENTIAL)
"""The layouts `booklet build` makes when none is named, in that order. Facing pages are
made when asked for (`--layout facing`, `[publish] layouts`): laid out twice per
language, they cost about two parallel renders."""

LARGE_PRINT_LAYOUTS = (Layout.INTERLEAVED, Layout.SEQUENTIAL)
"""Large print has no side-by-side columns: they would be too narrow at 16 pt."""

EVERYDAY_LAYOUT = Layout.INTERLEAVED
"""The fold-and-staple booklet a front desk prints for everyday use (the one a kit
holds): each paragraph followed by its translation reads well on a small folded page,
where two columns get narrow."""


class Edition(StrEnum):
    """Editions of the PDF."""

    STANDARD = "standard"
    LARGE_PRINT = "large-print"
    """A4, 16 pt, sans serif, left-aligned."""


class OutputFormat(StrEnum):
    """What `booklet build --format` makes."""

    PDF = "pdf"
    EPUB = "epub"
    HTML = "html"
    """The reading edition: a folder of web pages that opens offline."""


class OutputKind(StrEnum):
    """The kinds of file a build makes; `booklet.build.kinds` says how each is made."""

    PDF = "pdf"
    """A PDF to read: a layout, an edition in one language, a clinic's, the proof."""
    BOOKLET = "booklet"
    """A PDF imposed two-up for folding and stapling."""
    PRINTING_SHEET = "printing"
    """How to print the booklets of one paper, with a duplex test."""
    EPUB = "epub"
    """An EPUB 3."""
    HTML_EDITION = "html"
    """The reading edition: a folder of web pages, both languages, with search."""


class ExchangeFormat(StrEnum):
    """Files exchanged with translators' tools."""

    XLIFF = "xliff"
    """XLIFF 1.1, for CAT tools."""
    PO = "po"
    """gettext PO, for Poedit and Weblate."""


class ReviewStatus(StrEnum):
    """The legal review status of a handbook (`[review] status`)."""

    DRAFT = "draft"
    REVIEWED = "reviewed"


class CalloutKind(StrEnum):
    """Kinds of `::: kind` callout."""

    NOTE = "note"
    TIP = "tip"
    WARNING = "warning"


class TranslationState(StrEnum):
    """Where the translation of one block or article stands."""

    CURRENT = "current"
    """Made from the original as it is now."""
    STALE = "stale"
    """Its original changed since it was translated."""
    MISSING = "missing"
    """Not translated yet (absent, empty or a placeholder)."""
    ORPHAN = "orphan"
    """A translation whose original is gone."""


class MatchedBy(StrEnum):
    """How a unit of a translator's file was matched to the handbook's (as gettext does)."""

    ID = "id"
    """Its unit id (`02-evidence.md#3f2a9c1b`)."""
    TEXT = "original text"
    """The exact text of its original: a tool dropped or renumbered the ids."""
    NORMAL = "normalised text"
    """Its original's text once normalised (a tool re-wrapped or re-spaced it)."""


MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}
"""The image types booklet embeds, by file name ending."""


class Calendar(StrEnum):
    """The calendars a date can be printed in (`[calendar]` in handbook.toml); each is
    also ICU's name for it (`th@calendar=buddhist`)."""

    GREGORIAN = "gregorian"
    BUDDHIST = "buddhist"
    """Thai solar: Gregorian months and days, years of the Buddhist era (2026 is 2569)."""
    PERSIAN = "persian"
    """Solar Hijri, the calendar of Iran and Afghanistan: its own months and year."""


DIGITS: dict[str, str] = {
    "arabic": "decimal",
    "arabic-indic": "arabic-indic",
    "persian": "persian",
    "devanagari": "devanagari",
    "bengali": "bengali",
    "thai": "thai",
    "khmer": "khmer",
    "myanmar": "myanmar",
}
"""The systems written with ten digits (a book's digits, page numbers among them) -> the
CSS counter style that writes a page number the same way (WeasyPrint's own styles)."""

# ---------------------------------------------------------------- paper

MM_PER_INCH = 25.4
POINTS_PER_MM = 72 / MM_PER_INCH


@dataclass(frozen=True)
class Paper:
    """A portrait page size."""

    name: str
    """Name on the command line (`a5`)."""
    width_mm: float
    """Width in millimetres."""
    height_mm: float
    """Height in millimetres."""

    @property
    def css_size(self) -> str:
        return f"{self.width_mm:g}mm {self.height_mm:g}mm"

    @property
    def points(self) -> tuple[float, float]:
        return self.width_mm * POINTS_PER_MM, self.height_mm * POINTS_PER_MM


PAPERS: dict[str, Paper] = {
    paper.name: paper
    for paper in (
        Paper("a4", 210, 297),
        Paper("a5", 148, 210),
        Paper("a6", 105, 148),
        Paper("letter", 8.5 * MM_PER_INCH, 11 * MM_PER_INCH),
        Paper("half-letter", 5.5 * MM_PER_INCH, 8.5 * MM_PER_INCH),
    )
}
"""Every paper size booklet knows, by name."""

DEFAULT_PAPER = "a5"


class ArticleChange(StrEnum):
    """How an article of the registry differs from the official text (`laws update`)."""

    CHANGED = "changed"
    """The same number, another text."""
    ADDED = "added"
    """In the official text, inside a run of numbers the registry holds, but not in it."""
    REPEALED = "repealed"
    """In the registry; gone from the official text, or marked repealed there."""
    RENUMBERED = "renumbered"
    """Its text is now under another number (renumbered-looking: the author decides)."""


class ScoreKind(StrEnum):
    """What a readability formula gives (booklet.readability.formulas)."""

    GRADE = "grade"
    """A school grade (US): lower is easier; `[readability] max_grade` holds it down."""
    EASE = "ease"
    """A reading ease from 0 (very hard) to 100 (very easy): higher is easier."""
