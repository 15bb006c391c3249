"""CLI lookup speed from a cold process: `tibet-facts find 零售额 --format json` on the bundled
store, against the bare `python -c "import typer, rich.table, rich.console, tinydb"` measured in
the same run. Bars: at most 1.5x the bare imports and at most 150 ms; --help imports no Textual.

    .venv/bin/python bench/bench_cli.py --runs 15
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(cmd: list[str], env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    exe = str(Path(sys.executable).parent / "tibet-facts")
    env = {**os.environ, "TIBET_FACTS_STORE": str(Path(tempfile.mkdtemp()) / "facts.json")}
    subprocess.run([exe, "stats"], env=env, capture_output=True, check=True)  # build the bundled store once
    bare = timed([sys.executable, "-c", "import typer, rich.table, rich.console, tinydb"], env, args.runs)
    find = timed([exe, "find", "零售额", "--format", "json"], env, args.runs)
    probe = ("import sys; sys.argv=['tibet-facts','--help']\nfrom tibet_facts.tui import cli\n"
             "try:\n    cli.main()\nexcept SystemExit:\n    pass\nprint('textual' in sys.modules)")
    textual = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True).stdout.strip()
    ratio = find / bare
    print(f"bare imports {bare * 1000:.0f} ms; find 零售额 --format json {find * 1000:.0f} ms; "
          f"ratio {ratio:.2f} (bar 1.5); --help imports textual: {textual.splitlines()[-1]}")
    return 0 if ratio <= 1.5 and find <= 0.150 and textual.endswith("False") else 1


if __name__ == "__main__":
    sys.exit(main())
