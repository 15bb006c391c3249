"""The English grammar of time expressions: years (2019, "nineteen ninety six", "year 247", cy18),
months ("June 2016", "2016-11", "3/2015", "April of 87"), parts of a year ("Q3 2020", "2016 H2",
"the first nine months of 2023", "the last four months of 2021"), relative times ("last year",
"next month", "the previous three quarters", "the past five years", "to date"), edges ("the end
of 2008") and decades ("the 1990s").

A bare number is a year only where the words around it say so ("in 2019", "2019 was", a line
that holds only the year); "deliver 2000 pieces", "$2000" and "Visitors: 2019" are amounts. Digits standing alone are read here
for both languages (从2016到2018). Every repetition is bounded, so a scan is linear in the text.
"""

from __future__ import annotations

import re

from tibet_facts.store.extract.timex_model import (
    DIGITS,
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
    unnamed,
    week_months,
)
from tibet_facts.store.extract.timex_words import (
    EN_MONTH_ABBREVIATIONS,
    EN_MONTH_WORDS,
    EN_MONTHS,
    HALVES,
    en_count,
    en_ordinal,
    en_spelled_year,
    plan_years,
    two_digit_year,
)

_S = r"\s{1,3}"  # the blanks between two words
_MONTHS = "|".join(EN_MONTH_WORDS)
_COUNT = (
    r"\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|a\s{1,2}couple\s{1,2}of"
)
_ORDINAL = (
    r"\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
    r"|eleventh|twelfth"
)
_NUMBER_WORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety|hundred|thousand|oh)\b"
)
_SPELLED = rf"\b{_NUMBER_WORD}(?:[\s-]{{1,2}}(?:and[\s-]{{1,2}})?{_NUMBER_WORD}){{0,7}}"
# Not inside a number, an amount, a code or a path: "$2000", "138-2010-2015", "1666.90125", "A1B2".
_LEFT = r"(?<![A-Za-z0-9_.,$€£¥#@/:+-])"
_RIGHT = r"(?![A-Za-z0-9_]|[.,]\d|\s?[-/:]\s?\d)"

# --- pieces: years ----------------------------------------------------------------------------


def _digits(m: re.Match[str], ref: Reference) -> int | None:
    return int(m["y"])


def _spelled(m: re.Match[str], ref: Reference) -> int | None:
    year = en_spelled_year(m[0])
    return year if year is not None and 1000 <= year <= 2999 else None


_YEAR_OFFSETS = {
    "this": 0,
    "current": 0,
    "the current": 0,
    "next": 1,
    "the next": 1,
    "coming": 1,
    "the coming": 1,
    "last": -1,
    "previous": -1,
    "the previous": -1,
    "past": -1,
    "the past": -1,
}


def _relative_year(m: re.Match[str], ref: Reference) -> int | None:
    if ref.year is None:
        return None
    if m["far"]:
        return ref.year + (2 if m["far"].lower() == "after" else -2)
    return ref.year + _YEAR_OFFSETS[" ".join(m["rel"].lower().split())]


def _calendar(m: re.Match[str], ref: Reference) -> int | None:
    return int(m["y"]) if m["y"] else two_digit_year(int(m["yy"]))


YEAR_DIGITS = Piece("year_digits", r"(?P<y>[12]\d{3})", _digits)
YEAR_SPELLED = Piece("year_spelled", _SPELLED, _spelled, re.I)
YEAR_RELATIVE = Piece(
    "relative_year",
    rf"(?:(?P<rel>(?:the{_S})?(?:this|current|next|coming|last|previous))"
    rf"{_S}(?:calendar{_S})?year"
    rf"|the{_S}year{_S}(?P<far>after|before){_S}(?:the{_S})?(?:next|last))\b",
    _relative_year,
    re.I,
)
YEAR_CALENDAR = Piece(
    "calendar_year",
    rf"(?:calendar{_S}year|cy)\s{{0,2}}(?P<y>[12]\d{{3}})|cy(?P<yy>\d\d)\b",
    _calendar,
    re.I,
)
YEAR = Choice(YEAR_CALENDAR, YEAR_DIGITS, YEAR_RELATIVE, YEAR_SPELLED)

# --- pieces: parts of a year ------------------------------------------------------------------


def month_number(word: str) -> int:
    word = word.lower().rstrip(".")
    return EN_MONTHS.get(word) or EN_MONTH_ABBREVIATIONS[word]


def _month(m: re.Match[str], ref: Reference) -> Floating:
    n = month_number(m["mon"])
    return Floating(n, n, named=True)


def _month_day(m: re.Match[str], ref: Reference) -> Floating | None:
    """Reads "March 5", "5th of March": a date is the month it falls in."""
    return _month(m, ref) if 1 <= int(m["d"]) <= 31 else None


