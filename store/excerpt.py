"""A fact's source shown for checking: its sentence with the number marked, the sentences around
it, every field, and the document's title, date and source. Rich Text only, never markup."""

from __future__ import annotations

from rich.text import Text

from tibet_facts.store.format import as_written, common_value
from tibet_facts.store.model import Document, Fact
from tibet_facts.store.sanitize import safe_text

NEIGHBOUR_CHARS = 160


def fact_fields(fact: Fact, doc: Document | None) -> list[tuple[str, str]]:
    """(label, value) pairs for every field worth showing, sanitized."""
    pairs = [
        ("id", fact.id), ("metric", f"{fact.metric_zh} / {fact.metric_en}"), ("metric id", fact.metric_id or "—"),
        ("value", as_written(fact)), ("common unit", common_value(fact)),
        ("base", f"{fact.base_value:g} {fact.base_unit}"), ("region", f"{fact.region} ({fact.region_en})"),
        ("region path", " › ".join(fact.region_path) or "—"), ("period", fact.period), ("topic", fact.topic),
        ("kind", fact.kind), ("qualifier", fact.qualifier), ("offsets", f"{fact.start}–{fact.end} in {fact.doc}"),
    ]
    if doc is not None:
        pairs += [("document", doc.title), ("publisher", doc.publisher), ("date", doc.date),
                  ("source", doc.source or "—")]
    return [(k, safe_text(v, single_line=True)) for k, v in pairs]


def excerpt_text(fact: Fact, doc: Document | None, *, context: int = NEIGHBOUR_CHARS) -> Text:
    """The sentence with the number highlighted, with the neighbouring text dimmed."""
    if doc is None or not (0 <= fact.start < fact.end <= len(doc.text)):
        return Text(safe_text(fact.quote))
    text = doc.text
    s_start = min(fact.sentence_start, fact.start)
    s_end = max(fact.sentence_end, fact.end)
    before_start = max(0, s_start - context)
    after_end = min(len(text), s_end + context)
    flat = lambda s: safe_text(s).replace("\n", " ")  # noqa: E731
    return Text.assemble(
        ("…" if before_start else "", "dim"), (flat(text[before_start:s_start]), "dim"),
        flat(text[s_start:fact.start]), (flat(text[fact.start:fact.end]), "bold reverse"),
        flat(text[fact.end:s_end]), (flat(text[s_end:after_end]), "dim"),
        ("…" if after_end < len(text) else "", "dim"),
    )
