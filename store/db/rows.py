"""The store's file format: one JSON object of tables, written one row a line.

The one owner of that layout: how a store file is parsed and checked (shape, schema version),
how it is written in chunks, and how it is read a row at a time without a whole-file parse.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from tibet_facts.store.db.files import shown as _shown
from tibet_facts.store.errors import StoreCorrupt, StoreTooNew

SCHEMA_VERSION = 1
META_TABLE = "_meta"

# What every refusal of a damaged store ends with.
DAMAGED_HINT = "; the file was left as it is (try `tibet-facts restore-backup` or move it away)"


def parse_store_bytes(raw: bytes, path: Path) -> dict[str, Any]:
    """Parse and check a store file's bytes; StoreCorrupt/StoreTooNew name the file and the cure."""
    if not raw.strip():
        raise StoreCorrupt(f"store {_shown(path)} is empty{DAMAGED_HINT}")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise StoreCorrupt(f"store {_shown(path)} is not valid JSON ({exc.args[0][:60]}){DAMAGED_HINT}") from None
    return check_store_data(data, path)


def check_store_data(data: Any, path: Path) -> dict[str, Any]:
    """A parsed store: the right shape and a schema this version can read."""
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise StoreCorrupt(f"store {_shown(path)} is not a tibet-facts store (wrong shape){DAMAGED_HINT}")
    version = schema_version(data)
    if version is None:
        raise StoreCorrupt(f"store {_shown(path)} has no schema version: not a tibet-facts store{DAMAGED_HINT}")
    if version < 1:
        raise StoreCorrupt(f"store {_shown(path)} has schema {version}: not a tibet-facts store{DAMAGED_HINT}")
    if version > SCHEMA_VERSION:
        raise StoreTooNew(
            f"store {_shown(path)} has schema {version}, newer than this tibet-facts ({SCHEMA_VERSION}): upgrade"
        )
    return data


# --- the file layout: one row a line -----------------------------------------------------
#
# The store is one JSON object of tables, written with one row a line:
#
#     {
#     "_meta":{
#     "1":{"schema_version":1}
#     },
#     "facts":{
#     "1":{"id":"…",…},
#     …
#     }
#     }
#
# It is still plain JSON (TinyDB's own storage and any JSON tool read it), and orjson never
# writes a raw newline inside a string, so a reader can take it a line at a time: each row is
# parsed alone and its repeated strings (document, metric, place, period…) are shared, which
# keeps a writer's memory at a third of a whole-file parse. A file in any other layout is
# parsed whole.

TABLE_LINE = re.compile(rb'^"((?:[^"\\]|\\.)*)":\{$')
ROW_LINE = re.compile(rb'^"(\d+)":(\{.*\}),?$')
_SHARED = ("doc_id", "doc", "unit", "base_unit", "metric_zh", "metric_en", "metric_id", "region", "region_en",
           "period", "topic", "kind", "qualifier", "publisher", "language", "encoding")


def dump_chunks(data: dict[str, Any]) -> Iterator[bytes]:
    """The store's bytes, a table header or a row at a time (never one 100 MB buffer)."""
    yield b"{\n"
    names = list(data)
    for t, name in enumerate(names):
        yield orjson.dumps(str(name)) + b":{\n"
        rows = list(data[name].items())
        for r, (key, row) in enumerate(rows):
            yield orjson.dumps(str(key)) + b":" + orjson.dumps(row) + (b",\n" if r < len(rows) - 1 else b"\n")
        yield b"},\n" if t < len(names) - 1 else b"}\n"
    yield b"}\n"


class NotLines(ValueError):
    """The file is not one row a line (it is then parsed whole)."""


def iter_rows(handle: IO[bytes], parse: Callable[[str], bool] | None = None
              ) -> Iterator[tuple[str, str | None, dict[str, Any] | None]]:
    """(table, key, row) a line at a time, with (table, None, None) as each table starts; the
    repeated strings of rows are shared. Rows of a table that `parse` refuses are matched as rows
    but not parsed (row None). Raises NotLines (or orjson's JSONDecodeError) when the file is not
    in that layout."""
    if handle.readline() != b"{\n":
        raise NotLines("first line")
    table: str | None = None
    shared: dict[str, str] = {}
    closed = False
    for line in handle:
        line = line.rstrip(b"\n")
        if closed:
            raise NotLines("bytes after the end")
        if table is None:
            if line == b"}":
                closed = True
                continue
            m = TABLE_LINE.match(line)
            if m is None:
                raise NotLines("table")
            table = orjson.loads(b'"' + m.group(1) + b'"')
            yield table, None, None
            continue
        if line in (b"}", b"},"):
            table = None
            continue
        m = ROW_LINE.match(line)
        if m is None:
            raise NotLines("row")
        if parse is not None and not parse(table):
            yield table, m.group(1).decode(), None
            continue
        row = orjson.loads(m.group(2))
        if isinstance(row, dict):
            for key in _SHARED:
                value = row.get(key)
                if type(value) is str:
                    row[key] = shared.setdefault(value, value)
        yield table, m.group(1).decode(), row
    if not closed or table is not None:
        raise NotLines("not closed")


def _read_lines(handle: IO[bytes]) -> dict[str, Any] | None:
    """The store read a line at a time; None when the file is not in that layout."""
    data: dict[str, Any] = {}
    try:
        for table, key, row in iter_rows(handle):
            rows = data.setdefault(table, {})
            if key is not None:
                rows[key] = row
    except NotLines:
        return None
    return data


def read_store_file(path: Path) -> dict[str, Any]:
    """Read and check a store file; StoreCorrupt/StoreTooNew name the file and the cure."""
    try:
        with open(path, "rb") as handle:
            try:
                data = _read_lines(handle)
            except (orjson.JSONDecodeError, UnicodeDecodeError):
                data = None
            if data is None:
                handle.seek(0)
                return parse_store_bytes(handle.read(), path)
    except FileNotFoundError:
        raise
    except IsADirectoryError:
        raise StoreCorrupt(f"store {_shown(path)} is a folder, not a file") from None
    except OSError as exc:
        raise StoreCorrupt(f"cannot read store {_shown(path)}: {exc.strerror}") from None
    return check_store_data(data, path)


def schema_version(data: dict[str, Any]) -> int | None:
    meta = data.get(META_TABLE) or {}
    for row in meta.values():
        if isinstance(row, dict) and isinstance(row.get("schema_version"), int):
            return int(row["schema_version"])
    return None


def empty_store() -> dict[str, Any]:
    return {META_TABLE: {"1": {"schema_version": SCHEMA_VERSION}}}
