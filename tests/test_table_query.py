"""Queries (store/query.py) and the column table (store/table.py) on a small hand-made table:
each clause's exact words and rows, counts, orders, and the table's checks of an index."""

from __future__ import annotations

from array import array
from dataclasses import replace

import pytest

from tibet_facts.store import table as table_mod
from tibet_facts.store.model import Correction, Fact
from tibet_facts.store.query import QueryError, build, parse, peers_query, unit_names
from tibet_facts.store.table import FactTable, PackedStrings, TableError, code_array, flag_mask


def _fact(i: int, **kw: object) -> Fact:
    base = dict(id=f"id{i:02d}", doc_id="da", doc="a.txt", start=10 * i, end=10 * i + 3, quote=f"Quote {i}",
                value=float(i), unit="亿元", base_value=float(i) * 1e8, base_unit="CNY", metric_zh="零售额",
                metric_en="retail sales", metric_id="retail", region="西藏自治区", region_en="Tibet",
                region_path=["西藏自治区"], period="2025", topic="ecommerce")
    base.update(kw)
    return Fact(**base)  # type: ignore[arg-type]


FACTS = [
    _fact(0),
    _fact(1, region="昌都市", region_en="Qamdo", region_path=["西藏自治区", "昌都市"], period="2024"),
    _fact(2, region="芒康县", region_en="Markam", region_path=["西藏自治区", "昌都市", "芒康县"],
          period="2021..2023", kind="rate", unit="%", base_unit="percent", base_value=2.0),
    _fact(3, doc_id="db", doc="b.txt", start=5, metric_zh="投资", metric_en="investment", metric_id="",
          topic="investment_policy", qualifier="approx", period="as of 2020-06", quote="ABC Road"),
    _fact(4, doc_id="db", doc="b.txt", start=1, base_value=-1.0, unit="人次", base_unit="person_time",
          period="unknown", kind="change", metric_zh="游客", metric_en="", metric_id="visitors"),
]


def _table() -> FactTable:
    return FactTable.from_rows(f.to_dict() for f in reversed(FACTS))


def _ids(text: str, table: FactTable | None = None) -> list[str]:
    table = table or _table()
    return [table.fact(i).id for i in table.select(parse(text))]


@pytest.mark.parametrize(("text", "ids"), [
    ("", ["id00", "id01", "id02", "id04", "id03"]),
    ("region:昌都市", ["id01", "id02"]), ("region:Qamdo", ["id01", "id02"]), ("region:芒康县", ["id02"]),
    ("region:西藏自治区", ["id00", "id01", "id02", "id04", "id03"]), ("region:某地", []),
    ("topic:ECOM", ["id00", "id01", "id02", "id04"]), ("topic:investment", ["id03"]),
    ("year:2024", ["id01"]), ("year:2022..2020", ["id02", "id03"]), ("year:2023", ["id02"]),
    ("kind:RATE", ["id02"]), ("kind:change", ["id04"]), ("qualifier:approx", ["id03"]),
    ("unit:%", ["id02"]), ("unit:percent", ["id02"]), ("unit:人次", ["id04"]), ("unit:visits", ["id04"]),
    ("unit:亿元", ["id00", "id01", "id03"]), ("unit:元", ["id00", "id01", "id03"]),
    ("doc:B.TXT", ["id04", "id03"]), ("doc:da", ["id00", "id01", "id02"]), ("doc:a", ["id00", "id01", "id02"]),
    ("metric:投资", ["id03"]), ("metric:RETAIL", ["id00", "id01", "id02"]), ("metric:visitors", ["id04"]),
    ("metric:visit", []), ("metric:sales", ["id00", "id01", "id02"]),
    ('"period:as of"', ["id03"]), ("period:2021", ["id02"]), ("id:ID0", ["id00", "id01", "id02", "id04", "id03"]),
    ("id:id03", ["id03"]),
    ("value>1e8", ["id03"]), ("value>=1e8", ["id01", "id03"]), ("value<1e8", ["id00", "id02", "id04"]),
    ("value<=1e8", ["id00", "id01", "id02", "id04"]), ("value=1e8", ["id01"]),
    ("value!=1e8", ["id00", "id02", "id04", "id03"]), ("base_value<0", ["id04"]),
    ("quote", ["id00", "id01", "id02", "id04"]), ("road", ["id03"]), ("QUOTE 2", ["id02"]),
    ('"quote 1"', ["id01"]), ("sales", ["id00", "id01", "id02"]), ("qamdo", ["id01", "id02"]),
    ("markam", ["id02"]), ("芒康", ["id02"]), ("nothing", []), ("quote nothing", []),
    ("retail region:昌都市 year:2024", ["id01"]),
])
def test_each_clause_selects_its_rows(text: str, ids: list[str]) -> None:
    assert _ids(text) == ids
    query = parse(text)
    assert [f.id for f in query.filter(sorted(FACTS, key=lambda f: (f.doc, f.start)))] == ids