def _quarter_code(m: re.Match[str], ref: Reference) -> Floating:
    """Q3: as "the third quarter" (alone, see _part_alone)."""
    q = int(m["q"])
    return Floating(3 * q - 2, 3 * q)


def _half_code(m: re.Match[str], ref: Reference) -> Floating:
    """H2: as "the second half" (alone, see _part_alone)."""
    lo, hi = HALVES[int(m["h"])]
    return Floating(lo, hi)


def _quarter_word(m: re.Match[str], ref: Reference) -> Floating | None:
    """Reads "the third quarter";
    "the last quarter" is the fourth only of a year named beside it."""
    n = en_ordinal(m["o"])
    if n is None or not (n == -1 or 1 <= n <= 4):
        return None
    q = 4 if n == -1 else n
    return Floating(3 * q - 2, 3 * q, alone=n != -1)


def _half_word(m: re.Match[str], ref: Reference) -> Floating:
    lo, hi = HALVES[1 if m["o"].lower() in ("first", "1st") else 2]
    return Floating(lo, hi)


def _first_n(m: re.Match[str], ref: Reference) -> Floating | None:
    """Reads "the first nine months", "the first three quarters"."""
    n = en_count(m["n"])
    months = n * 3 if n and m["u"].lower().startswith("quarter") else n
    return Floating(1, months) if months and 1 <= months <= 12 else None


def _last_n(m: re.Match[str], ref: Reference) -> Floating | None:
    """Reads "the last four months (of 2021)":
    alone it is a span back from today, not of a year."""
    n = en_count(m["n"])
    months = n * 3 if n and m["u"].lower().startswith("quarter") else n
    return Floating(13 - months, 12, alone=False) if months and 1 <= months <= 12 else None


def _nth_month(m: re.Match[str], ref: Reference) -> Floating | None:
    n = en_ordinal(m["o"])
    return Floating(n, n, alone=False) if n and 1 <= n <= 12 else None


MONTH = Piece("month", rf"\b(?P<mon>{_MONTHS})\b\.?", _month, re.I)
MONTH_DAY = Piece(
    "month_day",
    rf"\b(?P<mon>{_MONTHS})\b\.?\s{{1,2}}(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b",
    _month_day,
    re.I,
)
DAY_MONTH = Piece(
    "day_month",
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s{{1,2}}(?:of\s{{1,2}})?(?P<mon>{_MONTHS})\b\.?",
    _month_day,
    re.I,
)
QUARTER_CODE = Piece("quarter_code", r"(?<![A-Za-z])q(?P<q>[1-4])(?![0-9])", _quarter_code, re.I)
HALF_CODE = Piece("half_code", r"(?<![A-Za-z])h(?P<h>[12])(?![0-9])", _half_code, re.I)
QUARTER_WORD = Piece(
    "quarter_word",
    rf"(?:the{_S})?(?P<o>first|second|third|fourth|last|final|1st|2nd|3rd|4th)"
    rf"{_S}quarter\b",
    _quarter_word,
    re.I,
)
HALF_WORD = Piece("half_word", rf"(?:the{_S})?(?P<o>first|second|1st|2nd|latter){_S}half\b", _half_word, re.I)
FIRST_N = Piece(
    "first_n", rf"(?:the{_S})?first{_S}(?P<n>{_COUNT}){_S}(?P<u>months|quarters)\b", _first_n, re.I
)
LAST_N = Piece(
    "last_n",
    rf"(?:the{_S})?(?:last|final){_S}(?P<n>{_COUNT}){_S}(?P<u>months|quarters)\b",
    _last_n,
    re.I,
)
NTH_MONTH = Piece("nth_month", rf"(?:the{_S})?(?P<o>{_ORDINAL}){_S}month\b", _nth_month, re.I)
PART_OF_YEAR = Choice(
    FIRST_N,
    LAST_N,
    NTH_MONTH,
    QUARTER_WORD,
    HALF_WORD,
    MONTH_DAY,
    DAY_MONTH,
    MONTH,
    QUARTER_CODE,
    HALF_CODE,
)
# After a year ("2016 june", "2017-q1", "2016 the third quarter"): the forms that name a part.
PART_AFTER_YEAR = Choice(QUARTER_WORD, HALF_WORD, MONTH, QUARTER_CODE, HALF_CODE)

# --- rules ------------------------------------------------------------------------------------


def _part_year(m: re.Match[str], ref: Reference) -> Reading | None:
    """Reads "June 2016", "Q3 2020", "the first nine months of 2023", "june next year"."""
    part = PART_OF_YEAR.parse(m["part"], ref)
    year = YEAR.parse(m["year"], ref)
    return Reading(part.in_year(year)) if part is not None and year is not None else None


