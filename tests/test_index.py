"""The store's index file and column table: same answers as the records, never trusted when stale."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import sample_documents
from tibet_facts.store.db import files as storage_mod
from tibet_facts.store.db import index as index_mod
from tibet_facts.store.db.index import index_path, read_index, stamp_of
from tibet_facts.store.errors import StoreCorrupt
from tibet_facts.store.model import Correction
from tibet_facts.store.query import parse
from tibet_facts.store.repository import FactStore
from tibet_facts.store.table import FactTable, TableError

QUERIES = ["", "零售额", "region:昌都市", "region:Qamdo", "topic:ecommerce", "year:2024..2025", "kind:rate",
           "unit:CNY", "value>1e9", "value<=100", "value=27", "value!=27", "value>=2.802e10", "value<0", "value>-1", "doc:en", "metric:online_retail_sales", "period:2025",
           "qualifier:exact", "retail region:西藏自治区", '"online retail"', "TODO", "Tibet", "id:0"]


@pytest.mark.parametrize("text", QUERIES)
def test_table_selects_what_the_record_predicates_select(sample_store: FactStore, text: str) -> None:
    query = parse(text)
    expected = [f.id for f in sample_store.facts if query.matches(f)]
    assert [f.id for f in sample_store.find(query)] == expected


def test_every_commit_writes_an_index_of_what_it_committed(sample_store: FactStore) -> None:
    path = sample_store.path
    snap = read_index(path, stamp_of(path))  # type: ignore[arg-type]
    assert snap is not None and snap.table.n == 8
    sample_store.set_correction(Correction(fact_id=sample_store.facts[0].id, rejected=True))
    snap = read_index(path, stamp_of(path))  # type: ignore[arg-type]
    assert snap is not None and sample_store.facts[0].id in snap.corrections


def test_reopen_reads_the_index_not_the_json(sample_store: FactStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("the JSON was parsed although the index is current")

    monkeypatch.setattr("tibet_facts.store.repository.snapshot_from_data", refuse)
    again = FactStore.open(sample_store.path)
    assert {f.id for f in again.facts} == {f.id for f in sample_store.facts}
    doc = again.document(again.facts[0].doc_id)
    assert doc is not None and again.facts[0].quote in doc.text, "texts are read from the index"


def test_stale_index_is_ignored_and_replaced(sample_store: FactStore) -> None:
    path = sample_store.path
    old_index = index_path(path).read_bytes()
    data = orjson.loads(path.read_bytes())  # another program (an older version) rewrites the store
    data["facts"] = {k: v for k, v in data["facts"].items() if k == "1"}
    path.write_bytes(orjson.dumps(data))
    again = FactStore.open(path)
    assert len(again.facts) == 1, "a stale index must never be believed"
    assert index_path(path).read_bytes() != old_index, "the reader left a fresh index"
    assert FactStore.open(path).table.n == 1


@pytest.mark.parametrize("damage", [b"", b"garbage\n", b"{}\n", b'{"magic": "tibet-facts-index"}\n', "truncate"])
def test_damaged_index_is_ignored(sample_store: FactStore, damage: bytes | str) -> None:
    target = index_path(sample_store.path)
    if damage == "truncate":
        raw = target.read_bytes()
        target.write_bytes(raw[: len(raw) // 2])
    else:
        assert isinstance(damage, bytes)
        target.write_bytes(damage)
    again = FactStore.open(sample_store.path)
    assert len(again.facts) == 8


@pytest.mark.parametrize("where", ["array", "json"])
def test_forged_index_with_matching_stamp_but_bad_columns_is_ignored(sample_store: FactStore, where: str) -> None:
    path = sample_store.path
    target = index_path(path)
    header, rest = target.read_bytes().split(b"\n", 1)
    meta = orjson.loads(header)
    blob, tail = rest[: meta["blob"]], bytearray(rest[meta["blob"]:])
    offset, length, typecode, _ = meta["arrays"]["codes.region"]
    if where == "array":  # the codes' bytes out of range
        assert typecode == "B"
        tail[offset:offset + length] = b"\xff" * length
    else:  # the codes moved into the JSON, out of range
        del meta["arrays"]["codes.region"]
        body = orjson.loads(blob)
        body["table"]["codes"]["region"] = [99] * body["table"]["n"]
        blob = orjson.dumps(body)
        meta["blob"] = len(blob)
    target.write_bytes(orjson.dumps(meta) + b"\n" + blob + bytes(tail))
    assert read_index(path, stamp_of(path)) is None  # type: ignore[arg-type]
    assert len(FactStore.open(path).facts) == 8


def test_numeric_columns_are_stored_as_arrays_and_read_back_equal(sample_store: FactStore) -> None:
    meta = orjson.loads(index_path(sample_store.path).read_bytes().split(b"\n", 1)[0])
    assert {"plain.start", "plain.base_value", "plain.quote", "quotes.text", "codes.doc_id"} <= set(meta["arrays"])
    again = FactStore.open(sample_store.path)
    assert [again.table.raw(i) for i in range(again.table.n)] == sample_store.facts


def test_unwritable_folder_still_reads(sample_store: FactStore, monkeypatch: pytest.MonkeyPatch) -> None:
    index_path(sample_store.path).unlink()

    def no_space(*args: object, **kw: object) -> tuple[int, str]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage_mod.tempfile, "mkstemp", no_space)  # the one atomic writer
    again = FactStore.open(sample_store.path)
    assert len(again.facts) == 8 and not index_path(sample_store.path).exists()
    assert not [p for p in sample_store.path.parent.iterdir() if ".tmp-" in p.name]


def test_malformed_record_is_a_one_line_store_error(store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    raw = orjson.dumps({"_meta": {"1": {"schema_version": 1}}, "facts": {"1": {"id": "x", "start": "oops"}}})
    store_path.write_bytes(raw)
    with pytest.raises(StoreCorrupt) as info:
        FactStore.open(store_path)
    assert str(store_path) in str(info.value) and "\n" not in str(info.value)
    assert store_path.read_bytes() == raw


def test_corrections_overlay_selection_and_keep_extracted_columns(sample_store: FactStore) -> None:
    target = next(f for f in sample_store.facts if f.region == "西藏自治区")
    sample_store.set_correction(Correction(fact_id=target.id, region="昌都市"))
    store = FactStore.open(sample_store.path)
    ids = {f.id for f in store.find(parse("region:昌都市"))}
    assert target.id in ids, "a corrected fact is found by its corrected region"
    assert target.id not in {f.id for f in store.find(parse("region:芒康县"))}
    assert store.table.raw(store.table.row_of(target.id) or 0).region == "西藏自治区"


def test_text_is_read_from_the_generation_that_was_loaded(sample_store: FactStore) -> None:
    store = FactStore.open(sample_store.path)
    doc_id = store.facts[0].doc_id
    before = store.document(doc_id)
    docs, facts = sample_documents()
    sample_store.set_correction(Correction(fact_id=facts[0].id, topic="energy"))  # replaces both files
    assert store.document(doc_id) == before


fact_rows = st.fixed_dictionaries({
    "id": st.text(min_size=1, max_size=4), "doc_id": st.sampled_from(["a", "b"]), "doc": st.sampled_from(["x", "y"]),
    "start": st.integers(0, 50), "end": st.integers(0, 60), "quote": st.text(max_size=20),
    "value": st.floats(allow_nan=False, allow_infinity=False), "unit": st.sampled_from(["亿元", "%", ""]),
    "base_value": st.floats(allow_nan=False, allow_infinity=False), "base_unit": st.sampled_from(["CNY", "percent"]),
    "region": st.sampled_from(["", "昌都市", "Lhasa"]),
    "region_path": st.lists(st.sampled_from(["西藏自治区", "昌都市"]), max_size=2),
})


@given(st.lists(fact_rows, max_size=12), st.sampled_from(QUERIES))
def test_table_round_trips_and_agrees_with_records(rows: list[dict[str, object]], text: str) -> None:
    table = FactTable.from_rows(rows)
    again = FactTable.from_json(orjson.loads(orjson.dumps(table.to_json())))
    facts = [again.raw(i) for i in range(again.n)]
    assert facts == [table.raw(i) for i in range(table.n)]
    query = parse(text)
    assert [facts[i].id for i in again.select(query)] == [f.id for f in facts if query.matches(f)]


def test_from_json_refuses_wrong_shapes() -> None:
    good = FactTable.from_rows([]).to_json()
    for bad in ({}, {**good, "n": 3}, {**good, "plain": {}}, None):
        with pytest.raises(TableError):
            FactTable.from_json(bad)


def test_index_is_written_atomically_and_leaves_no_temp(sample_store: FactStore) -> None:
    names = os.listdir(sample_store.path.parent)
    assert "facts.json.index" in names and not [n for n in names if ".tmp-" in n]


@given(st.lists(fact_rows, max_size=12), st.sampled_from(QUERIES), st.booleans())
def test_the_index_file_gives_back_the_table(rows: list[dict[str, object]], text: str, int_values: bool) -> None:
    """Through the file's packed columns (arrays, NUL-joined quotes) or, for values that do not
    fit them (ints among floats, a NUL in a quote), through its JSON: the same facts and answers."""
    import tempfile

    from tibet_facts.store.db.index import Snapshot, Texts, write_index

    if int_values:
        rows = [{**row, "value": 7} if i % 2 else row for i, row in enumerate(rows)]
    table = FactTable.from_rows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "facts.json"
        stamp = (1, 2, 3)
        assert write_index(path, stamp, Snapshot(table, {}, {}, Texts()))
        snap = read_index(path, stamp)
        assert snap is not None
        snap.texts.close()
    again = snap.table
    facts = [again.raw(i) for i in range(again.n)]
    assert facts == [table.raw(i) for i in range(table.n)]
    assert [type(f.value) for f in facts] == [type(table.raw(i).value) for i in range(table.n)]
    query = parse(text)
    assert [facts[i].id for i in again.select(query)] == [f.id for f in facts if query.matches(f)]


def test_a_store_without_its_index_is_read_a_batch_of_rows_at_a_time(
        sample_store: FactStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """The slow path makes column tables of a few rows at a time and merges them: the same
    facts, documents and texts as a whole-file read, and no row dicts kept."""
    from tibet_facts.store.db.index import snapshot_from_data, snapshot_from_file
    from tibet_facts.store.db.rows import read_store_file

    monkeypatch.setattr(index_mod, "ROW_BATCH", 2)
    streamed = snapshot_from_file(sample_store.path)
    whole = snapshot_from_data(read_store_file(sample_store.path))
    assert streamed is not None
    assert [streamed.table.raw(i) for i in range(streamed.table.n)] == [whole.table.raw(i) for i in range(whole.table.n)]
    assert streamed.documents == whole.documents and streamed.corrections == whole.corrections
    assert all(streamed.texts.get(d) == whole.texts.get(d) for d in whole.documents)
    index_path(sample_store.path).unlink()
    assert FactStore.open(sample_store.path).facts == sample_store.facts