@pytest.mark.parametrize(("text", "words"), [
    ("region:昌都市", "region 昌都市 and below"), ("region:芒康县", "region 芒康县 and below"),
    ("region:Qamdo", "region 昌都市 and below"), ("region:某地", "region 某地"),
    ("topic:ecom", "topic ecom"), ("year:2024..2025", "years 2024–2025"), ("year:2025..2025", "year 2025"),
    ("year:2025..2024", "years 2024–2025"), ("kind:rate", "kind rate"), ("qualifier:exact", "qualifier exact"),
    ("unit:%", "unit %"), ("doc:zh", "document zh"), ("metric:零售", "metric “零售”"),
    ("period:2025", "period 2025"), ("id:ab", "id ab"), ("value>=1e8", "value >= 1e8"),
    ("VALUE>1", "“VALUE>1”"), ("零售额", "“零售额”"), ("Qamdo", "“Qamdo” (昌都市)"), ("昌都市", "“昌都市”"),
    ("Region:昌都市", "region 昌都市 and below"), ("x:1", "“x:1”"),
])
def test_each_clause_says_what_it_is(text: str, words: str) -> None:
    assert parse(text).describe() == words


def test_a_description_counts_the_facts() -> None:
    assert parse("a b").describe(1) == "1 fact · “a” · “b”"
    assert parse("a").describe(2) == "2 facts · “a”"
    assert parse("a").describe(0) == "0 facts · “a”"
    assert parse("").describe() == "all facts" and parse("").describe(3) == "3 facts"


def test_words_and_places_are_searched_lower_cased() -> None:
    assert [c.word for c in parse('Qamdo "Online Retail" X\0Y').clauses] == ["昌都", "online retail", "xy"]
    assert parse("a\0 \0").clauses[0].word == "a"
    assert len(parse("\0").clauses) == 0
    assert parse('"unclosed x').text == '"unclosed x'
    assert [c.word for c in parse('"unclosed x').clauses] == ["unclosed", "x"]
    assert parse(None).text == "" and parse(None).clauses == []  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "message"), [
    ("year:20x5", "year: wants 2019 or 2019..2025, not '20x5'"),
    ("year:", "year: needs a value (e.g. year:…)"),
    ("Topic:", "Topic: needs a value (e.g. Topic:…)"),
    ("value>abc", "value> wants a number, not 'abc'"),
    ("base_value!=1,5", "base_value!= wants a number, not '1,5'"),
])
def test_bad_clauses_say_what_they_want(text: str, message: str) -> None:
    with pytest.raises(QueryError) as info:
        parse(text)
    assert str(info.value) == message and info.value.exit_code == 2


def test_cli_options_join_the_query() -> None:
    query = build("x", region="昌都 市", topic="t", year="2025", kind="rate")
    assert query.text == "x 'region:昌都 市' topic:t year:2025 kind:rate"
    assert build().text == "" and build(region="r").text == "region:r"
    assert build("", kind="k").clauses[0].description == "kind k"


