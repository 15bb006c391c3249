"""Reading speed (issue 14): a 100-page PDF, a folder of 200 saved pages, and a folder's ingest.

The documents are the tests' fixtures (tests/fixtures_readers.py): a Chinese report of N pages
made by reportlab, and copies of the saved news page (each with its own figures, so none is a
duplicate). Reading goes through the same path as `ingest`: a child process per document with
its limits (store/readers/sandbox.py), up to one per core.

    .venv/bin/python bench/bench_readers.py                # 100 pages, 200 saved pages
    .venv/bin/python bench/bench_readers.py --pages 300 --saved 500
    .venv/bin/python bench/bench_readers.py --ingest      # also `tibet-facts ingest` of the folder
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import fixtures_readers as fx  # noqa: E402
from tibet_facts.store.readers.sandbox import Job, read_all  # noqa: E402


def saved_pages(folder: Path, count: int) -> int:
    """`count` saved pages (with their _files/ folders), each with its own figures; their bytes."""
    total = 0
    for n in range(count):
        page = fx.NEWS_PAGE.replace("120.5", f"{100 + n}.5").replace("48家", f"{n + 1}家")
        path = folder / f"page{n:04d}.html"
        path.write_text(page, encoding="utf-8")
        (folder / f"page{n:04d}_files").mkdir()
        (folder / f"page{n:04d}_files" / "app.js").write_text("var pv = 1;", encoding="utf-8")
        total += path.stat().st_size
    return total


def timed_read(jobs: list[Job], workers: int) -> float:
    started = time.perf_counter()
    outcomes = list(read_all(jobs, workers=workers))
    bad = [o for o in outcomes if isinstance(o, Exception)]
    if bad:
        raise SystemExit(f"refused: {bad[0]}")
    return time.perf_counter() - started


def bench_pdf(work: Path, pages: int) -> None:
    pdf = fx.long_pdf(work / "report.pdf", pages=pages)
    seconds = timed_read([Job(pdf.name, "pdf", path=pdf)], workers=1)
    print(
        f"read a {pages}-page PDF ({pdf.stat().st_size / 1e3:.0f} KB): {seconds:.2f} s, "
        f"{pages / seconds:.0f} pages/s"
    )


def bench_pages(work: Path, count: int) -> Path:
    folder = work / "saved"
    folder.mkdir()
    size = saved_pages(folder, count)
    jobs = [Job(p.name, "html", path=p) for p in sorted(folder.glob("*.html"))]
    for workers in (1, os.cpu_count() or 1):
        seconds = timed_read(jobs, workers)
        print(
            f"read {count} saved pages ({size / 1e6:.1f} MB) with {workers} reader(s): "
            f"{seconds:.2f} s, "
            f"{count / seconds:.0f} pages/s"
        )
    return folder


def bench_ingest(work: Path, folder: Path) -> None:
    env = {**os.environ, "TIBET_FACTS_STORE": str(work / "store.json")}
    exe = shutil.which("tibet-facts", path=str(Path(sys.executable).parent)) or "tibet-facts"
    subprocess.run([exe, "stats"], env=env, check=True, capture_output=True)  # the seeds first
    started = time.perf_counter()
    subprocess.run([exe, "ingest", str(folder)], env=env, check=True, capture_output=True)
    print(f"ingest the folder of saved pages: {time.perf_counter() - started:.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--saved", type=int, default=200)
    ap.add_argument("--ingest", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tf-readers-"))
    try:
        bench_pdf(work, args.pages)
        folder = bench_pages(work, args.saved)
        if args.ingest:
            bench_ingest(work, folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
