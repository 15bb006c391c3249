"""When a figure holds: years, months, ranges and "as of" dates, resolved against the document date.

Output forms follow the gold conventions: `2025`, `2025-11`, a range `2025-01..2025-08`, an "as
of" point `as of 2025-08`, or `unknown`. 今年/目前/this year are read against the document date;
without one they stay unknown rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_Y = r"((?:19|20)\d\d)\s*年"
_M = r"(\d{1,2})\s*月"
_CN_MONTHS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
              "十一": 11, "十二": 12}
_EN_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
_EN_NUMBERS = {w: i for i, w in enumerate(
    ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"], 1)}
# "the first nine months", "the first three quarters", "the first half": spans of a year.
_EN_SPAN = (r"first half|second half|first quarter|first three quarters|first two quarters|"
            r"first (?:two|three|four|five|six|seven|eight|nine|ten|eleven) months")
_EN_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"

# Each pattern names the form it produces; order matters (longest, most specific first).
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("asof_ym", re.compile(rf"截至(?:到)?{_Y}{_M}(?:末|底|份)?")),
    ("asof_yend", re.compile(rf"截至(?:到)?{_Y}(?:底|末)")),
    ("asof_y", re.compile(rf"截至(?:到)?{_Y}")),
    ("asof_m", re.compile(rf"截至(?:到)?(?:今年)?{_M}(?:末|底|份)?")),
    ("asof_now", re.compile(r"截至目前|截止目前|目前|至今|迄今|当前|现已|到目前为止")),
    ("range_ymm", re.compile(rf"{_Y}{_M}?\s*(?:[-—–~～至到])\s*(\d{{1,2}})\s*月")),
    ("range_yy", re.compile(r"((?:19|20)\d\d)\s*(?:年)?\s*(?:[-—–~～至到])\s*((?:19|20)\d\d)\s*年")),
    # "(2021-2025)" after a plan's name, outside a title 《…》 (looked for 200 characters ahead:
    # an unbounded look to the text's end for every match took quadratic time)
    ("range_yy", re.compile(r"(?<![《\w])[(（]((?:19|20)\d\d)\s*[-—–~～]\s*((?:19|20)\d\d)[)）](?![^《》]{0,200}》)")),
    ("range_mm", re.compile(r"(?<![\d年.])(\d{1,2})\s*月?\s*(?:[-—–~～至到])\s*(\d{1,2})\s*月(?!\d*日)")),
    # 近五年, 过去5年, 五年来: the last N completed years
    ("zh_past_years", re.compile(r"(?:近|过去|过去的)([两二三四五六七八九十]|\d{1,2})\s*年(?:来|间|中)?|"
                                 r"([两二三四五六七八九十]|\d{1,2})\s*年来")),
    ("first_half", re.compile(rf"{_Y}?(上半年|前三季度|一季度|第一季度|前两个月|下半年)")),
    ("this_year_span", re.compile(r"今年(上半年|前三季度|一季度|前两个月)")),
    ("shopping_day", re.compile(r"(?:((?:19|20)\d\d)\s*年)?[“\"「]?(双十一|双11|双十二|双12|618)[”\"」]?")),
    ("ym", re.compile(rf"{_Y}{_M}")),
    ("y", re.compile(rf"{_Y}(?!以来|来|(?:可持续发展)?议程|愿景|远景目标)|(?<![\d.])((?:19|20)\d\d)(?=年度)")),
    ("this_year_m", re.compile(rf"今年{_M}")),
    # 今年以来, 年初以来: the year so far; a report counts it as the year it was written in.
    ("this_year_so_far", re.compile(r"(?:今年|年初|今年初|入年)以来|今年来")),
    ("last_year", re.compile(r"去年|上年|2\s*0\s*\d\d\s*年以前")),
    ("this_year", re.compile(r"今年(?!以来)|本年度")),
    ("whole_year", re.compile(r"全年")),
    ("recent", re.compile(r"近日|日前|前不久")),
    ("en_asof", re.compile(rf"\b(?:as of|by the end of|by)\s+(?:the end of\s+)?{_EN_MONTH}?\s*,?\s*((?:19|20)\d\d)?", re.I)),
    ("en_now", re.compile(r"\b(?:to date|so far|now|currently|at present|up to now|there are|have reached|has reached|"
                          r"have covered|has covered)\b", re.I)),
    ("since", re.compile(r"\bsince\s+((?:19|20)\d\d)\b|((?:19|20)\d\d)\s*年以来", re.I)),
    ("en_last_year", re.compile(r"\blast year\b", re.I)),
    ("en_this_year", re.compile(r"\bthis year\b", re.I)),
    ("en_span", re.compile(rf"\b(?:in\s+)?the\s+({_EN_SPAN})(?:\s+of\s+((?:19|20)\d\d))?\b", re.I)),
    ("en_month_range", re.compile(rf"\b(?:from\s+)?{_EN_MONTH}\s*(?:-|–|—|to|through)\s*{_EN_MONTH}"
                                  r"(?:,?\s+((?:19|20)\d\d))?\b")),
    ("en_past_years", re.compile(r"\b(?:for\s+|over\s+|in\s+)?the\s+(?:past|last)\s+"
                                 r"(two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+years\b", re.I)),
    ("en_during_year", re.compile(r"\b(?:during|for|over|throughout)\s+the\s+(?:whole\s+|entire\s+)?year\b",
                                  re.I)),
    ("en_ym", re.compile(rf"\b(?:in\s+)?{_EN_MONTH}\s+((?:19|20)\d\d)\b")),
    ("en_y", re.compile(r"\b(?i:in|during|for|of)\s+((?:19|20)\d\d)\b")),
]


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A time expression in the text and the period it stands for."""

    start: int
    end: int
    period: str
    kind: str  # "point" (a year or month), "asof", "range"
    now: bool = False  # 目前, 当前: the time of writing, but only when it heads a clause
    since: bool = False  # since 2015, 2015年以来: a running total that frames what follows


