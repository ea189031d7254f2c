"""Whole-handbook checks -> a list of Problems (never raises for content problems).

Takes the parsed handbook, the theme, the installed font faces and today's date; gives
every Problem found by `CHECKS`, run in order. Each is a family of rules in a file of its
own: structure (languages, chapters and blocks in step), translations (stale, missing),
citations (resolved, every language), the law as reviewed (law.lock, repealed
articles, law newer than law_as_at), images (embeddable), clinic QR codes (they fit),
review dates, readability (sentence length, grade), interface text, glyphs (every
character in a font of its language). A new check is a function
`(UnderCheck) -> list[Problem]` in the file of its family, or a new file, added to `CHECKS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from booklet.checks.citations import (
    check_citations,
    check_repeated_names,
    check_statute_languages,
)
from booklet.checks.clinics import check_clinic_codes
from booklet.checks.context import UnderCheck
from booklet.checks.glyphs import check_glyphs
from booklet.checks.images import check_images
from booklet.checks.interface_text import check_interface_text
from booklet.checks.law import check_law_changes
from booklet.checks.readability import check_readability
from booklet.checks.review import check_review
from booklet.checks.structure import check_chapter_files, check_chapters, check_languages
from booklet.checks.translations import check_translation_states
from booklet.errors import Problem
from booklet.model import Handbook
from booklet.themes.fonts import FontFace
from booklet.themes.theme import Theme

Check = Callable[[UnderCheck], list[Problem]]

CHECKS: tuple[Check, ...] = (
    check_languages,
    check_chapter_files,
    check_chapters,
    check_translation_states,
    check_citations,
    check_statute_languages,
    check_repeated_names,
    check_law_changes,
    check_images,
    check_clinic_codes,
    check_review,
    check_readability,
    check_interface_text,
    check_glyphs,
)
"""Every check, in the order its problems are listed."""


def check_handbook(
    handbook: Handbook,
    theme: Theme,
    faces: Mapping[str, FontFace | None],
    today: date,
) -> list[Problem]:
    """Every problem of the handbook as a whole; parse problems are the caller's."""
    under = UnderCheck(handbook, theme, faces, today)
    problems: list[Problem] = []
    for check in CHECKS:
        problems += check(under)
    return problems
