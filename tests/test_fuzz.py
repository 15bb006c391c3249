"""Property tests (hypothesis) for the extractor, the store opener and the export writers."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import math
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import sample_documents
from tibet_facts.store.errors import StoreCorrupt, StoreTooNew
from tibet_facts.store.export import guard_cell, render_facts
from tibet_facts.store.extract.pipeline import extract_facts
from tibet_facts.store.model import Fact
from tibet_facts.store.repository import FactStore
from tibet_facts.store.sanitize import safe_text

ALPHABET = st.sampled_from(list("零一二两三四五六七八九十百千万亿0123456789１２.,%％元万亿人家个年月日 \n，。、“”[]()（）近约超余多以上\x1b\u202e拉萨昌都芒康县全区增长同比") )


@given(st.text(alphabet=ALPHABET, max_size=120))
def test_extractor_never_raises_and_points_at_numbers(text: str) -> None:
    for f in extract_facts(text, doc_id="d", doc_name="d.txt"):
        assert 0 <= f.start < f.end <= len(text)
        assert any(ch.isdigit() or ch in "零一二两三四五六七八九十百千万亿" for ch in text[f.start:f.end])
        assert math.isfinite(f.value) and math.isfinite(f.base_value)
        assert f.kind in ("level", "change", "rate", "share") and f.qualifier in ("exact", "approx", "over", "under")


@given(st.binary(max_size=300))
def test_store_opener_raises_only_store_errors_and_never_writes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "facts.json"
        path.write_bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        try:
            FactStore.open(path)
        except (StoreCorrupt, StoreTooNew):
            pass
        except (TypeError, ValueError, KeyError, AttributeError) as exc:  # a valid JSON of the wrong shape
            raise AssertionError(f"unexpected {type(exc).__name__}") from exc
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


NASTY = st.text(alphabet=st.sampled_from(list("=+-@\t\r＝<>&\"'|[]*_`\\\n,;abc拉萨")), max_size=30)


@given(NASTY, NASTY)
def test_export_writers_escape_whatever_the_text(metric: str, quote: str) -> None:
    docs, facts = sample_documents()
    base = facts[0].to_dict()
    base.update(metric_zh=metric, quote=quote)
    fact = Fact.from_dict(base)
    index = {d.id: d for d in docs}
    rows = list(csv.reader(io.StringIO(str(render_facts([fact], index, "csv")))))
    for cell in rows[1]:
        assert not cell.startswith(("=", "+", "@", "\t", "\r", "＝")) or cell.startswith("'")
    assert json.loads(str(render_facts([fact], index, "json")))[0]["quote"] == safe_text(quote, single_line=True)
    page = str(render_facts([fact], index, "html"))
    HTMLParser().feed(page)
    assert html.escape(safe_text(metric, single_line=True)) in page
    assert guard_cell(42.0) == 42.0
