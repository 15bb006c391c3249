"""The fact store: one TinyDB JSON file, loaded once per process, written in atomic batches.

Reads never go back to TinyDB's per-search file re-read and full scan: the file is parsed once
into Fact and Document objects and filtered in memory (store/query.py). Writes take the lock,
re-read the file (another process may have written since we loaded), apply the whole batch
through TinyDB tables and commit once (store/storage.py).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from tibet_facts.store.model import Correction, Document, Fact
from tibet_facts.store.storage import AtomicJSONStorage, StoreLock, remove_stale_temps

DOCS, FACTS, CORRECTIONS = "documents", "facts", "corrections"


def default_store_path() -> Path:
    """$TIBET_FACTS_STORE, else the XDG data folder: ~/.local/share/tibet-facts/facts.json."""
    env = os.environ.get("TIBET_FACTS_STORE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tibet-facts" / "facts.json"


@dataclass(frozen=True, slots=True)
class AddResult:
    """What one committed batch added (duplicates by content hash or fact id are skipped)."""

    documents: int
    facts: int
    skipped_documents: int


class FactStore:
    """The facts, documents and corrections of one store file, in memory."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self._load(data)

    @classmethod
    def open(cls, path: Path | str) -> FactStore:
        """Read the store once; an absent file is an empty store. Raises StoreCorrupt/StoreTooNew."""
        path = Path(path)
        storage = AtomicJSONStorage(path)
        return cls(path, storage.load())

    def _load(self, data: dict[str, Any]) -> None:
        # Creating 100,000 records triggers many useless cycle collections; none are cycles.
        gc_was_on = gc.isenabled()
        gc.disable()
        try:
            self._build(data)
        finally:
            if gc_was_on:
                gc.enable()

    def _build(self, data: dict[str, Any]) -> None:
        self.documents: dict[str, Document] = {}
        for row in (data.get(DOCS) or {}).values():
            doc = Document.from_dict(row)
            self.documents[doc.id] = doc
        self.facts: list[Fact] = [Fact.from_dict(row) for row in (data.get(FACTS) or {}).values()]
        self.facts.sort(key=lambda f: (f.doc, f.start))
        self.by_id: dict[str, Fact] = {f.id: f for f in self.facts}
        self.corrections: dict[str, Correction] = {}
        for row in (data.get(CORRECTIONS) or {}).values():
            corr = Correction.from_dict(row)
            self.corrections[corr.fact_id] = corr
        self._stamp = self._file_stamp()

    def _file_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    # --- reading -------------------------------------------------------------------------

    def exists(self) -> bool:
        return self.path.exists()

    def visible_facts(self, *, include_rejected: bool = False) -> list[Fact]:
        """Facts as the user sees them: corrections applied, rejected ones hidden unless asked."""
        out = []
        for fact in self.facts:
            corr = self.corrections.get(fact.id)
            if corr is None:
                out.append(fact)
            elif include_rejected or not corr.rejected:
                out.append(corr.apply(fact))
        return out

    def is_rejected(self, fact_id: str) -> bool:
        corr = self.corrections.get(fact_id)
        return bool(corr and corr.rejected)

    def changed_on_disk(self) -> bool:
        """True when another process has committed since we loaded (inode, mtime or size differ)."""
        return self._file_stamp() != self._stamp

    def reload(self) -> None:
        self._load(AtomicJSONStorage(self.path).load())

    # --- writing -------------------------------------------------------------------------

    def _write(self, apply: Callable[[TinyDB], Any], *, wait: bool = True,
               notify: Callable[[str], None] | None = None) -> Any:
        """Lock, re-read, apply one batch through TinyDB, commit once, reload what was written."""
        with StoreLock(self.path, wait=wait, notify=notify):
            remove_stale_temps(self.path)
            db = TinyDB(str(self.path), storage=AtomicJSONStorage)
            storage: AtomicJSONStorage = db.storage  # type: ignore[assignment]
            with storage.batch():
                result = apply(db)
            self._load(storage.read() or {})
        return result

    def add(self, documents: Iterable[Document], facts: Iterable[Fact], *, wait: bool = True,
            notify: Callable[[str], None] | None = None) -> AddResult:
        """Store new documents and their facts in one atomic write; known ones are skipped."""
        docs, new_facts = list(documents), list(facts)

        def apply(db: TinyDB) -> AddResult:
            have_docs = {row.get("id") for row in db.table(DOCS).all()}
            fresh = [d for d in docs if d.id not in have_docs]
            fresh_ids = {d.id for d in fresh}
            have_facts = {row.get("id") for row in db.table(FACTS).all()}
            add_facts = [f for f in new_facts if f.doc_id in fresh_ids and f.id not in have_facts]
            if fresh:
                db.table(DOCS).insert_multiple(d.to_dict() for d in fresh)
            if add_facts:
                db.table(FACTS).insert_multiple(f.to_dict() for f in add_facts)
            return AddResult(len(fresh), len(add_facts), len(docs) - len(fresh))

        return self._write(apply, wait=wait, notify=notify)

    def replace_facts(self, facts_by_doc: dict[str, list[Fact]], *, wait: bool = True) -> int:
        """Rebuild: each named document's facts are replaced by a new extraction (corrections kept)."""

        def apply(db: TinyDB) -> int:
            table = db.table(FACTS)
            keep = [row for row in table.all() if row.get("doc_id") not in facts_by_doc]
            table.truncate()
            fresh: list[dict[str, Any]] = [f.to_dict() for facts in facts_by_doc.values() for f in facts]
            table.insert_multiple([*keep, *fresh])
            return len(fresh)

        return self._write(apply, wait=wait)

    def set_correction(self, correction: Correction, *, wait: bool = True) -> None:
        """Save (or replace) the user's correction of one fact."""

        def apply(db: TinyDB) -> None:
            table = db.table(CORRECTIONS)
            rows: dict[str, dict[str, Any]] = {str(row.get("fact_id")): dict(row) for row in table.all()}
            rows[correction.fact_id] = correction.to_dict()
            table.truncate()
            table.insert_multiple(rows.values())

        self._write(apply, wait=wait)

    def clear_correction(self, fact_id: str) -> None:
        def apply(db: TinyDB) -> None:
            rows = [row for row in db.table(CORRECTIONS).all() if row.get("fact_id") != fact_id]
            db.table(CORRECTIONS).truncate()
            db.table(CORRECTIONS).insert_multiple(rows)

        self._write(apply)
