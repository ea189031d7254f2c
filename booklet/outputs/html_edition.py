"""Handbook + theme -> the reading edition: a folder of web pages that opens offline.

Takes the handbook (and the clinic of a clinic edition); gives the folder's files as
(relative name, bytes): `index.html` (cover, about, contents), one page per chapter, the
legal basis, the help page (the clinic's details and the back cover), the stylesheet,
the script of the language switch and search, the search index (a script, so that it
loads from `file://` with no request a phone's browser refuses) and the images shown.
The pages are the EPUB's: the same view model, blocks, citations and templates, set as
HTML5 with a page frame around them. No file refers to anything outside the folder;
fonts are the system's (the theme ships none for this edition). The files hold no date,
so the same sources give the same bytes.

`SHA256SUMS` lists every other file with its SHA-256 (as `sha256sum` writes them, so
`sha256sum -c SHA256SUMS` checks a copy too), and `index.html` says that list's own
SHA-256 (its `booklet.files` meta element): `booklet identify` tells a copy cut short or
missing a file (booklet.outputs.intact).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from markupsafe import escape

from booklet.model import Clinic, CopyOf, Handbook
from booklet.outputs.search_index import search_index_script
from booklet.render.blocks import article_anchor, chapter_stem
from booklet.render.templates import environment, render_template, stylesheet
from booklet.render.view import Targets, book_view
from booklet.sources.clinics import dialled
from booklet.themes.theme import DEFAULT_THEME, Theme

SCRIPT = "edition.js"
"""The language switch and search (the default theme's: a theme cannot ship script)."""
STYLE = "style.css"
INDEX = "search-index.js"
SUMS = "SHA256SUMS"
FRONT = "index.html"


def _images(handbook: Handbook) -> dict[Path, str]:
    """Every image -> its name in the folder, by its content (as in the EPUB)."""
    return {
        key: f"images/{hashlib.sha256(data).hexdigest()[:16]}{key.suffix.lower()}"
        for key, data in handbook.images.items()
    }


def chapter_file(chapter_name: str) -> str:
    """The page of a chapter: `chapter-<stem>.html`."""
    return f"chapter-{chapter_stem(chapter_name)}.html"


def html_edition_files(
    handbook: Handbook, theme: Theme, clinic: Clinic | None = None, only: str | None = None
) -> list[tuple[str, bytes]]:
    """The folder's files, by relative name, in name order; `only` (a language) makes
    the edition in that one language."""
    images = _images(handbook)
    made: dict[str, bytes] = {}

    def generated(data: bytes, suffix: str) -> str:
        href = f"images/{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
        made[href] = data
        return href

    def image(path: Path) -> str:
        return images.get(path, "")

    targets = Targets(
        article=lambda law, key, lang: "legal-basis.html#" + article_anchor(law, key, lang),
        image=image,
        generated=generated,
    )
    book = book_view(handbook, theme, targets, clinic=clinic, only=only)
    env = environment(theme)
    chapters = [chapter_file(c.name) for c in handbook.printed_chapters]
    order = ["index.html", *chapters]
    if book["statutes"]:
        order.append("legal-basis.html")
    order.append("help.html")
    common: dict[str, Any] = {
        "book": book,
        "xhtml": False,
        "layout": "interleaved",
        "files": {"chapters": chapters, "order": order},
        "copy_id": CopyOf(
            handbook.id, "html", clinic=clinic.id if clinic else "", language=only or ""
        ).text(),
        "page_title": book["title"][book["first"].tag],
        # The back cover's numbers as links to tap (in print they are text).
        "tel": {c.phone: "tel:" + dialled(c.phone) for c in handbook.contacts},
    }
    documents: dict[str, str] = {}

    def page(name: str, template: str, **extra: Any) -> None:
        place = order.index(name)
        text = render_template(
            env,
            f"html/{template}.html.j2",
            common,
            here=name,
            previous=order[place - 1] if place else "",
            next=order[place + 1] if place + 1 < len(order) else "",
            **extra,
        )
        # A callout is a note within the text, not a landmark of the page (an `aside`
        # inside `main` would be one): screen readers list landmarks.
        documents[name] = text.replace('<aside class="callout', '<aside role="note" class="callout')

    page("index.html", "index")
    for chapter, file in zip(book["chapters"], chapters, strict=True):
        page(file, "chapter", chapter=chapter, page_title=chapter.plain_titles[book["first"].tag])
    if book["statutes"]:
        page("legal-basis.html", "legal-basis")
    page("help.html", "help")

    if "legal-basis.html" in documents:
        documents["legal-basis.html"] = _cited_in(
            documents, book, dict(zip(chapters, book["chapters"], strict=True))
        )
    files: dict[str, bytes] = {name: text.encode("utf-8") for name, text in documents.items()}
    files.update(
        {
            href: handbook.images[key]
            for key, href in images.items()
            if any(f'"{href}"' in document for document in documents.values())
        }
    )
    files.update(made)
    files[STYLE] = str(stylesheet(theme, ["html.css"], "")).encode("utf-8")
    files[SCRIPT] = (DEFAULT_THEME / "scripts" / SCRIPT).read_bytes()
    files[INDEX] = search_index_script(documents, _languages(book)).encode("utf-8")
    sums = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n"
        for name, data in sorted(files.items())
        if name != FRONT
    ).encode("utf-8")
    files[SUMS] = sums
    meta = f'<meta name="booklet.files" content="{hashlib.sha256(sums).hexdigest()}">\n'
    files[FRONT] = files[FRONT].replace(b"</head>", meta.encode("ascii") + b"</head>", 1)
    return sorted(files.items())


