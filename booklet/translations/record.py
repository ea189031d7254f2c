"""translations.lock, written: what every block and statute article says now.

Takes the parsed handbook (and, after an import, which translations it brought in);
gives the text of the lock file that booklet.sources.lock reads back.
"""

from __future__ import annotations

from collections.abc import Mapping

from booklet.law.citations import natural_key
from booklet.model import Handbook, RecordedBlock
from booklet.sources.lock import LOCK_HEADER
from booklet.translations.states import (
    article_hash,
    block_hash,
    chapter_spans,
    chapter_states,
    cited_statute_articles,
    match_hashes,
)


def _line(kind: str, head: str, auth: str, entry: RecordedBlock) -> str:
    fields = [kind, head, f"{auth}={entry.hashes.get(auth)}"]
    for lang, value in entry.hashes.items():
        if lang != auth:
            fields.append(f"{lang}={value}/{entry.made_from.get(lang) or '-'}")
    return " ".join(fields) + "\n"


def _entry(
    old: RecordedBlock | None,
    kind: str,
    auth: str,
    original: str | None,
    translations: Mapping[str, str | None],
    synced: frozenset[str] | None,
) -> RecordedBlock:
    """The record of one block or article: all of it new on a sync; on an import, only
    the languages the import brought in (the rest stays as recorded, stale or not)."""
    if old is None or synced is None:
        hashes = {auth: original or "-"}
        hashes.update({lang: h for lang, h in translations.items() if h is not None})
        return RecordedBlock(kind, hashes, {lang: original or "-" for lang in hashes
                                            if lang != auth}, 0)  # fmt: skip
    if not synced:
        return old
    hashes, made_from = dict(old.hashes), dict(old.made_from)
    hashes[auth] = original or "-"
    for lang in synced:
        value = translations.get(lang)
        if value is not None:
            hashes[lang], made_from[lang] = value, original or "-"
    return RecordedBlock(kind, hashes, made_from, 0)


def lock_text(handbook: Handbook, synced: Mapping[str, frozenset[str]] | None = None) -> str:
    """translations.lock for the handbook as it is now.

    With `synced` None (a sync), every translation is recorded as made from its current
    original. Otherwise only the translations it names (record key `chapter number` or
    `law key` -> languages; what an import brought in) are; everything else keeps its
    old record line, so a stale translation stays stale and an import that changed
    nothing leaves the file as it was.
    """
    record = handbook.record
    auth = handbook.authoritative
    lines = [LOCK_HEADER, f"authoritative {auth}\n"]
    for chapter in sorted(handbook.chapters, key=lambda c: c.name):
        blocks = chapter_spans(chapter)
        originals = blocks.get(auth, [])
        old = record.chapters.get(chapter.name) if record else None
        matched = (
            {j: k for k, (j, _) in match_hashes([r.hashes.get(auth) for r in old],
                                          [block_hash(b) for b in originals]).items()}
            if old else {}
        )  # fmt: skip
        states = {lang: chapter_states(old, originals, blocks.get(lang, []), auth, lang)
                  for lang in handbook.languages if lang != auth}  # fmt: skip
        for index, block in enumerate(originals):
            key = f"{chapter.name} {index + 1}"
            texts: dict[str, str | None] = {}
            for lang, lang_states in states.items():
                state = next(s for s in lang_states if s.original == index)
                mine = blocks[lang][state.translation] if state.translation is not None else None
                texts[lang] = block_hash(mine) if mine is not None else None
            previous = old[matched[index]] if old and index in matched else None
            entry = _entry(previous, block.kind, auth, block_hash(block), texts,
                           None if synced is None else synced.get(key, frozenset()))  # fmt: skip
            lines.append(_line("block", f"{key} {block.kind}", auth, entry))
    articles = sorted(cited_statute_articles(handbook),
                      key=lambda pair: (pair[0].id, natural_key(pair[1].key)))  # fmt: skip
    for statute, article in articles:
        key = f"{statute.id} {article.key}"
        texts = {lang: article_hash(article, lang) for lang in handbook.languages if lang != auth}
        previous = record.articles.get(key) if record else None
        entry = _entry(previous, "article", auth, article_hash(article, auth), texts,
                       None if synced is None else synced.get(key, frozenset()))  # fmt: skip
        lines.append(_line("article", key, auth, entry))
    return "".join(lines)
