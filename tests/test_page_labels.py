"""Page labels: a viewer's page N is the page that prints N, in every layout and edition."""

from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from booklet.outputs.page_labels import labels, number_tree
from booklet.themes.theme import Theme, load_theme
from tests.conftest import SAMPLE, build_quietly, copy_fixture


def test_unnumbered_pages_get_the_counters_number_in_the_books_digits() -> None:
    printed = ["", "", "3", "4", "", "6", ""]
    assert [label for _, label, _ in labels(printed)] == ["1", "2", "3", "4", "5", "6", "7"]
    indic = ["", "٢", "3", "٤", ""]  # Arabic versos, English rectos
    assert [label for _, label, _ in labels(indic)] == ["١", "٢", "3", "٤", "٥"]
    tree = number_tree(indic)
    assert [str(key) for key in tree["Nums"][::2]] == ["0", "1", "2", "3", "4"]


def test_a_tail_numbered_on_from_its_body_starts_where_it_prints() -> None:
    tree = number_tree(["13", "", "15"])
    assert list(tree["Nums"][::2]) == [0]
    assert tree["Nums"][1]["St"] == 13


def folios_and_labels(path: Path) -> list[tuple[str, str]]:
    """(the folio printed at the page's foot, or "", the page's label) for each page."""
    with pikepdf.open(path) as pdf:
        page_labels = [pikepdf.Page(page).label for page in pdf.pages]
    printed = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            foot = [w for w in page.extract_words() if w["top"] > page.height - 90]
            numbers = sorted(
                (w["bottom"], w["text"])
                for w in foot
                if w["text"].isdigit() and int(w["text"]) <= len(pdf.pages)
            )
            printed.append(numbers[-1][1] if numbers else "")  # the lowest: the folio
    return list(zip(printed, page_labels, strict=True))


def assert_true_to_the_page(path: Path) -> None:
    pairs = folios_and_labels(path)
    assert sum(1 for folio, _ in pairs if folio) >= 2, (path.name, pairs)
    for index, (folio, label) in enumerate(pairs, start=1):
        assert label == (folio or str(index)), (path.name, index, pairs)


@pytest.mark.render
def test_every_layout_and_edition_is_labelled_as_it_prints(
    mini: Path, theme: Theme, tmp_path: Path
) -> None:
    made = build_quietly(mini, theme, tmp_path / "a", formats=("pdf",))
    made += build_quietly(
        mini, theme, tmp_path / "b", ("interleaved",), ("pdf",), edition="large-print"
    )
    made += build_quietly(mini, theme, tmp_path / "c", ("parallel",), ("pdf",), print_shop=True)
    made += build_quietly(mini, theme, tmp_path / "d", ("parallel",), ("pdf",), languages=["en"])
    made += build_quietly(mini, theme, tmp_path / "e", ("parallel",), ("pdf",), clinics=["north"])
    names = sorted(output.path.name for output in made)
    assert len(names) == 7, names
    for output in made:
        assert_true_to_the_page(output.path)


@pytest.mark.render
def test_arabic_indic_folios_are_the_labels(tmp_path: Path) -> None:
    (tmp_path / "indic").mkdir()
    (tmp_path / "indic" / "theme.toml").write_text('[numerals]\nar = "arabic-indic"\n', "utf-8")
    theme = load_theme([tmp_path / "indic"])
    daleel = copy_fixture("ar-en", tmp_path) / "daleel"
    (out,) = build_quietly(daleel, theme, tmp_path / "out", ("parallel",), ("pdf",))
    with pikepdf.open(out.path) as pdf:
        page_labels = [pikepdf.Page(page).label for page in pdf.pages]
    assert page_labels[3] == "٤" and page_labels[4] == "5", page_labels  # Arabic verso
    assert page_labels[0] == "١", page_labels  # the cover counted, in the book's digits


@pytest.mark.render
def test_the_page_printing_12_of_a_clinic_edition_is_labelled_12(
    theme: Theme, tmp_path: Path
) -> None:
    """The sample's clinic edition: a body rendered once, the clinic's tail spliced on."""
    (out,) = build_quietly(
        SAMPLE, theme, tmp_path, ("interleaved",), ("pdf",), clinics=["eastside"]
    )
    pairs = folios_and_labels(out.path)
    [twelve] = [index for index, (folio, _) in enumerate(pairs) if folio == "12"]
    assert pairs[twelve][1] == "12" and len(pairs) > 20
    assert_true_to_the_page(out.path)
