"""Several handbooks in one command: checked together, built sharing the workers.

Takes handbook folders, a theme and a `BuildPlan` per handbook; gives a report per
handbook (passed or not, its problems, the files made), which `check` and `build` print
as text or JSON. Two handbooks of one name are refused: they would be built into one
folder.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from booklet.build.checking import Checked, check_folder
from booklet.build.plan import BuildPlan
from booklet.build.records import Output
from booklet.build.run import finish_build, start_builds
from booklet.build.stale import StaleFile, refresh_command, stale_files
from booklet.build.workers import renderer
from booklet.errors import (
    BookletError,
    Problem,
    ProblemsFound,
    Severity,
    SourceLocation,
    display_path,
)
from booklet.themes.theme import Theme


@dataclass(frozen=True)
class HandbookReport:
    """What a command did with one handbook."""

    folder: Path
    passed: bool
    """Its checks passed and (for a build) its files were written."""
    problems: list[Problem]
    outputs: list[Output] = field(default_factory=list)
    stale: list[StaleFile] = field(default_factory=list)
    """Files booklet made in its output folder from older sources, still there."""
    revision: str = ""
    """The revision its sources give now."""


@dataclass(frozen=True)
class Checking:
    """Every handbook of a command, checked."""

    checked: list[Checked]
    """The handbooks that passed."""
    reports: list[HandbookReport]
    """One per handbook that did not pass."""
    results: list[HandbookReport]
    """One per handbook, in the order given: passed (with its warnings) or not."""
    failed: list[BookletError]
    """Why each did not, and any rule between them (two of one name)."""


def check_all(folders: Sequence[Path], theme: Theme, today: date, strict: bool) -> Checking:
    """Check every handbook, listing every problem of each, then the names they share."""
    checked: list[Checked] = []
    results: list[HandbookReport] = []
    failed: list[BookletError] = []
    for folder in folders:
        try:
            checked.append(check_folder(folder, theme, today, strict))
            results.append(HandbookReport(folder, True, checked[-1].warnings))
        except ProblemsFound as error:
            failed.append(error)
            results.append(HandbookReport(folder, False, error.problems))
    reports = [result for result in results if not result.passed]
    return Checking(checked, reports, results, failed + same_names(checked))


def same_names(checked: Sequence[Checked]) -> list[BookletError]:
    """Two handbooks of one name would write over each other's files."""
    first: dict[str, Path] = {}
    found = []
    for item in checked:
        other = first.setdefault(item.handbook.id, item.handbook.root)
        if other != item.handbook.root:
            found.append(
                BookletError(
                    f"{display_path(other)} and {display_path(item.handbook.root)} are both "
                    f'named "{item.handbook.id}" and would be built into one folder; rename one '
                    "of them"
                )
            )
    return found


@dataclass(frozen=True)
class BuildEvents:
    """What a command shows while handbooks are built."""

    handbook: Callable[[Checked], None]
    """A handbook's files are about to be finished."""
    progress: Callable[[str], None]
    """A file is being made."""
    done: Callable[[Output], None]
    """A file was made."""


@dataclass(frozen=True)
class BuildReport:
    """Every handbook built, or the error that stopped the build at one of them."""

    reports: list[HandbookReport]
    error: BookletError | None = None
    """What stopped the build; the handbooks after it were not written."""
    failing: Checked | None = None
    """The handbook it stopped at (its files were not written: all or nothing)."""

    @property
    def outputs(self) -> list[Output]:
        return [output for report in self.reports for output in report.outputs]


def build_all(
    checked: Sequence[Checked],
    theme: Theme,
    plans: Mapping[str, Sequence[BuildPlan]],
    created: datetime,
    jobs: int,
    events: BuildEvents,
    force: bool = False,
    draft: bool = False,
    out_dir: Path | None = None,
) -> BuildReport:
    """Build each handbook with its plans (by id; none: nothing to make), then list the
    files of its output folder (its plans', else `out_dir`: a handbook with nothing to
    make still lists those it can no longer make) made from older sources. Every
    handbook's outputs are started before the first is waited for, so the workers are
    kept busy across handbooks. A `draft` may re-render a PDF by its changed chapters
    (Context.by_parts)."""
    reports: list[HandbookReport] = []
    building = checked[0] if checked else None
    try:
        with renderer(jobs) as workers:
            builds = [
                start_builds(item, theme, plans[item.handbook.id], created, workers, force, draft)
                if plans[item.handbook.id]
                else None
                for item in checked
            ]
            for item, job in zip(checked, builds, strict=True):
                building = item
                events.handbook(item)
                outputs = finish_build(job, events.progress, events.done) if job else []
                folder = _out_dir(plans[item.handbook.id]) or out_dir
                reports.append(_report(item, theme, outputs, folder))
    except BookletError as error:
        return BuildReport(reports, error, building)
    return BuildReport(reports)


def _out_dir(plans: Sequence[BuildPlan]) -> Path | None:
    return plans[0].out_dir if plans else None


def _report(
    checked: Checked, theme: Theme, outputs: list[Output], out_dir: Path | None
) -> HandbookReport:
    """A handbook built: its warnings, its files, and the older files beside them."""
    from booklet.sources.revision import copy_revision

    revision = copy_revision(checked.handbook, theme)
    made = {output.path for output in outputs}
    handbook = checked.handbook
    stale = [] if out_dir is None else stale_files(out_dir, handbook.id, revision, made, handbook)
    root = checked.handbook.root
    return HandbookReport(root, True, checked.warnings, outputs, stale, revision)


def stale_problems(report: HandbookReport, out_dir: Path) -> list[Problem]:
    """Each older file as a warning at that file, with the command that remakes it (or
    removes it, when the handbook can no longer make it: `StaleFile.unmakeable`)."""
    folder, out = display_path(report.folder), display_path(out_dir)
    problems = []
    for item in report.stale:
        old = (
            f"made from older sources (revision {item.revision or 'unknown'}; the sources "
            f"now give {report.revision})"
        )
        if item.unmakeable:
            more = "" if out == "output" else f" --out {out}"
            todo = f"{item.unmakeable}; remove it: booklet clean {folder} --stale{more}"
        else:
            todo = "make it again: " + refresh_command(item, folder, out)
        problems.append(Problem(SourceLocation(item.path, 0), f"{old}; {todo}", Severity.WARNING))
    return problems


def failure_report(report: BuildReport) -> HandbookReport:
    """The handbook a build stopped at, with the error as one of its problems."""
    assert report.failing is not None
    assert report.error is not None
    root = report.failing.handbook.root
    failure = Problem(SourceLocation(root, 0), str(report.error), Severity.ERROR)
    return HandbookReport(root, False, [*report.failing.warnings, failure])
