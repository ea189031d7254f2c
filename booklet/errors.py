"""The one error hierarchy of booklet, and the Problem record that checks produce.

A BookletError is something the user can fix (bad content, a missing font, a failed
build); the CLI prints it and exits 1. Any other exception is a bug.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


def display_path(path: Path) -> str:
    """The path as the user should read it: relative to the working folder when inside it."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


@dataclass(frozen=True)
class SourceLocation:
    """A place in a source file, for messages."""

    path: Path
    """The file the node came from."""
    line: int
    """1-based line number; 0 when the whole file is meant."""

    def __str__(self) -> str:
        if self.line <= 0:
            return display_path(self.path)
        return f"{display_path(self.path)}:{self.line}"


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a handbook, found by parsing or checking."""

    location: SourceLocation
    """Where it is."""
    message: str
    """What is wrong and how to fix it: lower case, no trailing period."""
    severity: Severity = Severity.ERROR
    """Errors stop a build; warnings stop it only with --strict."""

    def __str__(self) -> str:
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{self.location}: {prefix}{self.message}"


class BookletError(Exception):
    """Base of every error the user can fix; the CLI maps it to exit code 1."""

    def report(self) -> list[str]:
        """The lines the user reads, in order."""
        return [f"Error: {self}"]


class SourceError(BookletError):
    """One problem in a source file."""

    def __init__(self, location: SourceLocation, message: str) -> None:
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message


class ProblemsFound(BookletError):
    """A handbook has problems that stop the build; all of them are listed."""

    def __init__(self, handbook_dir: Path, problems: list[Problem]) -> None:
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} {noun} in {display_path(handbook_dir)}")
        self.handbook_dir = handbook_dir
        self.problems = problems

    def report(self) -> list[str]:
        return [*(str(problem) for problem in self.problems), f"Error: {self}"]


class SeveralErrors(BookletError):
    """Errors of several handbooks (or languages), each reported in full, then a closing line."""

    def __init__(self, errors: Sequence[BookletError], closing: str = "") -> None:
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = list(errors)
        self.closing = closing

    def report(self) -> list[str]:
        lines = [line for error in self.errors for line in error.report()]
        return [*lines, self.closing] if self.closing else lines


class ConfigError(BookletError):
    """The command line, the theme or the machine is not set up right."""


class RenderError(BookletError):
    """WeasyPrint or the EPUB writer failed, or refused a resource."""
