"""Typed, located reads of fields from parsed TOML, collecting problems instead of raising.

tomllib gives no line numbers, so a field's line is found in the file's text: the
`[table]` header, then the `key =` line inside it. Messages name the file, that line,
the field and what to write instead.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from booklet.errors import Problem, Severity, SourceLocation
from booklet.sources.files import TomlFile

MAX_UNKNOWN_REPORTS = 10
"""Unknown settings reported one by one per table; the rest are counted."""
_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def _header_parts(raw: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in raw.split("."))


@dataclass(frozen=True)
class _Index:
    """Where a TOML file's tables start, worked out once per file (line lookups stay
    linear in the file however many fields are located)."""

    lines: list[str]
    numbers: list[int]
    """0-based lines of every [table] and [[array]] header, in order."""
    by_parts: dict[tuple[str, ...], list[int]]
    """Header name parts -> the lines it is written on."""
    by_prefix: dict[tuple[str, ...], list[int]]
    """Every leading part of a header name -> lines of headers under it."""


@functools.lru_cache(maxsize=32)
def _index(text: str) -> _Index:
    lines = text.split("\n")
    numbers: list[int] = []
    by_parts: dict[tuple[str, ...], list[int]] = {}
    by_prefix: dict[tuple[str, ...], list[int]] = {}
    for number, line in enumerate(lines):
        match = _HEADER.match(line)
        if match:
            parts = _header_parts(match.group(1))
            numbers.append(number)
            by_parts.setdefault(parts, []).append(number)
            for size in range(1, len(parts) + 1):
                by_prefix.setdefault(parts[:size], []).append(number)
    return _Index(lines, numbers, by_parts, by_prefix)


class TomlFields:
    """One TOML table of a file, with located access to its fields."""

    def __init__(
        self,
        file: TomlFile,
        problems: list[Problem],
        table: tuple[str, ...] = (),
        data: Mapping[str, Any] | None = None,
        occurrence: int = 0,
    ) -> None:
        self.file = file
        self.problems = problems
        self.table = table
        self.data: Mapping[str, Any] = file.data if data is None else data
        self.occurrence = occurrence
        """Which `[[array]]` entry this is, for locating its header."""

    # ------------------------------------------------------------ locating

    def line_of(self, key: str | None = None) -> int:
        """Line of `key` in this table (or of the table header); 0 when not found."""
        index = _index(self.file.text)
        lines, numbers = index.lines, index.numbers
        start, end = 0, len(lines)
        if self.table:
            found = index.by_parts.get(self.table, [])
            if self.occurrence >= len(found):
                return 0
            start = found[self.occurrence]
            following = bisect.bisect_right(numbers, start)
            end = numbers[following] if following < len(numbers) else len(lines)
            if key is None:
                return start + 1
        elif key is None:
            return 1
        elif numbers:
            end = numbers[0]
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*[=.]")
        for number in range(start, end):
            if pattern.match(lines[number]):
                return number + 1
        # A sub-table written as its own header: [table.key]
        below = index.by_prefix.get((*self.table, key))
        if below:
            return below[0] + 1
        return start + 1 if self.table else 0

    def at(self, key: str | None = None) -> SourceLocation:
        return SourceLocation(self.file.path, self.line_of(key))

    def name(self, key: str) -> str:
        return ".".join((*self.table, key))

    def error(self, key: str | None, message: str) -> None:
        self.problems.append(Problem(self.at(key), message))

    def warning(self, key: str | None, message: str) -> None:
        self.problems.append(Problem(self.at(key), message, Severity.WARNING))

    # ------------------------------------------------------------ typed reads

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self.error(None, f'"{self.name(key)}" is missing; add {key} = "..."')
            return default
        if not isinstance(value, str):
            self.error(key, f'"{self.name(key)}" must be text in quotes, e.g. {key} = "..."')
            return default
        return value

    def day(self, key: str, *, required: bool = True) -> date | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.error(None, f'"{self.name(key)}" is missing; add {key} = YYYY-MM-DD')
            return None
        if isinstance(value, date) and not hasattr(value, "hour"):
            return value
        self.error(key, f'"{self.name(key)}" must be a date written YYYY-MM-DD without quotes')
        return None

    def text_list(self, key: str, *, required: bool = True) -> list[str]:
        value = self.data.get(key)
        if value is None:
            if required:
                self.error(None, f'"{self.name(key)}" is missing; add {key} = ["...", "..."]')
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(key, f'"{self.name(key)}" must be a list of text, e.g. ["...", "..."]')
            return []
        return list(value)

    def localized(
        self, key: str, languages: Iterable[str], *, required: bool = True
    ) -> dict[str, str]:
        """A per-language table; every language must be there when required."""
        value = self.data.get(key)
        languages = list(languages)
        if value is None:
            if required:
                example = "\n".join(f'{lang} = "..."' for lang in languages)
                self.error(
                    None,
                    f'"{self.name(key)}" is missing; add a [{self.name(key)}] table '
                    f"with one line per language:\n{example}",
                )
            return {}
        if not isinstance(value, dict):
            self.error(
                key,
                f'"{self.name(key)}" must be a table with one text per language, '
                f'e.g. {key}.{languages[0] if languages else "en"} = "..."',
            )
            return {}
        sub = self.sub(key)
        out: dict[str, str] = {}
        for lang in languages:
            text = value.get(lang)
            if text is None:
                if required:
                    sub.error(
                        None, f'"{self.name(key)}" has no text for "{lang}"; add {lang} = "..."'
                    )
            elif not isinstance(text, str) or (required and not text.strip()):
                sub.error(lang, f'"{self.name(key)}.{lang}" must be non-empty text in quotes')
            else:
                out[lang] = text
        extras = [extra for extra in value if extra not in languages] if languages else []
        for extra in extras[:MAX_UNKNOWN_REPORTS]:  # no languages known: already reported
            sub.warning(
                extra,
                f'"{self.name(key)}.{extra}" is for a language the handbook does not have '
                f"({', '.join(languages)}); remove it or add the language",
            )
        if len(extras) > MAX_UNKNOWN_REPORTS:
            more = len(extras) - MAX_UNKNOWN_REPORTS
            sub.warning(None, f"{more} more languages the handbook does not have are ignored")
        return out

    def sub(self, key: str) -> TomlFields:
        value = self.data.get(key)
        data = value if isinstance(value, dict) else {}
        return TomlFields(self.file, self.problems, (*self.table, key), data, self._below(key))

    def _below(self, key: str) -> int:
        """Which `[table.key]` header is this table's own: the first after its header (the
        second `[[contact]]`'s `[contact.label]` is the second one in the file)."""
        if not self.table:
            return 0
        index = _index(self.file.text)
        starts = index.by_parts.get(self.table, [])
        if self.occurrence >= len(starts):
            return 0
        return bisect.bisect_right(
            index.by_parts.get((*self.table, key), []), starts[self.occurrence]
        )

    def tables(self, key: str) -> list[TomlFields]:
        """An array of tables, `[[key]]`."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.error(key, f'"{self.name(key)}" must be written as [[{self.name(key)}]] tables')
            return []
        return [
            TomlFields(self.file, self.problems, (*self.table, key), item, index)
            for index, item in enumerate(value)
        ]

    def unknown_keys(self, known: Iterable[str]) -> None:
        """Warn about keys nobody reads: usually a typo (the first few, then how many more:
        locating each costs a pass over the file)."""
        known = list(known)
        unknown = [key for key in self.data if key not in known]
        for key in unknown[:MAX_UNKNOWN_REPORTS]:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            self.warning(key, f'unknown setting "{self.name(key)}"{hint}; it is ignored')
        if len(unknown) > MAX_UNKNOWN_REPORTS:
            more = len(unknown) - MAX_UNKNOWN_REPORTS
            where = f"[{'.'.join(self.table)}]" if self.table else "this file"
            self.warning(None, f"{more} more unknown settings in {where} are ignored")
