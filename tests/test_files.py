"""The one atomic writer and the small pieces of the store's engine (store/db/files.py, lock,
spool, tinystore, backup, paths): exact bytes written, modes, steps and messages."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import orjson
import pytest

from tibet_facts.store.db import files, paths, spool
from tibet_facts.store.db.backup import restore_backup
from tibet_facts.store.db.files import (
    atomic_write,
    check_regular,
    not_regular,
    remove_stale_temps,
    shown,
)
from tibet_facts.store.db.lock import StoreLock
from tibet_facts.store.db.spool import FactSpool
from tibet_facts.store.db.tinystore import AtomicJSONStorage
from tibet_facts.store.errors import StoreBusy, StoreCorrupt, StoreWriteError, file_kind, os_reason
from tibet_facts.store.model import Fact

STEPS = ["temp_create", "write", "flush", "fsync", "backup", "replace", "dir_fsync"]


def test_a_path_is_shown_on_one_line() -> None:
    assert shown(Path("/a\nb\tc\x1bd")) == "/a b c\ufffdd"


def test_what_a_path_is_when_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    (tmp_path / "file").write_bytes(b"x")
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    assert not_regular(tmp_path / "file") is None
    assert not_regular(tmp_path / "absent") is None
    assert not_regular(tmp_path) == "a folder"
    assert not_regular(fifo) == "a FIFO"
    assert not_regular(Path("/dev/null")) == "a character device"
    assert not_regular(loop) == "Too many levels of symbolic links"
    with pytest.raises(StoreCorrupt) as info:
        check_regular(fifo)
    assert str(info.value) == f"store {fifo} is a FIFO, not a store file"
    check_regular(tmp_path / "absent")
    check_regular(tmp_path / "file")


def test_file_kinds_and_os_reasons_in_words() -> None:
    import stat

    assert file_kind(stat.S_IFDIR) == "a folder"
    assert file_kind(stat.S_IFIFO) == "a FIFO"
    assert file_kind(stat.S_IFCHR) == "a character device"
    assert file_kind(stat.S_IFBLK) == "a block device"
    assert file_kind(stat.S_IFSOCK) == "a socket"
    assert file_kind(stat.S_IFREG) == "not a file"
    assert os_reason(OSError(errno.ENOSPC, "x")) == "No space left on device"
    assert os_reason(OSError("plain words")) == "plain words"


def test_atomic_write_writes_bytes_or_chunks_and_keeps_the_old_as_backup(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    atomic_write(path, b"first")
    assert path.read_bytes() == b"first"
    assert not (tmp_path / "s.json.bak").exists()  # nothing to keep the first time
    atomic_write(path, [b"sec", b"", b"ond"])
    assert path.read_bytes() == b"second"
    assert (tmp_path / "s.json.bak").read_bytes() == b"first"
    atomic_write(path, iter([b"third"]))
    assert (tmp_path / "s.json.bak").read_bytes() == b"second"
    atomic_write(path, b"fourth", backup=False)
    assert (tmp_path / "s.json.bak").read_bytes() == b"second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json", "s.json.bak"]


def test_every_step_goes_through_the_hook_in_order(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr(files, "crash_hook", seen.append)
    path = tmp_path / "s.json"
    atomic_write(path, b"a")
    assert seen == [s for s in STEPS if s != "backup"]
    seen.clear()
    atomic_write(path, b"b")
    assert seen == STEPS
    seen.clear()
    atomic_write(path, b"c", hook=False)
    atomic_write(path, b"d", backup=False)
    assert seen == [s for s in STEPS if s != "backup"]


def test_a_write_keeps_the_old_files_mode_and_a_new_one_follows_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    old = os.umask(0o027)
    try:
        atomic_write(path, b"a")
        assert path.stat().st_mode & 0o777 == 0o640
        os.chmod(path, 0o444)
        atomic_write(path, b"b")
        assert path.stat().st_mode & 0o777 == 0o444
        assert os.umask(0o027) == 0o027  # the umask was put back as it was
    finally:
        os.umask(old)


@pytest.mark.parametrize(("what", "tail"), [("store", "; the old store is unchanged"),
                                            ("index", ""), ("export", "")])
def test_a_failed_write_is_one_error_and_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       what: str, tail: str) -> None:
    path = tmp_path / "s.json"
    path.write_bytes(b"old")

    def fail(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(files.os, "fsync", fail)
    with pytest.raises(StoreWriteError) as info:
        atomic_write(path, b"new", what=what)
    assert str(info.value) == f"cannot write {what} {path}: Input/output error{tail}"
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json"]


def test_a_failure_on_another_file_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.json"
    path.write_bytes(b"old")

    def fail(src: str, dst: str) -> None:
        raise OSError(errno.EACCES, "Permission denied", str(dst))

    monkeypatch.setattr(files.os, "link", fail)
    with pytest.raises(StoreWriteError) as info:
        atomic_write(path, b"new")
    assert str(info.value) == (f"cannot write store {path}: Permission denied ({path}.bak); "
                               "the old store is unchanged")


def test_an_interrupt_mid_write_leaves_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def stop(step: str) -> None:
        if step == "fsync":
            raise KeyboardInterrupt

    monkeypatch.setattr(files, "crash_hook", stop)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(tmp_path / "s.json", b"x")
    assert list(tmp_path.iterdir()) == []


def test_stale_temps_of_this_file_only_are_removed(tmp_path: Path) -> None:
    for name in (".s.json.tmp-1", ".s.json.tmp-2", ".t.json.tmp-1", "s.json"):
        (tmp_path / name).write_bytes(b"")
    assert remove_stale_temps(tmp_path / "s.json") == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [".t.json.tmp-1", "s.json"]
    assert remove_stale_temps(tmp_path / "s.json") == 0


# --- the lock ------------------------------------------------------------------------------

def test_the_lock_file_holds_the_writers_pid(tmp_path: Path) -> None:
    store = tmp_path / "deep" / "s.json"
    with StoreLock(store) as lock:
        assert lock.path == tmp_path / "deep" / "s.json.lock"
        assert lock.path.read_text() == str(os.getpid())
        assert lock._fd is not None
    assert lock._fd is None


def test_a_held_lock_is_busy_without_wait(tmp_path: Path) -> None:
    store = tmp_path / "s.json"
    with StoreLock(store):
        with pytest.raises(StoreBusy) as info, StoreLock(store, wait=False):
            pass
    assert str(info.value) == f"store busy (pid {os.getpid()} is writing {store}); try again"


def test_a_lock_that_is_not_a_file_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "s.json"
    os.mkfifo(tmp_path / "s.json.lock")
    with pytest.raises(StoreWriteError) as info, StoreLock(store):
        pass
    assert str(info.value) == (f"cannot lock store {store}: Invalid argument ({store}.lock)")


def test_a_lock_file_that_cannot_be_made_says_why(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    store = tmp_path / "file" / "s.json"
    with pytest.raises(StoreWriteError) as info, StoreLock(store):
        pass
    assert str(info.value) == f"cannot lock store {store}: File exists ({store}.lock)"


# --- the spool -----------------------------------------------------------------------------

def _fact(i: int, doc: str = "d") -> Fact:
    return Fact(id=f"f{i}", doc_id=doc, doc="d.txt", start=i, end=i + 1, quote=f"q{i}", value=float(i),
                unit="个", base_value=float(i), base_unit="count")


def test_the_spool_gives_back_each_documents_rows_and_facts(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spool, "READ_BLOCK", 7)  # rows cut across blocks
    with FactSpool(tmp_path / "new") as sp:
        assert sp.folder_shown == str(tmp_path / "new")
        sp.add("a", [_fact(1, "a"), _fact(2, "a")])
        sp.add("a", [_fact(3, "a")])
        sp.add("b", [_fact(4, "b")])
        sp.add("c", [])
        assert [sp.count(d) for d in "abcz"] == [3, 1, 0, 0]
        assert list(sp.rows("a")) == [orjson.dumps(_fact(i, "a").to_dict()) for i in (1, 2, 3)]
        assert list(sp.rows("b")) == [orjson.dumps(_fact(4, "b").to_dict())]
        assert list(sp.rows("z")) == []
        assert sp.facts("a") == [_fact(1, "a"), _fact(2, "a"), _fact(3, "a")]
        with pytest.raises(ValueError) as info:
            sp.add("a", [_fact(5, "a")])
        assert str(info.value) == "facts of a written out of order"
    assert (tmp_path / "new").is_dir() and list((tmp_path / "new").iterdir()) == []


def test_a_spool_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    sp = FactSpool(tmp_path)

    class Full:
        def write(self, data: bytes) -> None:
            raise OSError(errno.ENOSPC, "x")

    sp._file = Full()  # type: ignore[assignment]
    with pytest.raises(StoreWriteError) as info:
        sp.add("a", [_fact(1)])
    assert str(info.value) == (f"cannot keep the extracted facts in {tmp_path}: No space left on device; "
                               "the store is unchanged")
    assert sp.count("a") == 0


def test_a_spool_beside_an_unmakeable_folder_goes_to_the_temp_folder(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    with FactSpool(tmp_path / "file" / "sub") as sp:
        sp.add("a", [_fact(1)])
        assert sp.facts("a") == [_fact(1)]


# --- the TinyDB storage, backups and default paths ---------------------------------------

def test_the_storage_writes_once_per_batch(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "s.json"
    storage = AtomicJSONStorage(path)
    assert storage.read() == {"_meta": {"1": {"schema_version": 1}}}
    with storage.batch():
        storage.write({"_meta": {"1": {"schema_version": 1}}, "t": {"1": {"a": 1}}})
        storage.write({"_meta": {"1": {"schema_version": 1}}, "t": {"1": {"a": 2}}})
        assert not path.exists()
    assert storage.writes == 1
    assert path.read_bytes() == b'{\n"_meta":{\n"1":{"schema_version":1}\n},\n"t":{\n"1":{"a":2}\n}\n}\n'
    with storage.batch():
        pass
    assert storage.writes == 1
    storage.write({"_meta": {"1": {"schema_version": 1}}})
    assert storage.writes == 2
    storage.close()
    assert storage._data is None
    assert storage.read() == {"_meta": {"1": {"schema_version": 1}}}


def test_a_failed_batch_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    storage = AtomicJSONStorage(path)
    with pytest.raises(RuntimeError), storage.batch():
        storage.write({"t": {}})
        raise RuntimeError
    assert not path.exists() and storage.writes == 0 and storage._data is None
    assert storage._batching is False


def test_a_row_that_cannot_be_serialized_fails_before_the_write(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    storage = AtomicJSONStorage(path)
    with pytest.raises(StoreWriteError) as info:
        storage.write({"t": {"1": {"x": object()}}})
    assert str(info.value).startswith(f"cannot serialize store {path}: Type is not JSON serializable")
    assert not path.exists() and storage.writes == 0


def test_restore_puts_the_backup_back(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    good = b'{"_meta":{"1":{"schema_version":1}},"facts":{}}'
    path.write_bytes(b"damaged")
    (tmp_path / "s.json.bak").write_bytes(good)
    restore_backup(path)
    assert path.read_bytes() == good
    assert (tmp_path / "s.json.bak").read_bytes() == b"damaged"  # the damaged one is kept


def test_a_missing_or_damaged_backup_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_bytes(b"x")
    with pytest.raises(StoreCorrupt) as info:
        restore_backup(path)
    assert str(info.value) == f"no backup of {path} to restore ({path}.bak is missing)"
    (tmp_path / "s.json.bak").write_bytes(b"[")
    with pytest.raises(StoreCorrupt) as info:
        restore_backup(path)
    assert str(info.value).startswith(f"store {path}.bak is not valid JSON")
    assert path.read_bytes() == b"x"


def test_default_paths_follow_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("TIBET_FACTS_STORE", "~/x/f.json")
    assert paths.default_store_path() == tmp_path / "x" / "f.json"
    monkeypatch.setenv("TIBET_FACTS_STORE", "")
    assert paths.default_store_path() == tmp_path / "data" / "tibet-facts" / "facts.json"
    monkeypatch.delenv("TIBET_FACTS_STORE")
    assert paths.default_store_path() == tmp_path / "data" / "tibet-facts" / "facts.json"
    assert paths.cache_dir() == tmp_path / "cache" / "tibet-facts"


def test_a_writer_waits_for_the_holder_and_says_so(tmp_path: Path) -> None:
    import threading

    store = tmp_path / "s.json"
    said: list[str] = []
    holder = StoreLock(store).__enter__()
    threading.Timer(0.3, holder.__exit__).start()
    with StoreLock(store, notify=said.append) as lock:
        assert said == [f"waiting for pid {os.getpid()} to finish writing the store…"]
        assert lock.waited >= 0.2
        assert lock.path.read_text() == str(os.getpid())
    assert os.stat(lock.path).st_mode & 0o777 == 0o644 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
