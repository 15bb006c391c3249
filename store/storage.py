"""The TinyDB storage and lock that make the one-file store durable.

TinyDB's own JSONStorage rewrites the file in place (seek, write, truncate), so a failed write
leaves it corrupt (shared/RELIABILITY.md). `AtomicJSONStorage` writes a temp file in the same
folder, fsyncs it, keeps the previous generation as `.bak`, `os.replace`s, then fsyncs the folder.
`StoreLock` is an `fcntl.flock` on a side file: the kernel drops it when the process dies, so a
`kill -9` never leaves a lock that blocks the next run.

Every file operation of a write goes through `_step(name)`, so tests can end the process at
any step and check that the store is then old or new, never a mix (crash-point injection).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson
from tinydb.storages import Storage

from tibet_facts.store.errors import (
    StoreBusy,
    StoreCorrupt,
    StoreTooNew,
    StoreWriteError,
    file_kind,
    os_reason,
)
from tibet_facts.store.sanitize import safe_text

SCHEMA_VERSION = 1
META_TABLE = "_meta"

# What every refusal of a damaged store ends with.
DAMAGED_HINT = "; the file was left as it is (try `tibet-facts restore-backup` or move it away)"

# Crash-point injection: a test sets this to a callable that may end the process at a named step.
crash_hook: Callable[[str], None] | None = None


def _step(name: str) -> None:
    if crash_hook is not None:
        crash_hook(name)


def _shown(path: Path) -> str:
    return safe_text(str(path), single_line=True)


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
        raise StoreCorrupt(f"store {_shown(path)} is {kind}, not a store file")


def schema_version(data: dict[str, Any]) -> int | None:
    meta = data.get(META_TABLE) or {}
    for row in meta.values():
        if isinstance(row, dict) and isinstance(row.get("schema_version"), int):
            return int(row["schema_version"])
    return None


def empty_store() -> dict[str, Any]:
    return {META_TABLE: {"1": {"schema_version": SCHEMA_VERSION}}}


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
    where = f" ({_shown(Path(exc.filename))})" if exc.filename and str(exc.filename) != str(path) else ""
    unchanged = "; the old store is unchanged" if what == "store" else ""
    return f"cannot write {what} {_shown(path)}: {reason}{where}{unchanged}"


def remove_stale_temps(path: Path) -> int:
    """Temp files left by a writer that died; called under the write lock, so none is live."""
    removed = 0
    for stale in path.parent.glob(f".{path.name}.tmp-*"):
        with contextlib.suppress(OSError):
            stale.unlink()
            removed += 1
    return removed


class StoreLock:
    """An exclusive flock on `<store>.lock`; says so on a terminal while it waits."""

    def __init__(self, path: Path, *, wait: bool = True, notify: Callable[[str], None] | None = None) -> None:
        self.path = path.with_name(path.name + ".lock")
        self.wait = wait
        self.notify = notify
        self._fd: int | None = None

    def __enter__(self) -> StoreLock:
        try:
            fd = self._open()
        except OSError as exc:
            raise self._failed(exc) from None
        try:
            self._acquire(fd)
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise
            raise self._failed(exc) from None
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return self

    def _failed(self, exc: OSError) -> StoreWriteError:
        store = _shown(self.path.with_suffix(""))
        return StoreWriteError(f"cannot lock store {store}: {os_reason(exc)} ({_shown(self.path)})")

    def _open(self) -> int:
        """The lock file, which must be a regular file: a FIFO or a folder there is refused."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NONBLOCK, 0o644)
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise OSError(errno.EINVAL, "the lock is not a regular file", str(self.path))
        return fd

    def _acquire(self, fd: int) -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
        if not self.wait:
            raise StoreBusy(f"store busy (pid {holder} is writing {_shown(self.path.with_suffix(''))}); try again")
        if self.notify:
            self.notify(f"waiting for pid {holder} to finish writing the store…")
        started = time.monotonic()
        fcntl.flock(fd, fcntl.LOCK_EX)
        self.waited = time.monotonic() - started

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


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


def stderr_notice(message: str) -> None:
    """Progress notes go to stderr only on a terminal, never into piped output."""
    if sys.stderr.isatty():
        print(message, file=sys.stderr)


def restore_backup(path: Path) -> None:
    """Put `<store>.bak` (the previous generation) back, atomically, under the write lock."""
    backup = path.with_name(path.name + ".bak")
    if not backup.exists():
        raise StoreCorrupt(f"no backup of {_shown(path)} to restore ({_shown(backup)} is missing)")
    with StoreLock(path):
        raw = backup.read_bytes()
        parse_store_bytes(raw, backup)  # refuse to restore a damaged backup
        atomic_write(path, raw)
