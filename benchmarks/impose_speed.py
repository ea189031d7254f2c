"""Imposition speed and memory for 16, 64 and 256 pages.

Makes bilingual tagged PDFs of each size with WeasyPrint (Chinese and English text, as
the handbooks are), then times `booklet.outputs.impose.impose_booklet` on each (best and median
of several runs) and reports the peak RSS of a child process that only imposes.
Target from the print-production issue: under 0.5 s for 256 pages on this machine.
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PARAGRAPH_ZH = "借款合同是借款人向贷款人借款，到期返还借款并支付利息的合同。" * 6
PARAGRAPH_EN = (
    "A loan contract is a contract under which the borrower borrows money from the lender "
    "and, when the loan falls due, repays the loan and pays interest. "
) * 3


def make_pdf(pages: int) -> bytes:
    """A tagged A5 PDF of exactly `pages` pages, zh-Hans and en side by side."""
    from weasyprint import HTML

    body = "".join(
        f'<section><h1>第{n}页 Page {n}</h1><table><tr><td lang="zh-Hans"><p>{PARAGRAPH_ZH}</p>'
        f'</td><td lang="en"><p>{PARAGRAPH_EN}</p></td></tr></table></section>'
        for n in range(1, pages + 1)
    )
    html = f"""<html lang="zh-Hans"><head><title>bench</title><style>
      @page {{ size: A5; margin: 15mm; @bottom-center {{ content: counter(page) }} }}
      :lang(zh-Hans) {{ font-family: "Noto Serif CJK SC" }}
      :lang(en) {{ font-family: "Noto Serif" }}
      section {{ break-after: page }} table {{ table-layout: fixed; width: 100% }}
      td {{ vertical-align: top }}</style></head><body>{body}</body></html>"""
    return HTML(string=html).write_pdf(pdf_tags=True)


def child(path: str) -> None:
    """Impose once in a fresh process and print its peak RSS in MB."""
    from booklet.outputs.impose import impose_booklet

    impose_booklet(Path(path).read_bytes())
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="16,64,256", help="page counts, comma separated")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per size")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return

    import pypdf

    from booklet.outputs.impose import impose_booklet

    print(f"{'pages':>6} {'sheets':>7} {'best s':>8} {'median s':>9} {'peak RSS MB':>12}")
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            source = make_pdf(size)
            assert len(pypdf.PdfReader(io.BytesIO(source)).pages) == size
            path = Path(folder) / f"{size}.pdf"
            path.write_bytes(source)
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                result = impose_booklet(source)
                times.append(time.perf_counter() - start)
            rss = subprocess.run(
                [sys.executable, __file__, "--child", str(path)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            print(
                f"{size:>6} {result.sheets:>7} {min(times):>8.3f} {statistics.median(times):>9.3f} "
                f"{float(rss):>12.0f}"
            )


if __name__ == "__main__":
    main()
