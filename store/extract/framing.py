"""Which time governs each figure: the PeriodResolver.

period.py finds every time expression of a text (find_times); this module decides, by the
layout, which of them gives a figure its period: a time in the figure's own clause, then before
it in its sentence, then the time that heads an earlier sentence of its paragraph, a dispatch's
lead, or the headline and lead of its section; then refines the period by what the figure is
(a running total, an average annual rate, a stock). The rules follow news writing, in both
languages: a lead's time frames the report under it unless a closer expression applies.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from tibet_facts.store.extract.period import TimeMention, as_of_writing
from tibet_facts.store.extract.quantities import Quantity
from tibet_facts.store.extract.sentences import WINDOW, Layout, Span

_REPORTING = re.compile(r"(显示|了解到|获悉|介绍|表示|发布|公布|指出|据悉|据统计|数据显示|统计显示)$")
_DISPATCH = re.compile(r"(本报|新华社|中新社)[^，。]{0,10}(电|讯)")
# What may stand before a time that heads its clause: punctuation, a lead word, or the "that"
# of reported speech ("… revealed that in 2016, the county earned …").
_HEAD_BEFORE = re.compile(r"(^|[，。；：,;:\n“）)]|截至|截止|到|据悉|同时|此外|其中|\bthat)\s*$")


# Measures that hold at any time: an altitude, a distance from a place.
_TIMELESS = re.compile(r"海拔|距离?[\u4e00-\u9fff]{0,8}$|altitude|above\s+sea\s+level|(?:away|from)\s*$"
                       r"|elevation", re.I)
# What a project will do once built, or is expected to: no period unless its clause has one.
_PROSPECTIVE = re.compile(r"建成后|投产后|投运后|运营后|达产后|全面建成|预计年|每年可|年可|可年"
                          r"|once\s+(?:completed|operational|built)|(?:is|are)\s+expected\s+to", re.I)
# A size written into a project's name: 1800兆瓦光伏发电项目, a 500 MW solar plant.
_PROJECT_AFTER = re.compile(r"[\u4e00-\u9fff]{0,6}(?:项目|工程|电站|项目群)|\s*(?:\w+\s+){0,2}"
                            r"(?:project|plant|station|power\s+station)\b", re.I)
# "芒康昂多1800兆瓦和贡觉拉妥800兆瓦两个项目": sizes listed before the projects they name.
_PROJECTS_LATER = re.compile(r"[^，。；,;]{0,24}?(?:两|[0-9]+)个(?:项目|工程|电站)")


def _project_size(text: str, end: int, clause_end: int) -> bool:
    """A size that names a project: right before its name, or in a list of projects."""
    if _PROJECT_AFTER.match(text, end):
        return True
    m = _PROJECTS_LATER.match(text, end)
    return m is not None and m.end() <= clause_end


# Verbs of a state reached: what stands built, set up or covered.
_BUILT = re.compile(r"建成|建有|建立|形成|设置|开通|覆盖|拥有|入驻|已完成|已实现|\b(?:has|have)\s+(?:built|set\s+up|opened)\b", re.I)
# A time after these words is the base of a comparison (较上年增长66%), not the figure's period.
_COMPARED = re.compile(r"(?:比|较|相比|对比|同比|compared\s+with|compared\s+to|than|over)\s*$", re.I)


class PeriodResolver:
    """The period of each figure of one document, from its times and its layout."""

    def __init__(self, text: str, layout: Layout, times: list[TimeMention], date: str,
                 body_start: int = 0) -> None:
        self.text = text
        self.layout = layout
        times = [t for t in times if not _COMPARED.search(text[max(0, t.start - 14):t.start])]
        self.times = times
        self.body_start = body_start
        # "as of" the time of writing: what a running total framed from afar means
        self.as_of_writing = as_of_writing(date)
        self._leads: dict[int, TimeMention | None] = {}  # section start -> its lead's time
        self._time_starts = [t.start for t in times]
        # Whether a time frames what follows depends on the time alone, so it is decided once per
        # time, and each figure finds its time by bisection instead of rescanning its paragraph.
        self._heads = _Times([t for t in times if not t.now or self._headed(t)])
        self._frames = _Times([t for t in times
                               if t.since or self._headed(t) and self._early_clause(t.start)])
        self._paragraph_times: dict[Span, TimeMention | None] = {}

    def clause(self, pos: int) -> Span:
        return self.layout.clause_at(pos)

    def times_in(self, lo: int, hi: int) -> list[TimeMention]:
        """Time expressions that start in [lo, hi) and end by hi."""
        i = bisect.bisect_left(self._time_starts, lo)
        j = bisect.bisect_left(self._time_starts, hi)
        return [t for t in self.times[i:j] if t.end <= hi]

    def _at_head(self, t: TimeMention, lo: int) -> bool:
        """A time at the head of its clause (after punctuation or a lead word) frames what follows;
        one inside a phrase ("系目前西藏唯一…") does not."""
        head = self.text[max(lo, t.start - 6):t.start]
        return t.start == lo or bool(_HEAD_BEFORE.search(head))

    def _headed(self, t: TimeMention) -> bool:
        return self._at_head(t, self.layout.clause_at(t.start).start)

    def _paragraph_time(self, paragraph: Span) -> TimeMention | None:
        """The time that opens a paragraph ("2019年，我区…", "日前…上半年来，…"), if any."""
        if paragraph not in self._paragraph_times:
            first = self.layout.sentence_at(paragraph.start)
            self._paragraph_times[paragraph] = next(
                (t for t in self.times_in(first.start, first.end) if not t.now and self._headed(t)), None)
        return self._paragraph_times[paragraph]

    def period(self, pos: int) -> str:
        """The period of the time that governs the figure at pos, else unknown."""
        found = self.governing(pos)
        return found.period if found is not None else "unknown"

    def governing(self, pos: int) -> TimeMention | None:
        """The time in the number's clause, then before it in its sentence, then the time that
        opens its paragraph or the nearest earlier paragraph of its section, or its lead's."""
        clause = self.layout.clause_at(pos)
        first = self._heads.first_from(clause.start)
        if first is not None and first.start < clause.end and first.end <= clause.end:
            # The last head of the clause that ends by the number, else its first head.
            return self._heads.last_by(min(pos, clause.end), clause.start) or first
        before = self._heads.last_by(pos, self.layout.sentence_at(pos).start)
        if before is not None:
            return before
        found = self._framing_time(pos) or self._dispatch_time(pos)
        if found is not None and found.since and not self._at_head(found, self.clause(found.start).start):
            # "…since 2015." ending a sentence: what the next sentences report is the state
            # reached by the time of writing, not a sum over the years.
            return replace(found, period=self.as_of_writing or found.period)
        return found or self._lead_time(pos)

    def _lead_time(self, pos: int) -> TimeMention | None:
        """The time of a report's headline or lead ("…expanded 9.8 percent in the first nine
        months of 2023"), which frames the figures under it that have no time of their own:
        the first time in the first sentence of the first two paragraphs of the section
        (found once a section)."""
        section = self.layout.section_at(pos)
        if section.start not in self._leads:
            self._leads[section.start] = self._find_lead(section)
        lead = self._leads[section.start]
        return lead if lead is not None and lead.start <= pos else None

    def _find_lead(self, section: Span) -> TimeMention | None:
        start = max(section.start, self.body_start)
        paragraphs = [self.layout.paragraph_at(start)] if start < section.end else []
        if paragraphs and paragraphs[0].end < section.end:
            paragraphs.append(self.layout.paragraph_at(paragraphs[0].end + 1))
        for paragraph in paragraphs:
            first = self.layout.sentence_at(max(paragraph.start, start))
            times = [t for t in self.times_in(first.start, first.end) if not t.now]
            if times:
                return times[0]
        return None

    def _framing_time(self, pos: int) -> TimeMention | None:
        """The latest time that heads a sentence earlier in the paragraph ("截至2024年6月，…")."""
        return self._frames.last_by(pos, self.layout.paragraph_at(pos).start)

    def _early_clause(self, pos: int) -> bool:
        """The first clause of its sentence, or the second after a reporting lead ("统计局发布数据显示，
        2024年…" frames the sentences after it)."""
        sentence = self.layout.sentence_at(pos)
        clauses = self.layout.clauses
        i, j = self.layout.bounds(clauses, sentence.start, self.layout.clause_at(pos).start)
        if i == j:
            return True
        if j - i != 1:
            return False
        lead = clauses[i]
        return bool(_REPORTING.search(self.text[max(lead.start, lead.end - WINDOW):lead.end].rstrip("，,：: ")))

    def _dispatch_time(self, pos: int) -> TimeMention | None:
        """A news dispatch ("本报拉萨讯…上半年来，…") frames its whole report with its lead's time."""
        section = self.layout.section_at(pos)
        i, j = self.layout.bounds(self.layout.paragraphs, section.start, section.end)
        lead = self.layout.paragraphs[i] if i < j else None
        if lead is None or lead.start > pos or not _DISPATCH.search(self.text[lead.start:lead.start + 40]):
            return None
        return self._paragraph_time(lead)

    def figure_period(self, q: Quantity, clause: Span, sentence: Span, kind: str) -> str:
        """The period the layout gives, refined by what the figure is: a timeless measure, a
        project's planned parameter, a running total, an annual flow, an average annual rate,
        a stock."""
        low = max(sentence.start, q.start - WINDOW)  # local context only: linear on any input
        own = self.text[max(clause.start, low):q.start]
        if _TIMELESS.search(own[-24:]) and q.base_unit in ("m", "km"):
            return "unknown"  # an altitude or a distance holds at any time
        if q.base_unit != "count" and _project_size(self.text, q.unit_end, clause.end):
            return "unknown"  # 1800兆瓦光伏发电项目: the size in a project's name has no period
        found = self.governing(q.start)
        if found is not None and _PROSPECTIVE.search(own) and found.end <= clause.start:
            return "unknown"  # 建成后可年发电54亿千瓦时: what a project will do, not when
        period = _cumulative(found.period if found else "unknown", own, kind, q.base_unit)
        if found is not None and (found.end <= sentence.start or _over_years(found)):
            period = self._built_stock(period, self._list_text(clause, sentence), kind, q.base_unit)
        period = _annual_flow(period, own)
        period = _average_annual(period, self.text[low:q.start], kind)
        around = self.text[max(low, q.start - 8):q.unit_end + 2]  # the counted noun
        return _stock(period, self.text[low:min(clause.end, q.unit_end + WINDOW)], around, kind,
                      q.base_unit, self.as_of_writing)


    def _list_text(self, clause: Span, sentence: Span) -> str:
        """A clause with the one before it in its sentence, unless a semicolon parts them: a
        list's later items share the verb of its first (形成了西部4县…，中部4县…和东部3县…)."""
        i, _ = self.layout.bounds(self.layout.clauses, clause.start, clause.end)
        before = self.layout.clauses[i - 1] if i > 0 else None
        if before is None or before.start < sentence.start or self.text[before.end - 1:clause.start].strip() in ("；", ";"):
            return self.text[clause.start:clause.end]
        return self.text[before.start:clause.end]

    def _built_stock(self, period: str, clause: str, kind: str, base_unit: str) -> str:
        """A count of what has been built or set up (建成341所学校, 设置172个窗口), framed from
        an earlier sentence, is what exists as of the time of writing, not a flow of the
        framing period."""
        if kind in ("level", "share") and base_unit == "count" and _BUILT.search(clause):
            return self.as_of_writing or period
        return period


