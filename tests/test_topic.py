"""Topics by the conventions of the gold (REAL.md): what sector a figure is about."""

from __future__ import annotations

import pytest

from tibet_facts.store.corpus import make_source
from tibet_facts.store.ingest import extract_source


def topic_of(text: str, value: float) -> str:
    found = extract_source(make_source("t.txt", text, meta={"date": "2024-05-01"}))
    return next(f.topic for f in found if f.value == value)


@pytest.mark.parametrize(
    ("text", "value", "topic"),
    [
        # Investment in a sector's projects takes the sector.
        ("2023年，班戈县牦牛养殖基地项目投资860万元。", 860.0, "agriculture"),
        # Investment promotion and policy as such stay investment_policy.
        ("招商引资推介会上，12家企业签约，签约金额20亿元。", 20.0, "investment_policy"),
        # Foreign and border trade are the economy as a whole.
        ("2023年，日喀则市外贸进出口总额达52亿元。", 52.0, "economy_general"),
        ("Tibet's foreign trade reached 7.2 billion yuan in 2023.", 7.2, "economy_general"),
        # Roads and air routes are logistics; hospitals and schools are public services.
        ("The region now has 160 air routes and 120,000 kilometers of roads.", 160.0, "logistics"),
        ("全区120家医院实现信息化全覆盖。", 120.0, "governance_public_services"),
    ],
)
def test_topic_conventions(text: str, value: float, topic: str) -> None:
    assert topic_of(text, value) == topic