def _year_part(m: re.Match[str], ref: Reference) -> Reading | None:
    """Reads "2016 june", "2017-q1", "2016H2", "2016 the third quarter" ("in 2019 may rise"
    is a verb)."""
    if is_verb(m["part"]):
        return None
    part = PART_AFTER_YEAR.parse(m["part"], ref)
    year = YEAR.parse(m["year"], ref)
    return Reading(part.in_year(year)) if part is not None and year is not None else None


def _month_short_year(m: re.Match[str], ref: Reference) -> Reading | None:
    """Reads "April of 87", "August '99":
    two digits after a month are a year when they cannot be a day."""
    yy = int(m["yy"])
    if not (m["of"] or m["q"] or yy > 31):
        return None
    return Reading(Period.month(two_digit_year(yy), month_number(m["mon"])))


def _numeric_month(m: re.Match[str], ref: Reference) -> Reading | None:
    """2016-11, 2015/3, 2015.3, 11-2016, 3/2015: a year and a month in digits."""
    month = int(m["m"])
    return Reading(Period.month(int(m["y"]), month)) if 1 <= month <= 12 else None


_EDGE_TARGET = Choice(YEAR_RELATIVE, YEAR_DIGITS, YEAR_SPELLED)


def _edge(m: re.Match[str], ref: Reference) -> Reading | None:
    """Reads "the end of 2008", "the beginning of the first quarter of 2020", "the end of
    this month"."""
    side = "start" if m["side"].lower() in ("start", "beginning") else "end"
    target = _target(m["what"], ref)
    return Reading(Edge(side, target)) if target is not None else None


def _target(text: str, ref: Reference) -> Period | None:
    for rule in (PART_YEAR_RULE, RELATIVE_MONTH_RULE, RELATIVE_QUARTER_RULE):
        m = rule.pattern.fullmatch(text)
        got = rule.read(m, ref) if m else None
        if got is not None and isinstance(got.value, Period):
            return got.value
    year = _EDGE_TARGET.parse(text, ref)
    return Period.year(year) if year is not None else None


def _read_year(piece: Piece) -> Reader:
    def read(m: re.Match[str], ref: Reference) -> Reading | None:
        year = piece.parse(m[0], ref)
        return Reading(Period.year(year)) if year is not None else None

    return read


def _year_word(m: re.Match[str], ref: Reference) -> Reading | None:
    """Reads "year 247", "the year of 2008", "Year two hundred and sixty seven"."""
    year = int(m["y"]) if m["y"] else en_spelled_year(m["sp"])
    return Reading(Period.year(year)) if year is not None and 0 < year <= 2999 else None


def is_verb(word: str) -> bool:
    """Whether a month word is the verb "may" or "march": so unless capitalized ("This may take
    longer")."""
    return word.rstrip(".").lower() in ("may", "march") and not (word[0].isupper() and not word.isupper())


def _relative_month_name(m: re.Match[str], ref: Reference) -> Reading | None:
    """Reads "this September", "last sept", "next june": the month of this, last or next year."""
    if ref.year is None or is_verb(m["mon"]):
        return None
    offset = {"this": 0, "last": -1, "next": 1, "coming": 1}[m["rel"].lower()]
    return Reading(Period.month(ref.year + offset, month_number(m["mon"])))


_STEP = {
    "this": 0,
    "current": 0,
    "last": -1,
    "previous": -1,
    "past": -1,
    "next": 1,
    "coming": 1,
    "following": 1,
    "upcoming": 1,
}


def _relative_month(m: re.Match[str], ref: Reference) -> Reading | None:
    """Reads "next month", "last month", "the month after next"."""
    now = ref.month_number
    if now is None:
        return None
    step = (2 if m["far"].lower() == "after" else -2) if m["far"] else _STEP[m["rel"].lower()]
    return Reading(Period(now + step, now + step))


def _quarter_index(ref: Reference) -> int | None:
    if ref.year is None or ref.month is None:
        return None
    return ref.year * 4 + quarter_of(ref.month) - 1


