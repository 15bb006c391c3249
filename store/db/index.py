"""The store's index file: a derived, disposable copy of a store that reads fast.

`<store>.index` holds the facts as a FactTable (store/table.py), the documents' metadata, the
corrections and the documents' texts, stamped with the store file's (size, mtime, inode). It
is written after every commit, under the write lock, and by a reader that found it missing or
stale. A reader trusts it only when the stamp matches the store file as it is now; anything it
cannot read is ignored and the store is read from its JSON instead. Deleting it loses nothing.

Layout: a JSON header line; the tables as one JSON blob; the numeric columns (positions, values,
dictionary codes) as machine arrays back to back; then the texts (UTF-8) back to back. The
header gives the blob's length, each array's place and type, and each text's place, so a lookup
reads the header, the blob and the arrays only (parsing 1.5 million numbers out of JSON was most
of a lookup's start at 100,000 facts), and showing a document reads its text with one `pread`.
"""

from __future__ import annotations

import contextlib
import os
import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from tibet_facts.store.db.files import atomic_write, not_regular
from tibet_facts.store.db.rows import META_TABLE, NotLines, check_store_data, iter_rows
from tibet_facts.store.errors import StoreWriteError
from tibet_facts.store.model import Correction, Document
from tibet_facts.store.table import ENCODED, FactTable, PackedStrings, TableError, code_array

# Plain columns kept as machine arrays when every value has the type: int64 or double.
_ARRAY_COLUMNS = {"start": "q", "end": "q", "quote_start": "q", "sentence_start": "q", "sentence_end": "q",
                  "value": "d", "base_value": "d"}

MAGIC = "tibet-facts-index"
VERSION = 2
Stamp = tuple[int, int, int]


def index_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".index")


def stamp_of(path: Path) -> Stamp | None:
    """What identifies one generation of the store file (each commit is a new inode)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


@dataclass
class Texts:
    """Documents' texts: in memory (read from the JSON) or read on demand from an index file.

    The index file stays open, so a text is read from the generation that was loaded even
    when a writer has replaced the file since.
    """

    memory: dict[str, str] = field(default_factory=dict)
    handle: IO[bytes] | None = None
    base: int = 0
    places: dict[str, tuple[int, int]] = field(default_factory=dict)
    # The last text read: the browser asks for the same document on every cursor move.
    last: tuple[str, str] | None = None

    def get(self, doc_id: str) -> str | None:
        if doc_id in self.memory:
            return self.memory[doc_id]
        if self.last is not None and self.last[0] == doc_id:
            return self.last[1]
        place = self.places.get(doc_id)
        if place is None or self.handle is None:
            return None
        offset, length = place
        try:
            raw = os.pread(self.handle.fileno(), length, self.base + offset)
        except (OSError, ValueError):
            return None
        if len(raw) != length:
            return None
        text = raw.decode("utf-8", errors="replace")
        self.last = (doc_id, text)
        return text

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


@dataclass
class Snapshot:
    """Everything a reader needs of one store generation."""

    table: FactTable
    documents: dict[str, Document]  # metadata only: text is empty, see texts
    corrections: dict[str, Correction]
    texts: Texts


def snapshot_from_data(data: dict[str, Any]) -> Snapshot:
    """The slow path: a snapshot from the store's parsed (and checked) JSON."""
    rows = ((name, key, row) for name, table in data.items() for key, row in table.items())
    return _snapshot_of_rows(rows, None)


def _as_array(col: Any, typecode: str) -> array | None:  # type: ignore[type-arg]
    """A column as an array of this type, or None when a value does not fit it exactly."""
    if isinstance(col, array) and col.typecode == typecode:
        return col
    want = float if typecode == "d" else int
    if not all(type(v) is want for v in col):
        return None
    try:
        return array(typecode, col)
    except OverflowError:
        return None


# Kinds of packed columns besides array type codes: strings (PackedStrings), and one string.
_STRINGS, _STRING = "strings", "string"


