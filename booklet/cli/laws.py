"""`booklet laws`: keep the statute registry current (thin Click layer).

`update` compares a registry file with an official consolidated text and, with --write,
writes the changed articles in; `reviewed` records the law a handbook was reviewed
against (law.lock), so `check` can flag every paragraph citing an article that changed.
Exit codes of `update`: 0 nothing differed, 1 differences found (written or not) or a
problem, 2 a mistake on the command line. Neither command ever asks a question.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from booklet.cli.handbooks import handbook_dirs, read_input
from booklet.errors import (
    BookletError,
    Problem,
    ProblemsFound,
    Severity,
    SourceError,
    SourceLocation,
    display_path,
)

if TYPE_CHECKING:
    from booklet.law.compare import Difference
    from booklet.law.official import OfficialText
    from booklet.model import Statute

_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _shown(text: str) -> str:
    """Text from a file as the terminal shows it: no control characters."""
    return _UNPRINTABLE.sub("\ufffd", text)


@click.group()
def laws() -> None:
    """Keep the statute registry current and flag what a change affects.

    `update` compares a registry file with an official text (Akoma Ntoso XML or plain
    text) and can write the changes in; `reviewed` records the law a handbook was
    reviewed against, so `check` warns at every paragraph citing an article that changed.
    """


@laws.command("update")
@click.argument("registry_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--from",
    "official_file",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The official consolidated text: Akoma Ntoso 3.0 XML, or plain text with one "
    "heading line per article (第六百八十条, Artículo 12., § 1692c.).",
)
@click.option("--write", is_flag=True, help="Write the changed articles into REGISTRY_FILE.")
@click.option(
    "--effective",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="With --write: set the statute's `effective` date (YYYY-MM-DD) too.",
)
@click.option(
    "--language",
    help="The language of the official text (default: the first language of the "
    "statute's [title]).",
)
def laws_update(
    registry_file: Path,
    official_file: Path,
    write: bool,
    effective: datetime | None,
    language: str | None,
) -> None:
    """Compare REGISTRY_FILE with an official text, article by article.

    Prints each article that changed, was added inside a run the registry holds, was
    repealed, or looks renumbered (its text under a new number), with a word-level diff.
    With --write, changed articles get the new text and repealed ones `repealed = true`;
    comments and formatting are kept. Exit code 0: nothing differed; 1: differences
    found (written or not) or a problem.
    """
    from booklet.law.compare import compare
    from booklet.law.official import read_official

    if effective and not write:
        raise click.UsageError("--effective sets the date in the registry file; add --write")

    statute, toml = _registry_statute(registry_file)
    language = language or next(iter(statute.title), "")
    if language not in statute.title:
        raise BookletError(
            f'{display_path(registry_file)}: the statute has no "{language}" text; '
            f"use --language with one of: {', '.join(statute.title)}"
        )
    official = read_official(official_file, _decoded(official_file))
    differences = compare(statute, language, official)
    _report(registry_file, official, statute, language, differences)
    if write and (differences or effective):
        _write(registry_file, toml, language, differences, official, effective)
    if differences:
        raise SystemExit(1)


def _decoded(path: Path) -> str:
    data = read_input(path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(
            SourceLocation(path, line), "not UTF-8 text; save the official text as UTF-8"
        ) from None


def _registry_statute(path: Path) -> tuple[Statute, str]:
    from booklet.sources.files import read_toml
    from booklet.sources.statutes import parse_statute

    if not path.is_file():
        raise BookletError(f"{display_path(path)}: no such registry file")
    file = read_toml(path, path.resolve().parent)
    problems: list[Problem] = []
    statute = parse_statute(file, problems)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise ProblemsFound(path, errors)
    return statute, file.text


def _report(
    registry: Path,
    official: OfficialText,
    statute: Statute,
    language: str,
    differences: list[Difference],
) -> None:
    from booklet.vocabulary import ArticleChange

    source = display_path(official.path)
    click.echo(f"{display_path(registry)} ({language}) against {source}:")
    for d in differences:
        where = f"{source}:{d.official_line}" if d.official_line else source
        if d.change is ArticleChange.CHANGED:
            click.echo(f"changed {d.key} ({where}):")
            _diff_lines(d.old, d.new)
        elif d.change is ArticleChange.ADDED:
            click.echo(f"added {d.key} ({where}): not in the registry")
            for paragraph in d.new:
                click.echo(f"  {{+{_shown(paragraph)}+}}")
        elif d.change is ArticleChange.REPEALED:
            if d.official_line:
                click.echo(f"repealed {d.key} ({where}): marked repealed in the official text")
            else:
                click.echo(f"repealed {d.key}: not in the official text")
        else:
            click.echo(
                f"renumbered {d.key} -> {d.new_key} ({where}): its text is now article "
                f"{d.new_key}; change the citations [[{statute.id} {d.key}]] and the registry key"
            )
    _summary(statute, official, differences)


def _diff_lines(old: tuple[str, ...], new: tuple[str, ...]) -> None:
    from booklet.law.compare import word_diff

    for index in range(max(len(old), len(new))):
        before = old[index] if index < len(old) else ""
        after = new[index] if index < len(new) else ""
        if before != after:
            click.echo(f"  ¶{index + 1}: {_shown(word_diff(before, after))}")


def _summary(statute: Statute, official: OfficialText, differences: list[Difference]) -> None:
    from booklet.vocabulary import ArticleChange

    counts = Counter(d.change for d in differences)
    named = {a.key for a in statute.articles} | {d.key for d in differences}
    others = sum(
        1 for a in official.articles if a.key not in named | {d.new_key for d in differences}
    )
    figures = ", ".join(f"{counts[c]} {c.value}" for c in ArticleChange)
    click.echo(
        f"{figures}; {others} article{'s' if others != 1 else ''} of the official text "
        "not in the registry (not cited, left out)"
    )


def _write(
    registry: Path,
    toml: str,
    language: str,
    differences: list[Difference],
    official: OfficialText,
    effective: datetime | None,
) -> None:
    from booklet.build.transaction import write_all
    from booklet.law.registry_edit import UnwritableText, updated_registry
    from booklet.vocabulary import ArticleChange

    day: date | None = effective.date() if effective else None
    try:
        text = updated_registry(toml, language, differences, day)
    except UnwritableText as error:
        line = next((d.official_line for d in differences if d.key == error.key), 0)
        raise SourceError(
            SourceLocation(official.path, line),
            f"article {error.key}: {error}; nothing written to {display_path(registry)}",
        ) from None
    write_all([(registry, text.encode("utf-8"))])
    counts = Counter(d.change for d in differences)
    written = counts[ArticleChange.CHANGED] + counts[ArticleChange.REPEALED]
    click.echo(
        f"{display_path(registry)}: {written} article{'s' if written != 1 else ''} written"
        + (f", effective {day.isoformat()}" if day else "")
        + "; now update its [version] lines, and have every handbook citing the changed "
        "articles reviewed (booklet check lists the paragraphs)"
    )


@laws.command("reviewed")
@click.argument("handbooks", nargs=-1, type=click.Path(path_type=Path, file_okay=False))
def laws_reviewed(handbooks: tuple[Path, ...]) -> None:
    """Record the law every cited article reads now as reviewed (writes law.lock).

    Run it after a lawyer has checked the handbook against the current law; `check` then
    warns at every paragraph citing an article whose text changes later. It moves nothing
    else: set law_as_at, reviewed_on and next_review in handbook.toml yourself.
    HANDBOOKS default to every handbook under ./sources.
    """
    from booklet.build.transaction import write_all
    from booklet.cli.handbooks import parsed
    from booklet.law.reviewed import law_lock_text
    from booklet.sources.files import LAW_LOCK

    for folder in handbook_dirs(handbooks):
        handbook = parsed(folder)
        text = law_lock_text(handbook)
        write_all([(handbook.root / LAW_LOCK, text.encode("utf-8"))])
        count = sum(1 for line in text.splitlines() if line.startswith("article "))
        click.echo(
            f"{display_path(handbook.root / LAW_LOCK)}: {count} cited "
            f"article{'s' if count != 1 else ''} recorded as reviewed"
        )
