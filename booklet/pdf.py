"""HTML -> PDF bytes with WeasyPrint, offline and strict.

Every resource WeasyPrint asks for goes through `ConfinedFetcher`: `data:` URLs and
regular files that resolve (after symlinks) inside the allowed folders, nothing else:
no network, no redirects, no file outside the handbook and theme. Any refused fetch
and any WeasyPrint warning fails the render, so nothing is silently left out.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from booklet.errors import RenderError

try:  # WeasyPrint is heavy: import it once, on first use, not at CLI start-up.
    import weasyprint
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


def write_pdf(html: str, base: Path, roots: Sequence[Path]) -> tuple[bytes, int]:
    """Render HTML to PDF bytes and its page count; raise RenderError on any problem."""
    fetcher = ConfinedFetcher(roots)
    with _weasyprint_warnings() as warnings:
        try:
            document = weasyprint.HTML(
                string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher
            ).render()
            pdf = document.write_pdf(pdf_tags=True)
        except FatalURLFetchingError as error:
            cause = error.__cause__ or error
            raise RenderError(f"refused to load a resource: {cause}") from None
    if warnings:
        listed = "\n  ".join(dict.fromkeys(warnings))
        raise RenderError(f"WeasyPrint reported problems:\n  {listed}")
    return pdf, len(document.pages)
