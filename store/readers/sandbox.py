"""Readers run in child processes, each with a memory and a time limit, several at once.

A PDF or a Word file is a container of compressed streams: a small file may inflate to gigabytes
(a PDF bomb, a zip bomb), and PDFium and lxml are C code that a crafted file may send into a loop
or a crash. So each document is read in a child forked for it: its address space is capped
(RLIMIT_AS, the parent's size plus `Limits.memory`), its wall time too (it is killed at the
deadline), and its result comes back through a pipe, no larger than `Limits.output`. Whatever
happens in it (MemoryError, a segfault, a loop, an exception from a library) the parent gets one
line naming the file, and the parent's own memory never holds more than the text read.

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
import sys
import time
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

    data = job.data if job.data is not None else read_regular_file(job.path or Path(), job.name, job.max_bytes)
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


def read_all(jobs: list[Job], *, workers: int | None = None, limits: Limits = Limits()) -> Iterator[Outcome]:
    """Each job's outcome, in order, with up to `workers` children at a time (default: the cores)."""
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


@dataclass(slots=True)
class _Child:
    """A running reader: its pid, the read end of its pipe, what it sent so far, its deadline."""

    index: int
    job: Job
    pid: int
    fd: int
    deadline: float
    received: bytearray = field(default_factory=bytearray)


class _Pool:
    """Children started as others finish; outcomes handed out in the jobs' order."""

    def __init__(self, jobs: list[Job], workers: int, limits: Limits) -> None:
        self.jobs, self.workers, self.limits = jobs, max(1, workers), limits
        self.outcomes: dict[int, Outcome] = {}
        self.running: dict[int, _Child] = {}
        self.selector = selectors.DefaultSelector()
        self.next_job = 0

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
        while len(self.running) < self.workers and self.next_job < len(self.jobs):
            child = _fork(self.next_job, self.jobs[self.next_job], self.limits)
            self.running[child.fd] = child
            self.selector.register(child.fd, selectors.EVENT_READ, child)
            self.next_job += 1

    def _wait(self) -> None:
        now = time.monotonic()
        timeout = max(0.0, min(c.deadline for c in self.running.values()) - now)
        for key, _ in self.selector.select(timeout):
            self._receive(key.data)
        now = time.monotonic()
        for child in [c for c in self.running.values() if c.deadline <= now]:
            seconds = f"{self.limits.seconds:g}"
            self._finish(child, DecodeError(f"{child.job.name}: reading it took over {seconds} s; not read"))

    def _receive(self, child: _Child) -> None:
        chunk = os.read(child.fd, MB)
        if not chunk:
            self._finish(child, _outcome(child, _exit_status(child.pid)))
            return
        child.received += chunk
        if len(child.received) > self.limits.output:
            limit = self.limits.output // MB
            self._finish(child, DecodeError(f"{child.job.name}: its text is over {limit} MB; not read"))

    def _finish(self, child: _Child, outcome: Outcome) -> None:
        self._kill(child)
        self.outcomes[child.index] = outcome

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


def _exit_status(pid: int) -> int:
    """Reap the child; its wait status (0 when it was reaped already)."""
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return 0


def _outcome(child: _Child, status: int) -> Outcome:
    """What a child that closed its pipe sent: its result, or why it sent none."""
    try:
        kind, value = pickle.loads(bytes(child.received))
    except Exception:  # nothing or half a result: it died
        return DecodeError(f"{child.job.name}: {_death(status)}; not read")
    return value if kind == "ok" else DecodeError(value)


def _death(status: int) -> str:
    """Why a child sent nothing: a C library that cannot allocate under the cap aborts."""
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        return f"the reader ended with {name}: out of its memory (a PDF bomb?) or a damaged file"
    return "the reader ran out of memory or failed on it"


def _fork(index: int, job: Job, limits: Limits) -> _Child:
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child_main(job, write_end, parent, limits)
    os.close(write_end)
    return _Child(index, job, pid, read_end, time.monotonic() + limits.seconds)


def _child_main(job: Job, fd: int, parent: int, limits: Limits) -> None:
    """Read the job under the limits, send (kind, value) back pickled, and exit."""
    try:
        import faulthandler

        faulthandler.disable()  # an abort is reported by the parent, in one line
        _init_child(parent)
        _limit_memory(limits.memory)
        result: tuple[str, object]
        try:
            result = ("ok", read_job(job))
        except DecodeError as exc:
            result = ("refused", str(exc))
        except MemoryError:
            result = ("refused", f"{job.name}: needs over {limits.memory // MB} MB to read "
                                 "(a decompression bomb?); not read")
        except Exception as exc:  # a library's own error on a malformed file
            result = ("refused", f"{job.name}: cannot be read ({type(exc).__name__}: a damaged file?); not read")
        _send(fd, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        os._exit(0)


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
