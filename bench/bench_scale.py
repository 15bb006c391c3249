"""Scale: for synthetic stores of 10,000, 100,000 (and 1,000,000) facts, measure store open, a CLI
lookup from a cold process, peak memory, and the cost of one more ingest (one file rewrite).

    .venv/bin/python bench/bench_scale.py                 # 10k and 100k
    .venv/bin/python bench/bench_scale.py --sizes 1000000  # slow: writes a ~400 MB store
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).parent / "tibet-facts")


def cold(cmd: list[str], env: dict[str, str], runs: int = 5) -> tuple[float, int]:
    """Median wall time (s) and peak RSS (KB) of a command in a fresh process."""
    times, peaks = [], []
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - started)
        peaks.append(usage.ru_maxrss)
    return statistics.median(times), max(peaks)


def measure(n: int, work: Path) -> None:
    store = work / f"facts-{n}.json"
    started = time.perf_counter()
    # In a child: a forked child's peak RSS counts its parent's pages, so this process stays small.
    subprocess.run([sys.executable, str(Path(__file__).with_name("gen_store.py")), str(n), str(store)], check=True,
                   capture_output=True)
    build = time.perf_counter() - started
    size = store.stat().st_size / 1e6
    env = {**os.environ, "TIBET_FACTS_STORE": str(store)}
    open_code = ("import time,sys; t=time.perf_counter(); from tibet_facts.store.repository import FactStore; "
                 f"s=FactStore.open({str(store)!r}); print(time.perf_counter()-t)")
    opened = float(subprocess.run([sys.executable, "-c", open_code], capture_output=True, text=True,
                                  check=True).stdout)
    index = store.with_name(store.name + ".index")
    index_mb = index.stat().st_size / 1e6
    index.unlink()  # as a store written by an older version: the first open reads the JSON
    slow = subprocess.run([sys.executable, "-c", open_code], capture_output=True, text=True, check=True)
    first_open = float(slow.stdout)
    check = subprocess.run([EXE, "find", "零售额", "region:昌都市", "--format", "json"], env=env, capture_output=True)
    assert check.returncode == 0, check.stderr
    lookup, peak = cold([EXE, "find", "零售额", "region:昌都市", "--format", "json"], env)
    doc = work / "one-more.txt"
    doc.write_text("---\ntitle: one more\n---\n" + (ROOT / "seeds" / "004_75f9bd821b97ff3c.txt").read_text("utf-8"),
                   encoding="utf-8")
    one_more, ingest_peak = cold([EXE, "ingest", str(doc)], env, runs=1)
    print(f"{n:>9} facts  store {size:7.1f} MB + index {index_mb:6.1f} MB  generate {build:6.1f} s  "
          f"open {opened * 1000:6.0f} ms (without index {first_open * 1000:6.0f} ms)  "
          f"CLI lookup {lookup * 1000:6.0f} ms  lookup peak RSS {peak / 1024:5.0f} MB  "
          f"one more ingest {one_more * 1000:6.0f} ms  (peak RSS {ingest_peak / 1024:5.0f} MB)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", nargs="*", type=int, default=[10_000, 100_000])
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tf-scale-"))
    try:
        for n in args.sizes:
            measure(n, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"(this process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
