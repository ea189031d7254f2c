"""`booklet translations`: record, measure and exchange translations (thin Click layer)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click

from booklet.cli.handbooks import DEFAULT_SOURCES, checked, handbook_dirs, parsed, read_input
from booklet.errors import BookletError, ProblemsFound, SeveralErrors, display_path
from booklet.text.terminal import terminal_safe
from booklet.themes.theme import best_match
from booklet.vocabulary import ExchangeFormat, MatchedBy

if TYPE_CHECKING:
    from booklet.model import Handbook


@click.group()
def translations() -> None:
    """Keep translations in step: record, measure, exchange with translators.

    `sync` records what every block says now (translations.lock); `check` then warns
    of translations whose original changed since. `status` measures coverage; `export`
    and `import` exchange XLIFF or PO files with translators' tools.
    """


@translations.command("sync")
@click.argument("handbooks", nargs=-1, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--prune",
    is_flag=True,
    help="First delete, from the translations, the text whose original was deleted.",
)
def translations_sync(handbooks: tuple[Path, ...], prune: bool) -> None:
    """Record every piece of text and article as translated now (writes translations.lock).

    Run it when the translations are up to date; commit the lock file with the
    handbook. HANDBOOKS default to every handbook under ./sources.
    """

    from booklet.build.transaction import write_all
    from booklet.sources.files import LOCK
    from booklet.sources.lock import DELETED
    from booklet.translations.record import lock_text

    for folder in handbook_dirs(handbooks):
        handbook = checked(folder).handbook
        if prune:
            handbook = _prune(handbook)
        text = lock_text(handbook)
        write_all([(handbook.root / LOCK, text.encode("utf-8"))])
        pieces = sum(1 for line in text.splitlines() if line.startswith("unit "))
        articles = sum(1 for line in text.splitlines() if line.startswith("article "))
        kept = sum(1 for line in text.splitlines() if line.startswith(f"{DELETED} "))
        orphans = (
            f", and {kept} translation{'s' if kept != 1 else ''} whose original was deleted"
            if kept
            else ""
        )
        click.echo(
            terminal_safe(
                f"{display_path(handbook.root / LOCK)}: {_units(pieces)} of text and "
                f"{articles} article{'s' if articles != 1 else ''} recorded{orphans}"
            )
        )


def _prune(handbook: Handbook) -> Handbook:
    """Delete the translations' orphans, all files at once; the handbook read again."""
    from booklet.build.transaction import write_all
    from booklet.exchange.writing import encoded, pruned
    from booklet.translations.pairing import chapter_pairings

    record = handbook.record.chapters if handbook.record else None
    files: list[tuple[Path, bytes]] = []
    for chapter in handbook.printed_chapters:
        for pairing in chapter_pairings(
            chapter, record, handbook.languages, handbook.authoritative
        ).values():
            version = pairing.translated
            if version is None or not pairing.orphans:
                continue
            files.append((version.path, encoded(pruned(pairing), version.newline, version.bom)))
            count = len(pairing.orphans)
            click.echo(
                terminal_safe(
                    f"{display_path(version.path)}: {count} translation"
                    f"{'s' if count != 1 else ''} without an original deleted"
                )
            )
    write_all(files)
    return parsed(handbook.root) if files else handbook


def _a_number(value: float | None) -> float | None:
    if value is not None and value != value:  # NaN compares unequal to itself
        raise click.BadParameter("give a percentage from 0 to 100")
    return value


@translations.command("status")
@click.argument("handbooks", nargs=-1, type=click.Path(path_type=Path, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--min",
    "minimum",
    type=click.FloatRange(0, 100),
    callback=lambda _ctx, _param, value: _a_number(value),
    default=None,
    help="Exit 1 when any language is translated less than this percentage.",
)
def translations_status(handbooks: tuple[Path, ...], as_json: bool, minimum: float | None) -> None:
    """Blocks current, stale and missing per language, and words still to translate."""

    import json

    from booklet.translations.states import status

    report: dict[str, object] = {}
    short: list[str] = []
    for folder in handbook_dirs(handbooks):
        handbook = parsed(folder)
        languages = {}
        lines = [f"{handbook.id} (translated from {handbook.authoritative})"]
        for figures in status(handbook):
            languages[figures.language] = {
                "current": figures.current,
                "stale": figures.stale,
                "missing": figures.missing,
                "words_to_translate": figures.words,
                "coverage": round(figures.coverage, 1),
            }
            lines.append(
                f"  {figures.language}: {figures.current} current, {figures.stale} stale, "
                f"{figures.missing} missing ({figures.coverage:.1f}% translated); "
                f"{figures.words} words to translate"
            )
            if minimum is not None and figures.coverage < minimum:
                short.append(
                    f"{handbook.id}: {figures.language} is {figures.coverage:.1f}% "
                    f"translated, under --min {minimum:g}"
                )
        report[handbook.id] = {"authoritative": handbook.authoritative, "languages": languages}
        if not as_json:
            click.echo(terminal_safe("\n".join(lines)))
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True))
    if short:
        raise SeveralErrors([BookletError(line) for line in short])


