"""`booklet identify`: which handbook, edition and revision a file is, current or older."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.cli import main
from booklet.cli.identify import CUT_SHORT, DAMAGED, DRAFT
from tests.test_check import edit


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
    notes.write_bytes(b"%PDF-1.4 not a real PDF\n%%EOF\n")
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


@pytest.mark.render
@pytest.mark.subprocess
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_draft_re_rendered_by_its_chapters_is_a_draft_until_built_without_draft(
    runner: CliRunner, mini: Path, tmp_path: Path, jobs: str
) -> None:
    out = tmp_path / "out"
    build = ["build", str(mini), "--layout", "parallel", "--format", "pdf", "--out", str(out)]
    build += ["--impose", "booklet", "--jobs", jobs]
    pdf = out / "handbook" / "handbook-parallel-a5.pdf"
    imposed = out / "handbook" / "handbook-parallel-a5-booklet.pdf"
    identify = ["identify", str(pdf), str(imposed), "--sources", str(mini.parent)]
    # Rendered whole (nothing to re-render by chapter yet): the bytes a build gives.
    assert runner.invoke(main, [*build, "--draft"]).exit_code == 0
    result = runner.invoke(main, identify)
    revision = result.output.split("revision ", 1)[1][:7]
    copies = (
        f"{pdf}: handbook, parallel A5 PDF, zh-Hans+en, revision {{}}: {{}}\n"
        f"{imposed}: handbook, parallel A5 booklet, zh-Hans+en, revision {{}}: {{}}\n"
    )
    assert (result.exit_code, result.output) == (
        0,
        copies.format(revision, "current", revision, "current"),
    )
    edit(mini / "en" / "02-privacy.md", "may not expose", "must never expose")
    built = runner.invoke(main, [*build, "--draft"])
    assert built.exit_code == 0, built.output
    result = runner.invoke(main, identify)
    now = result.output.split("revision ", 1)[1][:7]
    assert now != revision
    assert DRAFT == (
        "a draft (booklet build --draft or booklet watch), not for handing out; build without "
        "--draft to make the copy to hand out"
    )
    assert (result.exit_code, result.output) == (1, copies.format(now, DRAFT, now, DRAFT))
    assert runner.invoke(main, build).exit_code == 0
    result = runner.invoke(main, identify)
    assert (result.exit_code, result.output) == (0, copies.format(now, "current", now, "current"))


@pytest.fixture
def edition(runner: CliRunner, mini: Path, tmp_path: Path) -> Path:
    """The mini handbook's HTML edition, built."""
    out = tmp_path / "out"
    built = runner.invoke(main, ["build", str(mini), "--format", "html", "--out", str(out)])
    assert built.exit_code == 0, built.output
    (folder,) = (out / "handbook").iterdir()
    return folder


def _identified(runner: CliRunner, mini: Path, path: Path) -> tuple[int, str, str]:
    """Exit code, what was said after the copy's description, and the revision."""
    result = runner.invoke(main, ["identify", str(path), "--sources", str(mini.parent)])
    revision = result.output.split("revision ", 1)[1][:7]
    told = f"{path}: handbook, HTML edition, zh-Hans+en, revision {revision}: "
    assert result.output.startswith(told), result.output
    return result.exit_code, result.output.removeprefix(told), revision


