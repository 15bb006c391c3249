"""Shared fixtures: a small hand-made store (independent of extraction) and isolated store paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from tibet_facts.store.model import Document, Fact, doc_id_for, fact_id
from tibet_facts.store.repository import FactStore

settings.register_profile("ci", max_examples=200, deadline=None)
settings.register_profile("soak", max_examples=10_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

HOSTILE = "危险[TODO]文本[@click=app.quit]x[/] \x1b]52;c;aGk=\x07 \x1b[2J 结束"


def _doc(name: str, text: str, **meta: str) -> Document:
    return Document(id=doc_id_for(text), name=name, text=text, **meta)


def _fact(doc: Document, needle: str, value: float, unit: str, base: float, base_unit: str, **kw: object) -> Fact:
    start = doc.text.index(needle)
    end = start + len(str(value).removesuffix(".0")) if "num" not in kw else start + len(str(kw.pop("num")))
    data = dict(id=fact_id(doc.id, start, end), doc_id=doc.id, doc=doc.name, start=start, end=end,
                quote=needle, value=value, unit=unit, base_value=base, base_unit=base_unit,
                quote_start=start, sentence_start=start, sentence_end=start + len(needle))
    data.update(kw)
    return Fact.from_dict(data)


def sample_documents() -> tuple[list[Document], list[Fact]]:
    """Two documents and eight facts covering regions, periods, kinds and a hostile quote."""
    zh = _doc("zh.txt", "2025年西藏全区网络零售额280.2亿元，同比增长27%。昌都市网络零售额12.5亿元。"
              "芒康县网络零售额3.1亿元。2024年西藏全区网络零售额229.7亿元。" + HOSTILE + "共7个。",
              title="电商报告", publisher="西藏日报", date="2025-12", language="zh", source="test")
    en = _doc("en.txt", "With an investment of 449 million yuan RMB, 27 counties joined.",
              title="Rural e-commerce", publisher="China Tibet News", date="2020-06-24", language="en")
    tar = dict(region="西藏自治区", region_en="Tibet Autonomous Region", region_path=["西藏自治区"])
    facts = [
        _fact(zh, "280.2亿元", 280.2, "亿元", 2.802e10, "CNY", metric_zh="网络零售额", metric_en="online retail sales",
              metric_id="online_retail_sales", period="2025", topic="ecommerce", **tar),
        _fact(zh, "27%", 27.0, "%", 27.0, "percent", num=27, metric_zh="网络零售额增速",
              metric_en="online retail sales growth", metric_id="online_retail_sales_growth", period="2025",
              topic="ecommerce", kind="rate", **tar),
        _fact(zh, "12.5亿元", 12.5, "亿元", 1.25e9, "CNY", metric_zh="网络零售额", metric_en="online retail sales",
              metric_id="online_retail_sales", period="2025", topic="ecommerce", region="昌都市", region_en="Qamdo",
              region_path=["西藏自治区", "昌都市"]),
        _fact(zh, "3.1亿元", 3.1, "亿元", 3.1e8, "CNY", metric_zh="网络零售额", metric_en="online retail sales",
              metric_id="online_retail_sales", period="2025", topic="ecommerce", region="芒康县",
              region_en="Markam County", region_path=["西藏自治区", "昌都市", "芒康县"]),
        _fact(zh, "229.7亿元", 229.7, "亿元", 2.297e10, "CNY", metric_zh="网络零售额", metric_en="online retail sales",
              metric_id="online_retail_sales", period="2024", topic="ecommerce", **tar),
        _fact(zh, "7个", 7.0, "个", 7.0, "count", num=7, metric_zh=HOSTILE, metric_en="[bold]x[/]",
              period="unknown", topic="economy_general", **tar),
        _fact(en, "449 million", 449.0, "million yuan", 4.49e8, "CNY", num=449, metric_zh="电子商务进农村累计投资",
              metric_en="rural e-commerce investment", period="as of 2020-06", topic="ecommerce", **tar),
        _fact(en, "27 counties", 27.0, "counties", 27.0, "count", num=27, metric_zh="开展电子商务推广的县数",
              metric_en="counties promoting e-commerce", period="as of 2020-06", topic="ecommerce", **tar),
    ]
    return [zh, en], facts


@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store location of its own; TIBET_FACTS_STORE points there so nothing touches ~/.local."""
    path = tmp_path / "store" / "facts.json"
    monkeypatch.setenv("TIBET_FACTS_STORE", str(path))
    return path


@pytest.fixture
def sample_store(store_path: Path) -> FactStore:
    """A store holding sample_documents(), written through the real atomic path."""
    store = FactStore.open(store_path)
    docs, facts = sample_documents()
    store.add(docs, facts)
    return store
