"""A huge document (I5): refused above the size limit in one line; with --max-bytes ingested with
bounded memory (bar: peak RSS at most 3x the file). The text is the bundled seeds repeated to
the size asked: news articles back to back, about 2,500 facts a MB.

Each figure is a fresh store. Peak RSS is the kernel's high-water mark of the process (and of any
worker, whichever is higher), and also the sampled sum of the proportional set sizes of the process and its workers (pages a
forked worker shares with its parent count once). After
the ingest, the first lookup builds the store's index (an ingest of a huge document leaves that to
the next reader) and the second reads it.

    .venv/bin/python bench/bench_huge.py --mb 50
    .venv/bin/python bench/bench_huge.py --mb 200     # ~3 minutes on 2 cores
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).parent / "tibet-facts")
DEFAULT_LIMIT = 20 * 1024 * 1024


def make_text(path: Path, megabytes: int) -> None:
    seeds = [p.read_text("utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    body = "\n\n".join(seeds).encode("utf-8")
    with open(path, "wb") as handle:
        written = 0
        while written < megabytes * 1_000_000:
            handle.write(body)
            written += len(body)


def _tree_pss(pid: int) -> int:
    """KB of memory of pid and its descendants, now: the proportional set size, so that pages a
    forked worker still shares with its parent count once."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
            total += int(rollup.split("\nPss:")[1].split()[0]) if "\nPss:" in rollup else 0
            for task in os.listdir(f"/proc/{p}/task"):
                todo += [int(c) for c in Path(f"/proc/{p}/task/{task}/children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


def run(cmd: list[str], env: dict[str, str]) -> tuple[int, float, int, int, str]:
    """Exit code, seconds, peak RSS (KB, wait4), peak summed PSS of the tree (KB, sampled), stderr."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_sum = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_sum
        while not done.is_set():
            peak_sum = max(peak_sum, _tree_pss(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert proc.stderr is not None
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    sampler.join()
    return os.waitstatus_to_exitcode(status), time.perf_counter() - started, usage.ru_maxrss, peak_sum, err


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=int, default=50)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tf-huge-"))
    try:
        doc = work / "huge.txt"
        make_text(doc, args.mb)
        size = doc.stat().st_size
        env = {**os.environ, "TIBET_FACTS_STORE": str(work / "refused.json")}
        limit = [] if size > DEFAULT_LIMIT else ["--max-bytes", str(size // 2)]
        code, seconds, _, _, err = run([EXE, "ingest", *limit, str(doc)], env)
        lines = [line for line in err.splitlines() if line.strip()]
        print(f"{size / 1e6:.0f} MB file, {'default limit' if not limit else f'--max-bytes {size // 2}'}: "
              f"exit {code} in {seconds:.2f} s; message: {lines[-1] if lines else ''}")
        env["TIBET_FACTS_STORE"] = str(work / "facts.json")
        code, seconds, peak, tree, err = run([EXE, "ingest", "--max-bytes", str(size + 1), str(doc)], env)
        print(f"ingest with --max-bytes: exit {code} in {seconds:.1f} s ({size / 1e6 / seconds:.2f} MB/s); "
              f"peak RSS {peak / 1024:.0f} MB ({peak * 1024 / size:.1f}x the file), "
              f"with its workers (PSS) {tree / 1024:.0f} MB ({tree * 1024 / size:.1f}x)")
        if code:
            print(err[-500:])
        for label in ("first lookup (builds the index)", "second lookup"):
            code, seconds, peak, _, err = run([EXE, "find", "零售额", "--format", "json"], env)
            print(f"{label}: exit {code} in {seconds:.2f} s, peak RSS {peak / 1024:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
