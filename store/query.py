"""One query language for the browser's filter line and the CLI.

    零售额 region:昌都市 topic:ecommerce year:2019..2025 kind:rate unit:CNY doc:000 value>1e8

Free words (and "quoted phrases") must all appear in the metric (Chinese or English), the quote,
or the fact's place names and their aliases. A word that names a place by any of its names
(Nyingchi, Linzhi, 林芝, 林芝地区) is searched by the place's Chinese stem (林芝), so it finds
the same facts whichever name is typed: the place's, those under it, and texts naming it.
`region:` also matches every place under it; `unit:` takes a base unit or a way of writing it
(`unit:%` = `unit:percent`, `unit:元` = `unit:CNY`).
Each clause knows its predicate and a human description (as datasette's filters do), so the
status line can say in words what is shown.
"""

from __future__ import annotations

import operator
import re
import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from tibet_facts.store.errors import TibetFactsError
from tibet_facts.store.model import Fact, years_in

FIELDS = ("region", "topic", "year", "kind", "unit", "doc", "metric", "period", "qualifier", "id")
_COMPARE = re.compile(r"^(value|base_value)(>=|<=|!=|=|>|<)(.+)$")
_OPS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le, "=": operator.eq, "!=": operator.ne,
}


class QueryError(TibetFactsError):
    """The query text cannot be read; a usage error (exit status 2)."""

    exit_code = 2


@dataclass(slots=True)
class Clause:
    """One condition of a query: what it tests and how to say it in words.

    A field clause names the fact fields it reads and tests their values (`test(*values)`), so
    a column store (store/table.py) can test each distinct value once instead of every fact.
    A free word carries its lower-cased text instead, for the table's text search.
    """

    fields: tuple[str, ...]
    test: Callable[..., bool]
    description: str
    word: str = ""
    # When the clause holds if any one field passes its own test: (field, test) pairs, so a
    # column store can test each field's distinct values alone (no combinations of fields).
    parts: tuple[tuple[str, Callable[[Any], bool]], ...] = ()
    # A comparison with a number (">", 1e8): a column store can answer it from a sorted order.
    bound: tuple[str, float] | None = None

    def predicate(self, fact: Fact) -> bool:
        if self.word:
            return _word_matches(self.word, fact)
        return bool(self.test(*(getattr(fact, name) for name in self.fields)))


@dataclass(slots=True)
class Query:
    """A parsed query: all clauses must hold."""

    text: str = ""
    clauses: list[Clause] = field(default_factory=list)

    def matches(self, fact: Fact) -> bool:
        return all(c.predicate(fact) for c in self.clauses)

    def filter(self, facts: Iterable[Fact]) -> list[Fact]:
        if not self.clauses:
            return list(facts)
        return [f for f in facts if self.matches(f)]

    def describe(self, count: int | None = None) -> str:
        """'23 facts · region 昌都市 and below · topic ecommerce'."""
        parts = [c.description for c in self.clauses]
        if count is not None:
            parts.insert(0, f"{count} fact{'s' if count != 1 else ''}")
        return " · ".join(parts) if parts else "all facts"


def _place_names(name: str) -> set[str]:
    """A place and every place under it, resolved through the gazetteer's aliases."""
    from tibet_facts.store.extract import gazetteer

    found = gazetteer.place(name)
    if found is None:
        return {name}
    return {found.name} | set(gazetteer.descendants(found.name))


@cache
def _place_aliases(name: str) -> str:
    from tibet_facts.store import placenames

    return " ".join(placenames.aliases(name)) if name else ""


def any_field(parts: tuple[tuple[str, Callable[[Any], bool]], ...], description: str) -> Clause:
    """A clause that holds when any one of the fields passes its test."""
    def test(*values: Any) -> bool:
        return any(t(v) for (_, t), v in zip(parts, values, strict=True))

    return Clause(tuple(name for name, _ in parts), test, description, parts=parts)


def region_clause(value: str) -> Clause:
    names = _place_names(value)
    label = sorted(names, key=len)[0] if len(names) == 1 else _canonical(value)

    below = " and below" if len(names) > 1 else ""
    return any_field((("region", lambda r: r in names), ("region_path", lambda path: any(p in names for p in path))),
                     f"region {label}{below}")


def _canonical(value: str) -> str:
    from tibet_facts.store.extract import gazetteer

    found = gazetteer.place(value)
    return found.name if found else value


def year_clause(value: str) -> Clause:
    m = re.fullmatch(r"(\d{4})(?:\.\.(\d{4}))?", value)
    if not m:
        raise QueryError(f"year: wants 2019 or 2019..2025, not {value!r}")
    lo = int(m.group(1))
    hi = int(m.group(2) or lo)
    if lo > hi:
        lo, hi = hi, lo

    def test(period: str) -> bool:
        return any(lo <= y <= hi for y in years_in(period))

    return Clause(("period",), test, f"year {lo}" if lo == hi else f"years {lo}–{hi}")


def _field_clause(name: str, value: str) -> Clause:
    low = value.lower()
    if name == "region":
        return region_clause(value)
    if name == "year":
        return year_clause(value)
    if name == "topic":
        return Clause(("topic",), lambda t: low in t.lower(), f"topic {value}")
    if name == "kind":
        return Clause(("kind",), lambda k: k == low, f"kind {value}")
    if name == "qualifier":
        return Clause(("qualifier",), lambda q: q == low, f"qualifier {value}")
    if name == "unit":
        names = unit_names(value)
        return any_field((("unit", lambda u: u.lower() in names),
                          ("base_unit", lambda b: b.lower() in names)), f"unit {value}")
    if name == "doc":
        return any_field((("doc", lambda d: low in d.lower()), ("doc_id", lambda i: i.startswith(low))),
                         f"document {value}")
    if name == "metric":
        return any_field((("metric_zh", lambda zh: low in zh.lower()), ("metric_en", lambda en: low in en.lower()),
                          ("metric_id", lambda mid: low == mid.lower())), f"metric “{value}”")
    if name == "period":
        return Clause(("period",), lambda p: low in p.lower(), f"period {value}")
    return Clause(("id",), lambda i: i.startswith(low), f"id {value}")


