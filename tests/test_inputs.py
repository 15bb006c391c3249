"""How documents come in, end to end through the CLI: a text with stray terminal controls is stored
(neutralised) and no escape reaches any output; unreadable files, FIFOs, device links, link loops
and unreadable subfolders are refused by name (one line each, exit 1, nothing stored); an invalid
front matter date is ignored with one warning line."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tibet_facts.store.corpus import make_source
from tibet_facts.store.decode import neutralize_controls
from tibet_facts.store.ingest import extract_source
from tibet_facts.store.repository import FactStore
from tibet_facts.tui.cli import app

runner = CliRunner()
ESCAPES = ("\x1b", "\x07", "\x9b")
NOTHING_STORED = "nothing stored: fix or remove the refused files, or pass --keep-going"
# One ESC, one BEL, an OSC 52 clipboard write, CSI 2J and SGR colours, a C1 CSI: as scraped pages hold.
SCRAPED = ("2025年西藏全区网络零售额280.2亿元\x1b[2J，同比增长27%。\x07\n"
           "昌都市\x1b]52;c;MTIzNDU2Nzg=\x07网络零售额12.5亿元，\x1b[31m芒康县\x1b[0m网络零售额3.1亿元。\x9b1m\n")


def run(*args: str) -> tuple[int, str, str, bytes]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr, result.stdout_bytes + result.stderr_bytes


@pytest.fixture(autouse=True)
def _never_hang() -> Iterator[None]:
    """A read of a FIFO would block for ever: fail the test instead (SIGALRM in the main thread)."""

    def hung(signum: int, frame: Any) -> None:
        raise TimeoutError("a read hung")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _state(path: Path) -> tuple[dict[str, str], set[tuple[str, int, int, float]]]:
    """The store's documents (id -> name) and facts (doc id, start, end, value), read afresh."""
    store = FactStore.open(path)
    return ({d.id: d.name for d in store.documents.values()},
            {(f.doc_id, f.start, f.end, f.value) for f in store.facts})


# 1. stray controls: text, stored neutralised --------------------------------------------------

def test_a_text_with_escapes_is_ingested_and_no_escape_reaches_any_output(tmp_path: Path,
                                                                          sample_store: FactStore) -> None:
    path = tmp_path / "scraped\x1b]0;t\x07\x9b.txt"  # the file name is hostile too
    path.write_bytes(SCRAPED.encode("utf-8"))
    docs_before, facts_before = _state(sample_store.path)

    code, out, err, _ = run("ingest", str(path))
    assert (code, err) == (0, ""), err
    assert "committed 1 documents, 4 facts" in out

    docs_after, facts_after = _state(sample_store.path)
    (new_id,) = set(docs_after) - set(docs_before)
    assert {k: v for k, v in docs_after.items() if k != new_id} == docs_before
    assert docs_after[new_id] == "scraped\ufffd]0;t\ufffd\ufffd.txt", "the name is stored without controls"
    document = FactStore.open(sample_store.path).document(new_id)
    assert document is not None
    stored = document.text
    assert stored == SCRAPED.replace("\x1b[2J", "    ").replace("\x07\n", " \n") \
        .replace("\x1b]52;c;MTIzNDU2Nzg=\x07", " " * 20).replace("\x1b[31m", "     ") \
        .replace("\x1b[0m", "    ").replace("\x9b1m", "   ")
    assert len(stored) == len(SCRAPED), "same length: offsets into the text stay valid"
    # the facts are those of the text read plain, at the same offsets; no escape parameter is a fact
    expected = {(new_id, f.start, f.end, f.value) for f in extract_source(make_source("x.txt", stored))}
    assert facts_after - facts_before == expected
    assert {v for *_, v in expected} == {280.2, 27.0, 12.5, 3.1}
    for _, start, end, value in expected:
        assert stored[start:end] == f"{value:g}"

    outputs = [run("find", "--format", fmt) for fmt in ("table", "json", "jsonl", "csv", "md", "html")]
    outputs += [run("find", "零售额"), run("docs"), run("extract", str(path)),
                run("extract", str(path), "--format", "json"), run("extract", str(path), "--format", "table")]
    outputs += [run("show", fact_id) for fact_id in _fact_ids(sample_store.path, new_id)]
    for code, out, err, raw in outputs:
        assert code == 0, err
        for escape in ESCAPES:
            assert escape not in out + err
            assert escape.encode() not in raw and "\x9b".encode() not in raw
    assert "280.2" in outputs[0][1] and "芒康县" in outputs[-1][1]


