"""A huge document (I5): refused above the size limit in one line, and with --max-bytes ingested,
with its time and peak memory. The text is the bundled seeds repeated to the size asked.

    .venv/bin/python bench/bench_huge.py --mb 50
    .venv/bin/python bench/bench_huge.py --mb 200     # slow: ~1 MB/s of extraction
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
EXE = str(Path(sys.executable).parent / "tibet-facts")


def make_text(path: Path, megabytes: int) -> None:
    seeds = [p.read_text("utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    body = "\n\n".join(seeds).encode("utf-8")
    with open(path, "wb") as handle:
        written = 0
        while written < megabytes * 1_000_000:
            handle.write(body)
            written += len(body)


def run(cmd: list[str], env: dict[str, str]) -> tuple[int, float, int, str]:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    return os.waitstatus_to_exitcode(status), time.perf_counter() - started, usage.ru_maxrss, err


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=int, default=50)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tf-huge-"))
    try:
        doc = work / "huge.txt"
        make_text(doc, args.mb)
        size = doc.stat().st_size
        env = {**os.environ, "TIBET_FACTS_STORE": str(work / "facts.json")}
        code, seconds, _, err = run([EXE, "ingest", str(doc)], env)
        lines = [line for line in err.splitlines() if line.strip()]
        print(f"{size / 1e6:.0f} MB file, default limit: exit {code} in {seconds:.2f} s; message: {lines[-1] if lines else ''}")
        code, seconds, peak, err = run([EXE, "ingest", "--max-bytes", str(size + 1), str(doc)], env)
        print(f"with --max-bytes: exit {code} in {seconds:.1f} s ({size / 1e6 / seconds:.2f} MB/s), "
              f"peak RSS {peak / 1024:.0f} MB ({peak * 1024 / size:.1f}x the file)")
        if code:
            print(err[-500:])
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
