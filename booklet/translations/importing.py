"""Import: an exchange file's targets -> the new text of chapter and statute files (in memory).

Takes the parsed handbook, a translation language and the units read back from an
exchange file; gives the files to write and the lock entries now current, or a Problem
per refused unit (with the exchange file's line). Only the text of each piece changes,
so the Markdown keeps its structure.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from booklet.errors import BookletError, Problem
from booklet.law.citations import natural_key
from booklet.model import Article, Chapter, Handbook, Statute
from booklet.sources.markdown import MARKDOWN, RAW_TAG, REFUSED_LINK, TRANSLATE_PLACEHOLDER
from booklet.translations.segments import Segment, rewrite
from booklet.translations.states import chapter_spans, cited_statute_articles
from booklet.translations.units import ImportedUnit

_CITATION = re.compile(r"\[\[[^\]]*\]\]")
_BLOCK_START = re.compile(r"^\s*(#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|>|:::|```|~~~)")


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class ImportResult:
    """What an import would write."""

    files: dict[Path, str]
    """Changed files and their new text."""
    synced: dict[str, frozenset[str]]
    """translations.lock keys now translated from the current original -> languages."""
    changed_units: int
    """Units whose translation changed."""


def _check_target(unit: ImportedUnit, original: Segment) -> str | None:
    """Why this target cannot go into the block, or None when it can."""
    target, source = unit.target, original.text
    if original.kind == "heading" and "\n" in target.strip():
        return "a heading's translation must be one line; join its lines"
    if original.kind == "item" and re.match(r"\s*\[[ xX]\]\s", target):
        return "its translation starts with a check box ([ ] or [x]); remove it"
    if target.count("![") != source.count("!["):
        return "its translation must keep the images of the original, and add none"
    if re.search(r"\n\s*\n", target):
        return "its translation has a blank line, which would split the block in two; join it"
    if _BLOCK_START.match(target):
        return ("its translation starts with Markdown that would change the kind of block "
                f"({target.lstrip()[:3]!r}); remove it")  # fmt: skip
    tokens = MARKDOWN.parse(target)
    if [t.type for t in tokens] != ["paragraph_open", "inline", "paragraph_close"]:
        return "its translation would not stay one piece of text; remove the Markdown markup"
    if RAW_TAG.search(target.replace(TRANSLATE_PLACEHOLDER, "")):
        return "its translation holds raw HTML; remove the tags"
    if REFUSED_LINK.search(target):
        return "its translation has a link that is not http(s), mailto: or tel:; remove it"
    wanted, given = sorted(_CITATION.findall(source)), sorted(_CITATION.findall(target))
    if wanted != given:
        kept = ", ".join(wanted) or "none"
        return f"its translation must keep the citations of the original ({kept}), but has " + (
            ", ".join(given) or "none"
        )
    return None


def import_units(
    handbook: Handbook, language: str, units: Sequence[ImportedUnit]
) -> tuple[ImportResult, list[Problem]]:
    """Apply imported targets to the handbook's files (in memory); refuse bad units."""
    auth = handbook.authoritative
    problems: list[Problem] = []
    markdown: dict[Path, list[tuple[Segment, str]]] = {}
    texts: dict[Path, str] = {}
    synced: dict[str, set[str]] = {}
    changed = 0
    chapters = {c.name: c for c in handbook.chapters}
    statutes = {(s.id, a.key): (s, a) for s, a in cited_statute_articles(handbook)}
    article_changes: dict[Path, list[tuple[Statute, Article, str]]] = {}

    first_seen: dict[str, int] = {}
    for unit in units:
        if not unit.id:
            problems.append(
                Problem(
                    unit.location,
                    "this entry has no unit id (msgctxt); "
                    "translate the file booklet exported, not a copy of it",
                )
            )
            continue
        if unit.id in first_seen:
            problems.append(
                Problem(
                    unit.location,
                    f'unit "{unit.id}" appears twice (first at '
                    f"line {first_seen[unit.id]}); keep one of them",
                )
            )
            continue
        first_seen[unit.id] = unit.location.line
        if not unit.target.strip() or unit.target.strip() == TRANSLATE_PLACEHOLDER:
            continue
        name, hash_mark, segment_id = unit.id.partition("#")
        accepted = unit.state in ("translated", "final", "signed-off")
        if hash_mark:
            found = _find(chapters.get(name), segment_id, auth, language)
            if found is None:
                problems.append(
                    Problem(
                        unit.location,
                        f'unit "{unit.id}" no longer exists in '
                        f"{handbook.id}; export again and translate the new file",
                    )
                )
                continue
            original, mine, key = found
            if _clean(original.text) != _clean(unit.original):
                problems.append(
                    Problem(
                        unit.location,
                        f'the original of unit "{unit.id}" '
                        "changed since the export; export again and translate "
                        "the new text",
                    )
                )
                continue
            reason = _check_target(unit, original)
            if reason:
                problems.append(Problem(unit.location, f'unit "{unit.id}": {reason}'))
                continue
            path = chapters[name].versions[language].path
            texts.setdefault(path, chapters[name].versions[language].file_text)
            if unit.target != mine.text:
                markdown.setdefault(path, []).append((mine, unit.target))
                changed += 1
                accepted = True
            if accepted:
                synced.setdefault(key, set()).add(language)
            continue
        law, _, article_key = unit.id.partition(":")
        pair = statutes.get((law, article_key))
        if pair is None:
            problems.append(
                Problem(
                    unit.location,
                    f'unit "{unit.id}" is not an article the handbook cites; export again',
                )
            )
            continue
        statute, article = pair
        if _clean(unit.original) != _clean("\n\n".join(article.paragraphs.get(auth, ()))):
            problems.append(
                Problem(
                    unit.location,
                    f'the original of unit "{unit.id}" changed '
                    "since the export; export again and translate the new text",
                )
            )
            continue
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", unit.target.strip())]
        if [_clean(p) for p in paragraphs] != [_clean(p) for p in
                                               article.paragraphs.get(language, ())]:  # fmt: skip
            article_changes.setdefault(statute.location.path, []).append(
                (statute, article, "\n\n".join(paragraphs))
            )
            changed += 1
            accepted = True
        if accepted:
            synced.setdefault(f"{law} {article_key}", set()).add(language)

    files: dict[Path, str] = {}
    for path, changes in markdown.items():
        files[path] = rewrite(texts[path], changes)
    for path, edits in article_changes.items():
        text = edits[0][0].file_text
        for _, article, value in sorted(edits, key=lambda e: natural_key(e[1].key)):
            text = set_article_text(text, article.key, language, value)
        files[path] = text
    result = ImportResult(files, {k: frozenset(v) for k, v in synced.items()}, changed)
    return result, problems


