"""A whole handbook: its metadata, review, clinics, what it publishes, its records, and
which copy of it a file is (CopyOf)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from booklet.errors import SourceLocation
from booklet.model.content import (
    Chapter,
    Citation,
    Localized,
)
from booklet.model.law import LawRecord, Statute
from booklet.vocabulary import LAYOUTS, Layout, OutputFormat, ReviewStatus

# ---------------------------------------------------------------- translations


@dataclass(frozen=True)
class RecordedUnit:
    """A piece of text (or a statute article) as it was when its translations were synced."""

    id: str
    """Its stable unit id (`3f2a9c1b`); the `law key` of an article."""
    kind: str
    """`heading`, `paragraph`, `item` or `article`."""
    hashes: Mapping[str, str]
    """Language tag -> hash of the block's text in that language."""
    made_from: Mapping[str, str]
    """Translation language -> hash of the original it was translated from."""
    line: int
    """Its line in translations.lock."""
    deleted: bool = False
    """Its original was deleted; the line is kept for its translation (an obsolete entry,
    a suggestion), and pairs again only with the same text written again."""


@dataclass(frozen=True)
class TranslationRecord:
    """translations.lock: what every block and article said at the last sync."""

    authoritative: str
    """The language the record was made from."""
    chapters: Mapping[str, tuple[RecordedUnit, ...]]
    """Chapter file name -> its pieces of text in order."""
    articles: Mapping[str, RecordedUnit]
    """`law key` -> the article's hashes, as for a block."""
    location: SourceLocation
    """The lock file."""
    texts: Mapping[str, str] = field(default_factory=dict)
    """Hash -> the original text it is the hash of, for every original a translation was
    made from: what an exchange file shows a translator as "the text before"."""


@dataclass(frozen=True)
class GlossaryTerm:
    """An approved rendering of a term in every language (glossary.toml)."""

    renderings: Mapping[str, tuple[str, ...]]
    """Language tag -> accepted renderings (the first is the preferred one)."""
    location: SourceLocation
    """Its entry in glossary.toml."""


# ---------------------------------------------------------------- handbook


@dataclass(frozen=True)
class BasisGroup:
    """A group of the legal-basis appendix under its own heading, `[[basis]]` in handbook.toml."""

    title: Localized
    """Its heading per language."""
    articles: tuple[Citation, ...]
    """The articles it holds, written like citations (`prc-civil-code 667-671`)."""
    location: SourceLocation
    """Its `[[basis]]` line."""


@dataclass(frozen=True)
class Review:
    """Legal review status of the handbook."""

    status: ReviewStatus
    """Draft until a lawyer has reviewed it."""
    law_as_at: date | None
    """The date the law is stated as at."""
    reviewed_on: date | None
    """When a lawyer last reviewed it."""
    reviewer: str
    """Who reviewed it; empty while a draft."""
    next_review: date | None
    """When it must be looked at again."""
    location: SourceLocation
    """The `[review]` table."""
    next_review_location: SourceLocation | None = None
    """The `next_review =` line, for the warning once it has passed."""
    law_as_at_location: SourceLocation | None = None
    """The `law_as_at =` line, for the warning when a cited law took effect after it."""


DEFAULT_MAX_SENTENCE_WORDS = 50
"""Only the worst sentences by default: plain-language guides aim at 15 to 20 words and
call 35 hard; 50 flags what no reader follows without a fresh start, and leaves a
handbook that set no limit passing `check --strict`."""
DEFAULT_MAX_SENTENCE_CHARACTERS = 80
"""A Chinese or Japanese sentence longer than this many characters is hard to follow."""


@dataclass(frozen=True)
class ReadabilityLimits:
    """`[readability]` in handbook.toml, for one language: what `check` warns about."""

    max_sentence_words: int = DEFAULT_MAX_SENTENCE_WORDS
    """Longest sentence, in words, before a warning."""
    max_sentence_characters: int = DEFAULT_MAX_SENTENCE_CHARACTERS
    """Longest sentence, in characters, before a warning (Chinese and Japanese only)."""
    max_grade: float | None = None
    """Highest school grade of a block, for a language with a grade formula; None: off."""
    location: SourceLocation | None = None
    """The table that set them (`[readability]` or `[readability.<lang>]`), if any."""


@dataclass(frozen=True)
class Contact:
    """A phone number printed on the back cover."""

    label: Localized
    """What the number is for, per language."""
    phone: str
    """The number as dialled."""
    location: SourceLocation
    """Its `[[contact]]` entry."""


