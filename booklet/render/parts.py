"""A book's HTML -> its parts, and the HTML of one part alone, as it lies in the book.

Takes the HTML of a whole book as booklet.render.documents writes it (a head, then a body
whose top-level elements each start on a new page: cover, about page, contents, each
chapter, the legal basis, the back cover) and gives:

- `book_parts`: where each top-level element of the body is, the element ids it holds
  and the ids its links point at;
- `part_html`: one part, or a run of consecutive ones, as a document of its own, laid
  out as in the whole book: its pages numbered from the one it starts on and on that
  side, each page reference (`target-counter(attr(href), page)`, the citations' and the
  contents' page numbers) given the page its target has in the book, and an empty
  anchor for each target the run does not hold, so its links are kept
  (booklet.outputs.replace points them at the book's own destinations).

The HTML is booklet's own template output (every `<` and `"` of the sources escaped), so
its tags are read with a pattern, not a parser: a book's whole HTML is read in a few
milliseconds per hundred pages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^>]*?(/?)>", re.S)
VOID_ELEMENTS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
"""HTML elements that have no end tag."""
_ID = re.compile(r'\sid="([^"]+)"')
_HREF = re.compile(r'\shref="#([^"]+)"')
_REVISION = re.compile(r'<meta name="booklet\.revision" content="[^"]*"/?>')
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_PAGE_REFERENCE = "target-counter(attr(href), page"
_RULE = re.compile(r"([^{}]+)\{([^{}]*" + re.escape(_PAGE_REFERENCE) + r"[^{}]*)\}")
_PSEUDO = re.compile(r"::?(?:after|before)\s*$")
_COUNTER = "booklet-target"
"""The counter a part's page references are written with (no theme uses that name)."""

COVER_END_ID = "cover-end"
"""The id of the empty element a printed cover ends with (cover.html.j2): the page it is
on is the cover's last, so a build can tell that the cover ran over one page (here, not
in booklet.render.documents: the build reads it at start-up, which needs no template)."""

STUB_CLASS = "booklet-target-stub"
"""The class of the empty anchors a part holds for the targets outside it."""


@dataclass(frozen=True)
class Part:
    """One top-level element of a book's body: a part that starts on a page of its own."""

    start: int
    """Where its HTML starts in the book's."""
    end: int
    """Where its HTML ends."""
    ids: tuple[str, ...]
    """The element ids it holds, in order (its first one marks its first page)."""
    targets: tuple[str, ...]
    """The ids its links point at, each once."""


@dataclass(frozen=True)
class BookParts:
    """A book's HTML cut into its head and parts."""

    html: str
    body: int
    """Where the body's content starts (after `<body ...>`)."""
    parts: tuple[Part, ...]

    @property
    def head(self) -> str:
        """Everything before the body's content."""
        return self.html[: self.body]

    def text(self, part: Part) -> str:
        """A part's HTML."""
        return self.html[part.start : part.end]


def book_parts(html: str) -> BookParts | None:
    """The parts of a book's HTML, or None when its body is not what booklet writes."""
    body: int | None = None
    depth = 0
    opened = 0
    parts: list[Part] = []
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.group(1), (match.group(2) or "").lower(), match.group(3)
        if not name:
            continue  # a comment
        if body is None:
            if name == "body" and not closing:
                body = match.end()
            continue
        if name == "body" and closing:
            return BookParts(html, body, tuple(parts)) if depth == 0 and parts else None
        if name in VOID_ELEMENTS or self_closing:
            continue
        if not closing:
            if depth == 0:
                opened = match.start()
            depth += 1
        else:
            depth -= 1
            if depth < 0:
                return None
            if depth == 0:
                parts.append(_part(html, opened, match.end()))
    return None


def _part(html: str, start: int, end: int) -> Part:
    text = html[start:end]
    return Part(start, end, tuple(_ID.findall(text)), tuple(dict.fromkeys(_HREF.findall(text))))


def head_key(head: str) -> str:
    """A book's head without its revision, which only the pages that print it (the about
    page, the back cover) show: a part's pages depend on the rest of it (the CSS)."""
    return _REVISION.sub("", head, count=1)


def part_html(
    book: BookParts, run: Sequence[Part], first_page: int, pages: Mapping[str, int]
) -> tuple[str, str]:
    """A run of consecutive parts (`run`, often one) as a document of its own, its pages
    numbered from `first_page` on that page's side (odd pages are rectos in either
    direction), each page reference to a target given `pages[target]`, the target's page
    in the book (those inside the run too: a run is laid out once, not again when its
    forward references resolve, as a whole book is); and, apart, the book's stylesheet
    (the same for every part, so a worker parses it once, as for a clinic's tail:
    booklet.outputs.pdf)."""
    own = {name for part in run for name in part.ids}
    targets = tuple(dict.fromkeys(target for part in run for target in part.targets))
    outside = [target for target in targets if target not in own]
    styles = [
        *numbering(first_page),
        f".{STUB_CLASS} {{ position: absolute; width: 0; height: 0; overflow: hidden; }}",
        *_page_references(book.head, targets, pages),
    ]
    style = "<style>\n" + "\n".join(styles) + "\n</style>\n"
    sheet = _STYLE.search(book.head)
    css = sheet.group(1) if sheet else ""
    head = book.head[: sheet.start()] + book.head[sheet.end() :] if sheet else book.head
    closing = head.rfind("</head>")
    stubs = "".join(f'<span id="{target}"></span>' for target in outside)
    tail = f'<div class="{STUB_CLASS}">{stubs}</div>' if stubs else ""
    text = book.html[run[0].start : run[-1].end]
    html = head[:closing] + style + head[closing:] + text + tail + "</body>\n</html>\n"
    return html, css


def numbering(first_page: int) -> tuple[str, str]:
    """The CSS that numbers a document's pages from `first_page` and starts it on that
    page's side (odd pages are rectos in either direction): a part, or a clinic's tail,
    laid out alone as it lies in the book."""
    return (
        f"@page :first {{ counter-reset: page {first_page}; }}",
        f"html {{ break-before: {'recto' if first_page % 2 else 'verso'}; }}",
    )


def _page_references(head: str, targets: tuple[str, ...], pages: Mapping[str, int]) -> list[str]:
    """For each rule of the book's CSS that writes a target's page and each target of the
    part, the same rule for that target alone, the page written from a counter set to it."""
    css = _COMMENT.sub("", "".join(_STYLE.findall(head)))
    rules = []
    for match in _RULE.finditer(css):
        selectors = [s.strip() for s in match.group(1).split(",") if s.strip()]
        declarations = match.group(2).replace(_PAGE_REFERENCE, f"counter({_COUNTER}")
        for target in targets:
            if target not in pages:
                continue
            only = ", ".join(_for_target(selector, target) for selector in selectors)
            rules.append(
                f"{only} {{ counter-reset: {_COUNTER} {pages[target]}; {declarations.strip()} }}"
            )
    return rules


def _for_target(selector: str, target: str) -> str:
    """`selector` narrowed to the links to `target` (before its pseudo-element)."""
    attribute = f'[href="#{target}"]'
    pseudo = _PSEUDO.search(selector)
    if pseudo is None:
        return selector + attribute
    return selector[: pseudo.start()] + attribute + selector[pseudo.start() :]
