"""`booklet clean` removes only what booklet made: by its records, never by extension,
never through a link, never from the sources."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.build.cache import CACHE_FOLDER
from booklet.cli import main

PDF_ONLY = ("--layout", "parallel", "--format", "pdf")
MADE = "handbook-parallel-a5.pdf"


def build(runner: CliRunner, mini: Path, out: Path) -> None:
    result = runner.invoke(main, ["build", str(mini), *PDF_ONLY, "--out", str(out)])
    assert result.exit_code == 0, result.output


@pytest.fixture
def corpus(runner: CliRunner, mini: Path, tmp_path: Path) -> Path:
    """An output folder with booklet's PDF and the user's own files beside it."""
    out = tmp_path / "out"
    build(runner, mini, out)
    folder = out / "handbook"
    (folder / "notes.pdf").write_bytes(b"%PDF-1.7 my notes")
    (folder / "SCAN.PDF").write_bytes(b"%PDF-1.4 a scan")
    (folder / "archive-2025").mkdir()
    (folder / "archive-2025" / MADE).write_bytes((folder / MADE).read_bytes())
    (folder / "handbook-kit.zip").write_bytes(b"not a kit booklet made")
    return out


@pytest.mark.subprocess
def test_only_booklets_files_go_and_the_rest_is_counted_once(
    runner: CliRunner, mini: Path, corpus: Path
) -> None:
    folder = corpus / "handbook"
    result = runner.invoke(main, ["clean", str(mini), "--out", str(corpus)])
    assert (result.exit_code, result.output) == (
        0,
        f"{folder}: 1 file removed; 4 files booklet did not make were left\n",
    )
    assert sorted(p.name for p in folder.iterdir()) == [
        "SCAN.PDF",
        "archive-2025",
        "handbook-kit.zip",
        "notes.pdf",
    ]
    assert (folder / "archive-2025" / MADE).is_file()
    assert not (corpus / CACHE_FOLDER / "handbook.json").exists()


@pytest.mark.subprocess
def test_dry_run_lists_and_removes_nothing(runner: CliRunner, mini: Path, corpus: Path) -> None:
    folder = corpus / "handbook"
    before = sorted(folder.rglob("*"))
    result = runner.invoke(main, ["clean", str(mini), "--out", str(corpus), "--dry-run"])
    assert (result.exit_code, result.output) == (
        0,
        f"{folder / MADE}\n"
        f"{folder}: 1 file would be removed; 4 files booklet did not make would be left\n",
    )
    assert sorted(folder.rglob("*")) == before
    assert (corpus / CACHE_FOLDER / "handbook.json").is_file()


@pytest.mark.subprocess
def test_a_file_changed_since_booklet_made_it_stays(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(runner, mini, out)
    with (out / "handbook" / MADE).open("ab") as pdf:
        pdf.write(b"% annotated by hand\n")
    result = runner.invoke(main, ["clean", str(mini), "--out", str(out)])
    assert result.output == (
        f"{out}/handbook: nothing to remove; 1 file changed since booklet made them was left\n"
    )
    assert (out / "handbook" / MADE).is_file()


@pytest.mark.subprocess
def test_a_linked_output_folder_is_not_cleaned_through(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    build(runner, mini, elsewhere)  # a record and a PDF booklet made, behind the link
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(elsewhere / "handbook", out / "handbook")
    (out / CACHE_FOLDER).mkdir()
    (out / CACHE_FOLDER / "handbook.json").write_bytes(
        (elsewhere / CACHE_FOLDER / "handbook.json").read_bytes()
    )
    result = runner.invoke(main, ["clean", str(mini), "--out", str(out)])
    assert (result.exit_code, result.output) == (
        0,
        f"{out}/handbook: a link to another folder; booklet removes nothing through a link, "
        "so nothing was removed\n",
    )
    assert (elsewhere / "handbook" / MADE).is_file()


@pytest.mark.subprocess
def test_a_linked_cache_folder_is_not_trusted_nor_cleaned(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(runner, mini, out)
    elsewhere = tmp_path / "elsewhere-cache"
    (out / CACHE_FOLDER).rename(elsewhere)
    os.symlink(elsewhere, out / CACHE_FOLDER)
    result = runner.invoke(main, ["clean", str(mini), "--out", str(out)])
    assert result.output == (
        f"{out}/handbook: nothing to remove; 1 file booklet did not make was left; its "
        f"records are in {CACHE_FOLDER}, a link, so not trusted\n"
    )
    assert (out / "handbook" / MADE).is_file()
    assert (elsewhere / "handbook.json").is_file()


@pytest.mark.subprocess
def test_a_linked_file_or_folder_inside_is_left(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(runner, mini, out)
    folder = out / "handbook"
    mine = tmp_path / "mine.pdf"
    mine.write_bytes((folder / MADE).read_bytes())
    (folder / MADE).unlink()
    os.symlink(mine, folder / MADE)  # the record's name and bytes, through a link
    os.symlink(tmp_path, folder / "south")
    result = runner.invoke(main, ["clean", str(mini), "--out", str(out)])
    assert result.output == (
        f"{folder}: nothing to remove; 2 files booklet did not make were left\n"
    )
    assert mine.is_file()


@pytest.mark.subprocess
def test_a_record_naming_files_outside_the_output_folder_removes_none(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(runner, mini, out)
    victim = tmp_path / "victim.pdf"
    victim.write_bytes(b"%PDF mine")
    entry = {"sha256": hashlib.sha256(b"%PDF mine").hexdigest(), "size": 9, "key": "k"}
    record = out / CACHE_FOLDER / "handbook.json"
    data = json.loads(record.read_bytes())
    data["outputs"] = {"../../victim.pdf": entry, str(victim): entry}
    record.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(main, ["clean", str(mini), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert victim.read_bytes() == b"%PDF mine"


REFUSED = [(".", "handbook"), ("..", "handbook"), ("handbook/out", "handbook"), ("laws", "laws")]


@pytest.mark.parametrize(("out", "place"), REFUSED)
def test_an_out_that_holds_or_is_inside_the_sources_is_refused(
    runner: CliRunner, mini: Path, out: str, place: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(mini.parent)
    (mini / "en" / "notes.pdf").write_bytes(b"%PDF mine")
    result = runner.invoke(main, ["clean", "handbook", "--out", out])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: --out {out}: this folder holds or is inside {place}, which booklet reads its "
        "sources from; clean removes only from an output folder: name it, e.g. --out output\n",
    )
    assert (mini / "en" / "notes.pdf").is_file()


def test_kits_and_previews_are_recorded_and_cleaned(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    from booklet.build.made import made_files, record_written

    out = tmp_path / "out"
    folder = out / "handbook" / "preview"
    folder.mkdir(parents=True)
    picture = folder / "handbook-parallel-a5-page-01.png"
    picture.write_bytes(b"png")
    record_written(out, "handbook", [picture, tmp_path / "elsewhere.png"])
    assert list(made_files(out, "handbook")) == ["preview/handbook-parallel-a5-page-01.png"]
    result = runner.invoke(main, ["clean", str(mini), "--out", str(out)])
    assert result.output == f"{out}/handbook: 1 file removed\n"
    assert list((out / "handbook").iterdir()) == []  # the emptied preview folder went too


@pytest.mark.subprocess
def test_a_forced_build_keeps_the_earlier_files_recorded(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(runner, mini, out)
    forced = ["build", str(mini), "--layout", "interleaved", "--format", "pdf", "--force"]
    result = runner.invoke(main, [*forced, "--out", str(out)])
    assert result.exit_code == 0, result.output
    record = json.loads((out / CACHE_FOLDER / "handbook.json").read_bytes())
    assert sorted(record["outputs"]) == ["handbook-interleaved-a5.pdf", MADE]
    cleaned = runner.invoke(main, ["clean", str(mini), "--out", str(out)])
    assert cleaned.output == f"{out}/handbook: 2 files removed\n"
