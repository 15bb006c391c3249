"""Whether a figure is a level, a change, a growth rate or a share (gold conventions).

level: an amount (网络零售额280.2亿元); change: an absolute change (同比增长50.5亿元, 增加1个百分点,
新增99家); rate: a growth rate (同比增长27%, 增产30%); share: a part of a whole (占...比重21.6%,
覆盖率41%, 35%的行政村). A percentage with no cue of growth is a share. 增收 (income gained, 户均增收5000元) names an
amount, not a change of one.
"""

from __future__ import annotations

import re

_GROWTH = re.compile(
    r"(同比|环比|比上年|较上年|年均|平均)?(增长|增加|增速|增幅|上升|提高|提升|下降|减少|回落|增产|减产|降低|节省|节约|翻)"
    r"(了|达|至|约|近|超|超过)?$"
    r"|\b(?:grew|grow|growth|increase[sd]?|rose|rise|up|down|decline[sd]?|fell|drop(?:ped)?|cut|reduced|lowered|"
    r"decrease[sd]?|jump(?:ed)?|surged?|climbed|expanded)\b(?:\s+[\w-]+){0,4}\s*(?:by|of)?\s*$",
    re.I,
)
_NEW = re.compile(r"(新增|新建|新开|净增|增加了?|增长了?|多了|减少了?)$")
_TO_LEVEL = re.compile(r"(增至|增长到|升至|达到|提高到|提升到|降至|下降到|"
                       r"\b(?:rose|grew|increased|climbed|jumped|fell|dropped|declined|reached|hit)\s+to)$", re.I)
_SHARE = re.compile(r"占|比重|占比|比例|覆盖率|通达率|普及率|达标率|贡献率|参保率|渗透率|份额|率|share|proportion|of the|percent of|% of")


def kind_of(prefix: str, suffix: str, base_unit: str) -> str:
    """Classify from the clause text just before the number (prefix) and just after it (suffix)."""
    # Chinese puts the cue right before the number; English may put it a few words earlier
    # ("grew by an average of 20 percent").
    near = prefix[-14:] if re.search(r"[\u4e00-\u9fff]", prefix[-6:]) else prefix[-48:]
    percentish = base_unit in ("percent",)
    if base_unit == "percentage_point":
        return "change"
    if _TO_LEVEL.search(near.rstrip("约近超过达 ")):
        return "share" if percentish and _SHARE.search(prefix) else "level"
    growth = _GROWTH.search(near.rstrip("约近超过达突破 "))
    if percentish:
        if growth:
            return "rate"
        return "share"
    if growth or _NEW.search(near):
        return "change"
    return "level"


_QUALIFIER_BEFORE = (
    ("approx", re.compile(r"(近|约|大约|将近|接近|大概|左右|nearly|about|around|approximately|almost|roughly|some)\s*$", re.I)),
    ("over", re.compile(r"(超过|超|突破|逾|以上|多达|高达|上|over|more than|above|at least|in excess of)\s*$", re.I)),
    ("under", re.compile(r"(不到|不足|少于|低于|未满|less than|under|below|fewer than|up to)\s*$", re.I)),
)
_QUALIFIER_AFTER = (
    ("approx", re.compile(r"^\S{0,4}?(左右|上下)")),
    ("over", re.compile(r"^[^\d，,。]{0,4}?(余|多|以上|有余|出头)|^\s*(or more|plus)\b", re.I)),
    ("under", re.compile(r"^[^\d，,。]{0,4}?(以下|以内)|^\s*or (less|fewer)\b", re.I)),
)


def qualifier_of(prefix: str, after: str, parsed: str) -> str:
    """The parser's qualifier, else cue words right before or after the mention."""
    if parsed and parsed != "exact":
        return parsed
    for name, pattern in _QUALIFIER_BEFORE:
        if pattern.search(prefix[-12:]):
            return name
    for name, pattern in _QUALIFIER_AFTER:
        if pattern.search(after[:8]):
            return name
    return "exact"
