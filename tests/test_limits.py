"""Bombs and oversized inputs: each is a located error, in bounded time and memory.

Each case runs `booklet check` in a child process under an address-space limit, so a
regression fails here instead of swapping the machine.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.subprocess

ROOT = Path(__file__).resolve().parent.parent
MEMORY = 2 * 1024**3  # the child may not use more (WeasyPrint is not even loaded by check)
SECONDS = 60


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def check(folder: Path) -> tuple[int, str, float]:
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "booklet", "check", str(folder)],
        capture_output=True,
        text=True,
        timeout=SECONDS,
        preexec_fn=_limited,
        cwd=ROOT,
    )
    return result.returncode, result.stdout + result.stderr, time.monotonic() - start


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _prepend(path: Path, text: str) -> None:
    path.write_text(text + path.read_text(encoding="utf-8"), encoding="utf-8")


def _chapter(mini: Path, text: str) -> None:
    (mini / "en" / "01-start.md").write_text(text, encoding="utf-8")


BOMBS: dict[str, tuple[Callable[[Path], None], str]] = {
    "a 20 MB chapter": (
        lambda m: _chapter(m, "# T\n\n" + ("word " * 20 + "\n") * 200_000),
        "en/01-start.md: this file is larger than 1024 KB, more than booklet reads",
    ),
    "a handbook.toml nested 3,000 deep": (
        lambda m: _append(m / "handbook.toml", "\ndeep = " + "[" * 3000 + "]" * 3000 + "\n"),
        "handbook.toml: this TOML nests arrays or tables too deeply to read",
    ),
    "a statute nested 3,000 deep in inline tables": (
        lambda m: _append(
            m.parent / "laws" / "demo-code.toml",
            "\ndeep = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n",
        ),
        "demo-code.toml: this TOML nests arrays or tables too deeply to read",
    ),
    "10,000 unknown dotted keys": (  # warnings only: the check passes
        lambda m: _prepend(m / "handbook.toml", "".join(f"x{i}.y = 1\n" for i in range(10_000))),
        "warning: 9990 more unknown settings in this file are ignored",
    ),
    "an article key of 5,000 digits": (
        lambda m: _append(
            m.parent / "laws" / "demo-code.toml", f'\n[articles.{"9" * 5000}]\nen = "x"\n'
        ),
        'may hold only letters, digits, "." and "-", 20 characters at most',
    ),
    "5,000 levels of emphasis": (
        lambda m: _chapter(m, "# T\n\n" + "*" * 5000 + "x" + "*" * 5000 + "\n"),
        "en/01-start.md:3: emphasis and links nest more than 20 deep here",
    ),
}


@pytest.mark.parametrize("case", sorted(BOMBS))
def test_a_bomb_is_a_located_error_in_bounded_time(mini: Path, case: str) -> None:
    make, message = BOMBS[case]
    make(mini)
    code, output, seconds = check(mini)
    assert "Traceback" not in output
    assert seconds < SECONDS
    assert message in output, output[-2000:]
    assert code == (0 if "warning: " in message else 1)


@pytest.mark.parametrize(
    ("numerals", "key", "message"),
    [
        ("roman", "0", "roman numerals need 1-3999"),
        ("roman", "4000", "roman numerals need 1-3999"),
        ("chinese", "1234567890123", "number too large for Chinese numerals"),
    ],
)
def test_article_keys_a_numeral_system_cannot_write(
    mini: Path, numerals: str, key: str, message: str
) -> None:
    laws = mini.parent / "laws" / "demo-code.toml"
    text = laws.read_text(encoding="utf-8")
    if numerals == "roman":
        text = text.replace("[cite.en]\n", '[cite.en]\nnumerals = "roman"\n', 1)
    laws.write_text(text + f'\n[articles.{key}]\nzh-Hans = "x"\nen = "x"\n', encoding="utf-8")
    code, output, _ = check(mini)
    assert code == 1 and "Traceback" not in output
    assert f'article key "{key}" cannot be written in {numerals} numerals' in output
    assert message in output
