"""Every failure of a write or a read is one line, the promised exit status, and the store
byte-identical: exports, read-only folders, full disks, file-size limits, locks and stores
that are not regular files, unreadable schemas, Click's usage errors and `serve`'s command."""

from __future__ import annotations

import errno
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tibet_facts.store.db import files as storage
from tibet_facts.store.repository import FactStore
from tibet_facts.tui.cli import app as cli_app

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_db068d9a30e3f56d.txt"


def run(store: Path, *args: str, limit_fsize: int | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    def limits() -> None:
        if limit_fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_fsize, limit_fsize))

    env = {**os.environ, "TIBET_FACTS_STORE": str(store), "XDG_CACHE_HOME": str(store.parent / "cache")}
    return subprocess.run([sys.executable, "-m", "tibet_facts.tui", *args], capture_output=True, text=True,
                          env=env, timeout=timeout, preexec_fn=limits)


def one_line(result: subprocess.CompletedProcess[str], code: int, *needles: str) -> None:
    assert result.returncode == code, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("tibet-facts: "), result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr


def test_export_under_a_file_is_one_line_exit_74(sample_store: FactStore, tmp_path: Path) -> None:
    under = tmp_path / "afile"
    under.write_text("x")
    one_line(run(sample_store.path, "export", str(under / "out.csv")), 74, "is a file, not a folder")
    assert under.read_text() == "x"


