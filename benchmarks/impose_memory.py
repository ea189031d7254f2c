"""Peak memory of `booklet impose` on inputs whose content is large once decoded.

Two 500-page inputs, each imposed once in a fresh child process that reports its peak
RSS (the figure to quote is the ratio of peak RSS to a child that only opens the input):

- shared: every page draws one content stream of `--decoded` MB (a generated file can
  do this in 1-2 MB on disk, and once cost a decoded copy per page);
- unique: about 2 MB on disk, each page its own compressed content stream.

To compare with an older booklet, run this with PYTHONPATH pointing at its checkout.
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path


def _pdf(streams: list[bytes]) -> bytes:
    """One A5 page per compressed content stream, each stream object used as often as listed
    (the same bytes object twice: one shared stream)."""
    import pikepdf

    pdf = pikepdf.new()
    made: dict[int, pikepdf.Object] = {}
    for data in streams:
        if id(data) not in made:
            made[id(data)] = pdf.make_stream(b"")
            made[id(data)].write(data, filter=pikepdf.Name.FlateDecode)
        pdf.pages.append(
            pikepdf.Page(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Page,
                    MediaBox=[0, 0, 420, 595],
                    Contents=made[id(data)],
                    Resources=pikepdf.Dictionary(),
                )
            )
        )
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()


def shared_input(pages: int, decoded_mb: float) -> bytes:
    operators = b"0 0 m 10 10 l S\n" * int(decoded_mb * 1_000_000 / 16)
    return _pdf([zlib.compress(operators, 9)] * pages)


def unique_input(pages: int, size_mb: float) -> bytes:
    numbers = random.Random(1)
    per_page = int(size_mb * 1_000_000 / pages)
    streams = []
    for _ in range(pages):
        lines: list[bytes] = []
        while sum(map(len, lines)) < per_page * 2:  # random coordinates compress to ~1/2
            x, y = numbers.randrange(420), numbers.randrange(595)
            lines.append(f"{x} {y} m {x + 3} {y + 3} l S\n".encode())
        streams.append(zlib.compress(b"".join(lines), 9))
    return _pdf(streams)


def child(path: str, impose: bool) -> None:
    """Open (and impose) in this fresh process; print the peak RSS in MB."""
    import pikepdf

    from booklet.outputs.impose import impose_booklet

    data = Path(path).read_bytes()
    if impose:
        impose_booklet(data)
    else:
        pikepdf.open(io.BytesIO(data)).close()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def peak(path: Path, impose: bool) -> float:
    argv = [sys.executable, __file__, "--child", str(path)] + ([] if impose else ["--open-only"])
    return float(subprocess.run(argv, capture_output=True, text=True, check=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--decoded", type=float, default=4.0, help="MB of the shared stream")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--open-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, not args.open_only)
        return
    with tempfile.TemporaryDirectory() as folder:
        inputs = {
            "shared": shared_input(args.pages, args.decoded),
            "unique": unique_input(args.pages, 2.0),
        }
        print(f"{'input':<8} {'on disk':>9} {'open only':>10} {'impose':>9} {'ratio':>6}")
        for name, data in inputs.items():
            path = Path(folder) / f"{name}.pdf"
            path.write_bytes(data)
            base, imposed = peak(path, impose=False), peak(path, impose=True)
            print(
                f"{name:<8} {len(data) / 1e6:>7.2f}MB {base:>8.0f}MB {imposed:>7.0f}MB "
                f"{imposed / base:>6.2f}"
            )


if __name__ == "__main__":
    main()
