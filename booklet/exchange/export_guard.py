"""The rule an export follows before it writes over a file: nothing a translator sent
back is lost.

Takes the handbook, the translation language and the `-o` path; refuses (BookletError)
when the file there is not an earlier export of this handbook and language whose import
(booklet.exchange.importing) would change nothing.
"""

from __future__ import annotations

from pathlib import Path

from booklet.errors import BookletError, display_path
from booklet.exchange.files import read_exchange
from booklet.exchange.importing import import_units
from booklet.model import Handbook
from booklet.translations.record import lock_text


def check_export_target(handbook: Handbook, language: str, path: Path) -> None:
    """Refuse to export over a file whose loss would lose work: anything but an exchange
    file of this handbook and language, or one holding translations (or confirmations of
    stale ones) that importing it would still write. A file whose import would change
    nothing is a copy of what the handbook holds, so writing over it loses nothing."""
    if not (path.exists() or path.is_symlink()):
        return
    shown = display_path(path)
    keep = "nothing was written; move it away or export to another file name"
    try:
        data = path.read_bytes()
        named, named_language, units = read_exchange(path, data)
    except (OSError, BookletError):
        raise BookletError(
            f"-o {shown}: this file exists and is not an exchange file booklet wrote; {keep}"
        ) from None
    if (named and named != handbook.id) or (named_language and named_language != language):
        raise BookletError(
            f"-o {shown}: this file is the {named_language or 'unnamed'} exchange file of "
            f"handbook {named or '(unnamed)'}, not the {language} file of {handbook.id}; {keep}"
        )
    try:
        result, problems = import_units(handbook, language, units)
    except BookletError:  # nothing in it matches this handbook: not an export of it
        raise BookletError(
            f"-o {shown}: this file is an exchange file none of whose units is of "
            f"{handbook.id}; {keep}"
        ) from None
    # What an import would record (stale units it confirms), against what it records when
    # it confirms nothing: the translations' own text counts in `written`.
    confirmed = lock_text(handbook, result.synced, result.hashes) != lock_text(handbook, {}, {})
    if problems:
        what = f"translations that cannot be imported yet ({len(problems)} refused)"
    elif result.written:
        plural = "s" if result.written != 1 else ""
        what = f"{result.written} translation{plural} not yet in the handbook"
    elif confirmed:
        what = "reviews of stale translations not yet recorded in translations.lock"
    else:
        return
    raise BookletError(
        f"-o {shown}: this file holds {what}; nothing was written; import it first "
        f"(booklet translations import {shown} --handbook {display_path(handbook.root)}) "
        "or export to another file name"
    )
