"""`booklet build`: check, then make every output of each handbook, all or nothing."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from booklet.cli.boundary import echo_problems, problem_records, quiet_option
from booklet.cli.handbooks import handbook_dirs
from booklet.cli.options import (
    clinic_ids,
    clinic_option,
    imposition_options,
    jobs_option,
    length_mm,
    out_option,
    output_formats,
    papers_option,
    theme_option,
)
from booklet.cli.progress import made, silent, starting
from booklet.errors import BookletError, Problem, SeveralErrors, display_path
from booklet.text.terminal import terminal_safe
from booklet.vocabulary import (
    FACING_LANGUAGES,
    LARGE_PRINT_LAYOUTS,
    LAYOUTS,
    Edition,
    Layout,
    OutputFormat,
)

if TYPE_CHECKING:
    from booklet.build import BuildPlan, Checked, Output
    from booklet.build.handbooks import BuildReport, HandbookReport
    from booklet.model import Handbook
    from booklet.themes.theme import Theme


@click.command()
@click.argument("handbooks", nargs=-1, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--layout",
    "layouts",
    multiple=True,
    type=click.Choice([layout.value for layout in Layout]),
    help="PDF layout; repeat for several. Default: parallel, interleaved and sequential "
    "(facing pages, one language a page, when asked for).",
)
@papers_option
@click.option(
    "--format",
    "formats",
    default="pdf,epub",
    show_default=True,
    help="What to make: pdf, epub, html (the reading edition, a folder), or several "
    "separated by commas.",
)
@out_option
@click.option(
    "--edition",
    type=click.Choice([edition.value for edition in Edition]),
    default="standard",
    show_default=True,
    help="large-print: A4, 16 pt sans serif, left-aligned, no side-by-side columns.",
)
@click.option(
    "--print-shop",
    is_flag=True,
    help="For a print shop: 3 mm bleed, crop marks, TrimBox/BleedBox, K-only black.",
)
@click.option(
    "--impose",
    type=click.Choice(["booklet"]),
    default=None,
    help="Also write each PDF imposed two-up as a fold-and-staple booklet "
    "(<name>-booklet.pdf) and a printing sheet with instructions.",
)
@imposition_options
@click.option(
    "--proof",
    is_flag=True,
    help="Also make the translator's proof: parallel, unit ids in the margin, stale "
    "translations marked with a change bar, missing ones with a placeholder.",
)
@clinic_option
@click.option(
    "--language",
    "languages",
    multiple=True,
    metavar="LANG",
    help="Make the edition in one language of the handbook (<id>-LANG-<paper>.pdf and "
    "<id>-LANG.epub) instead of the bilingual layouts; repeat for several.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Refuse to build when there are warnings (stale or missing translations too).",
)
@jobs_option
@click.option(
    "--force",
    is_flag=True,
    help="Make every output again, even those the build cache says are unchanged.",
)
@click.option(
    "--draft",
    is_flag=True,
    help="A draft to proofread while writing (what `booklet watch` makes): re-render only "
    "the chapters an edit changed in parallel and interleaved PDFs (not clinic, print-shop "
    "or proof PDFs, which render whole) and splice them into the PDF last made. Same text, "
    "tags, bookmarks and links as a full build, but larger and not the same bytes; a build "
    "without --draft makes the book whole again.",
)
@click.option(
    "--stale",
    "remake_stale",
    is_flag=True,
    help="Make again exactly the files in the output folder that were made from older "
    "sources (a build lists them), each as it was made; nothing else.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a summary as JSON for a CI: per handbook, the files made (path, pages, "
    "bytes) and every problem (file, line, severity, message); the exit code is the same.",
)
@quiet_option
@theme_option
def build(
    handbooks: tuple[Path, ...],
    layouts: tuple[str, ...],
    papers: tuple[str, ...],
    formats: str,
    out_dir: Path,
    edition: str,
    print_shop: bool,
    impose: str | None,
    signature: int | None,
    creep: str,
    fold_mark: bool,
    proof: bool,
    clinics: tuple[str, ...],
    languages: tuple[str, ...],
    strict: bool,
    jobs: int | None,
    force: bool,
    draft: bool,
    remake_stale: bool,
    as_json: bool,
    quiet: bool,
    themes: tuple[Path, ...],
) -> None:
    """Check and build handbooks into PDF and EPUB files.

    HANDBOOKS are handbook folders; without any, every handbook under ./sources is
    built. Writes OUT/<id>/<id>-<layout>-<paper>.pdf and OUT/<id>/<id>.epub (with
    --clinic, OUT/<id>/<clinic>/<id>-<clinic>-...). Nothing is replaced unless every
    file of a handbook was made. An output whose sources, theme, fonts and options did
    not change since it was built is left as it is ("unchanged"; --force makes it again).
    """
    from booklet.build import build_time
    from booklet.build.handbooks import BuildEvents, build_all, check_all, failure_report
    from booklet.build.workers import usable_cpus
    from booklet.themes.theme import load_theme

    started = time.perf_counter()
    plan = _plan(
        layouts,
        papers,
        formats,
        out_dir,
        edition,
        print_shop,
        impose,
        signature,
        creep,
        fold_mark,
        proof,
        clinics,
        languages,
    )
    theme = load_theme(themes)
    checking = check_all(handbook_dirs(handbooks), theme, date.today(), strict)
    if checking.failed:
        passed = [_summary(c.handbook.root, True, c.warnings, []) for c in checking.checked]
        _fail(
            [*map(_record, checking.reports), *passed] if as_json else None,
            SeveralErrors(
                checking.failed, "Nothing was built; fix the problems above and build again."
            ),
        )
    published = not remake_stale and _no_edition_asked(click.get_current_context())
    asked = {
        c.handbook.id: _asked(c, theme, plan, remake_stale, published) for c in checking.checked
    }
    plans = {name: plans for name, (plans, _) in asked.items()}
    shown = not (quiet or as_json)
    events = BuildEvents(
        lambda checked: _announce(checked, as_json, quiet),
        starting if shown else silent,
        made if shown else silent,
    )
    created = build_time()
    report = build_all(
        checking.checked,
        theme,
        plans,
        created,
        jobs or usable_cpus(),
        events,
        force,
        draft,
        out_dir,
    )
    kits = {name: kits for name, (_, kits) in asked.items()}
    if report.error is None:
        report = _pack_kits(
            checking.checked, theme, report, kits, created, out_dir, quiet or as_json
        )
    records = [_record(r, out_dir) for r in report.reports]
    if report.error is not None:
        failed = _record(failure_report(report), out_dir)
        _fail([*records, failed] if as_json else None, report.error)
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    if quiet:
        echo_problems(_warnings(report.outputs))
    else:
        _said_done(report.outputs, len(checking.checked), out_dir, time.perf_counter() - started)
    for handbook in report.reports:
        _said_stale(handbook, out_dir)


def _plan(
    layouts: tuple[str, ...],
    papers: tuple[str, ...],
    formats: str,
    out_dir: Path,
    edition: str,
    print_shop: bool,
    impose: str | None,
    signature: int | None,
    creep: str,
    fold_mark: bool,
    proof: bool,
    clinics: tuple[str, ...],
    languages: tuple[str, ...],
) -> BuildPlan:
    """The options as one plan for every handbook, refusing those that do not go together."""
    from booklet.build import BuildPlan

    chosen_formats = output_formats(formats)
    chosen = [Layout(name) for name in layouts]
    large = Edition(edition) is Edition.LARGE_PRINT
    if large and Layout.PARALLEL in chosen:
        raise click.BadParameter(
            "the large-print edition has no parallel layout (two columns of 16 pt type "
            "are too narrow); use --layout interleaved, sequential or facing",
            param_hint="'--layout'",
        )
    if impose and OutputFormat.PDF not in chosen_formats:
        raise click.BadParameter(
            "--impose booklet imposes the PDF; add pdf to --format", param_hint="'--impose'"
        )
    if impose and print_shop:
        raise click.BadParameter(
            "a print shop imposes the pages itself; build --print-shop without --impose",
            param_hint="'--impose'",
        )
    if languages and chosen:
        raise click.BadParameter(
            "an edition in one language has no layout to choose (it is one book); "
            "build --language without --layout",
            param_hint="'--layout'",
        )
    if clinics and proof:
        raise click.BadParameter(
            "the translator's proof has no clinic editions; build --proof without --clinic",
            param_hint="'--proof'",
        )
    default = list(LARGE_PRINT_LAYOUTS) if large else list(LAYOUTS)
    return BuildPlan(
        chosen or default,
        papers,
        chosen_formats,
        out_dir,
        edition=Edition(edition),
        print_shop=print_shop,
        impose=impose == "booklet",
        signature=signature,
        creep_mm=length_mm(creep),
        fold_marks=fold_mark,
        proof=proof,
        clinics=clinics,
        languages=languages,
    )


def _for_handbook(handbook: Handbook, plan: BuildPlan) -> BuildPlan:
    """The plan for one handbook: its clinics (`all` named), its languages checked."""
    unknown = [lang for lang in plan.languages if lang not in handbook.languages]
    if unknown:
        raise click.BadParameter(
            f'handbook {handbook.id} has no language "{unknown[0]}"; its languages: '
            f"{', '.join(handbook.languages)}",
            param_hint="'--language'",
        )
    count = len(handbook.languages)
    if Layout.FACING in plan.layouts and count != FACING_LANGUAGES:
        raise click.BadParameter(
            f"handbook {handbook.id} has {count} language{'s' if count != 1 else ''}; the "
            "facing layout shows two, one on each page of a spread; use parallel, "
            "interleaved or sequential",
            param_hint="'--layout'",
        )
    return replace(plan, clinics=clinic_ids(handbook, tuple(plan.clinics)))


def _announce(checked: Checked, as_json: bool, quiet: bool) -> None:
    """A handbook's warnings, then its name above its files (neither in JSON)."""
    if not as_json:
        echo_problems(checked.warnings)
    if not (as_json or quiet):
        click.echo(f"{checked.handbook.id}:")


