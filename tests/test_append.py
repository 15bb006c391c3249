"""The streamed commit of an ingest (store/db/append.py, store/db/spool.py): the same file TinyDB's own
insert would write, the TinyDB way for a store in any other layout, known documents skipped,
and a huge ingest left for the next reader to index."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import sample_documents
from tibet_facts.store import ingest
from tibet_facts.store.corpus import Source, make_source, seed_sources
from tibet_facts.store.db import append as append_mod
from tibet_facts.store.db.append import document_row, scan
from tibet_facts.store.db.index import index_path
from tibet_facts.store.db.spool import FactSpool
from tibet_facts.store.errors import StoreTooNew
from tibet_facts.store.ingest import commit_sources, extract_source
from tibet_facts.store.model import Document, Fact
from tibet_facts.store.repository import FactStore


def _append(store: FactStore, docs: list[Document], facts: list[Fact], **kw: bool) -> tuple[int, int, int]:
    with FactSpool(store.path.parent) as spool:
        for doc in {d.id: d for d in docs}.values():
            spool.add(doc.id, [f for f in facts if f.doc_id == doc.id])
        got = store.append(docs, spool, **kw)
    return got.documents, got.facts, got.skipped_documents


def test_append_writes_the_bytes_tinydb_would(tmp_path: Path) -> None:
    sources = seed_sources()
    batches = [sources[:2], sources[2:]]
    by_tinydb = FactStore.open(tmp_path / "a" / "facts.json")
    appended = FactStore.open(tmp_path / "b" / "facts.json")
    for batch in batches:
        docs = [s.document for s in batch]
        facts = [f for s in batch for f in extract_source(s)]
        by_tinydb.add(docs, facts)
        _append(appended, docs, facts)
    assert appended.path.read_bytes() == by_tinydb.path.read_bytes()
    assert len(appended.facts) == len(by_tinydb.facts) > 200


def test_known_documents_and_duplicates_in_a_batch_are_skipped(store_path: Path) -> None:
    docs, facts = sample_documents()
    store = FactStore.open(store_path)
    assert _append(store, docs[:1], facts) == (1, 6, 0)
    assert _append(store, [docs[0], docs[1], docs[1]], facts) == (1, 2, 1)
    assert len(FactStore.open(store_path).facts) == len(facts)


@pytest.mark.parametrize("layout", ["one line", "indented"])
def test_a_store_in_another_layout_is_committed_the_tinydb_way(store_path: Path, layout: str) -> None:
    docs, facts = sample_documents()
    store = FactStore.open(store_path)
    store.add(docs[:1], [f for f in facts if f.doc_id == docs[0].id])
    data = json.loads(store_path.read_text(encoding="utf-8"))
    store_path.write_text(json.dumps(data, ensure_ascii=False, indent=2 if layout == "indented" else None),
                          encoding="utf-8")
    assert scan(store_path) is None
    store = FactStore.open(store_path)
    assert _append(store, docs, facts) == (1, 2, 1)
    assert len(FactStore.open(store_path).facts) == len(facts)


def test_a_newer_schema_is_refused_and_left_as_it_was(store_path: Path) -> None:
    docs, facts = sample_documents()
    FactStore.open(store_path).add(docs[:1], [f for f in facts if f.doc_id == docs[0].id])
    raw = store_path.read_bytes().replace(b'{"schema_version":1}', b'{"schema_version":99}')
    store_path.write_bytes(raw)
    with pytest.raises(StoreTooNew):
        _append(FactStore(store_path, *_empty()), docs[1:], facts)
    assert store_path.read_bytes() == raw


def _empty() -> tuple[object, None]:
    from tibet_facts.store.repository import _empty_snapshot

    return _empty_snapshot(), None


@given(st.text(max_size=60), st.dictionaries(st.sampled_from(["id", "name", "title"]), st.text(max_size=8)))
def test_a_document_row_is_the_json_of_the_record(text: str, row: dict[str, str]) -> None:
    row = {"id": "x", **row}
    saved = append_mod.TEXT_PIECE
    append_mod.TEXT_PIECE = 7  # many pieces, cut anywhere
    try:
        assert b"".join(document_row(row, text)) == orjson.dumps({**row, "text": text})
    finally:
        append_mod.TEXT_PIECE = saved


def test_a_huge_ingest_is_indexed_by_the_next_reader(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "CHUNK_CHARS", 400)  # the seeds count as huge: extracted in pieces
    source = seed_sources()[0]
    store = FactStore.open(store_path)
    report = commit_sources(store, [source])
    assert report.added is not None and report.added.facts > 20
    assert store.changed_on_disk() and not index_path(store_path).exists()  # not read back
    reader = FactStore.open(store_path)
    assert [f.id for f in reader.facts] == [f.id for f in extract_source(source)]
    assert index_path(store_path).exists()
    assert reader.document(source.document.id).text == source.document.text


def test_an_ordinary_ingest_is_read_back_with_its_index(store_path: Path) -> None:
    source = make_source("a.txt", "2025年西藏全区网络零售额280.2亿元，同比增长27%。")
    store = FactStore.open(store_path)
    commit_sources(store, [source, Source(source.document, 0)])
    assert not store.changed_on_disk() and index_path(store_path).exists()
    assert [f.value for f in store.facts] == [280.2, 27.0]


def test_the_spool_gives_back_each_documents_rows(tmp_path: Path) -> None:
    docs, facts = sample_documents()
    with FactSpool(tmp_path) as spool:
        for doc in docs:
            mine = [f for f in facts if f.doc_id == doc.id]
            spool.add(doc.id, mine[:2])
            spool.add(doc.id, mine[2:])
        for doc in docs:
            assert spool.facts(doc.id) == [f for f in facts if f.doc_id == doc.id]
        with pytest.raises(ValueError, match="out of order"):
            spool.add(docs[0].id, facts[:1])
    assert list(tmp_path.iterdir()) == []  # the spool had no name


def test_an_ingest_joins_its_facts_to_the_loaded_table(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nobody wrote since the store was read: the new generation is the loaded table plus the
    new facts (no re-read of the store), and it equals a fresh read of the file."""
    sources = seed_sources()
    store = FactStore.open(store_path)
    commit_sources(store, sources[:3])
    store = FactStore.open(store_path)
    import tibet_facts.store.repository as repo

    monkeypatch.setattr(repo, "_slow_snapshot", lambda *a: pytest.fail("the store was re-read"))
    commit_sources(store, sources[3:])
    monkeypatch.undo()
    index_path(store_path).unlink()  # a fresh read of the JSON itself
    fresh = FactStore.open(store_path)
    assert store.facts == fresh.facts and len(fresh.facts) > 200
    assert store.documents.keys() == fresh.documents.keys()
    assert all(store.document(d) == fresh.document(d) for d in fresh.documents)
    assert FactStore.open(store_path).facts == fresh.facts  # and the index it wrote reads the same


