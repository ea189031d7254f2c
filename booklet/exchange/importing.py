"""Import: an exchange file's targets -> the new bytes of chapter and statute files.

Takes the parsed handbook, a translation language and the units read back from an
exchange file; gives the files to write, what translations.lock must record, and a
summary (units written, unchanged, skipped and why), or a Problem per refused unit (with
the exchange file's line). Only the text of each piece changes, so the Markdown keeps its
structure; pieces and chapters the translation lacks are added where they belong
(booklet.exchange.writing). Targets are compared after booklet.text.normal, so
importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError

from booklet.errors import BookletError, Problem
from booklet.exchange.files import export_units
from booklet.exchange.units import ImportedUnit
from booklet.exchange.writing import cell_text, encoded, new_row, rewrite_translation
from booklet.model import Article, Handbook, Statute
from booklet.sources.inline import RAW_TAG, REFUSED_LINK, TRANSLATE_PLACEHOLDER
from booklet.sources.markdown import MARKDOWN
from booklet.text.normal import normal_text
from booklet.translations.pairing import ChapterPairing, Piece, chapter_pairings, digest
from booklet.translations.places import Places, places
from booklet.translations.states import cited_statute_articles
from booklet.vocabulary import MatchedBy, TranslationState

_CITATION = re.compile(r"\[\[[^\]]*\]\]")
_BLOCK_START = re.compile(r"^\s*(#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|>|:::|```|~~~)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_DONE = frozenset({"translated", "final", "signed-off", "new", ""})
"""States that mean "translated" (CAT tools often leave `new` on a unit they filled in);
`needs-*` states and PO's fuzzy flag do not."""


@dataclass(frozen=True)
class ImportResult:
    """What an import would write, and what it did with each unit."""

    files: dict[Path, bytes]
    """Changed files and their new bytes."""
    synced: dict[str, frozenset[str]]
    """Lock keys (`chapter.md#id`, `law key`) now translated from the current original."""
    hashes: dict[str, dict[str, str]]
    """Lock key -> language -> hash of the translation written (so the lock pairs it)."""
    written: int
    """Units whose translation was written."""
    unchanged: int
    """Units whose translation was already what the file says."""
    skipped: Counter[str] = field(default_factory=Counter)
    """Why units were left out -> how many."""
    for_review: int = 0
    """Units written (or kept) but still marked fuzzy or for review: they stay stale."""
    matched: Counter[MatchedBy] = field(default_factory=Counter)
    """How the file's units were matched to the handbook's (by id, by text)."""


def tidy_target(text: str) -> str:
    """A target without what a tool added around it: surrounding white space, and the
    indentation a pretty-printer put before each line."""
    lines = [line.strip() for line in text.strip().split("\n")]
    return "\n".join(lines)


def _check_target(target: str, original: Piece) -> str | None:
    """Why this target cannot go into the block, or None when it can."""
    source = original.text
    if original.kind == "heading" and "\n" in target.strip():
        return "a heading's translation must be one line; join its lines"
    if original.kind == "cell":
        if "\n" in target.strip():
            return "a table cell's translation must be one line; join its lines"
        return _inline_problem(target, source)
    if original.kind == "item" and re.match(r"\s*\[[ xX]\]\s", target):
        return "its translation starts with a check box ([ ] or [x]); remove it"
    if target.count("![") != source.count("!["):
        return "its translation must keep the images of the original, and add none"
    if re.search(r"\n\s*\n", target):
        return "its translation has a blank line, which would split the block in two; join it"
    if _BLOCK_START.match(target):
        return (
            "its translation starts with Markdown that would change the kind of block "
            f"({target.lstrip()[:3]!r}); remove it"
        )
    tokens = MARKDOWN.parse(target)
    if [t.type for t in tokens] != ["paragraph_open", "inline", "paragraph_close"]:
        return "its translation would not stay one piece of text; remove the Markdown markup"
    return _inline_problem(target, source)


def _inline_problem(target: str, source: str) -> str | None:
    """Why a target's text cannot go in, whatever block holds it, or None."""
    if _CONTROL.search(target):
        return "its translation holds a control character; remove it"
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


