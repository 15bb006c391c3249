"""The whole extraction on short articles: what each general rule must produce."""

from __future__ import annotations

import pytest

from tibet_facts.store.corpus import guess_date, make_source
from tibet_facts.store.ingest import extract_source
from tibet_facts.store.model import Fact


def facts(text: str, date: str = "unknown") -> list[Fact]:
    meta = {"date": date} if date != "unknown" else {}
    return extract_source(make_source("t.txt", text, meta=meta))


def by_value(found: list[Fact]) -> dict[float, Fact]:
    return {f.value: f for f in found}


def test_respectively_pairs_rates_with_the_figures_before_them() -> None:
    got = by_value(facts("2024年日喀则市粮食播种面积达到95.6万亩，粮食总产量超过47万吨，分别比上年增长1.2%和3.4%。"))
    assert got[1.2].metric_zh == "粮食播种面积增速" and got[1.2].kind == "rate"
    assert got[3.4].metric_zh == "粮食总产量增速" and got[3.4].kind == "rate"
    assert {f.region for f in got.values()} == {"日喀则市"} and {f.period for f in got.values()} == {"2024"}


@pytest.mark.parametrize(
    "text, absent",
    [
        ("西藏和平解放70多年来，全区经济总量增长到2764.94亿元。", 70.0),
        ("记者26日从西藏自治区商务厅获悉，网络零售额增长12%。", 26.0),
        ("庆祝西藏自治区成立60周年，拉萨接待游客500万人次。", 60.0),
        ("In the first nine months of 2023, Tibet's GDP grew 9.8 percent.", 9.0),
        ("国道318线沿线5G基站覆盖率提高。", 318.0),
        ("第二届比赛于2025年10月29日举行。", 29.0),
    ],
)
def test_not_facts(text: str, absent: float) -> None:
    assert absent not in {f.value for f in facts(text)}


def test_a_currency_conversion_is_its_own_fact_measuring_the_same_thing() -> None:
    got = by_value(facts("Online sales in Nyingchi reached more than 5.2 billion yuan "
                         "(about 730 million U.S. dollars) in 2024.", "2025-01-10"))
    cny, usd = got[5.2], got[730.0]
    assert (usd.base_unit, usd.base_value) == ("USD", 730e6)
    for name in ("metric_zh", "metric_en", "metric_id", "qualifier", "kind", "region", "period", "topic"):
        assert getattr(usd, name) == getattr(cny, name), name
    assert cny.qualifier == "over" and cny.period == "2024"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Nagqu has a population of 850,000.", 850000.0),
        ("该县总人口约3.5万，牧民占九成。", 3.5),
    ],
)
def test_a_bare_number_counted_by_a_population_phrase_is_a_fact(text: str, value: float) -> None:
    assert value in {f.value for f in facts(text)}


def test_english_article_metrics_periods_and_dateline() -> None:
    text = ("LHASA, Jan. 15 (Xinhua) -- The Xizang Autonomous Region's total output of grain reached 1.08 million "
            "tonnes in 2024, up 2.1 percent year on year. The region's clean energy installed capacity exceeded "
            "6,000 megawatts by the end of 2024.")
    got = by_value(facts(text))
    assert got[1.08].metric_id == "grain_output" and got[1.08].region == "西藏自治区"
    assert got[2.1].metric_id == "grain_output_growth" and got[2.1].kind == "rate"
    assert got[6000.0].period == "as of 2024-12" and got[6000.0].base_unit == "MW"


def test_reporting_lead_frames_the_paragraph_year() -> None:
    text = "统计局发布数据显示，2024年西藏地区生产总值达2764.94亿元。其中，第一产业增加值236.11亿元。"
    assert {f.period for f in facts(text)} == {"2024"}


@pytest.mark.parametrize(
    "head, date",
    [
        ("Source: China Tibet Online  2024-04-18\n", "2024-04-18"),
        ("update:June 24,2020\n", "2020-06-24"),
        ("2025年12月21日 来源：西藏日报\n", "2025-12-21"),
        ("没有日期的文章。\n", "unknown"),
    ],
)
def test_publication_date_from_the_page_top(head: str, date: str) -> None:
    assert guess_date(head + "正文。") == date


def test_english_growth_cues_subjects_and_plans() -> None:
    text = ("LHASA, March 3 (Xinhua) -- During the 14th Five-Year Plan period (2021-2025), Xizang's foreign trade "
            "grew by an average of 20 percent annually. The Gyirong port, a key land port on the border, handled "
            "180,000 tonnes of goods in 2024. The pandemic had cut visits by 30 to 40 percent in 2020.")
    got = by_value(facts(text))
    assert 5.0 not in got and 14.0 not in got, "the 14th Five-Year Plan is a name"
    assert got[20.0].kind == "rate" and got[20.0].period == "2021..2025"
    assert got[20.0].metric_id == "foreign_trade_growth"
    assert "port" in got[180000.0].metric_en and got[180000.0].region == "吉隆县"
    assert got[30.0].kind == got[40.0].kind == "rate"
    assert (got[30.0].qualifier, got[40.0].qualifier) == ("over", "under")


def test_a_huge_document_is_read_in_pieces_with_the_same_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above four pieces' worth of text, extraction goes a piece at a time (cut at line breaks):
    the same facts, at the same offsets, with the same ids as one pass over the whole text."""
    from pathlib import Path

    from tibet_facts.store import ingest

    seed = (Path(__file__).resolve().parents[1] / "seeds" / "000_db068d9a30e3f56d.txt").read_text("utf-8")
    source = make_source("huge.txt", "\n\n".join([seed] * 3))
    whole = {f.id: f for f in extract_source(source)}
    monkeypatch.setattr(ingest, "CHUNK_CHARS", len(seed) // 5)
    pieces = {f.id: f for f in extract_source(source)}
    assert set(pieces) == set(whole)
    for fid, f in pieces.items():
        w = whole[fid]
        assert (f.start, f.end, f.quote_start, f.quote, f.value, f.unit) == (w.start, w.end, w.quote_start, w.quote,
                                                                              w.value, w.unit)
    same = sum(1 for fid, f in pieces.items() if f == whole[fid])
    assert same >= 0.95 * len(whole), "only facts near a cut may read their place or period differently"
