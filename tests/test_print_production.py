"""Print production: booklet builds, large print, print-shop output, grayscale safety."""

import re
import statistics
from pathlib import Path
from typing import Any

import pypdf
import pytest
from click.testing import CliRunner

from booklet.build import check_folder
from booklet.build.pdfs import cover_runs_over
from booklet.cli import main
from booklet.themes.theme import DEFAULT_THEME, Theme
from booklet.vocabulary import POINTS_PER_MM
from tests.conftest import SAMPLE, TODAY, build_quietly


@pytest.mark.subprocess
def test_build_impose_writes_booklets_and_a_printing_sheet(
    runner: CliRunner, guia: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        main,
        [
            "build",
            str(guia),
            "--format",
            "pdf",
            "--layout",
            "parallel",
            "--layout",
            "sequential",
            "--impose",
            "booklet",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "guia").iterdir()) == [
        "guia-a5-printing.pdf",
        "guia-parallel-a5-booklet.pdf",
        "guia-parallel-a5.pdf",
        "guia-sequential-a5-booklet.pdf",
        "guia-sequential-a5.pdf",
    ]
    assert (
        "      2 sheets of A4 (297 x 210 mm), duplex, flip on short edge; 2 blank pages added"
        in result.output
    )
    printing = pypdf.PdfReader(out / "guia" / "guia-a5-printing.pdf")
    assert len(printing.pages) == 2
    # The languages are side by side: each one's text in order, its lines wrapped.
    flat = " ".join(printing.pages[0].extract_text().split())
    assert "Cómo imprimir este folleto" in flat and "Comment imprimer ce livret" in flat
    assert "guia-parallel-a5-booklet.pdf: 2 hojas de papel A4, 1 juego(s) grapado(s)" in flat
    assert flat.index("Cómo imprimir") < flat.index("Comment imprimer")
    # Step 1 is the duplex test: before anything else is printed.
    assert flat.index("Imprima primero esta hoja de prueba") < flat.index(
        "Imprima el archivo cuyo nombre termina en -booklet.pdf"
    )
    assert float(printing.pages[0].mediabox.width) == pytest.approx(297 * POINTS_PER_MM, abs=0.5)


def body_sizes(reader: pypdf.PdfReader, pages: range) -> list[float]:
    sizes: list[float] = []
    for index in pages:

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
            if text.strip():
                sizes.append(round(size * abs(tm[3]) * abs(cm[3]), 1))

        reader.pages[index].extract_text(visitor_text=visit)
    return sizes


@pytest.mark.render
def test_large_print_is_a4_sans_16pt_and_has_no_parallel(
    mini: Path, theme: Theme, tmp_path: Path
) -> None:
    outputs = build_quietly(mini, theme, tmp_path, layouts=("interleaved",), formats=("pdf",))
    standard = pypdf.PdfReader(outputs[0].path)
    [output] = build_quietly(
        mini,
        theme,
        tmp_path / "lp",
        layouts=("interleaved",),
        formats=("pdf",),
        edition="large-print",
    )
    assert output.path.name == "handbook-interleaved-a4-large-print.pdf"
    reader = pypdf.PdfReader(output.path)
    assert float(reader.pages[0].mediabox.width) == pytest.approx(210 * POINTS_PER_MM, abs=0.5)
    body = range(3, len(reader.pages) - 1)
    assert statistics.median(body_sizes(reader, body)) >= 16
    assert min(body_sizes(reader, body)) >= 12  # running heads are the smallest text
    assert statistics.median(body_sizes(standard, range(3, len(standard.pages) - 1))) < 12
    fonts = {
        str(f.get_object()["/BaseFont"])
        for p in reader.pages
        for f in p["/Resources"].get("/Font", {}).values()
    }
    assert fonts and all("Sans" in f for f in fonts), fonts


