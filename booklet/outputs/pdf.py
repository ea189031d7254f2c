"""HTML -> PDF bytes with WeasyPrint, offline and strict.

Every resource WeasyPrint asks for goes through `ConfinedFetcher`: `data:` URLs and
regular files that resolve (after symlinks) inside the allowed folders, nothing else:
no network, no redirects, no file outside the handbook and theme. Any refused fetch
and any WeasyPrint warning fails the render, so nothing is silently left out.
"""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from booklet.errors import RenderError
from booklet.model import CopyOf
from booklet.outputs import page_labels, pdf_tags, pdf_tree, pdfx, text_layer

try:  # WeasyPrint is heavy: import it once, on first use, not at CLI start-up.
    import pydyf
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse
except ImportError as error:  # pragma: no cover - the package depends on it
    raise RenderError(f"WeasyPrint cannot be imported ({error}); run: make setup") from None


class RefusedFetch(FatalURLFetchingError):  # type: ignore[misc]
    """A resource outside the allowed folders; stops the render."""


class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
    """A WeasyPrint URL fetcher that reads only local files inside `roots`."""

    def __init__(self, roots: Sequence[Path]) -> None:
        super().__init__(
            allowed_protocols={"data", "file"}, allow_redirects=False, fail_on_errors=True
        )
        self.roots = tuple(root.resolve() for root in roots)

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise RefusedFetch(f'"{url}" is not a local file; booklet never uses the network')
        raw_path = url2pathname(unquote(urlsplit(url).path))
        path = Path(raw_path).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise RefusedFetch(
                f'"{raw_path}" is outside the handbook and theme folders; '
                "copy the file into the handbook folder"
            )
        if not path.is_file():
            raise RefusedFetch(f'"{raw_path}" does not exist or is not a file')
        return URLFetcherResponse(path.as_uri(), path.read_bytes())


# Warnings about WeasyPrint's own set-up, not about the document: they cost speed only.
_HARMLESS = ("Using fontTools instead of HarfBuzz-Subset",)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(_HARMLESS):
            self.messages.append(message)


@contextmanager
def _strict() -> Iterator[None]:
    """A render inside fails (RenderError) on a refused fetch or any WeasyPrint warning."""
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        yield
    except FatalURLFetchingError as error:
        cause = error.__cause__ or error
        raise RenderError(f"refused to load a resource: {cause}") from None
    finally:
        logger.removeHandler(handler)
    if handler.messages:
        listed = "\n  ".join(dict.fromkeys(handler.messages))
        raise RenderError(f"WeasyPrint reported problems:\n  {listed}")


def _copy_facts(html: Any) -> tuple[str, str]:
    """The revision and the copy's description (booklet.model.CopyOf) in the head."""
    facts = {"booklet.revision": "", "booklet.copy": ""}
    for element in html.etree_element.iter():
        if str(element.tag).rsplit("}", 1)[-1] == "meta" and element.get("name") in facts:
            facts[element.get("name")] = element.get("content", "")
    return facts["booklet.revision"], facts["booklet.copy"]


def _titles(html: Any) -> dict[str, str]:
    """The handbook's title per language, from `<meta name="dc.title" lang=...>` in the head."""
    titles = {}
    for element in html.etree_element.iter():
        if str(element.tag).rsplit("}", 1)[-1] == "meta" and element.get("name") == "dc.title":
            titles[element.get("lang", "")] = element.get("content", "")
    return titles


SHORT_DOCUMENT = 8
"""Pages up to which a render leaves too little garbage to walk every object for."""


class _LastRender:
    """What the last render in this process left behind."""

    long = False
    """It was longer than SHORT_DOCUMENT: some of its garbage (what WeasyPrint's caches
    held a while) is in the oldest generation, which only a full collection walks."""


@contextmanager
def _one_collection() -> Iterator[None]:
    """Python's cyclic garbage collector off for a render: a layout makes millions of
    objects that live until it ends, and the collector, walking them again and again,
    took 7% of a 42-page render and 18% of a 260-page one. `_release` collects once.
    First, the last render's garbage goes: all of it after a long one (a worker kept a
    body's 100 MB through a clinic's tails), the young generations only after a short one
    (walking every object took a fifth of a two-page tail)."""
    gc.collect(2 if _LastRender.long else 1)
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _release() -> None:
    """Between layout and writing: free the layout's garbage and give it back to the
    system, so the writing (fonts, streams) does not add to it (a 260-page book's peak
    went from 630 MB to 575 MB). All of it is in the youngest generation (the collector
    was off since the render began): walking the worker's long-lived objects too took a
    fifth of a clinic edition's two-page tail. What survives (the document) is freed when
    the next render starts (`_one_collection`)."""
    gc.collect(0)
    if sys.platform == "linux":
        import ctypes

        trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # glibc only
        if trim is not None:
            trim(0)


