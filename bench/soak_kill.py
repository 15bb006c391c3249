"""S2: kill -9 soak. SIGKILL `tibet-facts ingest` at random moments; the store must always open,
and a child that printed its summary must have its facts stored.

    .venv/bin/python bench/soak_kill.py --rounds 200
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tibet_facts.store.errors import TibetFactsError
from tibet_facts.store.repository import FactStore

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=200)
    args = ap.parse_args()
    exe = str(Path(sys.executable).parent / "tibet-facts")
    work = Path(tempfile.mkdtemp(prefix="tf-soak-"))
    store = work / "facts.json"
    env = {**os.environ, "TIBET_FACTS_STORE": str(store)}
    subprocess.run([exe, "stats"], env=env, capture_output=True, check=False)  # build from seeds
    seed = (ROOT / "seeds" / "000_db068d9a30e3f56d.txt").read_text(encoding="utf-8")
    started = time.perf_counter()
    probe = work / "probe.txt"
    probe.write_text("---\ntitle: probe\n---\n" + seed, encoding="utf-8")
    subprocess.run([exe, "ingest", str(probe)], env=env, capture_output=True, check=True)
    t_ingest = time.perf_counter() - started
    corrupt = lost = 0
    for n in range(args.rounds):
        doc = work / f"doc{n}.txt"
        doc.write_text(f"---\ntitle: round {n}\n---\n" + seed, encoding="utf-8")
        child = subprocess.Popen([exe, "ingest", str(doc)], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        time.sleep(random.uniform(0, t_ingest))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        try:
            opened = FactStore.open(store)
        except TibetFactsError:
            corrupt += 1
            continue
        acked = child.returncode == 0 and out
        titles = {d.title for d in opened.documents.values()}
        if acked and f"round {n}" not in titles:
            lost += 1
    print(f"kill -9 soak: {args.rounds} rounds, ingest {t_ingest * 1000:.0f} ms; corrupt {corrupt}, lost acks {lost}")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if corrupt or lost else 0


if __name__ == "__main__":
    sys.exit(main())
