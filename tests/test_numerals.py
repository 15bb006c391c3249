"""Chinese numerals and English number words read to numbers (numerals.py), table-driven plus properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tibet_facts.store.extract.numerals import chinese_integer, chinese_number, english_numbers, english_words


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一千二百万", 12_000_000),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("一百零五", 105),
        ("一千零五十", 1050),
        ("三千五", 3500),  # a trailing digit counts one place down
        ("两百五", 250),
        ("一万五", 15000),
        ("十万亿", 10**13),
        ("两千六", 2600),
        ("兩千四百五", 2450),
        ("壹佰捌拾壹", 181),
        ("玖仟陆佰陆拾伍", 9665),
        ("二〇二五", 2025),  # digit by digit
        ("5万4千6百", 54600),
        ("5亿1万4千6百", 500014600),
        ("100万三千", 1003000),
        ("1万600", 10600),
        ("1百01", 101),
        ("2千零30万", 20300000),
        ("10万万", 1_000_000_000),
        ("4.78萬億", 4.78e12),
        ("二十几万", 200000),  # vague words read as the round number
        ("一百零几万", 1_000_000),
        ("十余万", 100000),
        ("三千多万", 30_000_000),
        ("五兆", 5e12),
    ],
)
def test_chinese_integers(text: str, value: float) -> None:
    assert chinese_number(text) == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三点五", 3.5),
        ("一百点123", 100.123),
        ("零点二五", 0.25),
        ("负十", -10),
        ("负0.2", -0.2),
        ("二分之一", 0.5),
        ("五分之壹", 0.2),
        ("３分之一百五十七", 157 / 3),
        ("负３分之负一百五十七", 157 / 3),
        ("三百五又三分之一", 350 + 1 / 3),
        ("3又一千分之23", 3.023),
        ("八千三百八十五万二千三百二十六点三三", 83852326.33),
    ],
)
def test_chinese_decimals_signs_fractions(text: str, value: float) -> None:
    assert chinese_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "点", "分之", "三五十", "百分"])
def test_not_a_chinese_numeral(text: str) -> None:
    assert chinese_number(text) is None


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("seven million five hundred twenty thousand", [7_520_000]),
        ("twenty-five", [25]),
        ("fifty - two", [52]),
        ("a hundred and two", [102]),
        ("two and a half", [2.5]),
        ("two and a half million", [2_500_000]),
        ("one million and a half", [1_500_000]),
        ("one billion and a half million", [1_000_500_000]),
        ("five billion and three quarters", [5_750_000_000]),
        ("two thirds of a million", [2_000_000 / 3]),
        ("three fifths", [0.6]),
        ("twenty-three fifths", [4.6]),
        ("one twenty-fifth", [0.04]),
        ("one hundred and three quarters", [100.75]),
        ("one hundred thirty fifths", [100 / 35]),
        ("one hundred and thirty fifths", [26]),
        ("a trillionth", [1e-12]),
        ("half million", [500_000]),
        ("one over three", [1 / 3]),
        ("two hundred point zero three", [200.03]),
        ("two hundred point seventy-one", [200.71]),
        ("minus five point five", [-5.5]),
        ("4 thousand 3 hundred and 21", [4321]),
        ("three million, two hundred & forty", [3_000_240]),
        # A new number starts where the words cannot continue the last one.
        ("twenty five thirty six one hundred", [25, 36, 100]),
        ("one, two and three", [1, 2, 3]),
        ("hundred and five twenty two million", [105, 22_000_000]),
        ("twenty five and minus thirty six", [25, -36]),
    ],
)
def test_english_number_words(text: str, values: list[float]) -> None:
    got = [v for _, _, v, _ in english_numbers(text, 0, len(text))]
    assert got == pytest.approx(values)


@pytest.mark.parametrize("text", ["twenty-first century", "the fifth largest", "one second"])
def test_ordinals_are_not_fractions(text: str) -> None:
    got = [v for _, _, v, _ in english_numbers(text, 0, len(text))]
    assert all(v >= 1 for v in got)


def test_english_words_single_number() -> None:
    assert english_words(["seven", "million", "five", "hundred"]) == 7_000_500
    assert english_words(["hello"]) is None


def test_offsets_cover_the_words() -> None:
    text = "about two and a half million people"
    (start, end, value, words), = english_numbers(text, 0, len(text))
    assert text[start:end] == "two and a half million" and value == 2_500_000 and words


# --- properties ------------------------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """Render an int < 10**12 as a Chinese numeral (一千二百万零五), the way news writes it."""
    if n == 0:
        return "零"

    def below_10k(x: int, leading: bool) -> str:
        out, zero = "", False
        for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = x // value % 10
            if d:
                if zero and out:
                    out += "零"
                if not (d == 1 and unit == "十" and not out and leading):
                    out += _DIGITS[d]
                out += unit
                zero = False
            elif out:
                zero = True
        return out

    parts = []
    for value, unit in ((10**8, "亿"), (10**4, "万"), (1, "")):
        group = n // value % 10**4
        if group:
            if parts and group < 1000:
                parts.append("零")
            parts.append(below_10k(group, not parts) + unit)
        elif parts and parts[-1] != "零" and n % value:
            parts.append("零")
    return "".join(parts).rstrip("零")


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_chinese_rendering_reads_back(n: int) -> None:
    assert chinese_integer(to_chinese(n)) == n


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("零一二三四五六七八九十百千万亿兆两点分之又负几多余0123456789. ")), max_size=30))
def test_chinese_number_never_raises(text: str) -> None:
    value = chinese_number(text)
    assert value is None or isinstance(value, float)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["one", "two", "twenty", "hundred", "thousand", "million", "and", "a", "half",
                                 "fifths", "point", "over", "minus", "-", ",", "3", "4.5", "of", "first"]),
                max_size=12))
def test_english_numbers_never_raise(words: list[str]) -> None:
    text = " ".join(words)
    for start, end, _, _ in english_numbers(text, 0, len(text)):
        assert 0 <= start < end <= len(text)