@lru_cache(maxsize=8)
def _parsed_css(css: str, base: Path, roots: tuple[Path, ...]) -> Any:
    """A stylesheet parsed by WeasyPrint (a fifth of a second for a book's), kept for the
    next document with the same one. Given as a user stylesheet, it cascades as it would
    inside the document, which then holds no other but its own few rules."""
    fetcher = ConfinedFetcher(roots)
    return weasyprint.CSS(string=css, base_url=base.as_uri() + "/", url_fetcher=fetcher)


@dataclass(frozen=True)
class RenderedPdf:
    """A PDF and what its layout was."""

    data: bytes
    pages: int
    anchor_pages: Mapping[str, int]
    """The 1-based page of each element id (of `watched` ones)."""
    parts: tuple[tuple[str, int, int], ...] = ()
    """A book's parts as its next build re-renders them by chapter: each one's key,
    first page and page count (booklet.build.chapters)."""


def write_pdf(
    html: str, base: Path, roots: Sequence[Path], created: datetime | None = None
) -> tuple[bytes, int]:
    """Render HTML to PDF bytes and its page count; raise RenderError on any problem."""
    rendered = render_pdf(html, base, roots, created)
    return rendered.data, rendered.pages


def render_pdf(
    html: str,
    base: Path,
    roots: Sequence[Path],
    created: datetime | None = None,
    watched: Sequence[str] = (),
    right_to_left: bool = False,
    stylesheet: str = "",
) -> RenderedPdf:
    """Render HTML to a PDF; raise RenderError on any problem.

    `created` becomes the PDF's creation and modification date (the build cache keys an
    output by its HTML, which therefore holds no build time). `watched` element ids are
    looked up in the laid-out pages. A `right_to_left` book asks viewers to show its
    pages side by side from right to left (/ViewerPreferences /Direction /R2L).
    `stylesheet`, CSS given apart from the HTML, is parsed once per process for every
    document that shares it (a clinic edition's tails)."""

    data, (laid,) = _render((html,), base, roots, created, right_to_left, stylesheet)
    wanted = set(watched)
    anchors = {name: page for name, page in laid.anchors.items() if name in wanted}
    return RenderedPdf(data, laid.pages, anchors)


@dataclass(frozen=True)
class LaidOut:
    """One of several documents rendered as one PDF (`render_pdfs`): where its pages are."""

    first: int
    """The 0-based index of its first page in the PDF."""
    pages: int
    anchors: Mapping[str, int]
    """Each element id's 1-based page, counted from its own first page."""
    copy: str
    """Its copy's description (booklet.model.CopyOf), which the PDF's XMP gives for the
    first document only."""
    folios: tuple[str, ...]
    """What each of its pages prints as its number (booklet.outputs.page_labels): the
    PDF's page labels are the documents' one after the other."""


def render_pdfs(
    htmls: Sequence[str],
    base: Path,
    roots: Sequence[Path],
    created: datetime | None = None,
    right_to_left: bool = False,
    stylesheet: str = "",
) -> tuple[bytes, list[LaidOut]]:
    """Several HTML documents as one PDF, their pages one after the other: each laid out
    on its own (its page numbers, counters and anchors), drawn and tagged together, so a
    font is subset and written once for all of them (clinic editions' tails, split again
    by booklet.outputs.split). The document information and XMP are the first's."""
    return _render(htmls, base, roots, created, right_to_left, stylesheet)


def _render(
    htmls: Sequence[str],
    base: Path,
    roots: Sequence[Path],
    created: datetime | None,
    right_to_left: bool,
    stylesheet: str,
) -> tuple[bytes, list[LaidOut]]:
    fetcher = ConfinedFetcher(roots)
    with rendering() as notes:
        sheets = [_parsed_css(stylesheet, base, tuple(roots))] if stylesheet else []
        sources = [
            weasyprint.HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher)
            for html in htmls
        ]
        fonts = FontConfiguration()  # the fonts found once for every document
        documents = [source.render(stylesheets=sheets, font_config=fonts) for source in sources]
        document = documents[0]
        if len(documents) > 1:
            document = document.copy([page for one in documents for page in one.pages])
        _LastRender.long = len(document.pages) > SHORT_DOCUMENT
        rendered = write_document(document, sources[0], notes, created, (), right_to_left)
    laid: list[LaidOut] = []
    for source, one in zip(sources, documents, strict=True):
        first = sum(other.pages for other in laid)
        folios = tuple(page_labels.folios(one.pages))
        anchors = _anchor_pages(one, None)
        laid.append(LaidOut(first, len(one.pages), anchors, _copy_facts(source)[1], folios))
    return rendered.data, laid


