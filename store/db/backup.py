"""Putting the previous generation of a store (`<store>.bak`) back."""

from __future__ import annotations

from pathlib import Path

from tibet_facts.store.db.files import atomic_write
from tibet_facts.store.db.files import shown as _shown
from tibet_facts.store.db.lock import StoreLock
from tibet_facts.store.db.rows import parse_store_bytes
from tibet_facts.store.errors import StoreCorrupt


def restore_backup(path: Path) -> None:
    """Put `<store>.bak` (the previous generation) back, atomically, under the write lock."""
    backup = path.with_name(path.name + ".bak")
    if not backup.exists():
        raise StoreCorrupt(f"no backup of {_shown(path)} to restore ({_shown(backup)} is missing)")
    with StoreLock(path):
        raw = backup.read_bytes()
        parse_store_bytes(raw, backup)  # refuse to restore a damaged backup
        atomic_write(path, raw)
