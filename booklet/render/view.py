"""The view of a handbook that templates show, for any layout and for the EPUB.

Python prepares a view of the handbook (aligned units, contents, legal basis, colophon)
with all source text already escaped by booklet.render.blocks; the theme's templates and
CSS decide the layout.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from markupsafe import Markup

from booklet.errors import RenderError, SourceLocation
from booklet.law.basis import legal_basis
from booklet.law.citations import article_heading
from booklet.law.numerals import format_number
from booklet.model import (
    Article,
    Chapter,
    Clinic,
    Handbook,
    Heading,
    ListBlock,
    Statute,
)
from booklet.render.blocks import (
    HtmlContext,
    article_anchor,
    block_html,
    chapter_anchor,
    chapter_stem,
    inline_html,
    item_content_html,
    list_html,
    plain_text,
    text_html,
    unit_anchor,
)
from booklet.render.qr import qr_code
from booklet.sources.clinics import dialled
from booklet.sources.revision import copy_revision
from booklet.text.placeholders import fill
from booklet.themes.calendars import calendar_of
from booklet.themes.cldr import decimal_sign as cldr_decimal_sign
from booklet.themes.interface_text import format_date, interface_text, language_name
from booklet.themes.theme import REVISION_TEXT, Theme
from booklet.translations.alignment import AlignedUnit, aligned_units
from booklet.translations.pairing import chapter_pairings
from booklet.translations.states import article_status
from booklet.vocabulary import DIGITS, MEDIA_TYPES, Calendar, TranslationState

# ---------------------------------------------------------------- the view


@dataclass(frozen=True)
class LanguageView:
    """A language of the handbook with its interface text."""

    tag: str
    index: int
    dir: str
    text: Mapping[str, Any]
    serif: tuple[str, ...]
    sans: tuple[str, ...]
    digits: str = "arabic"
    """Its numeral system (a key of booklet.vocabulary.DIGITS): the digits of its page,
    chapter and article numbers."""

    @property
    def counter(self) -> str:
        """The CSS counter style that writes its page numbers in its digits."""
        return DIGITS[self.digits]

    calendar: Calendar = Calendar.GREGORIAN
    """The calendar its dates are printed in (`[calendar]`, booklet.themes.calendars)."""

    def number(self, n: int) -> str:
        """`n` in its digits: a chapter's number in the contents, bookmarks, EPUB nav."""
        return format_number(n, self.digits)

    def date(self, day: date) -> str:
        """`day` as it writes dates: its pattern, calendar and digits."""
        return format_date(day, self.text, self.number, self.calendar, self.tag)

    @property
    def decimal_sign(self) -> str:
        """What separates a number's whole part from its fraction in its digits (CLDR:
        `٫` for Persian digits, `.` for Western)."""
        return cldr_decimal_sign(self.tag, self.digits)


@dataclass(frozen=True)
class ItemView:
    """A list item as a member of its whole list (the EPUB shows each list as one list,
    each item holding its text in every language)."""

    tag: str
    """`ol` or `ul`."""
    start: int
    """The number of the list's first item (ordered lists)."""
    tasks: bool
    """The list has check boxes."""
    first: bool
    """It opens its list."""
    last: bool
    """It closes its list."""
    contents: Mapping[str, Markup]
    """Language -> what the item holds (its check box and text), without the `li`."""


@dataclass(frozen=True)
class UnitView:
    """One aligned unit, rendered per language."""

    kind: str
    cells: Mapping[str, Markup]
    level: int
    """Heading level, 0 for other kinds."""
    first_item: bool
    """An item that starts its list (the sequential layout adds space before it)."""
    id: str = ""
    """The unit's id for translators (`5.2`)."""
    status: Mapping[str, str] = field(default_factory=dict)
    """Language -> `current`, `stale` or `missing` (the proof marks the last two)."""
    anchors: Mapping[str, str] = field(default_factory=dict)
    """Language -> the id of the unit's text in it (to find the page it starts on)."""
    item: ItemView | None = None
    """For a list item: its place in its list."""


