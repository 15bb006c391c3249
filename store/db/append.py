"""Adding rows to a store without loading it: how an ingest commits.

A store written by `rows.dump_chunks` holds one row a line. Adding documents and facts to it
needs no parse into records of what is already there: `scan` reads the table names in file
order, each table's highest TinyDB id, the stored documents' ids and the schema version, one line
at a time; `appended` then yields the new file: the old lines as they were, and the new rows
numbered after each table's highest id (as TinyDB's own insert numbers them) at the end of
their tables. The result is the same file TinyDB would write, committed by one atomic write.

Why not TinyDB's `insert_multiple`: it needs every table as dicts in memory, about 1.5 KB a fact,
which a 200 MB document (half a million facts) cannot afford. Here memory follows the longest
row. A store in any other layout (hand-edited, written by TinyDB's own storage) gives None from
`scan` and is committed the TinyDB way, which also gives the one-line error for a damaged one.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from tibet_facts.store.db.rows import META_TABLE, SCHEMA_VERSION, TABLE_LINE, empty_store, iter_rows
from tibet_facts.store.errors import StoreWriteError

DOCS = "documents"
# A row to add: its JSON (without the TinyDB id), whole or in pieces (a huge document's text).
Row = Iterable[bytes]
# Pieces of a document's text escaped for JSON at a time: never one copy of a 200 MB text.
TEXT_PIECE = 1 << 20


@dataclass(slots=True)
class Layout:
    """What an append needs to know of a store file (read by `scan`)."""

    tables: list[str] = field(default_factory=list)  # in file order
    last_id: dict[str, int] = field(default_factory=dict)
    doc_ids: set[str] = field(default_factory=set)
    exists: bool = True


def scan(path: Path, *, check_rows: bool = True) -> Layout | None:
    """The layout of the store at path: an empty one when there is no file; None when the file
    is not one row a line, a row is not a JSON object, or its schema is not this version's
    (the TinyDB way then reads it and says what is wrong). With check_rows=False (the caller
    holds a snapshot read from this very generation, so its rows were checked then) only the
    schema row is parsed, and doc_ids is left empty for the caller to fill."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return Layout(exists=False)
    except OSError:
        return None
    with handle:
        try:
            return _layout(iter_rows(handle, lambda table: check_rows or table == META_TABLE))
        except (orjson.JSONDecodeError, UnicodeDecodeError, ValueError):  # NotLines is a ValueError
            return None


def _layout(rows: Iterator[tuple[str, str | None, dict[str, Any] | None]]) -> Layout | None:
    layout = Layout()
    version: int | None = None
    for table, key, row in rows:
        if key is None:  # a table starts
            if table in layout.last_id:
                return None
            layout.tables.append(table)
            layout.last_id[table] = 0
            continue
        layout.last_id[table] = max(layout.last_id[table], int(key))
        if row is None:
            continue  # not parsed
        if table == DOCS:
            layout.doc_ids.add(str(row.get("id")))
        elif table == META_TABLE and isinstance(row.get("schema_version"), int):
            version = row["schema_version"]
    if version is None or version > SCHEMA_VERSION:
        return None
    return layout


def document_row(row: dict[str, object], text: str) -> Iterator[bytes]:
    """A document's row with its text last, the text escaped a piece at a time: the same bytes as
    `orjson.dumps({**row, "text": text})`."""
    yield orjson.dumps(row)[:-1] + (b',"text":"' if row else b'"text":"')
    for i in range(0, len(text), TEXT_PIECE):
        # The standard library's encoder, which writes the same escapes as orjson's: under a
        # memory limit (ulimit -v) orjson crashes the process on a failed allocation of a
        # large string, where json raises MemoryError, which ends in one line.
        yield json.dumps(text[i:i + TEXT_PIECE], ensure_ascii=False).encode("utf-8")[1:-1]
    yield b'"}'


def appended(path: Path, layout: Layout, additions: dict[str, Iterable[Row]]) -> Iterator[bytes]:
    """The store file with the added rows, a line (or a piece of one) at a time."""
    if not layout.exists:  # a new store: its schema row first
        additions = {META_TABLE: [[orjson.dumps(empty_store()[META_TABLE]["1"])]], **additions}
    names = layout.tables + [name for name in additions if name not in layout.tables]
    yield b"{\n"
    with _old_lines(path, layout) as old:
        for t, name in enumerate(names):
            yield orjson.dumps(name) + b":{\n"
            first = True
            for line in _table_rows(old) if name in layout.tables else ():
                if not first:
                    yield b",\n"
                yield line  # alone: a document's row may be megabytes
                first = False
            next_id = layout.last_id.get(name, 0)
            for row in additions.get(name, ()):
                next_id += 1
                yield (b'"%d":' % next_id) if first else (b',\n"%d":' % next_id)
                yield from row
                first = False
            yield (b"" if first else b"\n") + (b"},\n" if t < len(names) - 1 else b"}\n")
    yield b"}\n"


@contextlib.contextmanager
def _old_lines(path: Path, layout: Layout) -> Iterator[Iterator[bytes]]:
    """The old file's lines after its opening brace (none when there is no old file)."""
    if not layout.exists:
        yield iter(())
        return
    with open(path, "rb") as handle:
        handle.readline()
        yield iter(handle)


def _table_rows(old: Iterator[bytes]) -> Iterator[bytes]:
    """The next table's rows, without their separators (the header line is skipped)."""
    header = next(old, b"")
    if TABLE_LINE.match(header.rstrip(b"\n")) is None:
        raise StoreWriteError("the store changed while it was being appended to; nothing was written")
    for line in old:
        line = line.rstrip(b"\n")
        if line in (b"}", b"},"):
            return
        yield line.removesuffix(b",")
