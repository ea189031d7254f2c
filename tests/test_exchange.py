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
    return run(
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


def unit_id(folder: Path, original: str) -> str:
    """The exchange id of the unit whose original text starts with `original`."""
    from booklet.cli.handbooks import parsed
    from booklet.exchange.files import export_units

    units = export_units(parsed(folder), "en")
    return next(u.id for u in units if u.original.startswith(original))


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
        f"{exchange}: 0 units written, 13 unchanged, 0 skipped, 1 still marked for review "
        "(recorded as not yet current); 0 files changed in handbook (en)\n"
    )
    assert snapshot(synced, synced.parent / "laws") == before


def test_xliff_reads_back_with_translate_toolkit(
    runner: CliRunner, synced: Path, tmp_path: Path
) -> None:
    edit(synced / "zh-Hans" / "01-start.md", "借款合同是有法律依据的", "借款合同受法律保护")
    edit(synced / "en" / "01-start.md", "- Ask for a new repayment date.", "- TODO:")
    exchange = tmp_path / "en.xlf"
    export(runner, synced, exchange)
    store = xliff.xlifffile.parsestring(exchange.read_bytes())
    assert store.getsourcelanguage() == "zh-Hans" and store.gettargetlanguage() == "en"
    units = {u.xmlelement.get("id"): u for u in store.units}
    assert len(units) == 14
    stale = units[unit_id(synced, "借款合同受法律保护")]
    assert stale.source == "借款合同受法律保护（见[[demo-code 667]]）。"
    assert stale.target == "A loan contract has a legal basis (see [[demo-code 667]])."
    assert stale.get_state_n() == stale.statemap["needs-review-translation"]
    todo = units[unit_id(synced, "请求新的还款日期")]
    assert todo.target == "" and todo.get_state_n() == stale.statemap["new"]
    assert units[unit_id(synced, "先协商")].get_state_n() == stale.statemap["translated"]
    assert stale.getnotes().startswith("chapter 01-start.md, line 3: a paragraph; the original")
    assert units["demo-code:668"].source.count("\n\n") == 1


@pytest.mark.subprocess
def test_po_reads_back_with_polib_and_msgfmt(
    runner: CliRunner, synced: Path, tmp_path: Path
) -> None:
    edit(synced / "zh-Hans" / "01-start.md", "借款合同是有法律依据的", "借款合同受法律保护")
    exchange = tmp_path / "en.po"
    export(runner, synced, exchange, "po")
    catalog = polib.pofile(str(exchange))
    assert catalog.metadata["Language"] == "en"
    entry = next(e for e in catalog if e.msgctxt == unit_id(synced, "借款合同受法律保护"))
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
    # What a CAT tool does when the translator confirms the unit:
    edit(exchange, 'state="needs-review-translation"', 'state="translated"')
    before = (synced / "en" / "01-start.md").read_text(encoding="utf-8")
    assert run(runner, "translations", "import", str(exchange), "--handbook", str(synced)) == (
        f"{exchange}: 1 unit written, 13 unchanged, 0 skipped; 2 files changed in handbook (en)\n"
    )
    after = (synced / "en" / "01-start.md").read_text(encoding="utf-8")
    assert after == before.replace(
        "A loan contract has a legal basis", "A loan contract is protected by law"
    )
    assert runner.invoke(main, ["check", "--strict", str(synced)]).exit_code == 0
    status = run(runner, "translations", "status", str(synced))
    assert "en: 14 current, 0 stale, 0 missing (100.0% translated); 0 words to translate" in status


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
    before = snapshot(synced, synced.parent / "laws")
    result = runner.invoke(
        main, ["translations", "import", str(exchange), "--handbook", str(synced)]
    )
    assert result.exit_code == 1
    lines = [line.replace(str(exchange), "en.xlf") for line in result.output.splitlines()]
    title, repay, calls = (
        unit_id(synced, "先协商"),
        unit_id(synced, "说明你愿意还钱"),
        unit_id(synced, "保存通话录音"),
    )
    assert lines == [
        f'en.xlf:5: unit "{title}": its translation starts with Markdown that would change '
        "the kind of block ('## '); remove it",
        f'en.xlf:20: unit "{repay}": its translation must keep the citations of the original '
        "(none), but has [[demo-code 668]]",
        f'en.xlf:35: unit "{calls}": its translation has a blank line, which would split '
        "the block in two; join it",
        "Error: 3 problems in en.xlf",
    ]
    assert snapshot(synced, synced.parent / "laws") == before


