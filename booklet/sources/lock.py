"""translations.lock -> the TranslationRecord of the model; damaged lines are problems.

The file records, at the last sync, a hash of every block and cited statute article in
every language (written by booklet.translations.record). This module only reads it, so
the sources stage stays the one reader of the handbook's files.
"""

from __future__ import annotations

from collections.abc import Sequence

from booklet.errors import Problem, SourceLocation
from booklet.model import RecordedBlock, TranslationRecord

LOCK_HEADER = (
    "# translations.lock: what each block and statute article said when its translations\n"
    "# were last synced (booklet translations sync/import). Commit it with the handbook.\n"
    "# block <chapter> <number> <kind> <original>=<hash> <language>=<hash>/<original hash>\n"
    "# article <statute> <key> <original>=<hash> <language>=<hash>/<original hash>\n"
    "# where <original hash> is the hash of the original the translation was made from.\n"
)


def _recorded(kind: str, fields: Sequence[str], line: int) -> RecordedBlock:
    hashes: dict[str, str] = {}
    made_from: dict[str, str] = {}
    for field in fields:
        lang, value = field.split("=", 1)
        text, _, source = value.partition("/")
        hashes[lang] = text
        if source and source != "-":
            made_from[lang] = source
    return RecordedBlock(kind, hashes, made_from, line)


def parse_lock(path: SourceLocation, text: str) -> tuple[TranslationRecord | None, list[Problem]]:
    """Read translations.lock; a damaged line is a problem, not a crash."""
    problems: list[Problem] = []
    authoritative = ""
    chapters: dict[str, list[RecordedBlock]] = {}
    articles: dict[str, RecordedBlock] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        where = SourceLocation(path.path, number)
        try:
            if fields[0] == "authoritative" and len(fields) == 2:
                authoritative = fields[1]
            elif fields[0] == "block" and len(fields) >= 5:
                block = _recorded(fields[3], fields[4:], number)
                chapters.setdefault(fields[1], []).append(block)
            elif fields[0] == "article" and len(fields) >= 4:
                articles[f"{fields[1]} {fields[2]}"] = _recorded("article", fields[3:], number)
            else:
                raise ValueError
        except ValueError:
            problems.append(
                Problem(
                    where,
                    "this line of translations.lock is damaged; run "
                    "booklet translations sync to write the file again",
                )
            )
    record = TranslationRecord(
        authoritative, {k: tuple(v) for k, v in chapters.items()}, articles, path
    )
    return record, problems
