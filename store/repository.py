"""The fact store: one TinyDB JSON file, written in atomic batches, read through its index.

The TinyDB JSON file is the store: the only thing a write commits and a backup keeps. Reads
never go back to TinyDB's per-search file re-read and full scan: a process loads one snapshot,
from the index file (store/db/index.py) when it belongs to the file's current generation, else
from the JSON, and filters it in memory (store/table.py). Writes take the lock, re-read the
file (another process may have written since we loaded), apply the whole batch, commit once
(store/db/) and then write the index of what they committed. Edits go through TinyDB's
tables; an ingest appends its rows to the file as it copies it (store/db/append.py), so that its
memory does not grow with the store or with the facts it found.
"""

from __future__ import annotations

import contextlib
import gc
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tinydb import TinyDB

from tibet_facts.store.db.files import atomic_write, check_regular, remove_stale_temps
from tibet_facts.store.db.index import (
    Snapshot,
    Stamp,
    Texts,
    read_index,
    remove_stale_index_temps,
    snapshot_from_data,
    snapshot_from_file,
    stamp_of,
    write_index,
)
from tibet_facts.store.db.rows import DAMAGED_HINT
from tibet_facts.store.db.tinystore import AtomicJSONStorage
from tibet_facts.store.errors import StoreCorrupt, TibetFactsError
from tibet_facts.store.model import Correction, Document, Fact
from tibet_facts.store.query import Query
from tibet_facts.store.sanitize import safe_text
from tibet_facts.store.table import FactTable

if TYPE_CHECKING:  # appending is for writers: lookups do not import it
    from tibet_facts.store.db.append import Layout
    from tibet_facts.store.db.spool import FactSpool

T = TypeVar("T")

DOCS, FACTS, CORRECTIONS = "documents", "facts", "corrections"


