"""The one error boundary of the command line: exceptions -> messages and exit codes.

0 done; 1 a BookletError (a problem in the sources or the build: its lines say what to
fix, no traceback); 2 a mistake on the command line (Click's own); 128 + the signal when
interrupted (130 for Ctrl-C, 143 for SIGTERM), every unfinished write rolled back.
Anything else is a bug in booklet: its traceback is shown with a line asking for a report.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import traceback
from collections.abc import Iterator, Sequence
from typing import Any

import click

from booklet.errors import BookletError, Problem, display_path
from booklet.text.terminal import terminal_safe

EXIT_PROBLEM = 1
EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE, as a shell reports a command whose reader closed the pipe."""

BUG_REPORT = (
    "This is a bug in booklet, not a problem in your handbook; please report it with "
    "the lines above and the command you ran"
)


def echo_problems(problems: Sequence[Problem]) -> None:
    """Problems (warnings too) as `path:line: message`, one a line, on standard error."""
    for problem in problems:
        click.echo(terminal_safe(str(problem)), err=True)


def echo_report(error: BookletError) -> None:
    """An error's lines on standard error, as every error is shown."""
    for line in error.report():
        click.echo(terminal_safe(line), err=True)


def problem_records(problems: Sequence[Problem]) -> list[dict[str, object]]:
    """Problems as `--json` prints them: file, line (0: the whole file), severity, message."""
    return [
        {
            "file": display_path(p.location.path),
            "line": p.location.line,
            "severity": p.severity.value,
            "message": p.message,
        }
        for p in problems
    ]


def quiet_option(command: Any) -> Any:
    """`--quiet`: only problems are printed (warnings and errors, on standard error)."""
    return click.option(
        "--quiet",
        "-q",
        is_flag=True,
        help="Print only problems (warnings and errors), nothing when all is well.",
    )(command)


class Signalled(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program is, so every write is rolled back."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


def _raise_signal(number: int, _frame: object) -> None:
    raise Signalled(number)


@contextlib.contextmanager
def _signals_interrupt() -> Iterator[None]:
    """SIGTERM and SIGHUP stop booklet as Ctrl-C does (the main thread only can)."""
    wanted = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s]
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, _raise_signal) for number in wanted}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class BookletGroup(click.Group):
    """A command group whose commands (and sub-groups') errors all end here."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with _signals_interrupt():
                return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BookletError as error:
            echo_report(error)
            ctx.exit(EXIT_PROBLEM)
        except BrokenPipeError:
            # The reader of our output went away (`booklet status | head -1`): stop quietly.
            ctx.exit(EXIT_BROKEN_PIPE)
        except KeyboardInterrupt as error:
            number = error.number if isinstance(error, Signalled) else signal.SIGINT
            click.echo("Interrupted; booklet stopped before finishing.", err=True)
            ctx.exit(128 + number)
        except Exception:
            click.echo(traceback.format_exc().rstrip(), err=True)
            click.echo(BUG_REPORT, err=True)
            ctx.exit(EXIT_PROBLEM)