def _fail(records: list[dict[str, object]] | None, error: BookletError) -> NoReturn:
    """Stop with exit 1: the JSON report (with --json), else the error's message."""
    if records is None:
        raise error
    click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    click.get_current_context().exit(1)


def _said_done(outputs: list[Output], count: int, out_dir: Path, seconds: float) -> None:
    same = sum(output.unchanged for output in outputs)
    click.echo(
        terminal_safe(
            f"Built {len(outputs)} file{'s' if len(outputs) != 1 else ''} for {count} "
            f"handbook{'s' if count != 1 else ''} in {seconds:.1f} s into "
            f"{display_path(out_dir)}/" + (f" ({same} unchanged)" if same else "")
        )
    )


def _record(report: HandbookReport, out_dir: Path | None = None) -> dict[str, object]:
    from booklet.build.handbooks import stale_problems

    stale = stale_problems(report, out_dir) if out_dir is not None else []
    return _summary(report.folder, report.passed, [*report.problems, *stale], report.outputs)


EDITION_OPTIONS = (
    "layouts",
    "papers",
    "formats",
    "edition",
    "print_shop",
    "impose",
    "proof",
    "clinics",
    "languages",
)
"""The options that say which editions to make: with none of them, a handbook's
`[publish]` table does."""


def _no_edition_asked(context: click.Context) -> bool:
    from click.core import ParameterSource

    return all(
        context.get_parameter_source(name) in (ParameterSource.DEFAULT, None)
        for name in EDITION_OPTIONS
    )


