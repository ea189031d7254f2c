"""`booklet doctor` on this machine, and with what it lacks (a theme naming absent fonts,
a PATH without Java)."""

from __future__ import annotations

import os
import platform
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.cli import main
from booklet.errors import display_path
from booklet.outputs.environment import font_packages
from tests.conftest import DATA


@pytest.mark.epubcheck
def test_this_machine_has_everything(runner: CliRunner) -> None:
    mini = DATA / "mini" / "handbook"
    result = runner.invoke(main, ["doctor", str(mini)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"booklet 0.1.0, Python {platform.python_version()}"
    assert lines[1] == f"Fonts needed for {display_path(mini)}: zh-Hans, en"
    assert lines[2] == "  ok       WeasyPrint: 70.0"
    assert lines[3].startswith("  ok       Pango: 1.")
    assert any(
        line.startswith("  ok       font Noto Serif CJK SC (zh, zh-Hans): /") for line in lines
    )
    assert any(line.startswith("  ok       font Noto Serif (every language): /") for line in lines)
    assert any(line.startswith("  ok       Java (EPUBCheck") for line in lines)
    assert lines[-1] == "Everything booklet needs is installed."


@pytest.mark.render
def test_a_missing_font_is_named_with_its_package(runner: CliRunner, tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "theme.toml").write_text(
        '[fonts.default]\nserif = ["Booklet Missing Serif"]\nsans = ["Noto Sans"]\n\n'
        '[fonts.tl]\nserif = ["Booklet Missing Tagalog"]\nsans = ["Noto Sans"]\n',
        encoding="utf-8",
    )
    result = runner.invoke(main, ["doctor", "--theme", str(theme), str(DATA / "mini/handbook")])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        "  MISSING  font Booklet Missing Serif (every language): install a package that "
        "provides the Booklet Missing Serif font, or brew install --cask "
        "font-booklet-missing-serif (macOS)"
    ) in lines
    # Tagalog is no language of the handbook: reported, not counted.
    assert (
        "  missing  font Booklet Missing Tagalog (tl): install a package that provides the "
        "Booklet Missing Tagalog font, or brew install --cask font-booklet-missing-tagalog "
        "(macOS)"
    ) in lines
    assert lines[-1] == (
        "Error: 1 thing booklet needs is missing (MISSING above); install it, then run "
        "booklet doctor again"
    )


def test_without_java_epubcheck_is_reported_not_needed(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    fc_list = shutil.which("fc-list")
    assert fc_list
    os.symlink(fc_list, tools / "fc-list")  # fonts are still found, Java is not
    monkeypatch.setenv("PATH", str(tools))
    result = runner.invoke(main, ["doctor", str(DATA / "mini/handbook")])
    assert result.exit_code == 0, result.output
    assert (
        "  missing  Java (EPUBCheck, to validate EPUBs; the tests use it): apt install "
        "default-jre-headless (Debian/Ubuntu) or brew install openjdk (macOS)"
    ) in result.output.splitlines()


def test_font_packages() -> None:
    assert font_packages("Noto Serif CJK SC") == (
        "apt install fonts-noto-cjk (Debian/Ubuntu) or brew install --cask "
        "font-noto-serif-cjk-sc (macOS)"
    )
    assert font_packages("Noto Naskh Arabic") == (
        "apt install fonts-noto-core (Debian/Ubuntu) or brew install --cask "
        "font-noto-naskh-arabic (macOS)"
    )
