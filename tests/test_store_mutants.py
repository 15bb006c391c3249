"""Tests written for mutants that survived the store's mutation run (bench/mutation.py): the
fitted fact table's exact text, free words against a cold cache, a place without a path,
numeric comparisons on both sides of the cut, the table's warm-up, and rebuild's report."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

from tests.conftest import sample_documents
from tests.test_format_export import FACT
from tibet_facts.store import ingest, query
from tibet_facts.store.model import Correction, Fact
from tibet_facts.store.query import parse
from tibet_facts.store.rebuild import RebuildRefused, rebuild
from tibet_facts.store.render import facts_table
from tibet_facts.store.repository import FactStore
from tibet_facts.store.table import FactTable

LONG = replace(FACT, id="f2" * 6, metric_zh="很长的指标名称" * 4, qualifier="over")


def _text(width: int | None, title: str = "") -> str:
    console = Console(width=120, record=True, file=io.StringIO(), color_system=None)
    console.print(facts_table([FACT, LONG], title=title, width=width))
    return console.export_text()


def test_the_fitted_table_in_full() -> None:
    assert _text(60, "T\nx") == (
        "                            T x                             \n"
        "id             metric            value   region       period\n"
        "────────────────────────────────────────────────────────────\n"
        "f1             零售额        280.2亿元   西藏自治区   2025  \n"
        "f2f2f2f2f2f2   很长的指 …   >280.2亿元   西藏自治区   2025  \n")
    assert _text(40) == (
        "id         metric          value   region       period\n"
        "──────────────────────────────────────────────────────\n"
        "f1         零售额      280.2亿元   西藏自治区   2025  \n"
        "f2f2f2f2   很长的 …   >280.2亿元   西藏自治区   2025  \n")
    assert _text(100).splitlines()[0] == ("id             metric                                       value  "
                                          "     common   region       period")


def test_the_table_without_a_width_folds_every_column() -> None:
    lines = _text(None, "T\nx").splitlines()
    assert lines[0].strip() == "T x"
    assert lines[2].split() == ["id", "metric", "value", "common", "region", "period", "topic", "doc"]
    assert lines[5].split() == ["f2f2f2f2f2f2", "很长的指标名称很长的指标名称很长", ">280.2亿元", "280.2", "亿元",
                                "西藏自治区", "2025", "ecommerce", "a.txt"]
    assert lines[6].split() == ["的指标名称很长的指标名称"]


def test_free_words_against_a_cold_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(query, "_HAYSTACKS", {})
    fact = replace(FACT, region_path=["西藏自治区", "昌都市"], quote="Quote")
    assert query.haystack(fact) == "零售额 retail sales quote 西藏自治区 tibet 西藏自治区 昌都市"
    assert list(query._HAYSTACKS.values()) == [query.haystack(fact)]  # made once, then kept
    assert parse("QUOTE").matches(fact) and parse("自治区 昌都市").matches(fact)
    assert not parse("nothing").matches(fact)


def test_a_place_without_a_path_is_found_by_its_name() -> None:
    lone = replace(FACT, region="昌都市", region_path=[])
    assert parse("region:昌都市").matches(lone)
    assert parse("region:昌都市").matches(replace(FACT, region="x", region_path=["昌都市"]))
    assert not parse("region:昌都市").matches(FACT)
    table = FactTable.from_rows([lone.to_dict(), FACT.to_dict()])
    assert list(table.select(parse("region:昌都市"))) == [0]


def _numbers(values: list[float]) -> FactTable:
    return FactTable.from_rows(replace(FACT, id=f"n{i}", start=i, base_value=v).to_dict()
                               for i, v in enumerate(values))


VALUES = [5.0, 1.0, 9.0, 3.0, 3.0, 7.0, 0.0, 8.0, 2.0, 6.0]


@pytest.mark.parametrize("clause", ["value>3", "value>=3", "value<3", "value<=3", "value=3", "value!=3",
                                    "value>8", "value<1", "value>=0", "value<=9", "value=4", "value!=4",
                                    "value>-1", "value<10"])
def test_comparisons_mark_the_rows_on_either_side(clause: str) -> None:
    table = _numbers(VALUES)
    expected = [i for i, v in enumerate(VALUES) if parse(clause).clauses[0].test(v)]
    assert list(table.select(parse(clause))) == expected
    assert table._sorted("base_value") == sorted(VALUES)
    assert table.rank("base_value") == [5, 1, 9, 3, 4, 7, 0, 8, 2, 6]


def test_the_warm_up_builds_what_the_first_keystroke_needs() -> None:
    docs, facts = sample_documents()
    table = FactTable.from_rows(f.to_dict() for f in facts)
    table.prepare()
    assert table._quotes is not None
    assert sorted(table._ranks) == ["base_value", "period", "region"]
    assert sorted(table._orders) == ["base_value", "period", "region"]
    assert list(table._ascending) == ["base_value"]
    assert list(table._keys) == [("region", "region_path")]


def _facts_of(store: FactStore) -> dict[str, Fact]:
    return {f.id: f for f in store.facts}


def test_rebuild_reports_what_a_new_extraction_changes(sample_store: FactStore,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    docs, facts = sample_documents()
    zh, en = docs
    old = _facts_of(sample_store)
    sample_store.correct(facts[0].id, {"topic": "energy"})
    sample_store.correct("orphan", {"rejected": True})
    changed = replace(facts[1], value=28.0)
    added = replace(facts[2], id="new1")
    new_zh = [facts[0], changed, added, *[f for f in facts[3:] if f.doc_id == zh.id]]

    def extract(sources: list[object], **kw: object) -> list[list[Fact]]:
        assert [s.document.id for s in sources] == [zh.id, en.id]  # type: ignore[attr-defined]
        assert [s.document.text for s in sources] == [zh.text, en.text]  # type: ignore[attr-defined]
        return [new_zh, [f for f in facts if f.doc_id == en.id][:1]]

    monkeypatch.setattr(ingest, "extract_sources", extract)
    report = rebuild(sample_store, dry_run=True)
    assert (report.before, report.after) == (8, 7)
    assert report.added == ["new1"] and report.changed == [facts[1].id]
    assert report.removed == sorted({facts[2].id, facts[7].id})
    assert report.unchanged == 5 and report.corrections_kept == 1
    assert report.corrections_orphaned == ["orphan"] and report.skipped_documents == []
    assert report.committed is False and _facts_of(FactStore.open(sample_store.path)) == old
    report = rebuild(sample_store)
    assert report.committed is True
    stored = _facts_of(FactStore.open(sample_store.path))
    assert sorted(stored) == sorted([f.id for f in new_zh] + [facts[6].id])
    assert stored[facts[1].id].value == 28.0
    assert FactStore.open(sample_store.path).corrections[facts[0].id] == Correction(facts[0].id, topic="energy")


def test_rebuild_refuses_to_drop_over_half_unless_forced(sample_store: FactStore,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    docs, facts = sample_documents()
    monkeypatch.setattr(ingest, "extract_sources",
                        lambda sources, **kw: [[facts[0]], []])
    before = sample_store.path.read_bytes()
    with pytest.raises(RebuildRefused) as info:
        rebuild(sample_store)
    assert str(info.value) == "rebuild would keep 1 of 8 facts; nothing written (--force to commit it)"
    assert sample_store.path.read_bytes() == before
    monkeypatch.setattr(ingest, "extract_sources", lambda sources, **kw: [facts[:4], []])
    assert rebuild(sample_store).after == 4  # exactly half is kept: allowed
    report = rebuild(sample_store, force=True)
    assert report.committed and (report.before, report.after) == (4, 4)


def test_rebuild_keeps_the_facts_of_a_document_without_its_text(sample_store: FactStore,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                tmp_path: Path) -> None:
    docs, facts = sample_documents()
    snap = sample_store.snapshot
    snap.texts.memory[docs[1].id] = ""
    zh_facts = [f for f in facts if f.doc_id == docs[0].id]
    monkeypatch.setattr(ingest, "extract_sources", lambda sources, **kw: [zh_facts])
    report = rebuild(sample_store, dry_run=True)
    assert report.skipped_documents == ["en.txt"] and report.after == 8 and report.unchanged == 8
    assert report.lines()[2] == "kept the old facts of en.txt: its text is not in the store"


def test_markdown_and_html_keep_each_fact_on_one_line() -> None:
    from tests.test_format_export import DOC
    from tibet_facts.store import export

    odd = replace(FACT, metric_zh="a\nb", quote="q\nr")
    docs = {"d1": replace(DOC, title="t\nu")}
    md = export.render_facts([odd], docs, "md").splitlines()
    assert md[2] == "| a b | 280.2亿元 | 280.2 亿元 | 西藏自治区 | 2025 | [^1] |"
    assert md[4] == "[^1]: 280.2亿元 (retail sales, Tibet, 2025) — t u, 西藏日报, 2025-12 — “q r”"
    html = export.render_facts([odd], docs, "html")
    assert "<td>a b</td>" in html and "— t u, 西藏日报, 2025-12 — “q r”</li>" in html
    assert html.count("\n") == 2


def test_an_export_folder_with_a_newline_is_shown_on_one_line(tmp_path: Path) -> None:
    from tibet_facts.store import export
    from tibet_facts.store.errors import StoreWriteError

    target = tmp_path / "a\nb" / "o.csv"
    with pytest.raises(StoreWriteError) as info:
        export.export_facts([FACT], {}, target)
    assert str(info.value) == (f"cannot write export {tmp_path}/a b/o.csv: folder {tmp_path}/a b does not "
                               "exist (--parents makes it)")
    (tmp_path / "f\nx").write_text("")
    under = tmp_path / "f\nx" / "o.csv"
    with pytest.raises(StoreWriteError) as info:
        export.export_facts([FACT], {}, under)
    assert str(info.value) == f"cannot write export {tmp_path}/f x/o.csv: {tmp_path}/f x is a file, not a folder"
