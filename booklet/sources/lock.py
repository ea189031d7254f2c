"""translations.lock -> the TranslationRecord of the model; damaged lines are problems.

The file records, at the last sync or import, every piece of text of the authoritative
language (by its stable unit id) and every cited statute article, with a hash of its text
in each language and of the original each translation was made from. It is written by
booklet.translations.record; this module only reads it, so the sources stage stays the
one reader of the handbook's files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import unquote

from booklet.errors import Problem, Severity, SourceLocation
from booklet.model import RecordedUnit, TranslationRecord

LOCK_HEADER = (
    "# translations.lock: what each piece of text and statute article said when its\n"
    "# translations were last synced (booklet translations sync/import). Commit it with\n"
    "# the handbook. Lines:\n"
    "# unit <chapter> <id> <kind> <original>=<hash> <language>=<hash>/<original hash>\n"
    "# article <statute> <key> <original>=<hash> <language>=<hash>/<original hash>\n"
    "# where <original hash> is the hash of the original the translation was made from,\n"
    '# and text <hash> "..." is the original text of a hash (shown to translators as the\n'
    "# text before a change).\n"
)
_OLD_FORMAT = (
    "this translations.lock was written by an older booklet, which recorded whole blocks; "
    "check the translations are current, then run booklet translations sync to record "
    "them again"
)


DELETED = "deleted"
"""The line of a piece whose original was deleted and whose translation is still in the
translation file: `deleted <chapter> <id> <kind> <hashes>`, like a `unit` line."""


def lock_name(chapter: str) -> str:
    """A chapter's file name as the lock writes it: white space and % escaped, so a name
    with a space stays one field (`03 records.md` -> `03%20records.md`)."""
    return re.sub(r"[%\s]", lambda m: f"%{ord(m.group(0)):02X}", chapter)


def _recorded(unit_id: str, kind: str, fields: Sequence[str], line: int) -> RecordedUnit:
    hashes: dict[str, str] = {}
    made_from: dict[str, str] = {}
    for field in fields:
        lang, value = field.split("=", 1)
        text, _, source = value.partition("/")
        if not lang or not text:
            raise ValueError
        hashes[lang] = text
        if source:  # "-": written but never reviewed, made from no original
            made_from[lang] = source
    return RecordedUnit(unit_id, kind, hashes, made_from, line)


def parse_lock(path: SourceLocation, text: str) -> tuple[TranslationRecord | None, list[Problem]]:
    """Read translations.lock; a damaged line is a problem, not a crash."""
    problems: list[Problem] = []
    authoritative = ""
    chapters: dict[str, list[RecordedUnit]] = {}
    articles: dict[str, RecordedUnit] = {}
    texts: dict[str, str] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        where = SourceLocation(path.path, number)
        if fields[0] == "block":
            problems.append(Problem(where, _OLD_FORMAT, Severity.WARNING))
            return None, problems
        try:
            if fields[0] == "authoritative" and len(fields) == 2:
                authoritative = fields[1]
            elif fields[0] in ("unit", DELETED) and len(fields) >= 5:
                unit = _recorded(fields[2], fields[3], fields[4:], number)
                unit = replace(unit, deleted=fields[0] == DELETED)
                chapters.setdefault(unquote(fields[1]), []).append(unit)
            elif fields[0] == "text" and len(fields) >= 3:
                value = json.loads(line.split(None, 2)[2])
                if not isinstance(value, str):
                    raise ValueError
                texts[fields[1]] = value
            elif fields[0] == "article" and len(fields) >= 4:
                key = f"{fields[1]} {fields[2]}"
                articles[key] = _recorded(key, "article", fields[3:], number)
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
        authoritative, {k: tuple(v) for k, v in chapters.items()}, articles, path, texts
    )
    return record, problems