def test_an_ingest_after_another_writer_reads_the_store_again(store_path: Path) -> None:
    docs, facts = sample_documents()
    first, second = FactStore.open(store_path), FactStore.open(store_path)
    _append(first, docs[:1], facts)
    assert _append(second, docs, facts) == (1, 2, 1)  # second's snapshot is stale: the file decides
    assert len(second.facts) == len(facts) == len(FactStore.open(store_path).facts)


row_values = st.fixed_dictionaries({
    "id": st.text(min_size=1, max_size=3), "doc_id": st.sampled_from(["a", "b", "c"]),
    "doc": st.sampled_from(["x", "y", "z"]), "start": st.integers(0, 9), "end": st.integers(0, 9),
    "quote": st.text(max_size=6), "value": st.floats(allow_nan=False), "unit": st.sampled_from(["亿元", "%"]),
    "base_value": st.floats(allow_nan=False), "base_unit": st.sampled_from(["CNY", "percent"]),
    "region": st.sampled_from(["", "昌都市"]), "region_path": st.lists(st.sampled_from(["西藏自治区", "昌都市"]), max_size=2),
})


@given(st.lists(row_values, max_size=8), st.lists(row_values, max_size=8))
def test_a_merged_table_is_the_table_of_all_rows(a: list[dict[str, object]], b: list[dict[str, object]]) -> None:
    from tibet_facts.store.query import parse
    from tibet_facts.store.table import FactTable

    merged = FactTable.merged(FactTable.from_rows(a), FactTable.from_rows(b))
    whole = FactTable.from_rows([*a, *b])
    assert [merged.raw(i) for i in range(merged.n)] == [whole.raw(i) for i in range(whole.n)]
    for text in ("region:昌都市", "value>0", "doc:y", "unit:CNY"):
        q = parse(text)
        assert list(merged.select(q)) == list(whole.select(q))