def _packed(table: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]], list[bytes]]:
    """The table's JSON without its bulk columns, where those went, and their bytes: numbers as
    machine arrays, the quotes as UTF-8 with their offsets (decoded one by one when shown), their
    joined lower-case copy (searched) as one UTF-8 string: 100,000 JSON strings parse slowly."""
    table = {**table, "plain": dict(table["plain"]), "codes": dict(table["codes"]),
             "quotes": dict(table.get("quotes") or {})}
    places: dict[str, list[Any]] = {}
    parts: list[bytes] = []

    def put(key: str, data: bytes, count: int, kind: str) -> None:
        places[key] = [sum(map(len, parts)), len(data), kind, count]
        parts.append(data)
        section, name = key.split(".", 1)
        del table[section][name]

    wanted = [("plain", name, code) for name, code in _ARRAY_COLUMNS.items()]
    wanted += [("codes", name, code_array((), len(table["vocab"][name])).typecode) for name in ENCODED]
    wanted += [("quotes", "starts", "q")] if "starts" in table["quotes"] else []
    for section, name, typecode in wanted:
        packed = _as_array(table[section][name], typecode)
        if packed is not None:  # else it stays in the JSON
            put(f"{section}.{name}", packed.tobytes(), len(packed), typecode)
    quotes = table["plain"]["quote"]
    if isinstance(quotes, PackedStrings) or all(type(q) is str for q in quotes):
        strings = quotes if isinstance(quotes, PackedStrings) else PackedStrings.of(quotes)
        put("plain.quote", strings.offsets.tobytes() + bytes(strings.data), len(strings), _STRINGS)
    if isinstance(table["quotes"].get("text"), str):
        put("quotes.text", table["quotes"]["text"].encode("utf-8", "surrogatepass"), 1, _STRING)
    return table, places, parts


# The slow path gathers fact rows into a column table this many at a time.
ROW_BATCH = 50_000


def snapshot_from_file(store_path: Path) -> Snapshot | None:
    """The slow path without the whole store in memory: the rows read a line at a time, the
    facts made into column tables a batch of rows at a time and merged (at 500,000 facts the
    row dicts alone took 1 GB). None when the file is not one row a line, or a row is not JSON:
    the caller then parses it whole, which names what is wrong. Raises StoreCorrupt/StoreTooNew
    for a store of the wrong shape or schema, and TypeError/ValueError for a malformed record."""
    try:
        with open(store_path, "rb") as handle:
            return _snapshot_of_rows(iter_rows(handle), store_path)
    except FileNotFoundError:
        raise
    except (NotLines, orjson.JSONDecodeError, UnicodeDecodeError, OSError):
        return None  # a folder, an unreadable file: the whole-file read says which


def _snapshot_of_rows(rows: Iterator[tuple[str, str | None, dict[str, Any] | None]],
                      path: Path | None) -> Snapshot:
    """A snapshot of (table, key, row) triples; the schema is checked as the first other table
    starts when path (the file they come from) is given."""
    meta: dict[str, Any] = {}
    documents: dict[str, Document] = {}
    texts: dict[str, str] = {}
    corrections: dict[str, Correction] = {}
    tables: list[FactTable] = []
    batch: list[dict[str, Any]] = []
    unchecked = path  # the file whose schema is still to be checked
    for name, key, row in rows:
        if unchecked is not None and name != META_TABLE:  # our writer puts the schema first
            check_store_data({META_TABLE: meta}, unchecked)
            unchecked = None
        if key is None:
            continue
        if name == META_TABLE:
            meta[key] = row
        elif name == "documents":
            doc = Document.from_dict(row)  # type: ignore[arg-type]
            texts[doc.id], doc.text = doc.text, ""
            documents[doc.id] = doc
        elif name == "facts":
            batch.append(row)  # type: ignore[arg-type]
            if len(batch) >= ROW_BATCH:
                tables.append(FactTable.from_rows(batch))
                batch = []
        elif name == "corrections":
            corr = Correction.from_dict(row)  # type: ignore[arg-type]
            corrections[corr.fact_id] = corr
    if unchecked is not None:
        check_store_data({META_TABLE: meta}, unchecked)
    last = FactTable.from_rows(batch)
    table = FactTable.merged(*tables, last) if tables else last
    return Snapshot(table, documents, corrections, Texts(memory=texts))


