"""Comparisons: common unit, periods per place, changes, ratios, conflicts and units set apart."""

from __future__ import annotations

from dataclasses import replace

from tests.conftest import sample_documents
from tibet_facts.store.compare import compare_facts
from tibet_facts.store.extract.metric import lookup

FACTS = [f for f in sample_documents()[1] if f.metric_id == "online_retail_sales"]


def test_by_region_uses_the_latest_period_and_one_unit() -> None:
    comp = compare_facts(FACTS)
    assert comp.unit_label == "亿元" and comp.period_label == "2025"
    assert [r.label for r in comp.rows] == ["西藏自治区", "昌都市", "芒康县"]
    assert comp.rows[0].bar == 1.0 and comp.rows[0].change_abs is not None  # 2024 -> 2025 for Tibet


def test_by_period_is_a_series_per_place() -> None:
    comp = compare_facts([f for f in FACTS if f.region == "西藏自治区"], by="period")
    assert [r.label for r in comp.rows] == ["2024", "2025"]
    assert round(comp.rows[1].change_abs or 0, 1) == 50.5 and round(comp.rows[1].change_rel or 0, 3) == 0.22
    mixed = compare_facts(FACTS, by="period")
    assert all(" · " in r.label for r in mixed.rows), "periods of different places are separate rows"


def test_baseline_ratio_and_other_years_are_said() -> None:
    older = replace(FACTS[2], period="2019")  # 芒康县 only has a 2019 figure
    comp = compare_facts([FACTS[0], FACTS[1], older], baseline="西藏自治区")
    row = {r.label: r for r in comp.rows}
    assert row["西藏自治区"].ratio == 1.0
    assert row["芒康县"].note == "2019 figure"


def test_conflicts_and_incompatible_units() -> None:
    twin = replace(FACTS[0], id="x", base_value=FACTS[0].base_value + 1e8, value=281.2)
    pct = replace(FACTS[1], id="y", base_unit="percent", base_value=12.0, value=12.0, unit="%")
    comp = compare_facts([FACTS[0], twin, FACTS[1], FACTS[2], pct])
    assert "conflict: 2 values" in {r.label: r for r in comp.rows}["西藏自治区"].note
    assert comp.set_apart == [pct] and comp.notes


def test_a_qualifier_before_a_generic_metric_word_selects_the_specific_metric() -> None:
    entry = lookup("参与直播的农产品实现网上零售额")
    assert entry is not None and entry["id"] == "agri_online_retail_sales"
    entry = lookup("全区网上零售额")
    assert entry is not None and entry["id"] == "online_retail_sales"


def test_marked_facts_of_different_metrics_are_rows_of_their_own_not_a_conflict() -> None:
    from tests.conftest import sample_documents
    from tibet_facts.store.compare import compare_facts

    _, facts = sample_documents()
    a, b = facts[0], facts[1]  # same place and period, different metrics
    b = type(b)(**{**b.to_dict(), "base_unit": a.base_unit, "unit": a.unit, "region": a.region, "period": a.period})
    comp = compare_facts([a, b])
    assert len(comp.rows) == 2 and not any("conflict" in r.note for r in comp.rows)
    assert comp.title == "2 metrics"