_BLOCK_ID = re.compile(r'\bid="(u-[^"]+)"')
_CITE = re.compile(r'<a class="cite" href="legal-basis\.html#([^"]+)"')
_ARTICLE = re.compile(
    r'(<div class="article" id="([^"]+)">\s*<(h[3-6]) class="article-heading">.*?</\3>)', re.S
)


def _citing(documents: Mapping[str, str]) -> dict[str, list[tuple[str, str]]]:
    """Each article's anchor -> the (page, block id) of each block citing it, in order."""
    found: dict[str, list[tuple[str, str]]] = {}
    for name, text in documents.items():
        if not name.startswith("chapter-"):
            continue
        blocks = [(m.start(), m.group(1)) for m in _BLOCK_ID.finditer(text)]
        for cite in _CITE.finditer(text):
            before = [block for at, block in blocks if at < cite.start()]
            places = found.setdefault(cite.group(1), [])
            if before and (name, before[-1]) not in places:
                places.append((name, before[-1]))
    return found


def _cited_in(
    documents: Mapping[str, str], book: Mapping[str, Any], chapters: Mapping[str, Any]
) -> str:
    """The legal-basis page with, under each article's heading, links back to the blocks
    that cite it (named by their chapter, in the article's language)."""
    citing = _citing(documents)
    texts = {lang.tag: lang.text for lang in book["languages"]}

    def links(match: re.Match[str]) -> str:
        places = citing.get(match.group(2), [])
        lang = match.group(2).rsplit("--", 1)[-1]
        if not places or lang not in texts:
            return match.group(1)
        seen: dict[str, int] = {}
        items = []
        for page, block in places:
            seen[page] = seen.get(page, 0) + 1
            title = chapters[page].plain_titles[lang]
            more = f" ({seen[page]})" if seen[page] > 1 else ""
            items.append(f'<a href="{page}#{block}">{escape(title)}{more}</a>')
        label = escape(texts[lang].get("html_cited_in", "Cited in"))
        return f'{match.group(1)}\n<p class="cited-in">{label}: {" · ".join(items)}</p>'

    return _ARTICLE.sub(links, documents["legal-basis.html"])


def _languages(book: Mapping[str, Any]) -> list[str]:
    return [lang.tag for lang in book["languages"]]