@dataclass(frozen=True)
class Clinic:
    """A clinic of the clinic directory: whose details a clinic edition carries."""

    id: str
    """Its file name without `.toml` (`eastside`)."""
    name: Localized
    """Its name, per language."""
    address: Localized
    """Where to find it, per language."""
    hours: Localized
    """Opening hours, per language (may be empty)."""
    url: str
    """Its web address, or ""."""
    email: str
    """Its e-mail address, or ""."""
    logo: Path | None
    """Its logo file (its bytes are in Handbook.images), or None."""
    contacts: tuple[Contact, ...]
    """Its phone numbers; the first is the main one (the one its QR code dials)."""
    location: SourceLocation
    """Its file."""
    logo_line: int = 0
    """The line of its `logo` setting, for messages about the image."""
    url_line: int = 0
    """The line of its `url` setting, for messages about its QR code."""
    stand_ins: Localized = field(default_factory=dict)
    """For each language of the handbook the clinic has no text in, the language its text
    is printed in instead (its file's first): a clinic's name is a proper noun, and an
    untranslated clinic page still tells a reader where to get help."""


@dataclass(frozen=True)
class Publish:
    """What a handbook publishes (`[publish]` in handbook.toml): the editions a plain
    `booklet build` makes, so that every copy a clinic hands out is made, and kept
    current, by one command."""

    layouts: tuple[Layout, ...] = LAYOUTS
    """The bilingual layouts."""
    papers: tuple[str, ...] = ()
    """Paper names; empty for the handbook's paper (`[build] paper`)."""
    formats: tuple[OutputFormat, ...] = (OutputFormat.PDF, OutputFormat.EPUB)
    impose: bool = False
    """The fold-and-staple booklet of each layout, and its printing sheet."""
    large_print: bool = False
    """The large-print edition (A4, 16 pt)."""
    print_shop: bool = False
    """The print-shop edition (bleed, crop marks)."""
    languages: tuple[str, ...] = ()
    """The editions in one language."""
    clinics: tuple[str, ...] = ()
    """Clinic editions: ids, or `all`."""
    kit: bool = False
    """The distribution kit (one per clinic, or one generic)."""
    location: SourceLocation | None = None
    """Where the table is, for messages."""


@dataclass(frozen=True)
class Handbook:
    """A whole handbook: metadata, chapters in every language, and the statutes it may cite."""

    id: str
    """The folder name."""
    root: Path
    """The handbook folder."""
    languages: tuple[str, ...]
    """BCP 47 tags in column and reading order."""
    authoritative: str
    """The language whose text prevails; translations are made from it."""
    edition: Localized
    """Edition statement per language (`2026 edition`, `2026年版`)."""
    title: Localized
    """Title per language."""
    subtitle: Localized
    """Subtitle per language (may be empty)."""
    publisher: Localized
    """Publisher per language."""
    disclaimer: Localized
    """Disclaimer per language, printed on the back cover."""
    review: Review
    """Legal review status."""
    contacts: tuple[Contact, ...]
    """Phone numbers for the back cover."""
    paper: str
    """Default paper size name."""
    chapters: tuple[Chapter, ...]
    """Chapters in file-name order."""
    statutes: tuple[Statute, ...]
    """The statute registry the handbook cites from."""
    appendix: tuple[Citation, ...]
    """Extra articles for the legal-basis appendix beyond those cited."""
    basis: tuple[BasisGroup, ...] = ()
    """Groups of the legal-basis appendix, in order; cited articles in none of them are
    printed after them, under the theme's `related_provisions` heading."""
    strings: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Interface text overrides from `[strings.<lang>]`: language -> string name -> text."""
    numerals: Mapping[str, str] = field(default_factory=dict)
    """`[numerals]`: language -> the digits it writes numbers in (vocabulary.DIGITS),
    over the theme's and CLDR's (Theme.digits)."""
    calendars: Mapping[str, str] = field(default_factory=dict)
    """`[calendar]`: language -> the calendar its dates are printed in (a
    vocabulary.Calendar), over CLDR's (booklet.themes.calendars.calendar_of)."""
    record: TranslationRecord | None = None
    """translations.lock, when the handbook has one."""
    law_record: LawRecord | None = None
    """law.lock, when the handbook has one."""
    glossary: tuple[GlossaryTerm, ...] = ()
    """Approved terms from glossary.toml."""
    unread: frozenset[Path] = frozenset()
    """Source files that could not be read (each reported where it was read)."""
    misnamed: Mapping[str, str] = field(default_factory=dict)
    """Language -> the folder that holds its chapters under a near-miss name (`eng` for
    `en`), reported once as a rename."""
    publish: Publish | None = None
    """The editions a plain `booklet build` makes (`[publish]`); None: today's defaults."""
    images: Mapping[Path, bytes] = field(default_factory=dict)
    """Every image the chapters use that lies inside the handbook folder, by `image_key`,
    read once when the handbook was loaded (so a file changed later cannot change a build)."""
    clinics: tuple[Clinic, ...] = ()
    """The clinic directory it uses, in file-name order (for clinic editions)."""
    readability: Mapping[str, ReadabilityLimits] = field(default_factory=dict)
    """Language -> its `[readability]` limits; a language not listed has the defaults."""
    location: SourceLocation = field(default_factory=lambda: SourceLocation(Path("."), 0))
    """handbook.toml."""
    title_location: SourceLocation | None = None
    """Its `[title]` in handbook.toml, for the warning when the cover runs over."""
    subtitle_location: SourceLocation | None = None
    """Its `[subtitle]` in handbook.toml, when it has one."""
    sources: str = ""
    """A SHA-256 of every source file read for it and the images it uses, whatever
    folder they are in (booklet.sources.revision): with the theme, its revision."""

    @property
    def printed_chapters(self) -> tuple[Chapter, ...]:
        """The chapters the authoritative language has: a translation's file without an
        original is not printed (booklet check says so)."""
        return tuple(c for c in self.chapters if self.authoritative in c.versions)

    def limits(self, language: str) -> ReadabilityLimits:
        """The readability limits `check` holds `language` to."""
        return self.readability.get(language, ReadabilityLimits())

    def statute(self, law_id: str) -> Statute | None:
        """The registry statute with this id, if any."""
        for statute in self.statutes:
            if statute.id == law_id:
                return statute
        return None


