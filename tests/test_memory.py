"""Translations not thrown away: obsolete entries for deleted originals, and the
translation memory's fuzzy suggestions for new units."""

from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from translate.storage import xliff

from booklet.cli import main
from tests.bilingual import (
    CHAPTER,
    REWORDED,
    THREAT,
    THREAT_EN,
    add_note,
    add_to_original,
    make_demo,
    readers_accept,
    run,
    snapshot,
    unit_ids,
    with_threat,
)


@pytest.fixture
def demo(runner: CliRunner, tmp_path: Path) -> Path:
    return make_demo(runner, tmp_path)


@pytest.mark.subprocess
@pytest.mark.parametrize("kind", ["po", "xlf"])
def test_a_translation_whose_original_was_deleted_is_exported_obsolete(
    runner: CliRunner, demo: Path, tmp_path: Path, kind: str
) -> None:
    add_to_original(demo, "Aviso uno.\n\nAviso dos.", "Aviso uno.")
    run(runner, "translations", "sync", str(demo))  # the lock keeps it, and its original
    exchange = tmp_path / f"en.{kind}"
    output = run(
        runner,
        "translations",
        "export",
        str(demo),
        "--lang",
        "en",
        "--format",
        "po" if kind == "po" else "xliff",
        "-o",
        str(exchange),
    )
    assert output == (
        f"{exchange}: 10 units from es to en, 0 to translate or review, 1 obsolete (original "
        "deleted) kept for reuse\n"
    )
    text = exchange.read_text("utf-8")
    warning = unit_ids(demo)["Aviso dos."]
    if kind == "po":
        assert text.endswith(
            f'\n\n#~ msgctxt "{CHAPTER}#{warning}"\n#~ msgid "Aviso dos."\n'
            '#~ msgstr "Warning two."\n'
        )
        readers_accept(exchange)
        assert [e.msgid for e in polib.pofile(str(exchange)).obsolete_entries()] == ["Aviso dos."]
    else:
        assert (
            f'<trans-unit xml:space="preserve" id="{CHAPTER}#{warning}" approved="no" '
            'translate="no">\n        <source>Aviso dos.</source>\n        <target '
            'state="x-obsolete">Warning two.</target>'
        ) in text
    before = snapshot(demo)
    assert run(runner, "translations", "import", str(exchange), "--handbook", str(demo)) == (
        f"{exchange}: 0 units written, 10 unchanged, 0 skipped; 0 files changed in demo (en)\n"
    )
    assert snapshot(demo) == before


@pytest.mark.subprocess
def test_a_new_unit_like_one_translated_gets_a_fuzzy_suggestion(
    runner: CliRunner, demo: Path, tmp_path: Path
) -> None:
    with_threat(runner, demo)
    add_note(demo, REWORDED)
    po, xlf = tmp_path / "en.po", tmp_path / "en.xlf"
    output = run(
        runner, "translations", "export", str(demo), "--lang", "en", "--format", "po", "-o", str(po)
    )
    assert output == (
        f"{po}: 13 units from es to en, 1 to translate or review, 1 with a suggestion of the "
        "translation memory\n"
    )
    threat = unit_ids(demo)[THREAT]
    entry = next(e for e in polib.pofile(str(po)) if e.msgid == REWORDED)
    assert entry.comment == (
        "chapter 01-getting-started.md, line 26: a paragraph in a note callout; a suggestion "
        f"of the translation memory, 92% like the original of {CHAPTER}#{threat}: review it"
    )
    assert entry.fuzzy and entry.previous_msgid == THREAT
    assert entry.msgstr == THREAT_EN
    readers_accept(po)
    run(runner, "translations", "export", str(demo), "--lang", "en", "-o", str(xlf))
    unit = next(u for u in xliff.xlifffile.parsefile(str(xlf)).units if u.source == REWORDED)
    assert unit.target == THREAT_EN
    assert unit.xmlelement.get("approved") == "no"
    target = unit.xmlelement.find("{urn:oasis:names:tc:xliff:document:1.1}target")
    assert target.get("state") == "needs-review-translation"
    # Sent back untouched, the suggestion is never recorded as current.
    output = run(runner, "translations", "import", str(po), "--handbook", str(demo))
    assert "1 still marked for review (recorded as not yet current)" in output
    result = runner.invoke(main, ["check", "--strict", str(demo)])
    assert result.exit_code == 1
    assert "warning: translation is stale: es/01-getting-started.md:26" in result.output


def test_a_suggestion_that_breaks_an_approved_term_is_not_offered(
    runner: CliRunner, demo: Path, tmp_path: Path
) -> None:
    with_threat(runner, demo)
    (demo / "glossary.toml").write_text(
        '[[term]]\nes = "policía"\nen = ["law enforcement"]\n', "utf-8"
    )
    add_note(demo, REWORDED)
    po = tmp_path / "en.po"
    output = run(
        runner, "translations", "export", str(demo), "--lang", "en", "--format", "po", "-o", str(po)
    )
    assert output == f"{po}: 13 units from es to en, 1 to translate or review\n"
    entry = next(e for e in polib.pofile(str(po)) if e.msgid == REWORDED)
    assert entry.msgstr == "" and not entry.fuzzy


