"""`booklet check`: every problem of every handbook, without building."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from booklet.cli.boundary import echo_problems, problem_records, quiet_option
from booklet.cli.handbooks import handbook_dirs
from booklet.cli.options import theme_option
from booklet.errors import Problem, SeveralErrors, display_path
from booklet.text.terminal import terminal_safe


def _as_json(folder: Path, problems: list[Problem], passed: bool) -> dict[str, object]:
    return {"handbook": display_path(folder), "ok": passed, "problems": problem_records(problems)}


@click.command()
@click.argument("handbooks", nargs=-1, type=click.Path(path_type=Path, file_okay=False))
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 on any).")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print every problem as JSON (file, line, severity, message) for an editor or a CI; "
    "the exit code is the same.",
)
@quiet_option
@theme_option
def check(
    handbooks: tuple[Path, ...],
    strict: bool,
    as_json: bool,
    quiet: bool,
    themes: tuple[Path, ...],
) -> None:
    """Check handbooks without building them.

    HANDBOOKS are handbook folders; without any, every handbook under ./sources is
    checked. Every problem is listed as path:line: what is wrong.
    """

    from booklet.build.handbooks import check_all
    from booklet.themes.theme import load_theme

    checking = check_all(handbook_dirs(handbooks), load_theme(themes), date.today(), strict)
    report = [_as_json(r.folder, r.problems, r.passed) for r in checking.results]
    if not as_json:
        for result in checking.results:
            if result.passed:
                _said(result.folder, result.problems, quiet)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        if checking.failed:
            click.get_current_context().exit(1)
        return
    if checking.failed:
        raise SeveralErrors(checking.failed)


def _said(folder: Path, warnings: list[Problem], quiet: bool) -> None:
    """A handbook that passed: its warnings, then (unless quiet) that it is ok."""
    echo_problems(warnings)
    if quiet:
        return
    extra = f" ({len(warnings)} warning{'s' if len(warnings) != 1 else ''})" if warnings else ""
    click.echo(terminal_safe(f"{display_path(folder)}: ok{extra}"))
