"""Which translation is current, stale or missing, block by block; the translations.lock.

`translations.lock` records, at the last sync, a hash of every block (and every cited
statute article) in every language. A translation is stale when its original's hash has
changed since; missing when it is empty, `TODO` or `<!-- translate -->`. Blocks are
matched to the record by their hashes (difflib over the block sequence), so inserting or
deleting one block in the authoritative language is that one insertion or deletion, not
every later block out of step.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from booklet.law.citations import cited_articles
from booklet.model import Article, Chapter, Handbook, RecordedBlock, Statute, TranslationRecord
from booklet.sources.markdown import TRANSLATE_PLACEHOLDER
from booklet.text.line_joining import join_wrapped_lines
from booklet.translations.segments import BlockSpan, block_spans
from booklet.vocabulary import TranslationState

_PLACEHOLDERS = {"", "todo", TRANSLATE_PLACEHOLDER}
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


# ---------------------------------------------------------------- hashing


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", join_wrapped_lines(text)).strip()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def block_hash(block: BlockSpan) -> str:
    """Hash of a block's kind, shape and text; re-wrapping lines does not change it, and
    neither does moving the block (segment ids are taken relative to the block)."""
    offset = len(str(block.index))
    parts = [block.kind]
    parts += [f"{s.id[offset:]} {s.kind} {_normal(s.text)}" for s in block.segments]
    return _digest("\n".join(parts))


def article_hash(article: Article, language: str) -> str | None:
    """Hash of an article's text in one language, or None when it has none."""
    paragraphs = article.paragraphs.get(language)
    return _digest("\n\n".join(_normal(p) for p in paragraphs)) if paragraphs else None


def placeholder_text(text: str) -> bool:
    """Text still to be translated: empty, `TODO` or `<!-- translate -->`."""
    return _normal(text).lower() in _PLACEHOLDERS


def is_placeholder(block: BlockSpan) -> bool:
    """A block not (fully) translated yet: any of its pieces is a placeholder."""
    return not block.segments or any(placeholder_text(s.text) for s in block.segments)


def words(text: str) -> int:
    """Words to translate: each CJK character counts as one, other text by spaces."""
    cjk = len(_CJK.findall(text))
    return cjk + len(_CJK.sub(" ", text).split())


# ---------------------------------------------------------------- states


@dataclass(frozen=True)
class BlockState:
    """One authoritative block (or an orphaned translation) and its translation's state."""

    original: int | None
    """0-based block index in the authoritative file; None for an orphaned translation."""
    translation: int | None
    """0-based block index in the translation file; None when it has no block for it."""
    status: TranslationState
    """Where its translation stands."""
    inserted: bool = False
    """The original is new since the last sync."""