def _over_years(t: TimeMention) -> bool:
    """A running total over several years (自2004年以来 written in 2011), not a year's part."""
    m = _SINCE_YEARS.fullmatch(t.period)
    return t.since and m is not None and m[1] != m[2]


_SINCE_YEARS = re.compile(r"((?:19|20)\d\d)(?:-\d\d)?\.\.((?:19|20)\d\d)(?:-\d\d)?")


class _Times:
    """Time mentions in text order (they never overlap, so their ends are in order too),
    searchable by bisection."""

    def __init__(self, times: list[TimeMention]) -> None:
        self.times = times
        self.starts = [t.start for t in times]
        self.ends = [t.end for t in times]

    def first_from(self, lo: int) -> TimeMention | None:
        """The first time that starts at or after lo."""
        i = bisect.bisect_left(self.starts, lo)
        return self.times[i] if i < len(self.times) else None

    def last_by(self, hi: int, lo: int) -> TimeMention | None:
        """The last time that ends by hi, if it starts at or after lo."""
        j = bisect.bisect_right(self.ends, hi) - 1
        return self.times[j] if j >= 0 and self.times[j].start >= lo else None


# A stock: what exists at the time of writing (已建成, 现有, 共有, "now has", "stood at").
_STOCK = re.compile(r"已有|现有|共有|\b(?:now\s+(?:has|have|there\s+are)|stood\s+at|stands\s+at)\b", re.I)


