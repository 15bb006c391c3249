"""A fact's source shown for checking: its sentence with the number marked, the sentences around
it, every field, and the document's title, date and source. Rich Text only, never markup."""

from __future__ import annotations

from rich.text import Text

from tibet_facts.store.format import as_written, common_value
from tibet_facts.store.model import Document, Fact
from tibet_facts.store.sanitize import safe_text

NEIGHBOUR_CHARS = 160


def fact_fields(fact: Fact, doc: Document | None, *, extracted: Fact | None = None,
                rejected: bool = False) -> list[tuple[str, str]]:
    """(label, value) pairs for every field worth showing, sanitized; given the fact as
    extracted, a corrected field shows both ("芒康县 (Markam) · extracted: 昌都市")."""
    pairs = [
        ("id", fact.id), ("metric", f"{fact.metric_zh} / {fact.metric_en}"), ("metric id", fact.metric_id or "—"),
        ("value", as_written(fact)), ("common unit", common_value(fact)),
        ("base", f"{fact.base_value:g} {fact.base_unit}"), ("region", f"{fact.region} ({fact.region_en})"),
        ("region path", " › ".join(fact.region_path) or "—"), ("period", fact.period), ("topic", fact.topic),
        ("kind", fact.kind), ("qualifier", fact.qualifier), ("offsets", f"{fact.start}–{fact.end} in {fact.doc}"),
    ]
    if fact.page:
        pairs.append(("page", f"p. {fact.page}"))
    if extracted is not None:
        pairs = [(k, v + _was(k, fact, extracted)) for k, v in pairs]
    if rejected:
        pairs.insert(1, ("status", "rejected (tibet-facts restore ID takes it back)"))
    if doc is not None:
        pairs += [("document", doc.title), ("publisher", doc.publisher), ("date", doc.date),
                  ("source", doc.source or "—")]
    return [(k, safe_text(v, single_line=True)) for k, v in pairs]


# The label each correctable field is shown under.
_SHOWN_AS = {"metric": ("metric_zh", "metric_en"), "metric id": ("metric_id",), "region": ("region",),
             "period": ("period",), "topic": ("topic",), "kind": ("kind",)}


def _was(label: str, fact: Fact, extracted: Fact) -> str:
    names = _SHOWN_AS.get(label, ())
    if all(getattr(fact, n) == getattr(extracted, n) for n in names):
        return ""
    return " · extracted: " + " / ".join(str(getattr(extracted, n)) for n in names)


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