def test_large_print_refuses_parallel(runner: CliRunner, mini: Path) -> None:
    result = runner.invoke(
        main, ["build", str(mini), "--edition", "large-print", "--layout", "parallel"]
    )
    assert result.exit_code == 2
    assert "the large-print edition has no parallel layout" in result.output


@pytest.mark.render
def test_print_shop_has_bleed_trim_and_k_only_black(
    mini: Path, theme: Theme, tmp_path: Path
) -> None:
    [output] = build_quietly(
        mini,
        theme,
        tmp_path,
        layouts=("parallel",),
        formats=("pdf",),
        papers=("a5",),
        print_shop=True,
    )
    assert output.path.name == "handbook-parallel-a5-print-shop.pdf"
    reader = pypdf.PdfReader(output.path)
    bleed = 3 * POINTS_PER_MM
    width, height = 148 * POINTS_PER_MM, 210 * POINTS_PER_MM
    for page in reader.pages:
        assert [float(v) for v in page.trimbox] == pytest.approx([0, 0, width, height], abs=0.1)
        assert [float(v) for v in page.bleedbox] == pytest.approx(
            [-bleed, -bleed, width + bleed, height + bleed], abs=0.1
        )
        slug = bleed + 10 * POINTS_PER_MM  # the marks and caption (booklet.outputs.pdfx)
        assert [float(v) for v in page.mediabox] == pytest.approx(
            [-slug, -slug, width + slug, height + slug], abs=0.1
        )
    content = reader.pages[4].get_contents().get_data().decode("latin-1")
    assert "0 0 0 1 scn" in content  # text set in CMYK K only
    assert not re.search(r"(?<![\d.])0 0 0 rg\b", content.split("BT", 1)[1])  # no RGB black text


def test_theme_never_relies_on_colour() -> None:
    allowed = {"#000", "#fff", "#666", "currentcolor", "transparent", "device-cmyk(0 0 0 1)"}
    # The reading edition (html.css) is for screens: its colours are checked for contrast
    # (tests/test_html_edition.py).
    for css in (DEFAULT_THEME / "css").glob("*.css"):
        if css.name == "html.css":
            continue
        text = css.read_text(encoding="utf-8").lower()
        colours = set(
            re.findall(
                r"#[0-9a-f]{3,6}\b|rgba?\([^)]*\)|hsla?\([^)]*\)|device-cmyk\([^)]*\)|currentcolor|transparent",
                text,
            )
        )
        assert colours <= allowed, (css.name, colours - allowed)


@pytest.mark.render
def test_a_back_cover_that_runs_over_is_reported(mini: Path, theme: Theme, tmp_path: Path) -> None:
    toml = mini / "handbook.toml"
    long = "This is not legal advice. " * 120
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            'en = "This is not legal advice."', f'en = "{long}"'
        ),
        encoding="utf-8",
    )
    [output] = build_quietly(
        mini, theme, tmp_path, layouts=("interleaved",), formats=("pdf",), papers=("a6",)
    )
    assert output.pages % 2 == 1
    assert output.notes == []
    assert [str(warning) for warning in output.warnings] == [
        f"{output.path}: warning: the back cover runs over one page on this paper; shorten the "
        "disclaimer or contact labels, or use a larger paper"
    ]


def test_the_cover_warning_names_the_title_alone_when_there_is_no_subtitle(
    mini: Path, theme: Theme
) -> None:
    toml = mini / "handbook.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(
        text.replace('[subtitle]\nzh-Hans = "小样本"\nen = "A small sample"\n', ""), "utf-8"
    )
    handbook = check_folder(mini, theme, TODAY, strict=False).handbook
    assert not handbook.subtitle
    assert cover_runs_over(handbook) == (
        f"the cover runs over one page on this paper; shorten the title ({toml}:5), or use a "
        "larger paper"
    )


