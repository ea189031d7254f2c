"""`booklet watch` as a real process: a save rebuilds, a mistake is printed as it
appears, and Ctrl-C (SIGINT) stops it with one line."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import EPOCH

pytestmark = pytest.mark.subprocess


def _reader(stream: object, lines: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.put(line.rstrip("\n"))


def _next(lines: queue.Queue[str], seen: list[str], wanted: str, timeout: float = 90) -> str:
    """The next line containing `wanted` (every line read is kept in `seen`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            break
        seen.append(line)
        if wanted in line:
            return line
    raise AssertionError(f"no line with {wanted!r} in:\n" + "\n".join(seen))


def _save_until_seen(
    lines: queue.Queue[str], seen: list[str], path: Path, text: str, timeout: float = 60
) -> str:
    """Save `path` until the watcher reports the change (its watch may start just after
    its "Watching" line), then return that line."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        path.write_text(text, encoding="utf-8")
        try:
            return _next(lines, seen, "changed:", timeout=2)
        except AssertionError:
            continue
    raise AssertionError("no change seen in:\n" + "\n".join(seen))


def test_a_save_rebuilds_and_ctrl_c_stops(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "booklet", "watch", str(mini), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        cwd=tmp_path,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_reader, args=(process.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        first = _next(lines, seen, "built 1 file")
        assert first.endswith(": out/handbook/handbook-parallel-a5.pdf")
        watching = _next(lines, seen, "Watching")
        assert watching == (
            "Watching mini/handbook, mini/laws, mini/clinics for changes; press Ctrl-C to stop."
        )
        pdf = out / "handbook" / "handbook-parallel-a5.pdf"
        before = pdf.read_bytes()

        chapter = mini / "en" / "01-start.md"
        text = chapter.read_text(encoding="utf-8")
        broken = text.replace("[[demo-code 667]]", "[[demo-code 999]]")
        changed = _save_until_seen(lines, seen, chapter, broken)
        assert changed.endswith("] changed: mini/handbook/en/01-start.md")
        problem = _next(lines, seen, "999")
        assert problem.startswith("mini/handbook/en/01-start.md:3: ")
        assert "not rebuilt: " in _next(lines, seen, "not rebuilt")
        assert pdf.read_bytes() == before  # the last good file stays

        _save_until_seen(lines, seen, chapter, text.replace("# ", "# Saved: ", 1))
        _next(lines, seen, "built 1 file")
        assert pdf.read_bytes() != before

        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        process.stdout.close()  # type: ignore[union-attr]
        rest = []
        while not lines.empty():
            rest.append(lines.get())
        assert rest == ["Stopped watching."]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
