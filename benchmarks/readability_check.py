"""Readability in `check` (issue 32): `booklet check` on the sample with and without it.

Whole processes, alternating in each round so a busy machine slows both alike; medians of
`--rounds` rounds. "Without" is the same `booklet check` with the readability check
replaced, before anything imports it, by one that finds nothing: neither it nor what it
imports (the ICU breakers' use, pyphen, booklet.readability) costs anything there. Then,
in one process, the readability check alone (run first, cold) against the whole of
check_handbook (with readability warm). Goal:
with / without <= 1.2. Figures only: nothing is asserted.

    .venv/bin/python benchmarks/readability_check.py [--rounds 7] [--handbook sources/x]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sources" / "debt-collection"

CHILD = """
import sys, types
if sys.argv[1] == "without":
    stub = types.ModuleType("booklet.checks.readability")
    stub.check_readability = lambda under: []
    sys.modules["booklet.checks.readability"] = stub
from booklet.cli import main
main(["check", "--quiet", sys.argv[2]])
"""

IN_PROCESS = """
import sys, time
from datetime import date
from pathlib import Path
from booklet.checks import check_handbook
from booklet.checks.context import UnderCheck
from booklet.checks.glyphs import font_families
from booklet.checks.readability import check_readability
from booklet.sources.files import load_handbook
from booklet.sources.handbook import parse_handbook
from booklet.themes.fonts import find_faces
from booklet.themes.theme import load_theme
handbook, _ = parse_handbook(load_handbook(Path(sys.argv[1])))
theme = load_theme()
faces = find_faces(font_families(handbook, theme))
start = time.perf_counter(); check_readability(UnderCheck(handbook, theme, faces, date.today()))
alone = time.perf_counter() - start
start = time.perf_counter(); check_handbook(handbook, theme, faces, date.today())
whole = time.perf_counter() - start
print(f"{whole:.4f} {alone:.4f}")
"""


def timed(variant: str, handbook: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", CHILD, variant, str(handbook)],
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--handbook", type=Path, default=SAMPLE)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(args.rounds):
        for variant in ("without", "with"):
            times[variant].append(timed(variant, args.handbook))
    with_, without = statistics.median(times["with"]), statistics.median(times["without"])
    print(f"booklet check {args.handbook.name}, median of {args.rounds} whole processes")
    print(f"  without readability  {without:6.3f} s")
    print(f"  with readability     {with_:6.3f} s")
    print(f"  ratio                {with_ / without:6.3f}  (goal <= 1.2)")
    found = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, str(args.handbook)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    whole, alone = (float(x) for x in found.stdout.split())
    print(f"  in one process: readability alone, cold {alone:.3f} s; check_handbook {whole:.3f} s")


if __name__ == "__main__":
    main()
