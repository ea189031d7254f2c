"""Living handbooks: the original grows, nobody is blocked, no translation is lost.

Each change an author makes to the authoritative language (a paragraph, a chapter, a list
item) is checked, built, exported, translated in a real exchange file (polib, gettext's
msgcat, translate-toolkit, lxml) and imported back, and the Markdown that results is
asserted exactly.
"""

import subprocess
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from lxml import etree

from booklet.cli import main
from tests.conftest import copy_fixture
from tests.test_check import MISSING_TAIL, edit, problems

NEW_PARAGRAPH = "新的一段：催收人员不得在夜间打电话。"
NEW_CHAPTER = "# 新的一章\n\n新一章的第一段。\n\n- 第一项\n- 第二项\n"
TRANSLATED = {
    NEW_PARAGRAPH: "New paragraph: collectors may not call at night.",
    "新的一章": "A new chapter",
    "新一章的第一段。": "The first paragraph of the new chapter.",
    "第一项": "First item",
    "第二项": "Second item",
}


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(main, list(args))
    assert result.exit_code == code, result.output
    return result.output


def grow(mini: Path) -> None:
    """What a lawyer does to the original: one paragraph more, one chapter more."""
    edit(mini / "zh-Hans" / "01-start.md", "## 要做的事\n", f"{NEW_PARAGRAPH}\n\n## 要做的事\n")
    (mini / "zh-Hans" / "03-new.md").write_text(NEW_CHAPTER, encoding="utf-8")


def translate(po: Path, texts: dict[str, str], *, fuzzy: bool = False) -> None:
    catalog = polib.pofile(str(po))
    for entry in catalog:
        if entry.msgid in texts:
            entry.msgstr = texts[entry.msgid]
            if fuzzy:
                entry.flags.append("fuzzy")
    catalog.save(str(po))


@pytest.mark.subprocess
def test_a_grown_original_warns_once_per_block_builds_and_imports(
    runner: CliRunner, mini: Path, tmp_path: Path, theme
) -> None:  # type: ignore[no-untyped-def]
    grow(mini)
    assert problems(mini, theme) == [
        'handbook/en/03-new.md: warning: chapter missing: zh-Hans/03-new.md has no "en" version '
        "yet; the build prints the original in its place until it is translated (booklet "
        "translations export carries it to a translator)",
        "handbook/en/01-start.md:4: warning: missing translation: zh-Hans/01-start.md:5 has a "
        f"paragraph that this file lacks; {MISSING_TAIL}",
    ]
    run(runner, "check", "--strict", str(mini), code=1)
    out = tmp_path / "out"
    run(runner, "build", str(mini), "--layout", "parallel", "--out", str(out))
    from booklet.cli.handbooks import parsed
    from booklet.render.documents import render_html

    html = render_html(parsed(mini), theme, "parallel", "a5", None)
    # The English column shows the original, in its own language, until it is translated.
    assert f'<div class="untranslated" lang="zh-Hans" dir="ltr"><p>{NEW_PARAGRAPH}</p>' in html
    assert html.count('<div class="untranslated" lang="zh-Hans"') == 5

    po = tmp_path / "en.po"
    assert (
        run(
            runner,
            "translations",
            "export",
            str(mini),
            "--lang",
            "en",
            "--format",
            "po",
            "-o",
            str(po),
        )
        == f"{po}: 19 units from zh-Hans to en, 5 to translate or review\n"
    )
    new = [e for e in polib.pofile(str(po)) if not e.msgstr and e.msgctxt]
    assert [e.msgid for e in new] == list(TRANSLATED)
    translate(po, TRANSLATED)
    wrapped = tmp_path / "en-wrapped.po"  # what gettext's tools do to a file
    subprocess.run(["msgcat", "--width=40", str(po), "-o", str(wrapped)], check=True)
    before = (mini / "en" / "01-start.md").read_text(encoding="utf-8")
    output = run(runner, "translations", "import", str(wrapped), "--handbook", str(mini))
    assert output == (
        f"{wrapped}: 5 units written, 14 unchanged, 0 skipped; 3 files changed in handbook (en)\n"
    )
    assert (mini / "en" / "01-start.md").read_text(encoding="utf-8") == before.replace(
        "## What to do\n", f"{TRANSLATED[NEW_PARAGRAPH]}\n\n## What to do\n"
    )
    assert (mini / "en" / "03-new.md").read_text(encoding="utf-8") == (
        "# A new chapter\n\nThe first paragraph of the new chapter.\n\n- First item\n"
        "- Second item\n"
    )
    assert problems(mini, theme, strict=True) == []
    assert "en: 19 current, 0 stale, 0 missing (100.0% translated)" in run(
        runner, "translations", "status", str(mini)
    )
    files = {p: p.read_bytes() for p in sorted(mini.rglob("*")) if p.is_file()}
    again = run(runner, "translations", "import", str(wrapped), "--handbook", str(mini))
    assert again == (
        f"{wrapped}: 0 units written, 19 unchanged, 0 skipped; 0 files changed in handbook (en)\n"
    )
    assert {p: p.read_bytes() for p in sorted(mini.rglob("*")) if p.is_file()} == files


