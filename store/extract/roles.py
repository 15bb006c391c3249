"""Whether a number is an amount, and if not, what it is: the role rules.

A role is "amount" (a figure a fact can state) or says why the number is not one: a year
(2025年), a date (3月5日, 记者26日, Jan. 15), a clock time (10:30), an ordinal (第二届,
75周年), part of a name or code (5G, 国道318线, 109国道, "1+6+N", 0891-6833333), a duration
(连续5年, for 3 years, the first three quarters), a plain number without a unit, or a numeral
used as a word (一批, 三大支柱产业, 六个坚持, 24小时在线, several million).

Each rule is a small function; the first that names a role wins, so their order is part of the
rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tibet_facts.store.extract.lexicon import EN_MONTH, HAN
from tibet_facts.store.extract.scan import Raw


@dataclass(slots=True)
class _Near:
    """A number and what is written around it, as the rules look at it."""

    text: str
    raw: Raw
    unit: str  # the unit as written, without its multiplier
    base_unit: str
    mult: float
    unit_end: int
    before: str  # the 6 characters before the number
    after: str  # the 8 characters after it
    number: str  # the number as written


_Rule = Callable[[_Near], str]


def role(text: str, raw: Raw, unit: str, base_unit: str, mult: float, unit_end: int) -> str:
    """The role of the number raw, read with unit (as written), base_unit and multiplier."""
    s, e = raw.start, raw.end
    near = _Near(text, raw, unit, base_unit, mult, unit_end,
                 text[max(0, s - 6):s], text[e:e + 8], text[s:e])
    if raw.script == "ar":
        found = _first(_ARABIC_RULES, near)
        if found:
            return found
    if raw.script == "cn":
        return _first(_CHINESE_RULES, near)
    if base_unit in _TIME_BASES and _EN_DURATION_BEFORE.search(text[max(0, s - 9):s] + " "):
        return "duration"
    if raw.script == "en":
        return _english_role(near) or "amount"
    return "amount"


def _first(rules: tuple[_Rule, ...], near: _Near) -> str:
    """The first role a rule names, else ""."""
    for rule in rules:
        found = rule(near)
        if found:
            return found
    return ""


# --- Arabic numbers -------------------------------------------------------------------------

# A road's number: 109国道, 318号公路 (G318 is a name by _NAME_BEFORE).
_ROAD_AFTER = re.compile(r"^(?:国道|省道|县道|号公路|号国道)")


def _road_or_anniversary(n: _Near) -> str:
    if _ROAD_AFTER.match(n.after):
        return "name"
    if n.after.startswith("周年"):
        return "ordinal"  # 成立75周年: an anniversary
    return ""


# Words before a count of years or days that make it a duration (连续5年, 时隔3年, 近10日).
_ZH_DURATION_BEFORE = re.compile(r"(时隔|连续|近|历时|用了|经过|多|过去)\s?$")


def _day_of_month(n: _Near) -> str:
    """记者26日获悉: the 26th, not 26 days (news writes durations with 天)."""
    value = n.raw.value
    if n.unit == "日" and value == int(value) and 1 <= value <= 31:
        if not _ZH_DURATION_BEFORE.search(n.before):
            return "date"
    return ""


_CLOCK_AFTER = re.compile(r"^\s?[:：]\d{2}")  # the 10 of 10:30
_CLOCK_BEFORE = re.compile(r"\d[:：]$")  # the 30 of 10:30
_ORDINAL_BEFORE = re.compile(r"(第|首|第\s)$")
_ORDINAL_EN = re.compile(r"^(st|nd|rd|th)\b")


def _clock_or_ordinal(n: _Near) -> str:
    if _CLOCK_AFTER.match(n.after) or _CLOCK_BEFORE.search(n.before):
        return "time"
    if _ORDINAL_BEFORE.search(n.before) or _ORDINAL_EN.match(n.after):
        return "ordinal"
    return ""


_YEAR_DIGITS = re.compile(r"(19|20)\d\d")
# What may follow a year: 年, or a dash or 至 to the range's other end (2024-2026年).
_AFTER_YEAR = ("年", "-", "—", "–", "～", "~", "至")


def _year(n: _Near) -> str:
    if n.mult != 1 or not _YEAR_DIGITS.fullmatch(n.number):
        return ""
    if n.after.startswith(_AFTER_YEAR) or not n.unit or n.unit == "年":
        return "year"
    return ""


_MONTH_DAY_AFTER = re.compile(r"^\s?月\s?\d")  # the 3 of 3月5日
_MONTH_AFTER = re.compile(r"^(个)?月")  # 3月 (3个月 is read with its unit 个月: a count)
_MONTH_BEFORE = re.compile(r"月\s?$")
_DAY_AFTER = re.compile(r"^\s?[日号]")
_EN_DATE_BEFORE = re.compile(rf"{EN_MONTH}\s*$", re.I)  # Jan. 15
_EN_DATE_AFTER = re.compile(rf"^\s*{EN_MONTH}\b", re.I)  # 15 January


def _date(n: _Near) -> str:
    """3月, 3月5日, 5日, 5号, Jan. 15, 15 January: a date, not a count."""
    after, no_unit = n.after, not n.unit
    if after.startswith(("月", "日", "号")) and no_unit:
        return "date"
    if _MONTH_DAY_AFTER.match(after) or _MONTH_AFTER.match(after) and no_unit:
        return "date"
    if _MONTH_BEFORE.search(n.before) and _DAY_AFTER.match(after):
        return "date"
    s = n.raw.start
    if _en_date_before(n.text[max(0, s - 12):s]) or _EN_DATE_AFTER.match(after) and no_unit:
        return "date"
    return ""


_LATIN_LETTER = re.compile(r"[A-Za-z]")


def _en_date_before(window: str) -> bool:
    """Whether window ends in an English month. Every month has a Latin letter: the cheap test
    for one spares Chinese text the month search, the costliest of the role patterns."""
    if _LATIN_LETTER.search(window) is None:
        return False
    return _EN_DATE_BEFORE.search(window) is not None


# A road, a model, a rank or a list number before the number: G318, 国道318, No.5, Top10, A-3.
_NAME_BEFORE = re.compile(r"(国道|省道|县道|G|S|第|首|No\.|#|Top|TOP|top|[A-Za-z]-?)$")
# ... or after it: 318线, 5号, 5G, 1+6, 3:1, 5/F, 3级, 5型, 2届, 21世纪, 5代.
_NAME_AFTER = re.compile(
    r"^(线|号线|号|路|G|[A-Za-z](?![a-z]{2,})|[+＋]|:\d|：\d|/F|级|型|届|世纪|周年|代)")
_CURRENCY_SIGN_BEFORE = re.compile(r"[$¥￥€£]\s?$")  # US$5 is money, not a name
_PLUS_BEFORE = re.compile(r"[+＋]\s?$")  # the 6 of "1+6+N"


def _name(n: _Near) -> str:
    before = n.before
    if _NAME_BEFORE.search(before[-3:]) and not _CURRENCY_SIGN_BEFORE.search(before):
        if not before.endswith(("第", "首")):
            return "name"
    if _NAME_AFTER.match(n.text[n.raw.end:n.raw.end + 4]) and not n.unit and n.mult == 1:
        return "name"
    if _PLUS_BEFORE.search(before):
        return "name"
    return ""


_LONG_DIGITS = re.compile(r"\d{6,}")  # a postcode, an ID, a phone number
_LEADING_ZERO = re.compile(r"0\d{2,}")  # 0891: an area code
_PHONE_AFTER = re.compile(r"-\d{5,}")  # 0891-6833333
_DIGIT_DASH_BEFORE = re.compile(r"\d-$")


def _code(n: _Near) -> str:
    """0891-6833333: a phone number, a leading zero or digits joined by dashes."""
    if n.unit or n.mult != 1:
        return ""
    if _LONG_DIGITS.fullmatch(n.number):
        return "code"
    if (_LEADING_ZERO.fullmatch(n.number) or _PHONE_AFTER.match(n.after)
            or _DIGIT_DASH_BEFORE.search(n.before)):
        return "code"
    return ""


# 24小时在线, 24小时全天服务: around the clock, not a number of hours.
_ROUND_THE_CLOCK_AFTER = re.compile(
    r"^\s?(小时|个小时)(无|全天|不间断|在线|值守|服务|营业|监控|全)")


def _duration_or_word(n: _Near) -> str:
    if n.unit == "年" and _ZH_DURATION_BEFORE.search(n.before):
        return "duration"
    if n.text.startswith("年前", n.raw.end):
        return "duration"  # 3年前: a time ago
    hours = n.unit in ("小时", "个小时")
    if hours and n.raw.value == 24 and _ROUND_THE_CLOCK_AFTER.match(n.after):
        return "word"
    return ""


_ARABIC_RULES: tuple[_Rule, ...] = (
    _road_or_anniversary, _day_of_month, _clock_or_ordinal, _year, _date, _name, _code,
    _duration_or_word,
)


# --- English number words -------------------------------------------------------------------

_TIME_BASES = ("year", "month", "day", "week")
# Words before a count of time units that make it a period or duration, not an amount.
_EN_DURATION_BEFORE = re.compile(
    r"\b(?:after|for|in|within|over|past|last|next|or|ago|first|previous|recent)\s+$", re.I)
_QUARTERS = re.compile(r"\bquarters?$", re.I)
# A scale word alone after a vague determiner: "several million", "a few thousand".
_EN_PLAIN_SCALE_WORD = re.compile(r"(?:hundreds?|thousands?|millions?|billions?)", re.I)
_VAGUE_BEFORE = re.compile(r"\b(?:several|few|some|many|tens\s+of|dozens\s+of)\s+$", re.I)
_DETERMINER_BEFORE = re.compile(r"\b(the|this|that|every|each|per)\s+$")  # the one, each one


def _english_role(n: _Near) -> str:
    s, number = n.raw.start, n.number
    if _QUARTERS.search(number) and _EN_DURATION_BEFORE.search(n.text[max(0, s - 9):s] + " "):
        return "duration"  # the first three quarters: a period, not 0.75
    vague = _VAGUE_BEFORE.search(n.text[max(0, s - 12):s])
    if vague and _EN_PLAIN_SCALE_WORD.fullmatch(number):
        return "word"  # several million acres: no figure is stated
    if _DETERMINER_BEFORE.search(n.before.lower()):
        return "word"
    if number.lower() in ("a", "an") or number.lower() == "one" and not n.unit:
        return "word"
    return ""


# --- Chinese numerals -----------------------------------------------------------------------
#
# Chinese numerals state statistics only in some uses: the national standard on numerals
# (GB/T 15835) writes statistics in Arabic digits, so a small Chinese numeral with a measure
# word is usually a word (一批, 三大支柱产业, 连续两年, "六个坚持"), unless it is a fraction
# (两成, 一半), an approximate scale (上百万, 数百), a phasing (分两期), money or a physical
# unit.

_CN_YEAR_DIGITS = re.compile(r"[〇零一二三四五六七八九]{4}")  # 二〇二五年
_HAN_CHAR = re.compile(HAN)
# A count that sums up a list before it: 白朗、措勤、聂荣三县.
_LIST_BEFORE = re.compile(rf"{HAN}{{1,4}}、{HAN}{{1,4}}$")
_CN_QUOTED = re.compile(r"[“\"「『][^”\"」』]{0,6}$")  # an open quote just before: "六个坚持"
_QUOTE_CLOSES_AFTER = re.compile(r"^[^”\"」』]{0,6}[”\"」』]")


def _cn_marked(n: _Near) -> str:
    """Roles that the words around a Chinese numeral mark."""
    s = n.raw.start
    if _ORDINAL_BEFORE.search(n.before[-4:]):
        return "ordinal"
    if _CN_YEAR_DIGITS.fullmatch(n.number) and n.unit == "年":
        return "year"
    if n.unit == "两" and _HAN_CHAR.match(n.text[n.unit_end:n.unit_end + 1]):
        return "word"  # 三两天: a couple of days, not 150 g
    if _LIST_BEFORE.search(n.text[max(0, s - 12):s]) and n.unit:
        return "amount"
    if _CN_QUOTED.search(n.text[max(0, s - 6):s]) and _QUOTE_CLOSES_AFTER.match(n.after):
        return "name"
    return ""


_PERCENT_UNITS = ("成", "折", "%", "个百分点", "百分点")
_SCALE_CHARS = re.compile(r"[百千万亿]+")
_PHASED_BEFORE = re.compile(r"分成?$")  # 分两期, 分成三批
_PHASES = ("期", "批", "个阶段", "步")
# Base units that only a figure has: money and physical measures.
_MEASURED_BASES = (
    "CNY", "USD", "EUR", "GBP", "JPY", "HKD", "TWD", "t", "kWh", "MW", "km2", "km", "m", "mu",
    "kg", "m2", "L", "m3", "byte", "bit", "Hz",
)


def _cn_measured(n: _Near) -> str:
    """Shares, halves, approximate scales, phasings and measures are amounts; 里, 方 words."""
    before = n.before[-4:]
    if n.unit in _PERCENT_UNITS or n.base_unit == "percent":
        return "amount"
    if n.unit in ("里", "方"):
        return "word"  # 千里, 一方面, 三方合作: news writes 公里 and 立方米 with digits
    if n.number.endswith("半") or n.text.startswith("半", n.raw.end):
        return "amount"
    if before.endswith("上") and _SCALE_CHARS.fullmatch(n.number):
        return "amount"  # 上百万农户, 上百个国家: an approximate scale ("over")
    if _PHASED_BEFORE.search(before) and n.unit in _PHASES:
        return "amount"
    if n.base_unit in _MEASURED_BASES:
        return "amount"
    return ""


# Measure words that a small Chinese numeral makes a word of: 一批, 三大, 两年, 千里.
_CN_WORDY_UNITS = {
    "里", "方", "年", "次", "大", "个", "批", "场", "家", "位", "名", "条", "种", "类",
    "代", "天", "届", "", "项", "件", "块", "座", "所", "套", "轮", "道", "份", "部",
    "支", "处", "间", "国", "地", "人", "县", "村",
}


def _cn_by_size(n: _Near) -> str:
    """Otherwise: ten or more with a unit or multiplier is an amount, a small one a word."""
    wordy = n.unit in ("年", "次", "大", "代") or n.before.endswith("数")
    if n.raw.value >= 10 and not wordy:
        return "amount" if (n.unit or n.mult > 1) else "number"
    if not n.unit:
        return "number"
    if n.unit in _CN_WORDY_UNITS or n.raw.value < 10:
        return "word"
    return "amount"


_CHINESE_RULES: tuple[_Rule, ...] = (_cn_marked, _cn_measured, _cn_by_size)