def _fact_ids(store_path: Path, doc_id: str) -> list[str]:
    return [f.id for f in FactStore.open(store_path).facts if f.doc_id == doc_id]


def test_the_json_of_extract_is_the_neutralised_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(SCRAPED.encode("utf-8"))
    code, out, err, _ = run("extract", str(path), "--format", "json")
    facts = json.loads(out)
    assert (code, err) == (0, "")
    text = neutralize_controls(SCRAPED)
    assert [(f["value"], text[f["start"]:f["end"]]) for f in facts] == \
        [(280.2, "280.2"), (27.0, "27"), (12.5, "12.5"), (3.1, "3.1")]


def test_nul_bytes_are_still_binary(tmp_path: Path, sample_store: FactStore) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes("拉萨市网络零售额12.3亿元。".encode() + b"\x00")
    before = sample_store.path.read_bytes()
    code, _, err, _ = run("ingest", str(path))
    assert (code, err) == (1, f"tibet-facts: {path}: binary data, not a text document\n")
    assert sample_store.path.read_bytes() == before


# 2. refused, not skipped ------------------------------------------------------------------------

def _deny(monkeypatch: pytest.MonkeyPatch, denied: set[str]) -> None:
    """Root reads a 0000 file: make these paths unreadable as they would be for anyone else, at
    each door (Click's os.access check, os.open of a file, os.scandir of a folder)."""
    real_open, real_access, real_scandir = os.open, os.access, os.scandir

    def guard(real: Callable[..., Any]) -> Callable[..., Any]:
        def call(path: Any, *args: Any, **kwargs: Any) -> Any:
            if os.fspath(path) in denied:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
            return real(path, *args, **kwargs)
        return call

    monkeypatch.setattr(os, "open", guard(real_open))
    monkeypatch.setattr(os, "scandir", guard(real_scandir))
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: os.fspath(path) not in denied
                        and real_access(path, mode, **kw))


