"""Kind (level, change, rate, share) and qualifier from the words around a number."""

from __future__ import annotations

import pytest

from tibet_facts.store.extract.kind import kind_of, qualifier_of


@pytest.mark.parametrize(
    "prefix, suffix, base_unit, expected",
    [
        ("2025年西藏全区网络零售额", "，同比增长", "CNY", "level"),
        ("280.2亿元，同比增长达", "。", "CNY", "change"),
        ("310万件，同比增长", "", "percent", "rate"),
        ("占社会消费品零售总额比重达", "", "percent", "share"),
        ("同比增加", "", "percentage_point", "change"),
        ("覆盖全县", "的行政村", "percent", "share"),
        ("2025年1月至9月，新增", "数字经济企业", "count", "change"),
        ("带动当地农作物平均增产", "", "percent", "rate"),
        ("累计达到", "", "count", "level"),
        ("户均年增收超", "", "CNY", "level"),
    ],
)
def test_kind(prefix: str, suffix: str, base_unit: str, expected: str) -> None:
    assert kind_of(prefix, suffix, base_unit) == expected


@pytest.mark.parametrize(
    "prefix, after, parsed, expected",
    [
        ("同比增长", "", "approx", "approx"),
        ("总投资预算约", "亿元", "exact", "approx"),
        ("户均超", "元", "exact", "over"),
        ("群众代购代缴相关资金", "余万元", "exact", "over"),
        ("企业2024年的产值在", "万元左右", "exact", "approx"),
        ("providing services for over ", " registered", "exact", "over"),
        ("全区", "亿元", "exact", "exact"),
    ],
)
def test_qualifier(prefix: str, after: str, parsed: str, expected: str) -> None:
    assert qualifier_of(prefix, after, parsed) == expected