@dataclass(frozen=True)
class ChapterView:
    number: int
    name: str
    anchors: Mapping[str, str]
    titles: Mapping[str, Markup]
    plain_titles: Mapping[str, str]
    units: Sequence[UnitView]


@dataclass(frozen=True)
class ArticleView:
    key: str
    anchors: Mapping[str, str]
    headings: Mapping[str, str]
    paragraphs: Mapping[str, Sequence[Markup]]
    status: Mapping[str, str]
    """Language -> translation status of its text."""


@dataclass(frozen=True)
class StatuteView:
    id: str
    titles: Mapping[str, str]
    shorts: Mapping[str, str]
    """Language -> the short title citations use (the about page's list of instruments)."""
    translation: Mapping[str, str]
    version: Mapping[str, str]
    """Language -> which version of the law the text is (empty when the registry has none)."""
    articles: Sequence[ArticleView]


@dataclass(frozen=True)
class BasisView:
    """A part of the legal-basis appendix."""

    titles: Mapping[str, str]
    """Its heading per language; empty when the handbook has no `[[basis]]` groups."""
    statutes: Sequence[StatuteView]


def _statute_view(handbook: Handbook, statute: Statute, articles: Sequence[Article]) -> StatuteView:
    langs = handbook.languages
    return StatuteView(
        statute.id,
        {tag: statute.title.get(tag, "") for tag in langs},
        {tag: statute.short.get(tag, "") or statute.title.get(tag, "") for tag in langs},
        {tag: statute.translation.get(tag, "") for tag in langs},
        {tag: statute.version.get(tag, "") for tag in langs},
        [
            ArticleView(
                a.key,
                {t: article_anchor(statute.id, a.key, t) for t in langs},
                {t: article_heading(statute, a, t) for t in langs},
                {t: tuple(text_html(p, t) for p in a.paragraphs.get(t, ())) for t in langs},
                {
                    t: article_status(handbook.record, statute, a, handbook.authoritative, t)
                    for t in langs
                },
            )
            for a in articles
        ],
    )


def unit_html(unit: AlignedUnit, language: str, ctx: HtmlContext, heading_id: str | None) -> Markup:
    part = unit.part(language)
    if unit.kind == "item":
        return list_html(unit.lists[language], ctx, only=unit.indexes[language])
    assert not isinstance(part, ListBlock | type(None))
    return block_html(part, ctx, heading_id)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Targets:
    """Where links point in this output: one file (PDF) or several (EPUB)."""

    article: Callable[[str, str, str], str]
    """(statute id, article key, language) -> href."""
    image: Callable[[Path], str]
    """Absolute image path -> src."""
    generated: Callable[[bytes, str], str]
    """An image made while rendering (its bytes, its suffix `.svg`) -> src."""


def pdf_targets(handbook: Handbook) -> Targets:
    """Links inside the one document; images as data: URLs of the bytes read when the
    handbook was loaded, so WeasyPrint reads no image file."""

    def image(path: Path) -> str:
        if path not in handbook.images:  # the checks say why; this holds when they are skipped
            raise RenderError(
                f'image "{path}" is outside the handbook and theme folders, or could not be '
                "read; run booklet check"
            )
        media = MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
        return f"data:{media};base64,{base64.b64encode(handbook.images[path]).decode('ascii')}"

    def generated(data: bytes, suffix: str) -> str:
        media = MEDIA_TYPES.get(suffix, "application/octet-stream")
        return f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"

    return Targets(
        article=lambda law, key, lang: "#" + article_anchor(law, key, lang),
        image=image,
        generated=generated,
    )


# ---------------------------------------------------------------- a clinic's page


@dataclass(frozen=True)
class ContactView:
    phone: str
    """As printed."""
    tel: str
    """`tel:` URI (for links and QR codes)."""
    label: Mapping[str, str]


@dataclass(frozen=True)
class CodeView:
    """A QR code with what it holds printed beside it (a QR code is never the only way)."""

    src: str
    text: str
    """What it holds, as a person reads it: the number, the web address."""
    href: str
    """What it holds, as a URI."""
    caption: Mapping[str, str]
    """What to do with it, per language ("Scan to call")."""


