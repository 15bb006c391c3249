"""The query language shared by the browser and the CLI: clauses, roll-up, descriptions, errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import sample_documents
from tibet_facts.store import query
from tibet_facts.store.query import QueryError

FACTS = sample_documents()[1]


def values(text: str) -> list[float]:
    return sorted(f.value for f in query.parse(text).filter(FACTS))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", sorted(f.value for f in FACTS)),
        ("零售额", [3.1, 12.5, 27.0, 229.7, 280.2]),
        ("online retail", [3.1, 12.5, 27.0, 229.7, 280.2]),
        ("零售额 year:2025 kind:level", [3.1, 12.5, 280.2]),
        ("year:2019..2021", [27.0, 449.0]),
        ("year:2025..2024", [3.1, 12.5, 27.0, 229.7, 280.2]),
        ("kind:rate", [27.0]),
        ("topic:ecommerce unit:CNY", [3.1, 12.5, 229.7, 280.2, 449.0]),
        ("value>1e10", [229.7, 280.2]),
        ("value<=27", [7.0, 27.0, 27.0]),
        ("doc:en.txt", [27.0, 449.0]),
        ('"online retail sales growth"', [27.0]),
        ("region:昌都市", [3.1, 12.5]),
        ("region:芒康县", [3.1]),
        ("metric:网络零售额 region:西藏自治区 year:2024", [229.7]),
    ],
)
def test_queries_select_the_right_facts(text: str, expected: list[float]) -> None:
    assert values(text) == expected


def test_description_says_in_words_what_is_shown() -> None:
    q = query.parse("region:昌都市 topic:ecommerce")
    assert q.describe(2) == "2 facts · region 昌都市 and below · topic ecommerce"
    assert query.parse("").describe() == "all facts"


def test_cli_options_join_the_query() -> None:
    q = query.build("零售额", region="昌都市", year="2025")
    assert sorted(f.value for f in q.filter(FACTS)) == [3.1, 12.5]


@pytest.mark.parametrize("text", ["year:20x5", "year:", "value>abc", "region:"])
def test_bad_clauses_are_usage_errors(text: str) -> None:
    with pytest.raises(QueryError) as info:
        query.parse(text)
    assert info.value.exit_code == 2


@given(st.text(max_size=60))
def test_any_text_parses_or_raises_query_error(text: str) -> None:
    try:
        q = query.parse(text)
    except QueryError:
        return
    q.filter(FACTS)
    assert isinstance(q.describe(0), str)
