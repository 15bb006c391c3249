"""Time expressions resolve to the gold period forms against the document date."""

from __future__ import annotations

import pytest

from tibet_facts.store.extract.period import find_times


@pytest.mark.parametrize(
    "text, date, expected",
    [
        ("2025年西藏全区网络零售额", "unknown", "2025"),
        ("2025年1月-8月，拉萨", "unknown", "2025-01..2025-08"),
        ("2025年1月至9月，新增", "unknown", "2025-01..2025-09"),
        ("截至8月末，拉萨", "2025-11", "as of 2025-08"),
        ("截至2025年底，全区", "unknown", "as of 2025-12"),
        ("截至2024年6月，", "unknown", "as of 2024-06"),
        ("目前，芒康县", "2020", "as of 2020"),
        ("2022年10月，中国移动", "unknown", "2022-10"),
        ("今年5月，江苏", "2025-11", "2025-05"),
        ("去年全区", "2025-11", "2024"),
        ("2025年上半年", "unknown", "2025-01..2025-06"),
        ("Last year, a total of", "2020-06-24", "2019"),
        ("To date, an e-commerce service system", "2020-06-24", "as of 2020-06"),
        ("in 2019 the region", "unknown", "2019"),
        ("今年以来，拉萨经开区", "2020", "2020"),
        ("expanded 9.8 percent in the first nine months of 2023", "2023-10-27", "2023-01..2023-09"),
        ("in the first three quarters, the", "2023-10-27", "2023-01..2023-09"),
        ("stood at 162.86 billion yuan from January to September.", "2023-10-27", "2023-01..2023-09"),
        ("January-November 2024 figures", "unknown", "2024-01..2024-11"),
        ("In 2023, Xizang Power Grid", "2024", "2023"),
        ("for the past five years, revenue", "2018-01-25", "2013..2017"),
        ("Tourism revenue during the year reached", "2018-01-25", "2017"),
        ("Tourism revenue during the year reached", "2018-12-25", "2018"),
        ("全年全区地区生产总值", "2021-04", "2020"),
        ("自2004年以来,那曲地区共投入", "2011-10-08", "2004..2011"),
        ("1-11月，全区", "2025-12", "2025-01..2025-11"),
        ("1至2月，全区", "2025-03", "2025-01..2025-02"),
        ("近五年来，全区", "2025-11", "2021..2025"),
        ("年初以来，全区", "2025-11", "2025"),
    ],
)
def test_time_expressions(text: str, date: str, expected: str) -> None:
    assert [t.period for t in find_times(text, date)][:1] == [expected]


@pytest.mark.parametrize("text", ["目前，芒康县", "今年5月", "去年", "今年以来"])
def test_relative_times_stay_unknown_without_a_document_date(text: str) -> None:
    assert find_times(text, "unknown") == []


def test_this_year_so_far_frames_its_dispatch() -> None:
    """"本报昌都电……今年以来，…": every figure of the dispatch is of the year of writing."""
    from tibet_facts.store.extract.pipeline import extract_facts

    text = ("本报昌都电（记者 甲）今年以来，八宿县举办比赛活动。\n\n"
            "全县举办赛事31项，吸引1.4万余人次参与。\n")
    facts = extract_facts(text, doc_id="d", doc_name="d.txt", date="2025-12")
    assert [(f.value, f.period) for f in facts] == [(31, "2025"), (1.4, "2025")]


def _periods(text: str, date: str) -> list[tuple[float, str]]:
    from tibet_facts.store.extract.pipeline import extract_facts

    return [(f.value, f.period) for f in extract_facts(text, doc_id="d", doc_name="d.txt", date=date)]


@pytest.mark.parametrize("text, date, expected", [
    # a lead's time frames the figures under it that have none of their own
    ("GDP expanded 9.8 percent in the first nine months of 2023.\n\n"
     "Urban incomes increased by 5.8 percent.\n", "2023-10-27",
     [(9.8, "2023-01..2023-09"), (5.8, "2023-01..2023-09")]),
    # an average annual rate is over the years its sentence names
    ("快递业务量由2012年的284.32万件增长到2023年的2192.03万件，年均增长20.4%。", "2024-09",
     [(284.32, "2012"), (2192.03, "2023"), (20.4, "2012..2023")]),
    # a stock with no time of its own is as of the time of writing; a flow stays unknown
    ("软信企业共有160余家。销售额3亿元。", "2023-09-17", [(160, "as of 2023-09"), (3, "unknown")]),
    # "…since 2015." ending a sentence frames the next as the state reached by now
    ("The region has expanded e-commerce since 2015. With 449 million yuan, 27 counties joined.",
     "2020-06-24", [(449, "as of 2020-06"), (27, "as of 2020-06")]),
])
def test_framing_rules(text: str, date: str, expected: list[tuple[float, str]]) -> None:
    got = dict(_periods(text, date))
    assert [(value, got.get(value)) for value, _ in expected] == expected