@pytest.mark.subprocess
def test_an_html_edition_whole_is_current_and_checkable_by_sha256sum(
    runner: CliRunner, mini: Path, edition: Path
) -> None:
    import subprocess

    assert _identified(runner, mini, edition)[:2] == (0, "current\n")
    chapter = next(edition.glob("chapter-*.html"))
    assert _identified(runner, mini, chapter)[:2] == (0, "current\n")
    checked = subprocess.run(
        ["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=edition, capture_output=True, check=False
    )
    assert checked.returncode == 0, checked.stdout


def test_an_html_edition_cut_short_or_missing_a_file_is_damaged(
    runner: CliRunner, mini: Path, edition: Path
) -> None:
    index = edition / "index.html"
    front = index.read_bytes()
    chapter = sorted(edition.glob("chapter-*.html"))[0]
    text = chapter.read_bytes()
    chapter.write_bytes(text[: len(text) // 2])
    damaged = DAMAGED.format(files=f"{chapter.name} is cut short") + "\n"
    assert _identified(runner, mini, edition)[:2] == (1, damaged)
    assert _identified(runner, mini, chapter)[:2] == (1, damaged)
    assert DAMAGED.format(files=f"{chapter.name} is cut short") == (
        f"damaged: {chapter.name} is cut short; get a fresh copy of the whole folder, or "
        "build the HTML edition again"
    )
    chapter.write_bytes(text)
    (edition / "style.css").unlink()
    (edition / "help.html").write_bytes(b"<!DOCTYPE html>\n<html></html>\n")
    assert _identified(runner, mini, edition)[:2] == (
        1,
        DAMAGED.format(files="help.html is not as booklet made it, style.css is missing") + "\n",
    )
    # The front page cut short after what it says it is; every damaged file is named.
    index.write_bytes(front[: front.index(b"<main")])
    assert _identified(runner, mini, edition)[:2] == (
        1,
        DAMAGED.format(
            files="index.html is cut short, help.html is not as booklet made it, style.css is "
            "missing"
        )
        + "\n",
    )
    index.write_bytes(front)
    sums = edition / "SHA256SUMS"
    sums.write_bytes(sums.read_bytes().splitlines(keepends=True)[0])
    assert _identified(runner, mini, edition)[:2] == (
        1,
        DAMAGED.format(files="SHA256SUMS is not as booklet made it") + "\n",
    )
    sums.unlink()
    assert _identified(runner, mini, edition)[:2] == (
        1,
        DAMAGED.format(files="SHA256SUMS is missing") + "\n",
    )


def test_an_html_edition_made_before_booklet_listed_its_files_is_checked_by_its_pages(
    runner: CliRunner, mini: Path, edition: Path
) -> None:
    import re

    index = edition / "index.html"
    older = re.sub(
        rb'<meta name="booklet.files" content="[0-9a-f]{64}">\n', b"", index.read_bytes()
    )
    assert older != index.read_bytes()
    index.write_bytes(older)
    (edition / "SHA256SUMS").unlink()
    (edition / "style.css").unlink()
    assert _identified(runner, mini, edition)[:2] == (0, "current\n")
    help_page = edition / "help.html"
    help_page.write_bytes(help_page.read_bytes()[:-200])
    assert _identified(runner, mini, edition)[:2] == (
        1,
        DAMAGED.format(files="help.html is cut short") + "\n",
    )
    index.write_bytes(older[:-200])
    assert _identified(runner, mini, edition)[:2] == (
        1,
        DAMAGED.format(files="index.html is cut short, help.html is cut short") + "\n",
    )


@pytest.mark.subprocess
def test_a_pdf_epub_or_kit_cut_short_is_damaged_not_someone_else_s(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    # An interrupted copy to a USB stick: the start of the file is there, its end is not.
    out = tmp_path / "out"
    built = runner.invoke(main, ["build", str(mini), "--layout", "parallel", "--out", str(out)])
    assert built.exit_code == 0, built.output
    kit = tmp_path / "kit.zip"
    packed = runner.invoke(main, ["kit", str(mini), "-o", str(kit)])
    assert packed.exit_code == 0, packed.output
    folder = out / "handbook"
    files = [folder / "handbook-parallel-a5.pdf", folder / "handbook.epub", kit]
    cut = []
    for path, keep in zip(files, (0.5, 0.98, 0.9), strict=True):
        data = path.read_bytes()
        short = tmp_path / f"short-{path.name}"
        short.write_bytes(data[: int(len(data) * keep)])
        cut.append(short)
    result = runner.invoke(main, ["identify", *map(str, cut), "--sources", str(mini.parent)])
    assert (result.exit_code, result.output) == (
        1,
        "".join(f"{path}: {CUT_SHORT}\n" for path in cut),
    )
    # A PDF cut after what it says of itself still reads, and is damaged all the same.
    data = files[0].read_bytes()
    tail = tmp_path / "tail.pdf"
    tail.write_bytes(data[: data.rindex(b"%%EOF")])
    told = runner.invoke(main, ["identify", str(tail), "--sources", str(mini.parent)])
    assert told.exit_code == 1
    assert told.output.endswith(f": {CUT_SHORT}\n"), told.output
