"""How numbers, units and citations are written for people: one place for the CLI, TUI and exports.

Numbers are formatted here, never by a widget's default (DataTable writes floats as `x:.2f`).
Money reads best in 亿元 or 万元, counts in 万 or as is, percentages as they are.
"""

from __future__ import annotations

from tibet_facts.store.model import CORRECTABLE, Document, Fact

_MONEY = {"CNY": "元", "USD": "美元"}
_UNIT_NAMES = {
    "percent": "%", "percentage_point": "个百分点", "person": "人", "person_time": "人次",
    "household": "户", "item": "件", "count": "", "km": "km", "m": "m", "km2": "km²", "mu": "亩",
    "t": "t", "kWh": "kWh", "MW": "MW", "year": "年", "hour": "小时", "other": "",
}


def format_number(x: float, digits: int = 2) -> str:
    """1234567.0 -> '1,234,567'; 280.2 -> '280.2'; trailing zeros dropped."""
    if x != x or x in (float("inf"), float("-inf")):
        return "—"
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    text = f"{x:,.{digits}f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def as_written(fact: Fact) -> str:
    """The figure as the document wrote it: '280.2亿元', '35.6%', '449 million yuan'."""
    number = format_number(fact.value, 4)
    unit = fact.unit or ""
    if unit and (unit[0].isascii() and unit[0].isalpha()):
        return f"{number} {unit}"
    return f"{number}{unit}"


def scale_for(base_unit: str, values: list[float]) -> tuple[float, str]:
    """The divisor and unit label that make a column of values readable (亿元, 万元, 万人 ...)."""
    biggest = max((abs(v) for v in values), default=0.0)
    if base_unit in ("percent", "percentage_point"):
        return 1.0, _UNIT_NAMES[base_unit]
    suffix = _MONEY.get(base_unit, _UNIT_NAMES.get(base_unit, base_unit))
    if biggest >= 1e8:
        return 1e8, f"亿{suffix}"
    if biggest >= 1e5:
        return 1e4, f"万{suffix}"
    return 1.0, suffix


def common_value(fact: Fact) -> str:
    """The base value in a readable common unit: '280.2 亿元', '1.4 万人次', '21.6 %'."""
    divisor, label = scale_for(fact.base_unit, [fact.base_value])
    return f"{format_number(fact.base_value / divisor)} {label}".strip()


def citation(fact: Fact, doc: Document | None) -> str:
    """'280.2亿元 (online retail sales, Tibet Autonomous Region, 2025) — title, publisher, date'."""
    metric = fact.metric_en or fact.metric_zh or "figure"
    place = fact.region_en or fact.region or "unknown place"
    head = f"{as_written(fact)} ({metric}, {place}, {fact.period})"
    if doc is None:
        return head
    tail = ", ".join(x for x in (doc.title, doc.publisher, doc.date) if x and x != "unknown")
    return f"{head} — {tail}" if tail else head


def doc_fields(doc: Document | None) -> dict[str, str]:
    """The citation fields every record of a fact carries (CSV, JSON, Parquet alike)."""
    return {"doc_title": doc.title if doc else "", "doc_publisher": doc.publisher if doc else "",
            "doc_date": doc.date if doc else "", "doc_source": doc.source if doc else ""}


def facts_json(facts: list[Fact], docs: dict[str, Document], *, lines: bool = False) -> bytes:
    """Facts as JSON (indented) or JSON lines: every field of each fact, then its document's
    title, publisher, date and source. orjson writes the records itself; the document's fields
    are spliced in as bytes made once a document, so JSON lines of 100,000 facts build no dict."""
    import orjson

    if not lines:
        records = [f.to_dict() | doc_fields(docs.get(f.doc_id)) for f in facts]
        return orjson.dumps(records, option=orjson.OPT_INDENT_2) + b"\n"
    tails: dict[str, bytes] = {}
    out = []
    for f in facts:
        tail = tails.get(f.doc_id)
        if tail is None:  # '"doc_title":…}' after the fact's own fields, in place of its '}'
            tail = tails[f.doc_id] = b"," + orjson.dumps(doc_fields(docs.get(f.doc_id)))[1:]
        out.append(orjson.dumps(f)[:-1] + tail + b"\n")
    return b"".join(out)


def sentence_of(fact: Fact, doc: Document | None) -> str:
    """The sentence the figure stands in, from its document (the quote when the offsets do not
    fit)."""
    if doc is None or not (0 <= fact.start < fact.end <= len(doc.text)):
        return fact.quote
    return doc.text[min(fact.sentence_start, fact.start):max(fact.sentence_end, fact.end)]


def fact_record(fact: Fact, doc: Document | None, *, extracted: Fact | None = None,
                rejected: bool = False) -> dict[str, object]:
    """One fact as `show --format json` gives it: every field, its document's citation fields,
    its sentence, whether it is rejected, and each corrected field's extracted value."""
    corrected = {}
    if extracted is not None:
        corrected = {name: getattr(extracted, name) for name in CORRECTABLE
                     if getattr(extracted, name) != getattr(fact, name)}
    return {**fact.to_dict(), **doc_fields(doc), "sentence": sentence_of(fact, doc),
            "rejected": rejected, "extracted": corrected}
