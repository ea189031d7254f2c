"""Writers never overwrite what is not theirs: `kit -o` and `impose -o` refuse a file
booklet did not make and any place inside a handbook, statute registry or clinic
directory (booklet.build.made.check_may_write, one rule for both)."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from booklet.build.made import check_may_write, protected_places
from booklet.cli import main
from booklet.errors import BookletError


def blank_pdf(pages: int = 4) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(420, 595))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


INSIDE = "which holds sources booklet reads; nothing was written; write it outside the "
NOT_MADE = ": a file booklet did not make is there; nothing was written; name a new file, or "


@pytest.mark.parametrize(
    ("target", "place"),
    [
        ("handbook/en/01-start.md", "handbook"),
        ("laws/demo-code.toml", "laws"),
        ("clinics/north.toml", "clinics"),
        ("handbook/kit.zip", "handbook"),
    ],
)
def test_kit_o_inside_the_sources_is_refused_and_nothing_written(
    runner: CliRunner, mini: Path, target: str, place: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(mini.parent)
    before = {p: p.read_bytes() for p in mini.parent.rglob("*") if p.is_file()}
    result = runner.invoke(main, ["kit", "handbook", "-o", target])
    assert (result.exit_code, result.output.splitlines()[-1]) == (
        1,
        f"Error: -o {target}: this is inside {place}, {INSIDE}sources, e.g. into output/",
    )
    assert {p: p.read_bytes() for p in mini.parent.rglob("*") if p.is_file()} == before


def test_kit_o_over_a_file_booklet_did_not_make_is_refused(
    runner: CliRunner, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "photos.zip").write_bytes(b"PK my photos")
    result = runner.invoke(main, ["kit", str(mini), "-o", "photos.zip"])
    assert (result.exit_code, result.output.splitlines()[-1]) == (
        1,
        f"Error: -o photos.zip{NOT_MADE}move that one away first",
    )
    assert (tmp_path / "photos.zip").read_bytes() == b"PK my photos"


def test_impose_o_refuses_a_file_not_its_own_and_replaces_its_own(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.pdf").write_bytes(blank_pdf())
    (tmp_path / "scan.pdf").write_bytes(blank_pdf(1))
    refused = runner.invoke(main, ["impose", "in.pdf", "-o", "scan.pdf"])
    assert (refused.exit_code, refused.output) == (
        1,
        f"Error: -o scan.pdf{NOT_MADE}move that one away first\n",
    )
    assert (tmp_path / "scan.pdf").read_bytes() == blank_pdf(1)
    for _ in range(2):  # the second time over its own booklet
        made = runner.invoke(main, ["impose", "in.pdf", "-o", "booklet.pdf"])
        assert made.exit_code == 0, made.output
    # The default name too: an existing file of that name that booklet did not make.
    (tmp_path / "in-booklet.pdf").write_bytes(b"%PDF-1.4 mine")
    refused = runner.invoke(main, ["impose", "in.pdf"])
    assert (
        refused.output == f"Error: the booklet in-booklet.pdf{NOT_MADE}move that one away first\n"
    )


def test_impose_o_inside_a_handbook_under_sources_is_refused(
    runner: CliRunner, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    mini.parent.rename(project / "sources")
    monkeypatch.chdir(project)
    (project / "in.pdf").write_bytes(blank_pdf())
    result = runner.invoke(main, ["impose", "in.pdf", "-o", "sources/handbook/en/b.pdf"])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: -o sources/handbook/en/b.pdf: this is inside sources/handbook, {INSIDE}"
        "sources, e.g. into output/\n",
    )
    assert not (project / "sources" / "handbook" / "en" / "b.pdf").exists()


def test_a_file_the_records_list_with_its_bytes_may_be_replaced(mini: Path, tmp_path: Path) -> None:
    from booklet.build.made import record_written

    out = tmp_path / "out"
    kit = out / "handbook" / "handbook-kit.zip"
    kit.parent.mkdir(parents=True)
    kit.write_bytes(b"PK made")
    places = protected_places([mini])
    with pytest.raises(BookletError, match="a file booklet did not make is there"):
        check_may_write(kit, "-o", places, out, "handbook")
    record_written(out, "handbook", [kit])
    check_may_write(kit, "-o", places, out, "handbook")
    kit.write_bytes(b"PK changed since")
    with pytest.raises(BookletError, match="a file booklet did not make is there"):
        check_may_write(kit, "-o", places, out, "handbook")
