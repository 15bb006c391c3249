"""The Chinese grammar of time expressions: years (2023年, 二〇二三年, 07年, 康熙三年, 今年), parts of a
year (上半年, 第三季度, 前三季度, 1-11月, 前两个月), months and dates, relative times (上个月,
本季度, 近日, 目前, 全年, 近五年), five-year plans (十三五期间) and decades (90年代).

Each rule is a named pattern and a reader. Patterns repeat only bounded runs (`\\s?`, `{1,3}`), so
each match is tried in constant time at each position and a scan of any text is linear.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tibet_facts.store.extract.timex_model import (
    DIGITS,
    DIGITS_YEAR,
    UNIT_CHARS,
    Choice,
    Edge,
    Floating,
    Period,
    Piece,
    Reader,
    Reading,
    Reference,
    Rule,
    quarter_of,
    quarter_period,
    week_months,
)
from tibet_facts.store.extract.timex_words import (
    ERA_NAMES,
    ERAS,
    HALVES,
    cn_count,
    cn_year_digits,
    plan_years,
    two_digit_year,
)

_CN_NUM = "〇零○一二两三四五六七八九十"
# Before a standalone year or month: not inside a longer number (十二月 is not 二月).
_NOT_IN_NUMBER = rf"(?<![\d.．{_CN_NUM}百千万亿第个])"
_COUNT = r"十[一二三四五六七八九]?|[一二两三四五六七八九]十?[一二三四五六七八九]?|\d{1,2}"
_MONTH_NUM = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]|(?<![\d百千万亿])元"
_DAY = r"\s?(?:3[01]|[12]\d|0?[1-9])\s?[日号]|(?:三十一?|[一二]?十[一二三四五六七八九]?|[一二三四五六七八九])[日号]"
_TO = r"\s?(?:-|—|–|~|～|至|到)\s?"
_MONTH_FIRST = "0123456789十一二三四五六七八九元"  # what a month's number starts with

# --- pieces: years ----------------------------------------------------------------------------


def _year4(m: re.Match[str], ref: Reference) -> int | None:
    return int(m["y"])


def _numerals(m: re.Match[str], ref: Reference) -> int | None:
    return cn_year_digits(m["y"])


def _short(m: re.Match[str], ref: Reference) -> int | None:
    """07年, 零八年: a year written with its last two digits (the leading zero or the digit
    names make it a year, not a count of years)."""
    digits = m["y"] if m["y"] else cn_year_digits(m["c"])
    return two_digit_year(int(digits)) if digits is not None else None


def _era(m: re.Match[str], ref: Reference) -> int | None:
    n = 1 if m["n"] == "元" else cn_count(m["n"])
    return ERAS[m["era"]] + n - 1 if n else None


_RELATIVE_YEARS = {
    "大前年": -3,
    "前年": -2,
    "去年": -1,
    "上年": -1,
    "上年度": -1,
    "上一年": -1,
    "今年": 0,
    "本年": 0,
    "本年度": 0,
    "明年": 1,
    "来年": 1,
    "下一年": 1,
    "后年": 2,
    "後年": 2,
    "大后年": 3,
}


def _relative_year(m: re.Match[str], ref: Reference) -> int | None:
    return ref.year + _RELATIVE_YEARS[m["rel"]] if ref.year is not None else None


YEAR4 = Piece("year4", r"(?P<y>[12]\d{3})\s?年(?:度)?", _year4)
YEAR_NUMERALS = Piece(
    "year_numerals", r"(?P<y>[〇零○一二三四五六七八九]{4})\s?年(?:度)?", _numerals
)
YEAR_SHORT = Piece(
    "year_short",
    r"(?:(?P<y>0\d)\s?年|(?P<c>[零〇○][一二三四五六七八九]|九[〇零○一二三四五六七八九]"
    r"|一[〇零○一三四五六七八九]|二[〇零○])年)",
    _short,
)
YEAR_ERA = Piece("era_year", rf"(?P<era>{'|'.join(ERA_NAMES)})(?P<n>元|{_COUNT})\s?年", _era)
# Guards keep the words that merely contain these: 以上年龄, 今后年均, 提前年, 未来年份, 基本年限.
# 前年, 后年 and 来年 are more often 前/后/来 before 年X, "annual X" (建成后年发电量, 带来年收入):
# they are years only at the head of a clause or after a preposition.
_HEAD = r"(?:(?<=[，。；、：,;:\s在到于至从和与及（(“])|^)"
YEAR_RELATIVE = Piece(
    "relative_year",
    rf"(?P<rel>大前年|大后年|{_HEAD}前年|去年|(?<!以)上年度|(?<!以)上年"
    rf"|上一年|今年|本年度|(?<![基资根])本年|明年|{_HEAD}来年|下一年|{_HEAD}[后後]年(?!均))",
    _relative_year,
)
YEAR = Choice(YEAR4, YEAR_NUMERALS, YEAR_ERA, YEAR_SHORT, YEAR_RELATIVE)

# --- pieces: parts of a year (months without a year of their own) -----------------------------


def _month_number(text: str) -> int | None:
    n = 1 if text == "元" else cn_count(text)
    return n if n is not None and 1 <= n <= 12 else None


def _month(m: re.Match[str], ref: Reference) -> Floating | Edge | None:
    """五月, 3月份, 3月5日, 6月底: a month (a date is the month it falls in)."""
    n = _month_number(m["mon"])
    if n is None:
        return None
    month = Floating(n, n, named=True)
    part = m["part"] or ""
    if part in ("底", "末", "初"):
        return Edge("start" if part == "初" else "end", month)
    return month


def _month_range(m: re.Match[str], ref: Reference) -> Floating | Edge | None:
    """1-11月, 1至2月, 3月—5月."""
    lo, hi = _month_number(m["lo"]), _month_number(m["hi"])
    if lo is None or hi is None or lo >= hi:
        return None
    span = Floating(lo, hi, named=True)
    return Edge("end", span) if m["part"] else span


def _half(m: re.Match[str], ref: Reference) -> Floating:
    lo, hi = HALVES[1 if m["h"] in "上前" else 2]
    return Floating(lo, hi)


def _quarter(m: re.Match[str], ref: Reference) -> Floating | None:
    q = cn_count(m["q"])
    return Floating(3 * q - 2, 3 * q) if q and 1 <= q <= 4 else None


def _listed(items: str, parse: Callable[[str], int | None]) -> tuple[int, int] | None:
    """The first and last of 一、二、三: a list of consecutive numbers is the span they cover
    (第一、二季度 is the first half); a list with gaps is no one period."""
    numbers: list[int] = []
    for item in items.split("、"):
        n = parse(item.strip().lstrip("第"))
        if n is None or (numbers and n != numbers[-1] + 1):
            return None
        numbers.append(n)
    return (numbers[0], numbers[-1]) if len(numbers) > 1 else None


def _quarter_number(text: str) -> int | None:
    q = cn_count(text)
    return q if q and 1 <= q <= 4 else None


def _quarter_span(m: re.Match[str], ref: Reference) -> Floating | None:
    """第一至三季度, 1-3季度: quarters from one to another; 第一、二季度: a list of them."""
    if m["items"]:
        span = _listed(m["items"], _quarter_number)
    else:
        lo, hi = _quarter_number(m["lo"]), _quarter_number(m["hi"])
        span = (lo, hi) if lo and hi else None
    if span is None or span[0] >= span[1]:
        return None
    return Floating(3 * span[0] - 2, 3 * span[1])


def _month_list(m: re.Match[str], ref: Reference) -> Floating | None:
    """一、二月份, 1、2月: consecutive months listed are the span they cover."""
    span = _listed(m["items"], _month_number)
    return Floating(span[0], span[1], named=True) if span else None


def _first_quarters(m: re.Match[str], ref: Reference) -> Floating | None:
    n = cn_count(m["n"])
    return Floating(1, 3 * n) if n and 1 <= n <= 4 else None


def _first_months(m: re.Match[str], ref: Reference) -> Floating | None:
    n = cn_count(m["n"])
    return Floating(1, n) if n and 1 <= n <= 12 else None


def _last_months(m: re.Match[str], ref: Reference) -> Floating | None:
    n = cn_count(m["n"])
    return Floating(13 - n, 12, alone=False) if n and 1 <= n <= 12 else None


def _nth_month(m: re.Match[str], ref: Reference) -> Floating | None:
    n = cn_count(m["n"])
    return Floating(n, n, alone=False) if n and 1 <= n <= 12 else None


MONTH = Piece(
    "month",
    rf"(?P<mon>{_MONTH_NUM})\s?月(?:份)?(?:{_DAY})?(?P<part>上旬|中旬|下旬|初|底|末)?",
    _month,
    first=_MONTH_FIRST,
)
MONTH_RANGE = Piece(
    "month_range",
    rf"(?P<lo>{_MONTH_NUM})(?:\s?月(?:份)?)?{_TO}(?P<hi>{_MONTH_NUM})\s?月(?:份)?"
    r"(?P<part>底|末)?",
    _month_range,
    first=_MONTH_FIRST,
)
_Q = r"[一二三四1-4]"
QUARTER_SPAN = Piece(
    "quarter_span",
    rf"第?(?:(?P<lo>{_Q})\s?(?:季度)?{_TO}第?(?P<hi>{_Q})|(?P<items>{_Q}(?:、第?{_Q}){{1,3}}))"
    r"\s?季度",
    _quarter_span,
    first="第一二三四1234",
)
MONTH_LIST = Piece(
    "month_list",
    rf"(?P<items>(?:{_MONTH_NUM})(?:、(?:{_MONTH_NUM})){{1,3}})\s?月(?:份)?",
    _month_list,
    first=_MONTH_FIRST,
)
HALF = Piece("half", r"(?P<h>上|下|前|后|後)半年(?:度)?", _half, first="上下前后後")
QUARTER = Piece(
    "quarter", r"第?(?P<q>[一二三四1-4])\s?季度", _quarter, first="第一二三四1234"
)
FIRST_QUARTERS = Piece(
    "first_quarters",
    r"(?:前|头)(?P<n>[一二两三1-3])\s?个?季度",
    _first_quarters,
    first="前头",
)
FIRST_MONTHS = Piece(
    "first_months", rf"(?:前|头)(?P<n>{_COUNT})\s?个月", _first_months, first="前头"
)
LAST_MONTHS = Piece(
    "last_months", rf"最[后後]\s?(?P<n>{_COUNT})\s?个月", _last_months, first="最"
)
NTH_MONTH = Piece("nth_month", rf"第(?P<n>{_COUNT})\s?个月", _nth_month, first="第")
PART_OF_YEAR = Choice(
    MONTH_RANGE,
    MONTH_LIST,
    MONTH,
    HALF,
    QUARTER_SPAN,
    FIRST_QUARTERS,
    QUARTER,
    FIRST_MONTHS,
    LAST_MONTHS,
    NTH_MONTH,
)

# --- rules ------------------------------------------------------------------------------------


def _read_part(m: re.Match[str], ref: Reference) -> Reading | None:
    got = PART_OF_YEAR.longest_at(m.string, m.start(), ref)
    return Reading(got[0], end=got[1]) if got else None


def _in_year(part: Floating | Edge, year: int) -> Period | Edge:
    if isinstance(part, Edge):
        inner = part.of
        return Edge(part.side, inner.in_year(year) if isinstance(inner, Floating) else inner)
    return part.in_year(year)


_PREP_BEFORE = re.compile(r"(?:在|于|公元|从|自|至|到)\s?$")
# 2020年底 and 2020年年底 alike: the edge belongs to the year (年底 alone is of the year of
# writing); 2023年全年, 去年全年 is the year, not another whole year.
_EDGE_AFTER = re.compile(r"年?(?:初|底|末)")
_WHOLE_AFTER = re.compile(r"\s?全年(?!龄)")
_PART_LEAD = re.compile(r"\s?的?\s?")
# 2030年议程, 2035年远景目标: the year is part of a name.
_NAME_AFTER = re.compile(r"(?:可持续发展)?议程|愿景|远景目标")


def _year(m: re.Match[str], ref: Reference) -> Reading | None:
    """A year, with what follows it: 2017年上半年, 今年第一季度, 2025年1-8月, 明年四月,
    2021年的第三个月, 康熙三年五月; 2020年底, 2021年初; or the year alone."""
    year = YEAR.parse(m[0], ref)
    if year is None or year < 0:
        return None
    text, end = m.string, m.end()
    edge = _EDGE_AFTER.match(text, end)
    if edge:
        return Reading(
            Edge("start" if edge[0][-1] == "初" else "end", Period.year(year)), end=edge.end()
        )
    whole = _WHOLE_AFTER.match(text, end)
    if whole:
        return Reading(Period.year(year), end=whole.end())
    lead = _PART_LEAD.match(text, end)
    part = PART_OF_YEAR.longest_at(text, lead.end() if lead else end, ref)
    if part:
        return Reading(_in_year(part[0], year), end=part[1])
    if _NAME_AFTER.match(text, end) or not _plain_year(m, year):
        return None
    return Reading(Period.year(year))


def _plain_year(m: re.Match[str], year: int) -> bool:
    """2023年 alone: any year of this era; other four-digit years only after 在/于/公元 (1300年
    is more often a length of time)."""
    if not YEAR4.parse(m[0], Reference()):
        return True
    return 1900 <= year <= 2099 or bool(
        _PREP_BEFORE.search(m.string[max(0, m.start() - 3) : m.start()])
    )


def _year3(m: re.Match[str], ref: Reference) -> Reading | None:
    return Reading(Period.year(int(m["y"])))


def _relative_month(m: re.Match[str], ref: Reference) -> Reading | None:
    offsets = {"上上": -2, "上": -1, "本": 0, "这": 0, "下": 1, "下下": 2}
    now = ref.month_number
    if now is None:
        return None
    k = now + offsets[m["rel"]]
    return Reading(Period(k, k))


def _relative_quarter(m: re.Match[str], ref: Reference) -> Reading | None:
    offsets = {"上": -1, "本": 0, "这": 0, "下": 1}
    if ref.year is None or ref.month is None:
        return None
    q = ref.year * 4 + quarter_of(ref.month) - 1 + offsets[m["rel"]]
    return Reading(quarter_period(q // 4, q % 4 + 1))


def _relative_half(m: re.Match[str], ref: Reference) -> Reading | None:
    """上个半年: the half-year before the one of the reference date."""
    if ref.year is None or ref.month is None:
        return None
    h = ref.year * 2 + (0 if ref.month <= 6 else 1) + (-1 if m["rel"] == "上" else 1)
    lo, hi = HALVES[h % 2 + 1]
    return Reading(Period.months(h // 2, lo, hi))


def _week(m: re.Match[str], ref: Reference) -> Reading | None:
    day = ref.day_date()
    if day is None:
        return None
    return Reading(week_months(day, {"上": -1, "本": 0, "这": 0, "下": 1}[m["rel"]]))


def _writing_month(ref: Reference) -> Period | None:
    if ref.year is None:
        return None
    return Period.month(ref.year, ref.month) if ref.month else Period.year(ref.year)


def _recent(m: re.Match[str], ref: Reference) -> Reading | None:
    """近日, 日前: days before the report was written, so its month."""
    period = _writing_month(ref)
    return Reading(period) if period else None


def _now(m: re.Match[str], ref: Reference) -> Reading | None:
    """目前, 截至目前, 至今: the time of writing. 目前/当前/现已 frame only at the head of a clause."""
    period = _writing_month(ref)
    if period is None:
        return None
    return Reading(period.as_of(), now=m[0] in ("目前", "当前", "现已"))


def _whole_year(m: re.Match[str], ref: Reference) -> Reading | None:
    """全年: a whole year's figure, of the last year complete when it was written (a bulletin of
    April 2021 reports 2020)."""
    year = ref.last_full_year()
    return Reading(Period.year(year)) if year is not None else None


def _year_edge(m: re.Match[str], ref: Reference) -> Reading | None:
    """年底, 年初 with no year named: of the year of writing (截至年底: as of its December)."""
    if ref.year is None:
        return None
    return Reading(Edge("start" if m["edge"] == "初" else "end", Period.year(ref.year)))


def _year_so_far(m: re.Match[str], ref: Reference) -> Reading | None:
    """今年以来, 年初以来: the year so far; a report counts it as the year it was written in."""
    return Reading(Period.year(ref.year)) if ref.year is not None else None


def _past_years(m: re.Match[str], ref: Reference) -> Reading | None:
    """近五年, 过去5年, 五年来: the last n completed years."""
    n = cn_count(m["n"] or m["n2"] or "")
    last = ref.last_full_year()
    if not n or n < 2 or last is None:
        return None
    return Reading(Period.years(last - n + 1, last))


def _plan(m: re.Match[str], ref: Reference) -> Reading | None:
    """十三五期间: the years of the n-th five-year plan (2016-2020)."""
    n = cn_count("十" + m["n"])
    years = plan_years(n) if n else None
    if years is None:
        return None
    period = Period.years(*years)
    return Reading(Edge("end", period) if m["edge"] else period)


_FESTIVALS = {"双十一": 11, "双11": 11, "双十二": 12, "双12": 12, "618": 6}


def _festival(m: re.Match[str], ref: Reference) -> Reading | None:
    """Shopping festivals name a month: 双十一 is 11 November, 双十二 12 December, 618 18 June.
    A bare 618 is far more often a number (618名学生, 国道618线): it is the festival only
    quoted, after a year or before a word of sales (期间, 大促, 购物节, 活动)."""
    if m["f"] == "618" and not (m["y"] or (m["q1"] and m["q2"]) or m["ctx"]):
        return None
    if m.string[m.end() : m.end() + 2].lstrip(" ")[:1] in UNIT_CHARS:
        return None  # 2024年618名: an amount after a year
    year = int(m["y"]) if m["y"] else ref.year
    return Reading(Period.month(year, _FESTIVALS[m["f"]])) if year else None


def _past_months(m: re.Match[str], ref: Reference) -> Reading | None:
    """近三个月, 过去6个月: the last n months up to the month of writing."""
    n, now = cn_count(m["n"]), ref.month_number
    if not n or n > 36 or now is None:
        return None
    return Reading(Period(now - n + 1, now))


def _this_century(m: re.Match[str], ref: Reference) -> Reading | None:
    """本世纪以来, 进入21世纪以来: from 2001 to the year of writing."""
    return Reading(Period.years(2001, ref.year)) if ref.year and ref.year > 2001 else None


def _decade(m: re.Match[str], ref: Reference) -> Reading | None:
    """90年代, 1990年代, 二十世纪九十年代: the ten years of a decade."""
    if m["d4"]:
        first = int(m["d4"])
        return Reading(Period.years(first, first + 9))
    tens = cn_count(m["d"])
    if tens is None or tens % 10:
        return None
    century = cn_count(m["c"]) if m["c"] else (20 if tens >= 20 else 21)
    if century is None:
        return None
    first = (century - 1) * 100 + tens
    return Reading(Period.years(first, first + 9))


def _rule(
    name: str,
    starts: str,
    pattern: str,
    read: Reader,
    endpoint: bool = True,
    literal: str = "",
    digits: tuple[str, str] = ("", ""),
) -> Rule:
    """A rule; `starts` lists the characters a match can start with (\\d: digits, \\d年: digits
    before 年), `literal` the words it may start with (the names of reign eras), `digits` the
    lengths of a number it starts with ("12") and the characters that may follow it."""
    keys: set[str] = set()
    if "\\d年" in starts:
        keys.add(DIGITS_YEAR)
        starts = starts.replace("\\d年", "")
    if "\\d" in starts:
        keys.add(DIGITS)
        starts = starts.replace("\\d", "")
    keys |= set(starts) | set(literal.split())
    lengths = frozenset(int(n) for n in digits[0])
    follow = frozenset(digits[1])
    return Rule(name, re.compile(pattern), read, frozenset(keys), endpoint, lengths, follow)


_YEAR_STARTS = r"\d年〇零○一二三四五六七八九大前去上今本明来下后後"
_PART_STARTS = r"\d〇零○一二两三四五六七八九十元上下前后後第头最"


# The words of sales that make a bare 618 the festival (captured, never consumed).
_FESTIVAL_WORDS = r"(?=(?P<ctx>\s?(?:期间|大促|购物节|活动|电商节|年中大促|当天|促销))?)"
_NOT_A_NAME = r"(?!(?:可持续发展)?议程|愿景|远景目标)"

RULES: list[Rule] = [
    _rule(
        "zh_year",
        _YEAR_STARTS,
        rf"(?<![\d.{_CN_NUM}]){YEAR.bare}",
        _year,
        literal=" ".join(ERA_NAMES),
    ),
    _rule("zh_year3", "在于公", r"(?:在|于|公元)(?P<y>[1-9]\d{2})\s?年", _year3),
    _rule(
        "zh_part_of_year",
        f"{_PART_STARTS}",
        rf"{_NOT_IN_NUMBER}{PART_OF_YEAR.bare}",
        _read_part,
        digits=("12", " \t\n\r\u3000\xa0月份-—–~～至到、季"),  # 3月, 1-11月, 1、2月, 1季度
    ),
    _rule(
        "zh_relative_month",
        "上下本这",
        r"(?P<rel>上上|下下|(?<!以)上|(?<![基资根])本|这|(?<!以)下)(?:个)?月(?:份)?(?![亮光球])",
        _relative_month,
    ),
    _rule(
        "zh_relative_quarter",
        "上本这下",
        r"(?P<rel>(?<!以)上|本|这|(?<!以)下)(?:个|一)?季度",
        _relative_quarter,
    ),
    _rule("zh_relative_half", "上下", r"(?P<rel>上|下)(?:一)?个半年", _relative_half),
    _rule(
        "zh_week",
        "上本这下",
        r"(?P<rel>上|本|这|下)(?:个)?(?:周|星期|礼拜)(?![一二三四五六日天末])",
        _week,
    ),
    _rule("zh_recent", "近日前", r"近日|(?<![节生假期])日前|前不久", _recent),
    _rule(
        "zh_now",
        "截到目至迄当现",
        r"(?:截至|截止)(?:到)?(?:目前|当前)|到目前为止|目前为止|至今(?!年)|迄今(?:为止)?|当前|目前|现已",
        _now,
        endpoint=False,
    ),
    _rule("zh_whole_year", "全", r"全年(?!龄)", _whole_year, endpoint=False),
    _rule(
        "zh_year_edge",
        "年",
        rf"(?<![\d{_CN_NUM}今去明本上前后後年])年(?P<edge>初|底|末)",
        _year_edge,
    ),
    _rule(
        "zh_year_so_far",
        "今年入开",
        r"(?:今年|年初|入年|开年)以来|今年来",
        _year_so_far,
        endpoint=False,
    ),
    _rule(
        "zh_past_years",
        r"近过\d年一二两三四五六七八九十",
        rf"(?:近|过去的?)(?P<n>{_COUNT})\s?年(?:来|间|中)?|(?<![\d{_CN_NUM}])(?P<n2>{_COUNT})\s?年来",
        _past_years,
        endpoint=False,
    ),
    _rule(
        "zh_plan",
        r"“\"十",
        r"[“\"]?十(?P<n>[一二三四五六七八九])五[”\"]?(?:(?P<edge>末)|期间|时期|规划期间?|(?=以来))",
        _plan,
    ),
    _rule(
        "zh_festival",
        r"\d年“\"「双",
        rf"(?:(?P<y>[12]\d{{3}})\s?年)?(?P<q1>[“\"「])?(?<!\d)(?P<f>双十一|双11|双十二|双12|618)"
        rf"(?P<q2>[”\"」])?(?!\d){_FESTIVAL_WORDS}",
        _festival,
        literal="618",
    ),
    _rule(
        "zh_decade",
        r"\d年一二三四五六七八九",
        r"(?P<d4>1[5-9]\d0|20\d0)\s?年代"
        r"|(?:(?P<c>二十一|二十|21|20)世纪)?(?P<d>[1-9]0|[一二三四五六七八九]十)年代",
        _decade,
    ),
    _rule(
        "zh_past_months",
        "近过最",
        rf"(?:近|过去的?|最近)(?P<n>{_COUNT})\s?个月(?:来|以来)?",
        _past_months,
        endpoint=False,
    ),
    _rule(
        "zh_this_century",
        "本进",
        r"(?:本世纪|进入(?:21|二十一)世纪)(?:以来)",
        _this_century,
        endpoint=False,
    ),
]