def match_hashes(
    recorded: Sequence[str | None], current: Sequence[str]
) -> dict[int, tuple[int, bool]]:
    """Recorded index -> (current index, changed) by a diff of the two hash sequences."""
    matched: dict[int, tuple[int, bool]] = {}
    matcher = difflib.SequenceMatcher(None, list(recorded), list(current), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                matched[i1 + offset] = (j1 + offset, False)
        elif tag == "replace":
            for offset in range(min(i2 - i1, j2 - j1)):
                matched[i1 + offset] = (j1 + offset, True)
    return matched


def chapter_states(
    recorded: Sequence[RecordedBlock] | None,
    originals: Sequence[BlockSpan],
    translations: Sequence[BlockSpan],
    authoritative: str,
    language: str,
) -> list[BlockState]:
    """Pair each original block with its translation and say whether it is up to date."""
    states: list[BlockState] = []
    if recorded is None:  # never synced: pair by position, nothing can be stale yet
        for index in range(max(len(originals), len(translations))):
            mine = index if index < len(translations) else None
            if index >= len(originals):
                states.append(BlockState(None, mine, TranslationState.ORPHAN))
            elif mine is None or is_placeholder(translations[mine]):
                states.append(BlockState(index, mine, TranslationState.MISSING))
            else:
                states.append(BlockState(index, mine, TranslationState.CURRENT))
        return states

    current = [block_hash(b) for b in originals]
    by_original = match_hashes([r.hashes.get(authoritative) for r in recorded], current)
    by_translation = match_hashes([r.hashes.get(language) for r in recorded],
                            [block_hash(b) for b in translations])  # fmt: skip
    original_to_record = {j: (k, changed) for k, (j, changed) in by_original.items()}
    record_to_translation = {k: j for k, (j, _) in by_translation.items()}
    used = set(record_to_translation.values())
    previous_translation = -1
    for index in range(len(originals)):
        translation: int | None = None
        if index in original_to_record:
            record, _ = original_to_record[index]
            translation = record_to_translation.get(record)
            made_from = recorded[record].made_from.get(language)
            status = (
                TranslationState.CURRENT if made_from == current[index] else TranslationState.STALE
            )
            inserted = False
        else:
            # New since the sync: its translation, if any, is a block the record does not
            # know either, sitting between the translations of its neighbours.
            following = next(
                (record_to_translation[k] for j, (k, _) in sorted(original_to_record.items())
                 if j > index and k in record_to_translation),
                len(translations),
            )  # fmt: skip
            candidate = previous_translation + 1
            if candidate < following and candidate not in used:
                translation = candidate
                used.add(candidate)
            status, inserted = TranslationState.CURRENT, True
        if translation is None or is_placeholder(translations[translation]):
            status = TranslationState.MISSING
        if translation is not None:
            previous_translation = translation
        states.append(BlockState(index, translation, status, inserted))
    paired = {s.translation for s in states if s.translation is not None}
    for index in range(len(translations)):
        if index not in paired:
            states.append(BlockState(None, index, TranslationState.ORPHAN))
    return states


@dataclass(frozen=True)
class LanguageStatus:
    """Translation coverage of one language of a handbook."""

    language: str
    current: int
    stale: int
    missing: int
    words: int
    """Words of the originals still to translate (stale and missing)."""

    @property
    def total(self) -> int:
        return self.current + self.stale + self.missing

    @property
    def coverage(self) -> float:
        return 100.0 * self.current / self.total if self.total else 100.0


def cited_statute_articles(handbook: Handbook) -> list[tuple[Statute, Article]]:
    """The articles the handbook prints in its legal basis."""
    return [(statute, article) for statute, articles in cited_articles(handbook)
            for article in articles]  # fmt: skip


def article_status(
    record: TranslationRecord | None, statute: Statute, article: Article,
    authoritative: str, language: str,
) -> TranslationState:  # fmt: skip
    """`current`, `stale` or `missing` for one language of a statute article."""
    if language == authoritative:
        return TranslationState.CURRENT
    text = article_hash(article, language)
    if text is None or all(placeholder_text(p) for p in article.paragraphs[language]):
        return TranslationState.MISSING
    recorded = record.articles.get(f"{statute.id} {article.key}") if record else None
    if recorded is None:
        return TranslationState.CURRENT  # not synced yet: nothing to compare with
    made_from = recorded.made_from.get(language)
    return (
        TranslationState.CURRENT
        if made_from == article_hash(article, authoritative)
        else TranslationState.STALE
    )


def chapter_spans(chapter: Chapter) -> dict[str, list[BlockSpan]]:
    """Each language's blocks of a chapter, with their place in the file."""
    return {lang: block_spans(text.file_text) for lang, text in chapter.versions.items()}


def status(handbook: Handbook) -> list[LanguageStatus]:
    """Coverage of every translated language (all but the authoritative one)."""
    out = []
    auth = handbook.authoritative
    for lang in handbook.languages:
        if lang == auth:
            continue
        counts = {"current": 0, "stale": 0, "missing": 0}
        todo = 0
        for chapter in handbook.chapters:
            if auth not in chapter.versions:
                continue
            blocks = chapter_spans(chapter)
            originals = blocks[auth]
            recorded = handbook.record.chapters.get(chapter.name) if handbook.record else None
            for state in chapter_states(recorded, originals, blocks.get(lang, []), auth, lang):
                if state.original is None:
                    continue
                counts[state.status] += 1
                if state.status != TranslationState.CURRENT:
                    todo += sum(words(s.text) for s in originals[state.original].segments)
        for statute, article in cited_statute_articles(handbook):
            article_state = article_status(handbook.record, statute, article, auth, lang)
            counts[article_state] += 1
            if article_state != TranslationState.CURRENT:
                todo += sum(words(p) for p in article.paragraphs.get(auth, ()))
        out.append(LanguageStatus(lang, counts["current"], counts["stale"], counts["missing"],
                                  todo))  # fmt: skip
    return out


# ---------------------------------------------------------------- the lock file