def _quarters(first: int, last: int) -> Period:
    return Period(
        quarter_period(first // 4, first % 4 + 1).first,
        quarter_period(last // 4, last % 4 + 1).last,
    )


def _relative_quarter(m: re.Match[str], ref: Reference) -> Reading | None:
    """Reads "this quarter", "last quarter", "the next quarter"."""
    q = _quarter_index(ref)
    if q is None:
        return None
    step = _STEP[m["rel"].lower()]
    return Reading(_quarters(q + step, q + step))


def _relative_quarters(m: re.Match[str], ref: Reference) -> Reading | None:
    """Reads "the previous three quarters", "the next 7 quarters":
    whole quarters before or after this one."""
    q, n = _quarter_index(ref), en_count(m["n"])
    if q is None or not n or n > 40:
        return None
    if _STEP[m["rel"].lower()] < 0:
        return Reading(_quarters(q - n, q - 1))
    return Reading(_quarters(q + 1, q + n))


def _past_years(m: re.Match[str], ref: Reference) -> Reading | None:
    """Reads "the past five years":
    the last n completed years (a report of January 2018 ends in 2017)."""
    n, last = en_count(m["n"]), ref.last_full_year()
    if not n or n < 2 or last is None:
        return None
    return Reading(Period.years(last - n + 1, last))


def _past_months(m: re.Match[str], ref: Reference) -> Reading | None:
    """Reads "over the past 12 months": the last n months up to the month of writing."""
    n, now = en_count(m["n"]), ref.month_number
    if not n or n > 36 or now is None:
        return None
    return Reading(Period(now - n + 1, now))


def _past_decade(m: re.Match[str], ref: Reference) -> Reading | None:
    """Reads "over the last decade": the last ten completed years, as "the past ten years"."""
    last = ref.last_full_year()
    return Reading(Period.years(last - 9, last)) if last is not None else None


def _marked_year(m: re.Match[str], ref: Reference) -> Reading | None:
    """Reads "mid-2020", "FY2022", "FY22": the year named (a fiscal year by its name)."""
    digits = m["y"] or m["y2"]
    year = int(digits) if digits else two_digit_year(int(m["yy"]))
    return Reading(Period.year(year))


def _plan(m: re.Match[str], ref: Reference) -> Reading | None:
    """Reads "the 13th Five-Year Plan (period)": its five years, as 十三五."""
    years = plan_years(int(m["n"]))
    return Reading(Period.years(*years)) if years else None


def _split_year(m: re.Match[str], ref: Reference) -> Reading | None:
    """Reads 2022/23, 2019/2020年度: a season or fiscal year across two calendar years."""
    a, b = int(m["a"]), int(m["b"])
    b = b if len(m["b"]) == 4 else a // 100 * 100 + b
    return Reading(Period.years(a, b)) if b == a + 1 else None


def _during_year(m: re.Match[str], ref: Reference) -> Reading | None:
    """Reads "during the year": the last year complete when the report was written."""
    last = ref.last_full_year()
    return Reading(Period.year(last)) if last is not None else None


def _now(m: re.Match[str], ref: Reference) -> Reading | None:
    """Reads "to date", "so far", "currently": the time of writing."""
    if ref.year is None:
        return None
    period = Period.month(ref.year, ref.month) if ref.month else Period.year(ref.year)
    return Reading(period.as_of())


def _decade(m: re.Match[str], ref: Reference) -> Reading | None:
    """Reads "the 1990s", "this decade"."""
    if m["dec"]:
        first = int(m["dec"])
    elif ref.year is not None:
        first = ref.year - ref.year % 10
    else:
        return None
    return Reading(Period.years(first, first + 9))


def _part_of_year_alone(m: re.Match[str], ref: Reference) -> Reading | None:
    """Reads "in the first three quarters", "the first half":
    of the year of writing, said by the caller."""
    part = PART_OF_YEAR.parse(m[0], ref)
    return Reading(part) if part is not None else None


def _week(m: re.Match[str], ref: Reference) -> Reading | None:
    day = ref.day_date()
    if day is None:
        return None
    return Reading(week_months(day, _STEP[m["rel"].lower()]))


_MONTH_STARTS = " ".join(EN_MONTH_WORDS)
_NUMBER_STARTS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
    " sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety"
    " hundred thousand oh"
)
_ORDINAL_STARTS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth last final"
)
_RELATIVE_STARTS = "the this current last previous past next coming following upcoming"
_RELATIVE_WORDS = "|".join(_RELATIVE_STARTS.split()[1:])


_BLANKS = " \t\n\r\u3000\xa0"
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORDINAL_ENDS = "snrtSNRT"  # 1st, 2nd, 3rd, 4th


def _rule(
    name: str,
    starts: str,
    pattern: str,
    read: Reader,
    endpoint: bool = True,
    digits: tuple[str, str] = ("", ""),
    chain: bool = False,
) -> Rule:
    """A rule; `starts` lists the words a match can start with (# for a number in digits),
    `digits` the lengths of such a number ("12": one or two digits) and what may follow it."""
    keys = {DIGITS if word == "#" else word for word in starts.split()}
    guard = "(?<![A-Za-z])"
    lengths = frozenset(int(n) for n in digits[0])
    compiled = re.compile(guard + pattern, re.I)
    follow = frozenset(digits[1])
    return Rule(name, compiled, read, frozenset(keys), endpoint, lengths, follow, chain)


