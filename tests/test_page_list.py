"""Where an EPUB's page-break markers go, from the pages its elements start on in print."""

import json
import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from booklet.build.cache import CACHE_FOLDER
from booklet.cli import main
from booklet.outputs.page_list import PageBreaks, PrintPages, place_pages


@pytest.mark.parametrize(
    ("starts", "pages", "placed"),
    [
        # Each page before the first element that starts on it.
        ({"a": 1, "b": 2, "c": 3}, 3, {"a": [1], "b": [2], "c": [3]}),
        # A page no element starts on (a long passage runs over it) goes before that
        # passage; so does the blank page at the end.
        ({"a": 1, "b": 3, "c": 3, "d": 6}, 7, {"a": [1, 2], "b": [3], "c": [4, 5], "d": [6, 7]}),
        # An element the PDF lacks, or one that starts before an earlier one, marks nothing.
        ({"a": 1, "c": 2, "d": 1}, 2, {"a": [1], "c": [2]}),
        ({}, 4, {}),
    ],
)
def test_place_pages(starts: dict[str, int], pages: int, placed: dict[str, list[int]]) -> None:
    assert place_pages(["a", "b", "c", "d"], PrintPages("x.pdf", pages, starts)) == placed


def test_page_breaks_record_what_the_templates_ask() -> None:
    breaks = PageBreaks({"b": [2, 3]})
    breaks.document = "one.xhtml"
    assert breaks.at("a") == []
    breaks.document = "two.xhtml"
    assert breaks.at("b") == [2, 3]
    assert breaks.asked == [("one.xhtml", "a"), ("two.xhtml", "b")]


def build(runner: CliRunner, folder: Path, out: Path, *args: str) -> str:
    result = runner.invoke(main, ["build", str(folder), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return result.output


def page_list(epub: Path) -> list[tuple[str, str]]:
    """The EPUB's page list: (page number, where it points)."""
    with zipfile.ZipFile(epub) as archive:
        nav = archive.read(next(n for n in archive.namelist() if n.endswith("nav.xhtml")))
    found = re.search(rb'<nav[^>]*epub:type="page-list".*?</nav>', nav, flags=re.S)
    assert found is not None
    return [
        (text.decode(), href.decode())
        for href, text in re.findall(rb'<a href="([^"]+)">([^<]+)</a>', found.group())
    ]


@pytest.mark.subprocess
@pytest.mark.parametrize("clinic", [(), ("--clinic", "north")])
def test_an_epub_made_without_its_print_edition_marks_the_same_pages(
    runner: CliRunner, mini: Path, tmp_path: Path, clinic: tuple[str, ...]
) -> None:
    # With the PDF (a clinic's is spliced: body, then tail) and without it (laid out only).
    build(
        runner, mini, tmp_path / "both", "--format", "pdf,epub", "--layout", "interleaved", *clinic
    )
    build(runner, mini, tmp_path / "alone", "--format", "epub", *clinic)
    where = Path("handbook", *(clinic[1:]))
    name = "-".join(["handbook", *clinic[1:]]) + ".epub"
    with_pdf, alone = tmp_path / "both" / where / name, tmp_path / "alone" / where / name
    assert not list((tmp_path / "alone").rglob("*.pdf"))
    [pdf] = (tmp_path / "both" / where).glob("*.pdf")
    listed = page_list(with_pdf)
    assert [number for number, _ in listed] == [str(n) for n in range(1, pdf_pages(pdf) + 1)]
    if clinic:  # the tail's pages, numbered on from the body's
        assert any(href.startswith("clinic") for _, href in listed[-3:]), listed
    assert with_pdf.read_bytes() == alone.read_bytes()


def pdf_pages(pdf: Path) -> int:
    with pikepdf.open(pdf) as opened:
        return len(opened.pages)


@pytest.mark.subprocess
def test_an_epub_made_later_reads_its_pages_from_the_pdfs_record(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(runner, mini, out, "--format", "pdf,epub", "--layout", "interleaved")
    epub = out / "handbook" / "handbook.epub"
    before = page_list(epub)
    # The record of the PDF, unchanged on disk, says where its elements start: all on
    # page 1 here, the EPUB made again without the PDF follows it (nothing is laid out).
    record_path = out / CACHE_FOLDER / "handbook.json"
    record = json.loads(record_path.read_text("utf-8"))
    summary = record["outputs"]["handbook-interleaved-a5.pdf"]["summary"]
    summary["anchors"] = dict.fromkeys(summary["anchors"], 1)
    record_path.write_text(json.dumps(record), "utf-8")
    epub.unlink()
    said = build(runner, mini, out, "--format", "epub")
    assert "handbook.epub (EPUB 3) ... " in said and "unchanged" not in said
    after = page_list(epub)
    assert after != before and len(after) == len(before)


@pytest.mark.subprocess
def test_the_large_print_epub_marks_the_pages_of_the_large_print_pdf(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    build(
        runner,
        mini,
        tmp_path / "lp",
        "--format",
        "pdf,epub",
        "--layout",
        "interleaved",
        "--edition",
        "large-print",
    )
    build(runner, mini, tmp_path / "a5", "--format", "pdf", "--layout", "interleaved")
    [large] = (tmp_path / "lp" / "handbook").glob("*-a4-large-print.pdf")
    [standard] = (tmp_path / "a5" / "handbook").glob("*-a5.pdf")
    assert pdf_pages(large) != pdf_pages(standard)
    listed = page_list(tmp_path / "lp" / "handbook" / "handbook.epub")
    assert [number for number, _ in listed] == [str(n) for n in range(1, pdf_pages(large) + 1)]
