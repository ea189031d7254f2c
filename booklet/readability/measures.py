"""The measures of one block of running text in one language.

Takes a paragraph or list item (booklet.translations.pairing's `Piece`), its language and
file, and optionally a word-frequency table with the words that are never rare (the
glossary's terms, the statutes' names); gives its sentences with their length in words
and characters and the line each starts on, its syllables where a formula needs them,
its rare words, and its scores. Headings are not measured: they are not sentences.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from booklet.model import Citation, Code, Heading, Image, ListItem, Paragraph, Text, block_inlines
from booklet.readability.formulas import formulas_for, syllables
from booklet.readability.frequency import is_rare
from booklet.text.line_joining import join_wrapped_lines
from booklet.text.sentences import characters, sentences, words


@dataclass(frozen=True)
class Sentence:
    """One sentence of a block."""

    text: str
    """Its text, as read (markup and citations left out)."""
    words: int
    """Its words (ICU word breaks)."""
    characters: int
    """Its letters, marks and digits."""
    line: int
    """The source line it starts on."""


@dataclass(frozen=True)
class BlockMeasure:
    """How hard one paragraph or list item is to read."""

    path: Path
    """Its chapter file."""
    line: int
    """Its first line."""
    language: str
    """BCP 47 tag."""
    sentences: tuple[Sentence, ...]
    """Its sentences in order."""
    syllables: int
    """Syllables of its words (0 for a language without a formula, or when not asked for)."""
    rare: tuple[str, ...] | None
    """Its rare words as written, or None when the language has no frequency list (or it
    was not asked for)."""
    looked_up: int
    """Words looked up in the frequency list (words with a letter, exempt ones left out);
    0 when rare words were not asked for."""

    @property
    def words(self) -> int:
        return sum(s.words for s in self.sentences)

    @property
    def characters(self) -> int:
        return sum(s.characters for s in self.sentences)

    @property
    def longest(self) -> Sentence | None:
        """Its longest sentence in words (in characters when words tie)."""
        return max(self.sentences, key=lambda s: (s.words, s.characters), default=None)

    @property
    def rare_share(self) -> float | None:
        """Rare words over the words looked up, or None when not measured."""
        if self.rare is None:
            return None
        return len(self.rare) / self.looked_up if self.looked_up else 0.0

    def scores(self) -> dict[str, float]:
        """Formula name -> score of this block, for the formulas of its language."""
        out: dict[str, float] = {}
        for formula in formulas_for(self.language):
            value = formula.score(self.words, len(self.sentences), self.syllables)
            if value is not None:
                out[formula.name] = value
        return out


def plain_text(node: Heading | Paragraph | ListItem) -> str:
    """The text a reader reads: markup, images and citations (statute names) left out."""
    parts: list[str] = []
    for inline in block_inlines(node):
        if isinstance(inline, Text | Code):
            parts.append(inline.text)
        elif isinstance(inline, Citation | Image):
            parts.append(" ")
    return join_wrapped_lines("".join(parts))


def measure_block(
    node: Paragraph | ListItem,
    path: Path,
    language: str,
    table: Mapping[str, float] | None = None,
    exempt: frozenset[str] = frozenset(),
    *,
    scored: bool = True,
) -> BlockMeasure:
    """The measures of a paragraph or list item; rare words only with a `table`, syllables
    only when `scored` (loading a hyphenation dictionary costs more than the rest)."""
    raw_lines = node.span.text.split("\n") if node.span.text else []
    cursor = 0
    found: list[Sentence] = []
    all_words: list[str] = []
    for text in sentences(plain_text(node), language):
        its_words = words(text, language)
        if not its_words:
            continue
        cursor = _line_of(its_words[0], raw_lines, cursor)
        found.append(Sentence(text, len(its_words), characters(text), node.location.line + cursor))
        all_words += its_words
    rare: tuple[str, ...] | None = None
    looked: list[str] = []
    if table is not None:
        looked = [w for w in all_words if any(c.isalpha() for c in w) and w.lower() not in exempt]
        rare = tuple(w for w in looked if is_rare(w, table))
    counted = syllables(all_words, language) if scored and formulas_for(language) else 0
    return BlockMeasure(
        path, node.location.line, language, tuple(found), counted, rare, len(looked)
    )


def _line_of(word: str, lines: Sequence[str], start: int) -> int:
    """The first line from `start` on that holds `word` (0-based), else `start`."""
    for index in range(start, len(lines)):
        if word in lines[index]:
            return index
    return start