@dataclass(frozen=True)
class ClinicView:
    id: str
    name: Mapping[str, str]
    address: Mapping[str, str]
    hours: Mapping[str, str]
    url: str
    email: str
    logo: str
    """src of its logo, or ""."""
    contacts: Sequence[ContactView]
    codes: Sequence[CodeView]
    stand_ins: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """For a language the clinic has no text in: the tag and direction of the language
    its text is in (the page marks it so, for fonts and screen readers)."""


def clinic_view(
    clinic: Clinic,
    languages: Sequence[LanguageView],
    targets: Targets,
    direction: Callable[[str], str],
) -> ClinicView:
    """A clinic's details for its edition's pages: a QR code for its main number and,
    when it has one, its web address."""
    contacts = [
        ContactView(contact.phone, "tel:" + dialled(contact.phone), contact.label)
        for contact in clinic.contacts
    ]
    codes = []

    def caption(name: str) -> dict[str, str]:
        return {lang.tag: lang.text[name] for lang in languages}

    if contacts:
        main = contacts[0]
        code = qr_code(main.tel, clinic.contacts[0].location)
        codes.append(
            CodeView(targets.generated(code, ".svg"), main.phone, main.tel, caption("scan_to_call"))
        )
    if clinic.url:
        shown = clinic.url.split("://", 1)[1].rstrip("/")
        code = qr_code(clinic.url, SourceLocation(clinic.location.path, clinic.url_line))
        codes.append(
            CodeView(targets.generated(code, ".svg"), shown, clinic.url, caption("scan_to_visit"))
        )
    return ClinicView(
        clinic.id,
        clinic.name,
        clinic.address,
        clinic.hours,
        clinic.url,
        clinic.email,
        targets.image(clinic.logo) if clinic.logo is not None else "",
        contacts,
        codes,
        {lang: (tag, direction(tag)) for lang, tag in clinic.stand_ins.items()},
    )


def _cell(
    render: Callable[[str, HtmlContext], Markup],
    tag: str,
    status: str,
    ctx: HtmlContext,
    original: HtmlContext,
    languages: Mapping[str, LanguageView],
    proof: bool,
) -> Markup:
    """One language's cell of a unit (`render`: language, context -> its HTML), with the
    proof's marks when asked for."""
    auth = original.language

    def both(name: str) -> str:  # a proof label in this language and the original's
        return " · ".join(dict.fromkeys([languages[tag].text[name], languages[auth].text[name]]))

    if status == TranslationState.MISSING and proof:
        return Markup('<p class="proof-missing">{}</p>').format(both("proof_missing"))
    if status == TranslationState.MISSING:  # public editions show the original meanwhile
        # The heading keeps this language's id, so its contents entry still has a target.
        return Markup('<div class="untranslated" lang="{}" dir="{}">{}</div>').format(
            auth, languages[auth].dir, render(auth, original)
        )
    cell = render(tag, ctx)
    if status == TranslationState.STALE and proof:
        return Markup('<p class="proof-pending">{}</p>{}').format(both("proof_pending"), cell)
    return cell


def _block_of(unit: AlignedUnit, heading_id: str | None) -> Callable[[str, HtmlContext], Markup]:
    """What renders a unit's block in a language, as `_cell` asks."""
    return lambda lang, ctx: unit_html(unit, lang, ctx, heading_id)


def _item_of(unit: AlignedUnit) -> Callable[[str, HtmlContext], Markup]:
    """What renders a list item's content (no `li`) in a language, as `_cell` asks."""
    return lambda lang, ctx: item_content_html(unit.lists[lang].items[unit.indexes[lang]], ctx)


def _item_view(
    units: Sequence[AlignedUnit], position: int, original: str, contents: Mapping[str, Markup]
) -> ItemView | None:
    """Unit `position` as an item of its whole list (`contents` per language), or None
    when it is no list item."""
    unit = units[position]
    if unit.kind != "item":
        return None

    def same_list(other: int) -> bool:  # the items of one list share their original block
        return (
            0 <= other < len(units)
            and units[other].kind == "item"
            and units[other].block == unit.block
        )

    block = unit.lists[original]  # numbered and ticked as the original is
    tasks = any(i.task is not None for i in block.items)
    return ItemView(
        "ol" if block.ordered else "ul",
        block.start,
        tasks,
        not same_list(position - 1),
        not same_list(position + 1),
        contents,
    )