def test_import_skips_a_source_changed_since_the_export(
    runner: CliRunner, synced: Path, tmp_path: Path
) -> None:
    exchange = tmp_path / "en.xlf"
    export(runner, synced, exchange)
    edit(exchange, "A loan contract has a legal basis", "A loan contract is protected by law")
    edit(synced / "zh-Hans" / "01-start.md", "借款合同是有法律依据的", "借款合同受法律保护")
    before = (synced / "en" / "01-start.md").read_bytes()
    output = run(runner, "translations", "import", str(exchange), "--handbook", str(synced))
    assert output == (
        f"{exchange}: 0 units written, 13 unchanged, 1 skipped (1 whose original changed since "
        "the export); 0 files changed in handbook (en)\n"
    )
    assert (synced / "en" / "01-start.md").read_bytes() == before  # still stale, not blanked


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
    title, repay, calls = (
        unit_id(synced, "先协商"),
        unit_id(synced, "说明你愿意还钱"),
        unit_id(synced, "保存通话录音"),
    )
    assert [line.split(": ", 1)[1] for line in result.output.splitlines()[:3]] == [
        f'unit "{title}": a heading\'s translation must be one line; join its lines',
        f'unit "{repay}": its translation starts with a check box ([ ] or [x]); remove it',
        f'unit "{calls}": its translation must keep the images of the original, and add none',
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


def test_import_refuses_duplicate_units_and_skips_anonymous_ones_it_cannot_match(
    runner: CliRunner, synced: Path, tmp_path: Path
) -> None:
    """A unit without an id is matched by its original's text, as gettext does; one whose
    text no original has is skipped, not refused."""
    exchange = tmp_path / "en.po"
    export(runner, synced, exchange, "po")
    catalog = polib.pofile(str(exchange))
    title = unit_id(synced, "先协商")
    catalog.append(polib.POEntry(msgctxt=title, msgid="先协商", msgstr="Talk first"))
    catalog.append(polib.POEntry(msgid="orphan", msgstr="Orphan"))
    catalog.save(str(exchange))
    result = runner.invoke(
        main, ["translations", "import", str(exchange), "--handbook", str(synced)]
    )
    assert result.exit_code == 1
    messages = [line.split(": ", 1)[1] for line in result.output.splitlines()[:-1]]
    assert len(messages) == 1
    assert messages[0].startswith(f'unit "{title}" appears twice (first at line ')


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            'Talk <bpt id="1">&lt;b&gt;</bpt>first<ept id="1">&lt;/b&gt;</ept>',
            "the translation holds an inline code <bpt> that booklet did not send, and cannot "
            "turn it back into Markdown; remove it in your translation tool (keep the words) "
            "and export the file again",
        ),
        (
            'Talk <x id="9"/>first',
            "the translation holds an inline code <x> that booklet did not send, and cannot "
            "turn it back into Markdown; remove it in your translation tool (keep the words) "
            "and export the file again",
        ),
        (
            "Talk&nbsp;first",
            "&nbsp; is not a character XML knows (it is HTML); in your translation tool, type "
            "the character itself and export again",
        ),
    ],
)
def test_import_refuses_markup_it_cannot_map_back(
    runner: CliRunner, synced: Path, tmp_path: Path, written: str, message: str
) -> None:
    exchange = tmp_path / "en.xlf"
    export(runner, synced, exchange)
    edit(
        exchange,
        '<target state="translated">Talk first</target>',
        f'<target state="translated">{written}</target>',
    )
    before = snapshot(synced, synced.parent / "laws")
    result = runner.invoke(
        main, ["translations", "import", str(exchange), "--handbook", str(synced)]
    )
    assert (result.exit_code, result.output) == (1, f"Error: {exchange}:7: {message}\n")
    assert snapshot(synced, synced.parent / "laws") == before


