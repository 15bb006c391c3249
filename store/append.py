"""Adding rows to a store without loading it: how an ingest commits.

A store written by `storage.dump_chunks` holds one row a line. Adding documents and facts to it
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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from tibet_facts.store.errors import StoreWriteError
from tibet_facts.store.storage import META_TABLE, ROW_LINE, SCHEMA_VERSION, TABLE_LINE, empty_store

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
            return _scan_lines(handle, check_rows)
        except (orjson.JSONDecodeError, UnicodeDecodeError, ValueError):
            return None


def _scan_lines(lines: Iterator[bytes], check_rows: bool) -> Layout | None:
    if next(lines, b"") != b"{\n":
        return None
    layout = Layout()
    table: str | None = None
    version: int | None = None
    closed = False
    for line in lines:
        line = line.rstrip(b"\n")
        if closed:
            return None  # bytes after the end
        if table is None:
            if line == b"}":
                closed = True
                continue
            m = TABLE_LINE.match(line)
            if m is None:
                return None
            table = orjson.loads(b'"' + m.group(1) + b'"')
            if table in layout.last_id:
                return None
            layout.tables.append(table)
            layout.last_id[table] = 0
            continue
        if line in (b"}", b"},"):
            table = None
            continue
        m = ROW_LINE.match(line)
        if m is None:
            return None
        layout.last_id[table] = max(layout.last_id[table], int(m.group(1)))
        if not check_rows and table != META_TABLE:
            continue
        row = orjson.loads(m.group(2))  # every row is checked to be JSON, as a full read would
        if not isinstance(row, dict):
            return None
        if table == DOCS:
            layout.doc_ids.add(str(row.get("id")))
        elif table == META_TABLE and isinstance(row.get("schema_version"), int):
            version = row["schema_version"]
    if not closed or table is not None or version is None or version > SCHEMA_VERSION:
        return None
    return layout


def document_row(row: dict[str, object], text: str) -> Iterator[bytes]:
    """A document's row with its text last, the text escaped a piece at a time: the same bytes as
    `orjson.dumps({**row, "text": text})`."""
    yield orjson.dumps(row)[:-1] + (b',"text":"' if row else b'"text":"')
    for i in range(0, len(text), TEXT_PIECE):
        yield orjson.dumps(text[i:i + TEXT_PIECE])[1:-1]
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
