"""Every time expression of a Chinese or English text, read into a period against a reference date.

`parse_periods(text, date)` returns the `Mention`s of a text in order, each with its span and its
`Period` (see timex_model for the format). It reads in four steps:

1. every rule of the two grammars (timex_zh, timex_en) proposes readings; of overlapping ones the
   leftmost, then the longest, wins (a tokenizer's rule: "2016年上半年" is one expression);
2. two readings joined by a range word become one period: 2016到2018, 1-11月 is one rule, "from
   May to Oct 2020", "between 2015 and Feb 2018", "2007年与2009年间". A range includes its last
   named year or month, as news means it; an end given as "the start of 2008" stops before it.
   An end without a year takes the other end's ("Jan-Feb 2017", "Nov-Feb 2017" from 2016-11);
3. words around a reading make it a point or a running total: 截至/as of/by (`as of 2025-12` for
   截至2025年底), 自…以来/since (`2004..2011` for 自2004年以来 written in 2011);
4. what names no year takes the reference date's: a named month the latest one by then (五月 in
   a report of November 2025 is 2025-05, in one of March 2025 it is 2024-05), a part of a year
   (上半年, "the first three quarters", Q3 after a preposition) the reference year.
   A time with only one end ("before 2018", 2020年以前) gives no period.

Readings that need a reference date (今年, last quarter, 目前) are dropped without one, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from tibet_facts.store.extract import timex_en, timex_zh
from tibet_facts.store.extract.timex_model import (
    DIGITS,
    DIGITS_YEAR,
    UNIT_CHARS,
    Edge,
    Floating,
    Period,
    Reading,
    Reference,
    Rule,
    month_index,
    month_of,
    year_of,
)

RULES: list[Rule] = [*timex_zh.RULES, *timex_en.RULES]


@dataclass(frozen=True, slots=True)
class Mention:
    """A time expression: where it is, the period it stands for, and the rule that read it."""

    start: int
    end: int
    period: Period
    rule: str
    since: bool = False  # "since 2015", 2015年以来: a running total up to the time of writing
    now: bool = False  # 目前/当前/现已: the time of writing, framing only at the head of a clause


@dataclass(frozen=True, slots=True)
class _Atom:
    start: int
    end: int
    reading: Reading
    rule: Rule


# --- 1. candidates and the leftmost-longest choice --------------------------------------------


def _dispatch() -> dict[str, list[tuple[int, Rule]]]:
    table: dict[str, list[tuple[int, Rule]]] = {}
    for order, rule in enumerate(RULES):
        for key in rule.starts:
            table.setdefault(key, []).append((order, rule))
    return table


_BY_START = _dispatch()
_CJK_STARTS = "".join(sorted(k for k in _BY_START if len(k) == 1 and not k.isascii()))
_CJK_WORDS = "|".join(
    sorted((k for k in _BY_START if len(k) > 1 and not k.isascii()), key=len, reverse=True)
)
# Where an expression may start: a word, a run of digits, a Chinese word some rule starts with (an
# era's name: 康熙, not 同 of 同比), or a character some Chinese rule starts with.
_WORD_FIRSTS = re.escape(
    "".join(sorted({k[0] for k in _BY_START if len(k) > 1 and not k.isascii()}))
)
_START = re.compile(
    rf"[A-Za-z]+|\d+|(?=[{_WORD_FIRSTS}])(?:{_CJK_WORDS})|[{re.escape(_CJK_STARTS)}]"
)


_UNIT_CHARS = UNIT_CHARS


_DECIMALS = re.compile(r"\.\d+(?![.\d])")  # 52.3, but not 23.04.2022


def _amount(text: str, token: re.Match[str]) -> bool:
    """A run of digits no time can start with: five digits or more, the decimals of a number
    (52.3: the 52 and the 3), or a number followed by its unit (3000万件)."""
    start, end = token.span()
    if end - start > 4 or (start > 1 and text[start - 1] in ".," and text[start - 2].isdigit()):
        return True
    if end - start < 4 and _DECIMALS.match(text, end):
        return True
    after = text[end : end + 2].lstrip(" ")
    return bool(after) and after[0] in _UNIT_CHARS


# A day of a month (3日, 12号) starts no period: its month is named before it.
_DAY_MARKS = frozenset("日号")


def _rules_at(text: str, token: re.Match[str]) -> list[tuple[int, Rule]]:
    """The rules that may match at a token: by its word or character, and a run of digits by
    what follows it (before 年 only the rules of Chinese years are tried)."""
    key = token[0]
    if not key[0].isdigit():
        return _BY_START.get(key.lower(), [])
    if _amount(text, token):
        return []  # 618名学生: an amount, even of a number that names a festival
    rules = _BY_START.get(key, [])  # numbers that are names: 618
    after = text[token.end() : token.end() + 2]
    if after.lstrip(" ")[:1] == "年":
        return rules + _BY_START.get(DIGITS_YEAR, [])
    if after[:1] in _DAY_MARKS:
        return rules
    return rules + _digit_rules(token.end() - token.start(), after[:1])


_BY_SHAPE: dict[tuple[int, str], list[tuple[int, Rule]]] = {}


def _digit_rules(length: int, follow: str) -> list[tuple[int, Rule]]:
    """The rules of numbers that may start at a run of digits of this length followed by this
    character (cached: a text has few shapes of numbers)."""
    key = (length, follow)
    rules = _BY_SHAPE.get(key)
    if rules is None:
        rules = [
            (order, rule)
            for order, rule in _BY_START.get(DIGITS, [])
            if (not rule.lengths or length in rule.lengths)
            and (not rule.follow or follow in rule.follow)
        ]
        if len(_BY_SHAPE) < 4096:
            _BY_SHAPE[key] = rules
    return rules


def _candidates(text: str, ref: Reference) -> list[tuple[int, int, int, _Atom]]:
    """Every reading of every rule that may start at each word, number or character of text."""
    found = []
    last = ("", -9)  # the previous token's text and end
    for token in _START.finditer(text):
        pos = token.start()
        chained = pos - last[1] <= 2 and _CHAIN_GAP.fullmatch(text, last[1], pos) is not None
        for order, rule in _rules_at(text, token):
            if rule.chain and chained and last[0].lower() in rule.starts:
                continue  # inside a run its first word was tried at
            m = rule.pattern.match(text, pos)
            if m is None or m.end() == pos:
                continue
            reading = rule.read(m, ref)
            if reading is not None:
                end = reading.end or m.end()
                found.append((pos, pos - end, order, _Atom(pos, end, reading, rule)))
        last = (token[0], token.end())
    return found


_CHAIN_GAP = re.compile(r"[\s-]{1,2}")


def _choose(text: str, ref: Reference) -> list[_Atom]:
    chosen: list[_Atom] = []
    end = 0
    for _, _, _, atom in sorted(_candidates(text, ref), key=lambda c: c[:3]):
        if atom.start >= end:
            chosen.append(atom)
            end = atom.end
    return chosen


# --- 2. ranges --------------------------------------------------------------------------------

_DASH = r"\s{0,2}(?:-|–|—|~|～|至|到)\s{0,2}"
_TO_WORD = r"\s{1,3}(?:to|till|until|til|through|thru)\s{1,3}"
_CONNECTOR = re.compile(rf"{_DASH}|{_TO_WORD}", re.I)
_AND = re.compile(r"\s{1,3}and\s{1,3}|\s?(?:和|与|及)\s?", re.I)
_BETWEEN_BEFORE = re.compile(r"\bbetween\s{1,3}$", re.I)
_BETWEEN_AFTER = re.compile(r"\s?(?:之间|间)")
_FROM_BEFORE = re.compile(r"(?:\b(?:from|between|in)\s{1,3}|[从自在于]\s?)$", re.I)


def _joined(text: str, a: _Atom, b: _Atom) -> tuple[int, int] | None:
    """The span of "a to b" when the words between them make a range, else None."""
    if not (a.rule.endpoint and b.rule.endpoint):
        return None
    gap = text[a.end : b.start]
    start, end = a.start, b.end
    before = text[max(0, a.start - 10) : a.start]
    if _CONNECTOR.fullmatch(gap):
        pass
    elif _AND.fullmatch(gap) and _BETWEEN_BEFORE.search(before):
        pass
    elif _AND.fullmatch(gap) and (after := _BETWEEN_AFTER.match(text, b.end)):
        end = after.end()
    else:
        return None
    lead = _FROM_BEFORE.search(before)
    if lead:
        start -= len(lead[0])
    return start, end


def _year_for(part: Floating, other: Period, after: bool) -> Period:
    """A range end without a year takes the other end's: "Jan-Feb 2017"; "Nov-Feb 2017" starts
    in 2016; "2019年11月至2月" ends in 2020."""
    if after:
        year = year_of(other.last)
        return part.in_year(year if part.hi >= month_of(other.last) else year + 1)
    year = year_of(other.first)
    return part.in_year(year if part.lo <= month_of(other.first) else year - 1)


def _inner(value: object) -> Period | Floating | None:
    if isinstance(value, Edge):
        return value.of
    return value if isinstance(value, Period | Floating) else None


def _with_year(
    value: Period | Floating | Edge, other: Period | None, after: bool
) -> Period | Edge | None:
    inner = value.of if isinstance(value, Edge) else value
    if isinstance(inner, Floating):
        if other is None:
            return None
        inner = _year_for(inner, other, after)
    return Edge(value.side, inner) if isinstance(value, Edge) else inner


def _bound(value: Period | Edge, role: str) -> int:
    """The month a range starts at (role "start") or stops before ("end")."""
    if isinstance(value, Edge):
        inner = value.of
        assert isinstance(inner, Period)
        return inner.first if value.side == "start" else inner.last + 1
    return value.first if role == "start" else value.last + 1


def _range(a: Reading, b: Reading) -> Reading | None:
    va, vb = a.value, b.value
    pa, pb = _inner(va), _inner(vb)
    if isinstance(pa, Floating) and isinstance(pb, Floating):
        if isinstance(va, Edge) or isinstance(vb, Edge) or pa.lo > pb.hi:
            return None
        return Reading(
            Floating(pa.lo, pb.hi, named=pa.named or pb.named, alone=pa.alone and pb.alone)
        )
    ra = _with_year(va, pb if isinstance(pb, Period) else None, after=False)
    rb = _with_year(vb, pa if isinstance(pa, Period) else None, after=True)
    if ra is None or rb is None:
        return None
    first, stop = _bound(ra, "start"), _bound(rb, "end")
    return Reading(Period(first, stop - 1)) if first < stop else None


# "2022年4月至今", "from 2019 to date": a range that runs to the time of writing (至今 and
# "to date" carry their own range word; 目前, now need one between).
_TO_NOW = re.compile(r"(?:至|到|迄|to\b|till\b|until\b|up\s{1,2}to\b)", re.I)
_NOW_RULES = frozenset({"zh_now", "en_now"})


def _to_now(
    text: str, a: _Atom, b: _Atom, ref: Reference
) -> tuple[tuple[int, int], Reading] | None:
    if b.rule.name not in _NOW_RULES or not a.rule.endpoint or a.reading.weak:
        return None
    gap = text[a.end : b.start]
    if len(gap) > 6 or not (
        _CONNECTOR.fullmatch(gap) or (not gap.strip() and _TO_NOW.match(text, b.start))
    ):
        return None
    value = a.reading.value
    start = _placed(value.of if isinstance(value, Edge) else value, ref)
    stop = _writing_end(ref, start) if start is not None else None
    if start is None or stop is None or stop < start.first:
        return None  # as a running total: to the month of writing, or its year for years
    lead = _FROM_BEFORE.search(text[max(0, a.start - 10) : a.start])
    first = a.start - (len(lead[0]) if lead else 0)
    return (first, b.end), Reading(Period(start.first, max(stop, start.last)))


def _join_ranges(text: str, atoms: list[_Atom], ref: Reference) -> list[_Atom]:
    out: list[_Atom] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        if i + 1 < len(atoms):
            b = atoms[i + 1]
            to_now = _to_now(text, a, b, ref)
            if to_now:
                out.append(_Atom(to_now[0][0], to_now[0][1], to_now[1], a.rule))
                i += 2
                continue
            span = _joined(text, a, b)
            joined = _range(a.reading, b.reading) if span else None
            if span and joined:
                out.append(_Atom(span[0], span[1], joined, a.rule))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


# --- 3. as of, since --------------------------------------------------------------------------

_AS_OF = re.compile(r"(?:截至|截止)(?:到|至)?\s?$|\b(?:as\s{1,2}of|as\s{1,2}at|by)\s{1,3}$", re.I)
_AS_OF_END = re.compile(r"(?:到|至)\s?$|\bat\s{1,3}$", re.I)  # 到2020年底, "at the end of 2020"
_SINCE_BEFORE = re.compile(r"\b(?:ever\s{1,2})?since\s{1,3}$", re.I)
_SINCE_AFTER = re.compile(r"\s?(?:以来|来(?![自源到看说访]))")
_FROM_ZH = re.compile(r"(?:自|从)\s?$")
_ONWARDS_ZH = re.compile(r"\s?(?:起|开始)")


# 1959年民主改革以来, 2012年党的十八大以来: since an event of a year, named in a few words.
_SINCE_EVENT = re.compile(r"[\u4e00-\u9fff]{2,8}?以来")


def _since_event(text: str, atom: _Atom, period: Period) -> re.Match[str] | None:
    if not period.whole_years or period.first // 12 != period.last // 12:
        return None  # a year alone: 2020年3月疫情以来 is left to the month's own reading
    return _SINCE_EVENT.match(text, atom.end)


def _writing_end(ref: Reference, period: Period) -> int | None:
    """Where a running total stops: the month of writing, or its year's end without a month (or
    for a total counted in whole years)."""
    if ref.year is None:
        return None
    if period.whole_years:
        return month_index(ref.year, 12)
    if ref.month is None:
        # 上半年来 in a report dated by its year alone: the half it names, not the whole year
        return period.last
    return month_index(ref.year, ref.month)


def _modified(text: str, atom: _Atom, period: Period, ref: Reference) -> Mention:
    """The mention of a read period, made a point (截至, as of) or a running total (以来, since)
    by the words around it."""
    before = text[max(0, atom.start - 12) : atom.start]
    name = atom.rule.name
    is_end = isinstance(atom.reading.value, Edge) and atom.reading.value.side == "end"
    as_of = _AS_OF.search(before) or (_AS_OF_END.search(before) if is_end else None)
    if as_of:
        return Mention(atom.start - len(as_of[0]), atom.end, period.as_of(), name)
    since = _SINCE_BEFORE.search(before)
    after = _SINCE_AFTER.match(text, atom.end) or _since_event(text, atom, period)
    start, end = atom.start, atom.end
    if not since and not after and _FROM_ZH.search(before):
        onwards = _ONWARDS_ZH.match(text, atom.end)
        if onwards:
            since, end = _FROM_ZH.search(before), onwards.end()
    if (since or after) and atom.rule.endpoint and not period.asof:
        stop = _writing_end(ref, period)
        if stop is None:
            return Mention(start, end, period, name)
        if after:
            end = after.end()
            lead = _FROM_ZH.search(before)
            start -= len(lead[0]) if lead else 0
        elif since:
            start -= len(since[0])
        return Mention(start, end, Period(period.first, max(stop, period.last)), name, since=True)
    return Mention(start, end, period, name, now=atom.reading.now)


# --- 4. the reference year --------------------------------------------------------------------


def _placed(value: Period | Floating | Edge, ref: Reference) -> Period | None:
    """The period of a reading, with the reference year for what names none."""
    if isinstance(value, Period):
        return value
    if isinstance(value, Edge):
        inner = _placed(value.of, ref)
        if inner is None:
            return None
        return (
            Period(inner.last, inner.last)
            if value.side == "end"
            else Period(inner.first, inner.first)
        )
    if not value.alone or ref.year is None:
        return None
    if value.named and ref.month is not None and value.lo > ref.month:
        return value.in_year(ref.year - 1)  # 十二月 in a report of March: last December
    return value.in_year(ref.year)


def parse_periods(text: str, date: str | Reference | None = None) -> list[Mention]:
    """Every time expression in text, in order, with the period it stands for on `date`."""
    ref = date if isinstance(date, Reference) else Reference.parse(date)
    out: list[Mention] = []
    for atom in _join_ranges(text, _choose(text, ref), ref):
        reading = atom.reading
        if reading.weak:
            continue  # a bare number no time word vouches for
        if _open_ended(text, atom):
            continue
        value = reading.value
        period = _placed(value, ref)
        if period is None:
            continue
        if isinstance(value, Edge) and not _as_of_before(text, atom):
            period = (
                _placed(value.of, ref) or period
            )  # 2020年底 alone: the year, not its last month
        out.append(_with_preposition(text, _modified(text, atom, period, ref)))
    return out


# "before 2018", 2020年以前: a time with no start or no end, never the period of a figure.
_OPEN_BEFORE = re.compile(
    r"\b(?:before|after|prior\s{1,2}to|later\s{1,2}than|earlier\s{1,2}than)\s{1,3}$"
    r"|\b(?:pre|post)-$",
    re.I,
)
_OPEN_AFTER = re.compile(r"\s?(?:以前|之前|以后|之后|以後|之後)")


def _open_ended(text: str, atom: _Atom) -> bool:
    before = text[max(0, atom.start - 16) : atom.start]
    return bool(_OPEN_BEFORE.search(before) or _OPEN_AFTER.match(text, atom.end))


# "in 2016", "during the first half of 2019": the preposition belongs to the expression (a clause
# that opens "…said that in 2016," is headed by its time).
_PREPOSITION = re.compile(r"\b(?:in|during|for|of|throughout)\s{1,2}$", re.I)


def _with_preposition(text: str, mention: Mention) -> Mention:
    lead = _PREPOSITION.search(text[max(0, mention.start - 12) : mention.start])
    if lead is None or mention.start - len(lead[0]) < 0:
        return mention
    return replace(mention, start=mention.start - len(lead[0]))


_MONTH_WORDS = "|".join(timex_en.EN_MONTH_WORDS)
# A day named in an expression: 3月5日, "June 24", "5th of March", 2024-03-05, 23.04.2022.
_DAY = re.compile(
    rf"\d{{1,2}}\s?[日号]|\b(?:{_MONTH_WORDS})\b\.?\s{{1,2}}\d{{1,2}}(?:st|nd|rd|th)?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s{{1,2}}(?:of\s{{1,2}})?(?:{_MONTH_WORDS})\b"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}",
    re.I,
)
# What may stand before a date on its line: a label ("update:", "发布时间：").
_LINE_LABEL = re.compile(r"[ \t]*(?:[A-Za-z\u4e00-\u9fff ]{1,16}[:：][ \t]*)?")


def is_dateline(text: str, mention: Mention) -> bool:
    """A date that opens its line ("June 24,2020 -- ...", "update:June 24,2020",
    "date: 2017-07-26") says when a report was filed, not when its figures hold."""
    if not _DAY.search(text, mention.start, mention.end):
        return False
    # Only the 25 characters before the date are searched: a line start further back is too far.
    window = max(0, mention.start - 25)
    line_start = text.rfind("\n", window, mention.start) + 1
    if line_start == 0 and window > 0:
        return False
    label = _LINE_LABEL.match(text, line_start, mention.start)
    if label is None or label.end() != mention.start:
        return False
    return _ANYTHING.search(text, mention.end) is not None  # a date alone heads no report


_ANYTHING = re.compile(r"\S")


def _as_of_before(text: str, atom: _Atom) -> bool:
    before = text[max(0, atom.start - 12) : atom.start]
    return bool(_AS_OF.search(before) or _AS_OF_END.search(before))
