"""Curation and rebuild never lose a user's work: the data before and after, field by field.

Rebuild on the bundled store keeps every fact (ids and values) and every correction; reject,
then a metric edit, then a region edit all hold, through the commands and through the
browser's keys, in the store, in `show` and after a rebuild; readers never see an emptied or
mixed store while another thread or process writes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tibet_facts.store import curation
from tibet_facts.store.ingest import open_store
from tibet_facts.store.model import Correction, Fact
from tibet_facts.store.rebuild import RebuildRefused, rebuild
from tibet_facts.store.repository import FactStore
from tibet_facts.tui.app import FactsApp
from tibet_facts.tui.cli import app as cli_app

runner = CliRunner()


def _values(facts: list[Fact]) -> dict[str, dict]:
    return {f.id: f.to_dict() for f in facts}


@pytest.fixture(scope="module")
def bundled_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("bundled") / "facts.json"
    open_store(path)
    return path.read_bytes()


@pytest.fixture
def bundled(tmp_path: Path, bundled_bytes: bytes) -> FactStore:
    path = tmp_path / "facts.json"
    path.write_bytes(bundled_bytes)
    return FactStore.open(path)


def cli(store: FactStore, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli_app, ["--store", str(store.path), *args])
    return result.exit_code, result.output


def test_rebuild_keeps_every_bundled_fact_and_correction(bundled: FactStore) -> None:
    before = _values(bundled.facts)
    assert len(before) == 205
    first = bundled.facts[0].id
    bundled.correct(first, {"rejected": True, "region": "芒康县"})
    report = rebuild(bundled)
    after = FactStore.open(bundled.path)
    assert _values(after.facts) == before
    assert (report.before, report.after, report.unchanged) == (205, 205, 205)
    assert (report.added, report.removed, report.changed) == ([], [], [])
    assert report.corrections_kept == 1 and report.corrections_orphaned == []
    assert after.corrections == {first: Correction(fact_id=first, rejected=True, region="芒康县")}


def test_rebuild_command_reports_before_and_after(bundled: FactStore) -> None:
    code, output = cli(bundled, "rebuild")
    assert code == 0
    assert "facts before 205, after 205: 0 added, 0 removed, 0 changed, 205 unchanged" in output
    assert len(FactStore.open(bundled.path).facts) == 205


def test_rebuild_that_drops_most_facts_is_refused_unless_forced(bundled: FactStore,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from tibet_facts.store import ingest

    real = ingest.extract_sources
    monkeypatch.setattr(ingest, "extract_sources", lambda sources: [f[:3] for f in real(sources)])
    content = bundled.path.read_bytes()
    with pytest.raises(RebuildRefused, match="keep 15 of 205 facts"):
        rebuild(bundled)
    assert bundled.path.read_bytes() == content
    code, output = cli(bundled, "rebuild")
    assert code == 1 and "nothing written (--force" in output
    assert bundled.path.read_bytes() == content
    report = rebuild(FactStore.open(bundled.path), force=True)
    assert report.after == 15 and len(report.removed) == 190
    assert len(FactStore.open(bundled.path).facts) == 15


def test_rebuild_reports_what_an_extraction_change_changed(bundled: FactStore,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from tibet_facts.store import ingest

    real = ingest.extract_sources

    def changed(sources):  # noqa: ANN001, ANN202 - one fact of the first document reads another topic
        out = real(sources)
        out[0][0].topic = "energy"
        return out

    monkeypatch.setattr(ingest, "extract_sources", changed)
    report = rebuild(bundled, dry_run=True)
    assert len(report.changed) == 1 and report.unchanged == 204 and not report.committed
    assert _values(FactStore.open(bundled.path).facts) == _values(bundled.facts)


def _three_edits_hold(store: FactStore, fact: Fact) -> None:
    again = FactStore.open(store.path)
    assert again.corrections[fact.id] == Correction(
        fact_id=fact.id, rejected=True, metric_zh="测试指标", region="芒康县")
    shown = again.table.fact(again.table.row_of(fact.id))  # type: ignore[arg-type]
    assert (shown.metric_zh, shown.region, shown.region_en) == ("测试指标", "芒康县", "Markam County")
    assert shown.region_path == ["西藏自治区", "昌都市", "芒康县"]
    assert again.is_rejected(fact.id)
    assert again.by_id[fact.id].to_dict() == fact.to_dict(), "the extracted fact is unchanged"


def test_reject_then_metric_then_region_by_commands(bundled: FactStore) -> None:
    fact = next(f for f in bundled.facts if f.region == "西藏自治区")
    assert cli(bundled, "reject", fact.id)[0] == 0
    assert cli(bundled, "correct", fact.id, "--metric", "测试指标")[0] == 0
    assert cli(bundled, "correct", fact.id, "--region", "Markam")[0] == 0
    _three_edits_hold(bundled, fact)
    code, output = cli(bundled, "show", fact.id)
    assert code == 0
    assert "芒康县 (Markam County) · extracted: 西藏自治区" in output
    assert "测试指标" in output and "rejected" in output
    assert cli(bundled, "rebuild")[0] == 0
    _three_edits_hold(bundled, fact)
    assert cli(bundled, "restore", fact.id)[0] == 0
    kept = FactStore.open(bundled.path).corrections[fact.id]
    assert (kept.rejected, kept.metric_zh, kept.region) == (False, "测试指标", "芒康县")


@pytest.mark.parametrize("args, message", [
    (["--region", "Nowhere"], "unknown place 'Nowhere'"),
    (["--kind", "growth"], "unknown kind 'growth'"),
    (["--topic", "ecommerse"], "closest: ecommerce"),
    (["--period", "2024-13"], "period '2024-13'"),
    ([], "name a field to change"),
])
def test_a_bad_correction_is_one_line_and_writes_nothing(bundled: FactStore, args: list[str],
                                                         message: str) -> None:
    content = bundled.path.read_bytes()
    result = subprocess.run([sys.executable, "-m", "tibet_facts.tui", "--store", str(bundled.path),
                             "correct", bundled.facts[0].id, *args], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert bundled.path.read_bytes() == content


def test_corrections_export_and_import_round_trip(bundled: FactStore, tmp_path: Path) -> None:
    a, b = bundled.facts[0].id, bundled.facts[1].id
    bundled.correct(a, {"rejected": True})
    bundled.correct(b, {"period": "2024", "topic": "energy"})
    code, output = cli(bundled, "corrections", "--format", "json")
    assert code == 0
    shared = tmp_path / "ours.json"
    shared.write_text(output, encoding="utf-8")
    assert [c.fact_id for c in curation.load(shared)] == sorted([a, b])
    other = tmp_path / "other.json"
    other.write_bytes(bundled.path.read_bytes())
    FactStore.open(other).clear_correction(a)
    FactStore.open(other).clear_correction(b)
    code, output = runner.invoke(cli_app, ["--store", str(other), "corrections", "--import", str(shared)]).exit_code, ""
    assert code == 0
    assert FactStore.open(other).corrections == FactStore.open(bundled.path).corrections


def test_a_damaged_corrections_file_is_one_line(bundled: FactStore, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"corrections": [{"fact_id": "x", "region": "Atlantis"}]}), encoding="utf-8")
    code, output = cli(bundled, "corrections", "--import", str(bad))
    assert code == 2 and "unknown place 'Atlantis'" in output


async def test_browser_reject_then_edit_metric_then_region_by_keys(bundled: FactStore) -> None:
    from textual.widgets import Input

    app = FactsApp(bundled.path, poll=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        fact = app.current()
        assert fact is not None
        extracted = bundled.by_id[fact.id]
        await pilot.press("x")
        await app.workers.wait_for_complete()
        await pilot.press("R")  # rejected facts shown, so the cursor can come back to it
        await app.workers.wait_for_complete()
        await pilot.pause()
        while app.current() is not None and app.current().id != fact.id:  # type: ignore[union-attr]
            await pilot.press("down")
        for field, text in (("metric_zh", "测试指标"), ("region", "Markam")):
            await pilot.press("E")
            await pilot.pause()
            while app.focused is None or app.focused.id != f"edit-{field}":
                await pilot.press("tab")  # Tab walks the dialog's fields
            inp = app.focused
            assert isinstance(inp, Input)
            inp.value = ""
            await pilot.press(*text)
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
    _three_edits_hold(FactStore.open(bundled.path), extracted)


def _generation_ok(store: FactStore, facts: int, documents: int) -> str | None:
    snap = store.snapshot
    if snap.table.n != facts:
        return f"saw {snap.table.n} facts"
    if len(snap.documents) != documents:
        return f"saw {len(snap.documents)} documents"
    return None


def test_a_reader_thread_never_sees_an_emptied_store(sample_store: FactStore) -> None:
    """1,000 writes on the small store (a write of the bundled one costs 0.1 s)."""
    bundled = sample_store
    n, docs = bundled.table.n, len(bundled.documents)
    ids = [f.id for f in bundled.facts]
    problems: list[str] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            problem = _generation_ok(bundled, n, docs)
            if problem:
                problems.append(problem)
            _ = bundled.fact(ids[0])
            time.sleep(0.0005)  # a busy loop would hold the GIL from the writer

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(1000):
            bundled.correct(ids[i % len(ids)], {"rejected": i % 2 == 0})
    finally:
        stop.set()
        reader.join()
    assert problems == []
    assert len(FactStore.open(bundled.path).facts) == n


_WRITER = """
import sys
from tibet_facts.store.repository import FactStore
store = FactStore.open(sys.argv[1])
ids = [f.id for f in store.facts]
for i in range(int(sys.argv[2])):
    store.correct(ids[i % len(ids)], {"topic": "energy" if i % 2 else "ecommerce"})
"""


def test_a_reader_process_never_sees_a_torn_store_while_another_writes(sample_store: FactStore) -> None:
    bundled = sample_store
    n, docs = bundled.table.n, len(bundled.documents)
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(bundled.path), "1000"])
    problems: list[str] = []
    try:
        while writer.poll() is None:
            bundled.reload()
            problem = _generation_ok(bundled, n, docs)
            if problem:
                problems.append(problem)
    finally:
        writer.wait(timeout=120)
    assert writer.returncode == 0 and problems == []
    assert len(FactStore.open(bundled.path).corrections) == n
