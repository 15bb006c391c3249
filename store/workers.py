"""Extraction worker processes that never outlive the command that started them.

A worker blocks on the pool's call queue, a pipe whose write end it holds itself (it was forked
with it), so it never sees end-of-file when its parent dies: a `kill -9` of an ingest used to leave
its workers orphaned for good, each holding its memory, the deleted spool file and the caller's
stdout/stderr (a caller reading them to end-of-file waited for ever). So every worker

* asks the kernel for SIGKILL when its parent dies (Linux PR_SET_PDEATHSIG), then checks that its
  parent is still the pool's creator (the parent may have died before the request was made);
* where there is no prctl, polls its parent's pid from a daemon thread instead;
* points its stdout and stderr at /dev/null (results and errors go back through the pool), so the
  caller's pipes close when the command itself ends;
* ignores SIGINT: a ctrl-c goes to the whole process group, and the parent decides.

And the parent, when it leaves the pool because of an error, an interrupt or a generator closed
early, kills the workers rather than waiting for the pieces still in flight.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context
from multiprocessing.context import BaseContext

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# How often a worker without prctl looks for its parent: the longest an orphan can live.
POLL_SECONDS = 0.5


@contextmanager
def worker_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers die with this process, and with the block on any exception."""
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=init_worker,
                               initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:
        # the pieces in flight are of no use now: without this, shutdown would wait for them
        terminate_workers(pool)
        _unblock(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _context() -> BaseContext:
    """fork on Linux, spawn elsewhere: either way the worker's parent is this process, which the
    worker checks (a forkserver, Python 3.14's default, would be the parent instead)."""
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return get_context(method)


def terminate_workers(pool: ProcessPoolExecutor) -> None:
    """SIGKILL every worker of the pool (public from Python 3.14, private before)."""
    kill = getattr(pool, "kill_workers", None)
    if kill is not None:
        kill()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.kill()
        except (OSError, ValueError):  # already gone, or already closed
            pass


def _unblock(pool: ProcessPoolExecutor) -> None:
    """Once the workers are dead, close this process's copies of the pipe ends only they used.

    A worker killed in the middle of writing its result leaves half a message: the pool's
    manager thread then waits for the rest for ever, and its feeder thread waits to write the
    next piece into a pipe nobody reads, so `shutdown` never returns (seen under load). With
    the last write end of the result pipe closed the manager reads end-of-file, and with the
    last read end of the call pipe closed the feeder gets a broken pipe: both threads end.
    """
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.join(timeout=5)
        except (OSError, ValueError, AssertionError):
            pass
    ends = (getattr(getattr(pool, "_result_queue", None), "_writer", None),
            getattr(getattr(pool, "_call_queue", None), "_reader", None))
    for end in ends:
        try:
            if end is not None:
                end.close()
        except OSError:
            pass


def init_worker(parent: int) -> None:
    """The pool's initializer: run in each worker before its first piece."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _release_output()
    if not _die_with_parent(parent):
        threading.Thread(target=_watch_parent, args=(parent,), name="watch-parent", daemon=True).start()


def _die_with_parent(parent: int) -> bool:
    """Have the kernel SIGKILL this process when its parent dies; False where that is not possible."""
    if not sys.platform.startswith("linux"):
        return False
    # the signal comes when the forking *thread* ends: with the fork context the pool forks every
    # worker in its first submit, from the thread that iterates it, which outlives the pool
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    # the parent may have died between the fork and the prctl: then the request came too late
    if os.getppid() != parent:
        os._exit(1)
    return True


def _watch_parent(parent: int) -> None:
    """End this process once its parent is gone (an orphan is adopted: its parent pid changes)."""
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(1)


def _release_output() -> None:
    """Point fds 1 and 2 at /dev/null, so that a worker never keeps the caller's pipes open."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    for fd in (1, 2):
        try:
            os.dup2(null, fd)
        except OSError:
            pass
    os.close(null)
