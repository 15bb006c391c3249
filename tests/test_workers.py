"""An ingest's worker processes die with it: a kill (KILL, TERM, HUP, INT) of `tibet-facts ingest`
mid-extraction leaves no process behind, a caller reading its output sees end-of-file at once,
and the store is as it was."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

import pytest

from tibet_facts.store import workers as pool_workers
from tibet_facts.store.corpus import read_source
from tibet_facts.store.db.spool import FactSpool
from tibet_facts.store.ingest import is_huge, spool_sources
from tibet_facts.store.repository import FactStore
from tibet_facts.store.workers import worker_pool

ROOT = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).parent / "tibet-facts")
BIG_BYTES = 12 * 1024 * 1024
Proc = tuple[int, int]  # (pid, start time): a pid alone may be reused

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
    # one core: the ingest extracts in-process and has no workers to watch
    pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores for a worker pool"),
]


def _fields(pid: int) -> list[str] | None:
    """/proc/PID/stat from its third field (the state) on; None when the process is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2:].split()  # the name, in parentheses, may hold spaces


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state, start time) of a process, None when it is gone."""
    fields = _fields(pid)
    return (int(fields[1]), fields[0], int(fields[19])) if fields else None


def _busy(pid: int) -> bool:
    """Past the pool's initializer (its stderr on /dev/null) and extracting (CPU time spent)."""
    fields = _fields(pid)
    try:
        released = os.readlink(f"/proc/{pid}/fd/2") == os.devnull
    except OSError:
        return False
    return released and fields is not None and int(fields[11]) + int(fields[12]) >= 5  # clock ticks


def _alive(proc: Proc) -> bool:
    """Running (a zombie is dead: this container's init may never reap an orphan)."""
    stat = _stat(proc[0])
    return stat is not None and stat[2] == proc[1] and stat[1] != "Z"


