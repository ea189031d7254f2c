"""What clinic editions and the distribution kit cost, measured side by side in one run.

Copies the sample handbook with a clinic directory of N generated clinics, then times,
each in a fresh process (`booklet` as a user runs it, median of --runs, alternating):

- one plain build (three A5 layouts and the EPUB): the unit every ratio is quoted in;
- `build --clinic all` for each N in --clinics: N clinic editions;
- `kit` of one clinic, with the kit's size.

The issue's goal is 20 clinic editions for at most 3 plain builds. Today each clinic
edition is rendered whole, so the ratio grows as N; the per-edition ratio printed says
how it scales (1,000 clinics ~ 1,000 x that). Figures only: nothing is asserted.

    .venv/bin/python benchmarks/clinic_editions.py [--clinics 1,5] [--runs 1]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLINIC = """url = "https://clinic-{n}.example.org"
[name]
zh-Hans = "示例诊所{n}号"
en = "Example Clinic No. {n}"
[address]
zh-Hans = "示例路{n}号"
en = "{n} Example Road"
[[contact]]
phone = "+1 555 {n:04d}"
[contact.label]
zh-Hans = "咨询电话"
en = "Advice line"
"""


def sources(folder: Path, clinics: int) -> Path:
    shutil.copytree(ROOT / "sources" / "debt-collection", folder / "debt-collection")
    shutil.copytree(ROOT / "sources" / "laws", folder / "laws")
    (folder / "clinics").mkdir()
    for n in range(1, clinics + 1):
        (folder / "clinics" / f"clinic-{n}.toml").write_text(CLINIC.format(n=n), "utf-8")
    return folder / "debt-collection"


def timed(args: list[str]) -> float:
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1767225600")}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "booklet", *args], check=True, env=env,
                   stdout=subprocess.DEVNULL, cwd=ROOT)  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clinics", default="1,5", help="clinic counts, comma separated")
    parser.add_argument("--runs", type=int, default=1, help="runs of each, alternating")
    args = parser.parse_args()
    counts = [int(n) for n in args.clinics.split(",")]
    with tempfile.TemporaryDirectory() as temp:
        handbook = sources(Path(temp), max(counts))
        out = Path(temp) / "out"
        plain, editions, kits = [], {n: [] for n in counts}, []
        kit_size = 0
        for _ in range(args.runs):
            plain.append(timed(["build", str(handbook), "--out", str(out)]))
            for n in counts:
                asked = [a for i in range(1, n + 1) for a in ("--clinic", f"clinic-{i}")]
                editions[n].append(timed(["build", str(handbook), "--out", str(out), *asked]))
            target = Path(temp) / "kit.zip"
            kits.append(timed(["kit", str(handbook), "--clinic", "clinic-1", "-o", str(target)]))
            kit_size = target.stat().st_size
        unit = statistics.median(plain)
        print(f"plain build (3 layouts + EPUB): {unit:.1f} s = 1.00")
        for n in counts:
            seconds = statistics.median(editions[n])
            print(f"{n:>4} clinic editions: {seconds:.1f} s = {seconds / unit:.2f} plain builds "
                  f"({seconds / unit / n:.2f} per edition)")  # fmt: skip
        seconds = statistics.median(kits)
        print(f"kit of one clinic: {seconds:.1f} s = {seconds / unit:.2f} plain builds, "
              f"{kit_size / 1e6:.1f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
