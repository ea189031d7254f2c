"""Reads theme folders (templates, CSS, fonts per language, interface text).

Takes the theme folders, most specific first (a user's `--theme` folders, then the
default theme shipped inside this package); gives a `Theme` whose settings merge them,
so a user theme only holds what it changes. The contract is in docs/themes.md.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from booklet.errors import ConfigError
from booklet.text.toml_bounds import toml_bomb
from booklet.vocabulary import DIGITS

DEFAULT_THEME = Path(str(files("booklet.themes").joinpath("default"))).resolve()
"""The theme shipped with booklet, package data: a wheel carries it."""

OVERRIDE_CSS = "theme.css"
"""A theme's `css/theme.css` is added after every other stylesheet, default theme first."""

KIT_STRINGS = (
    "kit_title",
    "kit_intro",
    "kit_parallel",
    "kit_interleaved",
    "kit_sequential",
    "kit_booklet",
    "kit_printing",
    "kit_large_print",
    "kit_epub",
    "kit_language_pdf",
    "kit_language_epub",
    "kit_pages",
)
"""Interface text of the distribution kit's index page."""

REQUIRED_STRINGS = (
    "language_name",
    "contents",
    "legal_basis",
    "legal_basis_intro",
    "related_provisions",
    "about",
    "edition",
    "publisher",
    "law_as_at",
    "status_draft",
    "status_reviewed",
    "next_review",
    "draft_badge",
    "page_ref",
    "note",
    "tip",
    "warning",
    "get_help",
    "help_near_you",
    "scan_to_call",
    "scan_to_visit",
    "translated_edition",
    *KIT_STRINGS,
    "date",
    "print_title",
    "print_sheets",
    "print_set",
    "print_sets",
    "print_everyday",
    "print_front",
    "print_back",
    "print_top",
    "print_fold_left",
    "print_fold_right",
    "proof_title",
    "proof_pending",
    "proof_missing",
    "ticked",
    "not_ticked",
    "print_pages",
)
"""Interface text every language of a handbook needs (besides the lists below)."""

OPTIONAL_STRINGS = ("paper_a3", "paper_a4", "paper_a5", "paper_letter", "paper_tabloid", "revision")
"""Interface text a language may have: the names of papers in its words (the name on a
printer's tray serves where it has none), and `revision` (`REVISION_TEXT` serves)."""

REVISION_TEXT = "Revision {revision}"
"""The revision line in a language whose interface text has none."""

REQUIRED_LISTS = ("print_steps",)
"""Interface text that is a list of paragraphs."""


@dataclass(frozen=True)
class FontStack:
    """The font families of one language."""

    serif: tuple[str, ...]
    """Body text."""
    sans: tuple[str, ...]
    """Headings, running heads, labels."""

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.serif + self.sans))


@dataclass(frozen=True)
class Theme:
    """Everything a renderer needs from the theme folders."""

    folders: tuple[Path, ...]
    """Theme folders, most specific first; templates are looked up in this order."""
    fonts: Mapping[str, FontStack]
    """Language tag (or `default`) -> its fonts."""
    rtl: frozenset[str]
    """Primary language subtags written right to left."""
    strings: Mapping[str, Mapping[str, Any]]
    """Language tag -> interface text name -> text (`months` is a list)."""
    stylesheets: Mapping[str, str]
    """CSS file name -> text, from the `css/` folders (the most specific folder wins)."""
    overrides: tuple[str, ...] = ()
    """Every folder's `css/theme.css`, the default theme's first: added after all other CSS."""
    numerals: Mapping[str, str] = field(default_factory=dict)
    """Language tag -> the digits it writes numbers in (booklet.vocabulary.DIGITS);
    a language not named writes Western digits ("arabic")."""

    def font_stack(self, language: str) -> FontStack:
        """The fonts for a language: the most specific matching entry, else `default`."""
        key = best_match(language, self.fonts) or "default"
        return self.fonts[key]

    def digits(self, language: str, chosen: Mapping[str, str] | None = None) -> str:
        """The numeral system of page numbers and article numbers in `language`: a
        handbook's `[numerals]` (`chosen`), else the theme's, else CLDR's default for the
        tag (fa: persian; ar: arabic, ar-EG: arabic-indic)."""
        from booklet.themes.cldr import default_digits

        for table in (chosen or {}, self.numerals):
            key = best_match(language, table)
            if key is not None:
                return table[key]
        return default_digits(language)

    def direction(self, language: str) -> str:
        return "rtl" if language.split("-")[0].lower() in self.rtl else "ltr"


LIKELY_SCRIPTS = {
    ("zh", "TW"): "Hant",
    ("zh", "HK"): "Hant",
    ("zh", "MO"): "Hant",
    ("zh", "CN"): "Hans",
    ("zh", "SG"): "Hans",
    ("zh", "MY"): "Hans",
}
"""The script a language is written in where its region decides it (CLDR's likely
subtags): `zh-HK` is `zh-Hant-HK`."""


