"""`booklet preview`: PNG pages and a contact sheet, from a PDF made in memory."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from booklet.cli import main
from booklet.outputs.preview import GAP, THUMB_HEIGHT, _contact_sheet, _spreads
from tests.conftest import copy_fixture


@pytest.mark.render
def test_pages_and_contact_sheet(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, ["preview", str(mini), "--pages", "1-3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    folder = out / "handbook" / "preview"
    stem = "handbook-parallel-a5"
    assert result.output.splitlines() == [
        *(f"{folder}/{stem}-page-0{n}.png" for n in (1, 2, 3)),
        f"Contact sheet: {folder}/{stem}-contact-sheet.png",
    ]
    with Image.open(folder / f"{stem}-page-01.png") as page:
        assert page.size == (641, 910)  # A5 at 110 dpi, rounded up
    # two spreads (1) and (2, 3): four page widths, three gaps
    thumb = round(641 * 360 / 910)
    with Image.open(folder / f"{stem}-contact-sheet.png") as sheet:
        assert sheet.size == (2 * (2 * thumb + 24) + 24, 360 + 22 + 2 * 24)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [
            f"{stem}-page-01.png",
            f"{stem}-page-02.png",
            f"{stem}-page-03.png",
            f"{stem}-contact-sheet.png",
        ]
    )
    assert not list((out / "handbook").glob("*.pdf"))  # the PDF stays in memory

    # A smaller range leaves no stale page behind, and clean removes the pictures.
    again = runner.invoke(main, ["preview", str(mini), "--pages", "2", "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert sorted(p.name for p in folder.iterdir()) == [
        f"{stem}-contact-sheet.png",
        f"{stem}-page-02.png",
    ]
    cleaned = runner.invoke(main, ["clean", str(mini), "--out", str(out)])
    assert cleaned.output == f"{out}/handbook: 2 files removed\n"


@pytest.mark.render
def test_a_layout_and_paper(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        main,
        [
            "preview",
            str(mini),
            "--layout",
            "sequential",
            "--paper",
            "a4",
            "--pages",
            "5-",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    first = tmp_path / "handbook/preview/handbook-sequential-a4-page-05.png"
    assert Image.open(io.BytesIO(first.read_bytes())).size == (910, 1287)


@pytest.mark.parametrize("pages", ["x", "0", "3-1", "1-b", "-4"])
def test_bad_pages(runner: CliRunner, mini: Path, pages: str) -> None:
    result = runner.invoke(main, ["preview", str(mini), "--pages", pages])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        f"Error: Invalid value for '--pages': \"{pages}\" is not a page range; write one "
        "page (3), a range (1-8) or a range to the end (5-)"
    )


@pytest.mark.render
def test_pages_beyond_the_book(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    result = runner.invoke(main, ["preview", str(mini), "--pages", "7-99", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.endswith(
        "Error: --pages 7-99: the book has 8 pages; ask for pages between 1 and 8\n"
    )


def test_several_handbooks_ask_for_one(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a", "b"):
        (tmp_path / "sources" / name).mkdir(parents=True)
        (tmp_path / "sources" / name / "handbook.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["preview"])
    assert (result.exit_code, result.output) == (
        1,
        "Error: there are several handbooks (sources/a, sources/b); name the one to "
        "preview, e.g. booklet preview sources/a\n",
    )


def test_spreads_follow_the_book() -> None:
    assert _spreads([1, 2, 3, 4, 5, 6]) == [[1], [2, 3], [4, 5], [6]]
    assert _spreads([3, 4, 5]) == [[3], [4, 5]]


COLOURS = {1: (255, 0, 0), 2: (0, 255, 0), 3: (0, 0, 255), 4: (255, 255, 0)}


@pytest.mark.parametrize(("right_to_left", "order"), [(False, [1, 2, 3, 4]), (True, [4, 3, 2, 1])])
def test_spreads_are_laid_out_in_the_books_direction(right_to_left: bool, order: list[int]) -> None:
    """Left to right: page 1 on the right of its cell, then 2 | 3, then 4 on the left.
    Right to left, the mirror image: the spreads from the right, page 1 on the left of
    its cell, 3 | 2 (an even page on the right), 4 on the right of the last cell."""
    images = {n: Image.new("RGB", (THUMB_HEIGHT // 2, THUMB_HEIGHT), c) for n, c in COLOURS.items()}
    sheet = _contact_sheet(images, right_to_left)
    page = THUMB_HEIGHT // 2
    # Three cells of two page widths, a gap between: read each half-cell's colour.
    seen = []
    for cell in range(3):
        for half in range(2):
            x = GAP + cell * (2 * page + GAP) + half * page + page // 2
            colour = sheet.getpixel((x, GAP + THUMB_HEIGHT // 2))
            seen += [n for n, c in COLOURS.items() if c == colour]
    assert seen == order


@pytest.mark.render
def test_a_right_to_left_book_previews_right_to_left(runner: CliRunner, tmp_path: Path) -> None:
    """The Hebrew book's contact sheet: page 1 (a spread of its own) in the right-hand
    cell, on the left of it; pages 2 and 3 in the left-hand cell, 2 on the right."""
    folder = copy_fixture("he-en", tmp_path) / "madrich"
    out = tmp_path / "out"
    result = runner.invoke(main, ["preview", str(folder), "--pages", "1-3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    shots = out / "madrich" / "preview"
    with Image.open(shots / "madrich-parallel-a5-page-01.png") as first:
        page = round(first.width * THUMB_HEIGHT / first.height)
    with Image.open(shots / "madrich-parallel-a5-contact-sheet.png") as sheet:
        middle = GAP + THUMB_HEIGHT // 2
        cell = 2 * page + GAP
        blank = sheet.getpixel((GAP + cell + page + page // 2, middle))
        cover = sheet.getpixel((GAP + cell + page // 2, middle))
    assert blank == (208, 208, 208) and cover != blank
