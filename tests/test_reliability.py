"""Hostile input and terminal safety: escapes never reach the terminal (T2), encodings read alike
(I1), tracebacks hide locals (T5), signals leave the store old or new (U6)."""

from __future__ import annotations

import codecs
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ptyrun import PtyProgram
from tibet_facts.store.corpus import make_source, read_source
from tibet_facts.store.ingest import extract_source
from tibet_facts.store.repository import FactStore

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_db068d9a30e3f56d.txt"


def _run_in_pty(args: list[str], env: dict[str, str], keys: list[bytes], wait: float = 4.0) -> bytes:
    """Run a program on a pseudo-terminal, type keys, and return every byte it wrote."""
    program = PtyProgram(args, env)
    program.drain(wait)
    program.type(keys, 0.8)
    program.signal(signal.SIGTERM)
    program.wait()
    return bytes(program.out)


def test_tui_never_writes_escape_sequences_from_documents(sample_store: FactStore) -> None:
    exe = str(Path(sys.executable).parent / "tibet-facts")
    env = {**os.environ, "TERM": "xterm-256color", "TIBET_FACTS_STORE": str(sample_store.path), "COLUMNS": "100",
           "LINES": "30"}
    env.pop("NO_COLOR", None)
    # walk: the browser, the document view of the hostile fact, help, the comparison
    keys = [b"/", b"TODO", b"\r", b"\r", b"\x1b", b"?", b"\x1b", b"m", b"\x1b", b"q"]
    output = _run_in_pty([exe], env, keys)
    assert b"[TODO]" in output and b"[@click=app.quit]" in output, "markup shown literally"
    assert b"\x1b]52;c;aGk=" not in output, "an OSC 52 clipboard write from a document reached the terminal"
    assert b"\x1b[2J \xe7\xbb\x93" not in output, "a clear-screen from a document reached the terminal"
    # the controls are shown as visible placeholders instead
    assert "\ufffd]52;c;aGk=".encode() in output


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-be-bom", "utf-32", "gb18030"])
def test_encodings_give_identical_facts(tmp_path: Path, codec: str) -> None:
    text = SEED.read_text(encoding="utf-8")
    baseline = [(f.start, f.end, f.base_value, f.region, f.period) for f in extract_source(make_source(SEED.name, text))]
    path = tmp_path / SEED.name
    if codec == "utf-16-be-bom":
        path.write_bytes(codecs.BOM_UTF16_BE + text.encode("utf-16-be"))
    else:
        path.write_bytes(text.encode(codec))
    source = read_source(path)
    got = [(f.start, f.end, f.base_value, f.region, f.period) for f in extract_source(source)]
    assert got == baseline
    assert source.document.encoding.replace("-be-bom", "") in ("utf-8-sig", "utf-16", "utf-32", "gb18030")


def test_unexpected_errors_hide_locals_and_document_text(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from tibet_facts.tui import cli\n"
        "def boom(*a, **k):\n"
        "    secret = 'SECRET-LOCAL-VALUE'\n"
        "    raise RuntimeError('bug')\n"
        "import tibet_facts.store.ingest as ingest\n"
        "ingest.open_store = boom\n"
        "sys.argv = ['tibet-facts', 'find']\n"
        "cli.main()\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 70
    assert "SECRET-LOCAL-VALUE" not in run.stdout + run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and "last-error.log" in run.stderr
    assert "SECRET-LOCAL-VALUE" not in (tmp_path / "tibet-facts" / "last-error.log").read_text()


def _wait_for_our_code(pid: int) -> None:
    """Until the child runs tibet-facts code (orjson is mapped): a signal in the first
    milliseconds of Python's own start-up, before any line of ours runs, is Python's to report."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if "orjson" in Path(f"/proc/{pid}/maps").read_text():
                return
        except OSError:
            return  # already gone
        time.sleep(0.002)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_signal_mid_ingest_leaves_old_or_new(tmp_path: Path, sig: signal.Signals) -> None:
    store = tmp_path / "facts.json"
    exe = str(Path(sys.executable).parent / "tibet-facts")
    env = {**os.environ, "TIBET_FACTS_STORE": str(store)}
    subprocess.run([exe, "stats"], env=env, capture_output=True, check=True)
    before = FactStore.open(store)
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(6):
        (docs / f"d{i}.txt").write_text(f"---\ntitle: copy {i}\n---\n" + SEED.read_text(encoding="utf-8"),
                                        encoding="utf-8")
    for delay in (0.0, 0.25, 0.55):
        child = subprocess.Popen([exe, "ingest", str(docs)], env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE)
        _wait_for_our_code(child.pid)
        time.sleep(delay)
        child.send_signal(sig)
        _, err = child.communicate(timeout=30)
        assert child.returncode != 0 or not err.strip() or b"committed" not in err, "no success after a signal"
        assert b"Traceback" not in err
        after = FactStore.open(store)  # never torn
        assert len(after.documents) in (len(before.documents), len(before.documents) + 6)


def test_odd_paths_get_one_line_each_and_store_nothing(tmp_path: Path) -> None:
    exe = str(Path(sys.executable).parent / "tibet-facts")
    env = {**os.environ, "TIBET_FACTS_STORE": str(tmp_path / "store" / "facts.json")}
    subprocess.run([exe, "stats"], env=env, capture_output=True, check=True)
    before = (tmp_path / "store" / "facts.json").read_bytes()
    odd = tmp_path / "odd"
    odd.mkdir()
    os.mkfifo(odd / "fifo")
    (odd / "loop1").symlink_to(odd / "loop2")
    (odd / "loop2").symlink_to(odd / "loop1")
    (odd / "empty").mkdir()
    cases = [odd / "missing.txt", odd / "fifo", odd / "loop1", odd / "empty"]
    for path in cases:
        run = subprocess.run([exe, "ingest", str(path)], env=env, capture_output=True, text=True, timeout=30)
        assert run.returncode == 1, (path, run.stderr)
        assert "Traceback" not in run.stderr and run.stderr.startswith("tibet-facts: ")
    weird = odd / "bad\x1b[2Jname.txt"
    weird.write_text("拉萨市网络零售额12.3亿元。", encoding="utf-8")
    run = subprocess.run([exe, "ingest", str(weird)], env=env, capture_output=True, text=True, timeout=30)
    assert run.returncode == 0 and "\x1b[2J" not in run.stdout + run.stderr
    assert (tmp_path / "store" / "facts.json").read_bytes() != before  # the good one was stored