class _Importer:
    """One import: the handbook's pairings, and what each unit makes of them."""

    def __init__(self, handbook: Handbook, language: str) -> None:
        self.handbook = handbook
        self.language = language
        auth = handbook.authoritative
        record = handbook.record.chapters if handbook.record else None
        self.pairings: dict[str, ChapterPairing] = {
            chapter.name: chapter_pairings(chapter, record, [language], auth)[language]
            for chapter in handbook.printed_chapters
        }
        self.ids = {
            name: {s.id: s.original for s in pairing.states if s.original is not None}
            for name, pairing in self.pairings.items()
        }
        self.texts: dict[str, dict[int, str]] = {}
        self.articles: dict[Path, list[tuple[Statute, Article, str]]] = {}
        self.synced: dict[str, set[str]] = {}
        self.hashes: dict[str, dict[str, str]] = {}
        self.written = 0
        self.unchanged = 0
        self.skipped: Counter[str] = Counter()
        self.for_review = 0
        self.problems: list[Problem] = []
        self.places: dict[str, Places] = {}

    def piece(self, unit: ImportedUnit, target: str, done: bool) -> None:
        name, _, unit_id = unit.id.rpartition("#")  # a chapter's name may hold a "#"
        pairing = self.pairings.get(name)
        index = self.ids.get(name, {}).get(unit_id)
        if pairing is None or index is None:
            self.skipped["whose original no longer exists"] += 1
            return
        state = pairing.state_of(index)
        original = pairing.originals[index]
        mine = pairing.translations[state.translation] if state.translation is not None else None
        changed_since = normal_text(unit.original) != normal_text(original.text)
        if changed_since and state.status != TranslationState.MISSING:
            self.skipped["whose original changed since the export"] += 1
            return
        if (
            original.kind == "cell"
            and mine is None
            and self.has_table(pairing, original)
            and new_row(pairing, index) is None
        ):
            # A column the translated table lacks: its shape is the translator's (and
            # check's) to fix; a cell cannot be added alone (a whole new row can).
            self.skipped["of table columns the translation lacks (add them)"] += 1
            return
        reason = _check_target(target, original)
        if reason:
            self.problems.append(Problem(unit.location, f'unit "{unit.id}": {reason}'))
            return
        if original.kind == "cell":
            target = cell_text(target)  # as its row holds it: compared, hashed, written
        key = f"{name}#{unit_id}"
        same = mine is not None and normal_text(mine.text) == normal_text(target)
        if same and state.status == TranslationState.CURRENT:
            self.unchanged += 1
            return
        if not done:
            # The translator's text is kept, but a unit still marked for review is not
            # recorded as current: it stays stale (or missing) until it is reviewed.
            self.for_review += 1
            if same:
                return
        if not same:
            self.texts.setdefault(name, {})[index] = target
            kind = f"heading{original.level}" if original.kind == "heading" else original.kind
            self.hashes.setdefault(key, {})[self.language] = digest(
                f"{kind}\n{normal_text(target)}"
            )
            self.written += 1
        elif done:
            self.unchanged += 1
        if done and not changed_since:  # a translation of an older original stays stale
            self.synced.setdefault(key, set()).add(self.language)

    def has_table(self, pairing: ChapterPairing, cell: Piece) -> bool:
        """Whether the translation has the table a cell of the original is in."""
        name = pairing.chapter.name
        if name not in self.places:
            self.places[name] = places(pairing)
        return self.places[name].translation_container(cell.path[:-1]) is not None

    def article(self, unit: ImportedUnit, target: str, done: bool) -> None:
        law, _, article_key = unit.id.partition(":")
        found = {(s.id, a.key): (s, a) for s, a in cited_statute_articles(self.handbook)}
        pair = found.get((law, article_key))
        if pair is None:
            self.skipped["whose original no longer exists"] += 1
            return
        statute, article = pair
        auth = self.handbook.authoritative
        if normal_text(unit.original) != normal_text("\n\n".join(article.paragraphs.get(auth, ()))):
            self.skipped["whose original changed since the export"] += 1
            return
        if _CONTROL.search(target):
            self.problems.append(
                Problem(
                    unit.location,
                    f'unit "{unit.id}": its translation holds a control character; remove it',
                )
            )
            return
        paragraphs = [tidy_target(p) for p in re.split(r"\n\s*\n", target)]
        value = "\n\n".join(paragraphs)
        current = article.paragraphs.get(self.language, ())
        same = [normal_text(p) for p in paragraphs] == [normal_text(p) for p in current]
        if not same:
            self.articles.setdefault(statute.location.path, []).append((statute, article, value))
            self.written += 1
        if not done:
            self.for_review += 1
            return
        if same:
            self.unchanged += 1
        self.synced.setdefault(f"{law} {article_key}", set()).add(self.language)

    def files(self) -> dict[Path, bytes]:
        out: dict[Path, bytes] = {}
        for name, texts in self.texts.items():
            pairing = self.pairings[name]
            version = pairing.translated
            original = pairing.chapter.versions[self.handbook.authoritative]
            path = (
                version.path if version is not None else (self.handbook.root / self.language / name)
            )
            newline = version.newline if version is not None else original.newline
            bom = version.bom if version is not None else False
            out[path] = encoded(rewrite_translation(pairing, texts), newline, bom)
        for path, edits in self.articles.items():
            out[path] = set_article_texts(edits[0][0].file_text, self.language, edits)
        return out


