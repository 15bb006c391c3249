"""The errors the core raises; the CLI turns each into one line and an exit status."""

from __future__ import annotations

import os
import stat


class TibetFactsError(Exception):
    """Base of every expected failure: shown as one line, never as a traceback."""

    exit_code = 1


class StoreCorrupt(TibetFactsError):
    """The store file cannot be read (truncated, not JSON, wrong shape); it was left as it is."""

    exit_code = 65


class StoreTooNew(TibetFactsError):
    """The store was written by a newer schema than this version understands."""

    exit_code = 65


class StoreBusy(TibetFactsError):
    """Another process holds the store's write lock and we were told not to wait."""

    exit_code = 75


class StoreWriteError(TibetFactsError):
    """A write failed part-way (disk full, I/O error); the old store is unchanged."""

    exit_code = 74


class DecodeError(TibetFactsError):
    """A document file is binary, empty, too large or in an encoding we cannot read."""

    exit_code = 65


def os_reason(exc: OSError) -> str:
    """An OS error in words ("No space left on device"), for the one line a failure prints."""
    return os.strerror(exc.errno) if exc.errno else str(exc)


_FILE_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def file_kind(mode: int) -> str:
    """What a path that is not a regular file is, in words ("a FIFO", "a character device")."""
    return next((name for test, name in _FILE_KINDS if test(mode)), "not a file")
