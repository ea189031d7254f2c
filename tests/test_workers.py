"""Outputs made in worker processes are the outputs made in one: the same bytes, the same
progress lines, the same errors and exit codes."""

from __future__ import annotations

import os
import re
import time
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.build.workers import Renderer, renderer
from booklet.cli import main
from tests.conftest import copy_fixture, missing_file_theme


def build(runner: CliRunner, out: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(main, ["build", "--out", str(out), "--force", *args])
    return result.exit_code, result.output


def files(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".booklet-cache" not in p.parts
    }


def without_times(output: str) -> str:
    return re.sub(r"\d+\.\d s", "T s", output)


@pytest.mark.render
def test_one_job_and_two_make_the_same_bytes_and_lines(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    guia = copy_fixture("es-fr", tmp_path) / "guia"
    both = (str(mini), str(guia), "--impose", "booklet", "--proof")
    code_one, said_one = build(runner, tmp_path / "one", *both, "--jobs", "1")
    code_two, said_two = build(runner, tmp_path / "two", *both, "--jobs", "2")
    assert code_one == code_two == 0, said_one + said_two
    one, two = files(tmp_path / "one"), files(tmp_path / "two")
    assert len(one) == 18  # 2 handbooks: 3 layouts, 3 booklets, proof, printing sheet, EPUB
    assert one == two
    assert without_times(said_one).replace("one/", "two/") == without_times(said_two)


@pytest.mark.render
def test_a_render_error_in_a_worker_is_the_same_error(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    theme = missing_file_theme(tmp_path)
    outcomes = set()
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        result = runner.invoke(
            main, ["build", str(mini), "--out", str(out), "--theme", str(theme), "-j", jobs]
        )
        assert not (out / "handbook").exists() or not list((out / "handbook").iterdir())
        outcomes.add((result.exit_code, result.output.splitlines()[-1]))
    assert outcomes == {
        (
            1,
            "  handbook-parallel-a5.pdf (parallel, A5) ... Error: "
            f'refused to load a resource: "{mini}/missing.png" does not exist or is not a '
            "file",
        )
    }


def test_work_runs_in_this_process_with_one_job() -> None:
    renderer = Renderer(1)
    pending = renderer.submit(lambda: 42)
    assert pending.result() == 42
    renderer.stop(now=False)


def pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


@pytest.mark.subprocess
def test_work_the_workers_have_not_started_is_made_here_while_waiting() -> None:
    # Two workers, three pieces of work: the third waits for a worker, so this process,
    # waiting for the first, makes it (three renders on two cores take about half their sum).
    with renderer(2) as workers:
        slow = [workers.submit(partial(pid_after, 1.0)) for _ in range(2)]
        third = workers.submit(partial(pid_after, 0.0))
        pids = [pending.result() for pending in slow]
        assert third.result() == os.getpid()
    assert os.getpid() not in pids
    assert len(set(pids)) == 2


@pytest.mark.subprocess
def test_work_waiting_for_a_worker_is_handed_on_when_one_is_free() -> None:
    with renderer(2) as workers:
        pending = [workers.submit(partial(pid_after, 0.2)) for _ in range(6)]
        time.sleep(3.0)  # not waiting for any: the workers alone must take all six
        pids = [item.result() for item in pending]
    assert os.getpid() not in pids
    assert len(set(pids)) == 2
