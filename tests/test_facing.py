"""Facing pages (booklet.outputs.facing): spread breaks as data, then PDFs read back."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from click.testing import CliRunner

from booklet.cli import main
from booklet.outputs.facing import Unit, spread_starts, with_breaks
from booklet.themes.theme import Theme
from booklet.vocabulary import LAYOUTS, Layout
from tests.conftest import EPOCH, SAMPLE, build_quietly, copy_fixture
from tests.pdf_structure import TaggedPdf, read


def unit(
    name: str, *heights: float, start: bool = False, heading: bool = False, joined: bool = False
) -> Unit:
    return Unit(name, heights, start, heading, joined)


@pytest.mark.parametrize(
    ("units", "starts"),
    [
        # Units go on a spread while they fit in both languages: the longer one decides.
        ([unit("a", 40, 60), unit("b", 40, 30), unit("c", 10, 20)], [0, 2]),
        # A chapter starts a spread even when there is room.
        ([unit("a", 10, 10), unit("b", 10, 10, start=True)], [0, 1]),
        # A heading never ends a page: it goes over with what it heads.
        ([unit("a", 50, 50), unit("h", 10, 10, heading=True), unit("p", 50, 50)], [0, 1]),
        # A list goes over whole to the next spread when it can...
        (
            [
                unit("p", 40, 40),
                unit("i1", 20, 20),
                unit("i2", 20, 20, joined=True),
                unit("i3", 30, 30, joined=True),
            ],
            [0, 1],
        ),
        # ...and is cut where it must, when it is all the spread holds.
        (
            [unit("i1", 60, 60), unit("i2", 30, 30, joined=True), unit("i3", 20, 20, joined=True)],
            [0, 2],
        ),
        # ...and a spread of headings only takes the next unit, however long.
        ([unit("h", 10, 10, heading=True), unit("p", 95, 95), unit("q", 5, 5)], [0, 2]),
        # A unit longer than a page continues on the next pages; the next starts a spread.
        ([unit("a", 10, 10), unit("long", 150, 90), unit("b", 10, 10)], [0, 1, 2]),
    ],
)
def test_spreads_start_where_the_units_no_longer_fit_in_both_languages(
    units: list[Unit], starts: list[int]
) -> None:
    assert spread_starts(units, 100) == starts


def test_a_spread_starts_with_a_page_break_and_blank_pages_go_before_it() -> None:
    html = "<head></head><!--facing:a--><p data-unit='a'></p><!--facing:b--><!--facing:end-->"
    made = with_breaks(html, ["a", "b"], {"b": 2, "end": 1})
    filler = '<div class="facing-filler"></div>'
    assert made == (
        '<head><style>[data-unit="a"], [data-unit="b"] { break-before: page !important; }</style></head>'
        f"<p data-unit='a'></p>{filler}{filler}{filler}"
    )


def test_a_plain_build_does_not_make_facing_pages() -> None:
    assert Layout.FACING not in LAYOUTS
    assert Layout("facing") is Layout.FACING


# ---------------------------------------------------------------- rendered

CJK = re.compile(r"[\u4e00-\u9fff]")
ARABIC = re.compile(r"[\u0600-\u06ff]")
ENGLISH = re.compile(r"\b(?:the|and|your|you|of|to)\b", re.IGNORECASE)
"""Words that show English text on a page (a Chinese page may name an App or the LPR)."""


@pytest.fixture(scope="module")
def facing_pdfs(tmp_path_factory: pytest.TempPathFactory, theme: Theme) -> dict[str, Path]:
    """The sample (zh-Hans, en) and the Arabic/English fixture, in the facing layout."""
    out = tmp_path_factory.mktemp("facing")
    daleel = copy_fixture("ar-en", out) / "daleel"
    made = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for folder in (SAMPLE, daleel):
            built = build_quietly(folder, theme, out / "built", ("facing",), ("pdf",), impose=True)
            large = build_quietly(
                daleel, theme, out / "built", ("facing",), ("pdf",), edition="large-print"
            )
            for output in [*built, *large]:
                assert output.kind != "pdf" or not output.notes, output.notes
                made[output.path.name] = output.path
    return made


CASES = [
    ("debt-collection-facing-a5.pdf", ("zh-Hans", "en"), (CJK, ENGLISH)),
    ("daleel-facing-a5.pdf", ("ar", "en"), (ARABIC, ENGLISH)),
    ("daleel-facing-a4-large-print.pdf", ("ar", "en"), (ARABIC, ENGLISH)),
]


LATIN = re.compile("[A-Za-z]{3}")


def spreads_end(texts: list[str], script: re.Pattern[str]) -> int:
    """The 0-based page after the last spread: the last pages are in every language (the
    back cover; in large print the inside of the back cover, on a recto, before it)."""
    end = len(texts)
    while end > 1 and (
        (script.search(texts[end - 1]) and LATIN.search(texts[end - 1]))
        or not texts[end - 1].strip()
    ):
        end -= 1
    return end


def page_texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


@pytest.mark.render
@pytest.mark.parametrize(("name", "languages", "scripts"), CASES)
def test_each_page_is_in_one_language_the_first_on_the_page_read_first(
    facing_pdfs: dict[str, Path],
    name: str,
    languages: tuple[str, str],
    scripts: tuple[re.Pattern[str], re.Pattern[str]],
) -> None:
    texts = page_texts(facing_pdfs[name])
    assert len(texts) % 2 == 0
    # Page 1 is the cover, the last the back cover (both in both languages); between
    # them, each spread: the verso (even) in the first language, the recto in the other.
    end = spreads_end(texts, scripts[0])
    assert end % 2 == 1 and end < len(texts)
    for number, text in enumerate(texts[1:end], start=2):
        other = scripts[1] if number % 2 == 0 else scripts[0]
        assert not other.search(text), (number, text[:200])
    tagged = read(facing_pdfs[name])
    for element in tagged.root.walk():
        for page, mcid in element.marked:
            if 0 < page < end and tagged.text.get((page, mcid), "").strip():
                expected = languages[0] if page % 2 == 1 else languages[1]  # 0-based
                assert element.inherited_lang() == expected, (page + 1, tagged.text[(page, mcid)])


@pytest.mark.render
@pytest.mark.parametrize(("name", "languages", "scripts"), CASES)
def test_corresponding_headings_face_each_other_and_the_back_cover_is_last(
    facing_pdfs: dict[str, Path],
    name: str,
    languages: tuple[str, str],
    scripts: tuple[re.Pattern[str], re.Pattern[str]],
) -> None:
    tagged = read(facing_pdfs[name])
    last = len(tagged.pdf.pages) - 1
    for kind in ("H1", "H2"):
        first, second = (headings(tagged, kind, lang, last) for lang in languages)
        assert len(first) == len(second) > 0
        for verso, recto in zip(first, second, strict=True):
            assert verso % 2 == 1 and recto == verso + 1, (kind, verso + 1, recto + 1)
    texts = page_texts(facing_pdfs[name])
    assert all(script.search(texts[-1]) for script in scripts)  # the back cover, bilingual
    assert len(texts) % 2 == 0
    if name.startswith("daleel"):
        assert pikepdf.open(facing_pdfs[name]).Root.ViewerPreferences.Direction == "/R2L"


def headings(tagged: TaggedPdf, kind: str, lang: str, last: int) -> list[int]:
    """The 0-based page of each heading of `kind` in `lang` between the covers."""
    pages = []
    for element in tagged.elements(kind):
        on = sorted(tagged.pages_of(element))
        if on and 0 < on[0] < last and element.inherited_lang() == lang:
            pages.append(on[0])
    return pages


@pytest.mark.render
def test_the_reading_order_is_each_spread_verso_then_recto(facing_pdfs: dict[str, Path]) -> None:
    tagged = read(facing_pdfs["daleel-facing-a5.pdf"])
    order = [page for page, _ in tagged.root.all_marked()]
    assert order == sorted(order)


def test_facing_pages_need_two_languages(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["new", "guide", "--languages", "en,es,fr"]).exit_code == 0
    result = runner.invoke(main, ["build", "--layout", "facing", "--format", "pdf"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: Invalid value for '--layout': handbook guide has 3 languages; the facing "
        "layout shows two, one on each page of a spread; use parallel, interleaved or "
        "sequential"
    )
    assert not (tmp_path / "output").exists()
    manifest = tmp_path / "sources" / "guide" / "handbook.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text + '\n[publish]\nlayouts = ["facing"]\n', encoding="utf-8")
    line = len(text.splitlines()) + 3
    checked = runner.invoke(main, ["check"])
    assert checked.exit_code == 1
    assert (
        f'sources/guide/handbook.toml:{line}: "facing" shows two languages, one on each page '
        "of a spread, and this handbook has 3; remove it from layouts"
    ) in checked.output


@pytest.mark.render
@pytest.mark.parametrize(("name", "languages", "scripts"), CASES)
def test_both_pages_of_a_spread_show_the_same_units_and_no_page_ends_on_a_heading(
    facing_pdfs: dict[str, Path],
    name: str,
    languages: tuple[str, str],
    scripts: tuple[re.Pattern[str], re.Pattern[str]],
) -> None:
    tagged = read(facing_pdfs[name])
    (document,) = tagged.root.kids
    pages = spreads_end(page_texts(facing_pdfs[name]), scripts[0]) + 1
    starting: dict[int, int] = {}  # page -> units (top-level blocks) starting on it
    last_on: dict[int, str] = {}  # page -> the kind of the last block starting on it
    for unit in document.kids:
        on = sorted(tagged.pages_of(unit))
        if on and 0 < on[0] < pages - 1:
            starting[on[0]] = starting.get(on[0], 0) + 1
            last_on[on[0]] = unit.kids[-1].kind if unit.kids else unit.kind
    for verso in range(1, pages - 1, 2):
        assert starting.get(verso, 0) == starting.get(verso + 1, 0), verso + 1
    assert not [page + 1 for page, kind in last_on.items() if kind in ("H1", "H2", "H3")]


@pytest.mark.render
def test_a_unit_longer_than_a_page_continues_in_step_with_blank_pages_opposite(
    mini: Path, theme: Theme, tmp_path: Path
) -> None:
    chapter = mini / "en" / "01-start.md"
    long = "A sentence of a paragraph far longer than its original. " * 120
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("\n\n## What to do", f" {long}\n\n## What to do"), "utf-8")
    (made,) = build_quietly(mini, theme, tmp_path / "out", ("facing",), ("pdf",))
    tagged = read(made.path)
    last = len(tagged.pdf.pages) - 1
    for kind in ("H1", "H2"):
        first, second = (headings(tagged, kind, lang, last) for lang in ("zh-Hans", "en"))
        assert [page + 1 for page in second] == [page + 2 for page in first]
    texts = page_texts(made.path)
    assert len(texts) % 2 == 0
    # The long paragraph runs over three English pages: the Chinese keeps two blank ones
    # (their running head and folio only) opposite the second and third.
    head = "先协商"
    blank = [n for n, text in enumerate(texts, start=1) if text.split() == [head, str(n)]]
    assert blank == [8, 10]


@pytest.mark.render
@pytest.mark.parametrize(
    ("name", "left", "right"),
    [
        ("debt-collection-facing-a5-booklet.pdf", CJK, ENGLISH),
        ("daleel-facing-a5-booklet.pdf", ENGLISH, ARABIC),  # bound on the right
    ],
)
def test_the_folded_booklet_shows_the_middle_spread_as_the_book_does(
    facing_pdfs: dict[str, Path], name: str, left: re.Pattern[str], right: re.Pattern[str]
) -> None:
    with pdfplumber.open(facing_pdfs[name]) as pdf:
        middle = pdf.pages[-1]  # the inside of the innermost sheet
        half = float(middle.width) / 2
        verso = middle.crop((0, 0, half, float(middle.height))).extract_text() or ""
        recto = middle.crop((half, 0, float(middle.width), float(middle.height))).extract_text()
    assert left.search(verso) and not right.search(verso)
    assert right.search(recto or "") and not left.search(recto or "")


@pytest.mark.render
def test_a_clinic_edition_has_its_page_as_a_spread(
    mini: Path, theme: Theme, tmp_path: Path
) -> None:
    (made,) = build_quietly(mini, theme, tmp_path, ("facing",), ("pdf",), clinics=["north"])
    texts = page_texts(made.path)
    verso, recto = texts[-3], texts[-2]  # then the back cover
    # Each page of the spread under its running head, in its own language only.
    assert verso.split()[:2] == ["附近的法律帮助", "附近的法律帮助"]
    assert recto.startswith("Help near you\nHelp near you") and not CJK.search(recto)
    assert len(texts) % 2 == 0


def cover_warning(output: Path, toml: Path, subtitle: int, title: int) -> str:
    return (
        f"{output}: warning: the cover runs over one page on this paper; shorten the "
        f"subtitle ({toml}:{subtitle}) or the title ({toml}:{title}), or use a larger paper"
    )


@pytest.mark.render
@pytest.mark.parametrize(
    ("fixture", "old", "new", "edition", "cover", "pages"),
    [
        # A 600-character subtitle: the cover takes two pages, and a blank page follows
        # them so that the first spread (the about page) still starts on a verso
        # (before: 14 pages too, the cover's second page between the last spread and the
        # back cover).
        ("mini", 'en = "A small sample"', "A small sample that runs on. " * 21, "standard", 2, 14),
        # Right to left, large print: a long Arabic title takes three pages, no blank
        # page needed; the inside of the back cover and the back cover last.
        (
            "ar-en",
            'ar = "دليل الإيجار"',
            "دليل الإيجار للمستأجرين في المدينة " * 40,
            "large-print",
            3,
            16,
        ),
    ],
)
def test_a_cover_that_runs_over_keeps_its_pages_together_and_warns(
    theme: Theme,
    tmp_path: Path,
    fixture: str,
    old: str,
    new: str,
    edition: str,
    cover: int,
    pages: int,
) -> None:
    folder = next(p.parent for p in copy_fixture(fixture, tmp_path).glob("*/handbook.toml"))
    toml = folder / "handbook.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace(old, f'{old.split(" = ")[0]} = "{new.strip()}"'), "utf-8")
    lines = [n for n, line in enumerate(text.splitlines(), 1) if line in ("[subtitle]", "[title]")]
    facing, other = build_quietly(
        folder, theme, tmp_path / "out", ("facing", "interleaved"), ("pdf",), edition=edition
    )
    for output in (facing, other):  # every layout warns alike
        assert [str(warning) for warning in output.warnings] == [
            f"{output.path}: warning: the cover runs over one page on this paper; shorten the "
            f"subtitle ({toml}:{lines[1]}) or the title ({toml}:{lines[0]}), or use a larger "
            "paper"
        ]
    texts = page_texts(facing.path)
    assert len(texts) == pages
    script = CJK if fixture == "mini" else ARABIC
    # The cover's pages first, a blank page when they are even, then the first spread
    # (the about page, verso then recto); the back cover last, in both languages.
    assert script.search(texts[0]) and all(text.strip() for text in texts[:cover])
    assert "Test Legal Clinic" in texts[cover - 1] or "Test edition 1" in texts[cover - 1]
    blank, cover = cover % 2 == 0, cover + (cover + 1) % 2
    assert not blank or not texts[cover - 1].strip()
    assert script.search(texts[cover]) and not ENGLISH.search(texts[cover])
    assert texts[cover + 1].startswith("About this handbook")
    assert script.search(texts[-1]) and "Where to get help" in texts[-1]
    # The folios count the cover's pages: the contents give each chapter's page.
    contents = re.search(r"Contents\s+1\s+(.+?)\s*\.{3,}\s*(\d+)", texts[cover + 3])
    assert contents is not None
    chapter = int(contents.group(2))
    assert chapter == cover + 6  # about and contents spreads, then the chapter's recto
    assert texts[chapter - 1].startswith(contents.group(1))