def _asked(
    checked: Checked, theme: Theme, plan: BuildPlan, stale: bool, published: bool
) -> tuple[list[BuildPlan], list[list[str]]]:
    """What to build of one handbook, and the kits to pack from it (each a list of
    clinics, empty for the generic kit): its stale files and kits, what it publishes (no
    edition asked for), or the editions the options ask for (no kit)."""
    from booklet.build.kit import kit_plans
    from booklet.build.plan import published_plans
    from booklet.build.stale import stale_files, stale_kits, stale_plans
    from booklet.sources.revision import copy_revision

    handbook = checked.handbook
    out_dir = plan.out_dir
    if stale:
        old = stale_files(out_dir, handbook.id, copy_revision(handbook, theme), (), handbook)
        plans, kits = stale_plans(old, out_dir), stale_kits(old)
    elif published and handbook.publish is not None:
        plans = published_plans(handbook, out_dir)
        kits = [_published_clinics(handbook)] if handbook.publish.kit else []
    else:
        return [_for_handbook(handbook, plan)], []
    return plans + [p for clinics in kits for p in kit_plans(handbook, out_dir, clinics)], kits


def _published_clinics(handbook: Handbook) -> list[str]:
    assert handbook.publish is not None
    return clinic_ids(handbook, handbook.publish.clinics) if handbook.publish.clinics else []


