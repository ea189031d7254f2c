"""Stale files: what booklet made in OUT/<id>/ from older sources, with the command that
makes each again (booklet.build.stale, for the build to list)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.build.stale import StaleFile, refresh_command, stale_files
from booklet.cli import main
from booklet.model import CopyOf
from booklet.render.view import copy_revision
from booklet.sources.files import load_handbook
from booklet.sources.handbook import parse_handbook
from booklet.themes.theme import load_theme


def revision_of(folder: Path) -> str:
    return copy_revision(parse_handbook(load_handbook(folder))[0], load_theme())


@pytest.mark.subprocess
def test_a_file_made_from_older_sources_is_listed_with_its_command(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build = ["build", str(mini), "--format", "pdf", "--out", str(out)]
    made = runner.invoke(main, [*build, "--layout", "parallel", "--impose", "booklet"])
    assert made.exit_code == 0, made.output
    assert stale_files(out, "handbook", revision_of(mini)) == []
    old = revision_of(mini)
    (mini / "en" / "03-new.md").write_text("# A new chapter\n\nNew.\n", encoding="utf-8")
    again = runner.invoke(main, [*build, "--layout", "interleaved"])
    assert again.exit_code == 0, again.output
    stale = stale_files(out, "handbook", revision_of(mini))
    folder = out / "handbook"
    assert [(s.path, s.revision) for s in stale] == [
        (folder / "handbook-a5-printing.pdf", old),
        (folder / "handbook-parallel-a5-booklet.pdf", old),
        (folder / "handbook-parallel-a5.pdf", old),
    ]
    assert [refresh_command(s, "sources/handbook") for s in stale] == [
        "booklet build sources/handbook --impose booklet --format pdf",
        "booklet build sources/handbook --layout parallel --paper a5 --format pdf --impose booklet",
        "booklet build sources/handbook --layout parallel --paper a5 --format pdf",
    ]
    (folder / "notes.pdf").write_bytes(b"%PDF mine")
    clean = ["clean", str(mini), "--out", str(out), "--stale"]
    listed = runner.invoke(main, [*clean, "--dry-run"])
    assert (listed.exit_code, listed.output) == (
        0,
        "".join(f"{s.path}\n" for s in stale) + f"{folder}: 3 stale files would be removed\n",
    )
    cleaned = runner.invoke(main, clean)
    assert (cleaned.exit_code, cleaned.output) == (0, f"{folder}: 3 stale files removed\n")
    assert sorted(p.name for p in folder.iterdir()) == ["handbook-interleaved-a5.pdf", "notes.pdf"]
    again = runner.invoke(main, clean)
    assert again.output == f"{folder}: no stale file to remove\n"


def test_commands_for_every_kind_of_copy() -> None:
    def command(copy: CopyOf | None) -> str:
        return refresh_command(StaleFile(Path("x"), "1234567", copy), "sources/h", "out")

    assert (
        command(CopyOf("h", "kit", clinic="south"))
        == "booklet kit sources/h --clinic south --out out"
    )
    assert command(CopyOf("h", "epub", language="en")) == (
        "booklet build sources/h --format epub --language en --out out"
    )
    assert command(CopyOf("h", "pdf", "interleaved", "a4", "large-print", True, "north")) == (
        "booklet build sources/h --layout interleaved --paper a4 --format pdf --edition "
        "large-print --print-shop --clinic north --out out"
    )
    assert command(CopyOf("h", "pdf", "sequential", "a5", language="en")) == (
        "booklet build sources/h --paper a5 --format pdf --language en --out out"
    )
    assert command(None) == "booklet build sources/h --out out"