def _chapter_view(
    number: int,
    chapter: Chapter,
    handbook: Handbook,
    contexts: Mapping[str, HtmlContext],
    languages: Mapping[str, LanguageView],
    proof: bool,
) -> ChapterView:
    auth = handbook.authoritative
    record = handbook.record.chapters if handbook.record else None
    pairings = chapter_pairings(chapter, record, handbook.languages, auth)
    original_dir = chapter.versions[auth].path.parent
    original = replace(contexts[auth], source_dir=original_dir)
    anchors = {tag: chapter_anchor(chapter.name, tag) for tag in handbook.languages}
    stem = chapter_stem(chapter.name)
    views = []
    section = 0
    previous_kind = ""
    units = aligned_units(chapter, pairings, auth)
    for position, unit in enumerate(units):
        first = unit.part(auth)
        level = first.level if isinstance(first, Heading) else 0
        section += 1 if level else 0
        cells = {}
        items: dict[str, Markup] = {}
        status = dict(unit.status)
        for tag in handbook.languages:
            version = chapter.versions.get(tag)
            folder = version.path.parent if version is not None else original_dir
            ctx = replace(contexts[tag], source_dir=folder)
            heading_id = None
            if level == 1 and position == 0:
                heading_id = anchors[tag]
            elif level:
                heading_id = f"sec-{stem}-{section}--{tag}"
            cells[tag] = _cell(
                _block_of(unit, heading_id), tag, status[tag], ctx, original, languages, proof
            )
            if unit.kind == "item":
                items[tag] = _cell(
                    _item_of(unit), tag, status[tag], ctx, original, languages, proof
                )
        first_item = unit.kind == "item" and (unit.indexes[auth] == 0 or previous_kind != "item")
        ids = {tag: unit_anchor(chapter.name, position, tag) for tag in handbook.languages}
        item = _item_view(units, position, auth, items)
        views.append(UnitView(unit.kind, cells, level, first_item, unit.id, status, ids, item))
        previous_kind = unit.kind
    titles = {}
    plain = {}
    for tag in handbook.languages:
        # A chapter not translated yet is listed under its original title.
        blocks = (chapter.versions.get(tag) or chapter.versions[auth]).blocks
        head = blocks[0] if blocks and isinstance(blocks[0], Heading) else None
        titles[tag] = inline_html(head.content, contexts[tag]) if head else Markup("")
        plain[tag] = plain_text(head.content, contexts[tag]) if head else chapter.name
    return ChapterView(number, chapter.name, anchors, titles, plain, views)