def _without_gc(build: Callable[[], T]) -> T:
    """Building 100,000 records triggers many useless cycle collections; none are cycles."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        return build()
    finally:
        if was_on:
            gc.enable()


def _checked_snapshot(path: Path, data: dict[str, Any]) -> Snapshot:
    """A snapshot of parsed store data; rows of the wrong shape or type name the file."""
    try:
        return _without_gc(lambda: snapshot_from_data(data))
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        shown = safe_text(str(path), single_line=True)
        raise StoreCorrupt(f"store {shown} has a malformed record ({type(exc).__name__}){DAMAGED_HINT}") from None


def _empty_snapshot() -> Snapshot:
    return Snapshot(FactTable.from_rows([]), {}, {}, Texts())


def _rows(db: TinyDB, table: str) -> Iterable[dict[str, Any]]:
    """A table's rows as stored, for reading under the lock: TinyDB's `Table.all()` copies
    every row (100,000 dict copies for a large store)."""
    data = db.storage.read() or {}
    return (data.get(table) or {}).values()


def _snapshot(path: Path) -> tuple[Snapshot, Stamp | None]:
    check_regular(path)
    stamp = stamp_of(path)
    snap = _without_gc(lambda: read_index(path, stamp)) if stamp else None
    return (snap or _slow_snapshot(path, stamp)), stamp


def _slow_snapshot(path: Path, stamp: Stamp | None) -> Snapshot:
    """Read the JSON itself (no index yet, or a stale one) and leave an index for next time."""
    try:
        streamed = _without_gc(lambda: snapshot_from_file(path))
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        shown = safe_text(str(path), single_line=True)
        raise StoreCorrupt(f"store {shown} has a malformed record ({type(exc).__name__}){DAMAGED_HINT}") from None
    except FileNotFoundError:
        streamed = None
    snap = streamed or _checked_snapshot(path, AtomicJSONStorage(path).load())
    if stamp is not None and stamp_of(path) == stamp:  # not replaced while we read it
        write_index(path, stamp, snap)
    return snap


@dataclass(frozen=True, slots=True)
class AddResult:
    """What one committed batch added (duplicates by content hash or fact id are skipped)."""

    documents: int
    facts: int
    skipped_documents: int


@dataclass
class _State:
    """One loaded generation and what was built from it on demand."""

    snap: Snapshot
    stamp: Stamp | None
    facts: list[Fact] | None = None
    by_id: dict[str, Fact] | None = None


class FactStore:
    """The facts, documents and corrections of one store file, as one snapshot in memory."""

    def __init__(self, path: Path, snap: Snapshot, stamp: Stamp | None) -> None:
        self.path = path
        self._set(snap, stamp)

    @classmethod
    def open(cls, path: Path | str) -> FactStore:
        """Read the store: from its index when that belongs to this generation of the file, else
        from the JSON (and the index is written for the next reader). An absent file is an empty
        store. Raises StoreCorrupt/StoreTooNew."""
        path = Path(path)
        return cls(path, *_snapshot(path))

    def _set(self, snap: Snapshot, stamp: Stamp | None) -> None:
        """Swap in a whole new generation. Readers in other threads see the old snapshot or the
        new one, never a half-built or emptied one: the new one is complete before it is
        published in one assignment. The old one's index file closes when nobody holds it."""
        snap.table.apply_corrections(snap.corrections)
        self._state = _State(snap, stamp)

    @property
    def snapshot(self) -> Snapshot:
        """The generation loaded now: read it once to see one consistent store."""
        return self._state.snap

    @property
    def table(self) -> FactTable:
        return self._state.snap.table

    @property
    def documents(self) -> dict[str, Document]:
        return self._state.snap.documents

    @property
    def corrections(self) -> dict[str, Correction]:
        return self._state.snap.corrections

    @property
    def _texts(self) -> Texts:
        return self._state.snap.texts

    @property
    def _stamp(self) -> Stamp | None:
        return self._state.stamp

    # --- reading -------------------------------------------------------------------------

    @property
    def facts(self) -> list[Fact]:
        """Every fact as extracted, in (document, position) order; built on first use."""
        state = self._state
        if state.facts is None:
            table = state.snap.table
            state.facts = _without_gc(lambda: [table.raw(i) for i in range(table.n)])
        return state.facts

    @property
    def by_id(self) -> dict[str, Fact]:
        state = self._state
        if state.by_id is None:
            state.by_id = {f.id: f for f in self.facts}
        return state.by_id

    def exists(self) -> bool:
        return self.path.exists()

    def find(self, query: Query, *, include_rejected: bool = False) -> list[Fact]:
        """The facts matching a query, corrections applied, in (document, position) order."""
        rows = self.table.select(query, include_rejected=include_rejected)
        return self.table.facts(rows)

    def visible_facts(self, *, include_rejected: bool = False) -> list[Fact]:
        """Facts as the user sees them: corrections applied, rejected ones hidden unless asked."""
        return self.find(Query(), include_rejected=include_rejected)

    def count_by(self, *fields: str, query: Query | None = None) -> Counter[Any]:
        """How many visible facts (matching a query) have each value of a field, or each
        combination of several fields (tuples): what facets and listings count."""
        rows = self.table.select(query or Query())
        if len(fields) == 1:
            return self.table.count(fields[0], rows)
        return self.table.count_pairs(tuple(fields), rows)

    def region_tree(self, query: Query | None = None) -> Counter[tuple[str, ...]]:
        """Per path of the region tree (region -> prefecture -> county -> town), how many visible
        facts are at that place or under it."""
        counts: Counter[tuple[str, ...]] = Counter()
        for (region, path), n in self.count_by("region", "region_path", query=query).items():
            full = tuple(path or [region])
            for i in range(1, len(full) + 1):
                counts[full[:i]] += n
        return counts

    def fact(self, fact_id: str) -> Fact | None:
        """One fact by id, corrections applied."""
        row = self.table.row_of(fact_id)
        return None if row is None else self.table.fact(row)

    def document(self, doc_id: str) -> Document | None:
        """A document with its full text (metadata is in `documents`; texts are read on demand)."""
        meta = self.documents.get(doc_id)
        if meta is None:
            return None
        text = self._texts.get(doc_id)
        return replace(meta, text=text or "")

    def is_rejected(self, fact_id: str) -> bool:
        corr = self.corrections.get(fact_id)
        return bool(corr and corr.rejected)

    def changed_on_disk(self) -> bool:
        """True when another process has committed since we loaded (size, mtime or inode differ)."""
        return stamp_of(self.path) != self._stamp

    def reload(self) -> None:
        self._set(*_snapshot(self.path))

    # --- writing -------------------------------------------------------------------------

    def _write(self, apply: Callable[[TinyDB], Any], *, wait: bool = True,
               notify: Callable[[str], None] | None = None) -> Any:
        """Lock, re-read, apply one batch through TinyDB, commit once, reload what was written."""
        check_regular(self.path)
        from tibet_facts.store.db.lock import StoreLock  # writers only

        with StoreLock(self.path, wait=wait, notify=notify):
            remove_stale_temps(self.path)
            old_stamp = self._stamp
            try:
                return self._write_locked(apply, old_stamp)
            except BaseException:
                with contextlib.suppress(TibetFactsError):
                    self.reload()  # the snapshot was let go of to make room; read it back
                raise

    def _write_locked(self, apply: Callable[[TinyDB], Any], old_stamp: Stamp | None) -> Any:
        # The loaded snapshot stays published while the file is read and written: a reader in
        # another thread (the browser's) never sees the store emptied, only the swap at the end.
        db = TinyDB(str(self.path), storage=AtomicJSONStorage)
        storage: AtomicJSONStorage = db.storage  # type: ignore[assignment]
        with storage.batch():
            result = apply(db)
        stamp = stamp_of(self.path)
        if not storage.writes and stamp == old_stamp:
            storage.close()
            self.reload()  # nothing changed: the index still holds it
            return result
        snap = _checked_snapshot(self.path, storage.read() or {})
        storage.close()
        if stamp is not None:
            remove_stale_index_temps(self.path)
            write_index(self.path, stamp, snap)
        self._set(snap, stamp)
        return result

    def add(self, documents: Iterable[Document], facts: Iterable[Fact], *, wait: bool = True,
            notify: Callable[[str], None] | None = None) -> AddResult:
        """Store new documents and their facts in one atomic write; known ones are skipped."""
        docs, new_facts = list(documents), list(facts)

        def apply(db: TinyDB) -> AddResult:
            have_docs = {row.get("id") for row in _rows(db, DOCS)}
            fresh = [d for d in docs if d.id not in have_docs]
            fresh_ids = {d.id for d in fresh}
            have_facts = {row.get("id") for row in _rows(db, FACTS)}
            add_facts = [f for f in new_facts if f.doc_id in fresh_ids and f.id not in have_facts]
            if fresh:
                db.table(DOCS).insert_multiple(d.to_dict() for d in fresh)
            if add_facts:
                db.table(FACTS).insert_multiple(f.to_dict() for f in add_facts)
            return AddResult(len(fresh), len(add_facts), len(docs) - len(fresh))

        return self._write(apply, wait=wait, notify=notify)

    def append(self, documents: Iterable[Document], spool: FactSpool, *, wait: bool = True,
               notify: Callable[[str], None] | None = None, reload: bool = True) -> AddResult:
        """Store new documents and their spooled facts in one atomic write that copies the old
        rows through instead of loading them (store/db/append.py); known documents are skipped.
        With reload=False the new generation is not read back (a huge one costs what the ingest
        saved): `changed_on_disk()` is then True and the next reader builds the index."""
        from tibet_facts.store.db.append import scan

        docs = list({d.id: d for d in documents}.values())
        check_regular(self.path)
        from tibet_facts.store.db.lock import StoreLock  # writers only

        with StoreLock(self.path, wait=wait, notify=notify):
            remove_stale_temps(self.path)
            # Nobody wrote since this snapshot was read: its rows were checked then, and the new
            # generation is this snapshot plus the new facts (no re-read of the whole store).
            current = self._stamp is not None and stamp_of(self.path) == self._stamp
            layout = scan(self.path, check_rows=not current)
            if layout is not None:
                if current:
                    layout.doc_ids = set(self.documents)
                return self._append_locked(layout, docs, spool, reload=reload, current=current)
        # Not one row a line (or damaged): the TinyDB way, which says what is wrong with it.
        facts = [f for d in docs if d.id not in self.documents for f in spool.facts(d.id)]
        return self.add(docs, facts, wait=wait, notify=notify)

    def _append_locked(self, layout: Layout, docs: list[Document], spool: FactSpool, *, reload: bool,
                       current: bool) -> AddResult:
        from tibet_facts.store.db.append import Row, appended, document_row

        fresh = [d for d in docs if d.id not in layout.doc_ids]
        if not fresh:
            return AddResult(0, 0, len(docs))
        merge = reload and current
        additions: dict[str, Iterable[Row]] = {
            DOCS: [document_row({k: v for k, v in d.to_dict().items() if k != "text"}, d.text) for d in fresh],
            FACTS: ([row] for d in fresh for row in spool.rows(d.id)),
        }
        try:
            atomic_write(self.path, appended(self.path, layout, additions))
            remove_stale_index_temps(self.path)
            if merge:
                snap, stamp = self._with(fresh, spool), stamp_of(self.path)
                if stamp is not None:
                    write_index(self.path, stamp, snap)
                self._set(snap, stamp)
            elif reload:
                self._set(*_snapshot(self.path))
            else:
                # Not read back (a huge ingest): an empty snapshot that is never current, so
                # that changed_on_disk() is True and the next read loads the new generation.
                self._set(_empty_snapshot(), None)
        except BaseException:
            with contextlib.suppress(TibetFactsError):
                self.reload()
            raise
        return AddResult(len(fresh), sum(spool.count(d.id) for d in fresh), len(docs) - len(fresh))

    def _with(self, fresh: list[Document], spool: FactSpool) -> Snapshot:
        """This snapshot with new documents and their spooled facts (the texts of the old ones
        still read from the index file this snapshot holds open)."""
        import orjson

        added = FactTable.from_rows(orjson.loads(row) for d in fresh for row in spool.rows(d.id))
        old = self._texts
        texts = Texts(memory={**old.memory, **{d.id: d.text for d in fresh}}, handle=old.handle, base=old.base,
                      places=old.places)
        # The handle is shared with the old snapshot, which readers may still hold: nobody
        # closes it explicitly; it closes when the last snapshot holding it is collected.
        documents = {**self.documents, **{d.id: replace(d, text="") for d in fresh}}
        return Snapshot(FactTable.merged(self.table, added), documents, dict(self.corrections), texts)

    def replace_facts(self, facts_by_doc: dict[str, list[Fact]], *, wait: bool = True) -> int:
        """Rebuild: each named document's facts are replaced by a new extraction (corrections kept)."""

        def apply(db: TinyDB) -> int:
            table = db.table(FACTS)
            keep = [row for row in _rows(db, FACTS) if row.get("doc_id") not in facts_by_doc]
            table.truncate()
            fresh: list[dict[str, Any]] = [f.to_dict() for facts in facts_by_doc.values() for f in facts]
            table.insert_multiple([*keep, *fresh])
            return len(fresh)

        return self._write(apply, wait=wait)

    def set_correction(self, correction: Correction, *, wait: bool = True) -> None:
        """Save one fact's correction whole, replacing what it had (an import, a model test)."""
        self._write(lambda db: _put_corrections(db, [correction]), wait=wait)

    def correct(self, fact_id: str, changes: dict[str, Any], *, wait: bool = True) -> Correction:
        """Change some corrected fields of one fact (and `rejected`), keeping the others: the
        merge is made under the lock, from the corrections as stored now."""
        return self.correct_many({fact_id: changes}, wait=wait)[fact_id]

    def correct_many(self, changes: dict[str, dict[str, Any]], *, wait: bool = True) -> dict[str, Correction]:
        """`correct` for many facts in one write (an imported corrections file)."""

        def apply(db: TinyDB) -> dict[str, Correction]:
            stored = {str(r.get("fact_id")): r for r in db.table(CORRECTIONS).all()}
            merged = {}
            for fact_id, fields in changes.items():
                row = stored.get(fact_id)
                old = Correction.from_dict(dict(row)) if row else Correction(fact_id=fact_id)
                merged[fact_id] = old.merged(fields)
            _put_corrections(db, list(merged.values()))
            return merged

        return self._write(apply, wait=wait)

    def clear_correction(self, fact_id: str) -> None:
        def apply(db: TinyDB) -> None:
            rows = [row for row in db.table(CORRECTIONS).all() if row.get("fact_id") != fact_id]
            db.table(CORRECTIONS).truncate()
            db.table(CORRECTIONS).insert_multiple(rows)

        self._write(apply)


def _put_corrections(db: TinyDB, corrections: list[Correction]) -> None:
    """Store corrections in place of the facts' old ones; an empty one is dropped."""
    table = db.table(CORRECTIONS)
    rows: dict[str, dict[str, Any]] = {str(row.get("fact_id")): dict(row) for row in table.all()}
    for correction in corrections:
        if correction.is_empty():
            rows.pop(correction.fact_id, None)
        else:
            rows[correction.fact_id] = correction.to_dict()
    table.truncate()
    table.insert_multiple(rows.values())