PART_YEAR_RULE = _rule(
    "en_part_year",
    f"# the q h latter {_MONTH_STARTS} {_ORDINAL_STARTS}",
    rf"(?P<part>{PART_OF_YEAR.bare})(?:\s{{0,2}}[-/,]\s{{0,2}}|{_S}(?:of|in){_S}|{_S})"
    rf"(?P<year>{YEAR.bare})(?![0-9])",
    _part_year,
    digits=("12", _BLANKS + _ORDINAL_ENDS),
)
RELATIVE_MONTH_RULE = _rule(
    "en_relative_month",
    _RELATIVE_STARTS,
    rf"(?:the{_S})?(?P<rel>{_RELATIVE_WORDS}){_S}month\b"
    rf"|the{_S}month{_S}(?P<far>after|before){_S}(?:the{_S})?(?:next|last)\b",
    _relative_month,
)
RELATIVE_QUARTER_RULE = _rule(
    "en_relative_quarter",
    _RELATIVE_STARTS,
    rf"(?:the{_S})?(?P<rel>{_RELATIVE_WORDS}){_S}quarter\b",
    _relative_quarter,
)

RULES: list[Rule] = [
    PART_YEAR_RULE,
    _rule(
        "en_year_part",
        "# cy calendar",
        rf"{_LEFT}(?P<year>{YEAR_CALENDAR.bare}|{YEAR_DIGITS.bare})"
        rf"(?:\s{{0,2}}[-/,]\s{{0,2}}|{_S}(?:the{_S})?|)(?P<part>{PART_AFTER_YEAR.bare})",
        _year_part,
        digits=("4", _BLANKS + "-/," + _LETTERS),
    ),
    _rule(
        "en_month_short_year",
        _MONTH_STARTS,
        rf"\b(?P<mon>{_MONTHS})\b\.?(?:{_S}(?P<of>of){_S}|\s{{1,2}}|(?P<q>\s?'))"
        r"(?P<yy>\d\d)(?![0-9:])",
        _month_short_year,
    ),
    _rule(
        "en_numeric_date",
        "#",
        rf"{_LEFT}(?:(?P<y>[12]\d{{3}})[-/.](?P<a>\d{{1,2}})[-/.](?P<b>\d{{1,2}})"
        rf"|(?P<a2>\d{{1,2}})[-/.](?P<b2>\d{{1,2}})[-/.](?P<y2>[12]\d{{3}})){_RIGHT}",
        lambda m, ref: _numeric_date_any(m, ref),
        digits=("124", "-/."),
    ),
    _rule(
        "en_numeric_month",
        "#",
        rf"{_LEFT}(?:(?P<y>(?:19|20)\d\d)(?:\s{{0,2}}[-/]\s{{0,2}}|\.)(?P<m>1[0-2]|0?[1-9])"
        rf"|(?P<m2>1[0-2]|0?[1-9])\s{{0,2}}[-/]\s{{0,2}}(?P<y2>(?:19|20)\d\d)){_RIGHT}"
        r"(?!\s?(?:%|percent|[元万亿]))",
        lambda m, ref: _numeric_month_any(m, ref),
        digits=("124", _BLANKS + "-/."),
    ),
    _rule(
        "en_edge",
        "the end start beginning",
        rf"(?:the{_S})?(?P<side>end|start|beginning){_S}of{_S}(?:the{_S})?"
        rf"(?P<what>{unnamed(PART_YEAR_RULE.pattern.pattern)}"
        rf"|{unnamed(RELATIVE_MONTH_RULE.pattern.pattern)}"
        rf"|{unnamed(RELATIVE_QUARTER_RULE.pattern.pattern)}|{_EDGE_TARGET.bare})(?![0-9])",
        _edge,
    ),
    _rule(
        "en_relative_month_name",
        "this last next coming",
        rf"\b(?P<rel>this|last|next|coming){_S}(?P<mon>{_MONTHS})\b\.?",
        _relative_month_name,
    ),
    _rule("en_relative_year", _RELATIVE_STARTS, YEAR_RELATIVE.pattern, _read_year(YEAR_RELATIVE)),
    RELATIVE_MONTH_RULE,
    RELATIVE_QUARTER_RULE,
    _rule(
        "en_relative_quarters",
        _RELATIVE_STARTS,
        rf"(?:the{_S})?(?P<rel>last|past|previous|next|coming|following|upcoming)"
        rf"{_S}(?P<n>{_COUNT}){_S}quarters\b",
        _relative_quarters,
    ),
    _rule(
        "en_past_years",
        "the past last previous",
        rf"(?:the{_S})?(?:past|last|previous){_S}(?P<n>{_COUNT}){_S}years\b",
        _past_years,
        endpoint=False,
    ),
    _rule(
        "en_past_months",
        "the past last previous",
        rf"(?:the{_S})?(?:past|last|previous){_S}(?P<n>{_COUNT}){_S}months\b(?!{_S}of\b)",
        _past_months,
        endpoint=False,
    ),
    _rule(
        "en_past_decade",
        "the past last previous",
        rf"(?:the{_S})?(?:past|last|previous){_S}decade\b(?!{_S}of\b)",
        _past_decade,
        endpoint=False,
    ),
    _rule(
        "en_marked_year",
        "mid fy",
        r"\bmid-(?P<y>(?:19|20)\d\d)(?![0-9])"
        r"|\bFY\s?(?:(?P<y2>(?:19|20)\d\d)|(?P<yy>\d\d))(?![0-9])",
        lambda m, ref: _marked_year(m, ref),
    ),
    _rule(
        "en_plan",
        "# the",
        rf"(?:the{_S})?(?P<n>1\d)(?:th)?{_S}five[-\s]year{_S}plan(?:{_S}period)?\b",
        _plan,
        digits=("2", _BLANKS + "tT"),
    ),
    _rule(
        "en_split_year",
        "#",
        rf"{_LEFT}(?P<a>(?:19|20)\d\d)/(?P<b>(?:19|20)\d\d|\d\d){_RIGHT}(?:\s?年度?)?",
        _split_year,
        digits=("4", "/"),
    ),
    _rule(
        "en_during_year",
        "during for over throughout",
        rf"\b(?:during|for|over|throughout){_S}the{_S}(?:whole{_S}|entire{_S}|full{_S})?year\b"
        r"(?!\s{0,3}(?:of\b|\d|'))",
        _during_year,
        endpoint=False,
    ),
    _rule(
        "en_now",
        "to so currently at up as by now",
        r"(?<!\bup\s)(?<!\bup-)\bto\s{1,2}date\b(?!-|\s{0,2}\d)|\bso\s{1,2}far\b|\bcurrently\b"
        r"|\bat\s{1,2}present\b"
        r"|\bup\s{1,2}to\s{1,2}now\b|\bas\s{1,2}of\s{1,2}(?:now|today)\b|\bby\s{1,2}now\b|\bnow\b",
        _now,
        endpoint=False,
    ),
    _rule(
        "en_decade",
        "# the this",
        rf"\b(?:the{_S})?(?P<dec>1[0-9][0-9]0|20[0-9]0)'?s\b|\bthis{_S}decade\b",
        _decade,
        digits=("4", "'sS"),
    ),
    _rule(
        "en_year_word",
        "year",
        rf"\byear{_S}(?:of{_S})?(?:(?P<y>\d{{3,4}})\b|(?P<sp>{_SPELLED}))",
        _year_word,
    ),
    _rule("en_calendar_year", "calendar cy", YEAR_CALENDAR.pattern, _read_year(YEAR_CALENDAR)),
    _rule(
        "en_part_of_year",
        f"# the q h latter {_MONTH_STARTS} {_ORDINAL_STARTS}",
        rf"{FIRST_N.bare}|{HALF_WORD.bare}|(?:the{_S})?(?:first|second|third|fourth|1st|2nd|3rd"
        rf"|4th){_S}quarter\b|{MONTH.bare}|{QUARTER_CODE.bare}|{HALF_CODE.bare}",
        lambda m, ref: _part_alone(m, ref),
        digits=("1", _ORDINAL_ENDS),
    ),
    _rule(
        "en_week",
        "this last next previous coming",
        rf"\b(?P<rel>this|last|next|previous|coming){_S}week\b",
        _week,
    ),
]