@pytest.mark.subprocess
def test_a_deleted_paragraph_reworded_elsewhere_is_offered_again(
    runner: CliRunner, demo: Path, tmp_path: Path
) -> None:
    with_threat(runner, demo)
    threat = unit_ids(demo)[THREAT]
    add_to_original(demo, f"\n{THREAT}\n", "")
    run(runner, "translations", "sync", str(demo))
    add_to_original(demo, "# Guía\n", f"# Guía\n\n::: note\n{REWORDED}\n:::\n")
    po = tmp_path / "en.po"
    output = run(
        runner, "translations", "export", str(demo), "--lang", "en", "--format", "po", "-o", str(po)
    )
    assert output == (
        f"{po}: 12 units from es to en, 1 to translate or review, 1 with a suggestion of the "
        "translation memory, 1 obsolete (original deleted) kept for reuse\n"
    )
    text = po.read_text("utf-8")
    assert (
        f"a suggestion of the translation memory, 92% like the original of {CHAPTER}#{threat} "
        "(deleted since): review it\n"
        f'#, fuzzy\n#| msgid "{THREAT}"\n'
    ) in text
    assert text.endswith(
        f'#~ msgctxt "{CHAPTER}#{threat}"\n#~ msgid "{THREAT}"\n#~ msgstr "{THREAT_EN}"\n'
    )
    readers_accept(po)


def test_sibling_handbooks_feed_the_memory(runner: CliRunner, demo: Path, tmp_path: Path) -> None:
    run(runner, "new", "other", "--languages", "es,en", "--in", str(demo.parent))
    with_threat(runner, demo.parent / "other")
    add_note(demo, REWORDED)
    po = tmp_path / "en.po"
    run(
        runner, "translations", "export", str(demo), "--lang", "en", "--format", "po", "-o", str(po)
    )
    entry = next(e for e in polib.pofile(str(po)) if e.msgid == REWORDED)
    assert entry.msgstr == THREAT_EN and entry.fuzzy
    assert "92% like the original of other: 01-getting-started.md#" in entry.comment


def test_a_deleted_pieces_lock_line_is_not_taken_for_a_new_piece_edited_in_place(
    runner: CliRunner, demo: Path, tmp_path: Path
) -> None:
    """The lock keeps a deleted piece's line (`deleted ...`) at the end of its chapter; a
    new piece at the end is new (missing, with a suggestion), not that piece reworded."""
    with_threat(runner, demo)
    add_to_original(demo, f"\n{THREAT}\n", "")
    output = run(runner, "translations", "sync", str(demo))
    assert output.endswith("recorded, and 1 translation whose original was deleted\n")
    lock = (demo / "translations.lock").read_text("utf-8")
    assert f"\ndeleted {CHAPTER} {unit_ids(demo)[THREAT]} paragraph es=" in lock
    add_note(demo, REWORDED)
    result = runner.invoke(main, ["check", str(demo)])
    assert "out of place" not in result.output and "stale" not in result.output
    assert "has a note callout that this file lacks" in result.output
    po = tmp_path / "en.po"
    run(
        runner, "translations", "export", str(demo), "--lang", "en", "--format", "po", "-o", str(po)
    )
    entry = next(e for e in polib.pofile(str(po)) if e.msgid == REWORDED)
    assert entry.fuzzy and entry.msgstr == THREAT_EN and entry.previous_msgid == THREAT


def test_a_deleted_paragraph_written_again_in_its_place_is_its_translation_stale(
    runner: CliRunner, demo: Path, tmp_path: Path
) -> None:
    """Deleted, synced, then written again in other words where it was: its old
    translation is paired with it, stale, with the original it was made from (it was
    taken for current)."""
    with_threat(runner, demo)
    add_to_original(demo, f"\n{THREAT}\n", "")
    run(runner, "translations", "sync", str(demo))
    path = demo / "es" / CHAPTER
    path.write_text(path.read_text("utf-8") + f"\n{REWORDED}\n", "utf-8")
    result = runner.invoke(main, ["check", str(demo)])
    assert "warning: translation is stale: es/01-getting-started.md:23" in result.output
    po = tmp_path / "en.po"
    run(
        runner, "translations", "export", str(demo), "--lang", "en", "--format", "po", "-o", str(po)
    )
    entry = next(e for e in polib.pofile(str(po)) if e.msgid == REWORDED)
    assert entry.fuzzy and entry.msgstr == THREAT_EN and entry.previous_msgid == THREAT
