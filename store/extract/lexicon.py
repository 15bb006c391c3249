"""Words that several extraction rules share: English month names and qualifier words.

One home, so that a month spelled "Sept." or a qualifier such as 约合 is added once for every
rule that needs it. Words before a number are matched where they reach it and months at a
word's edge, so their order does not matter (约 before 约为, Sep before Sept); words after a
number are tried in order, so a longer one must come before a shorter one that starts it.
"""

from __future__ import annotations

EN_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
# Abbreviations as news writes them, with or without a full stop ("Jan. 15", "Sept 3").
EN_MONTH_ABBREVIATIONS = (
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
)
# Any English month, full or abbreviated, with an optional full stop; match it with re.I.
EN_MONTH = "(?:" + "|".join(EN_MONTH_NAMES + EN_MONTH_ABBREVIATIONS) + r")\.?"

# Words right before a number that qualify it, by qualifier. "不超过" is under, not over:
# the pattern built from these is searched for the leftmost word that reaches the number.
QUALIFIERS_BEFORE: dict[str, tuple[str, ...]] = {
    "approx": (
        "近", "约", "大约", "将近", "接近", "大概", "约为", "约合",
        "nearly", "about", "around", "approximately", "almost", "roughly",
    ),
    "over": (
        "超过", "超", "突破", "逾", "多达", "高达", "不少于", "至少",
        "over", "more than", "above", "at least", "in excess of", "upwards of",
    ),
    "under": (
        "不到", "不足", "少于", "低于", "未满", "不超过",
        "less than", "under", "below", "fewer than", "up to",
    ),
}

# Words right after a number (or its unit) that qualify it: 3万人以上, 50人左右, 十余万.
QUALIFIERS_AFTER: dict[str, str] = {
    "以上": "over", "左右": "approx", "上下": "approx", "以下": "under", "以内": "under",
    "有余": "over", "多": "over", "余": "over", "之多": "over",
}
# 几 qualifies a number only before its multiplier (50几万), never after its unit.
QUALIFIERS_INSIDE: dict[str, str] = {"几": "over"}

# One Chinese character (the CJK Unified Ideographs block), for patterns to build on.
HAN = r"[\u4e00-\u9fff]"
