"""The reading edition's search index: the words of its pages, as a script.

Takes the edition's pages (name -> HTML) and its languages; gives `search-index.js`,
which sets `window.BOOKLET_SEARCH` to the blocks (`page#id`, language, the start of the
text, the page's title by its number in `pages`) and, for each term, the blocks holding
it. A script and not a JSON file: a browser opening the folder from `file://` loads a
`<script src>` but refuses `fetch`.

Terms are made the same way here and by the edition's script (`edition.js`): the text
decomposed (NFKD) and case-folded, accents dropped from letters of the alphabets that
are read without them (Latin, Greek, Cyrillic, Hebrew and Arabic points); in scripts
written without spaces (Chinese, Japanese kana, Thai, Lao, Khmer, Myanmar) every two
characters in a row are a term, so a query of any length finds its characters in
sequence without a dictionary; elsewhere a term is a word, which a query matches by its
beginning; an Arabic word is also indexed without its article.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping, Sequence
from html.parser import HTMLParser

from booklet.render.parts import VOID_ELEMENTS

SNIPPET = 100
"""Characters of a block shown in a search result."""

_BLOCK_CLASSES = frozenset({"version", "article"})
_UNSPACED = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3FFFF),  # CJK extensions B and later
)
_ACCENTED_BELOW = 0x0700
"""Marks on letters below this code point (Latin, Greek, Cyrillic, Hebrew, Arabic) are
dropped: `é` is found by `e`, `كَتَبَ` by `كتب`."""


def _unspaced(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _UNSPACED)


def fold(text: str) -> str:
    """Text as terms are made of it: decomposed, case-folded, accents dropped, composed
    again."""
    kept: list[str] = []
    base = 0
    for char in unicodedata.normalize("NFKD", text).casefold():
        if unicodedata.category(char).startswith("M"):
            if base < _ACCENTED_BELOW:
                continue
        elif char == "\u0640":  # Arabic tatweel: stretches a word, is not a letter
            continue
        else:
            base = ord(char)
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))  # kana keep their voicing marks


def _word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNM"


def terms(text: str) -> list[str]:
    """The terms of `text`, in order (repeats kept)."""
    found: list[str] = []
    run: list[str] = []
    unspaced = False

    def flush() -> None:
        if not run:
            return
        if unspaced and len(run) > 1:
            found.extend(run[i] + run[i + 1] for i in range(len(run) - 1))
        else:
            found.append("".join(run))
        run.clear()

    for char in fold(text):
        if not _word_char(char):
            flush()
            continue
        kind = _unspaced(char) or (unspaced and unicodedata.category(char).startswith("M"))
        if run and kind != unspaced:
            flush()
        unspaced = kind
        run.append(char)
    flush()
    return found


class _Blocks(HTMLParser):
    """The text of each block (an element of class `version` or `article` with an id)
    and the language it is in."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[tuple[str, str, int | None, int]] = []
        """Open elements: tag, language, the block they belong to, whether their text is
        left out (1) or not (0)."""
        self.blocks: list[tuple[str, str, list[str]]] = []
        self.skip = 0
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_ELEMENTS:
            return
        named = dict(attrs)
        lang = named.get("lang") or (self.stack[-1][1] if self.stack else "")
        block = self.stack[-1][2] if self.stack else None
        classes = set((named.get("class") or "").split())
        if named.get("id") and classes & _BLOCK_CLASSES:
            self.blocks.append((f"{self.page}#{named['id']}", lang, []))
            block = len(self.blocks) - 1
        if tag in ("script", "style") or "cited-in" in classes:
            self.skip += 1  # not words of the handbook
        self.in_title = tag == "title"
        skipped = tag in ("script", "style") or "cited-in" in classes
        self.stack.append((tag, lang, block, int(skipped)))

    def handle_endtag(self, tag: str) -> None:
        self.in_title = False
        if tag in VOID_ELEMENTS:
            return
        while self.stack:
            open_tag, _, _, skipped = self.stack.pop()
            self.skip -= skipped
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        if self.skip or not self.stack or self.stack[-1][2] is None:
            return
        self.blocks[self.stack[-1][2]][2].append(data)


_ARABIC_ARTICLE = ("وال", "بال", "فال", "كال", "ال", "لل")
"""و+ال, ب+ال, ف+ال, ك+ال, ال, لل: the article (and a particle) written onto an Arabic word."""


def _also(term: str) -> str | None:
    """An Arabic word without its article (`التأمين` is found by `تأمين`)."""
    for article in _ARABIC_ARTICLE:
        if term.startswith(article) and len(term) > len(article) + 1:
            return term[len(article) :]
    return None


def search_index(pages: Mapping[str, str]) -> dict[str, object]:
    """The index of `pages` (name -> HTML), in the pages' order."""
    docs: list[list[str | int]] = []
    titles: list[str] = []
    index: dict[str, set[int]] = {}
    for name, html in pages.items():
        parser = _Blocks(name)
        parser.feed(html)
        parser.close()
        titles.append("".join(parser.title).split(" · ")[0].strip())
        for href, lang, parts in parser.blocks:
            text = " ".join("".join(parts).split())
            if not text:
                continue
            number = len(docs)
            snippet = text if len(text) <= SNIPPET else text[:SNIPPET].rstrip() + "…"
            docs.append([href, lang, snippet, len(titles) - 1])
            for term in terms(text):
                index.setdefault(term, set()).add(number)
                bare = _also(term)
                if bare:
                    index.setdefault(bare, set()).add(number)
    terms_found = {term: sorted(index[term]) for term in sorted(index)}
    return {"docs": docs, "pages": titles, "terms": terms_found}


def search_index_script(pages: Mapping[str, str], languages: Sequence[str]) -> str:
    """`search-index.js`: the index as a script that sets `window.BOOKLET_SEARCH`."""
    data = {"languages": list(languages), **search_index(pages)}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # Inside a script, "</" could end it early in an inline copy; escaped anyway.
    return "window.BOOKLET_SEARCH = " + text.replace("</", "<\\/") + ";\n"
