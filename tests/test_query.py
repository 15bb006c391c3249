"""The query language shared by the browser and the CLI: clauses, roll-up, descriptions, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import sample_documents
from tibet_facts.store import query
from tibet_facts.store.model import Document, Fact, doc_id_for, fact_id
from tibet_facts.store.query import QueryError
from tibet_facts.store.repository import FactStore

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


# --- places by every name, units by every spelling (issue 13) -------------------------------


def nyingchi_facts() -> tuple[list[Document], list[Fact]]:
    """Facts in and under 林芝市 (a village the gazetteer does not know, a county written in
    English, the city by its former name) beside the sample's facts elsewhere."""
    text = "托麦村户均年增收超5000元。Nang County gained a loan of 2.7 million yuan. 林芝地区旅游收入12亿元。"
    doc = Document(id=doc_id_for(text), name="ny.txt", text=text, title="林芝", date="2024")

    def fact(needle: str, value: float, **kw: object) -> Fact:
        start = text.index(needle)
        return Fact.from_dict(dict(id=fact_id(doc.id, start, start + 1), doc_id=doc.id, doc=doc.name, start=start,
                                   end=start + 1, quote=needle, value=value, unit="元", base_value=value,
                                   base_unit="CNY", period="2024", topic="economy_general", **kw))

    path = ["西藏自治区", "林芝市", "朗县"]
    return [doc], [
        fact("托麦村户均年增收超5000元", 5000, metric_zh="户均年增收", region="托麦村", region_en="托麦村",
             region_path=[*path, "朗镇", "托麦村"]),
        fact("gained a loan of 2.7 million yuan", 2.7, metric_en="loan", region="朗县", region_en="Nang County",
             region_path=path),
        fact("林芝地区旅游收入12亿元", 12, metric_zh="旅游收入", region="林芝市", region_en="Nyingchi",
             region_path=path[:2]),
    ]


PLACE_NAMES = ["林芝", "林芝市", "Nyingchi", "nyingchi", "NYINGCHI", "Linzhi", "Nyingtri", "林芝地区"]


@pytest.mark.parametrize("word", PLACE_NAMES)
def test_a_place_is_found_by_every_one_of_its_names(word: str) -> None:
    docs, facts = nyingchi_facts()
    assert sorted(f.value for f in query.parse(word).filter(FACTS + facts)) == [2.7, 12, 5000]


def test_the_store_finds_a_place_by_every_name_alike(store_path: Path) -> None:
    """Through the store's column table (its word search), not only Query.filter."""
    store = FactStore.open(store_path)
    docs, facts = sample_documents()
    more_docs, more = nyingchi_facts()
    store.add(docs + more_docs, facts + more)
    found = {word: sorted(f.value for f in store.find(query.parse(word))) for word in PLACE_NAMES}
    assert found == {word: [2.7, 12, 5000] for word in PLACE_NAMES}
    assert sorted(f.value for f in store.find(query.parse("Qamdo"))) == [3.1, 12.5]
    assert sorted(f.value for f in store.find(query.parse("Markam"))) == [3.1]


def test_a_word_naming_a_place_says_which_place() -> None:
    assert query.parse("Nyingchi").describe(3) == "3 facts · “Nyingchi” (林芝市)"
    assert query.parse("林芝").describe() == "“林芝”"
    assert query.parse("零售额").describe() == "“零售额”"


@pytest.mark.parametrize("word", ["全区", "我区", "自治区", "China", "World"])
def test_references_and_world_names_stay_words(word: str) -> None:
    assert query.parse(word).clauses[0].word == word.lower()


@pytest.mark.parametrize(("clause", "expected"), [
    ("unit:%", [27.0]), ("unit:percent", [27.0]), ("unit:％", [27.0]), ("unit:Percent", [27.0]),
    ("unit:元", [3.1, 12.5, 229.7, 280.2, 449.0]), ("unit:CNY", [3.1, 12.5, 229.7, 280.2, 449.0]),
    ("unit:yuan", [3.1, 12.5, 229.7, 280.2, 449.0]), ("unit:亿元", [3.1, 12.5, 229.7, 280.2]),
    ("unit:counties", [27.0]), ("unit:kWh", []),
])
def test_a_unit_is_found_by_every_spelling(clause: str, expected: list[float]) -> None:
    assert values(clause) == expected


def test_place_names_come_from_a_cache_made_from_the_gazetteer(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from tibet_facts.store import placenames

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    placenames.forget()
    try:
        assert placenames.named_by("Nyingtri").name == "林芝市"  # type: ignore[union-attr]
        cached = tmp_path / "tibet-facts" / "place-names.json"
        data = json.loads(cached.read_text(encoding="utf-8"))
        assert data["aliases"]["linzhi"] == "林芝市" and data["names"]["林芝市"][0] == "林芝"
        data["stamp"] = [0, 0, 0]  # made from another gazetteer: made again
        data["aliases"]["linzhi"] = "拉萨市"
        cached.write_text(json.dumps(data), encoding="utf-8")
        placenames.forget()
        assert placenames.named_by("Linzhi").name == "林芝市"  # type: ignore[union-attr]
        cached.write_bytes(b"{not json")
        placenames.forget()
        assert placenames.named_by("Linzhi").name == "林芝市"  # type: ignore[union-attr]
    finally:
        placenames.forget()


def test_a_cold_find_with_words_never_loads_the_gazetteer(tmp_path: Path, store_path: Path) -> None:
    """The gazetteer costs ~90 ms to load: a lookup reads the names' cache instead."""
    FactStore.open(store_path).add(*sample_documents())
    code = ("import sys\nsys.argv=['tibet-facts','find',sys.argv[1],'--format','json']\n"
            "from tibet_facts.tui import cli\ntry:\n    cli.main()\nexcept SystemExit:\n    pass\n"
            "print('gazetteer' if 'tibet_facts.store.extract.gazetteer' in sys.modules else 'light')\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "TIBET_FACTS_STORE": str(store_path)}

    def last_line(word: str) -> str:
        done = subprocess.run([sys.executable, "-c", code, word], capture_output=True, text=True, env=env,
                              timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    assert last_line("零售额") == "gazetteer"  # the first one makes the cache
    assert last_line("零售额") == "light"
    assert last_line("Qamdo") == "light"
