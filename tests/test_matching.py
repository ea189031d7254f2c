"""Imports match units as gettext does: by id, else by the original's text; files through
translate-toolkit's converters and gettext's msgmerge."""

import subprocess
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from translate.storage import xliff

from booklet.cli import main
from tests.bilingual import (
    CASES,
    CHAPTER,
    DATA,
    add_to_original,
    make_demo,
    readers_accept,
    run,
    tool,
)


@pytest.fixture
def demo(runner: CliRunner, tmp_path: Path) -> Path:
    return make_demo(runner, tmp_path)


@pytest.mark.subprocess
def test_an_xliff_that_lost_its_ids_imports_by_text(
    runner: CliRunner, demo: Path, tmp_path: Path
) -> None:
    """Through xliff2po and po2xliff, ids become "2", "3"... and the file is named after
    the PO file: units are matched by their original's text, exact or normalised."""
    add_to_original(demo, *CASES["after-callout"])
    exported, po, back = tmp_path / "en.xlf", tmp_path / "en.po", tmp_path / "back.xlf"
    run(runner, "translations", "export", str(demo), "--lang", "en", "-o", str(exported))
    tool("xliff2po", str(exported), str(po))
    catalog = polib.pofile(str(po))
    for entry in catalog:
        if entry.msgid == "Texto nuevo.":
            entry.msgstr = "New text."
        if entry.msgid == "Aviso uno.":
            entry.msgid = " Aviso  uno. "  # spaced differently: matched once normalised
    catalog.save()
    tool("po2xliff", str(po), str(back))
    assert 'id="3"' in back.read_text("utf-8")
    output = run(
        runner, "translations", "import", str(back), "--handbook", str(demo), "--lang", "en"
    )
    assert output == (
        f"{back}: 1 unit written, 11 unchanged, 0 skipped; 2 files changed in demo (en); "
        "matched 0 by id, 11 by original text, 1 by normalised text (ids missing or not "
        "booklet's)\n"
    )
    expected = (DATA / "expected" / "after-callout.md").read_text("utf-8")
    assert (demo / "en" / CHAPTER).read_text("utf-8") == expected


def test_a_file_from_which_nothing_matches_is_refused(
    runner: CliRunner, demo: Path, tmp_path: Path
) -> None:
    store = xliff.xlifffile(sourcelanguage="th", targetlanguage="en")
    for number, text in ((74, "ข้อความหนึ่ง"), (76, "ข้อความสอง")):
        unit = store.addsourceunit(text)
        unit.setid(str(number))
        unit.target = "Text"
    foreign = tmp_path / "tenant-th.xlf"
    foreign.write_bytes(bytes(store))
    result = runner.invoke(main, ["translations", "import", str(foreign), "--handbook", str(demo)])
    assert result.exit_code == 1
    assert result.output == (
        f'Error: {foreign}: 2 ids are not units of demo, e.g. "74": was this file made by '
        "`booklet translations export`?\n"
    )


@pytest.mark.subprocess
def test_msgmerge_and_pocount_read_the_export_and_booklet_reads_msgmerge(
    runner: CliRunner, demo: Path, tmp_path: Path
) -> None:
    """The translator's old file merged by gettext's msgmerge with the new export: the
    changed original comes back fuzzy with its previous text, and imports as stale."""
    old, new, merged = tmp_path / "old.po", tmp_path / "new.po", tmp_path / "merged.po"
    run(
        runner,
        "translations",
        "export",
        str(demo),
        "--lang",
        "en",
        "--format",
        "po",
        "-o",
        str(old),
    )
    add_to_original(demo, "Aviso uno.", "Aviso uno, ahora.")
    run(
        runner,
        "translations",
        "export",
        str(demo),
        "--lang",
        "en",
        "--format",
        "po",
        "-o",
        str(new),
    )
    subprocess.run(
        ["msgmerge", "--quiet", "--previous", "-o", str(merged), str(old), str(new)], check=True
    )
    entry = next(e for e in polib.pofile(str(merged)) if e.msgid == "Aviso uno, ahora.")
    assert entry.fuzzy and entry.msgstr == "Warning one."
    readers_accept(merged)
    tool("pocount", str(merged))
    output = run(runner, "translations", "import", str(merged), "--handbook", str(demo))
    assert output == (
        f"{merged}: 0 units written, 10 unchanged, 0 skipped, 1 still marked for review "
        f"(recorded as not yet current); 0 files changed in demo (en)\n"
    )
