"""The readability report of a handbook: chapters side by side, totals, worst blocks, and
translations markedly harder than their original.

Takes the parsed handbook; gives a `Report` (and its JSON form, docs/readability.md).
A translation's unit is flagged against the handbook's own baseline: its sentences are
compared with its original's through the ratio the two languages have over the whole
handbook (a Chinese sentence is not an English one), so only what is out of line shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from booklet.errors import display_path
from booklet.model import Handbook, ListItem, Paragraph
from booklet.readability.formulas import formulas_for
from booklet.readability.frequency import frequencies, has_frequencies
from booklet.readability.measures import BlockMeasure, Sentence, measure_block
from booklet.text.sentences import counts_characters, words
from booklet.translations.pairing import chapter_pairings, pieces
from booklet.vocabulary import TranslationState

WORST = 10
"""Blocks listed as most needing work."""
LONGER = 1.5
"""A translation's sentences this much longer than its original's (beyond the baseline)."""
RARER = 2.0
"""A translation with this many times its original's share of rare words (beyond it)."""
MIN_WORDS = 12
"""Units with fewer words in the translation are not compared: too short to tell."""
MIN_RARE = 3
"""A translation needs this many rare words before it counts as harder for them."""


@dataclass
class Tally:
    """Counts of a language's blocks, summed."""

    sentences: int = 0
    words: int = 0
    characters: int = 0
    syllables: int = 0
    looked_up: int = 0
    rare: int | None = None
    longest: Sentence | None = None
    longest_path: Path | None = None

    def add(self, block: BlockMeasure) -> None:
        self.sentences += len(block.sentences)
        self.words += block.words
        self.characters += block.characters
        self.syllables += block.syllables
        if block.rare is not None:
            self.rare = (self.rare or 0) + len(block.rare)
            self.looked_up += block.looked_up
        top = block.longest
        if top and (self.longest is None or (top.words, top.characters) > _size(self.longest)):
            self.longest, self.longest_path = top, block.path

    def record(self, language: str) -> dict[str, object]:
        """Its JSON form (docs/readability.md)."""
        mean = round(self.words / self.sentences, 1) if self.sentences else None
        chars = round(self.characters / self.sentences, 1) if self.sentences else None
        longest = None
        if self.longest and self.longest_path:
            longest = {
                "words": self.longest.words,
                "characters": self.longest.characters,
                "file": display_path(self.longest_path),
                "line": self.longest.line,
            }
        scores = {}
        for formula in formulas_for(language):
            value = formula.score(self.words, self.sentences, self.syllables)
            if value is not None:
                scores[formula.name] = {"kind": str(formula.kind), "value": value}
        share = None
        if self.rare is not None:
            share = round(self.rare / self.looked_up, 3) if self.looked_up else 0.0
        return {
            "sentences": self.sentences,
            "words": self.words,
            "characters": self.characters,
            "mean_sentence_words": mean,
            "mean_sentence_characters": chars if counts_characters(language) else None,
            "longest_sentence": longest,
            "rare_word_share": share,
            "scores": scores,
        }


def _size(sentence: Sentence) -> tuple[int, int]:
    return sentence.words, sentence.characters


@dataclass(frozen=True)
class Harder:
    """A unit whose translation is markedly harder than its original."""

    chapter: str
    language: str
    unit: str
    original: BlockMeasure
    translation: BlockMeasure
    reasons: tuple[str, ...]


@dataclass
class Report:
    """Everything `booklet readability` shows."""

    handbook: Handbook
    blocks: dict[str, dict[str, list[BlockMeasure]]] = field(default_factory=dict)
    """Chapter -> language -> its measured blocks in order."""
    harder: list[Harder] = field(default_factory=list)

    def tally(self, chapter: str | None, language: str) -> Tally:
        tally = Tally()
        for name, languages in self.blocks.items():
            if chapter is None or name == chapter:
                for block in languages.get(language, []):
                    tally.add(block)
        return tally

    def worst(self) -> list[tuple[BlockMeasure, float]]:
        """The blocks that most need work: the longest sentence against its limit."""
        scored = []
        for languages in self.blocks.values():
            for language, blocks in languages.items():
                for block in blocks:
                    scored.append((block, _need(block, self.handbook, language)))
        scored.sort(key=lambda pair: -pair[1])
        return [pair for pair in scored[:WORST] if pair[1] > 0]


def measures_applied(language: str) -> list[str]:
    """The measures `language` gets, by name, for the report."""
    names = ["sentence words"]
    if counts_characters(language):
        names.append("sentence characters")
    if has_frequencies(language):
        names.append("rare words")
    names += [formula.name for formula in formulas_for(language)]
    return names


def _need(block: BlockMeasure, handbook: Handbook, language: str) -> float:
    top = block.longest
    if top is None:
        return 0.0
    limits = handbook.limits(language)
    if counts_characters(language):
        return top.characters / limits.max_sentence_characters
    return top.words / limits.max_sentence_words