def _pack_kits(
    checked: list[Checked],
    theme: Theme,
    report: BuildReport,
    kits: Mapping[str, list[list[str]]],
    created: datetime,
    out_dir: Path,
    hushed: bool,
) -> BuildReport:
    """The kits asked for (by `[publish]` or as stale), packed from the files just built;
    the report, with the kits packed no longer among its handbooks' older files."""
    from booklet.build.kit import pack_kits
    from booklet.build.made import protected_places
    from booklet.cli.kit import said_kit

    reports = []
    for item, built in zip(checked, report.reports, strict=False):
        handbook = item.handbook
        packed: set[Path] = set()
        for clinics in kits.get(handbook.id, []):
            made = pack_kits(
                handbook,
                theme,
                built.outputs,
                clinics,
                created,
                out_dir,
                protected_places([handbook.root]),
                None,
                silent if hushed else starting,
                silent if hushed else said_kit,
            )
            packed.update(kit.path for kit in made)
        reports.append(replace(built, stale=[s for s in built.stale if s.path not in packed]))
    return replace(report, reports=reports)


def _said_stale(report: HandbookReport, out_dir: Path) -> None:
    """The files older than the sources, each with its command, and the one that makes
    them all current (on standard error, as warnings are)."""
    from booklet.build.handbooks import stale_problems

    if not report.stale:
        return
    echo_problems(stale_problems(report, out_dir))
    count = sum(1 for item in report.stale if not item.unmakeable)
    gone = len(report.stale) - count
    folder, out = display_path(report.folder), display_path(out_dir)
    more = "" if out_dir == Path("output") else f" --out {out}"
    if count:
        click.echo(
            terminal_safe(
                f"{count} file{'s' if count != 1 else ''} in {out} "
                f"{'are' if count != 1 else 'is'} older than the sources of {folder} (revision "
                f"{report.revision}); make {'them' if count != 1 else 'it'} current: "
                f"booklet build {folder} --stale{more}"
            ),
            err=True,
        )
    if gone:
        click.echo(
            terminal_safe(
                f"{gone} file{'s' if gone != 1 else ''} in {out} can no longer be made from "
                f"the sources of {folder} (revision {report.revision}); remove "
                f"{'them' if gone != 1 else 'it'}: booklet clean {folder} --stale{more}"
            ),
            err=True,
        )


def _summary(
    folder: Path, passed: bool, problems: list[Problem], outputs: list[Output]
) -> dict[str, object]:
    """One handbook of `build --json`: what `check --json` says, and the files made."""
    return {
        "handbook": display_path(folder),
        "ok": passed,
        "outputs": [
            {
                "path": display_path(o.path),
                "kind": o.kind,
                "pages": o.pages or None,
                "bytes": o.size,
                "unchanged": o.unchanged,
            }
            for o in outputs
        ],
        "problems": problem_records([*problems, *_warnings(outputs)]),
    }


def _warnings(outputs: list[Output]) -> list[Problem]:
    """What is wrong with made files (a back cover running over a page, a booklet on
    paper an office printer does not take), as problems of those files."""
    return [warning for output in outputs for warning in output.warnings]
