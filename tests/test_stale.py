"""Stale files: what booklet made in OUT/<id>/ from older sources, with the command that
makes each again (booklet.build.stale, for the build to list)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.build.stale import StaleFile, refresh_command, stale_files, stale_kits
from booklet.cli import main
from booklet.model import CopyOf
from booklet.sources.files import load_handbook
from booklet.sources.handbook import parse_handbook
from booklet.sources.revision import copy_revision
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


@pytest.mark.subprocess
def test_a_build_names_every_older_file_and_build_stale_makes_them_current(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    base = [str(mini), "--out", str(out), "--jobs", "1"]
    # The newcomer's sequence: each edition by a command of its own.
    for options in (
        ["--layout", "interleaved", "--impose", "booklet", "--format", "pdf"],
        ["--language", "en", "--format", "pdf"],
        ["--clinic", "north", "--layout", "parallel", "--format", "pdf"],
    ):
        made = runner.invoke(main, ["build", *base, *options])
        assert made.exit_code == 0, made.output
    old = revision_of(mini)
    for lang, text in (("en", "# A new chapter\n\nNew.\n"), ("zh-Hans", "# 新的一章\n\n新的。\n")):
        (mini / lang / "03-new.md").write_text(text, encoding="utf-8")
    now = revision_of(mini)
    plain = runner.invoke(main, ["build", *base, "--format", "pdf"])
    assert plain.exit_code == 0, plain.output
    folder = out / "handbook"
    listed = [line for line in plain.output.splitlines() if "older sources" in line]
    assert listed == [
        f"{folder / name}: warning: made from older sources (revision {old}; the sources now "
        f"give {now}); make it again: booklet build {mini} {command} --out {out}"
        for name, command in (
            ("handbook-a5-printing.pdf", "--impose booklet --format pdf"),
            ("handbook-en-a5.pdf", "--paper a5 --format pdf --language en"),
            (
                "handbook-interleaved-a5-booklet.pdf",
                "--layout interleaved --paper a5 --format pdf --impose booklet",
            ),
            (
                "north/handbook-north-parallel-a5.pdf",
                "--layout parallel --paper a5 --format pdf --clinic north",
            ),
        )
    ]
    assert plain.output.splitlines()[-1] == (
        f"4 files in {out} are older than the sources of {mini} (revision {now}); make them "
        f"current: booklet build {mini} --stale --out {out}"
    )
    remade = runner.invoke(main, ["build", *base, "--stale"])
    assert remade.exit_code == 0, remade.output
    assert "older sources" not in remade.output
    assert stale_files(out, "handbook", now) == []
    every = sorted(p for p in folder.rglob("*.pdf"))
    identified = runner.invoke(main, ["identify", *map(str, every), "--sources", str(mini.parent)])
    assert identified.exit_code == 0, identified.output
    assert len(identified.output.splitlines()) == len(every) == 7


def test_stale_kits_are_packed_again_generic_first_then_the_clinics() -> None:
    def stale(copy: CopyOf) -> StaleFile:
        return StaleFile(Path("x"), "1234567", copy)

    files = [
        stale(CopyOf("h", "kit", clinic="south")),
        stale(CopyOf("h", "pdf", "parallel", "a5")),
        stale(CopyOf("h", "kit")),
        stale(CopyOf("h", "kit", clinic="north")),
    ]
    assert stale_kits(files) == [[], ["south", "north"]]
    assert stale_kits(files[1:2]) == []


@pytest.mark.subprocess
@pytest.mark.slow
def test_build_stale_packs_an_older_kit_again(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    from booklet.outputs.identity import read_identity

    out = tmp_path / "out"
    base = [str(mini), "--out", str(out), "--jobs", "1"]
    kit = out / "handbook" / "handbook-kit.zip"
    packed = runner.invoke(main, ["kit", *base])
    assert packed.exit_code == 0, packed.output
    (mini / "en" / "03-new.md").write_text("# A new chapter\n\nNew.\n", encoding="utf-8")
    now = revision_of(mini)
    remade = runner.invoke(main, ["build", *base, "--stale"])
    assert remade.exit_code == 0, remade.output
    assert f"{kit.name} (kit)" in remade.output
    assert "older" not in remade.output, remade.output
    identity = read_identity(kit.read_bytes())
    assert identity is not None and identity.revision == now
    assert stale_files(out, "handbook", now) == []


@pytest.mark.subprocess
def test_an_older_html_edition_is_listed_identified_remade_and_cleaned(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    base = [str(mini), "--out", str(out), "--jobs", "1"]
    edition = out / "handbook" / "handbook-html"
    made = runner.invoke(main, ["build", *base, "--format", "html"])
    assert made.exit_code == 0, made.output
    old = revision_of(mini)
    (mini / "en" / "03-new.md").write_text("# A new chapter\n\nNew.\n", encoding="utf-8")
    now = revision_of(mini)
    plain = runner.invoke(main, ["build", *base, "--format", "pdf", "--layout", "parallel"])
    assert plain.exit_code == 0, plain.output
    assert (
        f"{edition}: warning: made from older sources (revision {old}; the sources now give "
        f"{now}); make it again: booklet build {mini} --format html --out {out}"
    ) in plain.output.splitlines()
    identified = runner.invoke(main, ["identify", str(edition), "--sources", str(mini.parent)])
    assert (identified.exit_code, identified.output) == (
        1,
        f"{edition}: handbook, HTML edition, zh-Hans+en, revision {old}: older: the sources "
        f"now give revision {now}\n",
    )
    listed = runner.invoke(main, ["clean", str(mini), "--out", str(out), "--stale", "--dry-run"])
    assert listed.exit_code == 0, listed.output
    assert f"{edition / 'index.html'}\n" in listed.output
    assert f"{out / 'handbook' / 'handbook-parallel-a5.pdf'}" not in listed.output
    remade = runner.invoke(main, ["build", *base, "--stale"])
    assert remade.exit_code == 0, remade.output
    assert stale_files(out, "handbook", now) == []
    again = runner.invoke(main, ["identify", str(edition), "--sources", str(mini.parent)])
    assert again.exit_code == 0, again.output


@pytest.mark.subprocess
def test_a_copy_of_a_clinic_no_longer_there_is_to_remove_not_to_make(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    base = [str(mini), "--out", str(out), "--jobs", "1", "--format", "pdf", "--layout", "parallel"]
    made = runner.invoke(main, ["build", *base, "--clinic", "north"])
    assert made.exit_code == 0, made.output
    (mini.parent / "clinics" / "north.toml").unlink()
    (mini / "en" / "03-new.md").write_text("# A new chapter\n\nNew.\n", encoding="utf-8")
    plain = runner.invoke(main, ["build", *base])
    assert plain.exit_code == 0, plain.output
    copy = out / "handbook" / "north" / "handbook-north-parallel-a5.pdf"
    (warning,) = [line for line in plain.output.splitlines() if line.startswith(str(copy))]
    assert warning.endswith(
        f"; its clinic north is no longer in the handbook; remove it: booklet clean {mini} "
        f"--stale --out {out}"
    )
    remade = runner.invoke(main, ["build", *base, "--stale"])
    assert remade.exit_code == 0, remade.output
    assert "Traceback" not in remade.output
    cleaned = runner.invoke(main, ["clean", str(mini), "--out", str(out), "--stale"])
    assert cleaned.exit_code == 0, cleaned.output
    assert not copy.exists()


def drop_english(mini: Path) -> None:
    """The handbook in Chinese only, as a user leaves it: English out of its languages,
    its texts and its folder."""
    toml = mini / "handbook.toml"
    lines = toml.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("en = ")]
    text = "\n".join(kept).replace('languages = ["zh-Hans", "en"]', 'languages = ["zh-Hans"]')
    toml.write_text(text + "\n", encoding="utf-8")
    for path in sorted((mini / "en").iterdir()):
        path.unlink()
    (mini / "en").rmdir()


@pytest.mark.render
@pytest.mark.subprocess
def test_stale_copies_a_one_language_handbook_cannot_make_are_to_remove_not_to_make(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    base = ["build", str(mini), "--out", str(out), "--jobs", "1"]
    pdf = [*base, "--format", "pdf"]
    made = runner.invoke(main, [*pdf, "--layout", "facing", "--layout", "parallel"])
    assert made.exit_code == 0, made.output
    english = runner.invoke(main, [*pdf, "--language", "en"])
    assert english.exit_code == 0, english.output
    old = revision_of(mini)
    drop_english(mini)
    now = revision_of(mini)
    folder = out / "handbook"
    older = f"warning: made from older sources (revision {old}; the sources now give {now})"
    remove = f"remove it: booklet clean {mini} --stale --out {out}"
    facing = (
        f"{folder / 'handbook-facing-a5.pdf'}: {older}; its facing layout shows two "
        f"languages, one on each page of a spread, and the handbook now has 1; {remove}"
    )
    one = (
        f"{folder / 'handbook-en-a5.pdf'}: {older}; its language en is no longer in the "
        f"handbook; {remove}"
    )
    gone = (
        f"2 files in {out} can no longer be made from the sources of {mini} (revision {now}); "
        f"remove them: booklet clean {mini} --stale --out {out}"
    )
    plain = runner.invoke(main, [*pdf, "--layout", "interleaved"])
    assert plain.exit_code == 0, plain.output
    assert plain.output.splitlines()[-5:] == [
        one,
        facing,
        f"{folder / 'handbook-parallel-a5.pdf'}: {older}; make it again: booklet build "
        f"{mini} --layout parallel --paper a5 --format pdf --out {out}",
        f"1 file in {out} is older than the sources of {mini} (revision {now}); make it "
        f"current: booklet build {mini} --stale --out {out}",
        gone,
    ]
    remade = runner.invoke(main, [*base, "--stale"])
    assert remade.exit_code == 0, remade.output
    assert "handbook-parallel-a5.pdf (parallel, A5)" in remade.output
    assert remade.output.splitlines()[-3:] == [one, facing, gone]
    assert [s.path.name for s in stale_files(out, "handbook", now)] == [
        "handbook-en-a5.pdf",
        "handbook-facing-a5.pdf",
    ]
    again = runner.invoke(main, [*base, "--stale"])
    assert again.exit_code == 0, again.output
    assert again.output.splitlines()[-3:] == [one, facing, gone]
    cleaned = runner.invoke(main, ["clean", str(mini), "--out", str(out), "--stale"])
    assert cleaned.exit_code == 0, cleaned.output
    assert not (folder / "handbook-facing-a5.pdf").exists()
    assert not (folder / "handbook-en-a5.pdf").exists()
    last = runner.invoke(main, [*base, "--stale"])
    assert last.exit_code == 0, last.output
    assert "older" not in last.output and "no longer" not in last.output, last.output


@pytest.mark.render
@pytest.mark.subprocess
def test_a_printing_sheet_of_facing_booklets_only_is_to_remove_once_one_language_is_left(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    base = ["build", str(mini), "--out", str(out), "--jobs", "1"]
    made = runner.invoke(
        main, [*base, "--format", "pdf", "--layout", "facing", "--impose", "booklet"]
    )
    assert made.exit_code == 0, made.output
    old = revision_of(mini)
    drop_english(mini)
    now = revision_of(mini)
    sheet = out / "handbook" / "handbook-a5-printing.pdf"
    remade = runner.invoke(main, [*base, "--stale"])
    assert remade.exit_code == 0, remade.output
    lines = remade.output.splitlines()
    assert lines[-4] == (
        f"{sheet}: warning: made from older sources (revision {old}; the sources now give "
        f"{now}); none of the booklets it lists can be made again; remove it: booklet clean "
        f"{mini} --stale --out {out}"
    )
    assert lines[-1] == (
        f"3 files in {out} can no longer be made from the sources of {mini} (revision {now}); "
        f"remove them: booklet clean {mini} --stale --out {out}"
    )
    assert "older than the sources" not in remade.output
