"""What this machine has for making outputs (`booklet doctor`).

Takes the theme and the languages of the handbooks at hand; gives one finding per thing
booklet relies on: WeasyPrint and the Pango it loads, each font family the theme names
(with the Debian package and the Homebrew cask that provide it), and Java, which
EPUBCheck needs. A finding says whether it is needed here, so a font of a language no
handbook uses is reported but does not count as missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass

from booklet.themes.fonts import find_face
from booklet.themes.theme import Theme

DEFAULT_FONTS = "default"
"""The theme's font entry for every language without one of its own."""


@dataclass(frozen=True)
class Finding:
    """One thing booklet relies on, found or not."""

    what: str
    """What it is: `WeasyPrint`, `Pango`, `font Noto Serif (zh-Hans)`, `Java`."""
    found: str | None
    """Its version or file when found; None when missing."""
    needed: bool
    """Whether the handbooks at hand need it (a missing one makes doctor fail)."""
    fix: str
    """How to install it."""


def _weasyprint() -> list[Finding]:
    fix = (
        "pip install weasyprint (it comes with booklet); on macOS brew install pango, on "
        "Windows use WSL or the GTK runtime WeasyPrint's documentation names"
    )
    try:
        import weasyprint
        from weasyprint.text.ffi import pango
    except (ImportError, OSError) as error:
        # OSError: WeasyPrint is there but cannot load the Pango library.
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        return [
            Finding("WeasyPrint", None, True, f"it does not load ({reason}); {fix}"),
            Finding("Pango", None, True, "install Pango 1.44 or later: " + fix),
        ]
    number = int(pango.pango_version())
    pango_version = f"{number // 10000}.{number // 100 % 100}.{number % 100}"
    pango_fix = "install Pango 1.44 or later (Debian: libpango-1.0-0; macOS: brew install pango)"
    return [
        Finding("WeasyPrint", str(weasyprint.__version__), True, fix),
        Finding("Pango", pango_version if number >= 14400 else None, True, pango_fix),
    ]


def font_packages(family: str) -> str:
    """Where a font family comes from, on Debian/Ubuntu and with Homebrew on macOS."""
    cask = "font-" + re.sub(r"[^a-z0-9]+", "-", family.lower()).strip("-")
    homebrew = f"brew install --cask {cask} (macOS)"
    if family.startswith("Noto") and " CJK " in f"{family} ":
        return f"apt install fonts-noto-cjk (Debian/Ubuntu) or {homebrew}"
    if family.startswith("Noto"):
        return f"apt install fonts-noto-core (Debian/Ubuntu) or {homebrew}"
    return f"install a package that provides the {family} font, or {homebrew}"


def _fonts(theme: Theme, languages: Iterable[str]) -> list[Finding]:
    wanted = set(theme.font_stack(DEFAULT_FONTS).families)
    for language in languages:
        wanted |= set(theme.font_stack(language).families)
    users: dict[str, list[str]] = {}
    for key, stack in theme.fonts.items():
        for family in stack.families:
            users.setdefault(family, []).append(key)
    findings = []
    for family, keys in users.items():
        face = find_face(family)
        used_by = "every language" if DEFAULT_FONTS in keys else ", ".join(keys)
        findings.append(
            Finding(
                f"font {family} ({used_by})",
                str(face.path) if face else None,
                family in wanted,
                font_packages(family),
            )
        )
    return findings


def _java() -> Finding:
    fix = "apt install default-jre-headless (Debian/Ubuntu) or brew install openjdk (macOS)"
    what = "Java (EPUBCheck, to validate EPUBs; the tests use it)"
    java = shutil.which("java")
    if java is None:
        return Finding(what, None, False, fix)
    try:
        shown = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=30, check=False
        ).stderr
    except (OSError, subprocess.TimeoutExpired):
        return Finding(what, None, False, fix)
    version = re.search(r'version "([^"]+)"', shown)
    return Finding(what, version.group(1) if version else java, False, fix)


def survey(theme: Theme, languages: Iterable[str]) -> list[Finding]:
    """Every finding, in the order doctor prints them."""
    return [*_weasyprint(), *_fonts(theme, languages), _java()]
