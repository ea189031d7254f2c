"""Stale, missing, inserted and deleted translations; the lock file; status; glossary."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.cli import main
from booklet.sources.files import load_handbook
from booklet.sources.handbook import parse_handbook
from booklet.themes.theme import Theme
from booklet.translations.states import status
from tests.conftest import copy_fixture
from tests.test_check import edit, problems


def sync(runner: CliRunner, folder: Path) -> None:
    result = runner.invoke(main, ["translations", "sync", str(folder)])
    assert result.exit_code == 0, result.output


def test_sync_writes_a_sorted_diff_friendly_lock(runner: CliRunner, mini: Path) -> None:
    result = runner.invoke(main, ["translations", "sync", str(mini)])
    assert result.output == (
        f"{mini}/translations.lock: 10 units of text and 4 articles recorded\n"
    )
    lines = (mini / "translations.lock").read_text(encoding="utf-8").splitlines()
    records = [line for line in lines if not line.startswith("#")]
    assert records[0] == "authoritative zh-Hans"
    assert records[1].startswith("unit 01-start.md ")
    assert records[1].split()[3:4] == ["heading"]
    assert records[1].split()[4].startswith("zh-Hans=")
    assert [r.split()[2] for r in records if r.startswith("article")] == [
        "293-1",
        "667",
        "668",
        "1032",
    ]
    again = runner.invoke(main, ["translations", "sync", str(mini)])
    assert again.exit_code == 0
    assert (mini / "translations.lock").read_text(encoding="utf-8").splitlines() == lines


def test_changed_original_makes_its_translation_stale(
    runner: CliRunner, mini: Path, theme: Theme
) -> None:
    sync(runner, mini)
    edit(mini / "zh-Hans" / "01-start.md", "借款合同是有法律依据的", "借款合同受法律保护")
    assert problems(mini, theme) == [
        "handbook/en/01-start.md:3: warning: translation is stale: zh-Hans/01-start.md:3 "
        "changed since it was translated"
    ]
    result = runner.invoke(main, ["check", "--strict", str(mini)])
    assert result.exit_code == 1
    # Re-wrapping the text is not a change.
    edit(mini / "zh-Hans" / "01-start.md", "借款合同受法律保护", "借款合同受法律保护\n")
    assert len(problems(mini, theme)) == 1


def test_inserted_block_is_one_insertion(runner: CliRunner, mini: Path, theme: Theme) -> None:
    sync(runner, mini)
    edit(mini / "zh-Hans" / "01-start.md", "## 要做的事\n", "新的一段。\n\n## 要做的事\n")
    assert problems(mini, theme) == [
        "handbook/en/01-start.md:4: warning: missing translation: zh-Hans/01-start.md:5 has a "
        "paragraph that this file lacks; the build prints the original here until it is "
        "translated (booklet translations export carries it to a translator)"
    ]


def test_deleted_block_is_one_deletion(runner: CliRunner, mini: Path, theme: Theme) -> None:
    sync(runner, mini)
    edit(mini / "zh-Hans" / "01-start.md", "## 要做的事\n\n", "")
    assert problems(mini, theme) == [
        "handbook/en/01-start.md:5: warning: a heading (##) with no original in "
        "zh-Hans/01-start.md (deleted there?); it is not printed: delete it here, or run "
        "booklet translations sync --prune"
    ]


def test_placeholders_are_missing(runner: CliRunner, mini: Path, theme: Theme) -> None:
    edit(
        mini / "en" / "02-privacy.md",
        "Collectors may not expose",
        "<!-- translate -->\n\nCollectors may not expose",
    )
    edit(mini / "zh-Hans" / "02-privacy.md", "催收人", "待译。\n\n催收人")
    edit(mini / "en" / "01-start.md", "- Ask for a new repayment date.", "- TODO:")
    assert problems(mini, theme) == [
        "handbook/en/01-start.md:8: warning: translation missing: this is a placeholder; "
        "translate zh-Hans/01-start.md:8",
        "handbook/en/02-privacy.md:3: warning: translation missing: this is a placeholder; "
        "translate zh-Hans/02-privacy.md:3",
    ]


def test_stale_article(runner: CliRunner, mini: Path, theme: Theme) -> None:
    sync(runner, mini)
    edit(
        mini.parent / "laws" / "demo-code.toml",
        '"自然人享有隐私权。"',
        '"自然人享有隐私权，受法律保护。"',
    )
    assert problems(mini, theme) == [
        'laws/demo-code.toml:48: warning: the "en" text of article 1032 is stale: its '
        '"zh-Hans" text changed since it was translated'
    ]


def test_status_json_and_minimum(runner: CliRunner, mini: Path) -> None:
    sync(runner, mini)
    edit(mini / "zh-Hans" / "01-start.md", "借款合同是有法律依据的", "借款合同受法律保护")
    result = runner.invoke(main, ["translations", "status", str(mini), "--json", "--min", "100"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report == {
        "handbook": {
            "authoritative": "zh-Hans",
            "languages": {
                "en": {
                    "coverage": 92.9,
                    "current": 13,
                    "missing": 0,
                    "stale": 1,
                    "words_to_translate": 13,
                }
            },
        }
    }
    assert result.stderr == "Error: handbook: en is 92.9% translated, under --min 100\n"
    plain = runner.invoke(main, ["translations", "status", str(mini), "--min", "90"])
    assert plain.exit_code == 0
    assert plain.output == (
        "handbook (translated from zh-Hans)\n"
        "  en: 13 current, 1 stale, 0 missing (92.9% translated); 13 words to translate\n"
    )


def test_glossary_wants_the_approved_rendering(tmp_path: Path, theme: Theme) -> None:
    guide = copy_fixture("es-en", tmp_path) / "guide"
    assert problems(guide, theme) == []
    edit(guide / "en" / "01-embargo.md", "protected from seizure", "protected from garnishment")
    assert problems(guide, theme) == [
        'guide/en/01-embargo.md:3: warning: glossary: es/01-embargo.md:3 uses "embargo" but this '
        'block does not use "seizure" (or another approved rendering); see guide/glossary.toml:3'
    ]


def test_status_counts_articles_and_words(tmp_path: Path) -> None:
    guide = copy_fixture("es-en", tmp_path) / "guide"
    handbook, _ = parse_handbook(load_handbook(guide))
    [english] = status(handbook)
    assert (english.current, english.stale, english.missing, english.coverage) == (7, 0, 0, 100.0)


@pytest.mark.parametrize("args", [["translations", "--help"], ["translations", "export", "--help"]])
def test_help(args: list[str]) -> None:
    assert CliRunner().invoke(main, args).exit_code == 0