def _children(parent: int) -> set[Proc]:
    found = set()
    for entry in Path("/proc").iterdir():
        stat = _stat(int(entry.name)) if entry.name.isdigit() else None
        if stat is not None and stat[0] == parent and stat[1] != "Z":
            found.add((int(entry.name), stat[2]))
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A 12 MB Chinese document (the seeds over and over) and a store built from the seeds."""
    folder = tmp_path_factory.mktemp("workers")
    seeds = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    text = "\n\n".join([seeds] * (BIG_BYTES // len(seeds.encode()) + 1))
    big = folder / "big.txt"
    big.write_bytes(text.encode()[:BIG_BYTES].decode("utf-8", "ignore").encode())
    store = folder / "template" / "facts.json"
    subprocess.run([EXE, "stats"], env={**os.environ, "TIBET_FACTS_STORE": str(store)}, capture_output=True,
                   check=True, timeout=120)
    return big, store


@pytest.fixture
def spawned() -> Iterator[list[Proc]]:
    """Processes a test started; any still running at the end are killed (a failure leaks nothing)."""
    procs: list[Proc] = []
    yield procs
    for proc in procs:
        if _alive(proc):
            os.kill(proc[0], signal.SIGKILL)


@contextmanager
def _interruptible() -> Iterator[None]:
    """SIGINT not ignored while a child starts (a background job's is, and the child inherits that)."""
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def _start_ingest(corpus: tuple[Path, Path], tmp_path: Path, spawned: list[Proc],
                  piped: bool = False) -> tuple[subprocess.Popen[bytes], Path, set[Proc]]:
    """A copy of the seeded store, an ingest of the big document into it (its output piped to
    us, or discarded), and its workers once they are extracting."""
    big, template = corpus
    store = tmp_path / "facts.json"
    shutil.copyfile(template, store)
    env = {**os.environ, "TIBET_FACTS_STORE": str(store)}
    out = subprocess.PIPE if piped else subprocess.DEVNULL
    with _interruptible():
        child = subprocess.Popen([EXE, "ingest", str(big)], env=env, stdin=subprocess.DEVNULL, stdout=out,
                                 stderr=out)
    stat = _stat(child.pid)
    spawned.append((child.pid, stat[2] if stat else 0))
    deadline = time.monotonic() + 30
    # killed mid-extraction, as reported: every worker started and working on a piece
    while len(workers := _children(child.pid)) < 2 or not all(_busy(pid) for pid, _ in workers):
        spawned.extend(workers - set(spawned))  # killed by the fixture if this never ends
        assert child.poll() is None and time.monotonic() < deadline, "the ingest started no busy workers"
        time.sleep(0.02)
    spawned.extend(workers)
    return child, store, workers


def _facts(store: Path) -> tuple[list[dict[str, object]], list[str]]:
    opened = FactStore.open(store)
    return [f.to_dict() for f in opened.facts], sorted(opened.documents)


def _assert_gone(parent: int, workers: set[Proc], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while (left := {p for p in workers if _alive(p)} | _children(parent)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not left, f"still running {seconds:.0f} s after the kill: {sorted(left)}"


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP, signal.SIGINT],
                         ids=lambda s: signal.Signals(s).name)
def test_killed_ingest_leaves_no_worker_and_the_old_store(corpus: tuple[Path, Path], tmp_path: Path,
                                                          spawned: list[Proc], sig: signal.Signals) -> None:
    before = _facts(corpus[1])
    child, store, workers = _start_ingest(corpus, tmp_path, spawned)
    raw = store.read_bytes()
    child.send_signal(sig)
    killed = time.monotonic()
    assert child.wait(timeout=10) != 0
    # promptly: an interrupted ingest does not wait for the pieces in flight
    assert time.monotonic() - killed < 2
    _assert_gone(child.pid, workers)
    assert store.read_bytes() == raw
    assert _facts(store) == before


def test_reader_of_a_killed_ingest_sees_end_of_file(corpus: tuple[Path, Path], tmp_path: Path,
                                                    spawned: list[Proc]) -> None:
    child, _, workers = _start_ingest(corpus, tmp_path, spawned, piped=True)
    for pid, _start in workers:  # the workers do not hold the caller's pipes at all
        assert os.readlink(f"/proc/{pid}/fd/2") == os.devnull
        assert os.readlink(f"/proc/{pid}/fd/1") == os.devnull
    child.kill()
    started = time.monotonic()
    child.communicate(timeout=5)  # reads stdout and stderr to end-of-file
    assert time.monotonic() - started < 3
    _assert_gone(child.pid, workers)


def test_pool_left_by_an_exception_kills_its_busy_workers() -> None:
    started = time.monotonic()
    with pytest.raises(RuntimeError), worker_pool(2) as pool:
        busy = [pool.submit(time.sleep, 60) for _ in range(4)]
        time.sleep(0.3)  # the workers are forked and busy
        workers = _children(os.getpid())
        raise RuntimeError("the consumer failed")
    assert workers and time.monotonic() - started < 5, "shutdown waited for the pieces in flight"
    assert all(f.cancelled() or f.exception() is not None for f in busy)
    assert not {p for p in workers if _alive(p)}


class _FullDisk:
    """A spool whose first write fails, as on a full disk (records the workers alive then)."""

    def __init__(self) -> None:
        self.workers: set[Proc] = set()

    def add(self, doc_id: str, facts: object) -> None:
        self.workers = _children(os.getpid())
        raise OSError(errno.ENOSPC, "No space left on device")


def test_failed_spool_write_stops_the_workers_at_once(tmp_path: Path) -> None:
    """The consumer's own failure (not the pool's) ends the pool before the error reaches the
    caller: the caller keeps the traceback, and with it the work generator, for as long as it likes."""
    seeds = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    path = tmp_path / "big.txt"
    path.write_text("\n\n".join([seeds] * 40), encoding="utf-8")  # huge: 6 pieces for two workers
    source = read_source(path)
    assert is_huge(source)
    spool = _FullDisk()
    with pytest.raises(OSError) as raised:
        spool_sources([source], cast(FactSpool, spool), workers=2)
    assert raised.value.errno == errno.ENOSPC and len(spool.workers) == 2
    assert not {p for p in spool.workers if _alive(p)}, "the workers went on with the pieces in flight"


def _watch_by_polling(parent: int) -> None:
    """The fallback where there is no prctl, on its own."""
    threading.Thread(target=pool_workers._watch_parent, args=(parent,), daemon=True).start()


def _init_after_parent_died(parent: int) -> None:
    """The race: the parent is gone before the worker's initializer asks for the signal."""
    while os.getppid() == parent:
        time.sleep(0.01)
    pool_workers.init_worker(parent)


def _orphaned(start: Callable[[int], None], spawned: list[Proc]) -> Proc:
    """Fork a parent that forks a worker running start(parent) then idling; SIGKILL the parent
    and return the worker, orphaned."""
    read, write = os.pipe()
    parent = os.fork()
    if parent == 0:  # only os._exit from here: this is a copy of pytest
        try:
            os.close(read)
            child = os.fork()
            if child == 0:
                try:
                    start(os.getppid())
                    time.sleep(30)
                finally:
                    os._exit(0)
            os.write(write, f"{child}\n".encode())
            time.sleep(30)
        finally:
            os._exit(0)
    os.close(write)
    stat = _stat(parent)
    spawned.append((parent, stat[2] if stat else 0))
    with os.fdopen(read) as lines:
        pid = int(lines.readline())
    stat = _stat(pid)
    worker = (pid, stat[2] if stat else 0)
    spawned.append(worker)
    time.sleep(0.2)  # the worker is in start() (the race case waits there for its parent to die)
    os.kill(parent, signal.SIGKILL)
    os.waitpid(parent, 0)
    return worker


@pytest.mark.parametrize("start", [pool_workers.init_worker, _watch_by_polling, _init_after_parent_died],
                         ids=["pdeathsig", "polling", "parent-died-first"])
def test_an_orphaned_worker_ends_itself(start: Callable[[int], None], spawned: list[Proc]) -> None:
    worker = _orphaned(start, spawned)
    deadline = time.monotonic() + pool_workers.POLL_SECONDS + 1.5
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not _alive(worker), "the worker outlived its parent"
