"""HTML -> PDF bytes with WeasyPrint, offline and strict.

Every resource WeasyPrint asks for goes through `ConfinedFetcher`: `data:` URLs and
regular files that resolve (after symlinks) inside the allowed folders, nothing else:
no network, no redirects, no file outside the handbook and theme. Any refused fetch
and any WeasyPrint warning fails the render, so nothing is silently left out.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from booklet.errors import ConfigError, RenderError

WEASYPRINT_MAJOR = 70
"""The WeasyPrint major version whose internals `_structure_languages` wraps (pyproject pins it)."""

try:  # WeasyPrint is heavy: import it once, on first use, not at CLI start-up.
    import pydyf
    import weasyprint
    from weasyprint.pdf import tags as weasyprint_tags
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
def _weasyprint_warnings() -> Iterator[list[str]]:
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


@contextmanager
def _structure_languages() -> Iterator[None]:
    """Give tagged-PDF structure elements the `lang` of their HTML element (/Lang).

    WeasyPrint tags the structure (headings, paragraphs, table cells) but sets the
    language only on the document; screen readers then read English in a Chinese voice.
    Its tree builder is wrapped so every element made for an HTML element carrying
    `lang` gets /Lang; elements inside it inherit it, as PDF specifies.
    """
    original = getattr(weasyprint_tags, "_build_box_tree", None)
    if original is None:
        # Silently dropping per-block languages would make screen readers read every
        # language in one voice: refuse to build instead.
        raise ConfigError(
            f"WeasyPrint {weasyprint.__version__} has no weasyprint.pdf.tags._build_box_tree, "
            f"which booklet needs to tag each block's language; install the WeasyPrint "
            f"version booklet names (pip install 'weasyprint=={WEASYPRINT_MAJOR}.*')"
        )

    def build(box: Any, parent: Any, *args: Any) -> Iterator[Any]:
        element = getattr(box, "element", None)
        lang = element.get("lang") if element is not None and hasattr(element, "get") else None
        for struct in original(box, parent, *args):
            if lang and "Lang" not in struct:
                struct["Lang"] = pydyf.String(lang)
            yield struct

    weasyprint_tags._build_box_tree = build
    try:
        yield
    finally:
        weasyprint_tags._build_box_tree = original


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

    def finish(_document: Any, pdf: Any) -> None:
        if right_to_left:
            preferences = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary()
            preferences["Direction"] = "/R2L"
            pdf.catalog["ViewerPreferences"] = preferences

    fetcher = ConfinedFetcher(roots)
    with _weasyprint_warnings() as warnings, _structure_languages():
        try:
            sheets = [_parsed_css(stylesheet, base, tuple(roots))] if stylesheet else []
            document = weasyprint.HTML(
                string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher
            ).render(stylesheets=sheets)
            if created is not None:
                stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
                document.metadata.created = document.metadata.modified = stamp
            pdf = document.write_pdf(pdf_tags=True, finisher=finish)
        except FatalURLFetchingError as error:
            cause = error.__cause__ or error
            raise RenderError(f"refused to load a resource: {cause}") from None
    if warnings:
        listed = "\n  ".join(dict.fromkeys(warnings))
        raise RenderError(f"WeasyPrint reported problems:\n  {listed}")
    anchors = {
        name: number
        for number, page in enumerate(document.pages, start=1)
        for name in page.anchors
        if name in watched
    }
    return RenderedPdf(pdf, len(document.pages), anchors)