@translations.command("export")
@click.argument("handbook", type=click.Path(path_type=Path, file_okay=False))
@click.option("--lang", "language", required=True, help="The translation language (BCP 47 tag).")
@click.option(
    "--format",
    "kind",
    type=click.Choice([kind.value for kind in ExchangeFormat]),
    default="xliff",
    show_default=True,
    help="XLIFF 1.1 (CAT tools) or gettext PO (Poedit, Weblate).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The file to write. An existing file is replaced only when it is an earlier "
    "export of this language whose import would change nothing.",
)
def translations_export(handbook: Path, language: str, kind: str, output: Path) -> None:
    """Write one language's units for translators: source, target, state and notes.

    One unit per heading, paragraph and list item (id chapter.md#<stable id>) and per
    cited statute article (id law:key); stale translations are marked for review, and
    pieces and chapters not translated yet go out as new units.
    """

    from booklet.build.transaction import write_all
    from booklet.exchange.export_guard import check_export_target
    from booklet.exchange.files import exchange_units, write_exchange
    from booklet.exchange.units import OBSOLETE

    book = checked(handbook).handbook
    language = _translation_language(book, language)
    if output.resolve().is_relative_to(book.root):
        raise BookletError(
            f"{display_path(output)}: write the exchange file outside the handbook folder, "
            "so it is not taken for part of the handbook"
        )
    _check_suffix(output, ExchangeFormat(kind))
    check_export_target(book, language, output)
    units = exchange_units(book, language, _siblings(book))
    write_all([(output, write_exchange(book, language, ExchangeFormat(kind), units))])
    kept = sum(1 for u in units if u.state == OBSOLETE)
    todo = sum(1 for u in units if u.state not in ("translated", OBSOLETE))
    suggested = sum(1 for u in units if u.suggested_from)
    extra = f", {suggested} with a suggestion of the translation memory" if suggested else ""
    if kept:
        extra += f", {kept} obsolete (original deleted) kept for reuse"
    click.echo(
        terminal_safe(
            f"{display_path(output)}: {len(units) - kept} units from {book.authoritative} to "
            f"{language}, {todo} to translate or review{extra}"
        )
    )


_SUFFIXES = {ExchangeFormat.XLIFF: (".xlf", ".xliff"), ExchangeFormat.PO: (".po", ".pot")}
"""The file name endings translators' tools expect of each format."""


def _check_suffix(output: Path, kind: ExchangeFormat) -> None:
    """Refuse a name that says the other format: a tool opening `en.po` that holds XLIFF
    fails, or takes it for an empty catalogue."""
    suffix = output.suffix.lower()
    for other, endings in _SUFFIXES.items():
        if other is not kind and suffix in endings:
            raise BookletError(
                f"-o {display_path(output)}: a {suffix} name for a {kind.value} file; name it "
                f"{output.stem}{_SUFFIXES[kind][0]}, or use --format {other.value}"
            )


def _siblings(handbook: Handbook) -> list[Handbook]:
    """The other handbooks beside this one that parse: their translations feed the
    translation memory."""
    from booklet.sources.files import find_handbooks

    out = []
    for folder in find_handbooks(handbook.root.parent):
        if folder.resolve() == handbook.root.resolve():
            continue
        try:
            out.append(parsed(folder))
        except BookletError:
            continue  # a sibling that does not parse offers nothing
    return out


