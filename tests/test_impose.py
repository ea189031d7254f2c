"""Booklet imposition: page-order arithmetic (table-driven and Hypothesis), and the PDF."""

import io
import subprocess
import zlib
from collections import Counter
from pathlib import Path

import pikepdf
import pypdf
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from booklet.cli import main
from booklet.errors import BookletError
from booklet.outputs.impose import (
    booklet_sheets,
    impose_booklet,
    padded_order,
    page_numbers,
    signature_sizes,
)
from booklet.outputs.pdf_tags import xmp_packet
from booklet.vocabulary import POINTS_PER_MM


def sides(pages: int, signature: int | None = None) -> list[tuple[object, ...]]:
    return [
        (s.front.left, s.front.right, s.back.left, s.back.right)
        for s in booklet_sheets(pages, signature)
    ]


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        (4, [(4, 1, 2, 3)]),
        (8, [(8, 1, 2, 7), (6, 3, 4, 5)]),
        (12, [(12, 1, 2, 11), (10, 3, 4, 9), (8, 5, 6, 7)]),
        (16, [(16, 1, 2, 15), (14, 3, 4, 13), (12, 5, 6, 11), (10, 7, 8, 9)]),
        # 17 pages: three blanks go before the back cover (page 17), never after it.
        (
            17,
            [(17, 1, 2, None), (None, 3, 4, None), (16, 5, 6, 15), (14, 7, 8, 13), (12, 9, 10, 11)],
        ),
        (6, [(6, 1, 2, None), (None, 3, 4, 5)]),
        (1, [(None, 1, None, None)]),
    ],
)
def test_page_order(pages: int, expected: list[tuple[object, ...]]) -> None:
    assert sides(pages) == expected


def test_8_pages_as_the_style_guide_writes_it() -> None:
    fronts_and_backs = []
    for sheet in booklet_sheets(8):
        fronts_and_backs += [
            (sheet.front.left, sheet.front.right),
            (sheet.back.left, sheet.back.right),
        ]
    assert fronts_and_backs == [(8, 1), (2, 7), (6, 3), (4, 5)]


@pytest.mark.parametrize(
    ("pages", "signature", "sizes"),
    [
        (40, None, [40]),  # a clinic's stapler: one signature up to 40 pages
        (41, None, [24, 20]),  # 44 after padding, split as evenly as sheets allow
        (100, None, [36, 32, 32]),
        (40, 16, [16, 16, 8]),
        (41, 16, [16, 16, 12]),
        (16, 16, [16]),
    ],
)
def test_signatures(pages: int, signature: int | None, sizes: list[int]) -> None:
    total = len(padded_order(pages))
    assert signature_sizes(total, signature) == sizes
    sheets = booklet_sheets(pages, signature)
    assert [sum(1 for s in sheets if s.signature == n) * 4 for n in range(len(sizes))] == sizes


def test_40_pages_one_signature_and_41_pages_two() -> None:
    assert {s.signature for s in booklet_sheets(40)} == {0}
    sheets = booklet_sheets(41)
    assert {s.signature for s in sheets} == {0, 1}
    # The back cover is the outside of the last signature's outermost sheet.
    last = next(s for s in sheets if s.signature == 1)
    assert last.front.left == 41 and last.depth == 0
    # The first signature opens with page 1 on its outermost sheet.
    assert sheets[0].front.right == 1


def test_signature_must_be_a_multiple_of_four() -> None:
    with pytest.raises(BookletError, match="multiple of 4"):
        booklet_sheets(20, signature=10)


@given(
    st.integers(min_value=1, max_value=400),
    st.one_of(st.none(), st.sampled_from([4, 8, 16, 20, 32, 40])),
)
def test_every_page_once_blanks_only_as_padding(pages: int, signature: int | None) -> None:
    slots = page_numbers(booklet_sheets(pages, signature))
    assert len(slots) % 4 == 0
    counts = Counter(slots)
    assert {n for n in counts if n is not None} == set(range(1, pages + 1))
    assert all(counts[n] == 1 for n in range(1, pages + 1))
    assert counts[None] == len(slots) - pages == -pages % 4
    if pages > 1:
        # Reading order: blanks sit right before the back cover, which is the last page.
        order = padded_order(pages)
        assert order[-1] == pages and order[: pages - 1] == list(range(1, pages))


