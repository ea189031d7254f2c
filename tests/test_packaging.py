"""The package as users install it: a wheel carries the default theme."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from booklet.themes.theme import DEFAULT_THEME

pytestmark = pytest.mark.subprocess

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_carries_the_default_theme(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    shutil.copytree(
        ROOT / "booklet", tree / "booklet", ignore=shutil.ignore_patterns("__pycache__")
    )
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path / "dist"),
            str(tree),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("booklet-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    theme_files = sorted(
        path.relative_to(DEFAULT_THEME.parent.parent.parent).as_posix()
        for path in DEFAULT_THEME.rglob("*")
        if path.is_file()
    )
    assert "booklet/themes/default/templates/book.html.j2" in theme_files
    assert "booklet/themes/default/css/book.css" in theme_files
    assert [name for name in theme_files if name not in names] == []
    assert "booklet/cli/__init__.py" in names
