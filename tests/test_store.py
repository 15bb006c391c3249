"""The store: model round trip, stable ids, idempotent ingest, atomic writes, the lock, damaged files."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import orjson
import pytest

from tests.conftest import sample_documents
from tibet_facts.store.db import files as storage
from tibet_facts.store.db.lock import StoreLock
from tibet_facts.store.db.paths import default_store_path
from tibet_facts.store.errors import StoreBusy, StoreCorrupt, StoreTooNew, StoreWriteError
from tibet_facts.store.model import Correction, Document, Fact, fact_id
from tibet_facts.store.repository import FactStore


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_fact_and_document_round_trip() -> None:
    docs, facts = sample_documents()
    for fact in facts:
        assert Fact.from_dict(orjson.loads(orjson.dumps(fact.to_dict()))) == fact
    for doc in docs:
        assert Document.from_dict(orjson.loads(orjson.dumps(doc.to_dict()))) == doc


def test_fact_id_is_stable_and_place_specific() -> None:
    assert fact_id("abc", 1, 4) == fact_id("abc", 1, 4)
    assert fact_id("abc", 1, 4) != fact_id("abc", 2, 4)
    assert fact_id("abc", 1, 4) != fact_id("abd", 1, 4)


def test_store_reopens_with_everything(sample_store: FactStore) -> None:
    again = FactStore.open(sample_store.path)
    assert len(again.facts) == 8
    assert len(again.documents) == 2
    assert {f.id for f in again.facts} == {f.id for f in sample_store.facts}


def test_ingesting_the_same_documents_twice_adds_nothing(sample_store: FactStore) -> None:
    docs, facts = sample_documents()
    before = sha(sample_store.path)
    result = sample_store.add(docs, facts)
    assert (result.documents, result.facts, result.skipped_documents) == (0, 0, 2)
    assert sha(sample_store.path) == before, "a no-op batch must not rewrite the file"


def test_one_batch_is_one_write(store_path: Path) -> None:
    docs, facts = sample_documents()
    store = FactStore.open(store_path)
    writes: list[str] = []
    storage.crash_hook = lambda step: writes.append(step)
    try:
        store.add(docs, facts)
    finally:
        storage.crash_hook = None
    assert writes.count("replace") == 1


def test_absent_store_is_empty_and_default_path_honours_env(store_path: Path) -> None:
    assert default_store_path() == store_path
    store = FactStore.open(store_path)
    assert store.facts == [] and not store.exists()


@pytest.mark.parametrize(
    "content, error",
    [
        (b"", StoreCorrupt),
        (b"   \n", StoreCorrupt),
        (b'{"_meta": {"1": {"schema_version": 1}}, "facts": {"1": {"id"', StoreCorrupt),
        (b"\x89PNG\r\n\x1a\n\x00\x00", StoreCorrupt),
        (b"[1, 2, 3]", StoreCorrupt),
        (b'{"facts": {}}', StoreCorrupt),
        (b'{"_meta": {"1": {"schema_version": 99}}}', StoreTooNew),
    ],
)
def test_damaged_store_is_refused_and_left_untouched(store_path: Path, content: bytes, error: type) -> None:
    store_path.parent.mkdir(parents=True)
    store_path.write_bytes(content)
    with pytest.raises(error) as info:
        FactStore.open(store_path)
    message = str(info.value)
    assert str(store_path) in message and "\n" not in message
    assert store_path.read_bytes() == content


def test_correction_survives_reopen_and_hides_rejected(sample_store: FactStore) -> None:
    target = sample_store.facts[0]
    sample_store.set_correction(Correction(fact_id=target.id, rejected=True))
    again = FactStore.open(sample_store.path)
    assert target.id not in {f.id for f in again.visible_facts()}
    assert target.id in {f.id for f in again.visible_facts(include_rejected=True)}
    sample_store.set_correction(Correction(fact_id=target.id, region="昌都市"))
    again = FactStore.open(sample_store.path)
    shown = {f.id: f for f in again.visible_facts()}[target.id]
    assert shown.region == "昌都市"
    assert again.by_id[target.id].region == target.region, "the extracted fact itself is never changed"


def test_backup_holds_the_previous_generation(sample_store: FactStore) -> None:
    first = sample_store.path.read_bytes()
    sample_store.set_correction(Correction(fact_id=sample_store.facts[0].id, rejected=True))
    backup = sample_store.path.with_name(sample_store.path.name + ".bak")
    assert backup.read_bytes() == first


# --- crash-point injection (S1): end the process at each step of a write ---------------------

_CHILD = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {root!r})
    from tests.conftest import sample_documents
    from tibet_facts.store.db import files as storage
    from tibet_facts.store.model import Correction
    from tibet_facts.store.repository import FactStore

    target = {step!r}
    def hook(step):
        if step == target:
            os._exit(9)
    path = {path!r}
    store = FactStore.open(path)
    storage.crash_hook = hook
    docs, facts = sample_documents()
    if {op!r} == "ingest":  # what `tibet-facts ingest` does: extract into a spool, append
        from tibet_facts.store.corpus import Source
        from tibet_facts.store.ingest import commit_sources
        commit_sources(store, [Source(docs[1], 0)])
    elif {op!r} == "add":  # the TinyDB way (a store in another layout; edits)
        store.add(docs[1:], [f for f in facts if f.doc_id == docs[1].id])
    else:
        store.set_correction(Correction(fact_id=facts[0].id, rejected=True))
    """
)
STEPS = ["temp_create", "write", "flush", "fsync", "backup", "replace", "dir_fsync"]


