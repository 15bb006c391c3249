"""Readers run in child processes, each with a memory and a time limit, several at once.

A PDF or a Word file is a container of compressed streams: a small file may inflate to gigabytes
(a PDF bomb, a zip bomb), and PDFium and lxml are C code that a crafted file may send into a loop
or a crash. So each document is read in a child forked for it: its address space is capped
(RLIMIT_AS, the parent's size plus `Limits.memory`), its wall time too (it is killed at the
deadline), and its result comes back through a pipe, no larger than `Limits.output`. Whatever
happens in it (MemoryError, a segfault, a loop, an exception from a library) the parent gets one
line naming the file, and the parent's own memory never holds more than the text read. Small
web pages are read up to GROUP_JOBS to a child, each with its own deadline; a child that dies
fails the page it was on, and the rest of its group is read again one page to a child.

The child is forked from the parent, which has imported the reader (and warmed trafilatura up)
once, so a folder of 200 pages costs 200 forks, not 200 imports; up to one child a core runs at a
time. A child dies with its parent (store/workers.py's PR_SET_PDEATHSIG), so a killed ingest
leaves no reader behind. Where there is no fork (Windows), documents are read in this process.
"""

from __future__ import annotations

import gc
import os
import pickle
import selectors
import signal
import struct
import sys
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

from tibet_facts.store.errors import DecodeError
from tibet_facts.store.readers import ReadDocument, read_bytes

MB = 1 << 20


@dataclass(frozen=True, slots=True)
class Limits:
    """What one reader may use: memory above the parent's size, wall time, and text sent back."""

    memory: int = 1024 * MB
    seconds: float = 120.0
    output: int = 512 * MB


@dataclass(frozen=True, slots=True)
class Job:
    """One document to read: from a file (read by the child) or from bytes (fetched)."""

    name: str  # as shown in messages, sanitized
    kind: str
    path: Path | None = None
    data: bytes | None = None
    max_bytes: int = 20 * MB
    charset: str | None = None
    url: str | None = None


Outcome: TypeAlias = "ReadDocument | DecodeError"


def read_job(job: Job) -> ReadDocument:
    """Read one document in this process (what a child runs); DecodeError when it cannot."""
    from tibet_facts.store.decode import read_regular_file

    data = (
        job.data
        if job.data is not None
        else read_regular_file(job.path or Path(), job.name, job.max_bytes)
    )
    return read_bytes(data, job.kind, job.name, charset=job.charset, url=job.url)


def warm(kind: str) -> None:
    """Import a reader's library here, once, so that every child forked after has it."""
    if kind == "html":
        from tibet_facts.store.readers.html import warm_up

        warm_up()
    elif kind == "pdf":
        import pypdfium2  # noqa: F401
    elif kind == "docx":
        import docx  # noqa: F401


def read_isolated(job: Job, limits: Limits = Limits()) -> ReadDocument:
    """One document read in a child; DecodeError (one line naming it) when it cannot be."""
    outcome = next(read_all([job], workers=1, limits=limits))
    if isinstance(outcome, DecodeError):
        raise outcome
    return outcome


def read_all(
    jobs: list[Job], *, workers: int | None = None, limits: Limits = Limits()
) -> Iterator[Outcome]:
    """Each job's outcome, in order, with up to `workers` children at a time (default: cores)."""
    if not hasattr(os, "fork"):
        yield from (_in_process(job) for job in jobs)
        return
    _load_libc()
    for kind in {job.kind for job in jobs}:
        warm(kind)
    # What is loaded now is never collected: a child's collections then skip it, instead of
    # walking (and so copying, page by page) the parent's whole heap: 165 -> 77 ms a page.
    gc.freeze()
    try:
        yield from _Pool(jobs, workers or os.cpu_count() or 1, limits).run()
    finally:
        gc.unfreeze()


def _in_process(job: Job) -> Outcome:
    try:
        return read_job(job)
    except DecodeError as exc:
        return exc
    except MemoryError:
        return DecodeError(f"{job.name}: out of memory while reading it; not read")
    except Exception as exc:  # a library's own error on a malformed file
        return DecodeError(f"{job.name}: cannot be read ({type(exc).__name__}); not read")


