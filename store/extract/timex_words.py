"""The words of time expressions: month names, counts and ordinals, years written in words, Chinese
reign eras and five-year plans. Lookup tables and the arithmetic of reading them, no patterns of
where they occur (those are in timex_zh and timex_en).
"""

from __future__ import annotations

from tibet_facts.store.extract.numerals import (
    DIGITS,
    EN_ORD_UNITS,
    EN_TEENS,
    EN_TENS,
    EN_UNITS,
    chinese_integer,
    english_words,
)

EN_MONTHS = {
    name: i
    for i, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}
EN_MONTH_ABBREVIATIONS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
# Longest first, so that an alternation never stops at "jun" in "june" (patterns also end on \b).
EN_MONTH_WORDS = sorted([*EN_MONTHS, *EN_MONTH_ABBREVIATIONS], key=len, reverse=True)

EN_ORDINALS = {
    **{k: int(v) for k, v in EN_ORD_UNITS.items() if not k.endswith("s")},
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "last": -1,
    "final": -1,
}
EN_COUNTS = {
    **{k: int(v) for k, v in EN_UNITS.items()},
    **{k: int(v) for k, v in EN_TEENS.items()},
    "twenty": 20,
    "a couple of": 2,
    "couple of": 2,
}

# Which months a half or a quarter of a year covers.
HALVES = {1: (1, 6), 2: (7, 12)}

# Chinese reign eras (年号) of the dynasties Tibet's history is written in: the Tang eras of the
# Tubo treaties and marriages, the Ming, the Qing and the Republic. Year n of an era is
# start + n - 1 (元年 is year 1), as historians count it. Eras whose names are everyday words
# (文明, 中和, 大中, 先天, 太极, 建中, 上元) are left out: "大中型企业" must stay a phrase.
ERAS = {
    # Tang and Zhou
    "武德": 618,
    "贞观": 627,
    "永徽": 650,
    "显庆": 656,
    "龙朔": 661,
    "麟德": 664,
    "乾封": 666,
    "总章": 668,
    "咸亨": 670,
    "仪凤": 676,
    "调露": 679,
    "永隆": 680,
    "开耀": 681,
    "永淳": 682,
    "弘道": 683,
    "垂拱": 685,
    "天授": 690,
    "长寿": 692,
    "证圣": 695,
    "万岁通天": 696,
    "神功": 697,
    "圣历": 698,
    "久视": 700,
    "长安": 701,
    "神龙": 705,
    "景龙": 707,
    "景云": 710,
    "开元": 713,
    "天宝": 742,
    "至德": 756,
    "乾元": 758,
    "广德": 763,
    "大历": 766,
    "兴元": 784,
    "贞元": 785,
    "永贞": 805,
    "元和": 806,
    "长庆": 821,
    "宝历": 825,
    "大和": 827,
    "开成": 836,
    "会昌": 841,
    "咸通": 860,
    "乾符": 874,
    "广明": 880,
    "光启": 885,
    "景福": 892,
    "乾宁": 894,
    "光化": 898,
    "天复": 901,
    "天祐": 904,
    # Yuan (its later 至元 is left out: the name is shared)
    "中统": 1260,
    "大德": 1297,
    "至大": 1308,
    "皇庆": 1312,
    "延祐": 1314,
    "至治": 1321,
    "泰定": 1324,
    "天历": 1328,
    "至顺": 1330,
    "至正": 1341,
    # Ming
    "洪武": 1368,
    "建文": 1399,
    "永乐": 1403,
    "洪熙": 1425,
    "宣德": 1426,
    "正统": 1436,
    "景泰": 1450,
    "天顺": 1457,
    "成化": 1465,
    "弘治": 1488,
    "正德": 1506,
    "嘉靖": 1522,
    "隆庆": 1567,
    "万历": 1573,
    "泰昌": 1620,
    "天启": 1621,
    "崇祯": 1628,
    # Qing and the Republic
    "顺治": 1644,
    "康熙": 1662,
    "雍正": 1723,
    "乾隆": 1736,
    "嘉庆": 1796,
    "道光": 1821,
    "咸丰": 1851,
    "同治": 1862,
    "光绪": 1875,
    "宣统": 1909,
    "民国": 1912,
}
ERA_NAMES = sorted(ERAS, key=len, reverse=True)


