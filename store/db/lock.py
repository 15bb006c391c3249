"""One writer at a time: an exclusive flock on `<store>.lock`.

The kernel drops a flock when its process dies, so a `kill -9` never leaves a lock that blocks
the next run. `fcntl` is imported here only, by the commands that write: read-only lookups
never import it (and so import on any platform).
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

from tibet_facts.store.db.files import shown as _shown
from tibet_facts.store.errors import StoreBusy, StoreWriteError, os_reason


class StoreLock:
    """An exclusive flock on `<store>.lock`; says so on a terminal while it waits."""

    def __init__(self, path: Path, *, wait: bool = True, notify: Callable[[str], None] | None = None) -> None:
        self.path = path.with_name(path.name + ".lock")
        self.wait = wait
        self.notify = notify
        self._fd: int | None = None

    def __enter__(self) -> StoreLock:
        try:
            fd = self._open()
        except OSError as exc:
            raise self._failed(exc) from None
        try:
            self._acquire(fd)
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise
            raise self._failed(exc) from None
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return self

    def _failed(self, exc: OSError) -> StoreWriteError:
        store = _shown(self.path.with_suffix(""))
        return StoreWriteError(f"cannot lock store {store}: {os_reason(exc)} ({_shown(self.path)})")

    def _open(self) -> int:
        """The lock file, which must be a regular file: a FIFO or a folder there is refused."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NONBLOCK, 0o644)
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise OSError(errno.EINVAL, "the lock is not a regular file", str(self.path))
        return fd

    def _acquire(self, fd: int) -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
        if not self.wait:
            raise StoreBusy(f"store busy (pid {holder} is writing {_shown(self.path.with_suffix(''))}); try again")
        if self.notify:
            self.notify(f"waiting for pid {holder} to finish writing the store…")
        started = time.monotonic()
        fcntl.flock(fd, fcntl.LOCK_EX)
        self.waited = time.monotonic() - started

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
