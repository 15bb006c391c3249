"""Extracted facts kept on disk between extraction and the commit.

An ingest of a huge document finds half a million facts; held as records they would take
~1 KB each. The spool writes each document's facts as JSON rows (the store's own row form) to an
unlinked temp file beside the store as they are found, and the commit streams them back
(store/db/append.py). The file has no name, so it vanishes with the process, however that ends.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import orjson

from tibet_facts.store.errors import StoreWriteError, os_reason
from tibet_facts.store.model import Fact
from tibet_facts.store.sanitize import safe_text

READ_BLOCK = 1 << 20


class FactSpool:
    """Facts by document, one JSON row a line, in an anonymous temp file."""

    def __init__(self, folder: Path) -> None:
        self._file: IO[bytes] = _anonymous_file(folder)
        self.folder_shown = safe_text(str(folder), single_line=True)
        self._end = 0
        # doc id -> (offset, length, facts): each document's rows are written in one run
        self._spans: dict[str, tuple[int, int, int]] = {}

    def add(self, doc_id: str, facts: Iterable[Fact]) -> None:
        """Append facts of one document (its pieces in order, one call each)."""
        facts = list(facts)
        data = b"".join(orjson.dumps(f.to_dict()) + b"\n" for f in facts)
        offset, length, count = self._spans.get(doc_id, (self._end, 0, 0))
        if offset + length != self._end:
            raise ValueError(f"facts of {doc_id} written out of order")
        try:
            self._file.write(data)
            self._file.flush()
        except OSError as exc:  # a full disk or a file-size limit, before the store is touched
            reason = os_reason(exc)
            raise StoreWriteError(f"cannot keep the extracted facts in {self.folder_shown}: {reason}; "
                                  f"the store is unchanged") from None
        self._end += len(data)
        self._spans[doc_id] = (offset, length + len(data), count + len(facts))

    def count(self, doc_id: str) -> int:
        return self._spans.get(doc_id, (0, 0, 0))[2]

    def rows(self, doc_id: str) -> Iterator[bytes]:
        """The document's fact rows as JSON (no newline), read back a block at a time."""
        offset, length, _ = self._spans.get(doc_id, (0, 0, 0))
        tail = b""
        end = offset + length
        while offset < end:
            block = os.pread(self._file.fileno(), min(READ_BLOCK, end - offset), offset)
            if not block:
                raise OSError(f"fact spool ended early at {offset}")
            offset += len(block)
            lines = (tail + block).split(b"\n")
            tail = lines.pop()
            yield from lines
        if tail:
            yield tail

    def facts(self, doc_id: str) -> list[Fact]:
        return [Fact.from_dict(orjson.loads(row)) for row in self.rows(doc_id)]

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> FactSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _anonymous_file(folder: Path) -> IO[bytes]:
    """An unnamed temp file beside the store (the same disk as the commit), else in the
    system's temp folder (a read-only store folder still lets the write fail cleanly later)."""
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        return tempfile.TemporaryFile(dir=folder)
    return tempfile.TemporaryFile()
