"""Containers are part of alignment: a new piece imported into the container its original
is in (callouts, lists, lists in callouts, quotations; at the start, middle and end, and
as a container's first child), in PO and XLIFF; a translation in another container is
reported, and printed once; the printed book holds each translated paragraph once."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.cli import main
from tests.bilingual import (
    CASES,
    CHAPTER,
    DATA,
    add_to_original,
    export_fill_import,
    make_demo,
    parallel_text,
    run,
    snapshot,
)


@pytest.fixture
def demo(runner: CliRunner, tmp_path: Path) -> Path:
    return make_demo(runner, tmp_path)


@pytest.mark.parametrize("kind", ["po", "xlf"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_new_piece_goes_into_its_originals_container(
    runner: CliRunner, demo: Path, tmp_path: Path, case: str, kind: str
) -> None:
    add_to_original(demo, *CASES[case])
    exchange = tmp_path / f"en.{kind}"
    output = export_fill_import(runner, demo, exchange, {"Texto nuevo.": "New text."})
    assert output == (
        f"{exchange}: 1 unit written, 11 unchanged, 0 skipped; 2 files changed in demo (en)\n"
    )
    expected = (DATA / "expected" / f"{case}.md").read_text("utf-8")
    assert (demo / "en" / CHAPTER).read_text("utf-8") == expected
    assert run(runner, "check", "--strict", str(demo)) == f"{demo}: ok\n"
    # Idempotent: the same file again changes nothing, the lock included.
    before = snapshot(demo)
    assert run(runner, "translations", "import", str(exchange), "--handbook", str(demo)) == (
        f"{exchange}: 0 units written, 12 unchanged, 0 skipped; 0 files changed in demo (en)\n"
    )
    assert snapshot(demo) == before


@pytest.mark.subprocess
def test_a_translation_in_another_container_is_reported_and_printed_once(
    runner: CliRunner, demo: Path, tmp_path: Path
) -> None:
    """What booklet's import used to do: the paragraph after a callout, translated inside
    it (before its closing fence)."""
    add_to_original(demo, *CASES["after-callout"])
    english = demo / "en" / CHAPTER
    english.write_text(
        english.read_text("utf-8").replace("- Point two\n:::", "- Point two\n\nNew text.\n:::"),
        "utf-8",
    )
    run(runner, "translations", "sync", str(demo))
    result = runner.invoke(main, ["check", "--strict", str(demo)])
    assert result.exit_code == 1
    assert result.output == (
        f"{english}:13: warning: out of place: this paragraph is in the warning callout at "
        "line 5, but its original es/01-getting-started.md:14 is at the top level of the "
        "chapter; move it there, so both languages hold it in the same place\n"
        f"Error: 1 problem in {demo}\n"
    )
    # Printed once, where it is (in the callout), not a second time beside its original.
    words = parallel_text(runner, demo, tmp_path / "out")
    assert words.count("New text.") == 1
    assert words.count("Texto nuevo.") == 2  # the original, and in its translation's place


def test_an_item_in_another_callout_is_reported(runner: CliRunner, demo: Path) -> None:
    """An item moved into another callout's list after it was recorded: still paired by
    the lock, and reported where it is and where it belongs."""
    for lang, text in (
        ("es", "::: note\nNota.\n\n- Punto nota\n:::\n"),
        ("en", "::: note\nNote.\n\n- Note point\n:::\n"),
    ):
        path = demo / lang / CHAPTER
        path.write_text(path.read_text("utf-8") + "\n" + text, "utf-8")
    run(runner, "translations", "sync", str(demo))
    english = demo / "en" / CHAPTER
    text = english.read_text("utf-8").replace("- Point two\n", "- Point two\n- Note point\n")
    english.write_text(text.replace("Note.\n\n- Note point\n", "Note.\n"), "utf-8")
    result = runner.invoke(main, ["check", str(demo)])
    assert result.exit_code == 0
    assert result.output == (
        f"{english}:12: warning: out of place: this item is in the list at line 10 (in the "
        "warning callout at line 5), but its original es/01-getting-started.md:26 is in the "
        "list at line 26 (in the note callout at line 23), translated by the note callout at "
        "line 24; move it there, so both languages hold it in the same place\n"
        f"{demo}: ok (1 warning)\n"
    )


@pytest.mark.subprocess
def test_each_translated_paragraph_is_printed_once(
    runner: CliRunner, demo: Path, tmp_path: Path
) -> None:
    """Every case at once, in one file; then a real build of the parallel layout."""
    targets = {}
    cases = [
        "callout-start",
        "callout-middle",
        "callout-end",
        "after-callout",
        "inner-list-middle",
        "list-start",
        "list-end",
        "quote-start",
        "quote-end",
        "chapter-end",
    ]
    for number, case in enumerate(cases):
        before, after = CASES[case]
        spanish = f"Texto nuevo {number}."
        add_to_original(demo, before, after.replace("Texto nuevo.", spanish))
        targets[spanish] = f"New text {number}."
    exchange = tmp_path / "en.po"
    output = export_fill_import(runner, demo, exchange, targets)
    assert output.startswith(f"{exchange}: {len(targets)} units written, 11 unchanged")
    assert run(runner, "check", "--strict", str(demo)) == f"{demo}: ok\n"
    words = parallel_text(runner, demo, tmp_path / "out")
    for spanish, english in targets.items():
        assert words.count(english) == 1, english
        assert words.count(spanish) == 1, spanish


def test_a_container_of_another_style_is_not_out_of_place(runner: CliRunner, demo: Path) -> None:
    """A warning translated as a note, a bulleted list as a numbered one: a choice of
    style, not another place."""
    english = demo / "en" / CHAPTER
    text = english.read_text("utf-8").replace("::: warning", "::: note")
    english.write_text(text.replace("- List one\n- List two", "1. List one\n2. List two"), "utf-8")
    assert run(runner, "check", "--strict", str(demo)) == f"{demo}: ok\n"
