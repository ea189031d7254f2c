"""The mistakes a newcomer makes in a fresh handbook (`booklet new`), each reported once,
at its own line, with the fix: `booklet check` output and exit code, exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.cli import main

CHAPTER = "sources/g/en/01-getting-started.md"


@pytest.fixture
def starter(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["new", "g", "--languages", "es,en"]).exit_code == 0
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check(runner: CliRunner) -> tuple[int, list[str]]:
    result = runner.invoke(main, ["check"])
    return result.exit_code, result.output.splitlines()


def test_utf16_chapter_is_named_with_no_follow_up(runner: CliRunner, starter: Path) -> None:
    chapter = starter / CHAPTER
    chapter.write_bytes(chapter.read_text(encoding="utf-8").encode("utf-16"))
    assert check(runner) == (
        1,
        [
            f"{CHAPTER}: this file is saved as UTF-16 ('Unicode' in Notepad); save it as UTF-8 "
            "(in Notepad: File > Save as, Encoding: UTF-8)",
            "Error: 1 problem in sources/g",
        ],
    )
    chapter.write_bytes(chapter.read_text(encoding="utf-16").encode("utf-16-le"))  # no BOM
    assert check(runner)[1][0].endswith(
        "this file is saved as UTF-16 ('Unicode' in Notepad); "
        "save it as UTF-8 (in Notepad: File > Save as, Encoding: UTF-8)"
    )


def test_a_statute_that_fails_to_read_causes_no_cascade(runner: CliRunner, starter: Path) -> None:
    with (starter / "sources/laws/example-act.toml").open("a", encoding="utf-8") as file:
        file.write("title = [\n")
    code, lines = check(runner)
    assert code == 1
    assert len(lines) == 2 and lines[0].startswith("sources/laws/example-act.toml")
    assert "registry" not in "\n".join(lines)


def test_unclosed_callout_is_reported_at_its_opening_line(runner: CliRunner, starter: Path) -> None:
    chapter = starter / CHAPTER
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text[: text.rindex(":::")] + "\n## After\n", encoding="utf-8")
    assert check(runner) == (
        1,
        [
            f"{CHAPTER}:22: this ::: warning callout is not closed; add a line ::: where it ends",
            "Error: 1 problem in sources/g",
        ],
    )


def test_tab_indented_list_is_named_as_tabs(runner: CliRunner, starter: Path) -> None:
    edit(starter / CHAPTER, "- The letter", "\t- The letter")
    code, lines = check(runner)
    assert code == 1
    assert lines[0] == (
        f"{CHAPTER}:9: this line starts with a tab, which Markdown reads as a code block; "
        "remove the tab (a list item starts with - at the beginning of the line)"
    )
    assert "code blocks are not supported" not in "\n".join(lines)


def test_a_near_miss_folder_is_one_rename(runner: CliRunner, starter: Path) -> None:
    (starter / "sources/g/en").rename(starter / "sources/g/eng")
    assert check(runner) == (
        1,
        [
            'sources/g/eng: folder "eng" holds the chapters but the language in handbook.toml '
            'is "en"; rename eng to en',
            "Error: 1 problem in sources/g",
        ],
    )


def test_did_you_mean_ignores_case(runner: CliRunner, starter: Path) -> None:
    law = starter / "sources/laws/example-act.toml"
    edit(law, "[articles.1]", "[articles.132a]")
    for lang in ("es", "en"):
        edit(
            starter / f"sources/g/{lang}/01-getting-started.md",
            "[[example-act 1]]",
            "[[example-act 132A]]",
        )
    code, lines = check(runner)
    assert code == 1
    assert (
        'sources/g/es/01-getting-started.md:5: [[example-act 132A]]: "example-act" has no article "132A" (did you '
        'mean "132a"?); add it to sources/laws/example-act.toml or correct the citation'
    ) in lines


def test_every_contact_and_next_review_at_its_own_line(runner: CliRunner, starter: Path) -> None:
    manifest = starter / "sources/g/handbook.toml"
    edit(manifest, "next_review = ", "next_review = 2020-01-01 #")
    with manifest.open("a", encoding="utf-8") as file:
        file.write('\n[[contact]]\nphone = "abc"\n[contact.label]\nes = "Otra"\n')
    assert check(runner) == (
        1,
        [
            'sources/g/handbook.toml:71: phone "abc" is not a number a phone can dial; write '
            'digits, with spaces, -, ( and ) between them and + only at the start, e.g. "+1 555 0100"',
            'sources/g/handbook.toml:72: "contact.label" has no text for "en"; add en = "..."',
            "sources/g/handbook.toml:33: warning: next_review 2020-01-01 has passed; have the "
            "handbook reviewed against the current law, then set a new next_review date",
            "Error: 3 problems in sources/g",
        ],
    )


def test_silent_mistakes_are_warnings(runner: CliRunner, starter: Path) -> None:
    chapter = starter / CHAPTER
    edit(chapter, "- [ ] I have read", "- [x] I have read")
    edit(chapter, "- [ ] I have kept", "- [] I have kept")
    edit(
        chapter,
        "([[example-act 1]])",
        "([[example-act 1]]), see [example-act 1] and the Example Act [[example-act 1]]",
    )
    result = runner.invoke(main, ["check", "--quiet"])
    assert result.exit_code == 0
    assert [line for line in result.output.splitlines() if "cites" not in line] == [
        f'{CHAPTER}:5: warning: "[example-act 1]" looks like a citation but has single '
        "brackets, so it prints as written; write [[example-act 1]]",
        f'{CHAPTER}:14: warning: "- [x]" prints an already ticked box, which a reader cannot '
        'tick; write "- [ ]" for a box to tick',
        f'{CHAPTER}:15: warning: "- []" is not a check box and prints as "[]"; write "- [ ]" '
        "with a space between the brackets",
        f'{CHAPTER}:5: warning: "Example Act" is written beside [[example-act 1]], which '
        "prints the law's name itself; remove the name so it is not printed twice",
    ]
