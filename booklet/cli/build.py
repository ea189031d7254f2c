"""`booklet build`: check, then make every output of each handbook, all or nothing."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

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
from booklet.errors import (
    BookletError,
    Problem,
    ProblemsFound,
    SeveralErrors,
    Severity,
    SourceLocation,
    display_path,
)
from booklet.vocabulary import LARGE_PRINT_LAYOUTS, Edition, Layout

if TYPE_CHECKING:
    from booklet.build import Output


@click.command()
@click.argument("handbooks", nargs=-1, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--layout",
    "layouts",
    multiple=True,
    type=click.Choice([layout.value for layout in Layout]),
    help="PDF layout; repeat for several. Default: all three.",
)
@papers_option
@click.option(
    "--format",
    "formats",
    default="pdf,epub",
    show_default=True,
    help="What to make: pdf, epub, or both separated by a comma.",
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
    chosen_formats = output_formats(formats)
    creep_mm = length_mm(creep)
    if edition == "large-print":
        if "parallel" in layouts:
            raise click.BadParameter(
                "the large-print edition has no parallel layout (two columns of 16 pt type "
                "are too narrow); use --layout interleaved or --layout sequential",
                param_hint="'--layout'",
            )
        layouts = layouts or LARGE_PRINT_LAYOUTS
    if impose and "pdf" not in chosen_formats:
        raise click.BadParameter(
            "--impose booklet imposes the PDF; add pdf to --format", param_hint="'--impose'"
        )
    if impose and print_shop:
        raise click.BadParameter(
            "a print shop imposes the pages itself; build --print-shop without --impose",
            param_hint="'--impose'",
        )

    if languages and layouts:
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
    from booklet.build import BuildPlan, build_time, check_folder, finish_build, start_build
    from booklet.build.workers import renderer, usable_cpus
    from booklet.themes.theme import load_theme

    started = time.perf_counter()
    theme = load_theme(themes)
    plan = BuildPlan(
        [Layout(name) for name in layouts] or list(Layout),
        papers,
        chosen_formats,
        out_dir,
        edition=Edition(edition),
        print_shop=print_shop,
        impose=impose == "booklet",
        signature=signature,
        creep_mm=creep_mm,
        fold_marks=fold_mark,
        proof=proof,
    )
    created = build_time()
    checked = []
    failed: list[BookletError] = []
    report: list[dict[str, object]] = []
    for folder in handbook_dirs(handbooks):
        try:
            checked.append(check_folder(folder, theme, date.today(), strict))
        except ProblemsFound as error:
            failed.append(error)
            report.append(_summary(folder, False, error.problems, []))
    first: dict[str, Path] = {}
    for item in checked:  # two handbooks of one name would write over each other
        other = first.setdefault(item.handbook.id, item.handbook.root)
        if other != item.handbook.root:
            failed.append(BookletError(
                f'{display_path(other)} and {display_path(item.handbook.root)} are both named '
                f'"{item.handbook.id}" and would be built into one folder; rename one of them'
            ))  # fmt: skip
    if failed and as_json:
        report += [_summary(item.handbook.root, True, item.warnings, []) for item in checked]
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        click.get_current_context().exit(1)
    if failed:
        raise SeveralErrors(failed, "Nothing was built; fix the problems above and build again.")
    chosen = {item.handbook.id: clinic_ids(item.handbook, clinics) for item in checked}
    for item in checked:
        unknown = [lang for lang in languages if lang not in item.handbook.languages]
        if unknown:
            raise click.BadParameter(
                f'handbook {item.handbook.id} has no language "{unknown[0]}"; its languages: '
                f"{', '.join(item.handbook.languages)}",
                param_hint="'--language'",
            )
    total: list[Output] = []
    hushed = quiet or as_json
    building = checked[0] if checked else None
    try:
        with renderer(jobs or usable_cpus()) as workers:
            # Every handbook's outputs are started before the first is waited for, so the
            # workers are kept busy across handbooks.
            builds = [
                start_build(item, theme, replace(plan, clinics=chosen[item.handbook.id],
                                                 languages=languages),
                            created, workers, force)
                for item in checked
            ]  # fmt: skip
            for item, job in zip(checked, builds, strict=True):
                building = item
                if not as_json:
                    echo_problems(item.warnings)
                if not hushed:
                    click.echo(f"{item.handbook.id}:")
                outputs = finish_build(
                    job, silent if hushed else starting, silent if hushed else made
                )
                total += outputs
                report.append(_summary(item.handbook.root, True, item.warnings, outputs))
    except BookletError as error:
        if not as_json or building is None:
            raise
        # The failed handbook's outputs were not written (all or nothing): it has none.
        failure = Problem(SourceLocation(building.handbook.root, 0), str(error), Severity.ERROR)
        report.append(_summary(building.handbook.root, False, [*building.warnings, failure], []))
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        click.get_current_context().exit(1)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    if quiet:
        echo_problems(_note_problems(total))
        return
    seconds = time.perf_counter() - started
    count = len(checked)
    same = sum(output.unchanged for output in total)
    click.echo(
        f"Built {len(total)} file{'s' if len(total) != 1 else ''} for {count} "
        f"handbook{'s' if count != 1 else ''} in {seconds:.1f} s into "
        f"{display_path(out_dir)}/" + (f" ({same} unchanged)" if same else "")
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
        "problems": problem_records([*problems, *_note_problems(outputs)]),
    }


WARNING_NOTE = "warning: "


def _note_problems(outputs: list[Output]) -> list[Problem]:
    """The notes of made files that are warnings (a back cover running over a page, a
    booklet on paper an office printer does not take), as problems of those files."""
    return [
        Problem(SourceLocation(o.path, 0), note.removeprefix(WARNING_NOTE), Severity.WARNING)
        for o in outputs
        for note in o.notes
        if note.startswith(WARNING_NOTE)
    ]
