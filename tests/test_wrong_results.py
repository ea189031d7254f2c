"""What used to build with exit 0 but wrong, or grind, or give the wrong exit code.

Each test failed before its fix (issue 16); speed is measured in
benchmarks/input_scaling.py, never asserted here.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.cli import main
from booklet.themes.theme import Theme
from tests.conftest import EPOCH, build_quietly, copy_fixture
from tests.test_check import edit, problems


def test_the_spanish_word_todo_is_text_not_a_placeholder(tmp_path: Path, theme: Theme) -> None:
    guide = copy_fixture("es-en", tmp_path) / "guide"
    for word in ("Todo", "TODO"):  # "everything", also as an all-capitals heading
        edit(guide / "en" / "01-embargo.md", "Ask for a copy of the claim.", word)
        assert not any("placeholder" in p for p in problems(guide, theme))
        edit(guide / "en" / "01-embargo.md", word, "Ask for a copy of the claim.")


def test_the_explicit_todo_marker_is_a_placeholder(tmp_path: Path, theme: Theme) -> None:
    guide = copy_fixture("es-en", tmp_path) / "guide"
    edit(guide / "en" / "01-embargo.md", "Ask for a copy of the claim.", "TODO:")
    assert [p for p in problems(guide, theme) if "placeholder" in p] == [
        "guide/en/01-embargo.md:7: warning: translation missing: this is a placeholder; "
        "translate es/01-embargo.md:7"
    ]


def test_a_citation_wrapped_over_two_lines_is_one_citation(mini: Path, theme: Theme) -> None:
    for lang in ("en", "zh-Hans"):
        edit(mini / lang / "01-start.md", "[[demo-code 667]]", "[[demo-code\n667]]")
    assert problems(mini, theme) == []  # re-wrapping is no change, and it still cites
    from booklet.cli.handbooks import parsed
    from booklet.render.documents import render_html

    html = render_html(parsed(mini), theme, "parallel", "a5", None)
    assert "[[" not in html and 'href="#art-demo-code-667--en"' in html


def test_an_unclosed_citation_is_a_located_warning(mini: Path, theme: Theme) -> None:
    edit(mini / "en" / "02-privacy.md", "Collectors may", "See [[demo-code 667. Collectors may")
    assert problems(mini, theme)[0] == (
        'handbook/en/02-privacy.md:3: warning: a citation is opened with "[[" but not closed '
        'with "]]"; write [[law-id article]], e.g. [[prc-civil-code 667]]'
    )


def test_variation_selectors_need_no_glyph(mini: Path, theme: Theme) -> None:
    edit(mini / "en" / "02-privacy.md", "Collectors", "Collectors \u2705\ufe0f \u8fb9\U000e0100")
    found = problems(mini, theme)
    assert not any("U+FE0F" in p or "U+E0100" in p for p in found), found


@pytest.mark.render
def test_the_same_sources_in_two_folders_give_the_same_bytes(
    tmp_path: Path, theme: Theme, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    built = []
    for place in ("one", "two/deeper"):
        guia = copy_fixture("es-fr", tmp_path / place) / "guia"
        outputs = build_quietly(guia, theme, tmp_path / place / "out", layouts=("parallel",))
        built.append({o.path.name: o.path.read_bytes() for o in outputs})
    assert built[0] == built[1]  # the fixture has an image: its name is its content


def test_two_handbooks_of_one_name_are_refused(mini: Path, tmp_path: Path) -> None:
    twin = tmp_path / "elsewhere" / "handbook"
    shutil.copytree(mini, twin)
    shutil.copytree(mini.parent / "laws", twin.parent / "laws")
    result = CliRunner().invoke(main, ["build", str(mini), str(twin), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.output.splitlines()[-2:] == [
        f'Error: {mini} and {twin} are both named "handbook" and would be built into one '
        "folder; rename one of them",
        "Nothing was built; fix the problems above and build again.",
    ]


def test_check_refuses_two_handbooks_of_one_name_too(mini: Path, tmp_path: Path) -> None:
    twin = tmp_path / "elsewhere" / "handbook"
    shutil.copytree(mini, twin)
    shutil.copytree(mini.parent / "laws", twin.parent / "laws")
    result = CliRunner().invoke(main, ["check", str(mini), str(twin)])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f'Error: {mini} and {twin} are both named "handbook" and would be built into one '
        "folder; rename one of them"
    )


@pytest.mark.render
def test_a_symlinked_handbook_is_named_by_its_link(
    mini: Path, tmp_path: Path, theme: Theme
) -> None:
    link = mini.parent / "guide-2026"
    link.symlink_to(mini)
    outputs = build_quietly(link, theme, tmp_path / "out", layouts=(), formats=("epub",))
    assert [o.path.name for o in outputs] == ["guide-2026.epub"]


def test_a_fifo_and_a_symlink_loop_are_located_errors(mini: Path, theme: Theme) -> None:
    os.mkfifo(mini / "en" / "03-pipe.md")
    (mini / "en" / "04-loop.md").symlink_to(mini / "en" / "04-loop.md")
    found = problems(mini, theme)
    assert (
        "handbook/en/03-pipe.md: this is not a regular file (a pipe, a device or a folder); put a text file here"
        in found
    )
    assert (
        "handbook/en/04-loop.md: this file is a symlink that loops; replace it with a file" in found
    )


@pytest.mark.render
def test_an_output_that_is_a_link_or_a_device_is_refused(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "handbook"
    out.mkdir(parents=True)
    (out / "handbook.epub").symlink_to("/dev/null")
    result = CliRunner().invoke(
        main, ["build", str(mini), "--format", "epub", "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert (
        "handbook.epub: cannot write it (a link or a device of that name is in the way)"
        in result.output
    )
    assert (out / "handbook.epub").is_symlink()


@pytest.mark.parametrize("epoch", ["abc", "99999999999", "-1"])
def test_source_date_epoch_out_of_range_is_a_message(
    mini: Path, tmp_path: Path, epoch: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = CliRunner().invoke(
        main, ["build", str(mini), "--format", "epub", "--out", str(tmp_path)]
    )
    assert (result.exit_code, result.output) == (
        1,
        (
            f'Error: SOURCE_DATE_EPOCH="{epoch}" is not a number of seconds since 1970 for a date '
            "from 1980 to 2107; unset it or set it to e.g. 1767225600\n"
        ),
    )


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["build"],
        ["translations", "sync"],
        ["translations", "status"],
        ["translations", "export", "--lang", "en", "-o", "/tmp/x.po"],
    ],
)
def test_a_missing_handbook_folder_is_exit_1_for_every_command(
    tmp_path: Path, command: list[str]
) -> None:
    missing = tmp_path / "nope"
    args = (
        [*command[:2], str(missing), *command[2:]]
        if command[0] == "translations"
        else [*command, str(missing)]
    )
    result = CliRunner().invoke(main, args)
    assert (result.exit_code, result.output) == (1, f"Error: {missing}: no such handbook folder\n")


def test_missing_files_for_import_and_impose_are_exit_1(tmp_path: Path) -> None:
    for args in (
        ["translations", "import", str(tmp_path / "x.po")],
        ["impose", str(tmp_path / "x.pdf")],
    ):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1 and "cannot read it" in result.output, result.output


def test_impose_refuses_to_replace_its_input(tmp_path: Path) -> None:
    pdf = tmp_path / "book.pdf"
    pdf.write_bytes(b"%PDF-1.4 whatever")
    result = CliRunner().invoke(main, ["impose", str(pdf), "-o", str(pdf)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {pdf}: this is the PDF being imposed; write the booklet to another file with -o\n"
    )
    assert pdf.read_bytes() == b"%PDF-1.4 whatever"


def test_an_imported_heading_keeps_its_trailing_hash(mini: Path, tmp_path: Path) -> None:
    import polib

    runner = CliRunner()
    po = tmp_path / "en.po"
    runner.invoke(
        main, ["translations", "export", str(mini), "--lang", "en", "--format", "po", "-o", str(po)]
    )
    catalog = polib.pofile(str(po))
    next(e for e in catalog if e.msgid == "要做的事").msgstr = "What to do in C#"
    catalog.save(str(po))
    result = runner.invoke(main, ["translations", "import", str(po), "--handbook", str(mini)])
    assert result.exit_code == 0, result.output
    from booklet.cli.handbooks import parsed

    handbook = parsed(mini)
    chapter = next(c for c in handbook.chapters if c.name == "01-start.md")
    heading = chapter.versions["en"].blocks[2]
    assert heading.content[0].text == "What to do in C#"  # type: ignore[union-attr]
