"""XLIFF and PO exchange: round trips, one edited unit, refusals, and the libraries reading back."""

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from translate.storage import xliff

from booklet.cli import main
from tests.test_check import edit


def snapshot(*folders: Path) -> dict[str, bytes]:
    return {
        str(p): p.read_bytes()
        for folder in folders
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def export(runner: CliRunner, folder: Path, exchange: Path, kind: str = "xliff") -> str:
    return run(runner, "translations", "export", str(folder), "--lang", "en", "--format", kind,
               "-o", str(exchange))  # fmt: skip


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def synced(runner: CliRunner, mini: Path) -> Path:
    run(runner, "translations", "sync", str(mini))
    return mini


@pytest.mark.parametrize("kind", ["xliff", "po"])
def test_export_then_import_unchanged_is_byte_identical(
    runner: CliRunner, synced: Path, tmp_path: Path, kind: str
) -> None:
    edit(
        synced / "zh-Hans" / "01-start.md", "借款合同是有法律依据的", "借款合同受法律保护"
    )  # one stale unit
    exchange = tmp_path / f"en.{kind}"
    assert (
        run(
            runner,
            "translations",
            "export",
            str(synced),
            "--lang",
            "en",
            "--format",
            kind,
            "-o",
            str(exchange),
        )
        == f"{exchange}: 14 units from zh-Hans to en, 1 to translate or review\n"
    )
    before = snapshot(synced, synced.parent / "laws")
    assert run(runner, "translations", "import", str(exchange), "--handbook", str(synced)) == (
        f"{exchange}: 0 translations changed in 0 files of handbook (en)\n"
    )
    assert snapshot(synced, synced.parent / "laws") == before


def test_xliff_reads_back_with_translate_toolkit(
    runner: CliRunner, synced: Path, tmp_path: Path
) -> None:
    edit(synced / "zh-Hans" / "01-start.md", "借款合同是有法律依据的", "借款合同受法律保护")
    edit(synced / "en" / "01-start.md", "- Ask for a new repayment date.", "- TODO")
    exchange = tmp_path / "en.xlf"
    export(runner, synced, exchange)
    store = xliff.xlifffile.parsestring(exchange.read_bytes())
    assert store.getsourcelanguage() == "zh-Hans" and store.gettargetlanguage() == "en"
    units = {u.xmlelement.get("id"): u for u in store.units}
    assert len(units) == 14
    stale = units["01-start.md#2"]
    assert stale.source == "借款合同受法律保护（见[[demo-code 667]]）。"
    assert stale.target == "A loan contract has a legal basis (see [[demo-code 667]])."
    assert stale.get_state_n() == stale.statemap["needs-review-translation"]
    assert (
        units["01-start.md#4.2"].target == ""
        and units["01-start.md#4.2"].get_state_n() == stale.statemap["new"]
    )
    assert units["01-start.md#1"].get_state_n() == stale.statemap["translated"]
    assert "chapter 01-start.md, block 2 (paragraph)" in stale.getnotes()
    assert units["demo-code:668"].source.count("\n\n") == 1


def test_po_reads_back_with_polib_and_msgfmt(
    runner: CliRunner, synced: Path, tmp_path: Path
) -> None:
    edit(synced / "zh-Hans" / "01-start.md", "借款合同是有法律依据的", "借款合同受法律保护")
    exchange = tmp_path / "en.po"
    export(runner, synced, exchange, "po")
    catalog = polib.pofile(str(exchange))
    assert catalog.metadata["Language"] == "en"
    entry = next(e for e in catalog if e.msgctxt == "01-start.md#2")
    assert entry.fuzzy and entry.msgstr.startswith("A loan contract has a legal basis")
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(exchange)], check=True)


def test_edit_one_target_changes_only_that_block(
    runner: CliRunner, synced: Path, tmp_path: Path
) -> None:
    edit(synced / "zh-Hans" / "01-start.md", "借款合同是有法律依据的", "借款合同受法律保护")
    assert runner.invoke(main, ["check", "--strict", str(synced)]).exit_code == 1
    exchange = tmp_path / "en.xlf"
    export(runner, synced, exchange)
    edit(exchange, "A loan contract has a legal basis", "A loan contract is protected by law")
    before = (synced / "en" / "01-start.md").read_text(encoding="utf-8")
    assert run(runner, "translations", "import", str(exchange), "--handbook", str(synced)) == (
        f"{exchange}: 1 translations changed in 1 files of handbook (en)\n"
    )
    after = (synced / "en" / "01-start.md").read_text(encoding="utf-8")
    assert after == before.replace(
        "A loan contract has a legal basis", "A loan contract is protected by law"
    )
    assert runner.invoke(main, ["check", "--strict", str(synced)]).exit_code == 0
    status = run(runner, "translations", "status", str(synced))
    assert "en: 12 current, 0 stale, 0 missing (100.0% translated); 0 words to translate" in status


def test_import_writes_a_translated_article_into_the_statute_file(
    runner: CliRunner, synced: Path, tmp_path: Path
) -> None:
    laws = synced.parent / "laws" / "demo-code.toml"
    edit(laws, '"自然人享有隐私权。"', '"自然人享有隐私权，受法律保护。"')
    exchange = tmp_path / "en.po"
    export(runner, synced, exchange, "po")
    catalog = polib.pofile(str(exchange))
    entry = next(e for e in catalog if e.msgctxt == "demo-code:1032")
    entry.msgstr = "Natural persons enjoy the right to privacy, which the law protects."
    entry.flags.remove("fuzzy")
    catalog.save(str(exchange))
    run(runner, "translations", "import", str(exchange), "--handbook", str(synced))
    assert (
        'en = "Natural persons enjoy the right to privacy, which the law protects."'
        in laws.read_text(encoding="utf-8")
    )
    assert runner.invoke(main, ["check", "--strict", str(synced)]).exit_code == 0


