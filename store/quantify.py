"""Quantities of a raw text as the `quantities` command shows them: normalized (full-width digits,
traditional characters, OCR gaps) for reading, with offsets back into the text as given."""

from __future__ import annotations

from typing import Any


def read_quantities(text: str) -> list[dict[str, Any]]:
    """Every quantity in text, fact or not, with start/end in the original text."""
    from tibet_facts.store.extract.normalize import normalize
    from tibet_facts.store.extract.quantities import parse_quantities

    norm = normalize(text, join_lines=False)
    out = []
    for q in parse_quantities(norm.text):
        start, end = norm.span_to_orig(q.start, q.end)
        _, unit_end = norm.span_to_orig(q.start, q.unit_end)
        out.append({
            "start": start, "end": end, "unit_end": unit_end, "text": text[start:end], "value": q.value,
            "unit": q.unit, "base_value": q.base_value, "base_unit": q.base_unit, "qualifier": q.qualifier,
            "role": q.role, "low_high": q.low_high,
        })
    return out
