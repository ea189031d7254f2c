"""TOML bombs: the time and memory of each shape, parsed as booklet did before (tomllib
alone) and read as it does now (the pre-scan of booklet.text.toml_bounds, then tomllib).

    .venv/bin/python benchmarks/toml_bombs.py           # sizes that take seconds
    .venv/bin/python benchmarks/toml_bombs.py --full    # the issue's 40 KB key (19 s)

Each measure runs in a child process under a 2 GB address-space limit (a regression fails
with MemoryError instead of swapping) and a 120 s timeout; it prints seconds and the
child's peak resident memory. The most the bounds let through, and a statute of 1,000
articles, are the baselines.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEMORY = 2 * 1024**3
CHILD = """
import json, resource, sys, time, tomllib
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from booklet.errors import SourceError
from booklet.sources.files import read_toml
path = Path(sys.argv[2])
start = time.perf_counter()
try:
    if sys.argv[1] == "before":
        tomllib.loads(path.read_text(encoding="utf-8"))
        said = "parsed"
    else:
        read_toml(path, path.parent)
        said = "parsed"
except SourceError as error:
    said = error.message[:40]
except (MemoryError, RecursionError, tomllib.TOMLDecodeError) as error:
    said = type(error).__name__
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps([time.perf_counter() - start, peak, said]))
"""


def shapes(full: bool) -> dict[str, str]:
    deep = 20_000 if full else 6_000
    return {
        f"dotted key of {deep:,} parts": "x." * deep + "y = 1\n",
        "[table] header of 60,000 parts": "[" + "x." * 60_000 + "y]\n",
        "inline table key of 60,000 parts": "t = {" + "x." * 60_000 + "y = 1}\n",
        "70,000 settings": "".join(f"k{i} = {i}\n" for i in range(70_000)),
        "60,000 [tables]": "".join(f"[t{i}]\n" for i in range(60_000)),
        "the most let through: 35,000 keys of 10 parts": "".join(
            f"a{i}.b.c.d.e.f.g.h.i.j = 1\n" for i in range(35_000)
        ),
        "a statute of 1,000 articles": "".join(
            f'[articles.{i}]\nzh-Hans = "第{i}条。"\nen = "Article {i}."\n' for i in range(1000)
        ),
    }


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def measure(when: str, path: Path) -> str:
    try:
        result = subprocess.run(
            [sys.executable, "-c", CHILD, when, str(path), str(ROOT)],
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=_limited,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "over 120 s"
    if result.returncode:
        return f"failed ({result.stderr.strip().splitlines()[-1]})"
    seconds, peak, said = json.loads(result.stdout)
    return f"{seconds:6.2f} s {peak:6.0f} MB  {said}"


def main() -> None:
    folder = Path(sys.argv[0]).resolve().parent / ".toml-bombs"
    folder.mkdir(exist_ok=True)
    try:
        for name, text in shapes("--full" in sys.argv).items():
            path = folder / "bomb.toml"
            path.write_text(text, encoding="utf-8")
            started = time.perf_counter()
            before, after = measure("before", path), measure("after", path)
            print(f"{name} ({len(text) / 1024:.0f} KB):\n  before {before}\n  after  {after}")
            if time.perf_counter() - started > 300:
                break
    finally:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