@dataclass(frozen=True)
class Notes:
    """What a render notes while WeasyPrint writes its PDF, to finish it with."""

    hints: pdf_tree.Hints
    lines: text_layer.Lines


@contextmanager
def rendering() -> Iterator[Notes]:
    """Where a render happens: it fails on a refused fetch or any WeasyPrint warning, and
    notes what tagging and the text layer need (booklet.outputs.facing renders several
    documents in one)."""
    notes = Notes(pdf_tree.Hints(), text_layer.Lines())
    with (
        _strict(),
        pdf_tags.collecting(notes.hints),
        text_layer.recording(notes.lines),
        _one_collection(),
    ):
        _LastRender.long = False  # what the last render left is collected
        yield notes


def write_document(
    document: Any,
    source: Any,
    notes: Notes,
    created: datetime | None,
    watched: Sequence[str] = (),
    right_to_left: bool = False,
) -> RenderedPdf:
    """A laid-out document (its pages may come from several, booklet.outputs.facing)
    written as a tagged PDF, made PDF/UA (and PDF/X for a print shop's copy), inside
    `rendering()`; `source` is the HTML whose head gives the titles, the revision and the
    copy's description."""

    def finish(document: Any, pdf: Any) -> None:
        pdf.catalog["PageLabels"] = page_labels.number_tree(page_labels.folios(document.pages))
        if right_to_left:
            preferences = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary()
            preferences["Direction"] = "/R2L"
            pdf.catalog["ViewerPreferences"] = preferences

    _release()
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ") if created is not None else None
    if stamp is not None:
        document.metadata.created = document.metadata.modified = stamp
    tagged = document.write_pdf(pdf_tags=True, finisher=finish)
    revision, copy = _copy_facts(source)
    titles = _titles(source)
    pdf = pdf_tags.finish(tagged, notes.hints, titles, stamp, revision, copy, notes.lines)
    described = CopyOf.parse(copy)
    if described is not None and described.print_shop:
        pdf = pdfx.make_pdfx(pdf, pdfx.Slug(_slug_caption(described, revision)))
    return RenderedPdf(pdf, len(document.pages), _anchor_pages(document, watched))


def _slug_caption(copy: CopyOf, revision: str) -> str:
    """The print-shop slug's line: handbook, edition, revision (the page is added)."""
    edition = [copy.handbook, copy.clinic, copy.language, copy.layout, copy.paper.upper()]
    edition += [copy.edition] if copy.edition != "standard" else []
    edition += [f"revision {revision}"] if revision else []
    return " \u00b7 ".join(part for part in edition if part)


def laid_out(html: str, base: Path, roots: Sequence[Path], fonts: Any) -> tuple[Any, Any]:
    """HTML laid out, inside `rendering()`: its source and its WeasyPrint document.
    Documents whose pages are written together share `fonts` (a FontConfiguration)."""
    fetcher = ConfinedFetcher(roots)
    source = weasyprint.HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher)
    document = source.render(font_config=fonts)
    _LastRender.long = _LastRender.long or len(document.pages) > SHORT_DOCUMENT
    return source, document


def lay_out(
    html: str, base: Path, roots: Sequence[Path], watched: Sequence[str]
) -> tuple[int, dict[str, int]]:
    """Lay HTML out as `render_pdf` does, without writing the PDF: its page count and the
    page of each `watched` element id. An EPUB's page list needs only these when its print
    edition is not made in the same build (the writing is a quarter of a render)."""
    fetcher = ConfinedFetcher(roots)
    with _strict(), _one_collection():
        source = weasyprint.HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher)
        document = source.render()
        _LastRender.long = len(document.pages) > SHORT_DOCUMENT
    return len(document.pages), _anchor_pages(document, watched)


def _anchor_pages(document: Any, watched: Sequence[str] | None) -> dict[str, int]:
    """The page each `watched` element (every one, with None) starts on: an element split
    over pages has its anchor on each (a contents list of three pages), and links go to
    the first."""
    wanted = None if watched is None else set(watched)
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for name in page.anchors:
            if wanted is None or name in wanted:
                pages.setdefault(name, number)
    return pages