def test_the_same_on_a_spanish_english_handbook(runner: CliRunner, tmp_path: Path, theme) -> None:  # type: ignore[no-untyped-def]
    guide = copy_fixture("es-en", tmp_path) / "guide"
    edit(guide / "es" / "01-embargo.md", "## Qué hacer\n", "Guarda tus nóminas.\n\n## Qué hacer\n")
    (guide / "es" / "02-ayuda.md").write_text("# Ayuda\n\nLlama a la clínica.\n", encoding="utf-8")
    assert len(problems(guide, theme)) == 2
    po = tmp_path / "en.po"
    run(
        runner,
        "translations",
        "export",
        str(guide),
        "--lang",
        "en",
        "--format",
        "po",
        "-o",
        str(po),
    )
    catalog = polib.pofile(str(po))
    catalog.metadata["Language"] = "en_GB"  # as Poedit writes it
    catalog.save(str(po))
    translate(
        po,
        {
            "Guarda tus nóminas.": "Keep your payslips.",
            "Ayuda": "Help",
            "Llama a la clínica.": "Call the clinic.",
        },
    )
    run(runner, "translations", "import", str(po), "--handbook", str(guide))
    assert "Keep your payslips.\n\n## What to do" in (guide / "en" / "01-embargo.md").read_text(
        encoding="utf-8"
    )
    assert (guide / "en" / "02-ayuda.md").read_text(encoding="utf-8") == (
        "# Help\n\nCall the clinic.\n"
    )
    assert problems(guide, theme, strict=True) == []


