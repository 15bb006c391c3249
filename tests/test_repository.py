"""The fact store (store/repository.py) with its index (store/db/index.py) and the streamed
commit (store/db/append.py): every field of what is read back after each kind of write, the
exact bytes of the file an append makes, and the index's refusals."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from tests.conftest import sample_documents
from tibet_facts.store.db import index as index_mod
from tibet_facts.store.db.append import Layout, appended, document_row, scan
from tibet_facts.store.db.index import Texts, index_path, read_index, stamp_of
from tibet_facts.store.db.rows import dump_chunks
from tibet_facts.store.db.spool import FactSpool
from tibet_facts.store.errors import StoreCorrupt, StoreWriteError
from tibet_facts.store.model import Correction, Document
from tibet_facts.store.query import parse
from tibet_facts.store.repository import AddResult, FactStore


def _stored(store_path: Path) -> FactStore:
    store = FactStore.open(store_path)
    docs, facts = sample_documents()
    assert store.add(docs, facts) == AddResult(2, 8, 0)
    return store


def _expected() -> tuple[dict[str, Document], list[dict[str, object]]]:
    docs, facts = sample_documents()
    order = sorted(facts, key=lambda f: (f.doc, f.start))
    return {d.id: replace(d, text="") for d in docs}, [f.to_dict() for f in order]


def test_what_is_read_back_is_what_was_written(store_path: Path) -> None:
    store = _stored(store_path)
    metas, rows = _expected()
    for reader in (store, FactStore.open(store_path)):
        assert [f.to_dict() for f in reader.facts] == rows
        assert reader.documents == metas
        assert reader.corrections == {}
        assert reader.by_id == {f.id: f for f in reader.facts}
    docs, _ = sample_documents()
    assert store.document(docs[0].id) == docs[0]
    assert FactStore.open(store_path).document(docs[1].id) == docs[1]
    assert store.document("nope") is None
    data = orjson.loads(store_path.read_bytes())
    assert list(data) == ["_meta", "documents", "facts"]
    assert data["facts"] == {str(i + 1): f.to_dict() for i, f in enumerate(sample_documents()[1])}


def test_counts_and_the_region_tree(store_path: Path) -> None:
    store = _stored(store_path)
    assert store.count_by("topic") == {"ecommerce": 7, "economy_general": 1}
    assert store.count_by("region", "kind") == {("西藏自治区", "level"): 5, ("西藏自治区", "rate"): 1,
                                                ("昌都市", "level"): 1, ("芒康县", "level"): 1}
    assert store.count_by("topic", query=parse("year:2024")) == {"ecommerce": 1}
    assert store.region_tree() == {("西藏自治区",): 8, ("西藏自治区", "昌都市"): 2,
                                   ("西藏自治区", "昌都市", "芒康县"): 1}
    assert store.region_tree(parse("region:芒康县")) == {("西藏自治区",): 1, ("西藏自治区", "昌都市"): 1,
                                                       ("西藏自治区", "昌都市", "芒康县"): 1}


def test_a_correction_is_stored_applied_and_taken_back(store_path: Path) -> None:
    store = _stored(store_path)
    target = store.facts[0]
    got = store.correct(target.id, {"region": "昌都市", "rejected": True})
    assert got == Correction(target.id, rejected=True, region="昌都市")
    for reader in (store, FactStore.open(store_path)):
        assert reader.corrections == {target.id: got}
        assert reader.is_rejected(target.id) and not reader.is_rejected(reader.facts[1].id)
        assert reader.fact(target.id).to_dict() == {**target.to_dict(), "region": "昌都市", "region_en": "Qamdo",
                                                    "region_path": ["西藏自治区", "昌都市"]}
        assert reader.by_id[target.id] == target
        assert target.id not in [f.id for f in reader.visible_facts()]
        assert len(reader.visible_facts(include_rejected=True)) == 8
        assert len(reader.find(parse(""))) == 7
    again = store.correct(target.id, {"rejected": False, "topic": "tourism_culture"})
    assert again == Correction(target.id, region="昌都市", topic="tourism_culture")
    many = store.correct_many({target.id: {"region": ""}, store.facts[1].id: {"kind": "share"}})
    assert many == {target.id: Correction(target.id, topic="tourism_culture"),
                    store.facts[1].id: Correction(store.facts[1].id, kind="share")}
    assert FactStore.open(store_path).corrections == many
    store.clear_correction(target.id)
    assert FactStore.open(store_path).corrections == {store.facts[1].id: many[store.facts[1].id]}
    assert store.fact("nope") is None
    store.set_correction(Correction(target.id, metric_id="m"))
    assert FactStore.open(store_path).corrections[target.id] == Correction(target.id, metric_id="m")


def test_adding_known_documents_again_adds_nothing(store_path: Path) -> None:
    store = _stored(store_path)
    before = store_path.read_bytes()
    docs, facts = sample_documents()
    assert store.add(docs, facts) == AddResult(0, 0, 2)
    assert store_path.read_bytes() == before
    assert not store.changed_on_disk()


def test_replacing_a_documents_facts_keeps_the_others(store_path: Path) -> None:
    store = _stored(store_path)
    docs, facts = sample_documents()
    zh = [f for f in facts if f.doc_id == docs[0].id]
    assert store.replace_facts({docs[0].id: zh[:2]}) == 2
    assert sorted(f.id for f in FactStore.open(store_path).facts) == sorted(
        [f.id for f in zh[:2]] + [f.id for f in facts if f.doc_id == docs[1].id])


def test_another_writer_is_seen_and_read(store_path: Path) -> None:
    store = _stored(store_path)
    other = FactStore.open(store_path)
    assert not store.changed_on_disk()
    other.correct(other.facts[0].id, {"topic": "energy"})
    assert store.changed_on_disk()
    store.reload()
    assert not store.changed_on_disk() and store.fact(store.facts[0].id).topic == "energy"  # type: ignore[union-attr]


def test_an_append_makes_the_bytes_a_tinydb_insert_would(tmp_path: Path) -> None:
    docs, facts = sample_documents()
    by_add = FactStore.open(tmp_path / "a" / "f.json")
    by_add.add(docs, facts)
    appended_store = FactStore.open(tmp_path / "b" / "f.json")
    with FactSpool(tmp_path) as spool:
        for d in docs:
            spool.add(d.id, [f for f in facts if f.doc_id == d.id])
        assert appended_store.append(docs + docs[:1], spool) == AddResult(2, 8, 0)
        assert appended_store.append(docs, spool) == AddResult(0, 0, 2)
    assert (tmp_path / "b" / "f.json").read_bytes() == (tmp_path / "a" / "f.json").read_bytes()
    metas, rows = _expected()
    assert [f.to_dict() for f in appended_store.facts] == rows and appended_store.documents == metas
    assert appended_store.document(docs[0].id) == docs[0]
    assert not appended_store.changed_on_disk()


def test_an_append_without_reload_leaves_the_next_reader_to_index(store_path: Path) -> None:
    docs, facts = sample_documents()
    store = FactStore.open(store_path)
    with FactSpool(store_path.parent) as spool:
        spool.add(docs[0].id, [f for f in facts if f.doc_id == docs[0].id])
        assert store.append(docs[:1], spool, reload=False) == AddResult(1, 6, 0)
    assert store.changed_on_disk() and store.facts == [] and store.documents == {}
    assert not index_path(store_path).exists()
    assert len(FactStore.open(store_path).facts) == 6
    assert index_path(store_path).exists()


def test_scan_reads_a_stores_layout(store_path: Path, tmp_path: Path) -> None:
    _stored(store_path)
    docs, _ = sample_documents()
    assert scan(tmp_path / "none.json") == Layout(exists=False)
    layout = scan(store_path)
    assert layout == Layout(tables=["_meta", "documents", "facts"], last_id={"_meta": 1, "documents": 2,
                                                                              "facts": 8},
                            doc_ids={docs[0].id, docs[1].id}, exists=True)
    assert scan(store_path, check_rows=False).doc_ids == set()  # type: ignore[union-attr]
    bad = tmp_path / "bad.json"
    for raw in (b'{"_meta":{}}', b'{\n"_meta":{\n"1":{"schema_version":2}\n}\n}\n',
                b'{\n"t":{\n}\n}\n', b'{\n"t":{\n},\n"t":{\n}\n}\n', b'{\n"t":{\n"1":{"a":x}\n}\n}\n'):
        bad.write_bytes(raw)
        assert scan(bad) is None, raw
    assert scan(tmp_path) is None


def test_appended_rows_follow_each_tables_highest_id(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    data = {"_meta": {"1": {"schema_version": 1}}, "facts": {"3": {"id": "a"}, "7": {"id": "b"}}, "x": {}}
    path.write_bytes(b"".join(dump_chunks(data)))
    layout = scan(path)
    assert layout is not None and layout.last_id == {"_meta": 1, "facts": 7, "x": 0}
    got = b"".join(appended(path, layout, {"facts": [[b'{"id":"c"}']], "documents": [[b'{"id":"d"}']],
                                           "x": [[b"{", b"}"]]}))
    want = {**data, "facts": {**data["facts"], "8": {"id": "c"}}, "x": {"1": {}}, "documents": {"1": {"id": "d"}}}
    assert got == b"".join(dump_chunks(want))
    fresh = b"".join(appended(tmp_path / "new.json", Layout(exists=False), {"facts": [[b"{}"], [b"{}"]]}))
    assert fresh == b"".join(dump_chunks({"_meta": {"1": {"schema_version": 1}}, "facts": {"1": {}, "2": {}}}))


def test_a_store_changed_under_an_append_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_bytes(b"".join(dump_chunks({"_meta": {"1": {"schema_version": 1}}})))
    layout = Layout(tables=["_meta", "facts"], last_id={"_meta": 1, "facts": 0})
    with pytest.raises(StoreWriteError) as info:
        b"".join(appended(path, layout, {}))
    assert str(info.value) == "the store changed while it was being appended to; nothing was written"


def test_a_document_row_is_its_json_with_the_text_last(monkeypatch: pytest.MonkeyPatch) -> None:
    import tibet_facts.store.db.append as append_mod

    monkeypatch.setattr(append_mod, "TEXT_PIECE", 3)
    text = 'ab"c\n藏\x01d'
    assert b"".join(document_row({"id": "x", "n": 1}, text)) == orjson.dumps({"id": "x", "n": 1, "text": text})
    assert b"".join(document_row({}, "t")) == b'{"text":"t"}'
    assert b"".join(document_row({"id": "x"}, "")) == b'{"id":"x","text":""}'


# --- the index -----------------------------------------------------------------------------------

def test_the_index_belongs_to_one_generation(store_path: Path) -> None:
    _stored(store_path)
    stamp = stamp_of(store_path)
    st = store_path.stat()
    assert stamp == (st.st_size, st.st_mtime_ns, st.st_ino)
    assert stamp_of(store_path.parent / "none") is None
    snap = read_index(store_path, stamp)  # type: ignore[arg-type]
    assert snap is not None
    metas, rows = _expected()
    assert [snap.table.raw(i).to_dict() for i in range(snap.table.n)] == rows
    assert snap.documents == metas and snap.corrections == {}
    docs, _ = sample_documents()
    assert snap.texts.get(docs[0].id) == docs[0].text and snap.texts.last == (docs[0].id, docs[0].text)
    assert snap.texts.get(docs[0].id) == docs[0].text
    assert snap.texts.get("nope") is None
    assert read_index(store_path, (1, 2, 3)) is None
    snap.texts.close()
    assert snap.texts.handle is None and snap.texts.get(docs[1].id) is None


@pytest.mark.parametrize("damage", ["magic", "version", "byteorder", "blob", "arrays", "section", "json"])
def test_a_damaged_index_header_is_ignored(store_path: Path, damage: str) -> None:
    _stored(store_path)
    path = index_path(store_path)
    raw = path.read_bytes()
    head, _, rest = raw.partition(b"\n")
    header = orjson.loads(head)
    if damage == "magic":
        header["magic"] = "x"
    elif damage == "version":
        header["version"] = 1
    elif damage == "byteorder":
        header["byteorder"] = "middle"
    elif damage == "blob":
        header["blob"] = len(rest) + 1
    elif damage == "arrays":
        header["arrays_size"] = len(rest) * 2
    elif damage == "section":
        key = next(iter(header["arrays"]))
        header["arrays"]["other." + key.split(".", 1)[1]] = header["arrays"].pop(key)
    path.write_bytes((b"{" if damage == "json" else orjson.dumps(header)) + b"\n" + rest)
    assert read_index(store_path, stamp_of(store_path)) is None  # type: ignore[arg-type]
    assert len(FactStore.open(store_path).facts) == 8


def test_texts_from_memory_or_from_the_file() -> None:
    texts = Texts(memory={"a": "A"})
    assert texts.get("a") == "A" and texts.get("b") is None and texts.last is None
    import io

    class Handle(io.BytesIO):
        def fileno(self) -> int:
            raise ValueError("closed")

    broken = Texts(handle=Handle(b"xyz"), places={"a": (0, 3)})  # type: ignore[arg-type]
    assert broken.get("a") is None


def test_a_short_text_in_the_index_is_none(store_path: Path) -> None:
    _stored(store_path)
    docs, _ = sample_documents()
    reader = FactStore.open(store_path)
    texts = reader.snapshot.texts
    assert texts.handle is not None and texts.memory == {}
    texts.places[docs[0].id] = (texts.places[docs[0].id][0], 10 ** 7)
    assert texts.get(docs[0].id) is None
    assert reader.document(docs[0].id) == replace(docs[0], text="")
    assert reader.document(docs[1].id) == docs[1]


def test_an_index_that_cannot_be_written_is_only_slower(store_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    store = _stored(store_path)

    def refuse(*args: object, **kw: object) -> None:
        raise StoreWriteError("no")

    monkeypatch.setattr(index_mod, "atomic_write", refuse)
    assert index_mod.write_index(store_path, (1, 2, 3), store.snapshot) is False


def test_a_malformed_record_names_the_store(store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    store_path.write_bytes(b'{"_meta":{"1":{"schema_version":1}},"facts":{"1":{"id":"x"}}}')
    with pytest.raises(StoreCorrupt) as info:
        FactStore.open(store_path)
    assert str(info.value) == (f"store {store_path} has a malformed record (TypeError); the file was left "
                               "as it is (try `tibet-facts restore-backup` or move it away)")