# ---------------------------------------------------------------- the imposed PDF


@pytest.fixture(scope="module")
def imposed(sample_build: dict[str, Path]) -> tuple[Path, pypdf.PdfReader, pypdf.PdfReader]:
    source = sample_build["debt-collection-parallel-a5.pdf"]
    pages = len(pypdf.PdfReader(source).pages)
    # One stapled set, whatever the sample's length (the default splits books over 40 pages).
    result = impose_booklet(source.read_bytes(), signature=-(-pages // 4) * 4, creep_mm=0.2)
    target = source.with_name("test-booklet.pdf")
    target.write_bytes(result.pdf)
    return target, pypdf.PdfReader(source), pypdf.PdfReader(target)


def half_text(path: Path, page: int, half: int) -> str:
    """Text of the left (0) or right (1) half of a sheet side, via poppler's cropping."""
    width, height = 297 * POINTS_PER_MM, 210 * POINTS_PER_MM
    x = int(half * width / 2)
    return subprocess.run(
        [
            "pdftotext",
            "-f",
            str(page),
            "-l",
            str(page),
            "-x",
            str(x),
            "-y",
            "0",
            "-W",
            str(int(width / 2)),
            "-H",
            str(int(height)),
            str(path),
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.mark.render
def test_sheets_are_a4_landscape_and_counted(
    imposed: tuple[Path, pypdf.PdfReader, pypdf.PdfReader],
) -> None:
    _path, source, booklet = imposed
    pages = len(source.pages)
    assert len(booklet.pages) == 2 * ((pages + 3) // 4)
    for page in booklet.pages:
        assert float(page.mediabox.width) == pytest.approx(297 * POINTS_PER_MM, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(210 * POINTS_PER_MM, abs=0.5)


@pytest.mark.render
def test_sheet_one_front_is_back_cover_then_cover(
    imposed: tuple[Path, pypdf.PdfReader, pypdf.PdfReader],
) -> None:
    path, _source, _ = imposed
    left, right = half_text(path, 1, 0), half_text(path, 1, 1)
    assert "12348" in left and "遇到催收威胁怎么办" not in left  # back cover, left half
    assert (
        "遇到催收威胁怎么办" in right and "Threatened by Debt Collectors?" in right
    )  # cover, right half
    back_left = half_text(path, 2, 0)
    assert "关于本手册" in back_left  # page 2 on the back of sheet one


@pytest.mark.render
def test_centre_spread_is_on_the_last_sheet(
    imposed: tuple[Path, pypdf.PdfReader, pypdf.PdfReader],
) -> None:
    path, source, booklet = imposed
    pages = len(source.pages)
    padded = pages + (-pages % 4)
    middle = padded // 2
    back = len(booklet.pages)  # the innermost sheet's back holds the two middle pages
    for half, number in ((0, middle), (1, middle + 1)):
        text = half_text(path, back, half)
        assert f"\n{number}\n" in f"\n{text}" or text.rstrip().endswith(str(number))


@pytest.mark.render
def test_imposed_file_reuses_fonts_and_is_reproducible(sample_build: dict[str, Path]) -> None:
    source = sample_build["debt-collection-parallel-a5.pdf"].read_bytes()
    first, second = impose_booklet(source), impose_booklet(source)
    assert first.pdf == second.pdf
    assert len(first.pdf) < 1.2 * len(source)  # pages placed as XObjects, fonts not copied per page


@pytest.mark.render
def test_cli_impose_any_pdf(tmp_path: Path, sample_build: dict[str, Path]) -> None:
    source = tmp_path / "in.pdf"
    source.write_bytes(sample_build["debt-collection-sequential-a5.pdf"].read_bytes())
    result = CliRunner().invoke(
        main, ["impose", str(source), "--signature", "16", "--creep", "0.2mm"]
    )
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"{tmp_path}/in-booklet.pdf: 12 sheets of 297 x 210 mm (3 stapled sets, 0 blank pages "
        "added); print duplex, flip on short edge, actual size\n"
    )
    assert len(pypdf.PdfReader(tmp_path / "in-booklet.pdf").pages) == 24  # 48 pages, no blank


def test_cli_impose_refuses_a_damaged_pdf(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nthis is not really a pdf")
    result = CliRunner().invoke(main, ["impose", str(broken)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {broken}: this is not a PDF booklet can read (")
    assert not (tmp_path / "broken-booklet.pdf").exists()


@pytest.mark.parametrize(
    ("creep", "message"), [("fast", "'fast' is not a length"), ("9mm", "between 0 and 5 mm")]
)
def test_cli_refuses_bad_creep(tmp_path: Path, creep: str, message: str) -> None:
    source = tmp_path / "in.pdf"
    source.write_bytes(b"%PDF-1.7")
    result = CliRunner().invoke(main, ["impose", str(source), "--creep", creep])
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.render
def test_cli_impose_refuses_a_password_protected_pdf(
    tmp_path: Path, sample_build: dict[str, Path]
) -> None:
    import pikepdf

    protected = tmp_path / "locked.pdf"
    with pikepdf.open(sample_build["debt-collection-parallel-a5.pdf"]) as pdf:
        pdf.save(protected, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    result = CliRunner().invoke(main, ["impose", str(protected)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {protected}: this PDF is protected by a password; save an "
        "unprotected copy and impose that\n"
    )


def test_cli_signature_not_a_multiple_of_four_is_a_usage_error(tmp_path: Path) -> None:
    source = tmp_path / "in.pdf"
    source.write_bytes(b"%PDF-1.7")
    result = CliRunner().invoke(main, ["impose", str(source), "--signature", "6"])
    assert result.exit_code == 2
    assert "6: a signature holds a multiple of 4 pages" in result.output


@pytest.mark.subprocess
def test_pages_turned_by_rotate_are_placed_as_a_reader_sees_them(tmp_path: Path) -> None:
    """A scanner's PDF: pages stored landscape, shown portrait by /Rotate 90."""
    source = pikepdf.new()
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    for number in range(1, 5):
        content = f"q 0 1 -1 0 595 0 cm BT /F1 40 Tf 20 500 Td (TOP {number}) Tj ET Q".encode()
        source.pages.append(
            pikepdf.Page(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Page,
                    MediaBox=[0, 0, 595, 420],
                    Rotate=90,
                    Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
                    Contents=source.make_stream(content),
                )
            )
        )
    data = io.BytesIO()
    source.save(data)
    imposed = impose_booklet(data.getvalue())
    assert imposed.sheet_size_mm == pytest.approx((297, 210), abs=1)  # two portrait A5-ish halves
    assert not imposed.mixed_sizes
    path = tmp_path / "imposed.pdf"
    path.write_bytes(imposed.pdf)
    # poppler reads each half on its own
    halves = [
        " ".join(half_text(path, sheet_side, half).split())
        for sheet_side in (1, 2)
        for half in (0, 1)
    ]
    assert halves == ["TOP 4", "TOP 1", "TOP 2", "TOP 3"]


def _shared_content_pdf(pages: int, decoded_bytes: int, own_resources: bool = False) -> bytes:
    """`pages` pages that all draw one content stream (`decoded_bytes` once decoded),
    stored at zlib level 1 so that re-encoding it would change its bytes."""
    source = pikepdf.new()
    operators = b"0 0 m 10 10 l S\n" * (decoded_bytes // 16)
    content = source.make_stream(b"")
    content.write(zlib.compress(operators, 1), filter=pikepdf.Name.FlateDecode)
    resources = source.make_indirect(pikepdf.Dictionary())
    for _ in range(pages):
        source.pages.append(
            pikepdf.Page(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Page,
                    MediaBox=[0, 0, 420, 595],
                    Resources=pikepdf.Dictionary() if own_resources else resources,
                    Contents=content,
                )
            )
        )
    data = io.BytesIO()
    source.save(data, compress_streams=False)
    return data.getvalue()


def test_imposing_keeps_page_content_as_it_was_stored() -> None:
    """Pages become forms without decoding: 500 pages sharing one 1 MB content stream
    give one form holding the source's compressed bytes, not 500 decoded copies."""
    source = _shared_content_pdf(500, 1_000_000)
    imposed = impose_booklet(source)
    assert len(imposed.pdf) < 2 * len(source)
    with pikepdf.open(io.BytesIO(source)) as original, pikepdf.open(io.BytesIO(imposed.pdf)) as pdf:
        stored = original.pages[0].obj.Contents.read_raw_bytes()
        forms = {
            xobject.objgen: xobject
            for page in pdf.pages
            for xobject in page.obj.Resources.XObject.values()
        }
        assert len(pdf.pages) == 250
        assert len(forms) == 1
        (form,) = forms.values()
        assert form.Subtype == pikepdf.Name.Form
        assert form.read_raw_bytes() == stored


@pytest.mark.subprocess
def test_a_page_of_several_content_streams_becomes_one_form(tmp_path: Path) -> None:
    source = pikepdf.new()
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    for number in range(1, 5):  # the operator is split between the two streams
        parts = [b"BT /F1 40 Tf 20 500 Td (PAGE", f" {number}) Tj ET".encode()]
        source.pages.append(
            pikepdf.Page(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Page,
                    MediaBox=[0, 0, 420, 595],
                    Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
                    Contents=pikepdf.Array([source.make_stream(part) for part in parts]),
                )
            )
        )
    data = io.BytesIO()
    source.save(data)
    path = tmp_path / "imposed.pdf"
    path.write_bytes(impose_booklet(data.getvalue()).pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert text.split() == ["PAGE", "4", "PAGE", "1", "PAGE", "2", "PAGE", "3"]


def test_pages_sharing_content_with_their_own_resources_get_forms_of_their_own() -> None:
    source = _shared_content_pdf(8, 10_000, own_resources=True)
    with pikepdf.open(io.BytesIO(source)) as original:
        stored = original.pages[0].obj.Contents.read_raw_bytes()
    with pikepdf.open(io.BytesIO(impose_booklet(source).pdf)) as pdf:
        forms = {x.objgen: x for page in pdf.pages for x in page.obj.Resources.XObject.values()}
        assert len(forms) == 8
        assert {form.read_raw_bytes() for form in forms.values()} == {stored}


def test_the_imposed_sheets_keep_language_and_title_and_claim_no_tagging() -> None:
    """Print-only sheets, untagged: their /Lang, title and window title are the book's,
    and the XMP no longer says PDF/UA (the kit's index says they are not for reading)."""
    source = pikepdf.new()
    for _ in range(4):
        source.add_blank_page(page_size=(420, 595))
    source.Root.Lang = pikepdf.String("ar")
    source.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    source.docinfo[pikepdf.Name.Title] = pikepdf.String("دليل / Guide")
    xmp = xmp_packet({"ar": "دليل"}, "دليل", "", ["ar"], None, "", "", "booklet:x?format=pdf")
    source.Root.Metadata = source.make_stream(xmp)
    out = io.BytesIO()
    source.save(out)
    with pikepdf.open(io.BytesIO(impose_booklet(out.getvalue()).pdf)) as imposed:
        assert str(imposed.Root.Lang) == "ar"
        assert str(imposed.docinfo.Title) == "دليل / Guide"
        assert imposed.Root.ViewerPreferences.DisplayDocTitle is True
        assert "/MarkInfo" not in imposed.Root and "/StructTreeRoot" not in imposed.Root
        metadata = imposed.Root.Metadata.read_bytes()
        assert (
            b"pdfuaid:part" not in metadata and b"&amp;imposed=yes</xmpMM:DocumentID>" in metadata
        )


@pytest.mark.parametrize(
    ("pages", "signature"), [(54, None), (42, None), (80, None), (54, 12), (30, 8), (100, 16)]
)
def test_no_stapled_set_splits_a_spread_of_a_facing_book(pages: int, signature: int | None) -> None:
    """Each spread (2k, 2k + 1) faces in one set as in the book: the verso on an even page
    of its set, the recto right after; the cover opens the first set, the back cover
    closes the last, and every set is whole sheets."""
    from booklet.outputs.impose import reading_order

    order, sizes = reading_order(pages, signature, spreads=True)
    assert len(sizes) > 1 and all(size % 4 == 0 for size in sizes) and sum(sizes) == len(order)
    if signature is not None:
        assert max(sizes) <= signature
    assert [p for p in order if p is not None] == list(range(1, pages + 1))
    start = 0
    for number, size in enumerate(sizes):
        part = order[start : start + size]
        start += size
        assert part[0] == (1 if number == 0 else None)
        assert part[-1] == (pages if number == len(sizes) - 1 else None)
        for at, page in enumerate(part, start=1):
            if page is not None and 1 < page < pages and page % 2 == 0:
                assert at % 2 == 0 and part[at] == page + 1, (number, at, page)
