"""Which place a figure holds for: one table per rule, on sentences written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tibet_facts.store.extract import gazetteer
from tibet_facts.store.extract.pipeline import extract_facts
from tibet_facts.store.extract.region import RegionResolver
from tibet_facts.store.extract.sentences import layout


def place_of(text: str, number: str, body_start: int = 0) -> str:
    """The place resolved for the first occurrence of number in text."""
    return RegionResolver(text, layout(text), body_start).resolve(text.index(number)).name


def path_of(text: str, number: str) -> tuple[str, ...]:
    return RegionResolver(text, layout(text)).resolve(text.index(number)).path


@pytest.mark.parametrize(
    "text, number, place",
    [
        ("拉萨市完成示范项目12个，占全区40%。", "40", "拉萨市"),
        ("日喀则市建成冷链仓库9座，占全区总数的三成，占到全市投资的25%。", "25", "日喀则市"),
        ("Nyingchi received 8 million tourists, 20 percent of the region's total.", "20", "林芝市"),
    ],
)
def test_the_whole_of_a_share_is_not_where_it_holds(text: str, number: str, place: str) -> None:
    assert place_of(text, number) == place


@pytest.mark.parametrize(
    "text, number, place",
    [
        ("在上海援藏资金支持下，江孜县青稞产值达2亿元。", "2", "江孜县"),
        ("江苏省对口支援拉孜县，建成温室60座。", "60", "拉孜县"),
        ("仲巴县的牦牛肉销往成都，销售额达5000万元。", "5000", "仲巴县"),
        ("亚东县的货物运往尼泊尔，边贸额达3亿元。", "3", "亚东县"),
        ("Gerze County is 300 km from Shiquanhe and has 20,000 herders.", "300", "改则县"),
    ],
)
def test_aid_givers_destinations_and_origins_do_not_hold(
        text: str, number: str, place: str) -> None:
    assert place_of(text, number) == place


@pytest.mark.parametrize(
    "number, place",
    [("100", "贡嘎县"), ("80", "乃东区"), ("50", "加查县")],
)
def test_each_item_of_a_list_takes_its_own_place(number: str, place: str) -> None:
    assert place_of("山南市新建温室贡嘎100座、乃东80座、加查50座。", number) == place


def test_a_count_of_a_bare_list_is_not_its_last_item() -> None:
    text = "那曲市分别在班戈、尼玛、申扎3县建设基地，带动牧户900户。"
    assert place_of(text, "3") == "那曲市" and place_of(text, "900") == "那曲市"


@pytest.mark.parametrize(
    "text, number, place",
    [
        ("牦牛育肥项目方面，投资800万元，在洛扎县建成冷库。", "800", "洛扎县"),
        ("Solar farms generate 60 percent of the power in southwest China's Xizang.", "60",
         "西藏自治区"),
        ("林芝市旅游业发展迅速。接待游客120万人次，在全区排名第三。", "120", "林芝市"),
    ],
)
def test_a_place_after_the_number_holds_only_where_it_is_located(
        text: str, number: str, place: str) -> None:
    assert place_of(text, number) == place


@pytest.mark.parametrize(
    "text, number, place",
    [
        ("昌都市八宿县建成光伏电站。这是全球海拔最高的光伏电站，装机容量达50兆瓦。", "50", "八宿县"),
        ("那曲市色尼区建成全国首个高原冷链园区，年吞吐量达8万吨。", "8", "色尼区"),
        ("全国网络零售额增长7%。", "7", "全国"),  # a nationwide figure, named as such
    ],
)
def test_a_frame_of_comparison_is_not_a_place(text: str, number: str, place: str) -> None:
    assert place_of(text, number) == place


def test_places_named_side_by_side_hold_together_under_their_common_place() -> None:
    text = "项目包括芒康100兆瓦和贡觉80兆瓦两个项目。建成后年发电量约20亿千瓦时。"
    assert [place_of(text, n) for n in ("100", "80", "20")] == ["芒康县", "贡觉县", "昌都市"]


@pytest.mark.parametrize(
    "text, number, place",
    [
        # the headline's place, for a figure that names none
        ("Herders of Tsochen sell online\nThe county sold goods worth 13 million yuan.", "13",
         "措勤县"),
        ("Parcels reach Tashi Dzom\n"
         "At the world's highest post office, Yang handled 200 parcels a day.",
         "200", "扎西宗乡"),
        # the lead's, after a headline that names none
        ("Roads to the roof of the world\nPhari Town opened a market. It sold 300 tons of wool.",
         "300", "帕里镇"),
        # the dateline's, when nothing else is named
        ("本报昌都电 今年以来，网络零售额增长15%。", "15", "昌都市"),
        ("本报昌都电 今年以来，全市网络零售额增长15%。", "15", "昌都市"),
        # a headline about the world keeps it as the subject
        ("建设一个更加美好的世界\n全年援助项目达120个。", "120", "全球"),
    ],
)
def test_a_figure_without_a_place_takes_its_sections_subject(
        text: str, number: str, place: str) -> None:
    assert place_of(text, number) == place


def test_the_front_matter_names_no_place_of_the_article() -> None:
    text = "---\ntitle: Asia energy notes\n---\nClean power rose 15 percent."
    body = text.index("Clean")
    assert place_of(text, "15") == "亚洲"
    assert place_of(text, "15", body) == "unknown"


@pytest.mark.parametrize(
    "text, number, path",
    [
        ("拉孜县扎西宗乡牧民合作社分红30万元。", "30", ("西藏自治区", "日喀则市", "拉孜县", "扎西宗乡")),
        ("定日县扎西宗乡快递量达1万件。", "1", ("西藏自治区", "日喀则市", "定日县", "扎西宗乡")),
        ("The office in Tashi Dzom, Tingri County handled 17 parcels.", "17",
         ("西藏自治区", "日喀则市", "定日县", "扎西宗乡")),
        ("亚东县边贸额达3亿元。", "3", ("西藏自治区", "日喀则市", "亚东县")),
        ("Yadong's border trade reached 3 billion yuan.", "3", ("西藏自治区", "日喀则市", "亚东县")),
    ],
)
def test_township_facts_attach_under_their_county(
        text: str, number: str, path: tuple[str, ...]) -> None:
    assert path_of(text, number) == path


def test_the_pipeline_reads_no_place_from_the_front_matter() -> None:
    text = "---\nsource: https://news.example/Asia\n---\nClean power rose 15 percent in Rutog."
    facts = extract_facts(text, doc_id="t", doc_name="t.txt", language="en",
                          body_start=text.index("Clean"))
    assert [(f.value, f.region) for f in facts] == [(15.0, "日土县")]


COUNTIES = sorted(p.name for p in gazetteer.all_places() if p.level == "county" and p.code)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(COUNTIES), st.sampled_from(COUNTIES))
def test_a_county_holds_its_figures_whatever_place_is_a_share_base_or_destination(
        a: str, b: str) -> None:
    assert place_of(f"{a}完成投资5亿元，占{b}的40%。", "40") == a
    assert place_of(f"{a}生产的青稞销往{b}，产值达3亿元。", "3") == a


@pytest.mark.parametrize(
    "text, number, place",
    [
        ("全区网络零售额达150亿元，日喀则市、山南市分别实现30亿元、20亿元。", "30", "日喀则市"),
        ("全区网络零售额达150亿元，日喀则市、山南市分别实现30亿元、20亿元。", "20", "山南市"),
        ("林芝市和昌都市游客人数分别增长12%和9%。", "9", "昌都市"),
        ("粮食产量47万吨，比上年增长3%，拉萨市分别完成5万吨。", "5", "拉萨市"),  # no list: no pairing
    ],
)
def test_respectively_pairs_the_listed_places_with_the_figures(
        text: str, number: str, place: str) -> None:
    assert place_of(text, number) == place


def test_a_share_is_held_by_the_place_named_last_before_it() -> None:
    text = "西藏自治区网络零售额达到229亿元，其中拉萨市实现120亿元，占全区的52%。"
    assert place_of(text, "52") == "拉萨市"


def test_this_city_refers_to_the_city_the_figures_hold_for_not_a_destination() -> None:
    text = "日喀则市桑珠孜区建成大棚500座，蔬菜销往拉萨、山南等地。全市蔬菜自给率达85%。"
    assert place_of(text, "85") == "日喀则市"


def test_a_known_township_is_not_swallowed_by_the_words_before_it() -> None:
    text = "亚东县依托帕里镇边贸市场，实现边贸额3.2亿元。"
    assert [m.place.name for m in gazetteer.find_mentions(text)] == ["亚东县", "帕里镇"]
    assert place_of(text, "3.2") == "亚东县"


@pytest.mark.parametrize(
    "text, number, place",
    [
        ("林芝市居民收入增长9%，高于全区平均水平2个百分点。", "2", "林芝市"),
        ("昌都市生产总值增长8%，比全国快3.1个百分点。", "3.1", "昌都市"),
        ("来自拉萨市统计局的数据显示，全市游客达3000万人次。", "3000", "拉萨市"),
        ("来自四川的游客达50万人次，林芝市旅游收入增长。", "50", "林芝市"),  # an origin, not the holder
    ],
)
def test_the_base_of_a_comparison_and_a_source_of_data(text: str, number: str, place: str) -> None:
    assert place_of(text, number) == place


@pytest.mark.parametrize(
    "text, number, place",
    [
        ("新华社拉萨3月2日电 粮食产量达到110万吨。", "110", "拉萨市"),
        ("本报日喀则3月2日讯 粮食产量达到110万吨。", "110", "日喀则市"),
        ("中新社林芝12月20日电 （记者 张三）接待游客达到110万人次。", "110", "林芝市"),
        ("人民网拉萨1月5日电 粮食产量达到110万吨。", "110", "拉萨市"),
        ("本报山南讯 粮食产量达到110万吨。", "110", "山南市"),
        # 全区 in a dispatch from Lhasa is the whole region, not the city
        ("新华社拉萨3月2日电 全区粮食产量达到110万吨。", "110", "西藏自治区"),
    ],
)
def test_a_dated_chinese_dateline_is_the_dispatch_place(text: str, number: str, place: str) -> None:
    assert place_of(text, number) == place


@pytest.mark.parametrize(
    "text, number, place",
    [
        ("Shigatse's Tingri County has 20,000 herders.", "20", "定日县"),
        ("Lhasa's Chengguan District earned 3 billion yuan.", "3", "城关区"),
        ("Nakchu's Amdo County built 40 barns.", "40", "安多县"),
        ("Chamdo’s Markam County built 40 barns.", "40", "芒康县"),
    ],
)
def test_a_possessive_goes_on_the_place_chain(text: str, number: str, place: str) -> None:
    assert place_of(text, number) == place


@pytest.mark.parametrize(
    "text, number, place",
    [
        ("Jiangsu province has invested 3 billion yuan in aid projects in Lhatse County.", "3",
         "拉孜县"),
        ("Shanghai has sent 1,200 aid workers to Shigatse.", "1,200", "日喀则市"),
        ("Beijing invested 5 billion yuan in Lhasa.", "5", "拉萨市"),
        ("Nyingchi's tea is sold to Beijing and Shanghai, earning 20 million yuan.", "20", "林芝市"),
        ("仲巴县的牦牛肉销往成都和上海，销售额达5000万元。", "5000", "仲巴县"),
        ("Lhasa has invested 3 billion yuan in roads.", "3", "拉萨市"),  # Tibet's own spending
    ],
)
def test_english_aid_givers_and_every_destination_of_a_list_do_not_hold(
        text: str, number: str, place: str) -> None:
    assert place_of(text, number) == place


@pytest.mark.parametrize(
    "text, number, place",
    [
        ("日喀则市仲巴县和萨嘎县大力发展畜牧业。两县共落实资金2.3亿元。", "2.3", "日喀则市"),
        ("仲巴县和萨嘎县共落实资金2.3亿元。", "2.3", "日喀则市"),
        ("芒康县与贡觉县共建成温室60座。", "60", "昌都市"),
        ("Lhasa and Nyingchi received 3 million tourists.", "3", "西藏自治区"),
        ("江孜县和拉萨市共落实资金2.3亿元。", "2.3", "西藏自治区"),
        ("拉萨市和日喀则市分别实现30亿元、20亿元。", "20", "日喀则市"),  # each its own
        ("Tashi Dzom, Tingri County handled 3,000 tons.", "3,000", "扎西宗乡"),  # an apposition
    ],
)
def test_a_coordinated_subject_is_the_place_holding_its_items(
        text: str, number: str, place: str) -> None:
    assert place_of(text, number) == place