def test_export_makes_no_folder_unless_asked(sample_store: FactStore, tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / "out.csv"
    one_line(run(sample_store.path, "export", str(target)), 74, "--parents")
    assert not (tmp_path / "new").exists()
    assert run(sample_store.path, "export", str(target), "--parents").returncode == 0
    assert target.read_text(encoding="utf-8").splitlines()[0].startswith("id,metric_zh")


def test_exports_follow_the_umask(sample_store: FactStore, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        result = run(sample_store.path, "export", str(tmp_path / "out.md"))
    finally:
        os.umask(old)
    assert result.returncode == 0
    assert (tmp_path / "out.md").stat().st_mode & 0o777 == 0o644


def test_a_read_only_store_keeps_its_mode_after_an_ingest(sample_store: FactStore) -> None:
    os.chmod(sample_store.path, 0o444)
    before = len(FactStore.open(sample_store.path).facts)
    assert run(sample_store.path, "ingest", str(SEED)).returncode == 0
    assert sample_store.path.stat().st_mode & 0o777 == 0o444
    assert len(FactStore.open(sample_store.path).facts) > before


def _refused(name: str) -> None:
    raise PermissionError(errno.EACCES, "Permission denied", name)


@pytest.mark.parametrize("error, reason", [
    (PermissionError(errno.EACCES, "Permission denied"), "Permission denied"),
    (OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
])
def test_a_temp_file_that_cannot_be_made_is_exit_74(sample_store: FactStore, monkeypatch: pytest.MonkeyPatch,
                                                    error: OSError, reason: str) -> None:
    """A read-only folder (root ignores modes, so the refusal is injected) or a full disk."""
    content = sample_store.path.read_bytes()

    def mkstemp(*args: object, **kw: object) -> tuple[int, str]:
        raise error

    monkeypatch.setattr(storage.tempfile, "mkstemp", mkstemp)
    result = CliRunner().invoke(cli_app, ["--store", str(sample_store.path), "reject",
                                          sample_store.facts[0].id])
    assert result.exit_code == 74
    assert f"cannot write store {sample_store.path}: {reason}" in result.output
    assert sample_store.path.read_bytes() == content


def test_a_file_size_limit_is_one_line_exit_74(sample_store: FactStore) -> None:
    content = sample_store.path.read_bytes()
    result = run(sample_store.path, "ingest", str(SEED), limit_fsize=len(content) // 2)
    one_line(result, 74, "File too large")
    assert sample_store.path.read_bytes() == content
    assert not [p for p in sample_store.path.parent.iterdir() if ".tmp-" in p.name]


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_lock_that_is_not_a_file_is_exit_74(sample_store: FactStore, kind: str) -> None:
    lock = sample_store.path.with_name(sample_store.path.name + ".lock")
    lock.unlink(missing_ok=True)
    lock.mkdir() if kind == "folder" else os.mkfifo(lock)
    content = sample_store.path.read_bytes()
    one_line(run(sample_store.path, "reject", sample_store.facts[0].id, timeout=20), 74, "cannot lock store")
    assert sample_store.path.read_bytes() == content


@pytest.mark.parametrize("kind, shown", [("fifo", "a FIFO"), ("zero", "a character device"),
                                         ("loop", "Too many levels of symbolic links"),
                                         ("folder", "a folder")])
@pytest.mark.parametrize("command", [["find", "零售额"], ["ingest", str(SEED)]])
def test_a_store_that_is_not_a_regular_file_is_refused_exit_65(tmp_path: Path, kind: str, shown: str,
                                                               command: list[str]) -> None:
    store = tmp_path / "facts.json"
    if kind == "fifo":
        os.mkfifo(store)
    elif kind == "zero":
        store.symlink_to("/dev/zero")
    elif kind == "loop":
        store.symlink_to(tmp_path / "other")
        (tmp_path / "other").symlink_to(store)
    else:
        store.mkdir()
    one_line(run(store, *command, timeout=20), 65, str(store), shown)


def test_an_index_that_is_a_fifo_is_ignored(sample_store: FactStore) -> None:
    index = sample_store.path.with_name(sample_store.path.name + ".index")
    index.unlink(missing_ok=True)
    os.mkfifo(index)
    result = run(sample_store.path, "find", "--format", "json", timeout=20)
    assert result.returncode == 0 and result.stdout.count('"id"') == len(sample_store.facts)


@pytest.mark.parametrize("version", [-1, 0])
def test_a_schema_below_one_is_not_a_store(tmp_path: Path, version: int) -> None:
    store = tmp_path / "facts.json"
    store.write_text(f'{{"_meta": {{"1": {{"schema_version": {version}}}}}}}')
    one_line(run(store, "find"), 65, f"schema {version}")
    assert store.read_text() == f'{{"_meta": {{"1": {{"schema_version": {version}}}}}}}'


@pytest.mark.parametrize("args, needle", [
    (["find", "--limit", "0"], "find: Invalid value for '--limit'"),
    (["find", "--limit", "-1"], "find: Invalid value for '--limit'"),
    (["find", "--bogus"], "No such option: --bogus"),
    (["nosuchcommand"], "No such command"),
])
def test_usage_errors_are_one_line_exit_2(sample_store: FactStore, args: list[str], needle: str) -> None:
    one_line(run(sample_store.path, *args), 2, needle)


def test_a_long_message_is_never_wrapped_or_cut(tmp_path: Path) -> None:
    deep = tmp_path / ("a-long-folder-name-" * 8) / "facts.json"
    deep.parent.mkdir()
    deep.write_text("{not json")
    result = run(deep, "find")
    one_line(result, 65, str(deep), "not valid JSON")


def test_serve_quotes_a_store_path_with_a_space_and_a_semicolon(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import shlex

    import textual_serve.server

    marker = tmp_path / "ran"
    store = tmp_path / f"my store; touch {marker}" / "facts.json"
    seen: list[str] = []

    class Server:
        def __init__(self, command: str, **kw: object) -> None:
            seen.append(command)

        def serve(self) -> None:
            subprocess.run(["sh", "-c", f"{seen[0]} --version"], check=True, capture_output=True)

    monkeypatch.setattr(textual_serve.server, "Server", Server)
    result = CliRunner().invoke(cli_app, ["--store", str(store), "serve"])
    assert result.exit_code == 0, result.output
    assert shlex.split(seen[0])[-2:] == ["--store", str(store)]
    assert not marker.exists(), "the path ran as a command"


def test_the_crash_log_falls_back_when_it_cannot_be_written(monkeypatch: pytest.MonkeyPatch) -> None:
    from tibet_facts.tui import cli

    monkeypatch.setenv("XDG_CACHE_HOME", "/proc/no-such-place")
    monkeypatch.setattr(tempfile, "gettempdir", lambda: "/proc/no-such-place-either")
    assert cli._write_crash_log(RuntimeError("x")).startswith("no details written")


@pytest.mark.parametrize("limit_mb", [15, 40, 70])
def test_a_memory_limit_is_one_line_never_a_crash(tmp_path: Path, limit_mb: int) -> None:
    """Under `ulimit -v`, an ingest of a 12 MB document and a lookup end in one line (or
    succeed): never a segfault (orjson crashes on a failed allocation of a huge string)."""
    big = tmp_path / "big.txt"
    text = SEED.read_text(encoding="utf-8")
    big.write_text(text * (12_000_000 // len(text.encode())), encoding="utf-8")
    store = tmp_path / "facts.json"
    env = {**os.environ, "TIBET_FACTS_STORE": str(store), "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))

    for args in (["ingest", str(big), "--max-bytes", "100000000"], ["find", "零售额"]):
        result = subprocess.run([sys.executable, "-m", "tibet_facts.tui", *args], capture_output=True,
                                text=True, env=env, timeout=120, preexec_fn=limit)
        assert result.returncode >= 0, f"killed by signal {-result.returncode}"
        if result.returncode:
            one_line(result, result.returncode, "out of memory")
