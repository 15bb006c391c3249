"""Comparison speed: one metric across 100,000 facts, opened in the browser (`m`) and by the CLI.

The store is synthetic (bench/gen_store.py --metric): every fact carries one metric's names, with
the kinds, units, places and years of the copied seed facts, so the comparison keeps kinds
apart, sets other units aside and orders periods over all of them. Issue 13's budget: the
comparison opens in 0.3 s or less.

In the browser the time runs from the key `m` to the comparison screen holding its table, after
the frame that shows it; on the command line it is a whole cold `tibet-facts compare` run.

    .venv/bin/python bench/bench_compare.py                   # 100,000 facts, 80x24
    .venv/bin/python bench/bench_compare.py --facts 10000 --terminal 120x40
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tibet_facts.tui.app import FactsApp
from tibet_facts.tui.screens import CompareScreen

METRIC = "online_retail_sales"


async def open_in_browser(path: Path, size: tuple[int, int], runs: int) -> tuple[list[float], int]:
    """Seconds from `m` to the comparison on screen, per run; and the facts it compared."""
    app = FactsApp(path, poll=0)
    out, compared = [], 0
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for _ in range(runs):
            started = time.perf_counter()
            await pilot.press("m")
            while not (isinstance(app.screen, CompareScreen) and app.screen.comparison is not None):
                await asyncio.sleep(0.001)
            await pilot.pause()  # the frame that shows it
            out.append(time.perf_counter() - started)
            compared = len(app.screen.facts)
            await pilot.press("escape")
            await pilot.pause()
    return out, compared


def cli_runs(path: Path, runs: int, *extra: str) -> list[float]:
    """Seconds of cold `tibet-facts compare --metric` runs (a new process each)."""
    exe = shutil.which("tibet-facts", path=str(Path(sys.executable).parent)) or "tibet-facts"
    env = {**os.environ, "TIBET_FACTS_STORE": str(path), "COLUMNS": "80"}
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([exe, "compare", "--metric", METRIC, *extra], env=env, check=True,
                       capture_output=True)
        out.append(time.perf_counter() - started)
    return out


def said(label: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"{label}: median {statistics.median(ms):.0f} ms, worst {max(ms):.0f} ms ({len(ms)} runs)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--facts", type=int, default=100_000)
    ap.add_argument("--terminal", default="80x24", help="columns x lines, e.g. 120x40")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    cols, lines = (int(n) for n in args.terminal.split("x"))
    work = Path(tempfile.mkdtemp(prefix="tf-compare-"))
    try:
        path = work / "one-metric.json"
        # In a child process, as bench_tui does: this process's garbage collector then has only
        # what the app itself makes.
        subprocess.run([sys.executable, str(Path(__file__).with_name("gen_store.py")), str(args.facts),
                        str(path), "--metric", METRIC], check=True, capture_output=True)
        browser, compared = asyncio.run(open_in_browser(path, (cols, lines), args.runs))
        print(f"{args.facts} facts of one metric, terminal {cols}x{lines}; the browser compared {compared}")
        print(said("browser, m to the comparison on screen", browser))
        print(said("CLI, cold `compare --metric` (by region)", cli_runs(path, args.runs)))
        print(said("CLI, cold `compare --metric --by period`", cli_runs(path, args.runs, "--by", "period")))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
