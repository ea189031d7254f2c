"""The sample handbook's PDFs, read back with pypdf: structure, text, fonts, navigation."""

import re
import subprocess
from pathlib import Path

import pypdf
import pytest

from booklet.vocabulary import LAYOUTS, PAPERS
from tests.conftest import SAMPLE

ART_667 = "借款合同是借款人向贷款人借款，到期返还借款并支付利息的合同。"


def text_of(page: pypdf.PageObject) -> str:
    return page.extract_text() or ""


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module", params=LAYOUTS)
def reader(request: pytest.FixtureRequest, sample_build: dict[str, Path]) -> pypdf.PdfReader:
    return pypdf.PdfReader(sample_build[f"debt-collection-{request.param}-a5.pdf"])


@pytest.mark.render
def test_pages_are_a5(reader: pypdf.PdfReader) -> None:
    width, height = PAPERS["a5"].points
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(width, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(height, abs=0.5)


@pytest.mark.render
def test_both_languages_and_the_exact_article_text(reader: pypdf.PdfReader) -> None:
    everything = "".join(text_of(p) for p in reader.pages)
    assert ART_667 in squeeze(everything)
    assert "A loan contract is a contract under which the borrower borrows money" in (
        " ".join(everything.split())
    )
    assert "遇到催收威胁怎么办" in everything
    assert "Threatened by Debt Collectors?" in everything


@pytest.mark.render
def test_every_font_is_embedded_and_from_the_theme(reader: pypdf.PdfReader) -> None:
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descriptor = (
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                if "/DescendantFonts" in font
                else font["/FontDescriptor"]
            ).get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
            names.add(str(font["/BaseFont"]).split("+", 1)[-1])
    # Only the families the theme names: no fontconfig fallback (no JP forms, no DejaVu).
    assert names <= {
        "Noto-Serif-CJK-SC",
        "Noto-Sans-CJK-SC",
        "Noto-Serif-CJK-SC-Bold",
        "Noto-Sans-CJK-SC-Bold",
        "Noto-Serif",
        "Noto-Serif-Bold",
        "Noto-Serif-Italic",
        "Noto-Sans",
        "Noto-Sans-Bold",
    }, names
    assert any("CJK-SC" in n for n in names)


@pytest.mark.render
def test_metadata(reader: pypdf.PdfReader) -> None:
    info = reader.metadata
    assert info.title == "遇到催收威胁怎么办 / Threatened by Debt Collectors? What You Can Do"
    assert info.author == "社区法律援助诊所（示例） / Community Legal-Aid Clinic (sample)"
    assert info["/CreationDate"].startswith("D:20260101000000")
    assert reader.trailer["/Root"]["/Lang"] == "zh-Hans"


@pytest.mark.render
def test_cover_first_back_cover_last_on_a_left_page(reader: pypdf.PdfReader) -> None:
    assert "遇到催收威胁怎么办" in text_of(reader.pages[0])
    last = text_of(reader.pages[-1])
    assert "12348" in last and "110" in last
    assert "本手册提供的是一般性的法律信息" in squeeze(last)
    assert len(reader.pages) % 2 == 0


@pytest.mark.render
def test_colophon_says_draft_in_both_languages(reader: pypdf.PdfReader) -> None:
    about = squeeze(text_of(reader.pages[1]))
    assert "草稿：本手册尚未经律师审阅。" in about
    assert squeeze("Draft: this handbook has not yet been reviewed by a lawyer.") in about
    assert "2026年11月1日" in about  # law as at, in the Chinese date format


@pytest.mark.render
def test_bookmarks_name_every_chapter(reader: pypdf.PdfReader) -> None:
    titles = []

    def walk(items: list) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    joined = "\n".join(titles)
    for chapter in ("先和债权人谈一谈", "Talk to your creditor first", "法律依据"):
        assert chapter in joined


def chapter_titles() -> list[tuple[str, str]]:
    titles = []
    for path in sorted((SAMPLE / "zh-Hans").glob("*.md")):
        zh = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("# ")
        en = (SAMPLE / "en" / path.name).read_text(encoding="utf-8").splitlines()[0][2:]
        titles.append((zh, en))
    return titles


@pytest.mark.render
def test_contents_page_numbers_point_at_the_chapters(sample_build: dict[str, Path]) -> None:
    for layout in LAYOUTS:
        reader = pypdf.PdfReader(sample_build[f"debt-collection-{layout}-a5.pdf"])
        pages = [squeeze(text_of(p)) for p in reader.pages]
        contents = next(i for i, t in enumerate(pages) if "目录" in t)
        # poppler's layout mode keeps each contents line whole: "1  Title ....... 4".
        listing = subprocess.run(
            [
                "pdftotext",
                "-layout",
                "-f",
                str(contents + 1),
                "-l",
                str(contents + 1),
                str(sample_build[f"debt-collection-{layout}-a5.pdf"]),
                "-",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for zh, _ in chapter_titles():
            match = re.search(re.escape(zh) + r" *\.+ *(\d+)$", listing, re.M)
            assert match, (layout, zh)
            number = int(match.group(1))
            assert squeeze(zh) in pages[number - 1], (layout, zh, number)
            assert not any(squeeze(zh) in p for p in pages[contents + 1 : number - 1]), (layout, zh)


@pytest.mark.render
def test_running_heads_show_the_chapter(sample_build: dict[str, Path]) -> None:
    reader = pypdf.PdfReader(sample_build["debt-collection-parallel-a5.pdf"])
    zh, en = chapter_titles()[0]
    heads = [text_of(p).splitlines()[-2:] for p in reader.pages]
    assert any(zh in " ".join(h) for h in heads)
    assert any(en in " ".join(h) for h in heads)


@pytest.mark.render
def test_citations_carry_their_page(sample_build: dict[str, Path]) -> None:
    reader = pypdf.PdfReader(sample_build["debt-collection-interleaved-a5.pdf"])
    pages = [squeeze(text_of(p)) for p in reader.pages]
    appendix = next(i for i, t in enumerate(pages) if "第六百六十七条" in t and ART_667 in t)
    cited = "".join(pages)
    assert f"（见《民法典》第六百六十七条至第六百七十一条，第{appendix + 1}页）" in cited


@pytest.mark.render
def test_tagged_structure_carries_each_block_language(reader: pypdf.PdfReader) -> None:
    counts: dict[str, int] = {}

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if "/Lang" in node:
                counts[str(node["/Lang"])] = counts.get(str(node["/Lang"]), 0) + 1
            if "/K" in node:
                walk(node["/K"])
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert counts.get("zh-Hans", 0) > 20 and counts.get("en", 0) > 20


def test_a_weasyprint_without_the_tagging_internal_fails_loudly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from booklet.errors import ConfigError
    from booklet.outputs import pdf

    monkeypatch.delattr(pdf.pdf_tags.weasyprint_tags, "_build_box_tree")
    with pytest.raises(ConfigError, match=r"has no weasyprint\.pdf\.tags\._build_box_tree"):
        pdf.write_pdf("<p lang='en'>x</p>", tmp_path, [tmp_path])


NEW_CITATIONS = [
    ("prc-civil-code", "188", "《民法典》第一百八十八条", "Civil Code, art. 188", "第一百八十八条"),
    ("prc-civil-code", "192", "《民法典》第一百九十二条", "Civil Code, art. 192", "第一百九十二条"),
    ("prc-civil-code", "680", "《民法典》第六百八十条", "Civil Code, art. 680", "第六百八十条"),
    (
        "prc-criminal-law",
        "196",
        "《刑法》第一百九十六条",
        "Criminal Law, art. 196",
        "第一百九十六条",
    ),
    (
        "prc-criminal-law",
        "238",
        "《刑法》第二百三十八条",
        "Criminal Law, art. 238",
        "第二百三十八条",
    ),
    (
        "prc-civil-procedure-law",
        "95",
        "《民事诉讼法》第九十五条",
        "Civil Procedure Law, art. 95",
        "第九十五条",
    ),
    (
        "prc-civil-procedure-law",
        "147",
        "《民事诉讼法》第一百四十七条",
        "Civil Procedure Law, art. 147",
        "第一百四十七条",
    ),
    (
        "prc-civil-procedure-law",
        "171",
        "《民事诉讼法》第一百七十一条",
        "Civil Procedure Law, art. 171",
        "第一百七十一条",
    ),
    (
        "prc-civil-procedure-law",
        "227",
        "《民事诉讼法》第二百二十七条",
        "Civil Procedure Law, art. 227",
        "第二百二十七条",
    ),
    (
        "spc-private-lending",
        "25",
        "《民间借贷规定》第二十五条",
        "SPC Private Lending Provisions, art. 25",
        "第二十五条",
    ),
    (
        "spc-private-lending",
        "29",
        "《民间借贷规定》第二十九条",
        "SPC Private Lending Provisions, art. 29",
        "第二十九条",
    ),
]
"""The second review's citations: statute, article, as cited in each language, zh heading."""


def body_text(page: pypdf.PageObject) -> str:
    """A page's text without its running head and page number (they sit in the top and
    bottom 40 pt), without white space and with words hyphenated at a line end joined."""
    height = float(page.mediabox.height)
    pieces: list[str] = []

    def keep(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if 40 < y < height - 40:
            pieces.append(text)

    page.extract_text(visitor_text=keep)
    return squeeze("".join(pieces).replace("\u2010", ""))


@pytest.mark.render
@pytest.mark.parametrize("layout", LAYOUTS)
def test_new_citations_give_the_page_of_their_article(
    sample_build: dict[str, Path], layout: str
) -> None:
    reader = pypdf.PdfReader(sample_build[f"debt-collection-{layout}-a5.pdf"])
    pages = [squeeze(text_of(p)) for p in reader.pages]
    # A citation may run over a page break: read the pages' bodies as one text.
    body = "".join(body_text(p) for p in reader.pages)
    destinations = reader.named_destinations
    for law, key, zh, en, heading in NEW_CITATIONS:
        for lang, cited, pattern, head in (
            ("zh-Hans", zh, "，第(\\d+)页", heading),
            ("en", en, ",p\\.(\\d+)", f"Article{key}"),
        ):
            page = reader.get_destination_page_number(destinations[f"art-{law}-{key}--{lang}"])
            assert head in pages[page], (layout, law, key, lang)
            found = {int(n) for n in re.findall(re.escape(squeeze(cited)) + pattern, body)}
            assert found == {page + 1}, (layout, law, key, lang, found)