def book_view(
    handbook: Handbook,
    theme: Theme,
    targets: Targets,
    proof: bool = False,
    clinic: Clinic | None = None,
    only: str | None = None,
    contents: bool = True,
) -> dict[str, Any]:
    """Everything the templates show, for any layout; `clinic` makes its clinic edition,
    `only` (a language) the edition in that one language. Without `contents`, the
    chapters and the legal basis are left out (a clinic edition's tail shows neither, and
    they are most of the work).

    A translation still to be made (a placeholder) shows its original in public
    editions; the translator's proof (`proof`) shows a visible placeholder instead.
    """
    languages = []
    for index, tag in enumerate(handbook.languages):
        stack = theme.font_stack(tag)
        languages.append(
            LanguageView(
                tag,
                index,
                theme.direction(tag),
                interface_text(handbook, theme, tag),
                stack.serif,
                stack.sans,
                theme.digits(tag, handbook.numerals),
                calendar_of(tag, handbook.calendars),
            )
        )

    def article_href(tag: str) -> Callable[[str, str], str]:
        return lambda law, key: targets.article(law, key, tag)

    contexts = {
        lang.tag: HtmlContext(
            language=lang.tag,
            statutes=handbook.statutes,
            text=lang.text,
            article_href=article_href(lang.tag),
            image_url=targets.image,
            source_dir=handbook.root,
        )
        for lang in languages
    }
    by_tag = {lang.tag: lang for lang in languages}
    chapters = [
        _chapter_view(number, chapter, handbook, contexts, by_tag, proof)
        for number, chapter in enumerate(handbook.printed_chapters, start=1)
        if contents
    ]

    basis = []
    for part in legal_basis(handbook) if contents else []:
        if part.group is not None:
            titles: Mapping[str, str] = part.group.title
        elif handbook.basis:  # the articles in no group, after the groups
            titles = {lang.tag: lang.text["related_provisions"] for lang in languages}
        else:  # no groups: the appendix has no headings of its own
            titles = {}
        views = [_statute_view(handbook, statute, articles) for statute, articles in part.statutes]
        basis.append(BasisView(titles, views))
    statutes = list({s.id: s for part in basis for s in part.statutes}.values())

    review = handbook.review
    colophon = {}
    standing: dict[str, list[str]] = {}
    for lang in languages:
        text = lang.text
        lines = []
        if review.law_as_at:
            lines.append(fill(text["law_as_at"], date=lang.date(review.law_as_at)))
        if review.status == "reviewed" and review.reviewed_on:
            lines.append(
                fill(
                    text["status_reviewed"],
                    reviewer=review.reviewer,
                    date=lang.date(review.reviewed_on),
                )
            )
        if review.next_review:
            lines.append(fill(text["next_review"], date=lang.date(review.next_review)))
        colophon[lang.tag] = lines
        # The back cover is the page most often photocopied alone: it says how far the
        # handbook can be trusted, in every language.
        if review.status == "draft":
            status_line = text["status_draft"]
        elif review.reviewed_on:
            status_line = fill(
                text["status_reviewed"],
                reviewer=review.reviewer,
                date=lang.date(review.reviewed_on),
            )
        else:
            status_line = ""
        law_line = (
            fill(text["law_as_at"], date=lang.date(review.law_as_at)) if review.law_as_at else ""
        )
        standing[lang.tag] = [line for line in (status_line, law_line) if line]

    # A draft says so in the file's own metadata too (PDF /Keywords, EPUB dc:subject).
    shown = [lang for lang in languages if only is None or lang.tag == only]
    draft_keywords = (
        ", ".join(dict.fromkeys(lang.text["draft_badge"] for lang in shown))
        if review.status == "draft"
        else ""
    )
    # Which sources every copy was made from, printed on it (booklet.sources.revision).
    revision = copy_revision(handbook, theme)
    revision_text = {
        lang.tag: fill(str(lang.text.get("revision", REVISION_TEXT)), revision=revision)
        for lang in languages
    }
    translated_note = ""
    if only is not None:
        # Text in the other languages is still made (a missing translation prints its
        # original), but the book shows, and says it is in, this language only.
        languages = [by_tag[only]]
        if only != handbook.authoritative:
            own_name = by_tag[handbook.authoritative].text["language_name"]
            original = language_name(handbook.authoritative, only, own_name)
            translated_note = fill(by_tag[only].text["translated_edition"], original=original)
    return {
        "id": handbook.id,
        "revision": revision,
        "revision_text": revision_text,
        "languages": languages,
        "first": languages[0],
        "only": only,
        "translated_note": translated_note,
        "title": handbook.title,
        "subtitle": handbook.subtitle,
        "publisher": handbook.publisher,
        "disclaimer": handbook.disclaimer,
        "edition": handbook.edition,
        "draft": review.status == "draft",
        "colophon": colophon,
        "standing": standing,
        "keywords": draft_keywords,
        "contacts": handbook.contacts,
        "clinic": (
            clinic_view(clinic, languages, targets, theme.direction) if clinic is not None else None
        ),
        "chapters": chapters,
        "statutes": statutes,
        "basis": basis,
        "doc_title": " / ".join(handbook.title[lang.tag] for lang in languages),
        "doc_author": " / ".join(dict.fromkeys(handbook.publisher[lang.tag] for lang in languages)),
        "doc_description": " / ".join(
            handbook.subtitle[lang.tag] for lang in languages if handbook.subtitle.get(lang.tag)
        ),
    }


# ---------------------------------------------------------------- Jinja