@pytest.mark.parametrize("op", ["ingest", "add", "correction"])
@pytest.mark.parametrize("step", STEPS)
def test_crash_at_any_step_leaves_old_or_new(store_path: Path, op: str, step: str) -> None:
    docs, facts = sample_documents()
    store = FactStore.open(store_path)
    store.add(docs[:1], [f for f in facts if f.doc_id == docs[0].id])
    old = orjson.loads(store_path.read_bytes())
    root = str(Path(__file__).resolve().parents[1])
    code = _CHILD.format(root=root, step=step, path=str(store_path), op=op)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 9, run.stderr
    reopened = FactStore.open(store_path)  # must not raise: old or new, never a mix
    now = orjson.loads(store_path.read_bytes())
    if now != old:
        assert step in ("replace", "dir_fsync")
        assert len(reopened.facts) >= len(store.facts)
    # the next writer cleans up what the dead one left
    reopened.set_correction(Correction(fact_id=facts[0].id, topic="ecommerce"))
    assert not list(store_path.parent.glob(".facts.json.tmp-*"))


def test_failed_write_raises_and_keeps_old_store(sample_store: FactStore, monkeypatch: pytest.MonkeyPatch) -> None:
    before = sha(sample_store.path)

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(StoreWriteError) as info:
        sample_store.set_correction(Correction(fact_id=sample_store.facts[0].id, rejected=True))
    assert "unchanged" in str(info.value)
    monkeypatch.undo()
    assert sha(sample_store.path) == before
    assert not list(sample_store.path.parent.glob(".facts.json.tmp-*"))


# --- the lock ----------------------------------------------------------------------------

def _hold_lock(path: str, ready: multiprocessing.synchronize.Event, seconds: float) -> None:  # type: ignore[name-defined]
    with StoreLock(Path(path)):
        ready.set()
        time.sleep(seconds)


def test_lock_refuses_a_second_writer_without_wait(store_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(store_path), ready, 5))
    holder.start()
    try:
        assert ready.wait(10)
        with pytest.raises(StoreBusy) as info:
            with StoreLock(store_path, wait=False):
                pass
        assert f"pid {holder.pid}" in str(info.value)
    finally:
        holder.kill()
        holder.join()


def test_lock_dies_with_its_process(store_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(store_path), ready, 60))
    holder.start()
    assert ready.wait(10)
    holder.kill()  # SIGKILL: no cleanup runs
    holder.join()
    with StoreLock(store_path, wait=False):
        pass


# --- concurrent writers (S5) and a reader during writes (S6) --------------------------------

def _writer(path: str, n: int, go: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    text = f"第{n}号文档：全区网络零售额{n}亿元。"
    doc = Document(id=f"doc{n:04d}", name=f"d{n}.txt", text=text)
    start = text.index(f"额{n}") + 1
    fact = Fact(id=fact_id(doc.id, start, start + len(str(n))), doc_id=doc.id, doc=doc.name, start=start,
                end=start + len(str(n)), quote=text, value=float(n), unit="亿元", base_value=n * 1e8, base_unit="CNY")
    go.wait(10)
    FactStore.open(path).add([doc], [fact])


@pytest.mark.parametrize("writers", [2, 4, 8])
def test_concurrent_ingests_lose_nothing(store_path: Path, writers: int) -> None:
    ctx = multiprocessing.get_context("fork")
    go = ctx.Event()
    procs = [ctx.Process(target=_writer, args=(str(store_path), n, go)) for n in range(writers)]
    for p in procs:
        p.start()
    go.set()
    stop = time.monotonic() + 30
    while any(p.is_alive() for p in procs) and time.monotonic() < stop:
        if store_path.exists():
            FactStore.open(store_path)  # a reader never sees a torn state
    for p in procs:
        p.join(10)
        assert p.exitcode == 0
    store = FactStore.open(store_path)
    assert sorted(d.id for d in store.documents.values()) == [f"doc{n:04d}" for n in range(writers)]
    assert len(store.facts) == writers


def _limit_file_size(limit: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.parametrize("room", [0, 1000, 20_000])
def test_a_file_size_limit_mid_write_leaves_the_store_as_it_was(sample_store: FactStore, tmp_path: Path,
                                                                 room: int) -> None:
    """S3 with a real limit (ulimit -f): the write of the new generation fails part-way; one line,
    a non-zero exit, the old store byte-identical, no temp file left behind."""
    exe = str(Path(sys.executable).parent / "tibet-facts")
    doc = tmp_path / "doc.txt"
    doc.write_text("2025年西藏全区网络零售额280.2亿元，同比增长27%。" * 400, encoding="utf-8")
    before = sha(sample_store.path)
    limit = sample_store.path.stat().st_size + room
    env = {**os.environ, "TIBET_FACTS_STORE": str(sample_store.path)}
    run = subprocess.run([exe, "ingest", str(doc)], env=env, capture_output=True, text=True, timeout=120,
                         preexec_fn=lambda: _limit_file_size(limit))  # noqa: PLW1509 - a limit for the child only
    assert run.returncode != 0
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "unchanged" in lines[0] and "Traceback" not in run.stderr, run.stderr
    assert sha(sample_store.path) == before
    assert not list(sample_store.path.parent.glob(".facts.json.tmp-*"))
    assert len(FactStore.open(sample_store.path).facts) == 8