# The n-th five-year plan (十三五 = the 13th, 2016-2020): the 1st ran 1953-1957, the 2nd
# 1958-1962, and after the three years of adjustment (1963-1965) the 3rd began in 1966.
def plan_years(n: int) -> tuple[int, int] | None:
    if n < 1 or n > 20:
        return None
    start = 1953 + 5 * (n - 1) if n <= 2 else 1966 + 5 * (n - 3)
    return start, start + 4


CN_DIGIT_CHARS = "〇零○一二三四五六七八九"
CN_COUNT_CHARS = "一二两三四五六七八九十"


def cn_count(text: str) -> int | None:
    """三 -> 3, 十一 -> 11, 两 -> 2, 12 -> 12; None when not a whole number."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    value = chinese_integer(text)
    return int(value) if value is not None and value == int(value) else None


def cn_year_digits(text: str) -> int | None:
    """A year read digit by digit: 二〇二三 -> 2023, 零八 -> 8 (the caller places it in a century)."""
    if not text or any(ch not in CN_DIGIT_CHARS for ch in text):
        return None
    return int("".join(str(DIGITS[ch]) for ch in text))


def two_digit_year(yy: int) -> int:
    """'08 -> 2008, '87 -> 1987: the nearer century for news dates (pivot at 50)."""
    return 2000 + yy if yy < 50 else 1900 + yy


def en_count(word: str) -> int | None:
    """Reads "three", "3", "a couple of" -> a whole number."""
    word = " ".join(word.lower().split())
    if word.isdigit():
        return int(word)
    if word in EN_COUNTS:
        return EN_COUNTS[word]
    value = english_words(word.replace("-", " ").split())
    return int(value) if value is not None and value == int(value) else None


def en_ordinal(word: str) -> int | None:
    """Reads "third", "3rd", "9th" -> 3, 3, 9; "last"/"final" -> -1."""
    word = word.lower()
    if word[:-2].isdigit() and word[-2:] in ("st", "nd", "rd", "th"):
        return int(word[:-2])
    return EN_ORDINALS.get(word)


_TWO_DIGITS = {**EN_TEENS, **EN_TENS}


def _pair(words: list[str]) -> int | None:
    """A two-digit group of a year read in pairs:
    "ninety six" -> 96, "oh five" -> 5, "hundred" -> 0."""
    if words == ["hundred"]:
        return 0
    if len(words) == 2 and words[0] in ("oh", "o", "zero") and words[1] in EN_UNITS:
        return int(EN_UNITS[words[1]])
    if len(words) == 1 and words[0] in _TWO_DIGITS:
        return int(_TWO_DIGITS[words[0]])
    if len(words) == 2 and words[0] in EN_TENS and words[1] in EN_UNITS and EN_UNITS[words[1]]:
        return int(EN_TENS[words[0]] + EN_UNITS[words[1]])
    return None


def en_spelled_year(text: str) -> int | None:
    """A year in words: "nineteen ninety six" (read in pairs), "two thousand and fifteen",
    "one thousand seven hundred and eighty nine", "two hundred and sixty seven"."""
    words = [w for w in text.lower().replace("-", " ").split() if w != "and"]
    if len(words) >= 2 and (words[0] in EN_TEENS and words[0] != "ten" or words[0] == "twenty"):
        rest = _pair(words[1:])
        if rest is not None:
            return int(_TWO_DIGITS[words[0]]) * 100 + rest
    value = english_words(text.lower().replace("-", " ").split())
    return int(value) if value is not None and value == int(value) else None