def _exempt(handbook: Handbook, language: str) -> frozenset[str]:
    """Words never rare: the glossary's terms and the statutes' titles in this language."""
    phrases: list[str] = []
    for term in handbook.glossary:
        phrases += term.renderings.get(language, ())
    for statute in handbook.statutes:
        phrases += [statute.title.get(language, ""), statute.short.get(language, "")]
    found = {w.lower() for phrase in phrases for w in words(phrase, language)}
    return frozenset(found | {phrase.lower() for phrase in phrases if phrase})


def readability_report(handbook: Handbook) -> Report:
    """Measure every paragraph and item of every chapter, then compare translations."""
    report = Report(handbook)
    measured: dict[int, BlockMeasure] = {}
    for language in handbook.languages:
        table = frequencies(language)
        exempt = _exempt(handbook, language) if table is not None else frozenset()
        for chapter in handbook.printed_chapters:
            text = chapter.versions.get(language)
            found = report.blocks.setdefault(chapter.name, {}).setdefault(language, [])
            for piece in pieces(text):
                if text is not None and isinstance(piece.node, Paragraph | ListItem):
                    block = measure_block(piece.node, text.path, language, table, exempt)
                    if block.sentences:
                        found.append(block)
                        measured[id(piece.node)] = block
    report.harder = list(_harder(handbook, measured))
    return report


def _pairs(
    handbook: Handbook, measured: Mapping[int, BlockMeasure]
) -> Iterable[tuple[str, str, str, BlockMeasure, BlockMeasure]]:
    record = handbook.record.chapters if handbook.record else None
    for chapter in handbook.printed_chapters:
        pairings = chapter_pairings(chapter, record, handbook.languages, handbook.authoritative)
        for language, pairing in pairings.items():
            for state in pairing.states:
                if state.original is None or state.translation is None:
                    continue
                if state.status is TranslationState.MISSING:
                    continue
                mine = measured.get(id(pairing.originals[state.original].node))
                theirs = measured.get(id(pairing.translations[state.translation].node))
                if mine and theirs:
                    yield chapter.name, language, state.id, mine, theirs


def _mean(block: BlockMeasure) -> float:
    return block.words / len(block.sentences)


def _harder(handbook: Handbook, measured: Mapping[int, BlockMeasure]) -> Iterable[Harder]:
    pairs = list(_pairs(handbook, measured))
    for language in {pair[1] for pair in pairs}:
        mine = [pair for pair in pairs if pair[1] == language]
        baseline = _baseline(mine)
        rare_baseline = _rare_baseline(mine)
        for chapter, _, unit, original, translation in mine:
            reasons = _reasons(original, translation, baseline, rare_baseline)
            if reasons:
                yield Harder(chapter, language, unit, original, translation, tuple(reasons))


def _baseline(pairs: list[tuple[str, str, str, BlockMeasure, BlockMeasure]]) -> float:
    """Translation words per sentence over the original's, over the whole handbook."""
    ours = sum(p[3].words for p in pairs) / max(1, sum(len(p[3].sentences) for p in pairs))
    theirs = sum(p[4].words for p in pairs) / max(1, sum(len(p[4].sentences) for p in pairs))
    return theirs / ours if ours else 1.0


def _rare_baseline(pairs: list[tuple[str, str, str, BlockMeasure, BlockMeasure]]) -> float | None:
    """Translation's share of rare words over the original's, over the whole handbook."""
    if any(p[3].rare is None or p[4].rare is None for p in pairs):
        return None
    ours = sum(len(p[3].rare or ()) for p in pairs) / max(1, sum(p[3].looked_up for p in pairs))
    theirs = sum(len(p[4].rare or ()) for p in pairs) / max(1, sum(p[4].looked_up for p in pairs))
    return theirs / ours if ours else None


def _reasons(
    original: BlockMeasure, translation: BlockMeasure, baseline: float, rare: float | None
) -> list[str]:
    if translation.words < MIN_WORDS:
        return []
    reasons = []
    ratio = _mean(translation) / _mean(original) / baseline
    if ratio >= LONGER:
        reasons.append(
            f"sentences {ratio:.1f}x as long as the original's "
            f"({_mean(translation):.0f} words against {_mean(original):.0f})"
        )
    shares = original.rare_share, translation.rare_share
    if rare is not None and shares[0] is not None and shares[1] is not None:
        expected = max(shares[0] * rare, 0.02)
        if len(translation.rare or ()) >= MIN_RARE and shares[1] >= RARER * expected:
            reasons.append(
                f"{shares[1] / expected:.1f}x the rare words ({shares[1]:.0%} against "
                f"{shares[0]:.0%} in the original)"
            )
    return reasons
