"""The progress lines of commands that make files: `  name (what) ... 8 pages, 480 KB, 1.1 s`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from booklet.text.terminal import terminal_safe

if TYPE_CHECKING:
    from booklet.build import Output


def starting(what: str) -> None:
    """The start of a line: the file being made (finished by `made`)."""
    click.echo(f"  {terminal_safe(what)} ... ", nl=False)


def made(output: Output) -> None:
    """The end of the line: its pages, size and time, then its notes."""
    pages = f"{output.pages} pages, " if output.pages else ""
    if output.unchanged:
        click.echo(f"unchanged ({pages}{output.size / 1024:.0f} KB)")
    else:
        click.echo(f"{pages}{output.size / 1024:.0f} KB, {output.seconds:.1f} s")
    for note in output.notes:
        click.echo(f"      {terminal_safe(note)}")
    for warning in output.warnings:
        click.echo(f"      warning: {terminal_safe(warning.message)}")


def silent(_: object) -> None:
    """No progress line (--quiet, --json, watch)."""
