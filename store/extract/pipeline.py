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
from tibet_facts.store.extract.period import TimeMention, find_times
from tibet_facts.store.extract.quantities import Quantity, parse_quantities
from tibet_facts.store.extract.region import RegionResolver
from tibet_facts.store.extract.sentences import Layout, Span, layout
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

    def __init__(self, text: str, date: str, language: str) -> None:
        self.norm: Normalized = normalize(text)
        self.text = self.norm.text
        self.layout: Layout = layout(self.text)
        self.times: list[TimeMention] = find_times(self.text, date)
        self.regions = RegionResolver(self.text, self.layout)
        self.language = language
        self._topic_index = topics.TopicIndex(self.text)
        self._time_starts = [t.start for t in self.times]
        self.place_surfaces = tuple(sorted({self.text[m.start:m.end] for m in self.regions.all_mentions},
                                           key=len, reverse=True))

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

    def _paragraph_time(self, paragraph: Span) -> TimeMention | None:
        """The time that opens a paragraph ("2019年，我区…", "日前…上半年来，…"), if any."""
        first = self.layout.sentence_at(paragraph.start)
        for t in self.times_in(first.start, first.end):
            if not t.now and self._at_head(t, self.layout.clause_at(t.start).start):
                return t
        return None

    def period(self, pos: int) -> str:
        """The time in the number's clause, then before it in its sentence, then the time that
        opens its paragraph or the nearest earlier paragraph of its section, else unknown."""
        clause = self.layout.clause_at(pos)
        sentence = self.layout.sentence_at(pos)
        inside = [t for t in self.times_in(clause.start, clause.end)
                  if not t.now or self._at_head(t, clause.start)]
        if inside:
            before = [t for t in inside if t.end <= pos]
            return (before[-1] if before else inside[0]).period
        before = [t for t in self.times_in(sentence.start, pos)
                  if not t.now or self._at_head(t, self.layout.clause_at(t.start).start)]
        if before:
            return before[-1].period
        found = self._framing_time(pos) or self._dispatch_time(pos)
        return found.period if found is not None else "unknown"

    def _framing_time(self, pos: int) -> TimeMention | None:
        """The latest time that heads a sentence earlier in the paragraph ("截至2024年6月，…")."""
        paragraph = self.layout.paragraph_at(pos)
        heads = [t for t in self.times_in(paragraph.start, pos)
                 if t.since or self._at_head(t, self.layout.clause_at(t.start).start) and self._early_clause(t.start)]
        return heads[-1] if heads else None

    def _early_clause(self, pos: int) -> bool:
        """The first clause of its sentence, or the second after a reporting lead ("统计局发布数据显示，
        2024年…" frames the sentences after it)."""
        sentence = self.layout.sentence_at(pos)
        before = self.layout.within(self.layout.clauses, sentence.start, self.layout.clause_at(pos).start)
        if not before:
            return True
        lead = self.text[before[0].start:before[0].end].rstrip("，,：: ")
        return len(before) == 1 and bool(_REPORTING.search(lead))

    def _dispatch_time(self, pos: int) -> TimeMention | None:
        """A news dispatch ("本报拉萨讯…上半年来，…") frames its whole report with its lead's time."""
        section = self.layout.section_at(pos)
        leads = self.layout.within(self.layout.paragraphs, section.start, section.end)
        lead = leads[0] if leads else None
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


def _keep(q: Quantity, ctx: _Context) -> bool:
    if q.role != "amount":
        return False
    heading = ctx.layout.heading_before(q.start)
    if heading is not None and heading.start <= q.start < heading.end and ctx.text[heading.start] == "#":
        return False  # a Markdown title repeats the story's figures; the body states them
    if q.base_unit in _MONEY_PCT and _CONVERSION.search(ctx.text[max(0, q.start - 16):q.start]):
        before = ctx.text[max(0, q.start - 40):q.start]
        if re.search(r"(?:元|yuan|dollars|RMB|美元)\s*[\(（][^\)）]*$", before):
            return False
    if q.base_unit == "year" and re.match(r"\s*-?\s*(?:year\s+plan|Year\s+Plan|年规划)", ctx.text[q.end:q.unit_end + 8]):
        return False  # the 14th Five-Year Plan: a name
    if q.base_unit == "year" and re.match(r"[多余]?(?:年)?(?:来|以来|前|后|间|之久)", ctx.text[q.unit_end:q.unit_end + 3]):
        return False  # 和平解放70多年来, 10年前: how long ago, not an amount
    return not (q.unit.strip() == "" and q.base_unit in _UNITLESS)


