"""Time expressions resolve to the gold period forms against the document date: the pipeline's view
(find_times), the framing rules that use it, and the grammar itself (timex.parse_periods) one form
at a time, with properties over any year, month, range and text."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tibet_facts.store.extract.period import find_times
from tibet_facts.store.extract.timex import parse_periods
from tibet_facts.store.extract.timex_model import Period


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
        (
            "expanded 9.8 percent in the first nine months of 2023",
            "2023-10-27",
            "2023-01..2023-09",
        ),
        ("in the first three quarters, the", "2023-10-27", "2023-01..2023-09"),
        (
            "stood at 162.86 billion yuan from January to September.",
            "2023-10-27",
            "2023-01..2023-09",
        ),
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
    """ "本报昌都电……今年以来，…": every figure of the dispatch is of the year of writing."""
    from tibet_facts.store.extract.pipeline import extract_facts

    text = (
        "本报昌都电（记者 甲）今年以来，八宿县举办比赛活动。\n\n"
        "全县举办赛事31项，吸引1.4万余人次参与。\n"
    )
    facts = extract_facts(text, doc_id="d", doc_name="d.txt", date="2025-12")
    assert [(f.value, f.period) for f in facts] == [(31, "2025"), (1.4, "2025")]


def _periods(text: str, date: str) -> list[tuple[float, str]]:
    from tibet_facts.store.extract.pipeline import extract_facts

    return [
        (f.value, f.period) for f in extract_facts(text, doc_id="d", doc_name="d.txt", date=date)
    ]


@pytest.mark.parametrize(
    "text, date, expected",
    [
        # a lead's time frames the figures under it that have none of their own
        (
            "GDP expanded 9.8 percent in the first nine months of 2023.\n\n"
            "Urban incomes increased by 5.8 percent.\n",
            "2023-10-27",
            [(9.8, "2023-01..2023-09"), (5.8, "2023-01..2023-09")],
        ),
        # an average annual rate is over the years its sentence names
        (
            "快递业务量由2012年的284.32万件增长到2023年的2192.03万件，年均增长20.4%。",
            "2024-09",
            [(284.32, "2012"), (2192.03, "2023"), (20.4, "2012..2023")],
        ),
        # a stock with no time of its own is as of the time of writing; a flow stays unknown
        (
            "软信企业共有160余家。销售额3亿元。",
            "2023-09-17",
            [(160, "as of 2023-09"), (3, "unknown")],
        ),
        # "…since 2015." ending a sentence frames the next as the state reached by now
        (
            "The region has expanded e-commerce since 2015. "
            "With 449 million yuan, 27 counties joined.",
            "2020-06-24",
            [(449, "as of 2020-06"), (27, "as of 2020-06")],
        ),
    ],
)
def test_framing_rules(text: str, date: str, expected: list[tuple[float, str]]) -> None:
    got = dict(_periods(text, date))
    assert [(value, got.get(value)) for value, _ in expected] == expected


# --- the grammar (timex), one expression at a time -----------------------------------------------


def _read(text: str, date: str) -> list[str]:
    return [str(m.period) for m in parse_periods(text, date)]


@pytest.mark.parametrize(
    "text, date, expected",
    [
        # years in every script
        ("2019年全区", "unknown", "2019"),
        (
            "良种基地,2024年青稞",
            "unknown",
            "2024",
        ),  # a comma before a year is no thousands separator
        ("二〇一九年全区", "unknown", "2019"),
        ("09年全区", "unknown", "2009"),
        ("乾隆元年", "unknown", "1736"),
        ("光绪三十年", "unknown", "1904"),
        ("in nineteen eighty four the", "unknown", "1984"),
        ("Sales rose in two thousand and eight.", "unknown", "2008"),
        ("calendar year 2012", "unknown", "2012"),
        # parts of a year
        ("2021年第二季度", "unknown", "2021-04..2021-06"),
        ("去年下半年", "2024-05", "2023-07..2023-12"),
        ("今年前两个月", "2024-05", "2024-01..2024-02"),
        ("2022年1—5月", "unknown", "2022-01..2022-05"),
        ("Q2 2021 results", "unknown", "2021-04..2021-06"),
        ("the 2021 Q2 results", "unknown", "2021-04..2021-06"),
        ("in the second half of 2018", "unknown", "2018-07..2018-12"),
        ("H1 2022 output", "unknown", "2022-01..2022-06"),
        ("the first eight months of 2022", "unknown", "2022-01..2022-08"),
        ("the final two months of 2020", "unknown", "2020-11..2020-12"),
        # months and dates (a date is its month)
        ("March 2020 figures", "unknown", "2020-03"),
        ("2019/7 data", "unknown", "2019-07"),
        ("7/2019 data", "unknown", "2019-07"),
        ("on 5 March 2024 the", "unknown", "2024-03"),
        ("3月5日，全区", "2024-06", "2024-03"),
        ("11月，全区", "2024-03", "2023-11"),  # the latest November by March 2024
        ("11月，全区", "2024-12", "2024-11"),
        ("this October", "2022-03-01", "2022-10"),
        # relative to the date of writing
        ("本月", "2024-05", "2024-05"),
        ("上个月", "2024-01", "2023-12"),
        ("下季度", "2024-11", "2025-01..2025-03"),
        ("上个半年", "2024-11", "2024-01..2024-06"),
        ("last year", "2024-03", "2023"),
        ("the year before last", "2024-03", "2022"),
        ("next quarter", "2024-11", "2025-01..2025-03"),
        ("the previous two quarters", "2024-05", "2023-10..2024-03"),
        ("the month after next", "2024-11", "2025-01"),
        ("近三年", "2024-09", "2022..2024"),
        ("during the year", "2018-02", "2017"),
        ("全年", "2021-04", "2020"),
        # ranges include their last year or month
        ("2019年至2021年", "unknown", "2019..2021"),
        ("2016—2020年", "unknown", "2016..2020"),
        ("2020年3月至2021年2月", "unknown", "2020-03..2021-02"),
        ("2019年11月至2月", "unknown", "2019-11..2020-02"),
        ("2008年和2010年之间", "unknown", "2008..2010"),
        ("from 2016 to 2020", "unknown", "2016..2020"),
        ("between March and June 2019", "unknown", "2019-03..2019-06"),
        ("Oct-Jan 2020", "unknown", "2019-10..2020-01"),
        ("from 2010 to the start of 2015", "unknown", "2010..2014"),
        ("十三五期间", "unknown", "2016..2020"),
        ("“十四五”时期", "unknown", "2021..2025"),
        ("the 1980s", "unknown", "1980..1989"),
        ("80年代", "unknown", "1980..1989"),
        # points and running totals
        ("截至2023年底", "unknown", "as of 2023-12"),
        ("截至6月末", "2024-09", "as of 2024-06"),
        ("到2020年底", "unknown", "as of 2020-12"),
        ("截至年底，全区", "2025-11", "as of 2025-12"),
        ("as of June 2023", "unknown", "as of 2023-06"),
        ("by the end of 2025", "unknown", "as of 2025-12"),
        ("目前", "2024-06", "as of 2024-06"),
        ("so far", "2024-06-03", "as of 2024-06"),
        ("自2015年以来", "2024-03", "2015..2024"),
        ("since 2012", "2020-05", "2012..2020"),
        ("2024年以来", "2024-03", "2024"),
    ],
)
def test_grammar_reads_each_form(text: str, date: str, expected: str) -> None:
    assert _read(text, date)[:1] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "3个月内",
        "12号",
        "已有1300年历史",
        "同比增长",
        "以上年龄段",
        "今后年均增长5%",
        "建成后年发电量约5亿千瓦时",
        "带来年收入100万元",
        "2030年议程",
        "She may come.",
        "They march on.",
        "It cost $2019.",
        "2019 tons of barley",
        "deliver 2000 pieces",
        "call 555-2019",
        "H2 production rose",  # a code alone is a part of a year only after a preposition
        "in 5 years",
        "an up-to-date list",
        "a second chance",
        "the end of the road",
        "1666.90125 BRL",
        "ABC-2019-X1",
    ],
)
def test_grammar_leaves_what_is_no_time(text: str) -> None:
    assert _read(text, "2024-06-03") == []


def test_running_totals_and_bare_now_are_marked() -> None:
    (since,) = parse_periods("自2015年以来，全区", "2024-03")
    (now,) = parse_periods("目前，全区", "2024-03")
    assert since.since and not since.now and (since.start, since.end) == (0, 8)
    assert now.now and not now.since


def test_a_dateline_does_not_frame_its_report() -> None:
    """ "June 24,2020 -- ..." says when the report was filed; the pipeline does not see it."""
    text = "June 24,2020 -- The region has 27 counties.\nIn May 2020, sales rose."
    assert [str(m.period) for m in parse_periods(text, "2020-06-24")] == ["2020-06", "2020-05"]
    assert [t.period for t in find_times(text, "2020-06-24")] == ["2020-05"]


_YEARS = st.integers(min_value=1900, max_value=2099)
_MONTHS = st.integers(min_value=1, max_value=12)
_MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@given(year=_YEARS, month=_MONTHS)
def test_any_month_of_any_year_reads_back(year: int, month: int) -> None:
    expected = str(Period.month(year, month))
    assert _read(f"{year}年{month}月，全区", "unknown") == [expected]
    assert _read(f"In {_MONTH_NAMES[month - 1]} {year}, the", "unknown") == [expected]
    assert _read(f"{year}-{month:02d} data", "unknown") == [expected]


@given(a=_YEARS, b=_YEARS)
def test_year_ranges_are_ordered_and_include_their_end(a: int, b: int) -> None:
    lo, hi = min(a, b), max(a, b)
    got = parse_periods(f"{lo}年至{hi}年，全区", "unknown")
    assert [str(m.period) for m in got] == [str(Period.years(lo, hi))]
    assert got[0].period.first <= got[0].period.last


@given(
    first=st.integers(min_value=1900 * 12, max_value=2099 * 12 + 11),
    length=st.integers(0, 60),
    asof=st.booleans(),
)
def test_periods_print_in_the_fact_format(first: int, length: int, asof: bool) -> None:
    period = Period(first, first + length)
    text = str(period.as_of() if asof else period)
    assert re.fullmatch(r"(as of )?\d{4}(-\d\d)?(\.\.\d{4}(-\d\d)?)?", text)
    assert Period(first, first + length) <= Period(first, first + length + 1)


@given(
    st.text(
        alphabet="2019年月至到-/ 上下半季度第一二三Q3H1Mayinofthe,.0123456789截至以来since",
        max_size=40,
    ),
    st.sampled_from(["unknown", "2024", "2024-06", "2024-06-03"]),
)
def test_any_text_reads_into_ordered_mentions(text: str, date: str) -> None:
    mentions = parse_periods(text, date)
    ends = [(m.start, m.end) for m in mentions]
    assert all(0 <= a < b <= len(text) for a, b in ends)
    assert all(p[1] <= q[0] for p, q in zip(ends, ends[1:], strict=False))
    assert all(m.period.first <= m.period.last for m in mentions)


# --- the reviewer's cases: festivals, a year's edges and lists, open-ended times ----------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # 618 is the festival only quoted, after a year or before a word of sales
        ("共有618名学生", []),
        ("全长618 km", []),
        ("国道618线", []),
        ("电话010-618-2222", []),
        ("2024年618名学生", ["2024"]),
        ("“618”期间，销售额", ["2024-06"]),
        ("618大促，销售额", ["2024-06"]),
        ("2023年618购物节", ["2023-06"]),
        ("双11当天，销售额", ["2024-11"]),
        # a year followed by 年底/年末/年初/全年 is one expression
        ("2019年年底，全区", ["2019"]),
        ("截至2019年年末，全区", ["as of 2019-12"]),
        ("2019年年初，全区", ["2019"]),
        ("2023年全年，全区", ["2023"]),
        ("去年全年，全区", ["2023"]),
        ("去年年底，全区", ["2023"]),
        ("每年年底", []),
        # spans and lists of quarters and months
        ("2023年第一至三季度", ["2023-01..2023-09"]),
        ("2023年1-3季度", ["2023-01..2023-09"]),
        ("第一、二季度，全区", ["2024-01..2024-06"]),
        ("2022年第二、三、四季度", ["2022-04..2022-12"]),
        ("一、二月份，全区", ["2024-01..2024-02"]),
        ("2021年1、2月，全区", ["2021-01..2021-02"]),
        ("1、3月，全区", ["2024-03"]),  # a list with a gap is no one period
        # before and after a time: open-ended, no period
        ("2020年以前，全区", []),
        ("2010年以后，全区", []),
        ("2015年之前", []),
        ("before 2018, the region", []),
        ("after 2010, the region", []),
        ("prior to 2019 the region", []),
        ("no later than 2020", []),
        ("pre-2018 levels", []),
        ("in 2019 the region", ["2019"]),
    ],
)
def test_reviewed_forms(text: str, expected: list[str]) -> None:
    assert _read(text, "2024-08") == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a bare year alone on its line is a year; a number ending a labelled line is an amount
        ("2019", ["2019"]),
        ("= 2019", ["2019"]),
        ("Visitors: 2019", []),
        ("价格为2050", []),
        ("a population of 2000 in the village", []),
        ("Room 2019 is on the left", []),
        ("2019 was a good year", ["2019"]),
        ("sales in 2007 and 2009", ["2007", "2009"]),
        # a half or a quarter alone: of the year of writing, but a half of a match is none
        ("the first half of the match", []),
        ("In the first half, sales rose", ["2024-01..2024-06"]),
        ("the first half of the year", ["2024-01..2024-06"]),
        ("in the third quarter, sales", ["2024-07..2024-09"]),
        ("in Q3, sales", ["2024-07..2024-09"]),
        ("during H1 the region", ["2024-01..2024-06"]),
        ("Q3 model", []),
    ],
)
def test_bare_years_and_parts_alone(text: str, expected: list[str]) -> None:
    assert _read(text, "2024-08") == expected


def test_a_date_alone_is_shown_and_a_far_line_start_is_no_dateline() -> None:
    """A date with nothing after it heads no report; a date 25 characters or more into its line
    is in the report, however long the text before the line (the line start is searched only
    that far back)."""
    assert [t.period for t in find_times("2023年1月1日", "2024-06")] == ["2023-01"]
    assert find_times("2023年1月1日 本报讯 全区有5家。", "2024-06")[:1] == []
    far = "x" * 100_000 + "，全区有5家企业。2023年1月1日起，全区"
    assert [t.period for t in find_times(far, "2024-06")] == ["2023-01"]


@pytest.mark.parametrize(
    "unit, reads",
    [
        ("1月", True),  # every one a month
        ("2019 ", False),  # bare numbers: only the rules of four digits are tried, none holds
        ("nineteen ", False),  # a run of number words is read from its first word only
        ("3月5日，", True),
    ],
)
def test_hostile_runs_stay_cheap(unit: str, reads: bool) -> None:
    """Per-token cost is small: 40,000 characters of a hostile run parse in well under 2 s of
    CPU (a loose bar: the growth rate itself is test_linear_time's)."""
    text = unit * (40_000 // len(unit))
    started = time.process_time()
    mentions = parse_periods(text, "2024-06")
    assert time.process_time() - started < 2.0
    assert bool(mentions) == reads


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1990年代，全区", ["1990..1999"]),  # a decade in four digits
        ("2022年4月至今，全区", ["2022-04..2024-08"]),  # a range to the time of writing
        ("2019年至目前，全区", ["2019..2024"]),
        ("from 2019 to date, the region", ["2019..2024"]),
        ("mid-2020 figures", ["2020"]),
        ("in FY2022 the region", ["2022"]),
        ("近三个月，全区", ["2024-06..2024-08"]),  # the last n months, this one included
        ("over the past 12 months", ["2023-09..2024-08"]),
        ("the last four months of 2021", ["2021-09..2021-12"]),  # of a year named: not from now
        ("over the last decade", ["2015..2024"]),  # the last ten full years
        ("本世纪以来，全区", ["2001..2024"]),
        ("the 13th Five-Year Plan period", ["2016..2020"]),  # as 十三五
        ("the 2022/23 season", ["2022..2023"]),
        ("2019/2020年度", ["2019..2020"]),
        ("2019/07 data", ["2019-07"]),  # a month, not a split year
    ],
)
def test_added_forms(text: str, expected: list[str]) -> None:
    assert _read(text, "2024-08") == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1959年民主改革以来，全区", ["1959..2024"]),  # since an event of a year
        ("2012年党的十八大以来", ["2012..2024"]),
        ("2019年全区增长5%", ["2019"]),  # no 以来: the year itself
    ],
)
def test_since_an_event_of_a_year(text: str, expected: list[str]) -> None:
    assert _read(text, "2024-08") == expected
