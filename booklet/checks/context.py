"""What every check reads: the handbook, the theme, the installed faces, today's date.

Results that several checks share (the translation states, the resolved citations) are
worked out once, on first use.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cached_property

from booklet.checks.citations import ResolvedCitations, resolve_all
from booklet.checks.interface_text import interface_text_problems
from booklet.checks.translations import TranslationFindings, check_translations
from booklet.errors import Problem
from booklet.model import Handbook
from booklet.themes.fonts import FontFace
from booklet.themes.theme import Theme


class UnderCheck:
    """A handbook being checked, with what the checks need beside it."""

    def __init__(
        self,
        handbook: Handbook,
        theme: Theme,
        faces: Mapping[str, FontFace | None],
        today: date,
    ) -> None:
        self.handbook = handbook
        self.theme = theme
        self.faces = faces
        self.today = today

    @cached_property
    def translations(self) -> TranslationFindings:
        """Translation states of every chapter and article (stale, missing, out of step)."""
        return check_translations(self.handbook)

    @cached_property
    def interface_problems(self) -> list[Problem]:
        """What is wrong with the interface text (the glyph check waits for it to be right)."""
        return interface_text_problems(self.handbook, self.theme)

    @cached_property
    def citations(self) -> ResolvedCitations:
        """Every citation resolved against the registry, or the reason it is not."""
        return resolve_all(self.handbook)
