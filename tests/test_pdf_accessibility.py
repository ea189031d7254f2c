"""PDF/UA-1 conditions a machine can check (Matterhorn Protocol), on real builds.

Each PDF's structure tree is walked with pikepdf (tests/pdf_structure.py): the sample's
three A5 layouts, the Spanish/English fixture's three layouts and a large-print build.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pikepdf
import pytest

from booklet.build import check_folder
from booklet.model import Block, Callout, ListBlock, Quote
from booklet.themes.theme import Theme
from booklet.vocabulary import Edition
from tests.conftest import DATA, EPOCH, SAMPLE, TODAY, build_quietly, copy_fixture
from tests.pdf_structure import (
    ID_LIKE,
    LEADER,
    LINE_END_HYPHEN,
    TaggedPdf,
    content_mcids,
    is_cut,
    link_annotations,
    plain_text,
    read,
    struct_text,
)

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DC = "{http://purl.org/dc/elements/1.1/}"
PDFUAID = "{http://www.aiim.org/pdfua/ns/id/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="session")
def built(
    sample_build: dict[str, Path], tmp_path_factory: pytest.TempPathFactory, theme: Theme
) -> dict[str, Path]:
    """Every PDF under test, by file name, each built once per session."""
    out = tmp_path_factory.mktemp("accessible")
    pdfs = {name: path for name, path in sample_build.items() if name.endswith(".pdf")}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        guide = copy_fixture("es-en", out / "data") / "guide"
        for output in build_quietly(guide, theme, out / "es-en", formats=("pdf",)):
            pdfs[output.path.name] = output.path
        large = build_quietly(
            SAMPLE, theme, out / "large", ("interleaved",), ("pdf",), edition=Edition.LARGE_PRINT
        )
        pdfs[large[0].path.name] = large[0].path
        facing = build_quietly(SAMPLE, theme, out / "facing", ("facing",), ("pdf",))
        pdfs[facing[0].path.name] = facing[0].path
        # Both clinics' pages laid out as one document, cut apart and spliced on (#30).
        clinics = ("eastside", "riverside")
        for output in build_quietly(
            SAMPLE, theme, out / "clinics", ("parallel",), ("pdf",), clinics=clinics
        ):
            pdfs[output.path.name] = output.path
    return pdfs


NAMES = [
    "debt-collection-parallel-a5.pdf",
    "debt-collection-interleaved-a5.pdf",
    "debt-collection-sequential-a5.pdf",
    "guide-parallel-a5.pdf",
    "guide-interleaved-a5.pdf",
    "guide-sequential-a5.pdf",
    "debt-collection-interleaved-a4-large-print.pdf",
    "debt-collection-facing-a5.pdf",
    "debt-collection-riverside-parallel-a5.pdf",
]
SOURCES = {"debt": SAMPLE, "guide": DATA / "es-en" / "guide"}
LANGUAGES = {"debt-collection": {"zh-Hans", "en"}, "guide": {"es", "en"}}


@pytest.fixture(scope="session")
def tagged(built: dict[str, Path]) -> dict[str, TaggedPdf]:
    return {name: read(built[name]) for name in NAMES}


def _languages(name: str) -> set[str]:
    return LANGUAGES[name.split("-")[0] if name.startswith("guide") else "debt-collection"]


@pytest.mark.render
@pytest.mark.parametrize("name", NAMES)
def test_the_document_says_it_is_pdf_ua_with_its_title_in_every_language(
    tagged: dict[str, TaggedPdf], name: str
) -> None:
    pdf = tagged[name]
    catalog = pdf.pdf.Root
    assert catalog.MarkInfo.Marked is True
    assert catalog.ViewerPreferences.DisplayDocTitle is True
    assert str(catalog.Lang) == ("zh-Hans" if name.startswith("debt") else "es")
    xmp = pdf.xmp()
    assert xmp is not None
    parts = [d.get(f"{PDFUAID}part") for d in xmp.iter(f"{RDF}Description")]
    parts += [e.text for e in xmp.iter(f"{PDFUAID}part")]
    assert "1" in parts
    titles = {li.get(XML_LANG): li.text for li in xmp.iter(f"{RDF}li") if li.get(XML_LANG)}
    assert set(titles) == {"x-default"} | _languages(name)
    assert all(titles.values())
    # the title in each language is the one the book shows: its cover's first heading
    shown = {"".join(pdf.element_text(h).split()) for h in pdf.elements("H1")}
    assert all("".join(t.split()) in shown for tag, t in titles.items() if tag != "x-default")


@pytest.mark.render
@pytest.mark.parametrize("name", NAMES)
def test_every_marked_content_belongs_to_one_element_and_furniture_is_an_artifact(
    tagged: dict[str, TaggedPdf], name: str
) -> None:
    pdf = tagged[name]
    in_content = content_mcids(pdf.pdf)
    reached = pdf.reached()
    # no orphan MCIDs: content <-> ParentTree <-> the tree, both ways
    assert in_content == set(pdf.parent_tree) == reached
    marked = [m for e in pdf.root.walk() for m in e.marked]
    assert len(marked) == len(set(marked))
    # running heads and page numbers are drawn (as artifacts) but not read
    numbers = [str(n) for n in range(3, len(pdf.pdf.pages) + 1)]
    pages_with_their_number = [
        i for i, text in enumerate(pdf.artifact_text) if numbers and str(i + 1) in text
    ]
    assert len(pages_with_their_number) > len(pdf.pdf.pages) // 2
    # leaders are artifacts: a reader meets no run of dots (poppler's -struct-text is
    # read once, below: it takes seconds per PDF)
    assert not LEADER.search("\n".join(pdf.element_text(e) for e in pdf.root.walk()))


@pytest.mark.render
@pytest.mark.parametrize("name", NAMES)
def test_lists_are_whole_and_there_are_no_data_tables(
    tagged: dict[str, TaggedPdf], name: str, theme: Theme
) -> None:
    pdf = tagged[name]
    for kind in ("Table", "TR", "TD", "TBody"):
        assert not pdf.elements(kind), kind
    lists = pdf.elements("L")
    assert lists
    for lst in lists:
        items = [kid for kid in lst.kids if kid.kind == "LI"]
        assert len(items) > 1, pdf.element_text(lst)
    # each list of the sources is one L in each language, with all its items
    handbook = check_folder(SOURCES[name.split("-")[0]], theme, TODAY, strict=False).handbook
    for lang in handbook.languages:
        expected = sorted(
            len(block.items)
            for chapter in handbook.chapters
            for block in _blocks(chapter.versions[lang].blocks)
            if isinstance(block, ListBlock) and len(block.items) > 1
        )
        made = sorted(
            sum(1 for kid in lst.kids if kid.kind == "LI")
            for lst in lists
            if lst.inherited_lang() == lang and lst.parent and lst.parent.kind != "NonStruct"
        )
        assert made == expected, lang


def _blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    for block in blocks:
        yield block
        if isinstance(block, Callout | Quote):
            yield from _blocks(block.blocks)


@pytest.mark.render
@pytest.mark.parametrize("name", NAMES)
def test_a_link_is_one_element_with_one_annotation_per_page_described_in_words(
    tagged: dict[str, TaggedPdf], name: str
) -> None:
    pdf = tagged[name]
    links = pdf.elements("Link")
    assert links
    annotations = link_annotations(pdf.pdf)
    page_of = {a.objgen: i for i, p in enumerate(pdf.pdf.pages) for a in p.obj.get("/Annots", [])}
    assert len(annotations) == sum(len(link.annotations) for link in links)
    for link in links:
        assert not [kid for kid in link.kids if kid.kind == "Link"]
        pages = [page_of[a.objgen] for a in link.annotations]
        assert len(set(pages)) == len(pages) >= 1
        for annotation in link.annotations:
            words = str(annotation.Contents)
            assert not ID_LIKE.fullmatch(words)
            assert words.replace(" ", "").startswith(
                pdf.element_text(link).replace(" ", "").replace("\u2010", "")[:4]
            )
    citations = [str(a.Contents) for a in annotations if "art." in str(a.Contents)]
    assert citations
    # the theme's " (p. 12)", or the sample's own ", p. 12" (handbook.toml [strings.en])
    assert all(re.search(r"(\(p\. \d+\)|, p\. \d+)$", c) for c in citations), citations


@pytest.mark.render
def test_a_chinese_citation_link_is_described_in_chinese_with_its_page(
    tagged: dict[str, TaggedPdf],
) -> None:
    pdf = tagged["debt-collection-parallel-a5.pdf"]
    words = [str(a.Contents) for a in link_annotations(pdf.pdf)]
    assert any(
        re.fullmatch(r"《民法典》第[〇一二三四五六七八九十百千]+条，第\d+页", w) for w in words
    )


@pytest.mark.render
@pytest.mark.parametrize("name", NAMES)
def test_each_block_carries_the_language_it_is_in(tagged: dict[str, TaggedPdf], name: str) -> None:
    pdf = tagged[name]
    default = str(pdf.pdf.Root.Lang)
    blocks = [e for e in pdf.root.walk() if e.kind in ("P", "H1", "H2", "LI")]
    latin = re.compile(r"[A-Za-z]{4,}")
    han = re.compile(r"[\u4e00-\u9fff]")
    checked = 0
    for block in blocks:
        text = pdf.element_text(block)
        lang = block.inherited_lang() or default
        if han.search(text) and not latin.search(text):
            assert lang.startswith("zh"), text
            checked += 1
        elif name.startswith("debt") and latin.search(text) and not han.search(text):
            assert lang == "en", text
            checked += 1
    assert checked > 10 or not name.startswith("debt")


@pytest.mark.render
@pytest.mark.parametrize("name", NAMES)
def test_a_paragraph_crossing_a_page_is_one_element(
    tagged: dict[str, TaggedPdf], name: str
) -> None:
    pdf = tagged[name]
    paragraphs = pdf.elements("P")
    for first, second in pairwise(paragraphs):
        pages = pdf.pages_of(first), pdf.pages_of(second)
        if pages[0] and pages[1] and max(pages[0]) + 1 == min(pages[1]):
            assert not is_cut(pdf.element_text(first), pdf.element_text(second))
    spanning = [p for p in paragraphs if len(pdf.pages_of(p)) > 1]
    if name in ("debt-collection-interleaved-a5.pdf", "debt-collection-sequential-a5.pdf"):
        assert spanning, "no paragraph of the sample crosses a page?"


@pytest.mark.render
@pytest.mark.parametrize("name", NAMES)
def test_hyphenated_line_ends_read_as_the_word(tagged: dict[str, TaggedPdf], name: str) -> None:
    pdf = tagged[name]
    text = plain_text(pdf.path)
    assert not LINE_END_HYPHEN.search(text)
    if "large-print" not in name:
        assert re.search(r"[a-z]\u00ad\n[a-z]", text), "no line-end hyphen in the book?"


@pytest.mark.render
def test_large_print_has_no_text_under_16_pt_no_italics_and_no_hyphenation(
    tagged: dict[str, TaggedPdf],
) -> None:
    pdf = tagged["debt-collection-interleaved-a4-large-print.pdf"]
    small = {(size, char) for size, char, _ in pdf.sizes if char.strip() and size < 15.95}
    assert not small
    assert not re.search(r"\u00ad\n", plain_text(pdf.path))
    fonts = {
        str(font.get("/BaseFont", ""))
        for page in pdf.pdf.pages
        for font in page.obj.Resources.get("/Font", {}).values()
    }
    assert fonts and not [f for f in fonts if "Italic" in f or "Oblique" in f]


@pytest.mark.render
def test_the_parallel_layout_reads_each_chinese_block_then_its_english(
    tagged: dict[str, TaggedPdf],
) -> None:
    pdf = tagged["debt-collection-parallel-a5.pdf"]
    units = [
        e
        for e in pdf.root.walk()
        if e.kind == "Div" and [k.lang for k in e.kids] == ["zh-Hans", "en"]
    ]
    assert len(units) > 50
    tree = struct_text(pdf.path)
    reading = "".join(re.findall(r'^\s*"(.*)"$', tree, re.M))
    reading = "".join(reading.split())
    # each Chinese block, then at once its English: no page furniture between them
    for unit in units:
        pair = "".join(pdf.element_text(k) for k in unit.kids)
        assert "".join(pair.split()) in reading


def test_the_wrapped_weasyprint_internal_is_the_one_booklet_was_written_for() -> None:
    """The one WeasyPrint internal booklet wraps must still take the arguments it wraps."""
    import inspect

    from booklet.outputs import pdf_tags

    parameters = list(inspect.signature(pdf_tags.weasyprint_tags._build_box_tree).parameters)
    assert parameters == ["box", "parent", "pdf", "page_number", "nums", "annotations", "tags"]
    assert pdf_tags.weasyprint.__version__.split(".")[0] == str(pdf_tags.WEASYPRINT_MAJOR)


@pytest.mark.render
def test_a_figure_has_its_alt_text_and_a_decorative_image_is_an_artifact(
    tmp_path: Path, theme: Theme, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    guia = copy_fixture("es-fr", tmp_path) / "guia"
    french = guia / "fr" / "01-embargo.md"
    french.write_text(french.read_text(encoding="utf-8").replace("![Un tampon d’exemple]", "![]"))
    (output,) = build_quietly(guia, theme, tmp_path / "out", ("parallel",), ("pdf",))
    pdf = read(output.path)
    figures = pdf.elements("Figure")
    assert [(f.alt, f.inherited_lang()) for f in figures] == [("Un sello de ejemplo", "es")]
    assert figures[0].all_marked()
    # the French copy of the image is drawn, as an artifact: nothing in the tree is empty
    drawn = sum(
        1
        for page in pdf.pdf.pages
        for operands, operator in pikepdf.parse_content_stream(page)
        if operator == pikepdf.Operator("Do")
    )
    assert drawn == 2
    assert content_mcids(pdf.pdf) == pdf.reached()