def _numeric_date_any(m: re.Match[str], ref: Reference) -> Reading | None:
    """2024-03-05, 23.04.2022: the month of a date, when the order of day and month is clear
    (03/04/2020 may be March or April)."""
    if m["y"]:
        month, day = int(m["a"]), int(m["b"])
        ok = 1 <= month <= 12 and 1 <= day <= 31
        return Reading(Period.month(int(m["y"]), month)) if ok else None
    a, b = int(m["a2"]), int(m["b2"])
    if a > 12 >= b:
        month = b
    elif b > 12 >= a or a == b:
        month = a
    else:
        return None
    day = a + b - month
    return Reading(Period.month(int(m["y2"]), month)) if 1 <= day <= 31 else None


def _numeric_month_any(m: re.Match[str], ref: Reference) -> Reading | None:
    year, month = (m["y"], m["m"]) if m["y"] else (m["y2"], m["m2"])
    if m["y"] and "." in m[0] and re.match(r"\s?[A-Za-z\u4e00-\u9fff]", m.string[m.end() : m.end() + 2]):
        return None  # 2015.3 followed by a word is an amount (2015.3 million, 2015.3亿)
    return Reading(Period.month(int(year), int(month)))


# Words before a number that make it a year: "in 2019", "from 2014", "dates back to 1865", 从2016.
_YEAR_PREPOSITION = re.compile(
    r"(?:\b(?:in|during|for|from|since|until|till|to|through|thru|by|before|after|than"
    r"|around|circa|early|mid|late|year|as\s{1,2}of|and|between)|[从自在于到至]|mid-)\s{0,2}$",
    re.I,
)
# Words a year may be followed by without a preposition before it ("2019 was", "2007 and 2009");
# not "in", "on", "at", "with": "a population of 2000 in the village".
_YEAR_FOLLOWERS = {
    "and",
    "or",
    "to",
    "through",
    "thru",
    "till",
    "until",
    "is",
    "was",
    "were",
    "will",
    "would",
    "has",
    "had",
    "have",
    "saw",
    "see",
    "sees",
    "the",
    "when",
    "as",
    "but",
    "than",
    "versus",
    "vs",
    "compared",
    "onwards",
    "onward",
    "after",
    "before",
    "levels",
}
# What an amount is followed by: a plural noun ("2000 pieces"), a unit, a currency, a counter.
_UNIT_AFTER = re.compile(
    r"\s{0,2}(?:%|percent\b|per\b|[元万亿千百个家户人名件吨米台辆套项次座所条只头匹株亩])", re.I
)
_NEXT_WORD = re.compile(r"[ \t]{0,2}([A-Za-z]+)")
_UNIT_WORDS = {
    "people",
    "yuan",
    "dollars",
    "tons",
    "tonnes",
    "km",
    "kilometers",
    "kilometres",
    "meters",
    "metres",
    "mu",
    "hectares",
    "units",
    "times",
    "persons",
    "households",
    "villages",
    "rmb",
    "usd",
    "gbp",
    "eur",
}


