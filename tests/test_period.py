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