# Small web pages are read a few to a child (a fork costs ~30 ms, a page ~15 ms); PDFs and Word
# files, and anything over GROUP_BYTES, one to a child. A child that dies takes only the page it
# was reading with it: the pages after it in its group are read again, one to a child.
GROUP_JOBS = 16
GROUP_BYTES = 1 * MB
_FRAME = struct.Struct("<Q")


@dataclass(slots=True)
class _Child:
    """A running reader: its jobs (indices), its pid, the read end of its pipe, the bytes not yet
    made into results, the deadline of the job it is reading now."""

    indices: list[int]
    pid: int
    fd: int
    deadline: float
    received: bytearray = field(default_factory=bytearray)
    done: int = 0  # how many of its jobs have their outcome


class _Pool:
    """Children started as others finish; outcomes handed out in the jobs' order."""

    def __init__(self, jobs: list[Job], workers: int, limits: Limits) -> None:
        self.jobs, self.workers, self.limits = jobs, max(1, workers), limits
        self.outcomes: dict[int, Outcome] = {}
        self.running: dict[int, _Child] = {}
        self.selector = selectors.DefaultSelector()
        self.pending: deque[int] = deque(range(len(jobs)))
        self.alone: set[int] = (
            set()
        )  # jobs to read one to a child (after their group's child died)

    def run(self) -> Iterator[Outcome]:
        try:
            for index in range(len(self.jobs)):
                while index not in self.outcomes:
                    self._fill()
                    self._wait()
                yield self.outcomes.pop(index)
        finally:
            for child in list(self.running.values()):
                self._kill(child)
            self.selector.close()

    def _fill(self) -> None:
        while len(self.running) < self.workers and self.pending:
            indices = self._group()
            child = _fork(indices, [self.jobs[i] for i in indices], self.limits)
            self.running[child.fd] = child
            self.selector.register(child.fd, selectors.EVENT_READ, child)

    def _group(self) -> list[int]:
        """The next jobs for one child: a run of small pages, as many as keep every core busy."""
        first = self.pending.popleft()
        group = [first]
        share = max(1, min(GROUP_JOBS, -(-len(self.pending) // self.workers)))
        while (
            self.pending
            and len(group) < share
            and _groupable(self.jobs[first])
            and first not in self.alone
            and _groupable(self.jobs[self.pending[0]])
            and self.pending[0] not in self.alone
        ):
            group.append(self.pending.popleft())
        return group

    def _wait(self) -> None:
        now = time.monotonic()
        timeout = max(0.0, min(c.deadline for c in self.running.values()) - now)
        for key, _ in self.selector.select(timeout):
            self._receive(key.data)
        now = time.monotonic()
        for child in [c for c in self.running.values() if c.deadline <= now]:
            seconds = f"{self.limits.seconds:g}"
            self._fail(child, f"reading it took over {seconds} s; not read")

    def _receive(self, child: _Child) -> None:
        chunk = os.read(child.fd, MB)
        if not chunk:
            self._fail(child, f"{_death(_exit_status(child.pid))}; not read")
            return
        child.received += chunk
        while self._take_frame(child):
            child.deadline = time.monotonic() + self.limits.seconds  # the next job's own time
        if self.running.get(child.fd) is child and len(child.received) > self.limits.output:
            self._fail(child, f"its text is over {self.limits.output // MB} MB; not read")

    def _take_frame(self, child: _Child) -> bool:
        """One whole result off the child's bytes, if they hold one."""
        if len(child.received) < _FRAME.size:
            return False
        (size,) = _FRAME.unpack_from(child.received)
        if len(child.received) < _FRAME.size + size:
            return False
        kind, value = pickle.loads(bytes(child.received[_FRAME.size : _FRAME.size + size]))
        del child.received[: _FRAME.size + size]
        self.outcomes[child.indices[child.done]] = value if kind == "ok" else DecodeError(value)
        child.done += 1
        if child.done == len(child.indices):
            self._kill(child)
        return child.done < len(child.indices)

    def _fail(self, child: _Child, reason: str) -> None:
        """The job the child was reading fails for `reason`; the ones after it go back, alone."""
        self._kill(child)
        current, rest = child.indices[child.done], child.indices[child.done + 1 :]
        self.outcomes[current] = DecodeError(f"{self.jobs[current].name}: {reason}")
        self.alone.update(rest)
        self.pending.extendleft(reversed(rest))

    def _kill(self, child: _Child) -> None:
        if self.running.pop(child.fd, None) is None:
            return
        self.selector.unregister(child.fd)
        os.close(child.fd)
        try:
            os.kill(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _exit_status(child.pid)


def _groupable(job: Job) -> bool:
    """A small web page (its size known before it is read)."""
    if job.kind != "html":
        return False
    if job.data is not None:
        return len(job.data) <= GROUP_BYTES
    try:
        return job.path is not None and job.path.stat().st_size <= GROUP_BYTES
    except OSError:
        return False


def _exit_status(pid: int) -> int:
    """Reap the child; its wait status (0 when it was reaped already)."""
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return 0


def _death(status: int) -> str:
    """Why a child sent nothing: a C library that cannot allocate under the cap aborts."""
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        return f"the reader ended with {name}: out of its memory (a PDF bomb?) or a damaged file"
    return "the reader ran out of memory or failed on it"


def _fork(indices: list[int], jobs: list[Job], limits: Limits) -> _Child:
    from tibet_facts.store.ingest import signals_held

    read_end, write_end = os.pipe()
    parent = os.getpid()
    with signals_held():  # a ctrl-c during the fork is delivered after it, the normal way
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read_end)
            _child_main(jobs, write_end, parent, limits)
    os.close(write_end)
    return _Child(indices, pid, read_end, time.monotonic() + limits.seconds)


def _child_main(jobs: list[Job], fd: int, parent: int, limits: Limits) -> None:
    """Read the jobs under the limits, send each (kind, value) back as a pickled frame, exit."""
    try:
        import faulthandler

        faulthandler.disable()  # an abort is reported by the parent, in one line
        _init_child(parent)
        _limit_memory(limits.memory)
        for job in jobs:
            blob = pickle.dumps(_result(job, limits), protocol=pickle.HIGHEST_PROTOCOL)
            _send(fd, _FRAME.pack(len(blob)) + blob)
    finally:
        os._exit(0)


def _result(job: Job, limits: Limits) -> tuple[str, object]:
    """("ok", the document) or ("refused", one line naming it)."""
    try:
        return ("ok", read_job(job))
    except DecodeError as exc:
        return ("refused", str(exc))
    except MemoryError:
        return (
            "refused",
            f"{job.name}: needs over {limits.memory // MB} MB to read (a decompression bomb?); "
            "not read",
        )
    except Exception as exc:  # a library's own error on a malformed file
        return (
            "refused",
            f"{job.name}: cannot be read ({type(exc).__name__}: a damaged file?); not read",
        )


_LIBC: object = None


def _load_libc() -> None:
    """libc for prctl, loaded once here (in each child it cost 13 ms of a 55 ms page)."""
    global _LIBC
    if _LIBC is None and sys.platform.startswith("linux"):
        import ctypes

        try:
            _LIBC = ctypes.CDLL(None, use_errno=True)
        except OSError:
            _LIBC = None


def _init_child(parent: int) -> None:
    """What store/workers.init_worker does for an extraction worker, with libc already loaded:
    ignore ctrl-c (the parent decides), die with the parent, write nothing to its terminal."""
    from tibet_facts.store import workers

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    workers._release_output()
    prctl = getattr(_LIBC, "prctl", None)
    if prctl is None or prctl(workers.PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        import threading

        threading.Thread(target=workers._watch_parent, args=(parent,), daemon=True).start()
    elif os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def _send(fd: int, blob: bytes) -> None:
    view = memoryview(blob)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _limit_memory(budget: int) -> None:
    """Cap the address space at this process's size now plus the budget (Linux /proc)."""
    import resource

    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            size = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = size + budget
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        if soft == resource.RLIM_INFINITY or cap < soft:
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (OSError, ValueError, IndexError):
        pass  # no /proc: the time limit still holds