@pytest.mark.parametrize("command", ["ingest", "extract"])
def test_an_unreadable_file_is_one_line_and_exit_1(tmp_path: Path, sample_store: FactStore,
                                                   monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("拉萨市网络零售额12.3亿元。", encoding="utf-8")
    path.chmod(0)
    _deny(monkeypatch, {str(path)})
    before = sample_store.path.read_bytes()
    code, out, err, _ = run(command, str(path))
    assert (code, out, err) == (1, "", f"tibet-facts: {path}: cannot read (Permission denied)\n")
    assert sample_store.path.read_bytes() == before


def _odd_folder(tmp_path: Path) -> Path:
    """One good document beside a FIFO, a link to /dev/zero, a link loop and a subfolder (locked)."""
    folder = tmp_path / "batch"
    (folder / "sub").mkdir(parents=True)
    (folder / "ok.txt").write_text("2025年拉萨市网络零售额12.3亿元。", encoding="utf-8")
    (folder / "sub" / "inner.txt").write_text("2025年昌都市网络零售额5亿元。", encoding="utf-8")
    os.mkfifo(folder / "fifo.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "notes.bin").write_bytes(b"\x00")  # not a document suffix: not ours to read
    return folder


def _refusals(folder: Path) -> list[str]:
    return [f"tibet-facts: {folder}/fifo.txt: not a regular file (a FIFO)",
            f"tibet-facts: {folder}/loop.txt: symlink loop",
            f"tibet-facts: {folder}/sub: cannot open folder (Permission denied)",
            f"tibet-facts: {folder}/zero.txt: not a regular file (a character device)"]


def test_odd_entries_of_a_folder_are_refused_and_nothing_is_stored(tmp_path: Path, sample_store: FactStore,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _odd_folder(tmp_path)
    _deny(monkeypatch, {str(folder / "sub")})
    before = sample_store.path.read_bytes()
    code, out, err, _ = run("ingest", str(folder))
    assert (code, out) == (1, "")
    assert err.splitlines() == [*_refusals(folder), NOTHING_STORED]
    assert sample_store.path.read_bytes() == before, "all or nothing"


def test_keep_going_stores_the_good_file_and_still_exits_1(tmp_path: Path, sample_store: FactStore,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _odd_folder(tmp_path)
    _deny(monkeypatch, {str(folder / "sub")})
    docs_before, facts_before = _state(sample_store.path)
    code, out, err, _ = run("ingest", "--keep-going", str(folder))
    assert code == 1 and err.splitlines() == _refusals(folder)
    assert "committed 1 documents, 1 facts" in out
    docs_after, facts_after = _state(sample_store.path)
    assert sorted(set(docs_after.values()) - set(docs_before.values())) == ["ok.txt"]
    assert {value for *_, value in facts_after - facts_before} == {12.3}


def test_extract_names_the_same_refusals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _odd_folder(tmp_path)
    _deny(monkeypatch, {str(folder / "sub")})
    code, out, err, _ = run("extract", str(folder))
    assert code == 1 and err.splitlines() == _refusals(folder)
    assert [json.loads(line)["value"] for line in out.splitlines()] == [12.3]


def _without_dac_override() -> list[str] | None:
    """A command prefix that runs as root without CAP_DAC_OVERRIDE/READ_SEARCH, so that mode 0000
    means unreadable for real; None when this system cannot do it."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        return None
    prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    return prefix if probe.returncode == 0 else None


def test_real_mode_0000_files_and_folders_as_a_process_without_dac_override(tmp_path: Path,
                                                                            sample_store: FactStore) -> None:
    prefix = _without_dac_override()
    if prefix is None:
        pytest.skip("needs root and setpriv to drop CAP_DAC_OVERRIDE")
    folder = _odd_folder(tmp_path)
    locked = tmp_path / "locked.txt"
    locked.write_text("拉萨市网络零售额12.3亿元。", encoding="utf-8")
    locked.chmod(0)
    (folder / "sub").chmod(0)
    try:
        exe = str(Path(sys.executable).parent / "tibet-facts")
        env = {**os.environ, "TIBET_FACTS_STORE": str(sample_store.path)}
        before = sample_store.path.read_bytes()
        got = subprocess.run([*prefix, exe, "ingest", str(locked), str(folder)], env=env, capture_output=True,
                             text=True, timeout=60)
    finally:
        (folder / "sub").chmod(0o755)
    assert got.returncode == 1 and got.stdout == ""
    assert got.stderr.splitlines() == [f"tibet-facts: {locked}: cannot read (Permission denied)",
                                       *_refusals(folder), NOTHING_STORED]
    assert sample_store.path.read_bytes() == before


# 3. dates ------------------------------------------------------------------------------------------

def test_an_invalid_front_matter_date_is_ignored_with_one_warning(tmp_path: Path, sample_store: FactStore) -> None:
    path = tmp_path / "dated.md"
    path.write_text("---\ntitle: 拉萨电商\ndate: 2024-13-45\n---\n今年拉萨市网络零售额达12.3亿元，目前共有35家企业。\n",
                    encoding="utf-8")
    docs_before, facts_before = _state(sample_store.path)
    code, out, err, _ = run("ingest", str(path))
    assert code == 0 and "committed 1 documents, 2 facts" in out
    assert err == (f"tibet-facts: {path}: front matter date '2024-13-45' is not a calendar date "
                   "(YYYY, YYYY-MM or YYYY-MM-DD); ignored, date unknown\n")
    docs_after, facts_after = _state(sample_store.path)
    (new_id,) = set(docs_after) - set(docs_before)
    store = FactStore.open(sample_store.path)
    assert store.documents[new_id].date == "unknown"
    new = [f for f in store.facts if f.doc_id == new_id]
    assert {(f.value, f.period) for f in new} == {(12.3, "unknown"), (35.0, "unknown")}, "no 'as of 2024-13'"
    assert len(facts_after - facts_before) == 2
    _, out, _, _ = run("find", "--format", "jsonl")
    assert "2024-13" not in out