@pytest.mark.subprocess
def test_the_printing_sheet_says_which_sheets_form_each_stapled_set(
    runner: CliRunner, guia: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        main,
        [
            "build",
            str(guia),
            "--format",
            "pdf",
            "--layout",
            "sequential",
            "--impose",
            "booklet",
            "--signature",
            "4",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    front = pypdf.PdfReader(out / "guia" / "guia-a5-printing.pdf").pages[0].extract_text()
    flat = " ".join(front.split())
    assert "Doble y grape cada juego por separado" in flat
    for number in range(1, 4):
        first = 2 * number - 1
        assert f"Juego {number}: las hojas impresas de las páginas {first}–{first + 1} del" in flat


@pytest.mark.subprocess
def test_a_booklet_on_paper_an_office_printer_lacks_says_so(
    runner: CliRunner, guia: Path, tmp_path: Path
) -> None:
    result = runner.invoke(
        main,
        [
            "build",
            str(guia),
            "--format",
            "pdf",
            "--edition",
            "large-print",
            "--layout",
            "interleaved",
            "--impose",
            "booklet",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        "      warning: this booklet prints on A3 paper, which most office printers do not "
        "take; take it to a print shop, or print the unimposed PDF page by page\n"
    ) in result.output
    front = pypdf.PdfReader(tmp_path / "guia" / "guia-a4-large-print-printing.pdf").pages[0]
    assert "hojas de papel A3" in front.extract_text()


@pytest.mark.subprocess
def test_the_printing_sheet_names_the_everyday_booklet_and_the_paper_in_its_words(
    runner: CliRunner, guia: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        main,
        [
            "build",
            str(guia),
            "--format",
            "pdf",
            "--layout",
            "parallel",
            "--layout",
            "interleaved",
            "--impose",
            "booklet",
            "--paper",
            "half-letter",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    sheet = pypdf.PdfReader(out / "guia" / "guia-half-letter-printing.pdf")
    # Side by side, a long file name may break after one of its own hyphens.
    front = re.sub(r"-\s+", "-", " ".join(sheet.pages[0].extract_text().split()))
    everyday, other = (
        "guia-interleaved-half-letter-booklet.pdf",
        "guia-parallel-half-letter-booklet.pdf",
    )
    assert f"Para el uso diario, imprima {everyday};" in front
    assert f"Pour l’usage courant, imprimez {everyday} ;" in front
    # Listed first in each language, on paper named in the language's words.
    spanish, french = front.index("Cómo imprimir"), front.index("Comment imprimer")
    assert spanish < front.index(f"{everyday}: 2 hojas de papel carta (Letter, 8,5 × 11 pulg.)")
    assert front.index(f"{everyday}: ", spanish) < front.index(f"{other}: ", spanish) < french
    assert front.index(f"{everyday} : ", french) < front.index(f"{other} : ", french)
    assert "feuilles de papier Lettre US (Letter, 8,5 × 11 po)" in front


@pytest.mark.subprocess
def test_one_booklet_needs_no_everyday_line(runner: CliRunner, guia: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        main,
        [
            "build",
            str(guia),
            "--format",
            "pdf",
            "--layout",
            "parallel",
            "--impose",
            "booklet",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    front = pypdf.PdfReader(tmp_path / "guia" / "guia-a5-printing.pdf").pages[0].extract_text()
    assert "uso diario" not in front and "hojas de papel A4" in front


@pytest.mark.subprocess
def test_large_print_back_cover_stays_one_page_with_the_disclaimer_inside_it(
    runner: CliRunner, tmp_path: Path
) -> None:
    # At 16 pt the sample's numbers, standing and two-language disclaimer ran over A4.
    result = runner.invoke(
        main,
        [
            "build",
            str(SAMPLE),
            "--edition",
            "large-print",
            "--clinic",
            "eastside",
            "--format",
            "pdf",
            "--layout",
            "interleaved",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "runs over" not in result.output
    [pdf] = (tmp_path / "debt-collection" / "eastside").glob("*large-print.pdf")
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) % 2 == 0
    back = " ".join(reader.pages[-1].extract_text().split())
    inside = " ".join(reader.pages[-2].extract_text().split())
    assert "Helplines" in back and "+86 10 5550 0100" in back  # the sample's own get_help
    assert "Draft: this handbook has not yet been reviewed by a lawyer." in back
    assert "not legal advice" in inside and "not legal advice" not in back
    # The clinic's page comes before, a blank between when the inside back cover (a recto)
    # needs one (the sample's third review made it one page longer).
    before = [" ".join(p.extract_text().split()) for p in reader.pages[-4:-2]]
    assert "Help near you" in next(text for text in reversed(before) if text)


@pytest.mark.subprocess
def test_a_printing_sheet_of_booklets_in_several_sets_is_still_one_sheet(
    runner: CliRunner, tmp_path: Path
) -> None:
    # The sample: three booklets, two of them in two stapled sets (it ran onto 3-4 pages).
    result = runner.invoke(
        main,
        ["build", str(SAMPLE), "--format", "pdf", "--impose", "booklet", "--out", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    assert "printing sheet runs over" not in result.output
    sheet = pypdf.PdfReader(tmp_path / "debt-collection" / "debt-collection-a5-printing.pdf")
    assert len(sheet.pages) == 2
    front = " ".join(sheet.pages[0].extract_text().split())
    assert "2 stapled set(s)" in front
    assert "Set 2: the sheets printed from pages" in front
    assert front.count("This book is printed as several stapled sets.") == 1
    assert "Test sheet, front" in front


PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"


@pytest.mark.render
@pytest.mark.subprocess
def test_a_persian_printing_sheet_counts_in_persian_digits_and_english_in_western(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sheets, sets and pages of each language's instructions in its own digits (the
    book's: CLDR gives fa Persian digits), the side number in the first language's."""
    import pdfplumber

    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["new", "tenant", "--languages", "fa,en"]).exit_code == 0
    built = runner.invoke(
        main,
        [
            "build",
            "--layout",
            "parallel",
            "--format",
            "pdf",
            "--impose",
            "booklet",
            "--signature",
            "4",
        ],
    )
    assert built.exit_code == 0, built.output

    def small(obj: dict[str, Any]) -> bool:
        return bool(obj.get("size", 0) < 20)

    with pdfplumber.open(tmp_path / "output/tenant/tenant-a5-printing.pdf") as pdf:
        front = pdf.pages[0]
        middle = front.width / 2
        # The sheet is landscape, the languages side by side: Persian on the right; the
        # text without the side number (40 pt) in the top left corner.
        persian = front.crop((middle, 0, front.width, front.height)).filter(small)
        flat_fa = " ".join(persian.extract_text(char_dir_render="rtl").split())
        english = front.crop((0, 0, middle, front.height)).filter(small)
        flat_en = " ".join(english.extract_text().split())
        side_numbers = [char["text"] for char in front.chars if char["size"] > 20]
    assert "tenant-parallel-a5-booklet.pdf: 2 sheets of A4 paper, 2 stapled set(s)" in flat_en
    assert "Set 1: the sheets printed from pages 1–2 of the file." in flat_en
    assert "Set 2: the sheets printed from pages 3–4 of the file." in flat_en
    assert not set(PERSIAN_DIGITS) & set(flat_en)
    assert "۱ تا ۲ فایل" in flat_fa and "۳ تا ۴ فایل" in flat_fa, flat_fa  # the sets' pages
    assert "برگ کاغذ ۲" in flat_fa, flat_fa  # 2 sheets (the line mixes scripts: reordered)
    assert "۱. اول" in flat_fa  # the steps numbered in Persian digits (the list's counter)
    assert side_numbers == ["۱"]
    # Western digits only in the names of the file (a5) and the paper (A4).
    assert sorted(c for c in flat_fa if c.isdecimal() and c.isascii()) == ["4", "5"]
