"""Keypress to paint over a slow link (U7): the browser runs on a pseudo-terminal behind a relay
that delays every byte by half the round trip each way, as an SSH session with that RTT would.
A keypress counts from the moment it is typed to the end of the frame it causes, as the remote
user sees it. Bar: p95 at most RTT + 100 ms.

    .venv/bin/python bench/bench_latency.py --rtt 100
    .venv/bin/python bench/bench_latency.py --rtt 100 --store /tmp/store-100k.json
    .venv/bin/python bench/bench_latency.py --rtt 0 --ingest-mb 20   # U4: keys while another
        process ingests a 20 MB document into the same store (the browser reloads when it lands)
"""

from __future__ import annotations

import argparse
import os
import pty
import select
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

EXE = str(Path(sys.executable).parent / "tibet-facts")
KEYS = [b"\x1b[B", b"\x1b[B", b"\x1b[A", b"/", b"2", b"0", b"2", b"5", b"\x7f", b"\x7f", b"\x7f", b"\x7f", b"\r"]


def read_burst(fd: int, quiet: float = 0.03, limit: float = 3.0) -> float | None:
    """Read a burst of output; the time its last byte arrived (None when nothing came)."""
    last = None
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if select.select([fd], [], [], quiet if last else 0.01)[0]:
            try:
                if not os.read(fd, 65536):
                    break
            except OSError:
                break
            last = time.monotonic()
        elif last is not None:
            break
    return last


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rtt", type=float, default=100, help="round trip in ms")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--store", type=Path, default=None, help="default: a fresh store of the bundled corpus")
    ap.add_argument("--ingest-mb", type=int, default=0, help="ingest a document this big meanwhile")
    args = ap.parse_args()
    half = args.rtt / 2000
    store = args.store or Path(tempfile.mkdtemp(prefix="tf-lat-")) / "facts.json"
    env = {**os.environ, "TERM": "xterm-256color", "TIBET_FACTS_STORE": str(store), "COLUMNS": "80", "LINES": "24"}
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(EXE, [EXE], env)
    read_burst(fd, quiet=1.0, limit=30)  # the first screen (and the store built on first use)
    ingest = None
    if args.ingest_mb:
        import subprocess

        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bench_huge import make_text

        doc = store.with_name("big-ingest.txt")
        make_text(doc, args.ingest_mb)
        ingest = subprocess.Popen([EXE, "ingest", "--max-bytes", str(doc.stat().st_size + 1), str(doc)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    latencies = []
    landed: float | None = None
    sent = 0
    try:
        # Type the keys round after round; with an ingest, go on until it has landed and the
        # browser has had 3 s to notice and reload (it polls every 2 s).
        while sent < args.rounds * len(KEYS) or (ingest is not None and (landed is None or time.monotonic() < landed + 3)):
            if ingest is not None and landed is None and ingest.poll() is not None:
                landed = time.monotonic()
            key = KEYS[sent % len(KEYS)]
            sent += 1
            typed = time.monotonic()
            time.sleep(half)  # the key travels to the server
            os.write(fd, key)
            painted = read_burst(fd)
            if painted is not None:
                latencies.append(painted + half - typed)  # the frame travels back
            time.sleep(0.15)
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        if ingest is not None and ingest.poll() is None:
            ingest.kill()
    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    during = f", a {args.ingest_mb} MB ingest landing meanwhile" if args.ingest_mb else ""
    print(f"RTT {args.rtt:.0f} ms{during}: {len(latencies)} keypresses, keypress to painted frame p95 {p95 * 1000:.0f} ms, "
          f"median {statistics.median(latencies) * 1000:.0f} ms (bar: RTT + 100 = {args.rtt + 100:.0f} ms)")


if __name__ == "__main__":
    main()
