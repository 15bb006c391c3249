"""Normalization keeps a map back to the original text while making variants read alike."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tibet_facts.store.extract.normalize import is_column_text, normalize


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("網絡零售額280.2億元", "网络零售额280.2亿元"),
        ("１２３％", "123%"),
        ("35.6 %", "35.6%"),
        ("培 训 ，提 高", "培训，提高"),
        ("芒康县 31 家涉农企业", "芒康县31家涉农企业"),
        ("449 million yuan", "449 million yuan"),
        ("电商 APP", "电商 APP"),
        ("full\u3000width", "full width"),
    ],
)
def test_normalize_reads_variants_alike(raw: str, expected: str) -> None:
    assert normalize(raw, join_lines=False).text == expected


def test_column_text_lines_are_joined_inside_sentences() -> None:
    page = "\n\n".join(["为全力推进电子商务助推扶贫工作，近年", "来，昌都市商务局以芒康、八宿、边坝 3",
                        "县为电子商务进农村综合示范县，以开", "拓农村电商消费市场。"] * 3)
    assert is_column_text(page)
    text = normalize(page).text
    assert "近年来，昌都市" in text and "边坝3县" in text


def test_prose_lines_are_not_joined() -> None:
    prose = "第一段没有句号\n\n第二段。\n" * 2
    assert "\n" in normalize(prose).text


def test_offsets_map_back_to_the_number_as_written() -> None:
    raw = "累计帮助群众代购代缴相关资金 60 余万元。截\n\n至目前"
    norm = normalize(raw, join_lines=True)
    i = norm.text.index("60")
    a, b = norm.span_to_orig(i, i + 2)
    assert raw[a:b] == "60"


@given(st.text(alphabet=st.sampled_from(list("网络零售額億萬 \n\t0123456789１２％%,.，。亿元ab")), max_size=80))
def test_every_normalized_char_maps_to_the_same_or_a_variant(raw: str) -> None:
    norm = normalize(raw)
    for i, ch in enumerate(norm.text):
        j = norm.to_orig(i)
        assert 0 <= j < len(raw)
        if ch.isdigit():
            assert raw[j] in "0123456789０１２３４５６７８９"
