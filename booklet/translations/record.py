"""translations.lock, written: what every piece of text and statute article says now.

Takes the parsed handbook (and, after an import, which translations it brought in);
gives the text of the lock file that booklet.sources.lock reads back. Pieces are written
with their stable unit ids (booklet.translations.pairing), in the order of the original.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from booklet.law.citations import natural_key
from booklet.model import Handbook, RecordedUnit
from booklet.sources.lock import DELETED, LOCK_HEADER, lock_name
from booklet.translations.pairing import ChapterPairing, chapter_pairings
from booklet.translations.states import article_hash, cited_statute_articles


def _line(kind: str, head: str, auth: str, entry: RecordedUnit) -> str:
    """One line of the lock: kind, what it is, and its hashes per language."""
    fields = [kind, head, f"{auth}={entry.hashes.get(auth)}"]
    for lang, value in entry.hashes.items():
        if lang != auth:
            fields.append(f"{lang}={value}/{entry.made_from.get(lang) or '-'}")
    return " ".join(fields) + "\n"


def _entry(
    old: RecordedUnit | None,
    unit_id: str,
    kind: str,
    auth: str,
    original: str | None,
    translations: Mapping[str, str | None],
    synced: frozenset[str] | None,
    unreviewed: frozenset[str] = frozenset(),
) -> RecordedUnit:
    """The record of one piece or article: all of it new on a sync; on an import, only
    the languages the import brought in (the rest stays as recorded, stale or not).
    A translation written but still marked for review (`unreviewed`) is recorded as made
    from no original ("-"), so it stays stale until it is reviewed."""
    if old is None or synced is None:
        hashes = {auth: original or "-"}
        hashes.update({lang: h for lang, h in translations.items() if h is not None})
        made_from = {
            lang: "-" if lang in unreviewed else original or "-" for lang in hashes if lang != auth
        }
        return RecordedUnit(unit_id, kind, hashes, made_from, 0)
    if not synced and not unreviewed:
        return old
    hashes, made_from = dict(old.hashes), dict(old.made_from)
    if synced:
        hashes[auth] = original or "-"
    for lang in synced:
        value = translations.get(lang)
        if value is not None:
            hashes[lang], made_from[lang] = value, original or "-"
    for lang in unreviewed:
        value = translations.get(lang)
        if value is not None:
            hashes[lang], made_from[lang] = value, "-"
    return RecordedUnit(unit_id, kind, hashes, made_from, 0)


def _orphan_records(pairings: Mapping[str, ChapterPairing], kept: set[str]) -> list[RecordedUnit]:
    """The lock lines of the translations whose original was deleted (each once), so an
    export can still offer them with their original (`sync --prune` deletes both)."""
    out = []
    for pairing in pairings.values():
        for orphan in pairing.orphans:
            if orphan.record is not None and orphan.record.id not in kept:
                kept.add(orphan.record.id)
                out.append(orphan.record)
    return out


def lock_text(
    handbook: Handbook,
    synced: Mapping[str, frozenset[str]] | None = None,
    written: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """translations.lock for the handbook as it is now.

    With `synced` None (a sync), every translation is recorded as made from its current
    original. Otherwise only the translations it names (unit id `chapter.md#id` or
    `law key` -> languages; what an import brought in) are; everything else keeps its
    old record line, so a stale translation stays stale and an import that changed
    nothing leaves the file as it was. `written` (lock key -> language -> hash) gives the
    hashes of the translations an import is writing, so the lock can be written with the
    chapter files, before they are read again.
    """
    record = handbook.record
    auth = handbook.authoritative
    lines = [LOCK_HEADER, f"authoritative {auth}\n"]
    known = dict(record.texts) if record else {}
    shown: set[str] = set()

    def text_lines(entry: RecordedUnit, current_hash: str | None, current: str) -> None:
        """After an entry, the original texts its hashes stand for (each once)."""
        if current_hash:
            known[current_hash] = current
        for value in [entry.hashes.get(auth), *entry.made_from.values()]:
            if value and value != "-" and value in known and value not in shown:
                shown.add(value)
                lines.append(f"text {value} {json.dumps(known[value], ensure_ascii=False)}\n")

    languages = handbook.languages
    for chapter in sorted(handbook.chapters, key=lambda c: c.name):
        if auth not in chapter.versions:
            continue
        pairings = chapter_pairings(chapter, record.chapters if record else None, languages, auth)
        first = next(iter(pairings.values()), None)
        if first is None:  # a handbook in one language: nothing to keep in step
            continue
        for index, piece in enumerate(first.originals):
            texts: dict[str, str | None] = {}
            for lang, pairing in pairings.items():
                state = pairing.state_of(index)
                mine = (
                    pairing.translations[state.translation]
                    if state.translation is not None
                    else None
                )
                texts[lang] = mine.hash if mine is not None and not mine.placeholder else None
            unit_id = first.state_of(index).id
            key = f"{chapter.name}#{unit_id}"
            new = (written or {}).get(key, {})
            texts.update(new)
            brought = None if synced is None else synced.get(key, frozenset())
            unreviewed = frozenset(new) - (brought or frozenset())
            entry = _entry(
                first.state_of(index).record,
                unit_id,
                piece.kind,
                auth,
                piece.hash,
                texts,
                brought,
                unreviewed,
            )
            name = lock_name(chapter.name)
            lines.append(_line("unit", f"{name} {unit_id} {piece.kind}", auth, entry))
            text_lines(entry, piece.hash, piece.text)
        kept = {first.state_of(i).id for i in range(len(first.originals))}
        for old in _orphan_records(pairings, kept):
            head = f"{lock_name(chapter.name)} {old.id} {old.kind}"
            lines.append(_line(DELETED, head, auth, old))
            text_lines(old, None, "")
    articles = sorted(
        cited_statute_articles(handbook), key=lambda pair: (pair[0].id, natural_key(pair[1].key))
    )
    for statute, article in articles:
        key = f"{statute.id} {article.key}"
        texts = {lang: article_hash(article, lang) for lang in handbook.languages if lang != auth}
        previous = record.articles.get(key) if record else None
        entry = _entry(
            previous,
            key,
            "article",
            auth,
            article_hash(article, auth),
            texts,
            None if synced is None else synced.get(key, frozenset()),
        )
        lines.append(_line("article", key, auth, entry))
        text_lines(
            entry, article_hash(article, auth), "\n\n".join(article.paragraphs.get(auth, ()))
        )
    return "".join(lines)