def metric_clause(name: str) -> Clause:
    """One metric by id or name (exact), or any metric whose Chinese name holds the text."""
    low = name.lower()
    return any_field((("metric_id", lambda mid: mid.lower() == low), ("metric_zh", lambda zh: low in zh.lower()),
                      ("metric_en", lambda en: en.lower() == low)), f"metric {name}")


def peers_query(fact: Fact) -> Query:
    """Every fact measuring the same thing as this one: the same metric id (else the same
    metric phrase) and kind."""
    key = fact.metric_id or fact.metric_zh or fact.metric_en
    kind = fact.kind

    def test(mid: str, zh: str, en: str, k: str) -> bool:
        return (mid or zh or en) == key and k == kind

    label = fact.metric_en or fact.metric_zh
    return Query(clauses=[Clause(("metric_id", "metric_zh", "metric_en", "kind"), test, f"metric {label}")])


def _compare_clause(text: str) -> Clause:
    m = _COMPARE.match(text)
    assert m
    try:
        number = float(m.group(3))
    except ValueError:
        raise QueryError(f"{m.group(1)}{m.group(2)} wants a number, not {m.group(3)!r}") from None
    op = _OPS[m.group(2)]
    return Clause(("base_value",), lambda v: op(v, number), f"value {m.group(2)} {m.group(3)}",
                  bound=(m.group(2), number))


_HAYSTACKS: dict[tuple[str, str, str, str, str, str, tuple[str, ...]], str] = {}


def haystack(f: Fact) -> str:
    """The lower-cased text free words search, built once per fact (and per correction). The
    key holds every field the text is made of: two records may share an id (a test's, or a
    fact and its corrected self), never all of these."""
    key = (f.id, f.metric_zh, f.metric_en, f.quote, f.region, f.region_en, tuple(f.region_path))
    hay = _HAYSTACKS.get(key)
    if hay is None:
        hay = f"{f.metric_zh} {f.metric_en} {f.quote} {f.region} {f.region_en} {' '.join(f.region_path)}".lower()
        _HAYSTACKS[key] = hay
    return hay


def place_words(region: str) -> str:
    """A place's names and aliases, lower-cased, for free-word search."""
    return _place_aliases(region).lower()


def _word_matches(low: str, f: Fact) -> bool:
    return low in haystack(f) or low in place_words(f.region)


def _word_clause(word: str) -> Clause:
    """A free word; one naming a place is searched by the place's stem (see the module's doc).
    The names come from a small cache (store/placenames.py), never the gazetteer's load."""
    from tibet_facts.store import placenames

    place = placenames.named_by(word) if len(word) >= 2 else None
    if place is None:
        return Clause((), bool, f"“{word}”", word.lower())
    label = f"“{word}”" if word in (place.name, place.stem) else f"“{word}” ({place.name})"
    return Clause((), bool, label, place.stem.lower())


# Ways of writing a base unit (beside the base unit's own id), lower-cased.
_UNIT_SPELLINGS = {
    "percent": ("%", "％", "per cent", "pct", "百分比"),
    "percentage_point": ("个百分点", "百分点", "pp", "percentage point", "percentage points"),
    "CNY": ("元", "yuan", "rmb", "人民币", "元人民币"),
    "USD": ("美元", "dollar", "dollars", "us$", "$"),
    "person": ("人", "people", "persons"),
    "person_time": ("人次", "visits", "person-times"),
    "household": ("户", "households"),
}


def unit_names(value: str) -> frozenset[str]:
    """The text of a `unit:` clause and, when it names a base unit (its id or a way of writing
    it), that unit and its spellings: `%` and `percent` are one unit."""
    low = value.strip().lower()
    for base, spellings in _UNIT_SPELLINGS.items():
        names = frozenset((base.lower(), *spellings))
        if low in names:
            return names
    return frozenset({low})


def parse(text: str) -> Query:
    """Parse a query string; raises QueryError on what it cannot read."""
    try:
        tokens = shlex.split(text or "", posix=True)
    except ValueError:
        tokens = (text or "").replace('"', " ").split()
    query = Query(text=text or "")
    for token in tokens:
        token = token.replace("\0", "").strip()  # NUL separates texts in the table's search
        if token:
            query.clauses.append(_token_clause(token))
    return query


def _token_clause(token: str) -> Clause:
    if _COMPARE.match(token):
        return _compare_clause(token)
    name, sep, value = token.partition(":")
    if sep and name.lower() in FIELDS:
        if not value:
            raise QueryError(f"{name}: needs a value (e.g. {name}:…)")
        return _field_clause(name.lower(), value)
    return _word_clause(token)


def build(query: str = "", *, region: str | None = None, topic: str | None = None,
          year: str | None = None, kind: str | None = None) -> Query:
    """The query text plus the CLI's --region/--topic/--year/--kind options, as one Query."""
    parts = [query or ""]
    for name, value in (("region", region), ("topic", topic), ("year", year), ("kind", kind)):
        if value:
            parts.append(shlex.quote(f"{name}:{value}"))
    return parse(" ".join(p for p in parts if p))
