"""The values a time expression reads into: month-granular periods, and the pieces of them.

A `Period` is a run of whole months, kept as month numbers counted from year 0 (`2023*12 + 4` is
May 2023), so periods sort and compare as integers. It prints in the fact format the store and the
gold use: a year `2023`, a month `2023-05`, a span `2023-01..2023-09`, whole years `2012..2023`,
or a point `as of 2023-09` / `as of 2023`. Day- and week-granular expressions become the month (or
months) they fall in: the store has no finer grain.

A `Floating` period names months without a year (五月, "the first half", Q3); it gets its year from
a neighbour ("Jan-Feb 2017") or from the reference date. An `Edge` is the start or end of a period
("the end of 2008", 2020年底), which matters only as the end of a range or after 截至/"as of".
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# A reference date as the CLI and the pipeline pass it: 2025, 2025-11, 2025-11-03 (or "unknown").
_DATE = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?")


def month_index(year: int, month: int) -> int:
    """The month number of (year, month 1..12)."""
    return year * 12 + month - 1


def year_of(index: int) -> int:
    return index // 12


def month_of(index: int) -> int:
    """1..12."""
    return index % 12 + 1


def _ym(index: int) -> str:
    return f"{year_of(index):04d}-{month_of(index):02d}"


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """Whole months first..last (inclusive); `asof` marks a point in time ("as of")."""

    first: int
    last: int
    asof: bool = False

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(month_index(year, 1), month_index(year, 12))

    @classmethod
    def years(cls, first: int, last: int) -> Period:
        return cls(month_index(first, 1), month_index(last, 12))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(month_index(year, month), month_index(year, month))

    @classmethod
    def months(cls, year: int, lo: int, hi: int) -> Period:
        """Months lo..hi of one year."""
        return cls(month_index(year, lo), month_index(year, hi))

    @property
    def whole_years(self) -> bool:
        return month_of(self.first) == 1 and month_of(self.last) == 12

    def as_of(self) -> Period:
        """The point at this period's end: `as of 2025-12` for 截至2025年底, `as of 2024` for
        截至2024年."""
        if self.whole_years and year_of(self.first) == year_of(self.last):
            return Period(self.first, self.last, asof=True)
        return Period(self.last, self.last, asof=True)

    def __str__(self) -> str:
        if self.asof:
            body = f"{year_of(self.first):04d}" if self.first != self.last else _ym(self.last)
            return f"as of {body}"
        if self.whole_years:
            a, b = year_of(self.first), year_of(self.last)
            return f"{a:04d}" if a == b else f"{a:04d}..{b:04d}"
        if self.first == self.last:
            return _ym(self.first)
        return f"{_ym(self.first)}..{_ym(self.last)}"


@dataclass(frozen=True, slots=True)
class Floating:
    """Months lo..hi (1..12) of a year the expression does not name."""

    lo: int
    hi: int
    named: bool = False  # a named month (五月, May): the latest one by the reference date
    alone: bool = (
        True  # may take the reference year when nothing else gives one (Q3 alone may not)
    )

    def in_year(self, year: int) -> Period:
        return Period.months(year, self.lo, self.hi)


@dataclass(frozen=True, slots=True)
class Edge:
    """The start or the end of a period: "the beginning of 2007", 2020年底."""

    side: str  # "start" or "end"
    of: Period | Floating


Value = Period | Floating | Edge


@dataclass(frozen=True, slots=True)
class Reading:
    """What a grammar rule read: a value, and how sure it is that the text is a time at all."""

    value: Value
    weak: bool = False  # a bare number that is a year only as the end of a range ("2016到2018")
    now: bool = False  # 目前/当前/现已: the time of writing, framing only at the head of a clause
    end: int | None = None  # where the expression ends, when not where the rule's pattern did


@dataclass(frozen=True, slots=True)
class Reference:
    """The date relative expressions are read against (the document's date); parts may be
    missing."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, date: str | None) -> Reference:
        """`2025`, `2025-11`, `2025-11-03`; anything else (`unknown`, None) is no date."""
        m = _DATE.match(date or "")
        if not m:
            return cls()
        month = int(m["m"]) if m["m"] and 1 <= int(m["m"]) <= 12 else None
        day = int(m["d"]) if month and m["d"] and 1 <= int(m["d"]) <= 31 else None
        return cls(int(m["y"]), month, day)

    @property
    def month_number(self) -> int | None:
        """The reference month's index, when the month is known."""
        if self.year is None or self.month is None:
            return None
        return month_index(self.year, self.month)

    def day_date(self) -> datetime.date | None:
        if self.year is None or self.month is None or self.day is None:
            return None
        try:
            return datetime.date(self.year, self.month, self.day)
        except ValueError:
            return None

    def last_full_year(self) -> int | None:
        """The year a whole-year figure of a document is about: the year before in its first
        half, when the annual figures come out (bulletins appear by April; "during the year" in
        January 2018 is 2017), the year of writing later on (a year-end report, a forecast)."""
        if self.year is None:
            return None
        return self.year - 1 if self.month is not None and self.month <= 6 else self.year


def quarter_of(month: int) -> int:
    """1..4."""
    return (month - 1) // 3 + 1


def quarter_period(year: int, quarter: int) -> Period:
    return Period.months(year, 3 * quarter - 2, 3 * quarter)


def week_months(day: datetime.date, weeks_ahead: int) -> Period:
    """The month or months of the Monday-to-Sunday week weeks_ahead from the one holding day."""
    monday = day - datetime.timedelta(days=day.weekday()) + datetime.timedelta(weeks=weeks_ahead)
    sunday = monday + datetime.timedelta(days=6)
    return Period(month_index(monday.year, monday.month), month_index(sunday.year, sunday.month))


_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


def unnamed(pattern: str) -> str:
    """The pattern with its named groups made plain, to compose it into a bigger one."""
    return _NAMED_GROUP.sub("(?:", pattern)


class Piece:
    """A named sub-pattern of the grammar (a year, a month, a quarter...) and how to read it.

    Pieces compose into rules as plain text (`bare`); a rule reads each part it matched again
    with `parse`, which fullmatches the piece's own pattern and its groups."""

    def __init__(
        self,
        name: str,
        pattern: str,
        read: Callable[[re.Match[str], Reference], Any],
        flags: int = 0,
        first: str = "",
    ) -> None:
        self.name = name
        self.pattern = pattern
        self.read = read
        self._full = re.compile(pattern, flags)
        # The characters a match can start with (empty: any): a Choice tries only these pieces.
        self.first = frozenset(first)

    @property
    def bare(self) -> str:
        return unnamed(self.pattern)

    def parse(self, text: str, ref: Reference) -> Any:
        m = self._full.fullmatch(text)
        return self.read(m, ref) if m else None

    def read_at(self, text: str, pos: int, ref: Reference) -> tuple[Any, int] | None:
        """The value of the piece starting at pos in text, and where it ends."""
        m = self._full.match(text, pos)
        value = self.read(m, ref) if m else None
        return (value, m.end()) if m and value is not None else None


class Choice:
    """Pieces that can stand in one place, tried in order (the longer forms first)."""

    def __init__(self, *pieces: Piece) -> None:
        self.pieces = pieces

    @property
    def bare(self) -> str:
        return "(?:" + "|".join(p.bare for p in self.pieces) + ")"

    def parse(self, text: str, ref: Reference) -> Any:
        for piece in self.pieces:
            got = piece.parse(text, ref)
            if got is not None:
                return got
        return None

    def longest_at(self, text: str, pos: int, ref: Reference) -> tuple[Any, int] | None:
        """The longest reading of any piece starting at pos: 11月 when 11月至2月 is no range."""
        best: tuple[Any, int] | None = None
        char = text[pos : pos + 1]
        for piece in self.pieces:
            if piece.first and char not in piece.first:
                continue
            got = piece.read_at(text, pos, ref)
            if got is not None and (best is None or got[1] > best[1]):
                best = got
        return best


Reader = Callable[[re.Match[str], Reference], Reading | None]


@dataclass(frozen=True, slots=True)
class Rule:
    """A time expression the grammar knows: its pattern and how a match reads into a value."""

    name: str
    pattern: re.Pattern[str]
    read: Reader
    # Where a match can start: a character (年, 上), a lowercase word ("the", "june") or DIGITS.
    # The scan tries the rule only there: one pass over the text's words instead of one a rule.
    starts: frozenset[str]
    endpoint: bool = True  # may be one end of a range ("2016到2018"); 近五年, 目前 may not
    # At a run of digits, the rule is tried only when the run is of one of these lengths and is
    # followed by one of these characters (empty: any): "2019 2019 …" tries no rule of months.
    lengths: frozenset[int] = frozenset()
    follow: frozenset[str] = frozenset()
    # A rule that reads a run of its own start words ("nineteen eighty four") is tried only at
    # the run's first word: trying it at every word of a long run would read the run again each.
    chain: bool = False


DIGITS = "0"  # the start key of a run of digits
DIGITS_YEAR = "0年"  # the start key of a run of digits before 年 (2023年, 07 年, 5年来)
# After a number, what makes it an amount and never a time: a unit or a counter (3000万件, 618名).
UNIT_CHARS = frozenset("%％万亿億萬元千百个家户人名件吨米台辆套项次座所条只头匹株亩倍")
