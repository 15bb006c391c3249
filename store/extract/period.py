"""When a figure holds: the time expressions of a document as the pipeline reads them.

The parsing is timex's (`parse_periods`: both languages, every form, against the document date).
This module gives the pipeline its view of it: `TimeMention`s with the period written in the gold
format (`2025`, `2025-11`, `2025-01..2025-08`, `as of 2025-08`), plus the stock cues of English
news ("there are", "has reached"), which are no time expressions but say a figure is as of the
time of writing. 今年/目前/this year are read against the document date; without one they stay
unknown rather than guessed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from tibet_facts.store.extract.timex import Mention, is_dateline, parse_periods
from tibet_facts.store.extract.timex_model import Period, Reference

# Verbs of English reports that state a stock reached by the time of writing.
_STOCK_CUES = re.compile(r"\b(?:there\s+are|ha(?:ve|s)\s+reached|ha(?:ve|s)\s+covered)\b", re.I)


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A time expression in the text and the period it stands for."""

    start: int
    end: int
    period: str
    kind: str  # "point" (a year or month), "asof", "range"
    now: bool = False  # 目前, 当前: the time of writing, but only when it heads a clause
    since: bool = False  # since 2015, 2015年以来: a running total that frames what follows
    cue: bool = False  # a stock cue ("there are"), not a time expression


def as_of_writing(date: str) -> str | None:
    """ "as of" the time a document was written (`as of 2025-08`), or None without a date."""
    ref = Reference.parse(date)
    if ref.year is None:
        return None
    period = Period.month(ref.year, ref.month) if ref.month else Period.year(ref.year)
    return str(period.as_of())


def _kind(period: Period) -> str:
    if period.asof:
        return "asof"
    single = period.first == period.last or (
        period.whole_years and period.last - period.first == 11
    )
    return "point" if single else "range"


def _mention(m: Mention) -> TimeMention:
    return TimeMention(m.start, m.end, str(m.period), _kind(m.period), m.now, m.since)


def find_times(text: str, date: str = "unknown") -> list[TimeMention]:
    """Every time expression in text, in order and non-overlapping, and the stock cues between
    them.
    A dateline's date is left out: it says when the report was filed, and would frame its lead."""
    times = [_mention(m) for m in parse_periods(text, date) if not is_dateline(text, m)]
    writing = as_of_writing(date)
    if writing is None:
        return times
    starts = [t.start for t in times]
    cues = [
        TimeMention(m.start(), m.end(), writing, "asof", cue=True)
        for m in _STOCK_CUES.finditer(text)
        if not _overlaps(times, starts, m.start(), m.end())
    ]
    return sorted(times + cues, key=lambda t: t.start)


def _overlaps(times: list[TimeMention], starts: list[int], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of times (in order, never overlapping: by bisection)."""
    i = bisect.bisect_right(starts, start) - 1
    near = times[max(0, i) : i + 2]
    return any(t.start < end and start < t.end for t in near)