def _doc_parts(date: str) -> tuple[int | None, int | None]:
    m = re.match(r"((?:19|20)\d\d)(?:-(\d{1,2}))?", date or "")
    if not m:
        return None, None
    return int(m.group(1)), (int(m.group(2)) if m.group(2) else None)


def as_of_writing(date: str) -> str | None:
    """"as of" the time a document was written (`as of 2025-08`), or None without a date."""
    doc_y, doc_m = _doc_parts(date)
    return f"as of {_ym(doc_y, doc_m)}" if doc_y else None


def _ym(y: int | None, m: int | None) -> str:
    if y is None:
        return "unknown"
    return f"{y}-{m:02d}" if m else str(y)


_ZH_COUNTS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _count(word: str | None) -> int | None:
    """2 from "two", "两" or "2"."""
    if not word:
        return None
    word = word.lower()
    return int(word) if word.isdigit() else _EN_NUMBERS.get(word) or _ZH_COUNTS.get(word)


def _last_full_year(doc_y: int | None, doc_m: int | None) -> int | None:
    """The year a whole-year figure of a document is about: the year before in its first half,
    when the annual figures come out (bulletins appear by April; "during the year" in January
    2018 is 2017), the year of writing later on (a year-end report, a forecast)."""
    if doc_y is None:
        return None
    return doc_y - 1 if doc_m is not None and doc_m <= 6 else doc_y


def _en_span_months(span: str) -> tuple[int, int]:
    """(first, last) month of "the first nine months", "the first half"..."""
    span = span.lower()
    fixed = {"first half": (1, 6), "second half": (7, 12), "first quarter": (1, 3),
             "first two quarters": (1, 6), "first three quarters": (1, 9)}
    if span in fixed:
        return fixed[span]
    return 1, _EN_NUMBERS[span.split()[1]]


def _span(kind: str, y: int | None) -> str:
    if y is None:
        return "unknown"
    months = {"上半年": (1, 6), "前三季度": (1, 9), "一季度": (1, 3), "第一季度": (1, 3), "前两个月": (1, 2),
              "下半年": (7, 12)}[kind]
    return f"{y}-{months[0]:02d}..{y}-{months[1]:02d}"


