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
from tibet_facts.store.extract.framing import PeriodResolver
from tibet_facts.store.extract.normalize import Normalized, normalize
from tibet_facts.store.extract.period import find_times
from tibet_facts.store.extract.quantities import Quantity, parse_quantities
from tibet_facts.store.extract.region import RegionResolver
from tibet_facts.store.extract.sentences import WINDOW, Layout, Span, layout
from tibet_facts.store.model import Fact, fact_id

_MONEY_PCT = {"CNY", "USD", "EUR", "GBP", "JPY", "HKD", "percent", "percentage_point"}
# "5.2 billion yuan (about 730 million U.S. dollars)": a conversion restates the figure before it.
_CONVERSION = re.compile(r"[\(（]\s*(?:about|approximately|around|roughly|some|nearly|约合|折合|约)?\s*(?:US\$|\$|￥|¥)?\s*$",
                         re.I)
# Units that say nothing about what was counted are kept only with a metric around them.
_UNITLESS = {"", "count"}
# A bare number that a population phrase counts: "a population of 850,000", 总人口约35万.
_POPULATION_BEFORE = re.compile(r"(?:population|inhabitants)\s+of\s+(?:about\s+|around\s+|nearly\s+"
                                r"|over\s+|more\s+than\s+)?$|人口(?:为|达|约|有|超过|近)?$", re.I)


class _Context:
    """Everything about one document that every fact in it needs."""

    def __init__(self, text: str, date: str, language: str, body_start: int = 0) -> None:
        self.norm: Normalized = normalize(text)
        # Where the body starts (after front matter) in the normalized text: to_orig is monotonic.
        self.body_start = bisect.bisect_left(range(len(self.norm.text)), body_start, key=self.norm.to_orig)
        self.text = self.norm.text
        self.layout: Layout = layout(self.text)
        self.periods = PeriodResolver(self.text, self.layout, find_times(self.text, date), date,
                                      self.body_start)
        self.regions = RegionResolver(self.text, self.layout, self.body_start)
        self.language = language
        self._topic_index = topics.TopicIndex(self.text)
        self._topic_scores: dict[Span, dict[str, float]] = {}
        self.place_surfaces = metrics.Surfaces(self.text[m.start:m.end] for m in self.regions.all_mentions)

    def clause(self, pos: int) -> Span:
        return self.layout.clause_at(pos)

    def _score(self, span: Span | None) -> dict[str, float]:
        """Topic keyword weights of a span (from one pass over the whole text), once a span:
        the figures of a sentence, a paragraph or a section share theirs."""
        if span is None:
            return {}
        scored = self._topic_scores.get(span)
        if scored is None:
            scored = self._topic_scores[span] = self._topic_index.score(span.start, span.end)
        return scored

    def topic(self, pos: int, counted_end: int | None = None) -> str:
        spans = (self.layout.clause_at(pos), self.layout.sentence_at(pos), self.layout.paragraph_at(pos),
                 self.layout.heading_before(pos))
        section = self.layout.section_at(pos)
        clause = spans[0]
        counted = self._score(Span(pos, min(clause.end, counted_end + 4))) if counted_end else None
        return topics.choose_scored([self._score(s) for s in spans], self._score(section),
                                    self.text[clause.start:clause.end], counted)


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
    if q.unit.strip() == "" and q.base_unit in _UNITLESS:
        return _POPULATION_BEFORE.search(ctx.text[max(0, q.start - 40):q.start]) is not None
    return True


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
        # "分别完成年度计划的100.49%和95.21%": what the first says, all of them are
        own = next((r for r in (metrics.relation(f.metric_zh) for f in group) if r), "")
        for rate, level in zip(group, levels, strict=True):
            rate.kind = kind
            stated = metrics.Metric(level.metric_zh, level.metric_en, level.metric_id)
            # its growth, its share, its plan completion; a change or level: the same measure
            named = metrics.inherited(stated, kind, own=own) or stated
            rate.metric_zh, rate.metric_en, rate.metric_id = named.zh, named.en, named.id


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
        return metrics.of_en(prefix, rest, unit=phrase, base_unit=q.base_unit, kind=kind,
                             places=ctx.place_surfaces)
    own = ctx.text[max(clause.start, q.start - WINDOW):q.start]
    return metrics.of_zh(own or prefix, rest, unit=q.unit, base_unit=q.base_unit, kind=kind,
                         places=ctx.place_surfaces)


def _quote(q: Quantity, clause: Span) -> Span:
    """The span quoted for a figure: its clause, or a window of it around the number when the
    clause runs on (a text without punctuation would otherwise copy itself into every fact)."""
    return Span(max(clause.start, q.start - WINDOW), min(clause.end, q.unit_end + WINDOW))


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
        period=ctx.periods.figure_period(q, clause, sentence, kind),
        topic=ctx.topic(q.start, q.unit_end), kind=kind,
        qualifier=qualifier,
        quote_start=q_start, sentence_start=s_start, sentence_end=s_end,
    )


_LOOK_BACK = 32  # facts of one sentence, at most, that a figure looks back over for its measure


def _inherit_metric(fact: Fact, earlier: list[Fact]) -> Fact:
    """"280.2亿元，同比增长达50.5亿元": a change or rate with no metric of its own measures the
    figure stated just before it in the same sentence; a level ("母基金3亿元，分2期实施，每期1.5亿元")
    the nearest one before it of its dimension (earlier: the facts so far, in text order)."""
    if fact.metric_en:
        return fact
    named = None
    for i in range(len(earlier) - 1, max(-1, len(earlier) - 1 - _LOOK_BACK), -1):
        before = earlier[i]
        if before.sentence_start != fact.sentence_start:
            break
        stated = metrics.Metric(before.metric_zh, before.metric_en, before.metric_id)
        named = metrics.inherited(stated, fact.kind, before.base_unit, fact.base_unit,
                                  metrics.relation(fact.metric_zh))
        if named is not None or fact.kind in ("rate", "share"):
            break
    # Nothing before it names a measure: a name of its dimension, an id of its own.
    named = named or metrics.unnamed(fact.base_unit, fact.kind, fact.id)
    fact.metric_zh, fact.metric_en, fact.metric_id = named.zh, named.en, named.id
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
        earlier = out if previous is None or out and out[-1] is previous else [*out[-_LOOK_BACK:], previous]
        fact = _inherit_metric(_fact(ctx, q, doc_id, doc_name), earlier)
        if previous is not None and _is_conversion(q, ctx):
            fact = _converted(fact, previous)
        if q.low_high == "high" and previous is not None and previous.sentence_start == fact.sentence_start:
            fact.kind = previous.kind  # the two ends of a range are one kind of figure, of one measure
            fact.metric_zh, fact.metric_en = previous.metric_zh, previous.metric_en
            fact.metric_id = previous.metric_id
        previous = fact
        seen[fact.id] += 1
        if seen[fact.id] == 1:
            out.append(fact)
            clause_starts.append(ctx.clause(q.start).start)
    _respectively(out, clause_starts, ctx)
    return out
