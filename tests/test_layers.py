"""The pipeline's shape: a stage imports only the stages below it, never one above."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "booklet"

LAYERS = {
    "errors": 0,
    "vocabulary": 0,
    "text": 0,
    "model": 1,
    "law": 2,
    "themes": 2,
    "sources": 3,
    "translations": 4,
    "exchange": 4.2,
    "starter": 4,
    "readability": 4.5,  # measures the pieces translations pairs; checks holds them to limits
    "checks": 5,
    "render": 6,
    "outputs": 7,
    "build": 9,
    "cli": 10,
    "__main__": 11,
}
"""Each top-level module or package of booklet, lowest first."""


def _stage(module: str) -> str:
    return module.split(".")[1] if module.startswith("booklet.") else ""


def test_every_stage_is_placed() -> None:
    found = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    found |= {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert found == set(LAYERS)


def test_every_package_says_what_it_takes_and_gives() -> None:
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "Takes" in doc and "give" in doc, f"{init} lacks a docstring of its stage"


def test_no_stage_imports_a_stage_above_it() -> None:
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).with_suffix("")
        mine = relative.parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                theirs = _stage(name)
                if not theirs or theirs == mine:
                    continue
                if LAYERS[theirs] >= LAYERS[mine]:
                    wrong.append(f"{relative.as_posix()} imports {name}")
    assert wrong == []
