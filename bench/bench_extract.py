"""Extraction speed: MB of Chinese text per second per core, from 100 KB to 50 MB of input.

The corpus is the bundled seeds repeated. One process measures the single-core rate (it must stay
flat as the input grows); `ingest` of a folder of copies shows the rate over every core.

    .venv/bin/python bench/bench_extract.py            # 0.1, 1, 10 and 50 MB
    .venv/bin/python bench/bench_extract.py --sizes 0.1 1
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

from tibet_facts.store.corpus import seed_sources
from tibet_facts.store.extract.pipeline import extract_facts

ROOT = Path(__file__).resolve().parents[1]


def chinese_corpus(megabytes: float) -> str:
    """Chinese seeds repeated to the size asked for (in UTF-8 bytes), cut at a paragraph."""
    zh = "\n\n".join(s.document.text for s in seed_sources() if s.document.language == "zh")
    unit = len(zh.encode("utf-8"))
    text = zh * (int(megabytes * 1e6 // unit) + 1)
    cut = int(len(text) * megabytes * 1e6 / len(text.encode("utf-8")))
    return text[: text.rfind("\n", 0, cut) + 1]


def single_core(megabytes: float) -> tuple[float, int]:
    text = chinese_corpus(megabytes)
    size = len(text.encode("utf-8")) / 1e6
    started = time.perf_counter()
    facts = extract_facts(text, doc_id="bench", doc_name="bench.txt", date="2025-12")
    return size / (time.perf_counter() - started), len(facts)


def folder_ingest(copies: int) -> tuple[float, float]:
    """Wall-clock MB/s of `tibet-facts ingest` over a folder of distinct seed copies."""
    work = Path(tempfile.mkdtemp(prefix="tf-bench-"))
    try:
        docs = work / "docs"
        docs.mkdir()
        total = 0
        for i in range(copies):
            for src in seed_sources():
                data = f"---\ntitle: copy {i}\n---\n{src.document.text}".encode()
                (docs / f"{i:03d}_{src.document.name}").write_bytes(data)
                total += len(data)
        env = {**os.environ, "TIBET_FACTS_STORE": str(work / "store.json")}
        exe = shutil.which("tibet-facts", path=str(Path(sys.executable).parent)) or "tibet-facts"
        started = time.perf_counter()
        subprocess.run([exe, "ingest", str(docs)], env=env, check=True, capture_output=True)
        return total / 1e6 / (time.perf_counter() - started), total / 1e6
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", nargs="*", type=float, default=[0.1, 1, 10, 50])
    ap.add_argument("--copies", type=int, default=60)
    args = ap.parse_args()
    # Lexicons and the dictionary load once per process, on the first text that needs them:
    # every seed once loads them all, so what follows is the steady state.
    single_core(0.1)
    for size in args.sizes:
        rate, n = single_core(size)
        print(f"extract {size:>6} MB (one core): {rate:6.2f} MB/s, {n} facts")
    rate, total = folder_ingest(args.copies)
    print(f"ingest folder of {args.copies * 5} files, {total:.1f} MB on {os.cpu_count()} cores: {rate:.2f} MB/s")


if __name__ == "__main__":
    main()
