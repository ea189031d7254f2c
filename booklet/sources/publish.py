"""`[publish]` in handbook.toml: the editions a plain `booklet build` makes.

Takes the handbook.toml fields and the handbook's languages; gives a `Publish` (or None
when the table is absent: the defaults of the command line), every wrong value a
located problem.
"""

from __future__ import annotations

from booklet.model import Publish
from booklet.sources.toml_fields import TomlFields
from booklet.vocabulary import FACING_LANGUAGES, LAYOUTS, PAPERS, Layout, OutputFormat

PUBLISH_KEYS = (
    "layouts",
    "papers",
    "formats",
    "impose",
    "large_print",
    "print_shop",
    "languages",
    "clinics",
    "kit",
)
"""The settings of `[publish]`."""


def parse_publish(top: TomlFields, languages: tuple[str, ...]) -> Publish | None:
    """The `[publish]` table, or None when there is none."""
    if "publish" not in top.data:
        return None
    table = top.sub("publish")
    table.unknown_keys(PUBLISH_KEYS)
    layouts = _choices(table, "layouts", [layout.value for layout in Layout])
    if Layout.FACING in layouts and len(languages) != FACING_LANGUAGES:
        table.error(
            "layouts",
            f'"facing" shows two languages, one on each page of a spread, and this handbook '
            f"has {len(languages)}; remove it from layouts",
        )
        layouts = [name for name in layouts if name != Layout.FACING]
    papers = _choices(table, "papers", list(PAPERS))
    formats = _choices(table, "formats", [fmt.value for fmt in OutputFormat])
    ones = _choices(table, "languages", list(languages))
    return Publish(
        layouts=tuple(Layout(name) for name in layouts) if layouts else LAYOUTS,
        papers=tuple(papers),
        formats=tuple(OutputFormat(name) for name in formats) if formats else Publish.formats,
        impose=_flag(table, "impose"),
        large_print=_flag(table, "large_print"),
        print_shop=_flag(table, "print_shop"),
        languages=tuple(ones),
        clinics=_clinics(table),
        kit=_flag(table, "kit"),
        location=table.at(),
    )


def _choices(table: TomlFields, key: str, allowed: list[str]) -> list[str]:
    """A list of names each of which must be one of `allowed`; empty when left out."""
    names = table.text_list(key, required=False)
    wrong = [name for name in names if name not in allowed]
    if wrong:
        table.error(key, f'"{wrong[0]}" in {key} is not one of: {", ".join(allowed)}')
    return [name for name in names if name in allowed]


def _flag(table: TomlFields, key: str) -> bool:
    value = table.data.get(key, False)
    if not isinstance(value, bool):
        table.error(key, f"{key} must be true or false (without quotes)")
        return False
    return value


def _clinics(table: TomlFields) -> tuple[str, ...]:
    """`clinics = "all"` or a list of clinic ids (checked against the directory by the
    command that makes them)."""
    value = table.data.get("clinics")
    if value == "all":
        return ("all",)
    return tuple(table.text_list("clinics", required=False))
