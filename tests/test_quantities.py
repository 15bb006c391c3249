"""The quantity parser (quantities.py and its modules scan, units, roles): numbers with units,
multipliers, qualifiers, ranges and roles."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_numerals import to_chinese
from tibet_facts.store.extract import quantities, roles
from tibet_facts.store.extract.lexicon import (
    EN_MONTH_ABBREVIATIONS,
    EN_MONTH_NAMES,
    QUALIFIERS_BEFORE,
)
from tibet_facts.store.extract.quantities import Quantity, parse_quantities
from tibet_facts.store.extract.scan import compact, fold, numbers, unmap
from tibet_facts.store.extract.units import (
    Multiplier,
    UnitRead,
    counted_noun,
    english_after,
    multiplier_after,
    zh_unit,
    zh_unit_after,
)


def one(text: str, number: str | None = None) -> Quantity:
    """The quantity whose number is `number` (the first one when not given)."""
    found = parse_quantities(text)
    if number is None:
        assert found, text
        return found[0]
    for q in found:
        if text[q.start:q.end] == number:
            return q
    raise AssertionError(f"{number!r} not read in {text!r}: {found}")


# text, number as written, value, unit, base_value, base_unit, qualifier
AMOUNTS = [
    ("全区GDP达280.2亿元", "280.2", 280.2, "亿元", 2.802e10, "CNY", "exact"),
    ("同比增长15.2%", "15.2", 15.2, "%", 15.2, "percent", "exact"),
    ("共1,432家企业", "1,432", 1432, "家", 1432, "count", "exact"),
    ("接待游客1.4万人次", "1.4", 1.4, "万人次", 14000, "person_time", "exact"),
    ("1.4万余人次", "1.4", 1.4, "万人次", 14000, "person_time", "over"),
    ("3万余人", "3", 3, "万人", 30000, "person", "over"),
    ("50多万平方公里", "50", 50, "万平方公里", 500000, "km2", "over"),
    ("230多亿美元", "230", 230, "亿美元", 2.3e10, "USD", "over"),
    ("一千二百万人", "一千二百万", 12_000_000, "人", 12_000_000, "person", "exact"),
    ("十万多个", "十万", 100000, "个", 100000, "count", "over"),
    ("三万余", "三万", 30000, "", 30000, "count", "over"),
    ("占两成", "两", 2, "成", 20, "percent", "exact"),
    ("三成半", "三", 3.5, "成", 35, "percent", "exact"),
    ("9.9折", "9.9", 9.9, "折", 99, "percent", "exact"),
    ("八五折", "八五", 85, "折", 85, "percent", "exact"),
    ("近一半", "一", 1, "半", 50, "percent", "approx"),
    ("百分之三十", "百分之三十", 30, "%", 30, "percent", "exact"),
    ("千分之2.4", "千分之2.4", 2.4, "‰", 0.24, "percent", "exact"),
    ("提高2.5个百分点", "2.5", 2.5, "个百分点", 2.5, "percentage_point", "exact"),
    ("1.5 percentage points", "1.5", 1.5, "percentage points", 1.5, "percentage_point", "exact"),
    ("上百家企业", "百", 100, "家", 100, "count", "over"),
    ("数十亿元", "十亿", 1e9, "元", 1e9, "CNY", "approx"),
    ("约3.3亿元", "3.3", 3.3, "亿元", 3.3e8, "CNY", "approx"),
    ("1800万元左右", "1800", 1800, "万元", 1.8e7, "CNY", "approx"),
    ("超5000元", "5000", 5000, "元", 5000, "CNY", "over"),
    ("突破280亿元", "280", 280, "亿元", 2.8e10, "CNY", "over"),
    ("60余万元", "60", 60, "万元", 600000, "CNY", "over"),
    ("99%以上", "99", 99, "%", 99, "percent", "over"),
    ("不到100人", "100", 100, "人", 100, "person", "under"),
    ("近80款产品", "80", 80, "款", 80, "item", "approx"),
    ("over 31,000 people", "31,000", 31000, "people", 31000, "person", "over"),
    ("more than 449 million yuan", "449", 449, "million yuan", 4.49e8, "CNY", "over"),
    ("nearly 30 percent", "30", 30, "percent", 30, "percent", "approx"),
    ("27 counties", "27", 27, "counties", 27, "count", "exact"),
    ("1,749 jobs", "1,749", 1749, "jobs", 1749, "count", "exact"),
    ("US$5m", "5", 5, "US$ m", 5e6, "USD", "exact"),
    ("$2.174T", "2.174", 2.174, "$ T", 2.174e12, "USD", "exact"),
    ("€10M", "10", 10, "€ M", 1e7, "EUR", "exact"),
    ("12万千瓦", "12", 12, "万千瓦", 120, "MW", "exact"),
    ("3.2亿千瓦时", "3.2", 3.2, "亿千瓦时", 3.2e8, "kWh", "exact"),
    ("500兆瓦", "500", 500, "兆瓦", 500, "MW", "exact"),
    ("100 MW", "100", 100, "MW", 100, "MW", "exact"),
    ("1.2万亩", "1.2", 1.2, "万亩", 12000, "mu", "exact"),
    ("3万吨", "3", 3, "万吨", 30000, "t", "exact"),
    ("5斤", "5", 5, "斤", 2.5, "kg", "exact"),
    ("三斤半", "三", 3.5, "斤", 1.75, "kg", "exact"),
    ("500立方米", "500", 500, "立方米", 500, "m3", "exact"),
    ("五十兆字节", "五十", 50, "兆字节", 5e7, "byte", "exact"),
    ("三千比特", "三", 3, "千比特", 3000, "bit", "exact"),
    ("2.4GHz", "2.4", 2.4, "GHz", 2.4e9, "Hz", "exact"),
    ("1.2万户", "1.2", 1.2, "万户", 12000, "household", "exact"),
    ("50块钱", "50", 50, "块钱", 50, "CNY", "exact"),
    ("74个县", "74", 74, "个县", 74, "count", "exact"),
    ("31 家", "31", 31, "家", 31, "count", "exact"),  # raw-ish text: a space before the unit
    ("35.6 %", "35.6", 35.6, "%", 35.6, "percent", "exact"),
    ("１２３万元", "１２３", 123, "万元", 1.23e6, "CNY", "exact"),  # full-width digits
    ("壹拾壹元壹角", "壹拾壹", 11.1, "元", 11.1, "CNY", "exact"),  # sub-units join the amount
    ("3 dollars 50 cents", "3", 3.5, "dollars", 3.5, "USD", "exact"),
    ("负3.9%", "3.9", -3.9, "%", -3.9, "percent", "exact"),
    ("5万4千6百元", "5万4千6百", 54600, "元", 54600, "CNY", "exact"),
    ("二十几万人", "二十几万", 200000, "人", 200000, "person", "over"),
    ("a dozen eggs", "a", 1, "dozen", 12, "count", "exact"),
    ("2 1/2 miles", "2 1/2", 2.5, "miles", 4.0225, "km", "exact"),
]


@pytest.mark.parametrize(("text", "number", "value", "unit", "base_value", "base_unit", "qualifier"), AMOUNTS)
def test_amounts(text: str, number: str, value: float, unit: str, base_value: float, base_unit: str,
                 qualifier: str) -> None:
    q = one(text, number if "负" not in text else None)
    assert (q.value, q.unit, q.base_unit, q.qualifier) == (pytest.approx(value), unit, base_unit, qualifier)
    assert q.base_value == pytest.approx(base_value)
    assert q.unit_end >= q.end


@pytest.mark.parametrize(
    ("text", "number", "role"),
    [
        ("2025年经济运行", "2025", "year"),
        ("in 2019 the output", "2019", "year"),
        ("（2024-2026）", "2026", "year"),
        ("二〇二五年", "二〇二五", "year"),
        ("10月29日", "29", "date"),
        ("10月29日", "10", "date"),
        ("2025年1月", "1", "date"),
        ("8月末", "8", "date"),
        ("June 24,2020", "24", "date"),
        ("上午10:30", "10", "time"),
        ("第二届博览会", "二", "ordinal"),
        ("第78届", "78", "ordinal"),
        ("the 3rd meeting", "3", "ordinal"),
        ("5G基站7486个", "5", "name"),
        ("国道318线", "318", "name"),
        ("G318", "318", "name"),
        ("1+6+N", "1", "name"),
        ("1+6+N", "6", "name"),
        ("Top10", "10", "name"),
        ("COVID-19", "19", "name"),
        ("电话0891-6833333", "0891", "code"),
        ("电话0891-6833333", "6833333", "code"),
        ("三个中心", "三", "word"),
        ("六个坚持", "六", "word"),
        ("一个重要的", "一", "word"),
        ("一批项目", "一", "word"),
        ("一方面", "一", "word"),
        ("跨越千里", "千", "word"),
        ("时隔20年", "20", "duration"),
        ("I bought a dozen eggs", "a", "word"),
        ("记者12日从拉萨获悉", "12", "date"),
        ("建院60周年之际", "60", "ordinal"),
        ("沿214国道分布", "214", "name"),
        ("along the 318号公路", "318", "name"),
        ("output in the first six months of 2022", "six", "duration"),
        ("sales in the past three quarters rose", "three quarters", "duration"),
        ("the region has several million yaks", "million", "word"),
        ("a few thousand tourists came", "thousand", "word"),
    ],
)
def test_not_amounts(text: str, number: str, role: str) -> None:
    assert one(text, number).role == role


@pytest.mark.parametrize(
    "text", ["一带一路", "十四五规划", "两委班子", "一幅画", "一站式服务", "一体化", "首届", "A级景区", "打造一流"])
def test_fixed_words_are_not_amounts(text: str) -> None:
    assert all(q.role != "amount" for q in parse_quantities(text))


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [("30%-60%", 30, 60), ("30%~60%", 30, 60), ("3至5个", 3, 5), ("8 to 16 meters", 8, 16)],
)
def test_ranges_are_two_amounts(text: str, low: float, high: float) -> None:
    lo, hi = parse_quantities(text)
    assert (lo.value, lo.low_high, lo.qualifier) == (low, "low", "over")
    assert (hi.value, hi.low_high, hi.qualifier) == (high, "high", "under")
    assert lo.base_unit == hi.base_unit != ""


@pytest.mark.parametrize(
    ("text", "number", "value"),
    [
        ("连续15日无降雨", "15", 15.0),  # a duration word before N日 keeps it a count of days
        ("three quarters of the villages", "three quarters", 0.75),  # a fraction, no time word
        ("1,200 tourists a day", "1,200", 1200.0),
    ],
)
def test_near_misses_stay_amounts(text: str, number: str, value: float) -> None:
    q = one(text, number)
    assert (q.role, q.value) == ("amount", value)


def test_year_range() -> None:
    assert [q.role for q in parse_quantities("2024-2026年")] == ["year", "year"]


def test_offsets_survive_spaces_and_traditional_forms() -> None:
    text = "增长 一 百 五 十 個 百 分 點，共 2.6 萬人次"
    found = parse_quantities(text)
    assert [q.base_value for q in found] == [150, 26000]
    assert text[found[0].start:found[0].end] == "一 百 五 十"
    assert text[found[1].start:found[1].unit_end] == "2.6 萬人次"


def test_sorted_and_inside() -> None:
    text = "全区接待游客6000万人次，旅游收入达到800亿元，增长15.2%，比2019年增加3.5个百分点"
    found = parse_quantities(text)
    assert [q.start for q in found] == sorted(q.start for q in found)
    assert [q.base_value for q in found if q.role == "amount"] == [6e7, 8e10, 15.2, 3.5]


# --- properties ------------------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    list("零一二三四五六七八九十百千万亿兆两半成折余多近约超第年月日个家人次元%％.,，-~+/ 　\t\n\r\x00()（）")
    + list("0123456789１２３ABGkmMTeE$€¥") + ["百分之", "个百分点", "万元", "亿元", "million", "percent", "and a half",
                                            "twenty", "over", "第", "\u202f", "\ud7ff", "𠀀"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join) | st.text(max_size=60))
def test_never_raises_and_spans_are_inside(text: str) -> None:
    found = parse_quantities(text)
    for q in found:
        assert 0 <= q.start < q.end <= q.unit_end <= len(text)
        assert text[q.start:q.end].strip()
        assert q.role and q.qualifier
    assert [q.start for q in found] == sorted(q.start for q in found)


_FORMS = st.sampled_from([
    ("{x}万元", 1e4, "CNY"), ("{x}亿元", 1e8, "CNY"), ("增长{x}%", 1.0, "percent"), ("{x}万人次", 1e4, "person_time"),
    ("{x}吨", 1.0, "t"), ("{x} million yuan", 1e6, "CNY"), ("达{x}亿千瓦时", 1e8, "kWh"), ("{x}个百分点", 1.0, "percentage_point"),
])


@settings(max_examples=200, deadline=None)
@given(_FORMS, st.one_of(st.integers(min_value=1, max_value=99_999),
                         st.decimals(min_value=0, max_value=9999, places=2, allow_nan=False).map(str)))
def test_rendered_arabic_reads_back(form: tuple[str, float, str], x: object) -> None:
    template, scale, base_unit = form
    text = template.format(x=x)
    amounts = [q for q in parse_quantities(text) if q.role == "amount"]
    assert len(amounts) == 1, (text, amounts)
    assert amounts[0].base_value == pytest.approx(float(str(x)) * scale)
    assert amounts[0].base_unit == base_unit


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=10, max_value=10**12 - 1), st.sampled_from(["元", "人", "吨", ""]))
def test_rendered_chinese_reads_back(n: int, unit: str) -> None:
    text = f"共计{to_chinese(n)}{unit}。"
    found = parse_quantities(text)
    assert len(found) == 1, (text, found)
    assert found[0].base_value * (2 if unit == "斤" else 1) == pytest.approx(n)



# --- the parser's modules -------------------------------------------------------------------
# scan.py finds numerals, units.py reads what follows one, roles.py decides the role.


def test_scan_finds_numerals_in_every_script() -> None:
    found = [(r.start, r.end, r.value, r.script) for r in numbers("增长6.8%，三成半，two million")]
    assert found == [(2, 5, 6.8, "ar"), (7, 8, 3.0, "cn"), (11, 22, 2e6, "en")]


def test_folding_keeps_offsets_and_compacting_maps_them_back() -> None:
    assert fold("９，９９９萬") == "9,999万"
    text, cpos, removed = compact("一 百 五 十")
    assert text == "一百五十"
    assert [unmap(p, cpos, removed) for p in range(4)] == [0, 2, 4, 6]


def test_units_read_after_a_number() -> None:
    assert zh_unit("280.2亿元", 5) is None  # 亿 is a multiplier, not a unit
    assert zh_unit("280.2亿元", 6) == UnitRead("元", "CNY", 1.0, 7)
    assert zh_unit_after("48块电子显示屏", 2) == UnitRead("块", "count", 1.0, 3)
    assert zh_unit_after("三块钱", 1) == UnitRead("块钱", "CNY", 1.0, 3)
    assert counted_noun("744 online stores are", 3) == UnitRead("stores", "count", 1.0, 17)


def test_multipliers_read_after_a_number() -> None:
    assert multiplier_after("3万余人", 1, "ar") == Multiplier(1e4, "万", "余", 3)
    # A Chinese numeral holds its multipliers: the 千 after 三 starts the unit 千比特.
    assert multiplier_after("三千比特", 1, "cn") == Multiplier(1.0, "", "", 1)
    assert english_after("$3bn of aid", 1, 2, 3.0) == (Multiplier(1e9, "bn", "", 4), None)
    assert english_after("5G networks", 0, 1, 5.0)[0] is None  # 5G is a network generation


_WINDOW = st.lists(st.sampled_from(
    [w for words in QUALIFIERS_BEFORE.values() for w in words]
    + [*EN_MONTH_NAMES, *EN_MONTH_ABBREVIATIONS, "NEARLY", "Over", "JAN.", "不", "上", "了", "5"]
    + list(" \t\n\u3000\u00a0\u2009.,-xyzİıſK")), max_size=8).map("".join)


@settings(max_examples=300, deadline=None)
@given(_WINDOW)
def test_cheap_tests_never_skip_a_match(window: str) -> None:
    """The qualifier and month searches are skipped by a cheap test of the window's last letter
    or its Latin letters; whatever the window, that gives what the search alone would."""
    m = quantities._QUALIFIER_BEFORE.search(window)
    assert quantities._qualifier_word_before(window) == (m.lastgroup if m else "")
    assert roles._en_date_before(window) == (roles._EN_DATE_BEFORE.search(window) is not None)
