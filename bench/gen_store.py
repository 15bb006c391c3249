"""Synthetic stores for scale tests: N facts over realistic documents, written as a real store.

Facts are the extracted facts of the bundled seeds, copied onto synthetic documents (each copy a
distinct document with its own id) with varied values, regions and years, so filters, facets and
comparisons see realistic spread.

    .venv/bin/python bench/gen_store.py 100000 /tmp/store-100k.json
    .venv/bin/python bench/gen_store.py 100000 /tmp/one-metric.json --metric online_retail_sales
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import replace
from pathlib import Path

from tibet_facts.store.corpus import seed_sources
from tibet_facts.store.db.files import atomic_write
from tibet_facts.store.db.rows import SCHEMA_VERSION, dump_chunks
from tibet_facts.store.ingest import extract_source
from tibet_facts.store.model import Document, Fact, doc_id_for, fact_id
from tibet_facts.store.repository import FactStore

PLACES = [
    ("西藏自治区", "Tibet Autonomous Region", ["西藏自治区"]),
    ("拉萨市", "Lhasa", ["西藏自治区", "拉萨市"]),
    ("昌都市", "Qamdo", ["西藏自治区", "昌都市"]),
    ("芒康县", "Markam County", ["西藏自治区", "昌都市", "芒康县"]),
    ("八宿县", "Baxoi County", ["西藏自治区", "昌都市", "八宿县"]),
    ("林芝市", "Nyingchi", ["西藏自治区", "林芝市"]),
    ("墨脱县", "Medog County", ["西藏自治区", "林芝市", "墨脱县"]),
    ("日喀则市", "Shigatse", ["西藏自治区", "日喀则市"]),
    ("阿里地区", "Ngari Prefecture", ["西藏自治区", "阿里地区"]),
    ("措勤县", "Coqen County", ["西藏自治区", "阿里地区", "措勤县"]),
]


def synthetic(n_facts: int, seed: int = 7, metric: str | None = None) -> tuple[list[Document], list[Fact]]:
    """N facts over copies of the seeds; with `metric`, every fact takes the names of that
    metric id (a store where one metric has N facts, for the comparison's budget). The facts
    keep their kinds and units: the comparison keeps kinds apart and sets other units aside,
    as it must for a real metric, so every path of it is timed."""
    rng = random.Random(seed)
    base = [(s.document, extract_source(s)) for s in seed_sources()]
    if metric is not None:
        base = [(doc, [_renamed(f, metric, base) for f in doc_facts]) for doc, doc_facts in base]
    docs: list[Document] = []
    facts: list[Fact] = []
    copy = 0
    while len(facts) < n_facts:
        for doc, doc_facts in base:
            text = f"---\ntitle: {doc.title} ({copy})\n---\n" + doc.text
            shift = text.index("---\n", 4) + 4
            new = replace(doc, id=doc_id_for(text), name=f"{copy:06d}_{doc.name}", text=text,
                          title=f"{doc.title} ({copy})")
            docs.append(new)
            year = str(rng.randint(2015, 2025))
            for f in doc_facts:
                name, en, path = rng.choice(PLACES)
                scale = rng.uniform(0.5, 1.5)
                start, end = f.start + shift, f.end + shift
                facts.append(replace(
                    f, id=fact_id(new.id, start, end), doc_id=new.id, doc=new.name, start=start, end=end,
                    quote_start=f.quote_start + shift, sentence_start=f.sentence_start + shift,
                    sentence_end=f.sentence_end + shift, value=round(f.value * scale, 2),
                    base_value=f.base_value * scale, region=name, region_en=en, region_path=list(path),
                    period=year if f.period == "unknown" else f.period.replace(f.period[:4], year, 1)
                    if f.period[:4].isdigit() else f.period,
                ))
                if len(facts) >= n_facts:
                    break
            if len(facts) >= n_facts:
                break
        copy += 1
    return docs, facts


def _renamed(fact: Fact, metric: str, base: list[tuple[Document, list[Fact]]]) -> Fact:
    named = next((f for _, facts in base for f in facts if f.metric_id == metric), None)
    if named is None:
        raise SystemExit(f"no seed fact has the metric {metric!r}")
    return replace(fact, metric_id=named.metric_id, metric_zh=named.metric_zh, metric_en=named.metric_en)


def write_store(path: Path, docs: list[Document], facts: list[Fact], *, index: bool = True) -> None:
    """The same file layout TinyDB writes through our storage (one table per kind of row)."""
    data = {
        "_meta": {"1": {"schema_version": SCHEMA_VERSION}},
        "documents": {str(i): d.to_dict() for i, d in enumerate(docs, 1)},
        "facts": {str(i): f.to_dict() for i, f in enumerate(facts, 1)},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, dump_chunks(data))  # the layout the store itself writes
    if index:  # as every commit through FactStore does; the first open would build it otherwise
        FactStore.open(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("facts", type=int)
    ap.add_argument("path", type=Path)
    ap.add_argument("--metric", help="Give every fact this metric id's names (e.g. online_retail_sales).")
    args = ap.parse_args()
    docs, facts = synthetic(args.facts, metric=args.metric)
    write_store(args.path, docs, facts)
    size = args.path.stat().st_size / 1e6
    print(f"{len(facts)} facts, {len(docs)} documents, {size:.1f} MB -> {args.path}", file=sys.stderr)


if __name__ == "__main__":
    main()
