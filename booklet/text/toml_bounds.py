"""A linear pre-scan of TOML text: refuses what would make a TOML parser slow or huge.

tomllib's time and memory grow with the square of a dotted key's parts (`x.x.x…y = 1`,
in a line, a `[table]` header or an inline table: 40 KB of it took 19 s and 1.6 GB),
and with the number of keys and tables. No handbook, statute, clinic or theme file
needs a key of more than a few parts, nor tens of thousands of settings; this scan,
one pass over the tokens, says where a file goes past either bound before it is parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_KEY_PARTS = 10
"""Parts of one dotted key (`strings.zh-Hans.contents` has three)."""
MAX_ENTRIES = 50_000
"""Settings (`key = value`) and `[table]` headers of one file: a statute of 10,000
articles in two languages has some 30,000."""

_PART = r"""(?:[A-Za-z0-9_+:-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
"""One part of a dotted key: a bare word or a one-line string (whatever dots it holds)."""
_PARTS = re.compile(_PART)
_TOKEN = re.compile(
    r'(?P<long>"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\')'
    rf"|(?P<key>{_PART}(?:[ \t]*\.[ \t]*{_PART})*)"
    r"|(?P<comment>\#[^\n]*)"
    r"|(?P<newline>\n)"
    r"|(?P<other>[^\S\n]+|.)",
    re.DOTALL,
)
"""Multi-line strings, dotted runs (a key, or a number: a value never has two dots
outside a string), comments, line ends, and anything else."""


@dataclass(frozen=True)
class TomlBomb:
    """Where a TOML text goes past a bound, and what to do."""

    line: int
    """1-based."""
    message: str


def toml_bomb(text: str) -> TomlBomb | None:
    """The first place `text` goes past a bound, or None (then any TOML parser is quick)."""
    line, entries, line_start = 1, 0, True
    for token in _TOKEN.finditer(text):
        kind, value = token.lastgroup, token.group()
        if kind == "key" and _parts(value) > MAX_KEY_PARTS:
            return TomlBomb(line, _too_deep())
        if value == "=" or (value == "[" and line_start):
            entries += 1
            if entries > MAX_ENTRIES:
                return TomlBomb(line, _too_many())
        if kind == "newline" or kind == "long":
            line += value.count("\n")
        line_start = kind == "newline" or (line_start and value.isspace())
    return None


def _parts(key: str) -> int:
    if '"' in key or "'" in key:
        return len(_PARTS.findall(key))
    return key.count(".") + 1


def _too_deep() -> str:
    return (
        f"a dotted key here has more than {MAX_KEY_PARTS} parts (a.b.c...), more than booklet "
        "reads; a setting needs no more than a few, e.g. strings.en.contents"
    )


def _too_many() -> str:
    return (
        f"this file has more than {MAX_ENTRIES:,} settings and [tables] (this line is past "
        "them), more than booklet reads; split it into several files"
    )