def _after_is_amount(text: str, end: int) -> bool:
    if _UNIT_AFTER.match(text, end):
        return True
    m = _NEXT_WORD.match(text, end)
    if not m:
        return False
    word = m[1]
    low = word.lower()
    return low in _UNIT_WORDS or (
        word[0].islower()
        and low.endswith("s")
        and low not in _YEAR_FOLLOWERS
        and low not in ("its", "this", "thus", "plus", "always", "whereas")
    )


_LINE_BEFORE = re.compile(r"(?:^|\n)[ \t]{0,8}(?:[=:][ \t]{0,4})?$")
_LINE_AFTER = re.compile(r"[ \t]{0,8}(?:\n|$)")


def _alone_on_line(text: str, start: int, end: int) -> bool:
    """A year that is all its line holds ("2019", "= 2019"): "Visitors: 2019" or "价格为2050"
    end their lines with amounts, not years."""
    before = text[max(0, start - 16) : start]
    return bool(_LINE_BEFORE.search(before) and _LINE_AFTER.match(text, end))


_NUMBER_BEFORE = re.compile(r"\d\s{0,2}[-/.]\s{0,2}$")


def _bare_year(m: re.Match[str], ref: Reference) -> Reading | None:
    """2019 with no 年 and no month: a year after a preposition or before a verb, or alone on its
    line; an amount when a unit or a plural noun follows; otherwise a year only as the end of a
    range ("从2016到2018", "2014 - 2018"). After "32 - " it is part of a code or a date."""
    text, start, end = m.string, m.start(), m.end()
    year = int(m["y"])
    if _after_is_amount(text, end) or _NUMBER_BEFORE.search(text[max(0, start - 5) : start]):
        return None
    before = _YEAR_PREPOSITION.search(text[max(0, start - 12) : start])
    between_only = before is not None and before[0].strip().lower() in ("and", "between")
    if between_only and _LISTED_AFTER_YEAR.search(text[max(0, start - 16) : start]):
        between_only = False  # "in 2007 and 2009": a list of years
    if not 1900 <= year <= 2099:
        # 2150 "in 2150," is a year; 1666 or 2101 alone are numbers.
        return Reading(Period.year(year)) if before and not between_only and _ends_clause(text, end) else None
    nxt = _NEXT_WORD.match(text, end)
    strong = (
        (before is not None and not between_only)
        or _alone_on_line(text, start, end)
        or (
            nxt is not None
            and nxt[1].lower() in _YEAR_FOLLOWERS
            and not _LABEL_BEFORE.search(text[max(0, start - 12) : start])
        )
    )
    if not strong and not _range_word_beside(text, start, end):
        return None  # a weak year serves only as the end of a range: "2016到2018"
    return Reading(Period.year(year), weak=not strong)


