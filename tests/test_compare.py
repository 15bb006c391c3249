"""Comparisons: kinds never mixed, periods in time order, changes from earlier to later, one
place per series, conflicts with both sources, units converted through the base unit."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest

from tests.conftest import sample_documents
from tibet_facts.store.compare import CompareError, compare_facts, display_unit, period_key
from tibet_facts.store.extract.metric import lookup
from tibet_facts.store.model import Fact

FACTS = [f for f in sample_documents()[1] if f.metric_id == "online_retail_sales"]


def fact(value: float, period: str, region: str = "西藏自治区", *, kind: str = "level", unit: str = "亿元",
         base_unit: str = "CNY", scale: float = 1e8, qualifier: str = "exact", doc: str = "a.txt",
         metric_zh: str = "网络零售额", metric_id: str = "m") -> Fact:
    n = fact.counter = getattr(fact, "counter", 0) + 1  # type: ignore[attr-defined]
    return Fact(id=f"f{n}", doc_id=doc, doc=doc, start=n, end=n + 1, quote=f"{value}{unit}", value=value,
                unit=unit, base_value=value * scale, base_unit=base_unit, metric_zh=metric_zh,
                metric_en="sales", metric_id=metric_id, region=region, region_en=region, period=period,
                kind=kind, qualifier=qualifier)


@pytest.mark.parametrize("periods, ordered", [
    (["2025", "as of 2020-12", "2020-06", "2019"], ["2019", "2020-06", "as of 2020-12", "2025"]),
    (["2025-01..2025-09", "2024", "unknown", "2025-06"], ["2024", "2025-06", "2025-01..2025-09", "unknown"]),
    (["2021..2025", "2025-11", "as of 2025-08"], ["as of 2025-08", "2025-11", "2021..2025"]),
])
def test_periods_are_ordered_in_time(periods: list[str], ordered: list[str]) -> None:
    assert sorted(periods, key=period_key) == ordered


@pytest.mark.parametrize("values, by, labels, changes", [
    # the bundled store's case: 2025 (13.5) was put above 2020-06 (2.6) with "-80.7%"
    ([(13.5, "2025"), (2.6, "2020-06")], "period", ["2020-06", "2025"], [None, (10.9, 4.1923)]),
    ([(3.0, "2025"), (1.0, "2019"), (2.0, "as of 2020-12")], "period", ["2019", "as of 2020-12", "2025"],
     [None, (1.0, 1.0), (1.0, 0.5)]),
    ([(13.5, "2025"), (2.6, "2020-06")], "region", ["西藏自治区"], [(10.9, 4.1923)]),
])
def test_a_change_runs_from_the_earlier_period_to_the_later(values: list[tuple[float, str]], by: str,
                                                             labels: list[str], changes: list[object]) -> None:
    comp = compare_facts([fact(v, p) for v, p in values], by=by)
    assert [r.label for r in comp.rows] == labels
    got = [None if r.change_abs is None else (round(r.change_abs, 4), round(r.change_rel or 0, 4))
           for r in comp.rows]
    assert got == changes


def test_a_level_and_its_change_are_never_one_series() -> None:
    facts = [fact(280.2, "2025"), fact(229.7, "2024"), fact(50.5, "2025", kind="change")]
    for by in ("region", "period"):
        comp = compare_facts(facts, by=by)
        assert comp.kind == "level"
        levels = [r for r in comp.rows if r.kind == "level"]
        assert [r.value for r in levels] == ([280.2] if by == "region" else [229.7, 280.2])
        change = [r for r in comp.rows if r.kind == "change"]
        assert [r.value for r in change] == [50.5] and change[0].change_abs is None
        assert not any("conflict" in n for n in comp.notes)


def test_the_kind_asked_is_the_one_compared() -> None:
    facts = [fact(280.2, "2025"), fact(50.5, "2025", kind="change"), fact(40.0, "2024", kind="change")]
    comp = compare_facts(facts, kind="change", by="period")
    assert [(r.kind, r.value) for r in comp.main_rows] == [("change", 40.0), ("change", 50.5)]
    assert comp.title.endswith("· change")


@pytest.mark.parametrize("kwargs, message", [
    ({"kind": "growth"}, "unknown kind 'growth'"),
    ({"kind": "rate"}, "no rate figures"),
    ({"baseline": "Atlantis"}, "baseline 'Atlantis' is not a row"),
    ({"start": "1999"}, "no figures for period '1999'"),
    ({"unit": "kWh"}, "unit 'kWh' does not convert from CNY"),
    ({"by": "topic"}, "by wants region or period"),
])
def test_unknown_names_are_errors_with_the_closest(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(CompareError, match=message) as info:
        compare_facts([fact(1.0, "2025"), fact(2.0, "2024", "芒康县")], **kwargs)
    assert info.value.exit_code == 2
    assert any(hint in str(info.value) for hint in ("closest", "has:", "region or period"))


def test_a_series_by_period_is_one_place() -> None:
    facts = [fact(90, "2019", "拉萨市", base_unit="count", scale=1), fact(91, "2020", "芒康县", base_unit="count", scale=1)]
    comp = compare_facts(facts, by="period")
    assert {r.label for r in comp.rows} == {"2019 · 拉萨市", "2020 · 芒康县"}
    assert all(r.change_abs is None for r in comp.rows), "no change across places"


def test_by_region_shows_the_latest_period_and_the_change_since_the_first() -> None:
    comp = compare_facts(FACTS)
    assert comp.unit_label == "亿元" and comp.period_label == "2025"
    assert [r.label for r in comp.rows] == ["西藏自治区", "昌都市", "芒康县"]
    tibet = comp.rows[0]
    assert tibet.bar == 1.0 and round(tibet.change_abs or 0, 1) == 50.5 and tibet.change_from == "2024"
    assert list(tibet.cells) == ["2024", "2025"]


def test_the_two_periods_of_the_change_can_be_chosen_in_any_order() -> None:
    facts = [fact(1.0, "2019"), fact(2.0, "2020"), fact(4.0, "2025")]
    comp = compare_facts(facts, start="2025", end="2020")
    row = comp.rows[0]
    assert (comp.from_period, comp.to_period) == ("2020", "2025")
    assert row.value == 4.0 and row.change_abs == 2.0 and row.change_from == "2020"
    series = compare_facts(facts, by="period", start="2020", end="2025")
    assert [r.label for r in series.rows] == ["2020", "2025"]


def test_baseline_by_any_name_and_other_years_are_said() -> None:
    older = replace(FACTS[2], period="2019")  # 芒康县 only has a 2019 figure
    comp = compare_facts([FACTS[0], FACTS[1], older], baseline="Tibet")
    row = {r.label: r for r in comp.rows}
    assert comp.baseline == "西藏自治区" and row["西藏自治区"].ratio == 1.0
    assert round(row["昌都市"].ratio or 0, 4) == round(12.5 / 280.2, 4)
    assert row["芒康县"].note == "2019 figure"


def test_baseline_by_period_is_a_place_at_the_same_period() -> None:
    facts = [fact(10, "2024"), fact(20, "2025"), fact(5, "2024", "昌都市"), fact(5, "2025", "昌都市")]
    comp = compare_facts(facts, by="period", baseline="昌都市")
    ratios = {r.label: r.ratio for r in comp.rows}
    assert ratios == {"2024 · 西藏自治区": 2.0, "2025 · 西藏自治区": 4.0, "2024 · 昌都市": 1.0, "2025 · 昌都市": 1.0}


def test_a_conflict_shows_both_values_with_their_sources() -> None:
    facts = [fact(13.5, "2025", doc="a.txt", metric_zh="农产品网上零售额"),
             fact(4.0, "2025", doc="b.txt", metric_zh="参与直播的农产品实现网上零售额"),
             fact(13.5, "2025", doc="c.txt", qualifier="over"), fact(2.6, "2020-06")]
    comp = compare_facts(facts, by="period")
    assert comp.rows[-1].value == 13.5 and round(comp.rows[-1].change_rel or 0, 2) == 4.19
    (note,) = [n for n in comp.notes if "conflict" in n]
    assert "13.5 (农产品网上零售额, a.txt)" in note and "4 (参与直播的农产品实现网上零售额, b.txt)" in note


def test_over_and_exact_figures_agree() -> None:
    comp = compare_facts([fact(280.0, "2025", qualifier="over"), fact(280.2, "2025")])
    assert comp.rows[0].value == 280.2 and not comp.notes


def test_units_convert_through_the_base_unit_and_others_are_set_apart() -> None:
    yuan = fact(4.49, "2020", unit="亿元", doc="zh")
    million = fact(260.0, "2020", "昌都市", unit="million yuan", scale=1e6, doc="en")
    pct = fact(12.0, "2020", "芒康县", unit="%", base_unit="percent", scale=1)
    comp = compare_facts([yuan, million, pct])
    assert [(r.label, r.value) for r in comp.rows] == [("西藏自治区", 4.49), ("昌都市", 2.6)]
    assert comp.set_apart == [pct] and "in other units set apart" in comp.notes[0]
    wan = compare_facts([yuan, million], unit="万元")
    assert wan.unit_label == "万元" and [r.value for r in wan.rows] == [44900.0, 26000.0]


@pytest.mark.parametrize("base, asked, divisor", [
    ("CNY", "亿元", 1e8), ("CNY", "million yuan", 1e6), ("CNY", "元", 1.0), ("percent", "percent", 1.0),
    ("percent", "%", 1.0), ("person_time", "万人次", 1e4),
])
def test_display_units(base: str, asked: str, divisor: float) -> None:
    assert display_unit(base, asked, [1.0])[0] == divisor


def test_facts_of_other_metrics_are_set_apart_never_a_conflict() -> None:
    a, b = fact(1.0, "2025"), fact(2.0, "2025", metric_id="other")
    comp = compare_facts([a, a, b])
    assert len(comp.rows) == 1 and comp.set_apart == [b] and "other metrics" in comp.notes[0]


def test_a_qualifier_before_a_generic_metric_word_selects_the_specific_metric() -> None:
    entry = lookup("参与直播的农产品实现网上零售额")
    assert entry is not None and entry["id"] == "agri_online_retail_sales"
    entry = lookup("全区网上零售额")
    assert entry is not None and entry["id"] == "online_retail_sales"


# --- the command line ------------------------------------------------------------------------

@pytest.fixture
def known_store(store_path):  # noqa: ANN001, ANN201 - conftest's fixture
    """A store of known values: a level series with its change, two places, two documents."""
    from tibet_facts.store.model import Document
    from tibet_facts.store.repository import FactStore

    docs = [Document(id="a.txt", name="a.txt", title="Report A", publisher="Tibet Daily", date="2025-12"),
            Document(id="b.txt", name="b.txt", title="Report B", publisher="China Tibet News", date="2020-07")]
    facts = [fact(13.5, "2025", doc="a.txt"), fact(2.6, "2020-06", doc="b.txt"),
             fact(10.9, "2025", kind="change", doc="a.txt"), fact(1.2, "2025", "芒康县", doc="a.txt"),
             fact(0.4, "2020-06", "芒康县", doc="b.txt")]
    facts = [replace(f, region_en="Tibet Autonomous Region" if f.region == "西藏自治区" else "Markam County")
             for f in facts]
    store = FactStore.open(store_path)
    store.add(docs, facts)
    return store


def cli(*args: str, columns: int = 200) -> tuple[int, str, str]:
    from typer.testing import CliRunner

    from tibet_facts.tui.cli import app

    result = CliRunner().invoke(app, list(args), env={"COLUMNS": str(columns)})
    return result.exit_code, result.stdout, result.stderr


def test_cli_by_period_is_in_time_order_with_the_change_from_the_earlier(known_store) -> None:  # noqa: ANN001
    code, out, _ = cli("compare", "--metric", "m", "--by", "period", "--format", "json")
    cells = [c for c in json.loads(out)["cells"] if c["kind"] == "level" and c["place"] == "西藏自治区"]
    assert code == 0 and [c["period"] for c in cells] == ["2020-06", "2025"]
    assert round(cells[1]["change"], 2) == 10.9 and round(cells[1]["change_rel"], 3) == 4.192
    assert cells[1]["doc_title"] == "Report A" and cells[0]["doc_publisher"] == "China Tibet News"


def test_cli_a_level_and_its_change_are_never_one_series(known_store) -> None:  # noqa: ANN001
    code, out, _ = cli("compare", "--metric", "m", "--by", "period")
    lines = [line for line in out.splitlines() if "西藏自治区" in line]
    assert code == 0 and any("change" in line and "10.9 [2]" in line for line in lines)
    level_2025 = next(line for line in lines if line.lstrip().startswith("2025") and " level " in line)
    assert "13.5 [2]" in level_2025 and "+10.9 (+419.2%)" in level_2025
    assert "[1] Report B, China Tibet News, 2020-07" in out  # sources numbered as first cited
    code, out, _ = cli("compare", "--metric", "m", "--kind", "change", "--format", "csv")
    assert code == 0 and {r["kind"] for r in csv.DictReader(io.StringIO(out))} == {"change", "level"}
    assert "conflict" not in cli("compare", "--metric", "m")[1]


@pytest.mark.parametrize("args, words", [
    (("--metric", "nope_metric"), "no facts of metric 'nope_metric'; closest:"),
    (("--metric", "m", "--baseline", "Atlantis"), "baseline 'Atlantis' is not a row"),
    (("--metric", "m", "--kind", "growth"), "unknown kind 'growth'; closest: rate"),
    (("--metric", "m", "--from", "1999"), "no figures for period '1999'; closest:"),
    (("--metric", "m", "--unit", "kWh"), "unit 'kWh' does not convert from CNY"),
    (("--metric", "m", "--format", "pdf"), "--format wants one of"),
    (("--metric", "m", "--by", "topic"), "by wants region or period"),
])
def test_cli_unknown_names_are_one_line_with_exit_2(known_store, args: tuple[str, ...], words: str) -> None:  # noqa: ANN001
    code, out, err = cli("compare", *args)
    assert code == 2 and words in err and err.count("\n") == 1 and err.startswith("tibet-facts: ")


def test_cli_baseline_by_any_name_and_display_unit(known_store) -> None:  # noqa: ANN001
    code, out, _ = cli("compare", "--metric", "m", "--baseline", "Markam", "--unit", "万元", "--format", "json")
    cells = {(c["place"], c["period"], c["kind"]): c for c in json.loads(out)["cells"]}
    assert code == 0 and cells[("西藏自治区", "2025", "level")]["value"] == 135000.0
    assert round(cells[("西藏自治区", "2025", "level")]["ratio"], 2) == 11.25
    assert cells[("芒康县", "2025", "level")]["unit"] == "万元"


@pytest.mark.parametrize("by", ["region", "period"])
def test_cli_table_fits_80_columns_without_a_wrapped_cell(known_store, by: str) -> None:  # noqa: ANN001
    from rich.cells import cell_len

    code, out, _ = cli("compare", "--metric", "m", "--by", by, "--baseline", "西藏自治区", columns=80)
    assert code == 0
    assert all(cell_len(line) <= 80 for line in out.splitlines())
    rows = [line for line in out.splitlines() if " [" in line and not line.startswith("[")]
    assert len(rows) == (3 if by == "region" else 5), "one line a row: no cell wrapped onto another line"


@pytest.mark.parametrize("fmt", ["md", "html", "svg", "jsonl"])
def test_cli_compare_formats_carry_sources(known_store, fmt: str) -> None:  # noqa: ANN001
    code, out, _ = cli("compare", "--metric", "m", "--format", fmt)
    assert code == 0 and "Report A" in out.replace("&#160;", " ").replace("\xa0", " ")


def test_cli_chart_and_its_svg(known_store) -> None:  # noqa: ANN001
    code, out, _ = cli("compare", "--metric", "m", "--chart", columns=80)
    assert code == 0 and "Tibet Autonomous Region" in out and "Markam County" in out and "\x1b" not in out
    assert all(len(line) <= 80 for line in out.splitlines())
    code, svg, _ = cli("compare", "--metric", "m", "--chart", "--format", "svg")
    assert code == 0 and svg.startswith("<svg") and "Report" in svg.replace("&#160;", " ")


def test_cli_compare_ids_follows_the_same_rules(known_store) -> None:  # noqa: ANN001
    ids = [f.id for f in known_store.facts]
    code, out, _ = cli("compare", *ids, "--by", "period", "--format", "json")
    assert code == 0 and {c["kind"] for c in json.loads(out)["cells"]} == {"level", "change"}
    code, _, err = cli("compare", "zzzz")
    assert code == 1 and "no fact with id zzzz" in err