COPY_SCHEME = "booklet:"
"""How a copy's description begins (`booklet:debt-collection?layout=parallel&paper=a5`)."""


@dataclass(frozen=True)
class CopyOf:
    """Which handbook and which of its editions a file is: written into every PDF (XMP
    `xmpMM:DocumentID`) and EPUB (a `dc:identifier`) booklet makes, read back by
    `booklet identify`."""

    handbook: str
    """The handbook's id."""
    format: str = "pdf"
    """`pdf` or `epub`."""
    layout: str = ""
    """A PDF's layout (`parallel`), `proof`, or `printing` (the printing sheet)."""
    paper: str = ""
    """A PDF's paper name."""
    edition: str = "standard"
    """`standard` or `large-print`."""
    print_shop: bool = False
    """Made for a print shop (bleed and crop marks)."""
    clinic: str = ""
    """The clinic of a clinic edition."""
    language: str = ""
    """The one language of an edition in one language."""
    imposed: bool = False
    """The fold-and-staple booklet made of that PDF (booklet.outputs.impose)."""

    def text(self) -> str:
        """`booklet:<id>?key=value&...`, leaving out what is not said."""
        from urllib.parse import quote, urlencode

        facts = {
            "format": self.format,
            "layout": self.layout,
            "paper": self.paper,
            "edition": self.edition if self.edition != "standard" else "",
            "print-shop": "yes" if self.print_shop else "",
            "clinic": self.clinic,
            "language": self.language,
            "imposed": "yes" if self.imposed else "",
        }
        query = urlencode({key: value for key, value in facts.items() if value})
        return f"{COPY_SCHEME}{quote(self.handbook)}?{query}"

    @classmethod
    def parse(cls, text: str) -> CopyOf | None:
        """The copy `text` describes, or None when it is not a description booklet wrote."""
        from urllib.parse import parse_qs, unquote

        if not text.startswith(COPY_SCHEME) or "?" not in text:
            return None
        handbook, query = text[len(COPY_SCHEME) :].split("?", 1)
        facts = {key: values[0] for key, values in parse_qs(query).items()}
        return cls(
            unquote(handbook),
            facts.get("format", "pdf"),
            facts.get("layout", ""),
            facts.get("paper", ""),
            facts.get("edition", "standard"),
            facts.get("print-shop") == "yes",
            facts.get("clinic", ""),
            facts.get("language", ""),
            facts.get("imposed") == "yes",
        )