def import_units(
    handbook: Handbook, language: str, units: Sequence[ImportedUnit]
) -> tuple[ImportResult, list[Problem]]:
    """Apply imported targets to the handbook's files (in memory); refuse bad units.
    Units are matched as gettext does: by id, else by their original's exact text, else
    by its normalised text; a file from which nothing can be matched is refused."""
    importer = _Importer(handbook, language)
    matching = match_units(handbook, language, units)
    first_seen: dict[str, int] = {}
    for unit in matching.units:
        if not unit.id:
            importer.skipped["that match no unit (no id, and no original with their text)"] += 1
            continue
        if unit.id in first_seen:
            importer.problems.append(
                Problem(
                    unit.location,
                    f'unit "{unit.id}" appears twice (first at line {first_seen[unit.id]}); '
                    "keep one of them",
                )
            )
            continue
        first_seen[unit.id] = unit.location.line
        target = tidy_target(unit.target)
        if not target or target == TRANSLATE_PLACEHOLDER:
            importer.skipped["not translated yet"] += 1
            continue
        done = unit.state in _DONE
        if "#" in unit.id:
            importer.piece(unit, target, done)
        else:
            importer.article(unit, target, done)
    result = ImportResult(
        importer.files() if not importer.problems else {},
        {k: frozenset(v) for k, v in importer.synced.items()},
        importer.hashes,
        importer.written,
        importer.unchanged,
        importer.skipped,
        importer.for_review,
        matching.ways,
    )
    return result, importer.problems


@dataclass(frozen=True)
class Matching:
    """An exchange file's units, each given the id of the unit it translates."""

    units: list[ImportedUnit]
    """The units, in order; id "" for one that matches none."""
    ways: Counter[MatchedBy]
    """How many were matched each way."""


def booklet_id(unit_id: str) -> bool:
    """An id booklet gives: `chapter.md#3f2a9c1b` or `law:key`."""
    return "#" in unit_id or ":" in unit_id


def match_units(handbook: Handbook, language: str, units: Sequence[ImportedUnit]) -> Matching:
    """Each unit's id: its own when the handbook has it, else that of the first unit not
    matched yet whose original has the same text, exactly, then once normalised. Raises
    a BookletError when units there are and none matches."""
    known = export_units(handbook, language)
    ids = {u.id for u in known}
    exact: dict[str, list[str]] = {}
    normal: dict[str, list[str]] = {}
    for exchanged in known:
        exact.setdefault(exchanged.original, []).append(exchanged.id)
        normal.setdefault(normal_text(exchanged.original), []).append(exchanged.id)
    used = {u.id for u in units if u.id in ids}
    out: list[ImportedUnit] = []
    ways: Counter[MatchedBy] = Counter()
    for unit in units:
        if unit.id in ids:
            ways[MatchedBy.ID] += 1
            out.append(unit)
            continue
        found = ""
        tables = (
            (MatchedBy.TEXT, exact, unit.original),
            (MatchedBy.NORMAL, normal, normal_text(unit.original)),
        )
        for way, table, text in tables:
            found = next((i for i in table.get(text, ()) if i not in used), "")
            if found:
                used.add(found)
                ways[way] += 1
                break
        out.append(replace(unit, id=found))
    if units and not ways:
        raise BookletError(_nothing_matched(handbook, units))
    return Matching(out, ways)


def _nothing_matched(handbook: Handbook, units: Sequence[ImportedUnit]) -> str:
    path = units[0].location.path
    named = [u.id for u in units if u.id]
    if named and not any(booklet_id(i) for i in named):
        return (
            f'{path}: {len(named)} ids are not units of {handbook.id}, e.g. "{named[0]}": '
            "was this file made by `booklet translations export`?"
        )
    if named:
        return (
            f"{path}: none of its {len(units)} units is in {handbook.id} now, e.g. "
            f'"{named[0]}", and no original has their text: was the file exported from '
            "this handbook?"
        )
    return (
        f"{path}: none of its {len(units)} units has an id, and no original of "
        f"{handbook.id} has their text: was this file made by `booklet translations export`?"
    )


def set_article_texts(
    toml: str, language: str, edits: Sequence[tuple[Statute, Article, str]]
) -> bytes:
    """The statute file with articles' text in one language replaced (or added); tomlkit
    keeps every other line as it was."""
    try:
        document = tomlkit.parse(toml)
        articles = document["articles"]
        for _, article, value in edits:
            table = articles[article.key]
            text = tomlkit.string(value, multiline="\n" in value)
            table[language] = text
    except (TOMLKitError, KeyError) as error:
        raise BookletError(
            f"cannot write the translation into the statute file ({error})"
        ) from None
    return tomlkit.dumps(document).encode("utf-8")
