"""`booklet identify`: which handbook, edition and revision a file is, current or older."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.cli import main


@pytest.mark.subprocess
def test_current_then_older_after_a_source_change(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    built = runner.invoke(
        main,
        ["build", str(mini), "--layout", "parallel", "--impose", "booklet", "--out", str(out)],
    )
    assert built.exit_code == 0, built.output
    folder = out / "handbook"
    names = ("parallel-a5.pdf", "parallel-a5-booklet.pdf", "a5-printing.pdf")
    files = [*(folder / f"handbook-{name}" for name in names), folder / "handbook.epub"]
    sources = ["--sources", str(mini.parent)]
    result = runner.invoke(main, ["identify", *map(str, files), *sources])
    revision = result.output.split("revision ", 1)[1][:7]
    assert (result.exit_code, result.output) == (
        0,
        f"{files[0]}: handbook, parallel A5 PDF, zh-Hans+en, revision {revision}: current\n"
        f"{files[1]}: handbook, parallel A5 booklet, zh-Hans+en, revision {revision}: current\n"
        f"{files[2]}: handbook, printing sheet, revision {revision}: current\n"
        f"{files[3]}: handbook, EPUB, zh-Hans+en, revision {revision}: current\n",
    )
    (mini / "en" / "03-new.md").write_text("# A new chapter\n\nNew.\n", encoding="utf-8")
    result = runner.invoke(main, ["identify", str(files[0]), *sources])
    now = result.output.rsplit(" ", 1)[1].strip()
    assert now != revision
    assert (result.exit_code, result.output) == (
        1,
        f"{files[0]}: handbook, parallel A5 PDF, zh-Hans+en, revision {revision}: older: the "
        f"sources now give revision {now}\n",
    )


def test_a_file_booklet_did_not_make_and_an_unknown_handbook(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.pdf"
    notes.write_bytes(b"%PDF-1.4 not a real PDF")
    archive = tmp_path / "photos.zip"
    archive.write_bytes(b"PK\x05\x06" + bytes(18))
    result = runner.invoke(main, ["identify", str(notes), str(archive), "--sources", str(mini)])
    assert (result.exit_code, result.output) == (
        1,
        f"{notes}: not made by booklet (it names no handbook and revision)\n"
        f"{archive}: not made by booklet (it names no handbook and revision)\n",
    )


@pytest.mark.subprocess
def test_a_copy_whose_handbook_is_not_under_the_sources_is_not_current(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    built = runner.invoke(
        main, ["build", str(mini), "--layout", "parallel", "--format", "epub", "--out", str(out)]
    )
    assert built.exit_code == 0, built.output
    epub = out / "handbook" / "handbook.epub"
    result = runner.invoke(main, ["identify", str(epub), "--sources", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert result.output.endswith(
        f": unknown: no handbook {tmp_path / 'none' / 'handbook'} to compare with\n"
    )


@pytest.mark.parametrize(
    ("page", "told"),
    [
        (
            b'<!DOCTYPE html>\n<html lang="fa"><head><meta name="booklet.revision" '
            b'content="3f2a9c1">\n<meta name="booklet.copy" content="booklet:tenant-fa?'
            b'format=html&amp;clinic=north"></head><body data-book="tenant-fa" '
            b'data-languages="fa en">',
            "tenant-fa, HTML edition, clinic north, fa+en, revision 3f2a9c1",
        ),
        (
            b"\xef\xbb\xbf<!-- a theme's page -->\n<!doctype html><html><head>"
            b"<meta content='booklet:tenant-fa?format=html' name='booklet.copy' />"
            b'<meta name="booklet.revision" content="3f2a9c1"/></head><body class="x" '
            b'data-languages="fa en">',
            "tenant-fa, HTML edition, fa+en, revision 3f2a9c1",
        ),
        (b"<!DOCTYPE html>\n<html><head><title>mine</title></head>", None),
        (b'<!DOCTYPE html><meta name="booklet.copy" content="booklet:x?format=html">', None),
        (b"<html><meta name='booklet.revision' content='1'>", None),
    ],
)
def test_a_page_of_the_html_edition_says_what_it_is(page: bytes, told: str | None) -> None:
    from booklet.cli.identify import describe
    from booklet.outputs.identity import read_identity

    identity = read_identity(page)
    assert (describe(identity) if identity else None) == told


def test_a_folder_that_is_not_an_html_edition_is_said_and_the_next_file_read(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(main, ["identify", str(tmp_path), str(tmp_path / "notes.txt")])
    assert (result.exit_code, result.output) == (
        1,
        f"{tmp_path}: a folder that is not an HTML edition booklet made\n"
        f"{tmp_path / 'notes.txt'}: not made by booklet (it names no handbook and revision)\n",
    )


def test_a_pipe_is_refused_not_waited_on(runner: CliRunner, tmp_path: Path) -> None:
    import os

    pipe = tmp_path / "copy.pdf"
    os.mkfifo(pipe)
    result = runner.invoke(main, ["identify", str(pipe)])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {pipe}: not a regular file (a pipe or a device); name a file\n",
    )