def test_units_by_every_spelling() -> None:
    assert unit_names(" % ") == frozenset({"percent", "%", "％", "per cent", "pct", "百分比"})
    assert unit_names("US$") == frozenset({"usd", "美元", "dollar", "dollars", "us$", "$"})
    assert unit_names("亩") == frozenset({"亩"})
    assert unit_names("pp") == unit_names("percentage_point")
    assert "人" in unit_names("person") and "户" in unit_names("households") and "人次" in unit_names("visits")


def test_peers_are_the_same_metric_and_kind() -> None:
    query = peers_query(FACTS[0])
    assert query.describe() == "metric retail sales"
    assert [f.id for f in FACTS if query.matches(f)] == ["id00", "id01"]
    by_name = peers_query(FACTS[3])
    assert by_name.describe() == "metric investment"
    assert [f.id for f in FACTS if by_name.matches(f)] == ["id03"]
    assert peers_query(replace(FACTS[4], metric_en="")).describe() == "metric 游客"
    assert _ids("", _table()) and [_table().fact(i).id for i in _table().select(query)] == ["id00", "id01"]


# --- the table ---------------------------------------------------------------------------------

def test_rows_are_in_document_then_position_order() -> None:
    table = _table()
    assert table.n == 5
    assert [table.raw(i) for i in range(5)] == [FACTS[0], FACTS[1], FACTS[2], FACTS[4], FACTS[3]]
    assert table.facts([3, 0]) == [FACTS[4], FACTS[0]]
    assert table.facts([]) == []
    assert table.vocab["doc"] == ["a.txt", "b.txt"] and list(table.codes["doc"]) == [0, 0, 0, 1, 1]
    assert table.vocab["region_path"][2] == ["西藏自治区", "昌都市", "芒康县"]
    assert table.codes["doc"].typecode == "B"


def test_missing_fields_take_their_defaults_and_bad_rows_are_refused() -> None:
    row = {k: v for k, v in FACTS[0].to_dict().items() if k not in ("topic", "region_path", "page")}
    table = FactTable.from_rows([row])
    assert table.raw(0) == replace(FACTS[0], topic="economy_general", region_path=[])
    with pytest.raises(TypeError):
        FactTable.from_rows([{"id": "x"}])
    with pytest.raises(TypeError):
        FactTable.from_rows(["not a row"])  # type: ignore[list-item]
    assert FactTable.from_rows([]).n == 0


def test_lookups_by_id_prefix_and_document() -> None:
    table = _table()
    assert [table.row_of(f"id0{i}") for i in range(5)] == [0, 1, 2, 4, 3]
    assert table.row_of("nope") is None
    assert table.rows_with_prefix("id0") == [0, 1, 2, 3, 4] and table.rows_with_prefix("id04") == [3]
    assert table.doc_rows("db") == [3, 4] and table.doc_rows("da") == [0, 1, 2] and table.doc_rows("x") == []


def test_counts_of_values_and_pairs_with_corrections() -> None:
    table = _table()
    rows = table.select(parse(""))
    assert table.count("region", rows) == {"西藏自治区": 3, "昌都市": 1, "芒康县": 1}
    assert table.count("region_path", rows) == {("西藏自治区",): 3, ("西藏自治区", "昌都市"): 1,
                                                ("西藏自治区", "昌都市", "芒康县"): 1}
    assert table.count("kind", [0, 2]) == {"level": 1, "rate": 1}
    assert table.count_pairs(("doc", "kind"), rows) == {("a.txt", "level"): 2, ("a.txt", "rate"): 1,
                                                       ("b.txt", "change"): 1, ("b.txt", "level"): 1}
    table.apply_corrections({"id00": Correction("id00", region="昌都市", kind="rate"),
                             "id01": Correction("id01", rejected=True), "gone": Correction("gone")})
    assert sorted(table.overlay) == [0, 1] and table.rejected == {1}
    assert table.fact(0).region == "昌都市" and table.raw(0).region == "西藏自治区"
    rows = table.select(parse(""))
    assert list(rows) == [0, 2, 3, 4]
    assert list(table.select(parse(""), include_rejected=True)) == [0, 1, 2, 3, 4]
    assert table.count("region", rows) == {"昌都市": 1, "芒康县": 1, "西藏自治区": 2}
    assert table.count("region_path", rows)[("西藏自治区", "昌都市")] == 1
    assert table.count_pairs(("region", "kind"), rows) == {("昌都市", "rate"): 1, ("芒康县", "rate"): 1,
                                                          ("西藏自治区", "change"): 1, ("西藏自治区", "level"): 1}
    assert table.count_pairs(("region", "region_path"), [0]) == {("昌都市", ("西藏自治区", "昌都市")): 1}
    assert [table.fact(i).id for i in table.select(parse("kind:rate"))] == ["id00", "id02"]
    assert list(table.select(parse("kind:level"))) == [4]
    assert list(table.select(parse("nothing"))) == []
    assert table.facts([0, 2])[0].region == "昌都市"


