"""The one error boundary of the command line: exceptions -> messages and exit codes.

0 done; 1 a BookletError (a problem in the sources or the build: its lines say what to
fix, no traceback); 2 a mistake on the command line (Click's own); 130 interrupted.
Anything else is a bug in booklet: its traceback is shown with a line asking for a report.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from typing import Any

import click

from booklet.errors import BookletError, Problem

EXIT_PROBLEM = 1
EXIT_INTERRUPTED = 130
"""128 + SIGINT, as shells report a command stopped by Ctrl-C."""

BUG_REPORT = (
    "This is a bug in booklet, not a problem in your handbook; please report it with "
    "the lines above and the command you ran"
)


def echo_problems(problems: Sequence[Problem]) -> None:
    """Problems (warnings too) as `path:line: message`, one a line, on standard error."""
    for problem in problems:
        click.echo(str(problem), err=True)


class BookletGroup(click.Group):
    """A command group whose commands (and sub-groups') errors all end here."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BookletError as error:
            for line in error.report():
                click.echo(line, err=True)
            ctx.exit(EXIT_PROBLEM)
        except KeyboardInterrupt:
            click.echo("Interrupted; booklet stopped before finishing.", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except Exception:
            click.echo(traceback.format_exc().rstrip(), err=True)
            click.echo(BUG_REPORT, err=True)
            ctx.exit(EXIT_PROBLEM)
