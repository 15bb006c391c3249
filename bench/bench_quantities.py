"""Quantity parser speed: at least 1 MB of dense Chinese numbers per second on one core, and
pathological runs (long numerals, repeated fragments) parse in linear time (under 1 s each).

    .venv/bin/python bench/bench_quantities.py
"""

from __future__ import annotations

import sys
import time

from tibet_facts.store.extract.quantities import parse_quantities

SENTENCE = ("2025年前三季度，西藏自治区实现地区生产总值1800.5亿元，同比增长6.8%；接待国内外游客5000余万人次，"
            "旅游收入达到680亿元左右。全区74个县中，近一半已建成5G基站，新增农牧民就业3.2万人，比上年提高2.5个百分点。")
PATHOLOGICAL = ["一二三四五六七八九十百千万亿" * 2000, "5万4千6百" * 4000, "1 234 " * 4000, "one hundred and " * 2000,
                "1/2/3/4/" * 3000, "百分之" * 5000]


def best_of(runs: int, text: str) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        parse_quantities(text)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    text = SENTENCE * 4000
    size = len(text.encode("utf-8")) / 1e6
    rate = size / best_of(3, text)
    print(f"dense numbers: {size:.2f} MB at {rate:.2f} MB/s (bar 1.0)")
    worst = max(best_of(1, t) for t in PATHOLOGICAL)
    print(f"pathological runs: slowest {worst * 1000:.0f} ms (bar 1000)")
    return 0 if rate >= 1.0 and worst < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