def write_index(store_path: Path, stamp: Stamp, snap: Snapshot) -> bool:
    """Write the index of one store generation atomically; False when it cannot (it is only
    a cache: a read-only folder or a full disk just means reads take the slow path)."""
    table, arrays, parts = _packed(snap.table.columns())
    blob = orjson.dumps({
        "table": table,
        "documents": [d.to_dict() for d in snap.documents.values()],
        "corrections": [c.to_dict() for c in snap.corrections.values()],
    })
    places: dict[str, tuple[int, int]] = {}
    offset = 0
    for doc_id in snap.documents:  # lengths first (the header leads); texts are encoded again as written
        size = len((snap.texts.get(doc_id) or "").encode("utf-8"))
        places[doc_id] = (offset, size)
        offset += size
    header = orjson.dumps({"magic": MAGIC, "version": VERSION, "stamp": list(stamp), "blob": len(blob),
                           "byteorder": sys.byteorder, "arrays": arrays,
                           "arrays_size": sum(map(len, parts)), "texts": places})
    def chunks() -> Iterator[bytes]:
        yield header + b"\n"
        yield blob
        yield from parts
        for doc_id in snap.documents:
            yield (snap.texts.get(doc_id) or "").encode("utf-8")

    try:
        atomic_write(index_path(store_path), chunks(), what="index", backup=False, hook=False)
        return True
    except StoreWriteError:
        return False


def read_index(store_path: Path, stamp: Stamp) -> Snapshot | None:
    """The snapshot in the index when it belongs to this store generation, else None. Only a
    regular file is opened (a FIFO there would hang the reader; it is only a cache)."""
    if not_regular(index_path(store_path)) is not None:
        return None
    try:
        handle = open(index_path(store_path), "rb")  # noqa: SIM115 - kept open for Texts
    except OSError:
        return None
    try:
        snap = _read(handle, stamp)
    except (OSError, ValueError, TypeError, KeyError, TableError, orjson.JSONDecodeError):
        snap = None
    if snap is None:
        handle.close()
    return snap


def _read(handle: IO[bytes], stamp: Stamp) -> Snapshot | None:
    header = orjson.loads(handle.readline(1 << 26))
    if not isinstance(header, dict) or header.get("magic") != MAGIC or header.get("version") != VERSION:
        return None
    if tuple(header.get("stamp") or ()) != stamp:
        return None
    size = int(header["blob"])
    raw = handle.read(size)
    if len(raw) != size:
        return None
    body = orjson.loads(raw)
    if not _unpack(handle, header, body["table"]):
        return None
    table = FactTable.from_json(body["table"])
    documents = {d.id: d for d in (Document.from_dict(row) for row in body["documents"])}
    corrections = {c.fact_id: c for c in (Correction.from_dict(row) for row in body["corrections"])}
    places = {str(k): (int(v[0]), int(v[1])) for k, v in dict(header["texts"]).items()}
    texts = Texts(handle=handle, base=handle.tell(), places=places)
    return Snapshot(table, documents, corrections, texts)


def _unpack(handle: IO[bytes], header: dict[str, Any], table: dict[str, Any]) -> bool:
    """Put the packed columns (read from the region after the blob) back into the table's JSON."""
    if header.get("byteorder") != sys.byteorder:
        return False
    size = int(header["arrays_size"])
    raw = memoryview(handle.read(size))
    if len(raw) != size:
        return False
    for key, (offset, length, kind, count) in dict(header["arrays"]).items():
        section, name = str(key).split(".", 1)
        start, end = int(offset), int(offset) + int(length)
        if section not in ("plain", "codes", "quotes") or end > size:
            return False
        table.setdefault(section, {})[name] = _column(raw[start:end], str(kind), int(count))
    return True


def _column(raw: memoryview, kind: str, count: int) -> Any:
    """One packed column back: an array, a list of strings or one string; ValueError when it
    does not hold `count` values."""
    values: PackedStrings | array[Any]
    if kind == _STRING:
        return str(raw, "utf-8", "surrogatepass")
    if kind == _STRINGS:  # n + 1 byte offsets, then the UTF-8 of the n strings back to back
        offsets = array("q")
        offsets.frombytes(raw[:(count + 1) * offsets.itemsize])
        if len(offsets) != count + 1:
            raise ValueError("a packed column of the wrong length")
        values = PackedStrings(raw[len(offsets) * offsets.itemsize:], offsets)
    else:
        values = array(kind)
        values.frombytes(raw)
    if len(values) != count:
        raise ValueError("a packed column of the wrong length")
    return values


def remove_stale_index_temps(store_path: Path) -> None:
    target = index_path(store_path)
    for stale in target.parent.glob(f".{target.name}.tmp-*"):
        with contextlib.suppress(OSError):
            stale.unlink()
