"""The one error boundary of the command line: exceptions -> messages and exit codes.

0 done; 1 a BookletError (a problem in the sources or the build: its lines say what to
fix, no traceback); 2 a mistake on the command line (Click's own); 128 + the signal when
interrupted (130 for Ctrl-C, 143 for SIGTERM), every unfinished write rolled back.
Anything else is a bug in booklet: its traceback is shown with a line asking for a report.
A standard output or error that refuses what is written (a full disk, /dev/full) ends the
command quietly with 1, a closed pipe with 141, as Unix tools do. Under `check --json` and
`build --json`, every failure that stops the command is JSON of the documented shape too.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator, Sequence
from typing import Any

import click

from booklet.errors import (
    BookletError,
    Problem,
    ProblemsFound,
    SeveralErrors,
    SourceError,
    display_path,
)
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


JSON_COMMANDS = {"check": False, "build": True}
"""Commands whose `--json` prints the documented array -> whether its objects list outputs."""
_WORDS = "booklet.words"


def _json_command(ctx: click.Context) -> str | None:
    """The command of the documented JSON when `--json` was asked for, else None."""
    words: list[str] = ctx.meta.get(_WORDS, [])
    words = words[: words.index("--")] if "--" in words else words
    command = next((w for w in words if not w.startswith("-")), None)
    return command if command in JSON_COMMANDS and "--json" in words else None


def failure_records(error: BaseException, outputs: bool) -> list[dict[str, object]]:
    """What `--json` prints for a failure that stopped a command: one object per handbook
    it belongs to, or one whose `handbook` (and `file`) is "" when it belongs to none (no
    such folder, an unexpected error): the documented shape, strings where strings are."""
    if isinstance(error, SeveralErrors):
        return [record for e in error.errors for record in failure_records(e, outputs)]
    handbook = ""
    if isinstance(error, ProblemsFound):
        handbook, problems = display_path(error.handbook_dir), problem_records(error.problems)
    elif isinstance(error, SourceError):
        problems = problem_records([Problem(error.location, error.message)])
    else:
        problems = [{"file": "", "line": 0, "severity": "error", "message": _said(error)}]
    return [
        {
            "handbook": handbook,
            "ok": False,
            **({"outputs": []} if outputs else {}),
            "problems": problems,
        }
    ]


def _said(error: BaseException) -> str:
    if isinstance(error, BookletError):
        return str(error)
    if isinstance(error, click.ClickException):
        return error.format_message()
    if isinstance(error, KeyboardInterrupt):
        return "interrupted; booklet stopped before finishing"
    return f"this is a bug in booklet ({type(error).__name__}: {error}); please report it"


def _flush_output() -> None:
    """Write what waits for standard output now: a full disk says so here, not at exit."""
    sys.stdout.flush()


_WRITING = frozenset({click.utils.echo.__code__, _flush_output.__code__})
"""The code that writes to standard output and error: an OSError raised in it is the
output refusing what was written, not a file of the build."""


def _output_closed(error: BaseException) -> bool:
    """Whether `error` is standard output or error refusing what was written (a full disk,
    /dev/full, a closed pipe), rather than a file booklet reads or makes."""
    if isinstance(error, BrokenPipeError):
        return True
    if not isinstance(error, OSError):
        return False
    trace = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code in _WRITING:
            return True
        trace = trace.tb_next
    return False


def _let_output_go() -> None:
    """Point standard output and error at /dev/null, so nothing more is written to them
    (nor at exit, when Python flushes what is still waiting and would complain)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
            sink = os.open(os.devnull, os.O_WRONLY)
            os.dup2(sink, stream.fileno())
            os.close(sink)


class BookletGroup(click.Group):
    """A command group whose commands (and sub-groups') errors all end here."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[_WORDS] = list(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with _signals_interrupt():
                result = super().invoke(ctx)
                _flush_output()
                return result
        except click.exceptions.Exit:
            raise
        except (click.ClickException, click.Abort) as error:
            self._json_failure(ctx, error)
            raise
        except KeyboardInterrupt as error:
            ctx.exit(self._failed(ctx, error))
        except Exception as error:
            ctx.exit(self._failed(ctx, error))

    def _failed(self, ctx: click.Context, error: BaseException) -> int:
        """Say what stopped the command (on standard error; as JSON too under `--json`)
        and give its exit code; a closed output ends it quietly."""
        if _output_closed(error):
            _let_output_go()
            return EXIT_BROKEN_PIPE if isinstance(error, BrokenPipeError) else EXIT_PROBLEM
        if isinstance(error, BookletError):
            code, lines = EXIT_PROBLEM, error.report()
        elif isinstance(error, KeyboardInterrupt):
            number = error.number if isinstance(error, Signalled) else signal.SIGINT
            code, lines = 128 + number, ["Interrupted; booklet stopped before finishing."]
        else:
            code, lines = EXIT_PROBLEM, [traceback.format_exc().rstrip(), BUG_REPORT]
        self._json_failure(ctx, error)
        try:
            for line in lines:
                click.echo(terminal_safe(line), err=True)
        except OSError:
            _let_output_go()
        return code

    @staticmethod
    def _json_failure(ctx: click.Context, error: BaseException) -> None:
        command = _json_command(ctx)
        if command is None:
            return
        report = failure_records(error, JSON_COMMANDS[command])
        try:
            click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        except OSError:
            _let_output_go()
