"""Browser speed: time to the first screen of facts (bundled store, and a synthetic 100,000-fact
store) and filter keystroke to updated table (95th percentile), headless with Textual's Pilot.

A filter keystroke is timed from setting the filter's value to the end of the first frame
Textual writes after the table holds the new rows (keystrokes 0.1 s apart, from an idle app);
the facets are counted once typing pauses, so they are not part of the figure.

    .venv/bin/python bench/bench_tui.py                # bundled store and 100k facts
    .venv/bin/python bench/bench_tui.py --sizes 10000
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tibet_facts.store.ingest import open_store  # noqa: E402
from tibet_facts.tui.app import FactsApp  # noqa: E402

QUERIES = ["零", "零售", "零售额", "region:昌都市", "year:2020..2025", "topic:ecommerce", "value>1e8", "电商"]


SIZE = (120, 40)
TYPING_GAP = 0.1  # seconds between keystrokes (a fast typist: ten keys a second)


async def first_screen(path: Path) -> tuple[float, float]:
    """Seconds to the first facts on screen, and to the whole store loaded and shown."""
    started = time.perf_counter()
    app = FactsApp(path, poll=0)
    async with app.run_test(size=SIZE) as pilot:
        while not app.rows:
            await pilot.pause(0.005)
        first = time.perf_counter() - started
        while app.view is None:
            await pilot.pause(0.005)
        return first, time.perf_counter() - started


async def filter_latency(path: Path) -> list[float]:
    """Per keystroke: from setting the filter to the first screen update after the new table."""
    app = FactsApp(path, poll=0)
    out = []
    painted = asyncio.Event()
    state = {"wanted": "", "shown": False}
    show = app.browse._show  # the browse screen (tui/browse.py) shows each view

    def show_and_tell(view: object) -> None:
        show(view)
        if app.view is not None and app.view.query == state["wanted"]:
            state["shown"] = True

    app.browse._show = show_and_tell  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        refresh = screen._compositor_refresh

        def refresh_and_tell() -> None:  # the frame written to the terminal
            refresh()
            if state["shown"]:
                painted.set()

        screen._compositor_refresh = refresh_and_tell  # type: ignore[method-assign]
        for text in QUERIES * 6:
            state.update(wanted=text, shown=False)
            painted.clear()
            started = time.perf_counter()
            app.filter_box.value = text
            await painted.wait()  # an event, not polling: a polling loop would wake the UI
            out.append(time.perf_counter() - started)  # thread every ms and slow the worker
            await pilot.pause()
            await asyncio.sleep(TYPING_GAP)  # as between a typist's keys
    return out


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def report(label: str, path: Path) -> None:
    first, full = asyncio.run(first_screen(path))
    lat = asyncio.run(filter_latency(path))
    print(f"{label}: first screen of facts {first * 1000:.0f} ms (all loaded {full * 1000:.0f} ms); filter keystroke "
          f"to table p95 {p95(lat) * 1000:.0f} ms (median {statistics.median(lat) * 1000:.0f} ms)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", nargs="*", type=int, default=[100_000])
    ap.add_argument("--terminal", default="120x40", help="columns x lines, e.g. 80x24")
    args = ap.parse_args()
    global SIZE
    cols, lines = args.terminal.split("x")
    SIZE = (int(cols), int(lines))
    print(f"terminal {SIZE[0]}x{SIZE[1]}")
    work = Path(tempfile.mkdtemp(prefix="tf-tui-"))
    bundled = work / "bundled.json"
    open_store(bundled)
    report("bundled store", bundled)
    for n in args.sizes:
        path = work / f"facts-{n}.json"
        # In a child process: generating 100,000 records here would leave this process's
        # garbage collector with work that the real app never has.
        subprocess.run([sys.executable, str(Path(__file__).with_name("gen_store.py")), str(n), str(path)],
                       check=True, capture_output=True)
        report(f"{n} facts", path)


if __name__ == "__main__":
    main()