# The words that join the two ends of a range (timex's connectors), before or after a year.
_RANGE_AFTER = re.compile(
    r"\s{0,3}(?:[-–—~～至到和与及]|(?:to|till|until|til|through|thru|and)\b)", re.I
)
_RANGE_BEFORE = re.compile(
    r"(?:[-–—~～至到和与及间]|\b(?:to|till|until|til|through|thru|and|between))\s{0,3}$", re.I
)


def _range_word_beside(text: str, start: int, end: int) -> bool:
    return bool(
        _RANGE_AFTER.match(text, end) or _RANGE_BEFORE.search(text, max(0, start - 12), start)
    )


_LISTED_AFTER_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d\s{1,3}and\s{1,3}$")
# A capitalized word just before a number makes it a name: "Room 2019 is", "Windows 2000 was".
_LABEL_BEFORE = re.compile(r"\b(?!The\b|This\b|And\b|But\b)[A-Z][a-z]*[ \t]$")


def _ends_clause(text: str, end: int) -> bool:
    return bool(re.match(r"\s{0,2}(?:[,.;:!?)]|$)", text[end : end + 4]))


def _spelled_alone(m: re.Match[str], ref: Reference) -> Reading | None:
    """Reads "in nineteen ninety six", "from two thousand until ...": only after a preposition."""
    year = en_spelled_year(m["sp"])
    if year is None or not 1000 <= year <= 2999 or _after_is_amount(m.string, m.end()):
        return None
    before = _YEAR_PREPOSITION.search(m.string[max(0, m.start() - 12) : m.start()])
    return Reading(Period.year(year), weak=before is None)


# "the first half of the match": a part of something that is no year (a year after "of" is read
# by en_part_year, "of the year" is the year of writing).
_OF_SOMETHING = re.compile(
    rf"{_S}of{_S}(?!(?:the|this){_S}(?:calendar{_S}|fiscal{_S})?year\b)", re.I
)
# A code alone (Q3, H2) is a part of the year of writing, as "the third quarter" is, only after
# a preposition: "H2 production" is hydrogen, "Q3 model" a name.
_PART_HEAD = re.compile(r"\b(?:in|during|for|over|through|throughout|by)\s{1,2}$", re.I)


def _headed(m: re.Match[str]) -> bool:
    return bool(_PART_HEAD.search(m.string[max(0, m.start() - 12) : m.start()]))


def _part_alone(m: re.Match[str], ref: Reference) -> Reading | None:
    """A part of a year with no year beside it. A month name alone is a month only capitalized
    after a preposition ("in May"; "This may take longer" is a verb); "the first three quarters"
    is of the year of writing, and so are "the third quarter" and Q3 after a preposition or at
    the head of a clause; "the first half of the match" is no part of a year."""
    part = PART_OF_YEAR.parse(m[0], ref)
    if part is None or _OF_SOMETHING.match(m.string, m.end()):
        return None
    if m[0][:1] in "qQhH" and not _headed(m):
        return None
    if part.named:
        word = m[0]
        capitalized = word[0].isupper() and not word.isupper()
        after_preposition = _YEAR_PREPOSITION.search(m.string[max(0, m.start() - 12) : m.start()])
        return Reading(part, weak=not (capitalized and after_preposition))
    return Reading(part)


RULES += [
    _rule(
        "en_year_range",
        "#",
        rf"{_LEFT}(?P<a>(?:19|20)\d\d)\s{{0,2}}[-–—~～]\s{{0,2}}(?P<b>(?:19|20)\d\d|\d\d)"
        rf"{_RIGHT}(?:\s?年(?:度)?)?",
        lambda m, ref: _year_range(m, ref),
        digits=("4", _BLANKS + "-–—~～"),
    ),
    _rule("en_spelled_year", _NUMBER_STARTS, rf"(?P<sp>{_SPELLED})", _spelled_alone, chain=True),
    _rule(
        "en_bare_year",
        "#",
        rf"{_LEFT}(?P<y>[12]\d{{3}}){_RIGHT}(?!\s?年)",
        _bare_year,
        digits=("4", ""),
    ),
]


def _year_range(m: re.Match[str], ref: Reference) -> Reading | None:
    """2014-2018, 1995 – 1997年, 2016-18: whole years, the last one included (news usage)."""
    a = int(m["a"])
    b = int(m["b"]) if len(m["b"]) == 4 else (a // 100) * 100 + int(m["b"])
    if len(m["b"]) == 2 and (int(m["b"]) <= 12 or b - a > 10):
        return None  # 2015-12 is December 2015; a short form spans a few years (2016-18), not 2015-32
    if b <= a or b - a > 100 or _after_is_amount(m.string, m.end()):
        return None
    return Reading(Period.years(a, b))