def _respectively(facts: list[Fact], ctx: _Context) -> None:
    """"粮食播种面积95.6万亩，总产量47万吨，分别比上年增长1.2%和3.4%": the n-th rate of a
    分别 clause measures the n-th figure stated before it."""
    by_clause: dict[int, list[Fact]] = {}
    for f in facts:
        by_clause.setdefault(f.quote_start, []).append(f)
    for group in by_clause.values():
        clause = group[0].quote
        if "分别" not in clause or len(group) < 2:
            continue
        first = facts.index(group[0])
        levels = [f for f in facts[:first] if f.kind == "level" and f.sentence_start == group[0].sentence_start]
        if len(levels) < len(group):
            continue
        kind = next((f.kind for f in group if f.kind in ("rate", "change")), group[0].kind)
        for rate, level in zip(group, levels[-len(group):], strict=True):
            rate.kind = kind
            growth = kind == "rate"
            rate.metric_zh = f"{level.metric_zh}增速" if growth else level.metric_zh
            rate.metric_en = f"{level.metric_en} growth" if growth else level.metric_en
            rate.metric_id = f"{level.metric_id}_growth" if growth and level.metric_id else level.metric_id


def _metric(ctx: _Context, q: Quantity, clause: Span, kind: str) -> metrics.Metric:
    sentence = ctx.layout.sentence_at(q.start)
    prefix = ctx.text[sentence.start:q.start]
    rest = ctx.text[q.unit_end:clause.end]
    if ctx.language == "en":
        # The counted noun phrase as written ("3,000 online stores"), not only its head noun.
        phrase = ctx.text[q.end:q.unit_end].strip() if q.base_unit not in _MONEY_PCT else q.unit
        en = metrics.name_en(prefix, rest, phrase)
        zh = ""
    else:
        surfaces = ctx.place_surfaces
        counted = q.base_unit in ("count", "person", "person_time", "household", "item")
        zh = metrics.name_zh(ctx.text[clause.start:q.start] or prefix, rest, surfaces, counted=counted)
        en = ""
    return metrics.canonical(zh, en, ctx.text[clause.start:clause.end], growth=kind == "rate")


def _cumulative(period: str, prefix: str, kind: str) -> str:
    """累计达到2887家 in 2025年1月至9月: a running total is a level as of the range's end."""
    if kind == "level" and ".." in period and re.search(r"累计|总数|共有|总量", prefix):
        return f"as of {period.split('..')[1]}"
    return period


def _fact(ctx: _Context, q: Quantity, doc_id: str, doc_name: str) -> Fact:
    clause = ctx.clause(q.start)
    sentence = ctx.layout.sentence_at(q.start)
    prefix = ctx.text[clause.start:q.start]
    kind = kinds.kind_of(ctx.text[sentence.start:q.start], ctx.text[q.unit_end:clause.end], q.base_unit)
    qualifier = kinds.qualifier_of(prefix, ctx.text[q.end:q.unit_end + 6], q.qualifier)
    metric = _metric(ctx, q, clause, kind)
    place = ctx.regions.resolve(q.start)
    start, end = ctx.norm.span_to_orig(q.start, q.end)
    s_start, s_end = ctx.norm.span_to_orig(sentence.start, sentence.end)
    q_start, _ = ctx.norm.span_to_orig(clause.start, clause.end)
    return Fact(
        id=fact_id(doc_id, start, end), doc_id=doc_id, doc=doc_name, start=start, end=end,
        quote=ctx.text[clause.start:clause.end].strip(" ，,。；;：:"), value=q.value, unit=q.unit,
        base_value=q.base_value, base_unit=q.base_unit, metric_zh=metric.zh, metric_en=metric.en,
        metric_id=metric.id, region=place.name, region_en=place.name_en, region_path=list(place.path),
        period=_cumulative(ctx.period(q.start), prefix, kind), topic=ctx.topic(q.start), kind=kind,
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
    ctx = _Context(text, date, language)
    out: list[Fact] = []
    seen: Counter[str] = Counter()
    previous: Fact | None = None
    for q in parse_quantities(ctx.text):
        if not _keep(q, ctx) or ctx.norm.to_orig(q.start) < body_start:
            continue
        fact = _inherit_metric(_fact(ctx, q, doc_id, doc_name), previous)
        if q.low_high == "high" and previous is not None and previous.sentence_start == fact.sentence_start:
            fact.kind = previous.kind  # the two ends of a range are one kind of figure
        previous = fact
        seen[fact.id] += 1
        if seen[fact.id] == 1:
            out.append(fact)
    _respectively(out, ctx)
    return out
