"""Every script and direction, read back from the PDFs with pdfplumber (issue 12).

Four small handbooks, each built once (every layout, imposed as a booklet): Hebrew first
with English (a right-to-left book), English first with Arabic (a left-to-right book with
a right-to-left translation), Korean with English, Hong Kong Chinese with English.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pikepdf
import pypdf
import pytest
from pdfplumber.page import Page

from booklet.render.blocks import LEFT_TO_RIGHT_ISOLATE, POP_ISOLATE
from booklet.themes.theme import Theme
from booklet.vocabulary import LAYOUTS, POINTS_PER_MM
from tests.conftest import EPOCH, build_quietly, copy_fixture

pytestmark = pytest.mark.render


@dataclass(frozen=True)
class Book:
    """One fixture handbook as built."""

    folder: Path
    """The handbook folder (a copy of tests/data/<case>/<id>)."""
    languages: tuple[str, ...]
    """Its languages, the first first."""
    rtl: bool
    """Whether the book reads right to left (its first language does)."""
    pdfs: dict[str, Path]
    """Output file name -> path."""

    def pdf(self, layout: str, imposed: bool = False) -> Path:
        suffix = "-booklet" if imposed else ""
        return self.pdfs[f"{self.folder.name}-{layout}-a5{suffix}.pdf"]


CASES = {"he-en": "madrich", "en-ar": "guide", "ko-en": "annae", "zh-hk-en": "shouce"}

HANDBOOKS = {**CASES, "ar-en": "daleel"}
"""Every fixture this module builds: `book` runs over CASES, a test may name another."""


_BUILT: dict[str, Book] = {}
"""Each case built once for the whole module, by whichever test needs it first."""


def built(case: str, tmp_path_factory: pytest.TempPathFactory, theme: Theme) -> Book:
    """A fixture handbook built in every layout, imposed as a booklet, and as an EPUB."""
    if case not in _BUILT:
        root = tmp_path_factory.mktemp(case)
        folder = copy_fixture(case, root) / HANDBOOKS[case]
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
            made = build_quietly(folder, theme, root / "out", LAYOUTS, impose=True)
        settings = tomllib.loads((folder / "handbook.toml").read_text("utf-8"))
        languages = tuple(settings["languages"])
        rtl = theme.direction(languages[0]) == "rtl"
        _BUILT[case] = Book(folder, languages, rtl, {o.path.name: o.path for o in made})
    return _BUILT[case]


@pytest.fixture(scope="module", params=sorted(CASES))
def book(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, theme: Theme
) -> Book:
    return built(request.param, tmp_path_factory, theme)


# Letters of each fixture's second script; digits and punctuation belong to both columns.
SCRIPTS = {
    "he": re.compile(r"[\u0590-\u05ff]"),
    "ar": re.compile(r"[\u0600-\u06ff]"),
    "ko": re.compile(r"[\uac00-\ud7a3]"),
    "zh-Hant-HK": re.compile(r"[\u4e00-\u9fff]"),
    "en": re.compile(r"[A-Za-z]"),
}


def gutter_mm(theme: Theme) -> float:
    """The gutter the theme sets between parallel columns: each cell's inline padding."""
    css = theme.stylesheets["book.css"]
    padding = re.search(r"table\.parallel td \{[^}]*padding: 0 ([\d.]+)mm", css)
    assert padding, "book.css no longer pads the parallel cells as this test reads it"
    return 2 * float(padding.group(1))


def words_of(page: Page, script: re.Pattern[str]) -> list[dict[str, float]]:
    """The words below the running head with a letter of a script (with the punctuation
    and digits that cling to them: the full stop that ends a line is part of its column)."""
    head = page.height * 0.08
    return [
        word
        for word in page.extract_words()
        if float(word["top"]) > head and script.search(word["text"])
    ]


def parallel_pages(pdf: pdfplumber.PDF) -> list[Page]:
    """The chapter and legal-basis pages: between the contents and the back cover."""
    return pdf.pages[3:-1]