def test_import_refuses_units_that_would_break_blocks(
    runner: CliRunner, synced: Path, tmp_path: Path
) -> None:
    exchange = tmp_path / "en.xlf"
    export(runner, synced, exchange)
    edit(
        exchange,
        '<target state="translated">Talk first</target>',
        '<target state="translated">## Talk first</target>',
    )
    edit(
        exchange,
        "Say that you are willing to repay.</target>",
        "Say that you are willing to repay [[demo-code 668]].</target>",
    )
    edit(exchange, "Keep recordings of calls.</target>", "Keep recordings\n\nof calls.</target>")
    edit(exchange, 'id="02-privacy.md#1"', 'id="09-gone.md#1"')
    before = snapshot(synced, synced.parent / "laws")
    result = runner.invoke(
        main, ["translations", "import", str(exchange), "--handbook", str(synced)]
    )
    assert result.exit_code == 1
    lines = [line.replace(str(exchange), "en.xlf") for line in result.output.splitlines()]
    assert lines == [
        'en.xlf:5: unit "01-start.md#1": its translation starts with Markdown that would change '
        "the kind of block ('## '); remove it",
        'en.xlf:20: unit "01-start.md#4.1": its translation must keep the citations of the original '
        "(none), but has [[demo-code 668]]",
        'en.xlf:35: unit "01-start.md#5.2": its translation has a blank line, which would split '
        "the block in two; join it",
        'en.xlf:47: unit "09-gone.md#1" no longer exists in handbook; export again and translate '
        "the new file",
        "Error: 4 problems in en.xlf",
    ]
    assert snapshot(synced, synced.parent / "laws") == before


def test_import_refuses_a_source_changed_since_the_export(
    runner: CliRunner, synced: Path, tmp_path: Path
) -> None:
    exchange = tmp_path / "en.xlf"
    export(runner, synced, exchange)
    edit(exchange, "A loan contract has a legal basis", "A loan contract is protected by law")
    edit(synced / "zh-Hans" / "01-start.md", "借款合同是有法律依据的", "借款合同受法律保护")
    result = runner.invoke(
        main, ["translations", "import", str(exchange), "--handbook", str(synced)]
    )
    assert result.exit_code == 1
    assert (
        'unit "01-start.md#2" changed since the export; export again and translate the new text'
        in result.output
    )


def test_export_needs_a_translation_language(
    runner: CliRunner, synced: Path, tmp_path: Path
) -> None:
    result = runner.invoke(
        main,
        ["translations", "export", str(synced), "--lang", "zh-Hans", "-o", str(tmp_path / "x.xlf")],
    )
    assert result.exit_code == 1
    assert (
        result.output
        == 'Error: "zh-Hans" is not a translation language of handbook; use one of: en\n'
    )


def test_import_refuses_headings_split_check_boxes_and_images(
    runner: CliRunner, synced: Path, tmp_path: Path
) -> None:
    exchange = tmp_path / "en.xlf"
    export(runner, synced, exchange)
    edit(
        exchange,
        '<target state="translated">Talk first</target>',
        '<target state="translated">Talk\nfirst</target>',
    )
    edit(
        exchange,
        "Say that you are willing to repay.</target>",
        "[ ] Say that you are willing to repay.</target>",
    )
    edit(
        exchange,
        "Keep recordings of calls.</target>",
        "Keep recordings of calls ![x](/etc/passwd).</target>",
    )
    result = runner.invoke(
        main, ["translations", "import", str(exchange), "--handbook", str(synced)]
    )
    assert result.exit_code == 1
    assert [line.split(": ", 1)[1] for line in result.output.splitlines()[:3]] == [
        'unit "01-start.md#1": a heading\'s translation must be one line; join its lines',
        'unit "01-start.md#4.1": its translation starts with a check box ([ ] or [x]); remove it',
        'unit "01-start.md#5.2": its translation must keep the images of the original, and add none',
    ]


def test_export_refuses_to_write_into_the_handbook(runner: CliRunner, synced: Path) -> None:
    result = runner.invoke(
        main,
        [
            "translations",
            "export",
            str(synced),
            "--lang",
            "en",
            "-o",
            str(synced / "en" / "01-start.md"),
        ],
    )
    assert result.exit_code == 1
    assert "write the exchange file outside the handbook folder" in result.output


def test_import_refuses_duplicate_and_anonymous_units(
    runner: CliRunner, synced: Path, tmp_path: Path
) -> None:
    exchange = tmp_path / "en.po"
    export(runner, synced, exchange, "po")
    catalog = polib.pofile(str(exchange))
    catalog.append(polib.POEntry(msgctxt="01-start.md#1", msgid="先协商", msgstr="Talk first"))
    catalog.append(polib.POEntry(msgid="orphan", msgstr="Orphan"))
    catalog.save(str(exchange))
    result = runner.invoke(
        main, ["translations", "import", str(exchange), "--handbook", str(synced)]
    )
    assert result.exit_code == 1
    messages = [line.split(": ", 1)[1] for line in result.output.splitlines()[:-1]]
    assert messages[0].startswith('unit "01-start.md#1" appears twice (first at line ')
    assert messages[1] == (
        "this entry has no unit id (msgctxt); translate the file booklet exported, not a copy of it"
    )
