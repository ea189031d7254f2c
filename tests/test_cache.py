"""The build cache: an unchanged output is neither rendered nor written; a changed source
re-renders exactly the outputs made from it; a damaged or foreign record is ignored."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.build.cache import CACHE_FOLDER, fingerprint
from booklet.cli import main


def build(runner: CliRunner, folder: Path, out: Path, *args: str) -> str:
    result = runner.invoke(main, ["build", str(folder), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return result.output


def states(out: Path) -> dict[str, tuple[int, int, int]]:
    """Every file and folder under `out` with its inode, modification time and size."""
    found = {}
    for path in sorted(out.rglob("*")):
        stat = path.stat()
        found[path.relative_to(out).as_posix()] = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    return found


def progress(output: str) -> dict[str, str]:
    """File name -> what its progress line says after the dots."""
    return dict(re.findall(r"^  (\S+) \(.*?\) \.\.\. (.*)$", output, flags=re.M))


def unchanged(output: str) -> list[str]:
    """The files the build found unchanged."""
    return [name for name, said in progress(output).items() if said.startswith("unchanged")]


PDF_ONLY = ("--format", "pdf", "--layout", "parallel")


@pytest.mark.subprocess
def test_an_unchanged_rebuild_renders_and_writes_nothing(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = build(runner, mini, out)
    assert unchanged(first) == []
    before = states(out)
    again = build(runner, mini, out)
    assert states(out) == before  # not one file (or folder) touched
    # The same pages and size as when it was made, without the time it took.
    assert progress(again) == {
        name: "unchanged (" + said.rsplit(", ", 1)[0] + ")"
        for name, said in progress(first).items()
    }
    assert len(progress(again)) == 4
    assert again.splitlines()[-1].endswith(" (4 unchanged)")


@pytest.mark.subprocess
def test_a_changed_chapter_makes_every_copy_again_with_the_new_revision(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    # Every copy prints the revision of all the handbook's sources (#24), so an edit to
    # the English text makes the Chinese edition again too: its revision line changes.
    out = tmp_path / "out"
    editions = ("--language", "zh-Hans", "--language", "en")
    build(runner, mini, out, *editions)
    before = states(out)
    chapter = mini / "en" / "01-start.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("a new repayment date", "a later repayment date"), "utf-8")
    again = progress(build(runner, mini, out, *editions))
    after = states(out)
    names = ("handbook-zh-Hans-a5.pdf", "handbook-zh-Hans.epub", "handbook-en-a5.pdf")
    for name in (*names, "handbook-en.epub"):
        assert not again[name].startswith("unchanged")
        assert after[f"handbook/{name}"] != before[f"handbook/{name}"]


@pytest.mark.subprocess
def test_an_edited_output_file_is_made_again(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(runner, mini, out, *PDF_ONLY)
    pdf = out / "handbook" / "handbook-parallel-a5.pdf"
    made = pdf.read_bytes()
    pdf.write_bytes(made[:-10] + b"0123456789")  # the same size, other bytes
    assert progress(build(runner, mini, out, *PDF_ONLY))["handbook-parallel-a5.pdf"] != (
        "unchanged (11 pages, 208 KB)"
    )
    assert pdf.read_bytes() == made


@pytest.mark.parametrize(
    "record",
    [
        b"\x00\xff not json",
        b"[]",
        b'{"format": 1, "booklet": "0.1.0", "outputs": {"handbook-parallel-a5.pdf": 7}}',
        b'{"format": 99, "booklet": "0.1.0", "outputs": {}}',
    ],
    ids=["binary", "a list", "wrong types", "another format"],
)
@pytest.mark.subprocess
def test_a_damaged_or_foreign_record_is_ignored(
    runner: CliRunner, mini: Path, tmp_path: Path, record: bytes
) -> None:
    out = tmp_path / "out"
    build(runner, mini, out, *PDF_ONLY)
    path = out / CACHE_FOLDER / "handbook.json"
    path.write_bytes(record)
    output = build(runner, mini, out, *PDF_ONLY)
    assert unchanged(output) == []
    assert json.loads(path.read_bytes())["format"] == 1  # written afresh


@pytest.mark.subprocess
def test_a_record_whose_key_matches_but_whose_file_differs_is_not_trusted(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(runner, mini, out, *PDF_ONLY)
    path = out / CACHE_FOLDER / "handbook.json"
    record = json.loads(path.read_bytes())
    record["outputs"]["handbook-parallel-a5.pdf"]["sha256"] = "0" * 64
    path.write_text(json.dumps(record), encoding="utf-8")
    assert unchanged(build(runner, mini, out, *PDF_ONLY)) == []


@pytest.mark.subprocess
def test_force_makes_everything_again(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(runner, mini, out, *PDF_ONLY)
    forced = build(runner, mini, out, *PDF_ONLY, "--force")
    assert unchanged(forced) == []
    assert unchanged(build(runner, mini, out, *PDF_ONLY)) != []


@pytest.mark.subprocess
def test_the_build_time_counts_only_when_it_is_fixed(
    runner: CliRunner, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build(runner, mini, out, *PDF_ONLY)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")  # a day later: another book
    assert unchanged(build(runner, mini, out, *PDF_ONLY)) == []
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    build(runner, mini, out, *PDF_ONLY)
    # Without a fixed time, a build a second later of the same sources is the same book.
    assert unchanged(build(runner, mini, out, *PDF_ONLY)) != []


@pytest.mark.subprocess
def test_a_changed_theme_file_makes_everything_again(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out, theme = tmp_path / "out", tmp_path / "theme"
    (theme / "css").mkdir(parents=True)
    (theme / "css" / "theme.css").write_text("p { color: black; }\n", encoding="utf-8")
    build(runner, mini, out, *PDF_ONLY, "--theme", str(theme))
    assert unchanged(build(runner, mini, out, *PDF_ONLY, "--theme", str(theme))) != []
    (theme / "css" / "theme.css").write_text("p { color: #111; }\n", encoding="utf-8")
    assert unchanged(build(runner, mini, out, *PDF_ONLY, "--theme", str(theme))) == []


@pytest.mark.subprocess
def test_clean_removes_the_record_too(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(runner, mini, out, *PDF_ONLY)
    result = runner.invoke(main, ["clean", str(mini), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert not (out / CACHE_FOLDER / "handbook.json").exists()
    assert unchanged(build(runner, mini, out, *PDF_ONLY)) == []


def test_fingerprints_tell_types_order_and_content_apart() -> None:
    assert fingerprint("1") != fingerprint(1) != fingerprint(b"1")
    assert fingerprint(["a", "b"]) != fingerprint(["b", "a"])
    assert fingerprint({"a", "b"}) == fingerprint({"b", "a"})
    assert fingerprint(["ab"]) != fingerprint(["a", "b"])
    assert fingerprint(date(2026, 1, 1)) != fingerprint("2026-01-01")
    assert fingerprint({"a": 1}) != fingerprint({"a": 2})
    with pytest.raises(TypeError):
        fingerprint(object())