def test_import_maps_back_the_codes_it_sent_as_empty_tags(
    runner: CliRunner, synced: Path, tmp_path: Path
) -> None:
    """Some CAT tools send a <ph> back empty or as <x/>: the id names the citation."""
    exchange = tmp_path / "en.xlf"
    export(runner, synced, exchange)
    edit(
        exchange,
        '(see <ph id="c1">[[demo-code 667]]</ph>).</target>',
        '(see <x id="c1"/>).</target>',
    )
    before = snapshot(synced, synced.parent / "laws")
    output = run(runner, "translations", "import", str(exchange), "--handbook", str(synced))
    assert " 0 units written" in output
    assert snapshot(synced, synced.parent / "laws") == before


def test_export_replaces_an_earlier_export_that_holds_nothing_new(
    runner: CliRunner, synced: Path, tmp_path: Path
) -> None:
    exchange = tmp_path / "en.po"
    export(runner, synced, exchange, "po")
    first = exchange.read_bytes()
    assert export(runner, synced, exchange, "po") == (
        f"{exchange}: 14 units from zh-Hans to en, 0 to translate or review\n"
    )
    assert exchange.read_bytes() == first


def test_export_keeps_a_file_holding_translations_not_yet_imported(
    runner: CliRunner, synced: Path, tmp_path: Path
) -> None:
    """A translator's file sent back weeks later, exported over by mistake, is work lost."""
    exchange = tmp_path / "en.xlf"
    export(runner, synced, exchange)
    edit(exchange, "A loan contract has a legal basis", "A loan contract is protected by law")
    returned = exchange.read_bytes()
    result = runner.invoke(
        main, ["translations", "export", str(synced), "--lang", "en", "-o", str(exchange)]
    )
    assert (result.exit_code, result.output) == (
        1,
        f"Error: -o {exchange}: this file holds 1 translation not yet in the handbook; "
        f"nothing was written; import it first (booklet translations import {exchange} "
        f"--handbook {synced}) or export to another file name\n",
    )
    assert exchange.read_bytes() == returned
    run(runner, "translations", "import", str(exchange), "--handbook", str(synced))
    export(runner, synced, exchange)  # imported: nothing is lost any more
    assert b"A loan contract is protected by law" in exchange.read_bytes()


@pytest.mark.parametrize(
    ("content", "told"),
    [
        (b"my notes\n", "this file exists and is not an exchange file booklet wrote"),
        (
            b'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"X-Booklet-Handbook: other\\n"\n\n'
            b'msgctxt "a.md#1"\nmsgid "x"\nmsgstr "y"\n',
            "this file is the fr exchange file of handbook other, not the en file of handbook",
        ),
    ],
)
def test_export_keeps_a_file_booklet_did_not_write_for_this_language(
    runner: CliRunner, synced: Path, tmp_path: Path, content: bytes, told: str
) -> None:
    target = tmp_path / "en.po"
    target.write_bytes(content)
    result = runner.invoke(
        main,
        [
            "translations",
            "export",
            str(synced),
            "--lang",
            "en",
            "--format",
            "po",
            "-o",
            str(target),
        ],
    )
    assert result.exit_code == 1
    assert result.output == (
        f"Error: -o {target}: {told}; nothing was written; move it away or export to "
        "another file name\n"
    )
    assert target.read_bytes() == content


def test_export_keeps_a_file_holding_reviews_not_yet_recorded(
    runner: CliRunner, synced: Path, tmp_path: Path
) -> None:
    edit(synced / "zh-Hans" / "01-start.md", "借款合同是有法律依据的", "借款合同受法律保护")
    exchange = tmp_path / "en.xlf"
    export(runner, synced, exchange)
    export(runner, synced, exchange)  # untouched: replaced
    edit(exchange, 'state="needs-review-translation"', 'state="translated"')  # reviewed as is
    result = runner.invoke(
        main, ["translations", "export", str(synced), "--lang", "en", "-o", str(exchange)]
    )
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: -o {exchange}: this file holds reviews of stale translations not yet "
        "recorded in translations.lock; nothing was written;"
    )


def test_export_refuses_a_name_of_the_other_format(
    runner: CliRunner, synced: Path, tmp_path: Path
) -> None:
    target = tmp_path / "en.po"
    result = runner.invoke(
        main,
        [
            "translations",
            "export",
            str(synced),
            "--lang",
            "en",
            "--format",
            "xliff",
            "-o",
            str(target),
        ],
    )
    assert (result.exit_code, result.output) == (
        1,
        f"Error: -o {target}: a .po name for a xliff file; name it en.xlf, or use --format po\n",
    )
    assert not target.exists()