def beside(word: dict[str, float], others: list[dict[str, float]]) -> bool:
    """Whether a word stands on a line with any of the others (their heights overlap)."""
    return any(o["top"] < word["bottom"] and word["top"] < o["bottom"] for o in others)


def test_parallel_columns_start_where_reading_starts_and_never_touch(
    book: Book, theme: Theme
) -> None:
    """On every page, the words of each language that stand beside the other's form two
    columns: the first language's on the side where reading starts, a gutter away from
    the other's, on every line."""
    first, second = (SCRIPTS[tag] for tag in book.languages)
    gaps = []
    with pdfplumber.open(book.pdf("parallel")) as pdf:
        for page in parallel_pages(pdf):
            firsts, seconds = words_of(page, first), words_of(page, second)
            firsts = [w for w in firsts if beside(w, seconds)]
            seconds = [w for w in seconds if beside(w, firsts)]
            if not firsts:
                continue
            if book.rtl:  # the first language on the right, where reading starts
                gap = min(w["x0"] for w in firsts) - max(w["x1"] for w in seconds)
            else:
                gap = min(w["x0"] for w in seconds) - max(w["x1"] for w in firsts)
            gaps.append(gap / POINTS_PER_MM)
    assert len(gaps) >= 3, "too few pages hold both languages side by side"
    assert min(gaps) >= gutter_mm(theme) - 0.2, f"the columns come {min(gaps):.1f} mm apart"


def chapter_titles(book: Book, language: str) -> list[str]:
    titles = []
    for chapter in sorted((book.folder / language).glob("*.md")):
        heading = chapter.read_text("utf-8").splitlines()[0]
        titles.append(heading.removeprefix("# "))
    return titles


def head(page: Page, rtl: bool) -> str:
    """The running head as read: right to left for a right-to-left language."""
    chars = [c for c in page.chars if float(c["bottom"]) < page.height * 0.08]
    chars.sort(key=lambda c: float(c["x0"]), reverse=rtl)
    text = "".join(c["text"] for c in chars)
    return text.replace(LEFT_TO_RIGHT_ISOLATE, "").replace(POP_ISOLATE, "").replace(" ", "")


def test_running_heads_read_in_their_own_order_on_their_own_side(book: Book, theme: Theme) -> None:
    """A spread's first page (on the right in a right-to-left book) carries the first
    language's head at its outer corner; each head reads as its chapter is titled (an
    English head in a Hebrew book does not read "?What is a deposit")."""
    verso, recto = book.languages
    with pdfplumber.open(book.pdf("parallel")) as pdf:
        titles = {}
        for page in pdf.pages:
            for lang in (verso, recto):
                rtl = theme.direction(lang) == "rtl"
                found = head(page, rtl)
                for title in chapter_titles(book, lang):
                    if found == title.replace(" ", ""):
                        titles[page.page_number] = (lang, page)
        assert len(titles) >= 2, "no running head reads as a chapter title"
        for number, (lang, page) in titles.items():
            chars = [c for c in page.chars if float(c["bottom"]) < page.height * 0.08]
            right_side = min(c["x0"] for c in chars) > page.width / 2
            verso_page = number % 2 == 0
            assert lang == (verso if verso_page else recto), number
            # The outer corner: a verso is the left page of a left-to-right spread.
            assert right_side == (verso_page == book.rtl), number


BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Embedding and isolate controls, which poppler sets around a right-to-left line."""


def extracted_head(pdf: Path, page: Page) -> str:
    """The running head's text as a reader's copy or search gets it from the PDF: poppler's
    extraction of the page's head area (the glyphs, in the order they are drawn)."""
    area = ["-x", "0", "-y", "0", "-W", str(int(page.width)), "-H", str(int(page.height * 0.08))]
    number = ["-f", str(page.page_number), "-l", str(page.page_number)]
    text = subprocess.run(
        ["pdftotext", *number, *area, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(BIDI_CONTROLS.sub("", text).split())


@pytest.mark.parametrize("case", ["he-en", "ar-en"])
def test_running_heads_extract_in_logical_order(
    case: str, tmp_path_factory: pytest.TempPathFactory, theme: Theme
) -> None:
    """The text of the running heads extracts in reading order, the right-to-left head of
    a spread and the English one on the page opposite it: copied or searched, "מהו פיקדון?"
    does not come out as "?ןודקיפ והמ".

    WeasyPrint draws a line's glyphs from left to right, so a right-to-left head is stored
    in visual order (its characters in the page's content read backwards, as pdfplumber's
    `chars` give them); poppler's extraction puts them back in logical order, and a head
    (an artifact, outside the structure tree) has no ActualText to do it instead."""
    book = built(case, tmp_path_factory, theme)
    rtl_lang, english = book.languages
    heads: dict[str, set[str]] = {rtl_lang: set(), english: set()}
    with pdfplumber.open(book.pdf("parallel")) as pdf:
        for page in pdf.pages:
            found = extracted_head(book.pdf("parallel"), page)
            for lang in heads:
                if found in chapter_titles(book, lang):
                    heads[lang].add(found)
        stored = [
            "".join(c["text"] for c in page.chars if c["bottom"] < page.height * 0.08)
            for page in pdf.pages
        ]
    assert heads[rtl_lang] and heads[english], heads
    for lang in heads:  # a title is stored as is in a left-to-right head, backwards in the other
        backwards = theme.direction(lang) == "rtl"
        for title in heads[lang]:
            assert (title[::-1] if backwards else title) in stored, (title, stored)


def test_the_back_cover_is_the_last_and_an_outside_page_in_every_layout(book: Book) -> None:
    for layout in LAYOUTS:
        with pdfplumber.open(book.pdf(layout)) as pdf:
            assert len(pdf.pages) % 2 == 0, layout  # the last page backs the first
            last = pdf.pages[-1].extract_text()
            assert "1800 555 0199" in last and "Where to get help" in last, layout


def half_words(page: Page, half: int) -> Counter[str]:
    """What one half of an imposed side holds, as `page_words` counts it."""
    box = (half * page.width / 2, 0, (half + 1) * page.width / 2, page.height)
    return page_words(page.crop(box))


def page_words(page: Page) -> Counter[str]:
    """The characters a page shows, counted: what tells one page from another. (Not its
    words: where pdfplumber splits a right-to-left line into words hangs on a fraction of
    a point, which moving the page onto a sheet changes.)"""
    return Counter(char["text"] for char in page.chars if char["text"].strip())


def folded(sheets: list[tuple[Page, Page]], rtl: bool) -> list[Counter[str]]:
    """The pages of a printed booklet in reading order, as a reader meets them: the sheets
    printed duplex, flipped on the short edge (a front's right half backs onto the back's
    left half), stacked in order, folded in the middle. A left-to-right booklet opens with
    the spine on the left of its cover: the reader goes in through the right halves of the
    fronts and the left halves of the backs, then out through the others; a right-to-left
    one is its mirror image."""
    start, end = (0, 1) if rtl else (1, 0)
    going_in = [
        half_words(side, h) for front, back in sheets for side, h in ((front, start), (back, end))
    ]
    coming_out = [
        half_words(side, h)
        for front, back in reversed(sheets)
        for side, h in ((back, start), (front, end))
    ]
    return going_in + coming_out


def test_the_folded_booklet_reads_in_order_from_its_cover(book: Book) -> None:
    with (
        pdfplumber.open(book.pdf("parallel")) as reading,
        pdfplumber.open(book.pdf("parallel", imposed=True)) as imposed,
    ):
        sides = imposed.pages
        sheets = [(sides[i], sides[i + 1]) for i in range(0, len(sides), 2)]
        pages = [page_words(page) for page in reading.pages]
        # The first sheet's front: the cover on the half where the book opens (the left
        # one for a right-to-left book), the back cover on the other.
        cover = sheets[0][0]
        assert half_words(cover, 0 if book.rtl else 1) == pages[0]
        assert half_words(cover, 1 if book.rtl else 0) == pages[-1]
        read = folded(sheets, book.rtl)
        blank: Counter[str] = Counter()
        assert [p for p in read if p != blank] == [p for p in pages if p != blank]


def test_the_printing_sheet_says_which_edge_the_fold_is(book: Book, theme: Theme) -> None:
    # In the order of the content (pdfplumber reads the side-by-side languages line by line).
    sheet = pypdf.PdfReader(book.pdfs[f"{book.folder.name}-a5-printing.pdf"])
    text = " ".join(sheet.pages[0].extract_text().split())
    edge, other = ("right", "left") if book.rtl else ("left", "right")
    assert f"the fold is on the {edge}" in text, text
    assert f"the fold is on the {other}" not in text


def test_the_epub_turns_its_pages_in_the_books_direction(book: Book) -> None:
    with zipfile.ZipFile(book.pdfs[f"{book.folder.name}.epub"]) as epub:
        opf = next(epub.read(n).decode() for n in epub.namelist() if n.endswith(".opf"))
    spine = re.search(r"<spine[^>]*>", opf)
    assert spine and f'page-progression-direction="{"rtl" if book.rtl else "ltr"}"' in spine.group()


def korean_vocabulary(book: Book, theme: Theme) -> set[str]:
    """Every Korean word the book prints, as its sources write it (Hangul only)."""
    sources = [
        *sorted((book.folder / "ko").glob("*.md")),
        book.folder / "handbook.toml",
        *sorted((book.folder.parent / "laws").glob("*.toml")),
    ]
    text = " ".join(path.read_text("utf-8") for path in sources)
    text += " " + " ".join(str(v) for v in theme.strings["ko"].values())
    return {hangul(word) for word in text.split()} - {""}


def hangul(word: str) -> str:
    return "".join(c for c in word if SCRIPTS["ko"].match(c))


def test_korean_lines_break_between_words_in_every_layout(
    tmp_path_factory: pytest.TempPathFactory, theme: Theme
) -> None:
    book = built("ko-en", tmp_path_factory, theme)
    words = korean_vocabulary(book, theme)
    lines = 0
    for layout in LAYOUTS:
        with pdfplumber.open(book.pdf(layout)) as pdf:
            for page in pdf.pages:
                # A Korean space is narrower than pdfplumber's default gap for one.
                for line in page.extract_text(x_tolerance=1.5).splitlines():
                    found = [hangul(w) for w in line.split() if hangul(w)]
                    lines += bool(found)
                    assert set(found) <= words, (layout, page.page_number, line)
    assert lines > 60  # the Korean text was read, wrapped over many lines


CLOSING = "，。、；：？！）」』》〉"
"""Chinese punctuation that never begins a line."""


def test_hong_kong_chinese_is_set_in_the_hong_kong_faces_and_keeps_its_punctuation(
    tmp_path_factory: pytest.TempPathFactory, theme: Theme
) -> None:
    book = built("zh-hk-en", tmp_path_factory, theme)
    pdf = book.pdf("parallel")
    fonts = {font.split("+")[-1] for font in _font_names(pdf)}
    assert {"Noto-Serif-CJK-HK", "Noto-Sans-CJK-HK-Bold"} <= fonts, fonts
    assert not [f for f in fonts if re.search(r"CJK-(TC|SC|JP|KR)", f)], fonts
    with pdfplumber.open(pdf) as read:
        for page in read.pages:
            for word in page.extract_words():
                assert word["text"][0] not in CLOSING, (page.page_number, word["text"])


def _font_names(pdf: Path) -> list[str]:
    with pikepdf.open(pdf) as read:
        return [
            str(font.BaseFont)
            for page in read.pages
            for font in page.Resources.get("/Font", {}).values()
        ]
