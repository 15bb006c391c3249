"""Extraction time must grow linearly with the input: one long line without a newline and one long
run of digits, each ingested into a fresh temporary store through the real command line.

Inputs (bars in brackets):
  line-1mb   a 1 MB line of Chinese news: the seeds' prose lines repeated, newlines removed [< 5 s]
  digits-100k  100,000 digits in one line [< 5 s]
  line-10mb  the same news text, 10 MB in one line (ingested with --max-bytes) [< 30 s]

    .venv/bin/python bench/bench_linear.py
    .venv/bin/python bench/bench_linear.py --only digits-100k --timeout 200

Each figure is the wall time of `tibet-facts ingest` (process start, read, extract, commit) and
the facts in the store after it (`tibet-facts stats`; a new store starts with the seeds' 205).
A run past --timeout is stopped and shown as such.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).parent / "tibet-facts")
MB = 1_000_000


def news_line(size: int) -> str:
    """size bytes (UTF-8) of the seeds' prose on one line: headings (a Markdown title would make
    the whole line one) and blank lines dropped, every newline removed."""
    prose = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        prose += [ln.strip() for ln in path.read_text("utf-8").splitlines()
                  if ln.strip() and not ln.lstrip().startswith("#")]
    body = "".join(prose)
    per_char = len(body.encode("utf-8")) / len(body)
    chars = int(size / per_char)
    return (body * (chars // len(body) + 1))[:chars]


def digits(count: int) -> str:
    return ("1234567890" * (count // 10 + 1))[:count]


INPUTS: dict[str, tuple[Callable[[], str], float]] = {
    "line-1mb": (lambda: news_line(MB), 5.0),
    "digits-100k": (lambda: digits(100_000), 5.0),
    "line-10mb": (lambda: news_line(10 * MB), 30.0),
}


def _run(cmd: list[str], env: dict[str, str], timeout: float) -> tuple[int | None, float, str]:
    """Exit code (None after a timeout), seconds and the tail of stderr."""
    started = time.perf_counter()
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, time.perf_counter() - started, ""
    return proc.returncode, time.perf_counter() - started, (proc.stderr or proc.stdout)[-300:]


def _facts(env: dict[str, str]) -> str:
    """The stored fact count, as `tibet-facts stats` prints it."""
    out = subprocess.run([EXE, "stats"], env=env, capture_output=True, text=True, timeout=120).stdout
    found = re.search(r"^facts\s+([\d,]+)", out, re.M)
    return found.group(1) if found else "?"


def bench(name: str, work: Path, timeout: float) -> bool:
    """Ingest one input into its own store; print the figure; whether it met its bar."""
    make, bar = INPUTS[name]
    doc = work / f"{name}.txt"
    doc.write_text(make(), encoding="utf-8")
    size = doc.stat().st_size
    env = {**os.environ, "TIBET_FACTS_STORE": str(work / f"{name}.json")}
    code, seconds, err = _run([EXE, "ingest", "--max-bytes", str(size + 1), str(doc)], env, timeout)
    if code is None:
        print(f"{name:12} {size / MB:6.2f} MB  stopped after {seconds:6.1f} s  (bar {bar:.0f} s)  FAIL")
        return False
    ok = code == 0 and seconds < bar
    facts = _facts(env) if code == 0 else "-"
    print(f"{name:12} {size / MB:6.2f} MB  ingest {seconds:6.2f} s  exit {code}  store facts {facts:>6}"
          f"  (bar {bar:.0f} s)  {'ok' if ok else 'FAIL'}")
    if code:
        print("   ", err.strip().replace("\n", "\n    "))
    return ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=sorted(INPUTS), action="append", help="run only this input (repeatable)")
    ap.add_argument("--timeout", type=float, default=120.0, help="stop an ingest after this many seconds")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tf-linear-"))
    try:
        results = [bench(name, work, args.timeout) for name in (args.only or INPUTS)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