def _resolve(kind: str, m: re.Match[str], doc_y: int | None, doc_m: int | None) -> tuple[str, str] | None:
    g = m.groups()
    if kind == "asof_ym":
        return f"as of {_ym(int(g[0]), int(g[1]))}", "asof"
    if kind == "asof_yend":
        return f"as of {g[0]}-12", "asof"
    if kind == "asof_y":
        return f"as of {g[0]}", "asof"
    if kind == "asof_m":
        return (f"as of {_ym(doc_y, int(g[0]))}", "asof") if doc_y else None
    if kind == "since":
        # "since 2015", "2015年以来": a running total over the years up to the time of writing.
        year = int(g[0] or g[1])
        return (f"{year}..{doc_y}", "range") if doc_y and doc_y > year else None
    if kind in ("asof_now", "en_now"):
        return (f"as of {_ym(doc_y, doc_m)}", "asof") if doc_y else None
    if kind == "range_ymm":
        y = int(g[0])
        lo = int(g[1]) if g[1] else 1
        return f"{y}-{lo:02d}..{y}-{int(g[2]):02d}", "range"
    if kind == "range_yy":
        return f"{g[0]}..{g[1]}", "range"
    if kind == "first_half":
        return _span(g[1], int(g[0]) if g[0] else doc_y), "range"
    if kind == "this_year_span":
        return _span(g[0], doc_y), "range"
    if kind == "shopping_day":
        # Shopping festivals name a month: 双十一 is 11 November, 双十二 12 December, 618 18 June.
        festival = {"双十一": 11, "双11": 11, "双十二": 12, "双12": 12, "618": 6}[g[1]]
        on_year = int(g[0]) if g[0] else doc_y
        return (_ym(on_year, festival), "point") if on_year else None
    if kind == "ym":
        return _ym(int(g[0]), int(g[1])), "point"
    if kind == "y":
        return (g[0] or g[1]), "point"
    if kind == "this_year_m":
        return (_ym(doc_y, int(g[0])), "point") if doc_y else None
    if kind in ("last_year", "en_last_year"):
        return (str(doc_y - 1), "point") if doc_y else None
    if kind == "recent":
        # 近日/日前 in a news report: days before it was written.
        return (_ym(doc_y, doc_m), "point") if doc_y else None
    if kind == "whole_year":
        # 全年: a whole year's figure, of the last year complete when it was written (a
        # bulletin of April 2021 reports 2020).
        last = _last_full_year(doc_y, doc_m)
        return (str(last), "point") if last else None
    if kind in ("this_year", "en_this_year", "this_year_so_far"):
        return (str(doc_y), "point") if doc_y else None
    if kind == "en_asof":
        en_month = _EN_MONTHS.get((g[0] or "").lower())
        asof_year = int(g[1]) if g[1] else doc_y
        if asof_year is None or (not g[0] and not g[1]):
            return None
        if en_month is None and "end of" in m.group(0).lower():
            en_month = 12  # "by the end of 2024"
        return f"as of {_ym(asof_year, en_month)}", "asof"
    if kind == "en_span":
        span_year = int(g[1]) if g[1] else doc_y
        if span_year is None:
            return None
        lo, hi = _en_span_months(g[0])
        return f"{span_year}-{lo:02d}..{span_year}-{hi:02d}", "range"
    if kind == "en_month_range":
        range_year = int(g[2]) if g[2] else doc_y
        lo, hi = _EN_MONTHS[g[0].lower()], _EN_MONTHS[g[1].lower()]
        return (f"{range_year}-{lo:02d}..{range_year}-{hi:02d}", "range") if range_year and lo < hi else None
    if kind == "range_mm":
        lo, hi = int(g[0]), int(g[1])
        return (f"{doc_y}-{lo:02d}..{doc_y}-{hi:02d}", "range") if doc_y and 1 <= lo < hi <= 12 else None
    if kind in ("en_past_years", "zh_past_years"):
        n = _count(g[0] or (g[1] if len(g) > 1 else None))
        last = _last_full_year(doc_y, doc_m)
        return (f"{last - n + 1}..{last}", "range") if last and n and n > 1 else None
    if kind == "en_during_year":
        last = _last_full_year(doc_y, doc_m)
        return (str(last), "point") if last else None
    if kind == "en_ym":
        return _ym(int(g[1]), _EN_MONTHS[g[0].lower()]), "point"
    if kind == "en_y":
        return g[0], "point"
    return None


def find_times(text: str, date: str = "unknown") -> list[TimeMention]:
    """Every time expression in text, non-overlapping, earlier patterns winning ties."""
    doc_y, doc_m = _doc_parts(date)
    taken = bytearray(len(text))  # 1 where an earlier pattern already matched
    out: list[TimeMention] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if m.end() == m.start() or any(taken[m.start():m.end()]):
                continue
            got = _resolve(kind, m, doc_y, doc_m)
            if got is None:
                continue
            taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
            # Only 目前/当前/现已 depend on their position ("目前，…" frames; "系目前唯一…" does not).
            headed = kind == "asof_now" and m.group(0) in ("目前", "当前", "现已")
            out.append(TimeMention(m.start(), m.end(), got[0], got[1], headed, kind == "since"))
    out.sort(key=lambda t: t.start)
    return out
