"""The extraction pipeline: one document's text in, its sourced and tagged facts out.

normalize -> layout (sections, paragraphs, sentences, clauses) -> quantities -> for each amount:
metric, region, period, topic, kind, qualifier -> Fact with offsets into the original text.
A pure function of the text and its metadata: the same input gives the same facts and ids.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

from tibet_facts.store.extract import kind as kinds
from tibet_facts.store.extract import metric as metrics
from tibet_facts.store.extract import topic as topics
from tibet_facts.store.extract.normalize import Normalized, normalize
from tibet_facts.store.extract.period import TimeMention, as_of_writing, find_times
from tibet_facts.store.extract.quantities import Quantity, parse_quantities
from tibet_facts.store.extract.region import RegionResolver
from tibet_facts.store.extract.sentences import WINDOW, Layout, Span, layout
from tibet_facts.store.model import Fact, fact_id

_REPORTING = re.compile(r"(显示|了解到|获悉|介绍|表示|发布|公布|指出|据悉|据统计|数据显示|统计显示)$")
_DISPATCH = re.compile(r"(本报|新华社|中新社)[^，。]{0,10}(电|讯)")
_HEAD_BEFORE = re.compile(r"(^|[，。；：,;:\n“）)]|截至|截止|到|据悉|同时|此外|其中)\s*$")
_MONEY_PCT = {"CNY", "USD", "EUR", "GBP", "JPY", "HKD", "percent", "percentage_point"}
# "5.2 billion yuan (about 730 million U.S. dollars)": a conversion restates the figure before it.
_CONVERSION = re.compile(r"[\(（]\s*(?:about|approximately|around|roughly|some|nearly|约合|折合|约)?\s*(?:US\$|\$|￥|¥)?\s*$",
                         re.I)
# Units that say nothing about what was counted are kept only with a metric around them.
_UNITLESS = {"", "count"}


class _Context:
    """Everything about one document that every fact in it needs."""

    def __init__(self, text: str, date: str, language: str, body_start: int = 0) -> None:
        self.norm: Normalized = normalize(text)
        # Where the body starts (after front matter) in the normalized text: to_orig is monotonic.
        self.body_start = bisect.bisect_left(range(len(self.norm.text)), body_start, key=self.norm.to_orig)
        self.text = self.norm.text
        self.layout: Layout = layout(self.text)
        self.times: list[TimeMention] = find_times(self.text, date)
        self.regions = RegionResolver(self.text, self.layout)
        self.language = language
        # "as of" the time of writing: what a running total framed from afar means
        self.as_of_writing = as_of_writing(date)
        self._leads: dict[int, TimeMention | None] = {}  # section start -> its lead's time
        self._topic_index = topics.TopicIndex(self.text)
        self._time_starts = [t.start for t in self.times]
        self.place_surfaces = metrics.Surfaces(self.text[m.start:m.end] for m in self.regions.all_mentions)
        # Whether a time frames what follows depends on the time alone, so it is decided once per
        # time, and each figure finds its time by bisection instead of rescanning its paragraph.
        self._heads = _Times([t for t in self.times if not t.now or self._headed(t)])
        self._frames = _Times([t for t in self.times
                               if t.since or self._headed(t) and self._early_clause(t.start)])
        self._paragraph_times: dict[Span, TimeMention | None] = {}

    def times_in(self, lo: int, hi: int) -> list[TimeMention]:
        """Time expressions that start in [lo, hi) and end by hi."""
        i = bisect.bisect_left(self._time_starts, lo)
        j = bisect.bisect_left(self._time_starts, hi)
        return [t for t in self.times[i:j] if t.end <= hi]

    def clause(self, pos: int) -> Span:
        return self.layout.clause_at(pos)

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
        """The time in the number's clause, then before it in its sentence, then the time that
        opens its paragraph or the nearest earlier paragraph of its section, else unknown."""
        clause = self.layout.clause_at(pos)
        first = self._heads.first_from(clause.start)
        if first is not None and first.start < clause.end and first.end <= clause.end:
            # The last head of the clause that ends by the number, else its first head.
            before = self._heads.last_by(min(pos, clause.end), clause.start)
            return (before or first).period
        before = self._heads.last_by(pos, self.layout.sentence_at(pos).start)
        if before is not None:
            return before.period
        found = self._framing_time(pos) or self._dispatch_time(pos)
        if found is not None and found.since and not self._at_head(found, self.clause(found.start).start):
            # "…since 2015." ending a sentence: what the next sentences report is the state
            # reached by the time of writing, not a sum over the years.
            return self.as_of_writing or found.period
        if found is None:
            found = self._lead_time(pos)
        return found.period if found is not None else "unknown"

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

    def _score(self, span: Span | None) -> dict[str, float]:
        """Topic keyword weights of a span (from one pass over the whole text)."""
        if span is None:
            return {}
        return self._topic_index.score(span.start, span.end)

    def topic(self, pos: int) -> str:
        spans = (self.layout.clause_at(pos), self.layout.sentence_at(pos), self.layout.paragraph_at(pos),
                 self.layout.heading_before(pos))
        section = self.layout.section_at(pos)
        return topics.choose_scored([self._score(s) for s in spans], self._score(section))


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


def _keep(q: Quantity, ctx: _Context) -> bool:
    if q.role != "amount":
        return False
    heading = ctx.layout.heading_before(q.start)
    if heading is not None and heading.start <= q.start < heading.end and ctx.text[heading.start] == "#":
        return False  # a Markdown title repeats the story's figures; the body states them
    if q.base_unit == "year" and re.match(r"\s*-?\s*(?:year\s+plan|Year\s+Plan|年规划)", ctx.text[q.end:q.unit_end + 8]):
        return False  # the 14th Five-Year Plan: a name
    if q.base_unit == "year" and re.match(r"[多余]?(?:年)?(?:来|以来|前|后|间|之久)", ctx.text[q.unit_end:q.unit_end + 3]):
        return False  # 和平解放70多年来, 10年前: how long ago, not an amount
    return not (q.unit.strip() == "" and q.base_unit in _UNITLESS)


_AFTER_MONEY = re.compile(r"(?:元|yuan|dollars|RMB|美元)\s*[\(（][^\)）]*$")


def _is_conversion(q: Quantity, ctx: _Context) -> bool:
    """Whether q restates the money figure just before it in another currency, in brackets."""
    if q.base_unit not in _MONEY_PCT or not _CONVERSION.search(ctx.text[max(0, q.start - 16):q.start]):
        return False
    return _AFTER_MONEY.search(ctx.text[max(0, q.start - 40):q.start]) is not None


def _converted(fact: Fact, source: Fact) -> Fact:
    """A conversion is its own fact in its own currency, measuring what its source measures:
    the same metric, qualifier, kind, place, period and topic."""
    for name in ("metric_zh", "metric_en", "metric_id", "qualifier", "kind", "region", "region_en",
                 "region_path", "period", "topic"):
        setattr(fact, name, getattr(source, name))
    return fact


def _respectively(facts: list[Fact], clause_starts: list[int], ctx: _Context) -> None:
    """"粮食播种面积95.6万亩，总产量47万吨，分别比上年增长1.2%和3.4%": the n-th rate of a
    分别 clause measures the n-th figure stated before it (clause_starts: each fact's clause)."""
    by_clause: dict[int, list[int]] = {}
    for i, start in enumerate(clause_starts):
        by_clause.setdefault(start, []).append(i)
    for start, members in by_clause.items():
        group = [facts[i] for i in members]
        clause = ctx.layout.clause_at(start)
        if len(group) < 2 or "分别" not in ctx.text[clause.start:clause.end]:
            continue
        levels = _levels_before(facts, members[0], len(group))
        if len(levels) < len(group):
            continue
        kind = next((f.kind for f in group if f.kind in ("rate", "change")), group[0].kind)
        for rate, level in zip(group, levels, strict=True):
            rate.kind = kind
            growth = kind == "rate"
            rate.metric_zh = f"{level.metric_zh}增速" if growth else level.metric_zh
            rate.metric_en = f"{level.metric_en} growth" if growth else level.metric_en
            rate.metric_id = f"{level.metric_id}_growth" if growth and level.metric_id else level.metric_id


def _levels_before(facts: list[Fact], first: int, n: int) -> list[Fact]:
    """The last n levels stated before facts[first] in its sentence, in text order. Facts are in
    text order, so they are the nearest ones before it; the walk stops at the sentence's start or
    a window away, never rescanning the facts of the whole document."""
    here = facts[first]
    levels: list[Fact] = []
    for f in reversed(facts[max(0, first - WINDOW):first]):
        if f.sentence_start != here.sentence_start or len(levels) == n:
            break
        if f.kind == "level":
            levels.append(f)
    levels.reverse()
    return levels


def _metric(ctx: _Context, q: Quantity, clause: Span, kind: str) -> metrics.Metric:
    sentence = ctx.layout.sentence_at(q.start)
    prefix = ctx.text[max(sentence.start, q.start - WINDOW):q.start]
    rest = ctx.text[q.unit_end:min(clause.end, q.unit_end + WINDOW)]
    if ctx.language == "en":
        # The counted noun phrase as written ("3,000 online stores"), not only its head noun.
        phrase = ctx.text[q.end:q.unit_end].strip() if q.base_unit not in _MONEY_PCT else q.unit
        en = metrics.name_en(prefix, rest, phrase)
        zh = ""
    else:
        surfaces = ctx.place_surfaces
        counted = q.base_unit in ("count", "person", "person_time", "household", "item")
        own = ctx.text[max(clause.start, q.start - WINDOW):q.start]
        zh = metrics.name_zh(own or prefix, rest, surfaces, counted=counted)
        en = ""
    return metrics.canonical(zh, en, growth=kind == "rate")


# A stock: what exists at the time of writing (已建成, 现有, 共有, "now has", "stood at").
_STOCK = re.compile(r"已有|现有|共有|\b(?:now\s+(?:has|have|there\s+are)|stood\s+at|stands\s+at)\b", re.I)


def _stock(period: str, clause: str, kind: str, ctx: _Context) -> str:
    """A level or share with no time of its own that states a stock is as of the time of
    writing; a flow (a year's sales) without a time stays unknown."""
    if period != "unknown" or kind not in ("level", "share") or not ctx.as_of_writing:
        return period
    return ctx.as_of_writing if _STOCK.search(clause) else period


_AVERAGE_ANNUAL = re.compile(r"年均|年平均|average annual|annual average|a year on average", re.I)
_YEAR_NUMBER = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def _average_annual(period: str, sentence_before: str, kind: str) -> str:
    """"由2012年的…增长到2023年的…，年均增长16.1%": an average annual rate is over the span
    of the years its sentence names."""
    if kind != "rate" or not _AVERAGE_ANNUAL.search(sentence_before[-40:]):
        return period
    years = sorted({int(y) for y in _YEAR_NUMBER.findall(sentence_before)})
    return f"{years[0]}..{years[-1]}" if len(years) >= 2 else period


def _cumulative(period: str, prefix: str, kind: str) -> str:
    """累计达到2887家 in 2025年1月至9月: a running total is a level as of the range's end."""
    if kind == "level" and ".." in period and re.search(r"累计|总数|共有|总量", prefix):
        return f"as of {period.split('..')[1]}"
    return period


def _quote(q: Quantity, clause: Span) -> Span:
    """The span quoted for a figure: its clause, or a window of it around the number when the
    clause runs on (a text without punctuation would otherwise copy itself into every fact)."""
    return Span(max(clause.start, q.start - WINDOW), min(clause.end, q.unit_end + WINDOW))


def _period(ctx: _Context, q: Quantity, clause: Span, sentence: Span, kind: str) -> str:
    """The period the layout gives, refined by what the figure is: a running total, an
    average annual rate, a stock."""
    low = max(sentence.start, q.start - WINDOW)  # local context only: linear on any input
    period = _cumulative(ctx.period(q.start), ctx.text[max(clause.start, low):q.start], kind)
    period = _average_annual(period, ctx.text[low:q.start], kind)
    return _stock(period, ctx.text[low:min(clause.end, q.unit_end + WINDOW)], kind, ctx)


def _fact(ctx: _Context, q: Quantity, doc_id: str, doc_name: str) -> Fact:
    clause = ctx.clause(q.start)
    sentence = ctx.layout.sentence_at(q.start)
    prefix = ctx.text[max(clause.start, q.start - WINDOW):q.start]
    near_sentence = ctx.text[max(sentence.start, q.start - WINDOW):q.start]
    kind = kinds.kind_of(near_sentence, ctx.text[q.unit_end:min(clause.end, q.unit_end + WINDOW)], q.base_unit)
    qualifier = kinds.qualifier_of(prefix, ctx.text[q.end:q.unit_end + 6], q.qualifier)
    metric = _metric(ctx, q, clause, kind)
    place = ctx.regions.resolve(q.start)
    quote = _quote(q, clause)
    start, end = ctx.norm.span_to_orig(q.start, q.end)
    s_start, s_end = ctx.norm.span_to_orig(sentence.start, sentence.end)
    q_start, _ = ctx.norm.span_to_orig(quote.start, quote.end)
    return Fact(
        id=fact_id(doc_id, start, end), doc_id=doc_id, doc=doc_name, start=start, end=end,
        quote=ctx.text[quote.start:quote.end].strip(" ，,。；;：:"), value=q.value, unit=q.unit,
        base_value=q.base_value, base_unit=q.base_unit, metric_zh=metric.zh, metric_en=metric.en,
        metric_id=metric.id, region=place.name, region_en=place.name_en, region_path=list(place.path),
        period=_period(ctx, q, clause, sentence, kind),
        topic=ctx.topic(q.start), kind=kind,
        qualifier=qualifier,
        quote_start=q_start, sentence_start=s_start, sentence_end=s_end,
    )


def _inherit_metric(fact: Fact, previous: Fact | None) -> Fact:
    """"280.2亿元，同比增长达50.5亿元": a change or rate with no metric of its own measures the
    figure stated just before it in the same sentence."""
    if (fact.metric_zh or fact.metric_en) and fact.metric_zh not in ("增长", "增速", "同比增长", "其中"):
        return fact
    if previous is None or previous.sentence_start != fact.sentence_start:
        return fact
    base = previous.metric_zh.removesuffix("增速")
    fact.metric_zh = f"{base}增速" if fact.kind == "rate" else base
    fact.metric_en = f"{previous.metric_en.removesuffix(' growth')} growth" if fact.kind == "rate" else previous.metric_en
    stem = previous.metric_id.removesuffix("_growth")
    fact.metric_id = (f"{stem}_growth" if fact.kind == "rate" else stem) if stem else ""
    return fact


def extract_facts(text: str, *, doc_id: str, doc_name: str, date: str = "unknown", language: str = "zh",
                  body_start: int = 0) -> list[Fact]:
    """Every figure in a document as a Fact; the front matter (before body_start) yields none."""
    ctx = _Context(text, date, language, body_start)
    out: list[Fact] = []
    clause_starts: list[int] = []
    seen: Counter[str] = Counter()
    previous: Fact | None = None
    for q in parse_quantities(ctx.text):
        if not _keep(q, ctx) or ctx.norm.to_orig(q.start) < body_start:
            continue
        fact = _inherit_metric(_fact(ctx, q, doc_id, doc_name), previous)
        if previous is not None and _is_conversion(q, ctx):
            fact = _converted(fact, previous)
        if q.low_high == "high" and previous is not None and previous.sentence_start == fact.sentence_start:
            fact.kind = previous.kind  # the two ends of a range are one kind of figure
        previous = fact
        seen[fact.id] += 1
        if seen[fact.id] == 1:
            out.append(fact)
            clause_starts.append(ctx.clause(q.start).start)
    _respectively(out, clause_starts, ctx)
    return out
