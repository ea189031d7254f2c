"""law.lock -> the LawRecord of the model; a damaged line is a problem, not a crash.

The file records, when a lawyer last reviewed the handbook (`booklet laws reviewed`), a
hash of the text of every article the handbook cites, in each language. It is written by
booklet.law.reviewed; this module only reads it.
"""

from __future__ import annotations

from pathlib import Path

from booklet.errors import Problem, SourceLocation
from booklet.model import LawRecord


def parse_law_lock(path: Path, text: str) -> tuple[LawRecord, list[Problem]]:
    """Read law.lock: every `article` line; anything else but comments is a problem."""
    articles: dict[tuple[str, str], dict[str, str]] = {}
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        hashes = dict(f.split("=", 1) for f in fields[3:] if "=" in f)
        if fields[0] != "article" or len(fields) < 4 or len(hashes) != len(fields) - 3:
            problems.append(
                Problem(
                    SourceLocation(path, number),
                    "damaged law.lock line; run booklet laws reviewed again after the review, "
                    "or restore the file from version control",
                )
            )
            continue
        articles[(fields[1], fields[2])] = hashes
    return LawRecord(articles, SourceLocation(path, 0)), problems