def match_order(tag: str) -> list[str]:
    """The tags to look for, most specific first, by BCP 47 rules: `zh-Hant-HK` tries
    zh-Hant-HK, zh-HK, zh-Hant, zh; `zh-HK` tries zh-HK, zh-Hant-HK, zh-Hant, zh."""
    parts = tag.split("-")
    language = parts[0]
    script = next((p for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    region = next((p for p in parts[1:] if len(p) == 2 or (len(p) == 3 and p.isdigit())), None)
    likely = LIKELY_SCRIPTS.get((language.lower(), (region or "").upper()))
    script = script or likely
    order = ["-".join(parts)]
    # A region stands for its script only where the script is the region's own: zh-HK
    # is zh-Hant-HK, but sr-RS is not sr-Latn-RS.
    if region and script and script.lower() == (likely or "").lower():
        order += [f"{language}-{region}", f"{language}-{script}-{region}"]
    if script:
        order.append(f"{language}-{script}")
    while len(parts) > 1:  # then the tag cut from its end: zh-Hant-HK-x -> zh-Hant-HK...
        parts.pop()
        order.append("-".join(parts))
    return list(dict.fromkeys(order))


def best_match(tag: str, available: Mapping[str, Any] | Sequence[str]) -> str | None:
    """The most specific key for a BCP 47 tag (see `match_order`)."""
    lowered = {key.lower(): key for key in available}
    for candidate in match_order(tag):
        key = lowered.get(candidate.lower())
        if key is not None:
            return key
    return None


MAX_THEME_FILE_BYTES = 1024 * 1024
"""A template, stylesheet or settings file larger than this is refused."""


def theme_text(path: Path, folder: Path) -> str:
    """A theme file's text, read only if it lies inside its theme folder (no symlink or
    include out of it), is a file, is at most 1 MB and is UTF-8; else a ConfigError."""
    resolved = path.resolve()
    if not resolved.is_relative_to(folder.resolve()):
        raise ConfigError(
            f"{path}: this theme file links to {resolved}, outside the theme folder "
            f"{folder}; copy the file into the theme instead of linking it"
        )
    try:
        with resolved.open("rb") as stream:
            data = stream.read(MAX_THEME_FILE_BYTES + 1)
    except OSError as error:
        raise ConfigError(
            f"{path}: cannot read this theme file ({error.strerror or error})"
        ) from None
    if len(data) > MAX_THEME_FILE_BYTES:
        raise ConfigError(f"{path}: this theme file is larger than 1 MB; a theme file is small")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError(
            f"{path}:{line}: this theme file is not UTF-8 text; save it as UTF-8"
        ) from None


def _stylesheet(path: Path, folder: Path) -> str:
    """A theme CSS file that loads nothing from outside its theme (booklet.themes.stylesheets)."""
    from booklet.themes.stylesheets import stylesheet_problem

    text = theme_text(path, folder)
    problem = stylesheet_problem(text) if folder != DEFAULT_THEME else None
    if problem is not None:
        line, message = problem
        raise ConfigError(f"{path}:{line}: {message}")
    return text


def _read_toml(path: Path, folder: Path) -> dict[str, Any]:
    text = theme_text(path, folder)
    bomb = toml_bomb(text)
    if bomb is not None:
        raise ConfigError(f"{path}:{bomb.line}: {bomb.message}")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error}); fix the theme file") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to read; fix the theme file") from None


def _tables(
    data: dict[str, Any], key: str | None, path: Path, nested: bool = True
) -> dict[str, Any]:
    """`data[key]` (or `data`) as a table of tables; anything else is a ConfigError."""
    value = data if key is None else data.get(key, {})
    if not isinstance(value, dict) or (
        nested and not all(isinstance(v, dict) for v in value.values())
    ):
        what = f"[{key}.<language>] tables" if key else "[<language>] tables"
        raise ConfigError(f"{path}: {key or 'the file'} must hold {what}; fix the theme file")
    return value


def _names(
    table: dict[str, Any], key: str, default: tuple[str, ...], path: Path, where: str
) -> tuple[str, ...]:
    value = table.get(key, default)
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ConfigError(
            f'{path}: {where}.{key} must be a list of names in quotes, e.g. ["Noto Serif"]'
        )
    return tuple(value)


def load_theme(folders: Sequence[Path] = ()) -> Theme:
    """Merge the given theme folders over the default theme."""
    chain = [*(f.resolve() for f in folders), DEFAULT_THEME]
    for folder in chain:
        if not folder.is_dir():
            raise ConfigError(f"{folder}: no such theme folder")
    fonts: dict[str, FontStack] = {}
    rtl: set[str] = set()
    strings: dict[str, dict[str, Any]] = {}
    stylesheets: dict[str, str] = {}
    overrides: list[str] = []
    numerals: dict[str, str] = {}
    for folder in reversed(chain):  # the default first, overridden by what follows
        settings_file = folder / "theme.toml"
        settings = _read_toml(settings_file, folder) if settings_file.exists() else {}
        for lang, stack in _tables(settings, "fonts", settings_file).items():
            base = fonts.get(lang) or fonts.get("default", FontStack((), ()))
            fonts[lang] = FontStack(
                _names(stack, "serif", base.serif, settings_file, lang),
                _names(stack, "sans", base.sans, settings_file, lang),
            )
        for lang, system in _tables(settings, "numerals", settings_file, nested=False).items():
            if system not in DIGITS:
                raise ConfigError(
                    f"{settings_file}: [numerals] {lang} = {system!r} is not a system of "
                    f"digits; use one of {', '.join(DIGITS)}"
                )
            numerals[lang] = system
        direction = _tables(settings, "direction", settings_file, nested=False)
        rtl.update(_names(direction, "rtl", (), settings_file, "direction"))
        strings_file = folder / "strings.toml"
        if strings_file.exists():
            strings_data = _read_toml(strings_file, folder)
            for lang, table in _tables(strings_data, None, strings_file).items():
                strings.setdefault(lang, {}).update(table)
        css = folder / "css"
        if css.is_dir():
            for path in sorted(css.glob("*.css")):
                text = _stylesheet(path, folder)
                if path.name == OVERRIDE_CSS:
                    overrides.append(text)
                else:
                    stylesheets[path.name] = text
    if "default" not in fonts:
        raise ConfigError(f"{chain[-1]}/theme.toml: [fonts.default] is missing")
    return Theme(
        tuple(chain), fonts, frozenset(rtl), strings, stylesheets, tuple(overrides), numerals
    )