# Who lives in a place, named by the unit of a count: 7,400 residents, 常住人口35万人.
_POPULATION = re.compile(r"\b(?:residents|inhabitants)\b|常住人口|户籍人口|总人口|居民", re.I)
_MONTH = re.compile(r"(?:19|20)\d\d-\d\d")


def _stock(period: str, clause: str, around: str, kind: str, base_unit: str, as_of: str | None) -> str:
    """A level or share with no time of its own that states a stock is as of the time of
    writing; a flow (a year's sales) without a time stays unknown."""
    if kind not in ("level", "share") or not as_of:
        return period
    if base_unit == "count" and _MONTH.fullmatch(period) and period == as_of.removeprefix("as of "):
        return as_of  # 日前…23个项目: a count framed by the days of writing is what stands then
    if period != "unknown":
        return period
    if base_unit in ("person", "household") and _POPULATION.search(around):
        return as_of  # the 7,400 residents of the town: a population stands at the time of writing
    return as_of if _STOCK.search(clause) else period


_AVERAGE_ANNUAL = re.compile(r"年均|年平均|average annual|annual average|a year on average", re.I)
_YEAR_NUMBER = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def _average_annual(period: str, sentence_before: str, kind: str) -> str:
    """"由2012年的…增长到2023年的…，年均增长16.1%": an average annual rate is over the span
    of the years its sentence names."""
    if kind != "rate" or not _AVERAGE_ANNUAL.search(sentence_before[-40:]):
        return period
    years = sorted({int(y) for y in _YEAR_NUMBER.findall(sentence_before)})
    return f"{years[0]}..{years[-1]}" if len(years) >= 2 else period


_MONEY = {"CNY", "USD", "EUR", "GBP", "JPY", "HKD"}


def _cumulative(period: str, prefix: str, kind: str, base_unit: str) -> str:
    """累计达到2887家 in 2025年1月至9月: a running count is a level as of the range's end; a sum
    of money (累计投资, 累计实现营业收入) is a flow over the whole range."""
    if kind != "level" or ".." not in period or base_unit in _MONEY:
        return period
    if re.search(r"累计|总数|共有|总量", prefix):
        return f"as of {period.split('..')[1]}"
    return period


# 年产, 年产值, 年发电量, "annual output": a flow over one year.
_ANNUAL = re.compile(r"年(?:产|销售|发电|收入|接待|出栏|加工)|\bannual(?:ly)?\b", re.I)
_YEAR_END = re.compile(r"as of ((?:19|20)\d\d)-12")


def _annual_flow(period: str, prefix: str) -> str:
    """截至2010年底，年产羊绒200吨: an annual flow stated at a year's end is that year's."""
    m = _YEAR_END.fullmatch(period)
    return m.group(1) if m and _ANNUAL.search(prefix[-12:]) else period