@translations.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--handbook",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="The handbook folder. Default: sources/<id>, the id the file names.",
)
@click.option(
    "--lang",
    "language",
    default=None,
    help="The translation language, for a file that names none (or names it wrongly).",
)
def translations_import(file: Path, folder: Path | None, language: str | None) -> None:
    """Write the translations of an XLIFF or PO file back into the handbook.

    Only the text of each heading, paragraph, list item or article changes; pieces and
    chapters the translation lacks are added where they belong. Nothing is written if
    any unit is refused. Units still marked fuzzy or for review are skipped; the others
    are recorded as current in translations.lock.
    """

    from booklet.build.transaction import write_all
    from booklet.exchange.files import read_exchange
    from booklet.exchange.importing import booklet_id, import_units
    from booklet.sources.files import LOCK
    from booklet.translations.record import lock_text

    handbook_id, named, units = read_exchange(file, read_input(file))
    if folder is not None and not any(booklet_id(u.id) for u in units):
        # A file another tool rewrote (po2xliff names it after its PO file): the name is
        # not booklet's, and its units are matched by their originals' text.
        handbook_id = ""
    handbook = checked(_import_target(file, handbook_id, folder)).handbook
    chosen = _translation_language(handbook, language or named, file)
    result, problems = import_units(handbook, chosen, units)
    if problems:
        raise ProblemsFound(file, problems)
    lock = lock_text(handbook, result.synced, result.hashes).encode("utf-8")
    old_lock = handbook.root / LOCK
    files = sorted(result.files.items())
    if not old_lock.is_file() or old_lock.read_bytes() != lock:
        files.append((old_lock, lock))
    write_all(files)  # the chapters and the lock together, or nothing
    changed = len(files)  # the lock counts: a summary never hides a file it wrote
    reasons = ", ".join(f"{n} {why}" for why, n in sorted(result.skipped.items()))
    skipped = sum(result.skipped.values())
    review = (
        f", {result.for_review} still marked for review (recorded as not yet current)"
        if result.for_review
        else ""
    )
    click.echo(
        terminal_safe(
            f"{display_path(file)}: {_units(result.written)} written, {result.unchanged} "
            f"unchanged, {skipped} skipped{f' ({reasons})' if reasons else ''}{review}; "
            f"{changed} file{'s' if changed != 1 else ''} changed in {handbook.id} ({chosen})"
            + _matched(result.matched)
        )
    )


def _matched(ways: Counter[MatchedBy]) -> str:
    """How units were matched, when not all by id: `; matched 40 by original text, ...`."""
    if set(ways) <= {MatchedBy.ID}:
        return ""
    return (
        "; matched "
        + ", ".join(f"{ways[way]} by {way}" for way in MatchedBy)
        + (" (ids missing or not booklet's)")
    )


def _units(count: int) -> str:
    return f"{count} unit{'s' if count != 1 else ''}"


def _import_target(file: Path, handbook_id: str, folder: Path | None) -> Path:
    """The handbook an exchange file goes into: the one named on the command line, else
    the one under ./sources whose id the file names; never a path the file gives."""
    plain = (
        handbook_id and handbook_id == Path(handbook_id).name and not handbook_id.startswith(".")
    )
    if handbook_id and not plain:
        raise BookletError(
            f'{display_path(file)}: the file names the handbook "{handbook_id}", which is not '
            "a handbook id; import it with --handbook DIR"
        )
    if folder is not None:
        if handbook_id and folder.resolve().name != handbook_id:
            raise BookletError(
                f'{display_path(file)}: the file was exported from handbook "{handbook_id}", '
                f"not {display_path(folder)}; import it into that handbook"
            )
        return folder
    if not handbook_id:
        raise BookletError(f"{file}: the file does not name its handbook; add --handbook")
    return DEFAULT_SOURCES / handbook_id


def _translation_language(handbook: Handbook, language: str, file: Path | None = None) -> str:
    """The handbook's translation language a tag means: `es_ES` -> `es-ES` -> `es`, in
    any case."""
    wanted = language.replace("_", "-")
    others = [lang for lang in handbook.languages if lang != handbook.authoritative]
    match = best_match(wanted, others) if wanted else None
    if match is not None:
        return match
    if file is not None and not wanted:
        raise BookletError(
            f"{display_path(file)}: the file names no language; add --lang with one of: "
            + ", ".join(others)
        )
    raise BookletError(
        f'"{language}" is not a translation language of {handbook.id}; use one of: '
        + ", ".join(others)
    )
