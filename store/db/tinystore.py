"""The TinyDB storage of the store: read once into memory, written atomically in batches.

TinyDB's own JSONStorage rewrites the file in place (seek, write, truncate), so a failed write
leaves it corrupt (shared/RELIABILITY.md); this one writes through `files.atomic_write`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from tibet_facts.store.db.files import atomic_write
from tibet_facts.store.db.files import shown as _shown
from tibet_facts.store.db.rows import dump_chunks, empty_store, read_store_file
from tibet_facts.store.errors import StoreWriteError


class AtomicJSONStorage(Storage):
    """TinyDB storage over one JSON file: read once into memory, written atomically in batches.

    Inside `batch()`, TinyDB's per-operation writes only update the in-memory copy and one atomic
    write happens at the end, so an ingest of any size costs exactly one file rewrite.
    """

    def __init__(self, path: str | Path, create: bool = True) -> None:
        self.path = Path(path)
        self._data: dict[str, Any] | None = None
        self._batching = False
        self._dirty = False
        self.writes = 0

    def read(self) -> dict[str, Any] | None:
        if self._data is None:
            self._data = self.load()
        return self._data

    def load(self) -> dict[str, Any]:
        """The file's content, checked; an absent file is an empty store."""
        try:
            return read_store_file(self.path)
        except FileNotFoundError:
            return empty_store()

    def write(self, data: dict[str, Any]) -> None:
        self._data = data
        if self._batching:
            self._dirty = True
            return
        self.flush()

    def flush(self) -> None:
        assert self._data is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:  # a row that cannot be serialized fails the write before anything is replaced
            atomic_write(self.path, dump_chunks(self._data))
        except (TypeError, orjson.JSONEncodeError) as exc:
            raise StoreWriteError(f"cannot serialize store {_shown(self.path)}: {exc}") from None
        self.writes += 1
        self._dirty = False

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Reload from disk, collect every write, commit once; on error the file is untouched."""
        self._data = self.load()
        self._batching = True
        try:
            yield
        except BaseException:
            self._data = None
            raise
        finally:
            self._batching = False
        if self._dirty:
            self.flush()

    def close(self) -> None:
        self._data = None
