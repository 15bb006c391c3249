"""The errors the core raises; the CLI turns each into one line and an exit status."""

from __future__ import annotations


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