def test_orders_and_ranks() -> None:
    table = _table()
    assert table.order("base_value") == [3, 0, 2, 1, 4]
    assert table.rank("base_value") == [1, 3, 2, 0, 4]
    assert table.order("region") == [1, 2, 0, 3, 4]
    assert table.rank("region") == [2, 0, 1, 3, 4]
    assert table.order("period") == [2, 1, 0, 4, 3]
    assert table.order("start") == [0, 3, 4, 1, 2]
    assert table.order("start") is table.order("start") and table.rank("start") is table.rank("start")
    assert table._sorted("base_value") == [-1.0, 0.0, 2.0, 1e8, 3e8]


def test_the_free_word_search_covers_metrics_places_and_quotes() -> None:
    table = _table()
    assert list(table.word_mask("quote")) == [1, 1, 1, 1, 0]
    assert list(table.word_mask("4")) == [0, 0, 0, 1, 0]
    assert list(table.word_mask("road")) == [0, 0, 0, 0, 1]
    assert list(table.word_mask("markam")) == [0, 0, 1, 0, 0]
    assert list(table.word_mask("昌都市")) == [0, 1, 1, 0, 0]
    assert list(table.word_mask("游客")) == [0, 0, 0, 1, 0]
    joined, starts = table._joined_quotes()
    assert joined == "quote 0\0quote 1\0quote 2\0quote 4\0abc road" and starts == [0, 8, 16, 24, 32]


def test_the_table_round_trips_through_its_json() -> None:
    table = _table()
    data = table.to_json()
    assert data["n"] == 5 and data["quotes"]["starts"] == [0, 8, 16, 24, 32]
    assert isinstance(data["codes"]["doc"], list) and isinstance(data["plain"]["start"], list)
    again = FactTable.from_json(data)
    assert [again.raw(i) for i in range(5)] == [table.raw(i) for i in range(5)]
    assert again._quotes == table._quotes
    assert table.columns()["codes"]["doc"] is table.codes["doc"]


@pytest.mark.parametrize("damage", [
    lambda d: d.pop("n"), lambda d: d["plain"].pop("quote"), lambda d: d["plain"]["start"].append(1),
    lambda d: d["plain"].__setitem__("value", ["x"] * 5), lambda d: d["codes"]["doc"].__setitem__(0, 7),
    lambda d: d["codes"]["doc"].__setitem__(0, -1), lambda d: d["codes"].__setitem__("doc", ["a"] * 5),
    lambda d: d["vocab"]["doc"].__setitem__(0, 3), lambda d: d["vocab"]["region_path"].__setitem__(0, "x"),
    lambda d: d["vocab"]["region_path"].__setitem__(0, [1]), lambda d: d.__setitem__("codes", None),
])
def test_an_index_table_of_the_wrong_shape_is_refused(damage: object) -> None:
    data = _table().to_json()
    damage(data)  # type: ignore[operator]
    with pytest.raises(TableError):
        FactTable.from_json(data)


