"""Simulated power loss (S4), in the style of SQLite's crash tests.

Real commits run with the storage's file operations recorded (temp file created, its bytes at
fsync, backup unlink and link, rename, folder fsync). Then, for every point where the power
could fail, and for every subset of the operations the disk had not yet made durable (folder
entries not yet fsynced, file data not yet fsynced), the file tree a reboot could find is
rebuilt in a fresh folder and opened. Each must hold the old or the new store, never a mix,
never nothing; a backup, when there is one, must be a whole earlier generation.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.conftest import sample_documents
from tibet_facts.store.db import files as storage
from tibet_facts.store.model import Correction
from tibet_facts.store.repository import FactStore


@dataclass
class Op:
    kind: str  # create, data, unlink, link, replace, dir_sync
    path: str = ""
    target: str = ""
    data: bytes = b""


@dataclass
class Recorder:
    """Stands in for the `os` and `tempfile` modules inside store/db/files.py: does the real thing
    and notes what the disk was asked to do."""

    ops: list[Op] = field(default_factory=list)

    # tempfile.mkstemp
    def mkstemp(self, *args: Any, **kw: Any) -> tuple[int, str]:
        fd, name = tempfile.mkstemp(*args, **kw)
        self.ops.append(Op("create", os.path.basename(name)))
        self._fds = getattr(self, "_fds", {})
        self._fds[fd] = name
        return fd, name

    def __getattr__(self, name: str) -> Any:  # everything else of `os`
        return getattr(os, name)

    def fsync(self, fd: int) -> None:
        os.fsync(fd)
        name = getattr(self, "_fds", {}).get(fd)
        if name is not None:
            with open(name, "rb") as handle:
                self.ops.append(Op("data", os.path.basename(name), data=handle.read()))

    def unlink(self, path: Any) -> None:
        os.unlink(path)
        self.ops.append(Op("unlink", os.path.basename(str(path))))

    def link(self, src: Any, dst: Any) -> None:
        os.link(src, dst)
        self.ops.append(Op("link", os.path.basename(str(src)), os.path.basename(str(dst))))

    def replace(self, src: Any, dst: Any) -> None:
        os.replace(src, dst)
        self.ops.append(Op("replace", os.path.basename(str(src)), os.path.basename(str(dst))))


def record(monkeypatch: pytest.MonkeyPatch, action: Any) -> list[Op]:
    rec = Recorder()
    monkeypatch.setattr(storage, "os", rec)
    monkeypatch.setattr(storage, "tempfile", rec)
    monkeypatch.setattr(storage, "_fsync_dir", lambda folder: rec.ops.append(Op("dir_sync")))
    try:
        action()
    finally:
        monkeypatch.undo()
    return rec.ops


def replay(before: dict[str, bytes], ops: list[Op], lost: set[int], torn: bool) -> dict[str, bytes]:
    """The folder a reboot finds: `before`, then the operations not lost, in order. Names point
    at files (inodes); a file whose data was never fsynced comes back empty or torn."""
    data: dict[int, bytes] = {}
    names: dict[str, int] = {}
    for name, content in before.items():
        names[name] = len(data)
        data[len(data)] = content
    created: dict[str, int] = {}  # temp name -> its inode, whether or not its entry survived
    for i, op in enumerate(ops):
        if op.kind == "create":
            created[op.path] = len(data)
            data[len(data)] = b'{"_meta": {"1": {"schem' if torn else b""  # until its fsync
        elif op.kind == "data":
            data[created[op.path]] = op.data  # fsync returned: the bytes are on the disk
        if i in lost:
            continue
        if op.kind == "create":
            names[op.path] = created[op.path]
        elif op.kind == "unlink":
            names.pop(op.path, None)
        elif op.kind == "link" and op.path in names and op.target not in names:
            names[op.target] = names[op.path]
        elif op.kind == "replace" and op.path in names:
            names[op.target] = names.pop(op.path)
    return {name: data[inode] for name, inode in names.items()}


def crash_states(ops: list[Op]) -> list[tuple[list[Op], set[int], bool]]:
    """Every crash point, with every subset of the operations since the last folder fsync lost."""
    states = []
    for point in range(len(ops) + 1):
        done = ops[:point]
        barrier = max((i + 1 for i, op in enumerate(done) if op.kind == "dir_sync"), default=0)
        volatile = [i for i in range(barrier, point) if done[i].kind in ("create", "unlink", "link", "replace")]
        for r in range(len(volatile) + 1):
            for lost in itertools.combinations(volatile, r):
                for torn in (False, True):
                    states.append((done, set(lost), torn))
    return states


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.name.endswith((".lock", ".index"))}


def content(raw: bytes) -> Any:
    data = orjson.loads(raw)
    return {k: v for k, v in data.items()}


def check_state(files: dict[str, bytes], old: bytes | None, new: bytes, generations: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        path = folder / "facts.json"
        assert path.exists() or old is None, "the store vanished"
        if not path.exists():
            return
        raw = path.read_bytes()
        assert raw in (old, new), "neither the old nor the new store"
        store = FactStore.open(path)  # opens: the store file is whole
        assert store.table.n == len(content(raw).get("facts", {}))
        backup = folder / "facts.json.bak"
        if backup.exists():
            assert backup.read_bytes() in generations, "the backup is not a whole earlier generation"


def test_power_loss_at_any_point_leaves_old_or_new(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    path = folder / "facts.json"
    docs, facts = sample_documents()
    store = FactStore.open(path)
    first = [f for f in facts if f.doc_id == docs[0].id]
    commits: list[Any] = [
        lambda: store.add(docs[:1], first),
        lambda: store.add(docs[1:], [f for f in facts if f.doc_id == docs[1].id]),
    ]
    for n in range(5):  # corrections, their removal and re-extractions, round after round
        commits += [
            lambda n=n: store.set_correction(Correction(fact_id=facts[n].id, rejected=True)),
            lambda n=n: store.set_correction(Correction(fact_id=facts[n + 1].id, region="昌都市", period="2024")),
            lambda n=n: store.clear_correction(facts[n].id),
            lambda n=n: store.replace_facts({docs[0].id: first[: 1 + n % len(first)]}),
        ]
    generations: list[bytes] = []
    explored = 0
    for commit in commits:
        before = snapshot(folder)
        old = before.get("facts.json")
        # The index (facts.json.index) goes through the same atomic writer but is only a cache
        # with tests of its own (tests/test_index.py): the states explored are the store's.
        ops = [op for op in record(monkeypatch, commit) if ".index" not in op.path]
        new = path.read_bytes()
        generations += [g for g in (old, new) if g is not None and g not in generations]
        assert [op.kind for op in ops].count("replace") == 1
        for done, lost, torn in crash_states(ops):
            check_state(replay(before, done, lost, torn), old, new, generations)
            explored += 1
    assert explored >= 1000, explored
