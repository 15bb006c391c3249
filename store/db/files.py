"""Files written so that a crash leaves the old or the new, never a mix.

`atomic_write` is the one writer of the store, its index and exports: a temp file in the same
folder, fsync, the old generation hard-linked to `.bak`, `os.replace`, then an fsync of the
folder. Every file operation of a write goes through `_step(name)`, so tests can end the
process at any step and check that the file is then old or new (crash-point injection).
Paths that are not regular files (a FIFO hangs a reader, /dev/zero never ends) are refused.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from tibet_facts.store.errors import StoreCorrupt, StoreWriteError, file_kind, os_reason
from tibet_facts.store.sanitize import safe_text

# Crash-point injection: a test sets this to a callable that may end the process at a named step.
crash_hook: Callable[[str], None] | None = None


def _step(name: str) -> None:
    if crash_hook is not None:
        crash_hook(name)


def shown(path: Path) -> str:
    """A path as it may appear in a one-line message (no control characters, no newline)."""
    return safe_text(str(path), single_line=True)


def not_regular(path: Path) -> str | None:
    """What path is when it is there but is not a regular file ("a FIFO", "a device"), else
    None. Reading a FIFO hangs and /dev/zero never ends: neither is ever opened as a store."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return os_reason(exc)  # a symlink loop, a bad folder
    return None if stat.S_ISREG(mode) else file_kind(mode)


def check_regular(path: Path) -> None:
    """StoreCorrupt (exit 65) unless the store is absent or a regular file."""
    kind = not_regular(path)
    if kind is not None:
        raise StoreCorrupt(f"store {shown(path)} is {kind}, not a store file")


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _new_file_mode(path: Path) -> int:
    """The mode the written file gets: the old file's (a 0444 store stays 0444), else what
    the umask gives a new file (0644 under the usual 022), as users expect of any tool."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def atomic_write(path: Path, payload: bytes | Iterable[bytes], *, what: str = "store",
                 backup: bool = True, hook: bool = True) -> None:
    """Write payload (bytes, or chunks of it) to path so that a crash at any point leaves the
    old or the new file: temp file in the same folder, fsync, (the old generation hard-linked
    to `.bak`), rename, fsync of the folder. The one atomic writer of the store, its index and
    exports. Any OS failure is one StoreWriteError naming the file; nothing is left behind."""
    step = _step if hook else (lambda name: None)
    folder = path.parent
    tmp: Path | None = None
    try:
        step("temp_create")
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=folder)
        tmp = Path(tmp_name)
        os.fchmod(fd, _new_file_mode(path))
        with os.fdopen(fd, "wb") as handle:
            step("write")
            if isinstance(payload, bytes):
                handle.write(payload)
            else:
                handle.writelines(payload)
            step("flush")
            handle.flush()
            step("fsync")
            os.fsync(handle.fileno())
        if backup and path.exists():
            step("backup")
            _link_backup(path)
        step("replace")
        os.replace(tmp, path)
        step("dir_fsync")
        _fsync_dir(folder)
    except OSError as exc:
        _discard(tmp)
        raise StoreWriteError(_write_failure(path, exc, what)) from None
    except BaseException:
        _discard(tmp)
        raise


def _link_backup(path: Path) -> None:
    backup = path.with_name(path.name + ".bak")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(backup)
    os.link(path, backup)


def _discard(tmp: Path | None) -> None:
    if tmp is not None:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _write_failure(path: Path, exc: OSError, what: str) -> str:
    reason = os_reason(exc)
    where = f" ({shown(Path(exc.filename))})" if exc.filename and str(exc.filename) != str(path) else ""
    unchanged = "; the old store is unchanged" if what == "store" else ""
    return f"cannot write {what} {shown(path)}: {reason}{where}{unchanged}"


def remove_stale_temps(path: Path) -> int:
    """Temp files left by a writer that died; called under the write lock, so none is live."""
    removed = 0
    for stale in path.parent.glob(f".{path.name}.tmp-*"):
        with contextlib.suppress(OSError):
            stale.unlink()
            removed += 1
    return removed