def _find(
    chapter: Chapter | None, segment_id: str, auth: str, language: str
) -> tuple[Segment, Segment, str] | None:
    """The original and translated segment of an id, and the lock key of its block."""
    if chapter is None or auth not in chapter.versions or language not in chapter.versions:
        return None
    blocks = chapter_spans(chapter)
    block_number = segment_id.split(".", 1)[0]
    if not block_number.isdigit():
        return None
    index = int(block_number) - 1
    originals, mine = blocks[auth], blocks[language]
    if index >= len(originals) or index >= len(mine):
        return None
    original = next((s for s in originals[index].segments if s.id == segment_id), None)
    translated = next((s for s in mine[index].segments if s.id == segment_id), None)
    if original is None or translated is None:
        return None
    return original, translated, f"{chapter.name} {index + 1}"


def _toml_string(text: str) -> str:
    if "\n" not in text:
        return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string
    escaped = text.replace("\\", "\\\\").replace('"""', '""\\"')
    return f'"""\n{escaped}"""'


def set_article_text(toml: str, key: str, language: str, text: str) -> str:
    """The statute file with one article's text in one language replaced (or added)."""
    lines = toml.split("\n")
    header = re.compile(rf"^\s*\[\s*articles\s*\.\s*[\"']?{re.escape(key)}[\"']?\s*\]\s*(#.*)?$")
    start = next((i for i, line in enumerate(lines) if header.match(line)), None)
    if start is None:
        raise BookletError(f"article {key} not found in the statute file")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")),
               len(lines))  # fmt: skip
    assignment = re.compile(rf'^\s*["\']?{re.escape(language)}["\']?\s*=\s*(.*)$')
    value = _toml_string(text)
    for i in range(start + 1, end):
        match = assignment.match(lines[i])
        if not match:
            continue
        rest = match.group(1)
        last = i
        if rest.startswith(('"""', "'''")):
            quote = rest[:3]
            if rest.count(quote) < 2:
                last = next(j for j in range(i + 1, end) if quote in lines[j])
        lines[i : last + 1] = [f"{language} = {value}"]
        return "\n".join(lines)
    insert_at = end
    while insert_at > start + 1 and not lines[insert_at - 1].strip():
        insert_at -= 1
    lines[insert_at:insert_at] = [f"{language} = {value}"]
    return "\n".join(lines)
