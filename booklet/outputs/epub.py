"""Handbook + theme -> EPUB 3 bytes: one bilingual book for phones, readable offline.

Blocks are interleaved (each followed by its translation), every block carries `lang` and
`xml:lang`, and each language's font is embedded as a subset of the characters the book
uses, so a reading system without CJK fonts still shows Chinese. The archive is built
deterministically: fixed entry order and dates, `mimetype` first and stored.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from booklet.errors import RenderError
from booklet.model import Clinic, CopyOf, Handbook
from booklet.outputs.archive import zip_bytes
from booklet.outputs.font_subset import font_kind, subset_font
from booklet.outputs.page_list import PageBreaks, PrintPages, place_pages
from booklet.render.blocks import article_anchor, chapter_stem
from booklet.render.templates import environment, render_template, stylesheet
from booklet.render.view import Targets, book_view
from booklet.themes.fonts import FontFace
from booklet.themes.theme import Theme
from booklet.vocabulary import MEDIA_TYPES, TranslationState


@dataclass(frozen=True)
class EmbeddedFont:
    """A font subset inside the EPUB."""

    family: str
    """The installed family it was cut from."""
    languages: tuple[str, ...]
    """The languages that use it."""
    href: str
    """Its path inside the EPUB content folder."""
    size: int
    """Bytes."""
    glyphs: int
    """Characters it holds."""


@dataclass(frozen=True)
class FontCut:
    """A font subset an EPUB will hold, planned but not cut yet."""

    face: FontFace
    languages: tuple[str, ...]
    href: str
    characters: frozenset[str]
    """The characters of the book the face has."""


@dataclass(frozen=True)
class EpubDraft:
    """Everything an EPUB holds except its font subsets, which are the slow part: what
    the build cache keys an EPUB by, and what a worker process packages."""

    texts: tuple[tuple[str, bytes], ...]
    """Container, package document, stylesheet and pages, in archive order."""
    fonts: tuple[FontCut, ...]
    images: tuple[tuple[str, bytes], ...]
    modified: datetime
    anchors: tuple[str, ...] = ()
    """The ids of the elements a page of the print edition can start at, in reading
    order: the ones whose pages the print edition's PDF must tell."""


@dataclass(frozen=True)
class _Item:
    id: str
    href: str
    media_type: str
    properties: str = ""


def _images(handbook: Handbook) -> dict[Path, str]:
    """Every image the chapters use -> its path inside the EPUB, named by its content (the
    same bytes give the same name wherever the handbook lies, and no file name a reader
    might choke on reaches the EPUB)."""
    return {
        key: f"images/{hashlib.sha256(data).hexdigest()[:16]}{key.suffix.lower()}"
        for key, data in handbook.images.items()
    }


def _edition(handbook: Handbook) -> str:
    return handbook.edition.get(handbook.authoritative, "")


def _image_href(images: Mapping[Path, str], path: Path) -> str:
    if path not in images:  # the checks say why; this holds when they are skipped
        raise RenderError(f'image "{path}" is outside the handbook folder; run booklet check')
    return images[path]


def _characters(documents: Mapping[str, str]) -> set[str]:
    chars: set[str] = set()
    for name, document in documents.items():
        try:
            root = ElementTree.fromstring(document.encode("utf-8"))
        except ElementTree.ParseError as error:  # a theme template wrote bad XHTML
            raise RenderError(f"EPUB page {name} is not well-formed XHTML: {error}") from None
        for text in root.itertext():
            chars.update(text)
    return chars


def package_epub(draft: EpubDraft) -> tuple[bytes, list[EmbeddedFont]]:
    """Cut the fonts and zip the EPUB: its bytes and the fonts embedded in it."""
    fonts: list[EmbeddedFont] = []
    font_files: list[tuple[str, bytes]] = []
    for cut in draft.fonts:
        data = subset_font(cut.face, cut.characters)
        fonts.append(
            EmbeddedFont(cut.face.family, cut.languages, cut.href, len(data), len(cut.characters))
        )
        font_files.append((f"EPUB/{cut.href}", data))
    entries = [*draft.texts, *font_files, *draft.images]
    mimetype = ("mimetype", b"application/epub+zip")  # first and stored, as EPUB requires
    return zip_bytes([mimetype, *entries], draft.modified, frozenset({"mimetype"})), fonts


