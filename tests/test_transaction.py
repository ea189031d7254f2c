"""Faults while writing: every output replaced together or not at all, whatever happens."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import booklet.build.transaction
from booklet.build.transaction import NEW, OLD, Spilled, output_lock, recover, write_all
from booklet.cli import main
from booklet.errors import ConfigError
from booklet.vocabulary import PAPERS

ROOT = Path(__file__).resolve().parent.parent


def marked(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*") if NEW in p.name or OLD in p.name)


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("failing", range(1, 7))
def test_a_failed_rename_rolls_everything_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: int
) -> None:
    names = ["a.pdf", "b.pdf", "c.epub"]
    write_all([(tmp_path / n, f"old {n}".encode()) for n in names])
    before = contents(tmp_path)
    real = os.replace
    calls = 0

    def replace(source: object, target: object) -> None:
        nonlocal calls
        calls += 1
        if calls == failing:
            raise OSError(5, "Input/output error")
        real(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(booklet.build.transaction.os, "replace", replace)
    with pytest.raises(ConfigError, match="nothing was replaced"):
        write_all([(tmp_path / n, f"new {n}".encode()) for n in names])
    monkeypatch.setattr(booklet.build.transaction.os, "replace", real)
    assert contents(tmp_path) == before
    assert marked(tmp_path) == []


def test_a_folder_in_the_way_of_the_last_output(tmp_path: Path) -> None:
    write_all([(tmp_path / "a.pdf", b"old a")])
    (tmp_path / "b.pdf").mkdir()
    with pytest.raises(ConfigError) as caught:
        write_all([(tmp_path / "a.pdf", b"new a"), (tmp_path / "b.pdf", b"new b")])
    assert "b.pdf: cannot write it (a folder of that name is in the way); nothing was replaced" in (
        str(caught.value)
    )
    assert (tmp_path / "a.pdf").read_bytes() == b"old a"
    assert marked(tmp_path) == []


def test_a_killed_writer_is_cleaned_up_by_the_next(tmp_path: Path) -> None:
    (tmp_path / "book.pdf").write_bytes(b"kept")
    (tmp_path / f".book.pdf{NEW}1-0").write_bytes(b"half")  # killed before the rename
    (tmp_path / f".gone.pdf{OLD}1-1").write_bytes(b"set aside")  # killed between renames
    (tmp_path / f".book.pdf{OLD}1-2").write_bytes(b"older")
    recover(tmp_path)
    assert contents(tmp_path) == {"book.pdf": b"kept", "gone.pdf": b"set aside"}


@pytest.mark.render
def test_a_second_build_into_the_same_folder_is_refused(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with output_lock(out / "handbook"):
        result = CliRunner().invoke(
            main, ["build", str(mini), "--format", "epub", "--out", str(out)]
        )
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"Error: {out}/handbook: another booklet is writing here; wait for it to finish, or "
        "build into another folder with --out"
    )
    assert not (out / "handbook" / "handbook.epub").exists()


def _build(mini: Path, out: Path, *options: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    return subprocess.Popen(
        [sys.executable, "-m", "booklet", "build", str(mini), "--out", str(out), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )


def _wait_for_work(process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    """Until the child is busy rendering (WeasyPrint imported and its first PDF begun)."""
    assert process.stdout is not None
    deadline = time.monotonic() + seconds
    seen = b""
    while b"..." not in seen and time.monotonic() < deadline:
        seen += os.read(process.stdout.fileno(), 100)
    time.sleep(0.3)


@pytest.mark.subprocess
@pytest.mark.parametrize(("sent", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_mid_build_stops_with_one_line_and_writes_nothing(
    mini: Path, tmp_path: Path, sent: signal.Signals, code: int
) -> None:
    out = tmp_path / "out"
    # Five papers: fifteen PDFs, so the build is still rendering when the signal comes
    # (the three of one paper were done before it on a busy machine).
    papers = [option for paper in PAPERS for option in ("--paper", paper)]
    process = _build(mini, out, *papers)
    _wait_for_work(process)
    process.send_signal(sent)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code
    assert stderr.decode().splitlines()[-1] == "Interrupted; booklet stopped before finishing."
    assert "Traceback" not in stderr.decode()
    assert marked(out) == []
    assert not list(out.rglob("*.pdf"))  # nothing half-made replaced or left behind


@pytest.mark.subprocess
def test_sigkill_then_a_second_build_cleans_up(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    process = _build(mini, out)
    _wait_for_work(process)
    process.kill()
    process.communicate(timeout=60)
    folder = out / "handbook"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f".handbook.epub{NEW}99-0").write_bytes(b"left by the killed build")
    again = _build(mini, out)
    again.communicate(timeout=300)
    assert again.returncode == 0
    assert marked(out) == []
    assert sorted(p.name for p in folder.iterdir()) == [
        "handbook-interleaved-a5.pdf",
        "handbook-parallel-a5.pdf",
        "handbook-sequential-a5.pdf",
        "handbook.epub",
    ]


def test_spilled_bytes_are_written_like_bytes_and_leave_no_file_behind(tmp_path: Path) -> None:
    out = tmp_path / "out" / "book"  # not there yet: spilled where the nearest folder is
    data = os.urandom(3 << 20)
    spilled = Spilled(data, out)
    assert spilled.size == len(data)
    assert list(tmp_path.iterdir()) == []  # no name: nothing to find, nothing left if killed
    try:
        write_all([(out / "a.pdf", spilled), (out / "b.txt", b"plain")])
    finally:
        spilled.close()
    assert (out / "a.pdf").read_bytes() == data and (out / "b.txt").read_bytes() == b"plain"
    assert sorted(p.name for p in out.iterdir()) == ["a.pdf", "b.txt"]
