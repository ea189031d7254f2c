"""Containers are part of alignment: a new piece imported into the container its original
is in (callouts, lists, lists in callouts, quotations; at the start, middle and end, and
as a container's first child), in PO and XLIFF; a translation in another container is
reported; the printed book holds each translated paragraph once."""

import subprocess
import sys
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from translate.storage import xliff

from booklet.cli import main

DATA = Path(__file__).parent / "data" / "containers"
CHAPTER = "01-getting-started.md"

# case -> (the original's text before, after): each adds "Texto nuevo." somewhere.
CASES = {
    "callout-start": ("::: warning\nAviso uno.", "::: warning\nTexto nuevo.\n\nAviso uno."),
    "callout-middle": ("Aviso uno.\n\nAviso dos.", "Aviso uno.\n\nTexto nuevo.\n\nAviso dos."),
    "callout-end": ("- Punto dos\n:::", "- Punto dos\n\nTexto nuevo.\n:::"),
    "after-callout": (":::\n\n- Lista uno", ":::\n\nTexto nuevo.\n\n- Lista uno"),
    "callout-first-child": ("::: warning\nAviso uno.", "::: warning\n- Texto nuevo.\n\nAviso uno."),
    "inner-list-start": ("- Punto uno", "- Texto nuevo.\n- Punto uno"),
    "inner-list-middle": ("- Punto uno\n- Punto dos", "- Punto uno\n- Texto nuevo.\n- Punto dos"),
    "inner-list-end": ("- Punto dos\n:::", "- Punto dos\n- Texto nuevo.\n:::"),
    "list-start": ("- Lista uno", "- Texto nuevo.\n- Lista uno"),
    "list-middle": ("- Lista uno\n- Lista dos", "- Lista uno\n- Texto nuevo.\n- Lista dos"),
    "list-end": ("- Lista dos\n", "- Lista dos\n- Texto nuevo.\n"),
    "quote-start": ("> Cita uno.", "> Texto nuevo.\n>\n> Cita uno."),
    "quote-end": ("> Cita dos.", "> Cita dos.\n>\n> Texto nuevo."),
    "chapter-end": ("Último párrafo.\n", "Último párrafo.\n\nTexto nuevo.\n"),
}


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(main, list(args))
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def demo(runner: CliRunner, tmp_path: Path) -> Path:
    """A Spanish/English handbook whose chapter has a callout (paragraphs and a list), a
    list and a quotation; its translations recorded as current."""
    run(runner, "new", "demo", "--languages", "es,en", "--in", str(tmp_path / "sources"))
    folder = tmp_path / "sources" / "demo"
    for lang in ("es", "en"):
        (folder / lang / CHAPTER).write_text((DATA / f"{lang}.md").read_text("utf-8"), "utf-8")
    run(runner, "translations", "sync", str(folder))
    return folder


def add_to_original(folder: Path, before: str, after: str) -> None:
    path = folder / "es" / CHAPTER
    text = path.read_text("utf-8")
    assert text.count(before) == 1
    path.write_text(text.replace(before, after), "utf-8")


def fill(exchange: Path, targets: dict[str, str]) -> None:
    """What a translator's tool does: fill the targets of the new units."""
    if exchange.suffix == ".po":
        catalog = polib.pofile(str(exchange))
        for entry in catalog:
            entry.msgstr = targets.get(entry.msgid, entry.msgstr)
        catalog.save()
        return
    store = xliff.xlifffile.parsefile(str(exchange))
    for unit in store.units:
        if unit.source in targets:
            unit.target = targets[unit.source]
    exchange.write_bytes(bytes(store))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def export_fill_import(
    runner: CliRunner, folder: Path, exchange: Path, targets: dict[str, str]
) -> str:
    kind = "po" if exchange.suffix == ".po" else "xliff"
    run(
        runner,
        "translations",
        "export",
        str(folder),
        "--lang",
        "en",
        "--format",
        kind,
        "-o",
        str(exchange),
    )
    fill(exchange, targets)
    return run(runner, "translations", "import", str(exchange), "--handbook", str(folder))


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


def parallel_text(runner: CliRunner, folder: Path, out: Path) -> str:
    """The words of the parallel PDF, as poppler extracts them."""
    run(runner, "build", str(folder), "--layout", "parallel", "--format", "pdf", "--out", str(out))
    pdf = out / folder.name / f"{folder.name}-parallel-a5.pdf"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


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


# ---------------------------------------------------------------- matching as gettext does


def tool(name: str, *args: str) -> None:
    """A translate-toolkit converter, from the virtual environment's bin."""
    subprocess.run(
        [str(Path(sys.executable).parent / name), *args], check=True, capture_output=True
    )


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


# ---------------------------------------------------------------- obsolete entries


def readers_accept(po: Path) -> None:
    """gettext's msgfmt --check and translate-toolkit's pofilter read the file."""
    checked = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    assert "error" not in checked.stderr
    tool("pofilter", str(po), str(po.with_suffix(".filtered.po")))


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


def unit_ids(folder: Path) -> dict[str, str]:
    """Original text -> unit id, as translations.lock records them."""
    from booklet.cli.handbooks import parsed

    record = parsed(folder).record
    assert record is not None
    return {
        record.texts[unit.hashes["es"]]: unit.id
        for units in record.chapters.values()
        for unit in units
        if unit.hashes.get("es") in record.texts
    }


# ---------------------------------------------------------------- the translation memory

THREAT = "Si alguien te amenaza con violencia, llama a la policía de inmediato."
THREAT_EN = "If someone threatens you with violence, call the police at once."
REWORDED = "Si alguien te amenaza con violencia, llama a la policía enseguida."


def with_threat(runner: CliRunner, folder: Path) -> None:
    """A paragraph and its translation, recorded as current."""
    for lang, text in (("es", THREAT), ("en", THREAT_EN)):
        path = folder / lang / CHAPTER
        path.write_text(path.read_text("utf-8") + f"\n{text}\n", "utf-8")
    run(runner, "translations", "sync", str(folder))


def add_note(folder: Path, text: str) -> None:
    path = folder / "es" / CHAPTER
    path.write_text(path.read_text("utf-8") + f"\n::: note\n{text}\n:::\n", "utf-8")


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