@pytest.mark.parametrize("quotes", [
    None, {"text": 1, "starts": [0, 8, 16, 24, 32]}, {"text": "a", "starts": [0]},
    {"text": "quote 0\0quote 1\0quote 2\0quote 4\0abc road", "starts": [1, 8, 16, 24, 32]},
    {"text": "quote 0\0quote 1\0quote 2\0quote 4\0abc road", "starts": [0, 8, 16, 24, 99]},
    {"text": "quote 0 quote 1\0quote 2\0quote 4\0abc road", "starts": [0, 8, 16, 24, 32]},
    {"text": "quote 0\0quote 1\0quote 2\0quote 4\0abc road", "starts": [0, 8, 16, 24, "32"]},
])
def test_a_bad_search_text_in_an_index_is_made_again(quotes: object) -> None:
    data = {**_table().to_json(), "quotes": quotes}
    table = FactTable.from_json(data)
    assert table._quotes is None
    assert table._joined_quotes()[1] == [0, 8, 16, 24, 32]


def test_merged_tables_are_the_table_of_all_rows() -> None:
    a = FactTable.from_rows(f.to_dict() for f in FACTS[3:])
    b = FactTable.from_rows(f.to_dict() for f in FACTS[:3])
    merged = FactTable.merged(a, b)
    whole = _table()
    assert merged.n == 5
    assert [merged.raw(i) for i in range(5)] == [whole.raw(i) for i in range(5)]
    assert merged.vocab["doc"] == ["b.txt", "a.txt"] and list(merged.codes["doc"]) == [1, 1, 1, 0, 0]
    assert merged.vocab["region_path"] == [["西藏自治区"], ["西藏自治区", "昌都市"], ["西藏自治区", "昌都市", "芒康县"]]
    assert FactTable.merged(b).vocab == b.vocab


def test_packed_strings_decode_one_at_a_time() -> None:
    packed = PackedStrings.of(["a", "", "藏文", "\ud800"])
    assert len(packed) == 4 and list(packed) == ["a", "", "藏文", "\ufffd\ufffd\ufffd"]
    assert packed[-2] == "藏文" and packed.pick([2, 0]) == ["藏文", "a"]
    assert list(packed.offsets) == [0, 1, 1, 7, 10]
    with pytest.raises(IndexError):
        packed[4]
    with pytest.raises(IndexError):
        packed[-5]
    assert len(PackedStrings(b"", array("q"))) == 0


def test_codes_masks_and_checks() -> None:
    assert code_array([1, 2], 256).typecode == "B" and code_array([1], 257).typecode == "H"
    assert code_array([1], 1 << 16).typecode == "H" and code_array([1], (1 << 16) + 1).typecode == "l"
    assert list(flag_mask([False, True], code_array([0, 1, 1, 0], 2))) == [0, 1, 1, 0]
    assert list(flag_mask([True, False], [0, 1, 1])) == [1, 0, 0]
    assert list(table_mod._and(bytearray([1, 1, 0]), bytearray([0, 1, 0]))) == [0, 1, 0]
    assert list(table_mod._or(bytearray([1, 0, 0]), bytearray([0, 1, 0]))) == [1, 1, 0]
    assert table_mod._within(array("B", [0, 2]), 3) and not table_mod._within(array("B", [0, 3]), 3)
    assert table_mod._within([0, 2], 3) and not table_mod._within([0, 3], 3) and not table_mod._within([-1], 3)
    assert table_mod._typed(array("q", [1]), (int,)) and not table_mod._typed(array("d", [1.0]), (int,))
    assert table_mod._typed(array("d", [1.0]), (int, float)) and table_mod._typed([1, 2.0], (int, float))
    assert not table_mod._typed([1, "a"], (int,)) and table_mod._typed(PackedStrings.of(["a"]), (str,))
    assert not table_mod._typed(PackedStrings.of(["a"]), (int,))
    assert table_mod._key_of(["a"]) == ("a",) and table_mod._hashable((["a"], "b")) == (("a",), "b")
