"""Exchange files for translators: XLIFF (translate-toolkit) and PO (polib), out and back in.

Export gives one unit per piece of running text (a heading, a paragraph, a list item:
`02-evidence.md#5.2`) and per cited statute article (`prc-civil-code:667`), with the
authoritative text as source, the current translation as target, its state (translated,
needs-review when stale, new when missing) and notes. Import writes targets back by
replacing only the text of each piece, so the Markdown keeps its structure; it refuses,
with the file and line of the unit, an id that no longer exists, an original that
changed since the export, or a target whose markup would change the block.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polib
from translate.storage import xliff

from booklet.errors import BookletError, Problem, SourceLocation
from booklet.law.citations import natural_key
from booklet.model import Article, Chapter, Handbook, Statute
from booklet.sources.markdown import MARKDOWN, RAW_TAG, REFUSED_LINK, TRANSLATE_PLACEHOLDER
from booklet.translations.segments import Segment, rewrite
from booklet.translations.states import (
    article_status,
    chapter_states,
    cited_statute_articles,
    is_placeholder,
    sources,
)

FORMATS = ("xliff", "po")
_STATES = {"current": "translated", "stale": "needs-review-translation", "missing": "new"}
_CITATION = re.compile(r"\[\[[^\]]*\]\]")
_BLOCK_START = re.compile(r"^\s*(#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|>|:::|```|~~~)")


@dataclass(frozen=True)
class Unit:
    """One translatable piece."""

    id: str
    """`chapter.md#5.2` for text, `law:key` for an article."""
    source: str
    """The authoritative text."""
    target: str
    """The current translation ("" when missing)."""
    state: str
    """`translated`, `needs-review-translation` or `new`."""
    note: str
    """Where it is and what kind of text it is."""


@dataclass(frozen=True)
class ImportedUnit:
    """A unit as read back from an exchange file."""

    id: str
    source: str
    target: str
    state: str
    location: SourceLocation


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------- export


def export_units(handbook: Handbook, language: str) -> list[Unit]:
    """Every unit of one translation language, in reading order."""
    auth = handbook.authoritative
    units: list[Unit] = []
    for chapter in handbook.chapters:
        blocks = sources(chapter)
        recorded = handbook.record.chapters.get(chapter.name) if handbook.record else None
        mine = blocks.get(language, [])
        for state in chapter_states(recorded, blocks[auth], mine, auth, language):
            if state.original is None:
                continue
            original = blocks[auth][state.original]
            translation = mine[state.translation] if state.translation is not None else None
            targets = (
                {s.id[len(str(translation.index)):]: s.text for s in translation.segments}
                if translation is not None and not is_placeholder(translation) else {}
            )  # fmt: skip
            for segment in original.segments:
                target = targets.get(segment.id[len(str(original.index)) :], "")
                units.append(Unit(
                    f"{chapter.name}#{segment.id}", segment.text, target,
                    _STATES[state.status if target else "missing"],
                    f"chapter {chapter.name}, block {original.index} ({original.kind}), "
                    f"{segment.kind}",
                ))  # fmt: skip
    for statute, article in cited_statute_articles(handbook):
        status = article_status(handbook.record, statute, article, auth, language)
        source = "\n\n".join(article.paragraphs.get(auth, ()))
        target = "\n\n".join(article.paragraphs.get(language, ())) if status != "missing" else ""
        units.append(Unit(
            f"{statute.id}:{article.key}", source, target, _STATES[status],
            f"statute {statute.id} ({statute.title.get(auth, statute.id)}), article "
            f"{article.key}; paragraphs are separated by a blank line",
        ))  # fmt: skip
    return units


def write_exchange(handbook: Handbook, language: str, kind: str) -> bytes:
    """The XLIFF or PO file of one translation language."""
    units = export_units(handbook, language)
    if kind == "xliff":
        store: xliff.xlifffile[xliff.xliffunit] = xliff.xlifffile(
            sourcelanguage=handbook.authoritative, targetlanguage=language
        )
        store.setfilename(store.getfilenode("NoName"), handbook.id)
        for unit in units:
            item = store.addsourceunit(unit.source, filename=handbook.id)
            item.setid(unit.id)
            item.target = unit.target  # always a <target>, empty when missing ("new")
            item.xmlelement.find(f"{{{store.namespace}}}target").set("state", unit.state)
            item.markapproved(unit.state == "translated")
            item.addnote(unit.note, origin="developer")
        return bytes(store)
    catalog = polib.POFile(wrapwidth=0)
    catalog.metadata = {
        "Project-Id-Version": handbook.id,
        # gettext's placeholders: the translator's tool fills them in.
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Booklet-Handbook": handbook.id,
        "X-Booklet-Source-Language": handbook.authoritative,
    }
    for unit in units:
        flags = ["fuzzy"] if unit.state.startswith("needs-review") else []
        catalog.append(polib.POEntry(msgctxt=unit.id, msgid=unit.source, msgstr=unit.target,
                                     comment=unit.note, flags=flags))  # fmt: skip
    return str(catalog).encode("utf-8")


# ---------------------------------------------------------------- reading back


def read_exchange(path: Path, data: bytes) -> tuple[str, str, list[ImportedUnit]]:
    """(handbook id, language, units) of an XLIFF or PO file."""
    try:
        if data.lstrip().startswith(b"<"):
            store = xliff.xlifffile.parsestring(data)
            handbook = (store.getfilenames() or [""])[0]
            language = store.gettargetlanguage() or ""
            units = []
            for unit in store.units:
                element = unit.xmlelement
                unit_id = element.get("id")  # getid() would prefix the file name
                if not unit_id:
                    continue
                target = element.find(f"{{{store.namespace}}}target")
                units.append(ImportedUnit(
                    unit_id, str(unit.source or ""), str(unit.target or ""),
                    target.get("state", "") if target is not None else "",
                    SourceLocation(path, element.sourceline or 0),
                ))  # fmt: skip
            return handbook, language, units
        catalog = polib.pofile(data.decode("utf-8"))
    except Exception as error:  # the libraries raise many kinds for a damaged file
        raise BookletError(
            f"{path}: not a readable XLIFF or PO file ({error}); export it again"
        ) from None
    units = [
        ImportedUnit(
            entry.msgctxt or "", entry.msgid, entry.msgstr or "",
            "needs-review-translation" if entry.fuzzy else
            ("translated" if entry.msgstr else "new"),
            SourceLocation(path, entry.linenum),
        )
        for entry in catalog if not entry.obsolete and entry.msgid
    ]  # fmt: skip
    handbook = catalog.metadata.get("X-Booklet-Handbook", "")
    language = catalog.metadata.get("Language", "")
    if not units and not language:
        raise BookletError(
            f"{path}: not a readable XLIFF or PO file (it has no units); export it again"
        )
    return handbook, language, units


# ---------------------------------------------------------------- import


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
            if _clean(original.text) != _clean(unit.source):
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
            texts.setdefault(path, chapters[name].versions[language].source)
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
        if _clean(unit.source) != _clean("\n\n".join(article.paragraphs.get(auth, ()))):
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
    blocks = sources(chapter)
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