def draft_epub(
    handbook: Handbook,
    theme: Theme,
    faces: Mapping[str, FontFace | None],
    modified: datetime,
    clinic: Clinic | None = None,
    only: str | None = None,
    print_pages: PrintPages | None = None,
) -> EpubDraft:
    """The EPUB's pages, package document and images, and the font subsets it needs;
    `clinic` makes its edition, `only` (a language) the edition in that language;
    `print_pages` (the layout of its print edition) adds the print edition's page-break
    markers and page list. `package_epub` makes the file."""
    images = _images(handbook)
    made: dict[str, bytes] = {}  # images made while rendering (QR codes), by their href

    def generated(data: bytes, suffix: str) -> str:
        href = f"images/{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
        made[href] = data
        return href

    targets = Targets(
        article=lambda law, key, lang: "legal-basis.xhtml#" + article_anchor(law, key, lang),
        image=lambda path: _image_href(images, path),
        generated=generated,
    )
    book = book_view(handbook, theme, targets, clinic=clinic, only=only)
    env = environment(theme)
    chapter_files = [f"ch-{chapter_stem(c.name)}.xhtml" for c in handbook.printed_chapters]
    common: dict[str, Any] = {
        "book": book,
        "xhtml": True,
        "layout": "interleaved",
        "files": {"chapters": chapter_files},
        # A page's title is in the language of the page (its `lang`): the first.
        "page_title": book["title"][book["first"].tag],
    }

    def render(breaks: PageBreaks, page_list: Sequence[Mapping[str, object]]) -> dict[str, str]:
        documents: dict[str, str] = {}

        def page(name: str, template: str, **extra: Any) -> None:
            breaks.document = name
            documents[name] = render_template(
                env,
                f"epub/{template}.xhtml.j2",
                common,
                breaks=breaks,
                page_list=page_list,
                **extra,
            )

        page("cover.xhtml", "cover")
        page("about.xhtml", "about")
        page("nav.xhtml", "nav")
        for chapter, file in zip(book["chapters"], chapter_files, strict=True):
            title = chapter.plain_titles[book["first"].tag]
            page(file, "chapter", chapter=chapter, page_title=title)
        if book["statutes"]:
            page("legal-basis.xhtml", "legal-basis")
        if clinic is not None:
            page("clinic.xhtml", "clinic")
        page("back.xhtml", "back")
        return documents

    asked = PageBreaks()
    documents = render(asked, [])
    page_list: list[dict[str, object]] = []
    if print_pages is not None:
        placed = place_pages([anchor for _, anchor in asked.asked], print_pages)
        where = {anchor: document for document, anchor in asked.asked}
        listed = sorted(
            (n, f"{where[anchor]}#page-{n}") for anchor, ns in placed.items() for n in ns
        )
        page_list = [{"number": number, "href": href} for number, href in listed]
        documents = render(PageBreaks(placed), page_list)
    # Only what a page shows goes in: the handbook's images hold every clinic's logo.
    files = {
        href: handbook.images[key]
        for key, href in images.items()
        if any(f'"{href}"' in document for document in documents.values())
    }
    files.update(made)

    shown = [lang.tag for lang in book["languages"]]
    if (
        only is not None
        and only != handbook.authoritative
        and any(
            unit.status.get(only) == TranslationState.MISSING
            for chapter in book["chapters"]
            for unit in chapter.units
        )
    ):
        shown.append(handbook.authoritative)  # untranslated blocks print their original
    fonts = _plan_fonts(shown, theme, faces, _characters(documents))
    kinds = [font_kind(cut.face) for cut in fonts]
    fonts_css = render_template(
        env,
        "epub/fonts.css.j2",
        common,
        fonts=[
            {"family": f"booklet {c.face.family}", "href": "../" + c.href, "format": k.css_format}
            for c, k in zip(fonts, kinds, strict=True)
        ],
        embedded={lang: f"booklet {c.face.family}" for c in fonts for lang in c.languages},
    )
    css = stylesheet(theme, ["epub.css"], fonts_css)

    manifest = [_Item("nav", "nav.xhtml", "application/xhtml+xml", "nav")]
    for name in documents:
        if name != "nav.xhtml":
            manifest.append(_Item(name.removesuffix(".xhtml"), name, "application/xhtml+xml"))
    manifest.append(_Item("css", "css/book.css", "text/css"))
    for index, (cut, kind) in enumerate(zip(fonts, kinds, strict=True)):
        manifest.append(_Item(f"font-{index}", cut.href, kind.media_type))
    for index, href in enumerate(sorted(files)):
        media = MEDIA_TYPES.get(Path(href).suffix.lower(), "application/octet-stream")
        manifest.append(_Item(f"image-{index}", href, media))
    spine = [n.removesuffix(".xhtml") for n in documents if n != "nav.xhtml"]
    spine.insert(2, "nav")  # contents after the cover and the about page, as in print

    # Each edition (a clinic's, a language's) is a book of its own to a reading app.
    edition_name = ":".join(
        [handbook.id, _edition(handbook)]
        + ([f"clinic={clinic.id}"] if clinic else [])
        + ([f"language={only}"] if only else [])
    )
    passages = (
        "each passage is followed by its translation and marked with its language"
        if len(shown) > 1
        else "in this one language"
    )
    images_described = _images_described(documents)
    pages = (
        f" The pages of the printed edition ({print_pages.source}) are marked and listed."
        if page_list and print_pages is not None
        else ""
    )
    opf = render_template(
        env,
        "epub/package.opf.j2",
        common,
        identifier="urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"booklet:{edition_name}")),
        copy_id=CopyOf(
            handbook.id, "epub", clinic=clinic.id if clinic else "", language=only or ""
        ).text(),
        modified=modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
        manifest=manifest,
        spine=spine,
        has_images=images_described is not None,
        # Text alone carries everything only when every image says in words what it shows.
        described=bool(images_described),
        page_source=print_pages.source if page_list and print_pages is not None else "",
        summary=(
            f"Text in {', '.join(shown)}: {passages}. Navigation by headings and a table of "
            "contents; the laws cited are linked to their full text in the legal-basis "
            f"section.{pages}"
        ),
    )

    texts: list[tuple[str, bytes]] = [
        ("META-INF/container.xml", _CONTAINER.encode("utf-8")),
        ("EPUB/package.opf", opf.encode("utf-8")),
        ("EPUB/css/book.css", str(css).encode("utf-8")),
    ]
    texts += [(f"EPUB/{name}", doc.encode("utf-8")) for name, doc in documents.items()]
    shown_images = tuple((f"EPUB/{href}", data) for href, data in sorted(files.items()))
    anchors = tuple(dict.fromkeys(anchor for _, anchor in asked.asked))
    return EpubDraft(tuple(texts), tuple(fonts), shown_images, modified, anchors)