def test_a_new_list_item_keeps_the_other_items_translations(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    edit(
        mini / "zh-Hans" / "01-start.md",
        "- 请求新的还款日期。\n",
        "- 请求新的还款日期。\n- 问清楚欠款金额。\n",
    )
    po = tmp_path / "en.po"
    run(
        runner, "translations", "export", str(mini), "--lang", "en", "--format", "po", "-o", str(po)
    )
    entries = {e.msgid: e for e in polib.pofile(str(po))}
    assert entries["说明你愿意还钱。"].msgstr == "Say that you are willing to repay."
    assert entries["请求新的还款日期。"].msgstr == "Ask for a new repayment date."
    assert entries["问清楚欠款金额。"].msgstr == "" and not entries["问清楚欠款金额。"].fuzzy
    translate(po, {"问清楚欠款金额。": "Ask exactly how much you owe."})
    run(runner, "translations", "import", str(po), "--handbook", str(mini))
    assert "- Ask for a new repayment date.\n- Ask exactly how much you owe.\n\n* [ ]" in (
        mini / "en" / "01-start.md"
    ).read_text(encoding="utf-8")


def test_an_old_export_still_imports_after_an_insertion(
    runner: CliRunner, mini: Path, tmp_path: Path, theme
) -> None:  # type: ignore[no-untyped-def]
    po = tmp_path / "en.po"
    run(
        runner, "translations", "export", str(mini), "--lang", "en", "--format", "po", "-o", str(po)
    )
    grow(mini)  # weeks pass: the original grows before the file comes back
    translate(po, {"遇到暴力威胁，请拨打110。": "If anyone threatens you with violence, call 110."})
    output = run(runner, "translations", "import", str(po), "--handbook", str(mini))
    assert output.startswith(f"{po}: 1 unit written, 13 unchanged, 0 skipped; 2 files changed")
    assert "If anyone threatens you" in (mini / "en" / "01-start.md").read_text(encoding="utf-8")


def test_a_fuzzy_entry_is_written_but_not_recorded_as_current(
    runner: CliRunner, mini: Path, tmp_path: Path, theme
) -> None:  # type: ignore[no-untyped-def]
    grow(mini)
    po = tmp_path / "en.po"
    run(
        runner, "translations", "export", str(mini), "--lang", "en", "--format", "po", "-o", str(po)
    )
    translate(po, {NEW_PARAGRAPH: "A first draft."}, fuzzy=True)
    output = run(runner, "translations", "import", str(po), "--handbook", str(mini))
    assert "1 still marked for review (recorded as not yet current)" in output
    assert "A first draft." in (mini / "en" / "01-start.md").read_text(encoding="utf-8")
    lock = (mini / "translations.lock").read_text(encoding="utf-8")
    assert len([x for x in lock.splitlines() if x.endswith("/-")]) == 1  # made from no original
    assert problems(mini, theme)[-1] == (
        "handbook/en/01-start.md:5: warning: translation is stale: zh-Hans/01-start.md:5 "
        "changed since it was translated"
    )


def test_an_xliff_with_a_byte_order_mark_pretty_printed_and_utf16(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    xlf = tmp_path / "en.xlf"
    run(runner, "translations", "export", str(mini), "--lang", "en", "-o", str(xlf))
    tree = etree.fromstring(xlf.read_bytes())
    for target in tree.iter("{*}target"):  # a tool that lays targets out on their own lines
        if target.text and len(target) == 0:  # (mixed content, with <ph> codes, stays as is)
            target.text = f"\n        {target.text}\n      "
    pretty = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    files = {p: p.read_bytes() for p in sorted(mini.rglob("*.md"))}
    for name, data in (
        ("bom.xlf", b"\xef\xbb\xbf" + pretty),
        (
            "utf16.xlf",
            pretty.decode("utf-8")
            .replace('encoding="UTF-8"', 'encoding="UTF-16"')
            .encode("utf-16"),
        ),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        output = run(runner, "translations", "import", str(path), "--handbook", str(mini))
        assert output == (
            f"{path}: 0 units written, 14 unchanged, 0 skipped; 0 files changed in handbook (en)\n"
        )
        assert {p: p.read_bytes() for p in sorted(mini.rglob("*.md"))} == files


def test_a_statute_paragraph_starting_with_a_bracket(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    laws = mini.parent / "laws" / "demo-code.toml"
    before = laws.read_text(encoding="utf-8")
    edit(laws, '"自然人享有隐私权。"', '"自然人享有隐私权，受法律保护。"')
    po = tmp_path / "en.po"
    run(
        runner, "translations", "export", str(mini), "--lang", "en", "--format", "po", "-o", str(po)
    )
    catalog = polib.pofile(str(po))
    entry = next(e for e in catalog if e.msgctxt == "demo-code:1032")
    entry.msgstr = "[Privacy] Natural persons enjoy the right to privacy.\n\n[2] Second paragraph."
    entry.flags.remove("fuzzy")
    catalog.save(str(po))
    run(runner, "translations", "import", str(po), "--handbook", str(mini))
    after = laws.read_text(encoding="utf-8")
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert changed == [
        'zh-Hans = "自然人享有隐私权，受法律保护。"',
        'en = """[Privacy] Natural persons enjoy the right to privacy.',
        '[2] Second paragraph."""',
    ]
    assert run(runner, "check", "--strict", str(mini)).endswith("ok\n")


def test_a_chapter_keeps_its_windows_line_endings_and_byte_order_mark(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    path = mini / "en" / "01-start.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    po = tmp_path / "en.po"
    run(
        runner, "translations", "export", str(mini), "--lang", "en", "--format", "po", "-o", str(po)
    )
    translate(po, {"先协商": "Talk first, always"})
    run(runner, "translations", "import", str(po), "--handbook", str(mini))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# Talk first, always\r\n\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")


@pytest.mark.parametrize("name", ["../../etc", "/tmp/elsewhere", ".hidden"])
def test_an_exchange_file_cannot_name_a_path(
    runner: CliRunner, mini: Path, tmp_path: Path, name: str
) -> None:
    po = tmp_path / "en.po"
    run(
        runner, "translations", "export", str(mini), "--lang", "en", "--format", "po", "-o", str(po)
    )
    catalog = polib.pofile(str(po))
    catalog.metadata["X-Booklet-Handbook"] = name
    catalog.save(str(po))
    result = runner.invoke(main, ["translations", "import", str(po)])
    assert result.exit_code == 1
    assert result.output == (
        f'Error: {po}: the file names the handbook "{name}", which is not a handbook id; '
        "import it with --handbook DIR\n"
    )


def test_sync_prune_deletes_translations_whose_original_is_gone(
    runner: CliRunner, mini: Path, theme
) -> None:  # type: ignore[no-untyped-def]
    edit(mini / "zh-Hans" / "01-start.md", "## 要做的事\n\n", "")
    edit(mini / "zh-Hans" / "01-start.md", "- 请求新的还款日期。\n", "")
    assert len(problems(mini, theme)) == 2
    before = (mini / "en" / "01-start.md").read_text(encoding="utf-8")
    output = run(runner, "translations", "sync", "--prune", str(mini))
    assert output == (
        f"{mini}/en/01-start.md: 2 translations without an original deleted\n"
        f"{mini}/translations.lock: 8 units of text and 4 articles recorded\n"
    )
    assert (mini / "en" / "01-start.md").read_text(encoding="utf-8") == before.replace(
        "## What to do\n\n", ""
    ).replace("- Ask for a new repayment date.\n", "")
    assert problems(mini, theme, strict=True) == []


@pytest.mark.subprocess
def test_gettext_tools_round_trip(runner: CliRunner, mini: Path, tmp_path: Path, theme) -> None:  # type: ignore[no-untyped-def]
    edit(mini / "zh-Hans" / "01-start.md", "借款合同是有法律依据的", "借款合同受法律保护")
    po = tmp_path / "en.po"
    run(
        runner, "translations", "export", str(mini), "--lang", "en", "--format", "po", "-o", str(po)
    )
    merged = tmp_path / "merged.po"  # what Weblate or a translator's msgmerge does to the file
    subprocess.run(
        ["msgmerge", "--quiet", "--no-wrap", "-o", str(merged), str(po), str(po)], check=True
    )
    files = {p: p.read_bytes() for p in sorted(mini.rglob("*.md"))}
    output = run(runner, "translations", "import", str(merged), "--handbook", str(mini))
    assert "0 units written, 13 unchanged, 0 skipped, 1 still marked for review" in output
    assert {p: p.read_bytes() for p in sorted(mini.rglob("*.md"))} == files
    assert len(problems(mini, theme)) == 1  # still stale
    reviewed = tmp_path / "reviewed.po"  # the translator accepts the old translation as is
    subprocess.run(["msgattrib", "--clear-fuzzy", "-o", str(reviewed), str(merged)], check=True)
    output = run(runner, "translations", "import", str(reviewed), "--handbook", str(mini))
    assert output.startswith(f"{reviewed}: 0 units written, 14 unchanged, 0 skipped;")
    assert problems(mini, theme, strict=True) == []


def test_a_stale_unit_shows_the_original_it_was_translated_from(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    edit(mini / "zh-Hans" / "01-start.md", "借款合同是有法律依据的", "借款合同受法律保护")
    po, xlf = tmp_path / "en.po", tmp_path / "en.xlf"
    run(
        runner, "translations", "export", str(mini), "--lang", "en", "--format", "po", "-o", str(po)
    )
    run(runner, "translations", "export", str(mini), "--lang", "en", "-o", str(xlf))
    [stale] = [e for e in polib.pofile(str(po)) if e.fuzzy]
    assert stale.msgid == "借款合同受法律保护（见[[demo-code 667]]）。"
    assert stale.previous_msgid == "借款合同是有法律依据的（见[[demo-code 667]]）。"  # #| msgid
    assert '#| msgid "借款合同是有法律依据的（见[[demo-code 667]]）。"' in po.read_text(
        encoding="utf-8"
    )
    from translate.storage import xliff

    store = xliff.xlifffile.parsestring(xlf.read_bytes())
    [unit] = [u for u in store.units if u.getalttrans()]
    [alt] = unit.getalttrans()
    assert str(alt.source) == "借款合同是有法律依据的（见[[demo-code 667]]）。"
    assert str(alt.target) == "A loan contract has a legal basis (see [[demo-code 667]])."


def test_citations_travel_as_protected_codes(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    xlf = tmp_path / "en.xlf"
    run(runner, "translations", "export", str(mini), "--lang", "en", "-o", str(xlf))
    text = xlf.read_text(encoding="utf-8")
    assert (
        '<source>借款合同是有法律依据的（见<ph id="c1">[[demo-code 667]]</ph>）。</source>' in text
    )
    assert '(see <ph id="c1">[[demo-code 667]]</ph>).</target>' in text
    # A CAT tool that writes codes back as empty <x/> tags, and moves one in the sentence:
    edit(
        xlf,
        '(see <ph id="c1">[[demo-code 667]]</ph>).</target>',
        '(<x id="c1"/> is the law).</target>',
    )
    edit(
        xlf,
        'state="translated">A loan contract has a legal basis',
        'state="translated">A loan contract has a basis',
    )
    run(runner, "translations", "import", str(xlf), "--handbook", str(mini))
    assert "A loan contract has a basis ([[demo-code 667]] is the law)." in (
        mini / "en" / "01-start.md"
    ).read_text(encoding="utf-8")
    from translate.storage import xliff  # loaded and saved by translate-toolkit: unchanged

    saved = tmp_path / "saved.xlf"
    saved.write_bytes(bytes(xliff.xlifffile.parsestring(xlf.read_bytes())))
    files = {p: p.read_bytes() for p in sorted(mini.rglob("*.md"))}
    run(runner, "translations", "import", str(saved), "--handbook", str(mini))
    assert {p: p.read_bytes() for p in sorted(mini.rglob("*.md"))} == files


def test_a_paragraph_moved_in_the_original_keeps_its_translation(
    runner: CliRunner, mini: Path, tmp_path: Path, theme
) -> None:  # type: ignore[no-untyped-def]
    path = mini / "zh-Hans" / "01-start.md"
    text = path.read_text(encoding="utf-8")
    moved = "借款合同是有法律依据的（见[[demo-code 667]]）。\n\n"
    path.write_text(
        text.replace(moved, "").replace(":::\n", f":::\n\n{moved}".rstrip() + "\n"),
        encoding="utf-8",
    )
    assert problems(mini, theme) == []  # nothing stale, nothing missing: it only moved
    po = tmp_path / "en.po"
    run(
        runner, "translations", "export", str(mini), "--lang", "en", "--format", "po", "-o", str(po)
    )
    entry = next(e for e in polib.pofile(str(po)) if e.msgid.startswith("借款合同"))
    assert entry.msgstr.startswith("A loan contract has a legal basis") and not entry.fuzzy