def _images_described(documents: Mapping[str, str]) -> bool | None:
    """None when the pages show no image; else whether every image has a text
    alternative (an `alt` that says something)."""
    found = False
    for document in documents.values():
        root = ElementTree.fromstring(document.encode("utf-8"))
        for image in root.iter("{http://www.w3.org/1999/xhtml}img"):
            found = True
            if not (image.get("alt") or "").strip():
                return False
    return True if found else None


def _plan_fonts(
    languages: Sequence[str],
    theme: Theme,
    faces: Mapping[str, FontFace | None],
    characters: set[str],
) -> list[FontCut]:
    """One subset per distinct body face of the languages the book shows."""
    by_face: dict[tuple[Path, int], tuple[FontFace, list[str]]] = {}
    for lang in languages:
        face = next((faces[f] for f in theme.font_stack(lang).serif if faces.get(f)), None)
        if face is None:
            continue
        by_face.setdefault((face.path, face.index), (face, []))[1].append(lang)
    cuts: list[FontCut] = []
    for index, (face, langs) in enumerate(by_face.values()):
        used = frozenset(c for c in characters if ord(c) in face.codepoints)
        suffix = font_kind(face).suffix
        cuts.append(FontCut(face, tuple(langs), f"fonts/font-{index}{suffix}", used))
    return cuts


_CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""
