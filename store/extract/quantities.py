"""The quantity parser: every number in a text, with its unit, multiplier, qualifier and role.

Reads Arabic numbers (1,432  35.6  1.3e6), Chinese numerals (一千二百万 两成 三点五 二分之一),
English number words (two million, twenty-five), multipliers (万 亿 thousand million billion),
currencies (元 亿元 美元 yuan RMB $ €), percentages (% 百分之 个百分点 成 折 percent), counts with
measure words (个 家 人 人次 户 件 项 场 款), physical units (吨 千瓦时 兆瓦 MW 平方公里 亩 米),
qualifiers (近 约 左右 超 突破 余 多 以上 不到 nearly over more than) and ranges (30%-60%).

Every number is returned; `role` says whether it is an amount or why it is not a fact: a year,
a date, an ordinal (第二届), part of a name or code (5G, 国道318线, "1+6+N"), a clock time, or a
numeral used as a word (一批, 三大支柱产业, 六个坚持). Extraction keeps role == "amount".
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from importlib import resources

from tibet_facts.store.extract.lexicon import (
    EN_MONTH,
    HAN,
    QUALIFIERS_AFTER,
    QUALIFIERS_BEFORE,
    QUALIFIERS_INSIDE,
)
from tibet_facts.store.extract.numerals import DIGITS, EN_NUMBER_WORDS, chinese_number, english_numbers

CN_MULT = {"十": 10, "百": 100, "千": 1e3, "万": 1e4, "亿": 1e8, "萬": 1e4, "億": 1e8, "兆": 1e12}
EN_MULT = {"hundred": 100, "mil": 1e6, "tln": 1e12, "tn": 1e12, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "k": 1e3, "m": 1e6, "mn": 1e6,
           "bn": 1e9, "b": 1e9, "mln": 1e6, "bln": 1e9, "lakh": 1e5, "crore": 1e7}


@dataclass(frozen=True, slots=True)
class Quantity:
    """One number as read: where it is, what it says, in base units, and whether it is an amount."""

    start: int
    end: int
    unit_end: int
    value: float
    unit: str
    base_value: float
    base_unit: str
    qualifier: str
    role: str
    low_high: str = ""


# --- lexicons ------------------------------------------------------------------------------

@cache
def _units() -> dict[str, dict[str, object]]:
    data = resources.files("tibet_facts.store.extract").joinpath("data", "units.json").read_text("utf-8")
    units: dict[str, dict[str, object]] = json.loads(data)
    return units


@cache
def _zh_unit_re() -> re.Pattern[str]:
    forms = sorted(_units()["zh"], key=len, reverse=True)
    return re.compile("|".join(re.escape(f) + ("(?![A-Za-z])" if f[-1].isascii() else "") for f in forms))


@cache
def _en_unit_re() -> re.Pattern[str]:
    forms = sorted(_units()["en"], key=len, reverse=True)
    body = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)
    return re.compile(rf"(?:{body})(?![A-Za-z])", re.I)


# --- text folding -----------------------------------------------------------------------------

# One character for one character, so offsets never move: full-width ASCII, ideographic space,
# traditional numeral and unit characters (億 萬 兩 個 點), Unicode minus and thin spaces.
_FOLD = str.maketrans({
    **{chr(0xFF01 + i): chr(0x21 + i) for i in range(94) if i != 0x0B},
    "\u3000": " ", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "−": "-",
    "個": "个", "點": "点", "萬": "万", "億": "亿", "兩": "两", "倆": "俩", "貳": "贰", "陸": "陆", "幾": "几",
    "圓": "圆", "負": "负", "對": "对", "噸": "吨", "餘": "余", "裡": "里", "隻": "只", "張": "张", "種": "种",
    "項": "项", "間": "间", "臺": "台",
})
# A full-width comma is a thousands separator only between full-width digits (９，９９９); elsewhere
# it separates clauses ($20，300美圆 is two prices).
_FW_COMMA = re.compile(r"(?<=[０-９])，(?=[０-９]{3})")
# OCR and typesetting put spaces inside Chinese numerals and between a number and its unit
# ("一 百 五 十 个 百 分 点", "31 家"); they are dropped before scanning and offsets mapped back.
_GAP = re.compile(r"(?<=[\u3400-\u9fff\d%])[ \t]+(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])[ \t]+(?=[\d.])")


def _compact(text: str) -> tuple[str, list[int], list[int]]:
    """text without CJK-adjacent spaces, the compact offsets of each gap, and the removed length before it."""
    if " " not in text and "\t" not in text:
        return text, [], []
    parts, cpos, removed = [], [], []
    last, gone = 0, 0
    for m in _GAP.finditer(text):
        parts.append(text[last:m.start()])
        gone += m.end() - m.start()
        cpos.append(m.start() - (gone - (m.end() - m.start())))
        removed.append(gone)
        last = m.end()
    if not cpos:
        return text, [], []
    parts.append(text[last:])
    return "".join(parts), cpos, removed


def _unmap(pos: int, cpos: list[int], removed: list[int], end: bool = False) -> int:
    """A compact offset back to the original text (an exclusive end stays glued to its last char)."""
    i = bisect_right(cpos, pos - 1 if end else pos)
    return pos + (removed[i - 1] if i else 0)


# --- the scanner ------------------------------------------------------------------------------

_CN_DIGIT = "零〇一二三四五六七八九两俩壹贰叁肆伍陆柒捌玖仨"
_CN_CLASS = f"[{_CN_DIGIT}十拾百佰千仟万亿兆廿卅]"
_CN_NUMERAL = rf"{_CN_CLASS}(?:{_CN_CLASS}|[几](?<=[十拾百佰千仟万亿零][几])|[多余](?=[万亿]))*"
_AR_NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?:\.\d+)?"
_ANY_NUMBER = rf"(?:{_AR_NUMBER}|{_CN_NUMERAL}(?:点[{_CN_DIGIT}\d]+)?)"
_VULGAR = {"½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅕": 0.2, "⅖": 0.4, "⅗": 0.6, "⅘": 0.8,
           "⅙": 1 / 6, "⅚": 5 / 6, "⅛": 0.125, "⅜": 0.375, "⅝": 0.625, "⅞": 0.875}
_PCT_SCALE = {"百": 1.0, "佰": 1.0, "千": 0.1, "仟": 0.1, "万": 0.01, "百万": 1e-4, "千万": 1e-5, "万万": 1e-6,
              "百万万": 1e-8}
_MIX_STEP = r"[十百千万亿]+(?:零?\d+(?![\d.])|零?[一二三四五六七八九两][十百千])"

_NUMBER = re.compile(
    # The lookahead lets the engine skip the many characters that cannot start a number cheaply.
    rf"(?=[\d.\-负{''.join(_VULGAR)}{_CN_DIGIT}十拾百佰千仟万亿兆廿卅半对])"
    rf"(?:(?P<pct>(?<![{_CN_DIGIT}十拾百佰千仟万亿\d])(?:百万万|百万|千万|万万|[百佰千仟万])分之[-负]?{_ANY_NUMBER})"
    rf"|(?P<frac>(?<![\d.])[-负]?{_ANY_NUMBER}(?:又{_ANY_NUMBER})?分之[-负]?{_ANY_NUMBER})"
    r"|(?P<arfrac>(?<![\d./])(?<!\d,)(?:(?<![-A-Za-z0-9_%)\]])-\s?)?(?:\d+\s{1,2})?\d+\s?/\s?\d+(?![\d/]))"
    rf"|(?P<vf>(?<![\d.])(?:\d+\s?)?[{''.join(_VULGAR)}])"
    rf"|(?P<mix>(?<![\d.])\d+(?:\.\d+)?(?:{_MIX_STEP})+[十百千万亿]*)"
    r"|(?P<ar>(?<!\d)(?<!\d\.)(?:(?<![-A-Za-z0-9_%)\]])-\s?)?"
    r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?: \d{3})+(?![\d,])|\d+|(?<![.\d])(?=\.\d))(?:\.\d+)?"
    r"(?:×10\^?-?\d{1,3}|[eE][-+]?\d{1,3}(?![\w.]))?)"
    rf"|(?P<half>对折|半百|半(?=成|折|斤|两|吨|公斤|米|公里))"
    rf"|(?P<cn>{_CN_NUMERAL}(?:点[{_CN_DIGIT}\d]+)?))"
)
_EN_WORD_ALT = "|".join(sorted(EN_NUMBER_WORDS, key=len, reverse=True))
_EN_ATOM = rf"(?:{_EN_WORD_ALT})\b|\d+(?:,\d{{3}})*(?:\.\d+)?(?![\d.])"
_EN_CONN = r"(?:\s*-\s*|,\s+|\s+(?:and|&)\s+|\s+(?:point|over|out\s+of|of\s+an?)\s+|\s+(?:an?)\s+|\s+)"
_EN_LEAD = r"(?:(?:minus|negative)\s+)?(?:(?:a|an)\s+)?"
_EN_RUN = re.compile(
    rf"\b(?:{_EN_LEAD}(?:{_EN_WORD_ALT})\b|(?<![\d.,])\d+(?:,\d{{3}})*(?:\.\d+)?(?={_EN_CONN}(?:an?\s+)?(?:{_EN_WORD_ALT}|over\s|out\s+of\s)))"
    rf"(?:{_EN_CONN}(?:(?:minus|negative|an?)\s+)?(?:{_EN_ATOM}))*",
    re.I,
)
_EN_WORDY = re.compile(rf"(?i)\b(?:{_EN_WORD_ALT}|a|an|minus|negative|over|out)\b")
_EN_PLAIN_SCALE = re.compile(r"^[\d.,]+\s*(?:-\s*)?(?:thousand|million|billion|trillion|hundred)$", re.I)


_CN_AFTER = re.compile(r"\s?(?P<q1>[多余几])?(?P<mult>[十百千万亿]{1,3})?(?P<q2>[多余])?")
_EN_AFTER = re.compile(r"(?:\s*-\s*|\s*)(?P<mult>(?i:thousand|million|billion|trillion|hundred|mln|bln|tln|mil|mn|bn|tn)"
                       r"|MM|k|K|M|m|B|b|G|T)(?![A-Za-z])")
_TRAIL_Q = re.compile(r"\s?(" + "|".join(QUALIFIERS_AFTER) + ")")
# One search; the leftmost word that reaches the number wins, so 不超过 is "under", not "over".
_BEFORE_Q = re.compile(
    "(?:"
    + "|".join(f"(?P<{name}>{'|'.join(words)})" for name, words in QUALIFIERS_BEFORE.items())
    + r")\s*$", re.I)
_AFTER_Q = {**QUALIFIERS_AFTER, **QUALIFIERS_INSIDE}
_SYMBOL_AFTER = re.compile(r"\s?([€£¥$₡₾₭₹₩₽₺₦₱฿]|ரூ)")
_SYMBOL = re.compile(r"(US\$|HK\$|\$|¥|￥|€|£|₭|₹|₩|RMB|CNY|USD|EUR|GBP|JPY)\s?$", re.I)
_PERCENT_PREFIX = re.compile(r"(百分之|千分之|万分之)$")
_CN_IDIOM_FOLLOW = re.compile(r"^(大|个(?=[^\d]{0,3}[”\"])|批|些|点|起|体|道|样|致|同|直|定|般|切|度|线|流|带|路|季度|方面|手|心|揽子|站式|把手|级)")
_NAME_BEFORE = re.compile(r"(国道|省道|县道|G|S|第|首|No\.|#|Top|TOP|top|[A-Za-z]-?)$")
_NAME_AFTER = re.compile(r"^(线|号线|号|路|G|[A-Za-z](?![a-z]{2,})|[+＋]|:\d|：\d|/F|级|型|届|世纪|周年|代)")
_ORDINAL_BEFORE = re.compile(r"(第|首|第\s)$")
_ORDINAL_EN = re.compile(r"^(st|nd|rd|th)\b")
_EN_MONTHS = EN_MONTH
_EN_DATE_BEFORE = re.compile(rf"{_EN_MONTHS}\s*$", re.I)
_EN_DATE_AFTER = re.compile(rf"^\s*{_EN_MONTHS}\b", re.I)
_EN_COUNT_STOP = {
    "are", "is", "was", "were", "be", "been", "have", "has", "had", "in", "of", "to", "for", "from", "with", "by", "on",
    "at", "and", "or", "that", "which", "who", "will", "would", "can", "could", "as", "than", "per", "each", "a", "an",
    "the", "this", "these", "those", "it", "its", "their", "more", "less", "about", "over", "under", "into", "after",
    "before", "since", "during", "while", "through", "across", "so", "but", "not", "also", "all", "up", "out",
}



def _qualifier(text: str, start: int, unit_end: int, trail: str) -> str:
    before = text[max(0, start - 14):start]
    m = _BEFORE_Q.search(before)
    if m:
        return m.lastgroup or "exact"
    if before.endswith("上") and text[start:start + 1] in "百千万":
        return "over"
    return _AFTER_Q.get(trail, "exact")


def _zh_unit(text: str, pos: int) -> tuple[str, str, float, int]:
    """Unit written at pos: (as written, base unit, factor, end)."""
    m = _zh_unit_re().match(text, pos)
    if not m:
        return "", "", 1.0, pos
    form = m.group(0)
    entry: list[object] = _units()["zh"][form]  # type: ignore[assignment]
    return form, str(entry[0]), float(str(entry[1])), m.end()


def _block_money(text: str, pos: int) -> tuple[str, str, float, int] | None:
    """块 is money (三块, 三块钱) unless a noun follows (48块电子显示屏)."""
    if text.startswith("块钱", pos):
        return "块钱", "CNY", 1.0, pos + 2
    if text.startswith("块", pos):
        nxt = text[pos + 1:pos + 2]
        if not nxt or not _RX1.match(nxt) or nxt in "五半":
            return "块", "CNY", 1.0, pos + 1
        return "块", "count", 1.0, pos + 1
    return None


def _en_unit(text: str, pos: int) -> tuple[str, str, float, int]:
    m = re.compile(r"\s*(?:-\s*)?").match(text, pos)
    at = m.end() if m else pos
    um = _en_unit_re().match(text, at)
    if um:
        form = re.sub(r"\s+", " ", um.group(0).lower())
        entry: list[object] = _units()["en"][form]  # type: ignore[assignment]
        base, factor = str(entry[0]), float(str(entry[1]))
        end = um.end()
        # "yuan RMB", "million yuan (RMB)"
        extra = re.compile(r"\s+(RMB|CNY)\b").match(text, end)
        return text[at:(extra.end() if extra else end)], str(base), float(factor), extra.end() if extra else end
    if text.startswith("%", at) and at - pos <= 1:
        return "%", "percent", 1.0, at + 1
    return "", "", 1.0, pos


def _en_count_noun(text: str, pos: int) -> tuple[str, int]:
    """The head noun of a counted English noun phrase: '744 online stores are' -> 'stores'."""
    words = list(re.finditer(r"\s+([A-Za-z][A-Za-z\-']*)", text[pos:pos + 80]))
    last: re.Match[str] | None = None
    expected = pos
    for w in words[:5]:
        if w.start() + pos != expected:
            break
        word = w.group(1)
        if word.lower() in _EN_COUNT_STOP or word[0].isupper() or word.lower() in EN_NUMBER_WORDS:
            break
        last = w
        expected = pos + w.end()
        if word.lower().endswith("s") and not word.lower().endswith(("ss", "us")):
            break
    if last is None:
        return "", pos
    return last.group(1), pos + last.end()


@dataclass(slots=True)
class _Raw:
    start: int
    end: int
    value: float
    script: str  # ar, cn, en, mix (5万4千), pct (百分之三十), half (半成, 对折)
    scale: float = 1.0  # for pct: the percent per unit written (千分之 = 0.1)


def _ar_value(text: str) -> float | None:
    text = text.replace(" ", "").replace(",", "")
    mant, _, exp = text.partition("×10")
    try:
        value = float(mant)  # 1.3e6 is read by float itself
        return value * 10 ** int(exp.lstrip("^")) if exp else value
    except (ValueError, OverflowError):
        return None


_FRAC = re.compile(r"(-)?\s?(?:(\d+)\s+)?(\d+)\s?/\s?(\d+)")


def _frac_value(text: str) -> float | None:
    """3/5, 2 1/2, - 1 4/5."""
    m = _FRAC.fullmatch(text)
    if not m or not float(m.group(4)):
        return None
    value = float(m.group(2) or 0) + float(m.group(3)) / float(m.group(4))
    return -value if m.group(1) else value


def _vulgar_value(text: str) -> float:
    whole = text[:-1].strip()
    return (float(whole) if whole else 0.0) + _VULGAR[text[-1]]


def _pct_raw(m: re.Match[str]) -> _Raw | None:
    s = m.group(0)
    head, _, number = s.partition("分之")
    if number[-1] in "百千" and m.string.startswith(("分点", "分位", "分比"), m.end()):
        number = number[:-1]  # 百分之七十百分位
        m_end = m.end() - 1
    else:
        m_end = m.end()
    value = _ar_value(number) if _RX2.fullmatch(number) else chinese_number(number)
    k = re.compile(r"\s?[kK](?![A-Za-z])").match(m.string, m_end)
    if value is not None and k:  # 百分之15K
        return _Raw(m.start(), k.end(), value * 1000, "pct", _PCT_SCALE[head])
    return None if value is None else _Raw(m.start(), m_end, value, "pct", _PCT_SCALE[head])


def _numbers(text: str) -> list[_Raw]:
    """Every numeral in text, left to right, not overlapping; English runs win over the digits they hold."""
    out: list[_Raw] = []
    for m in _NUMBER.finditer(text):
        kind = m.lastgroup or ""
        s = m.group(0)
        if len(s) > 64:
            continue  # no number is written this long; reading one would cost quadratic time
        v: float | None
        if kind == "pct":
            raw = _pct_raw(m)
            if raw:
                out.append(raw)
            continue
        if kind == "ar":
            v = _ar_value(s)
        elif kind == "arfrac":
            v, kind = _frac_value(s), "ar"
        elif kind == "vf":
            v, kind = _vulgar_value(s), "ar"
        elif kind == "half":
            v = {"半": 0.5, "半百": 50.0}.get(s, 5.0)
            kind = "cn" if s == "半百" else kind
        elif kind == "frac":
            v, kind = chinese_number(s), "cn"
        else:
            v = chinese_number(s)
        if v is None:
            continue
        out.append(_Raw(m.start(), m.end(), v, kind))
    if _RX3.search(text):
        out = _merge_english(text, out)
    return [_trim_unit_char(text, r) if r.script == "cn" else r for r in out]


_ARTICLE = re.compile(r"\b[Aa]n?\s+(?=[a-z])")
_TIME_UNITS = {"year", "month", "week", "day", "hour", "minute", "second"}


def _article_units(text: str) -> list[_Raw]:
    """'a dozen eggs', 'a gallon of beer', 'a penny': the article counts one of a unit (role word)."""
    out = []
    for m in _ARTICLE.finditer(text):
        um = _en_unit_re().match(text, m.end())
        if not um or um.group(0).lower() in ("m", "l", "t", "mu", "won", "in"):
            continue
        entry: list[object] = _units()["en"].get(re.sub(r"\s+", " ", um.group(0).lower()), ["", 1])  # type: ignore[assignment]
        if entry[0] and entry[0] not in _TIME_UNITS:
            out.append(_Raw(m.start(), m.start() + len(m.group(0).rstrip()), 1.0, "en"))
    return out


_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.&'-]*")


def _merge_english(text: str, out: list[_Raw]) -> list[_Raw]:
    words: list[_Raw] = _article_units(text)
    done = 0
    for span in _LATIN.finditer(text):
        if not _EN_WORDY.search(text, span.start(), span.end()):
            continue  # GDP, 5G, km: no number words, nothing for the English reader
        # A run may start with digits just before the words (449 million, 3 hundred and 21).
        for m in _EN_RUN.finditer(text, max(done, span.start() - 24), span.end()):
            done = m.end()
            for start, end, value, has_words in english_numbers(text, m.start(), m.end()):
                if has_words and not _EN_PLAIN_SCALE.match(text[start:end]):
                    words.append(_Raw(start, end, value, "en"))
    if not words:
        return out
    words.sort(key=lambda r: (r.start, -r.end))
    merged: list[_Raw] = []
    for w in words:
        if not merged or w.start >= merged[-1].end:
            merged.append(w)
    ends = [w.end for w in merged]
    kept = [r for r in out if not _overlaps(merged, ends, r)]
    return sorted(kept + merged, key=lambda r: r.start)


def _overlaps(spans: list[_Raw], ends: list[int], r: _Raw) -> bool:
    """Whether r overlaps one of spans (in order, not overlapping each other, so their ends are in
    order too): the first that ends after r starts is the only candidate. A bisection, not a scan
    of every English number for every digit."""
    i = bisect_right(ends, r.start)
    return i < len(spans) and spans[i].start < r.end


def _trim_unit_char(text: str, raw: _Raw) -> _Raw:
    """三千比特 is 3 kilobits and 五十兆字节 50 MB: a trailing 千/兆 that starts a unit belongs to the unit;
    二两 and 三千两百两 end in the weight 两, not in a digit."""
    last = text[raw.end - 1]
    if raw.end - raw.start < 2:
        return raw
    if last in "百千" and text.startswith(("分点", "分位", "分比", "分之"), raw.end):
        pass  # 百分之七十百分位: the 百 starts 百分位
    elif last in "千兆":
        um = _zh_unit_re().match(text, raw.end - 1)
        if not um or len(um.group(0)) < 2 or um.group(0) in ("千米", "千克"):
            return raw
    elif last != "两" or text[raw.end - 2] not in _CN_DIGIT + "十百千万亿拾佰仟" or text[raw.end - 2] == "两" and raw.end - raw.start == 2:
        return raw
    value = chinese_number(text[raw.start:raw.end - 1])
    return raw if value is None else _Raw(raw.start, raw.end - 1, value, raw.script)


def _negate(text: str, raw: _Raw) -> _Raw:
    """负3.9%, 负十, minus 5: a sign word right before the number."""
    if raw.script == "en" or raw.value < 0:
        return raw
    before = text[raw.start - 1:raw.start] if raw.start else ""
    if before == "负":
        return _Raw(raw.start - 1, raw.end, -raw.value, raw.script, raw.scale)
    if before != " ":
        return raw
    m = _RX4.search(text[max(0, raw.start - 10):raw.start])
    if m and raw.script == "ar":
        return _Raw(raw.start - len(m.group(0)), raw.end, -raw.value, raw.script, raw.scale)
    return raw


def _cn_after(text: str, raw: _Raw) -> tuple[float, str, str, int]:
    """Vague words and multipliers after a number: 3万余, 50多万, 1.4万; Chinese numerals keep theirs."""
    m = _CN_AFTER.match(text, raw.end)
    if not m or not (m.group("mult") or m.group("q1")):
        return 1.0, "", "", raw.end
    if raw.script in ("cn", "mix") and m.group("mult"):
        return 1.0, "", m.group("q1") or "", raw.end + len(m.group("q1") or "") if m.group("q1") else raw.end
    mult = 1.0
    for ch in m.group("mult") or "":
        mult *= CN_MULT[ch]
    return mult, (m.group("mult") or ""), m.group("q1") or m.group("q2") or "", m.end()


def _zh_unit_after(text: str, pos: int, mult_written: str) -> tuple[str, str, float, int]:
    block = _block_money(text, pos)
    if block:
        return block
    return _zh_unit(text, pos)


def _read(text: str, raw: _Raw) -> Quantity | None:
    value = raw.value
    pos = raw.end
    mult, mult_written, trail = 1.0, "", ""
    unit_form, base_unit, factor, unit_end = "", "", 1.0, pos
    if raw.script == "pct":
        unit_form, base_unit, factor = ("%" if raw.scale == 1 else "‰"), "percent", raw.scale
    elif raw.script == "half":
        s = text[raw.start:raw.end]
        if s == "对折":
            unit_form, base_unit, factor, value = "折", "percent", 1.0, 50.0
        else:
            unit_form, base_unit, factor, unit_end = _zh_unit(text, pos)
            if unit_form == "折":
                factor = 100.0
    elif raw.script in ("ar", "cn", "mix"):
        # A unit that starts with a multiplier character (千瓦, 千米, 兆瓦) beats reading the multiplier.
        direct = _zh_unit(text, pos + (1 if text[pos:pos + 1] == " " else 0))
        money = raw.script == "ar" and _SYMBOL.search(text[max(0, raw.start - 4):raw.start].rstrip("- "))
        if money and direct[0][:1].isascii() and _EN_AFTER.match(text, pos):
            unit_form, base_unit, factor, unit_end, mult, mult_written, _ = _english_after(text, raw, pos)
        elif direct[0] and direct[0][0] in "千兆百" and len(direct[0]) > 1:
            unit_form, base_unit, factor, unit_end = direct
        else:
            mult, mult_written, trail, mult_end = _cn_after(text, raw)
            unit_start = mult_end + (1 if not mult_written and text[pos:pos + 1] == " " else 0)
            unit_form, base_unit, factor, unit_end = _zh_unit_after(text, unit_start, mult_written)
            if not unit_form and raw.script == "ar" and not mult_written and not trail:
                unit_form, base_unit, factor, unit_end, mult, mult_written, mult_end = _english_after(text, raw, pos)
                mult_written = mult_written.strip()
                if not unit_form and mult_written:
                    unit_form, base_unit, factor, unit_end = _zh_unit(text, mult_end)
            if not unit_form:
                unit_end = mult_end
        if unit_form and base_unit not in ("percent", "percentage_point", "count", "person", "person_time",
                                           "household", "item", "other", "") and text.startswith("半", unit_end):
            value, unit_end = value + 0.5, unit_end + 1  # 一吨半, 三斤半
        elif unit_form in ("成", "折"):
            value, factor, unit_end = _tenths(text, value, unit_form, factor, unit_end)
    else:
        unit_form, base_unit, factor, unit_end, mult, mult_written = _english_words_after(text, pos)
    written_unit = (mult_written + (" " if mult_written and unit_form[:1].isascii() and unit_form and
                                    mult_written[-1:].isascii() else "") + unit_form).strip()
    return _finish(text, raw, value, mult, factor, unit_form, written_unit, base_unit, unit_end, trail)


def _tenths(text: str, value: float, unit: str, factor: float, end: int) -> tuple[float, float, int]:
    """三成半 = 35 %, 七成六 = 76 %, 八五折 = 85 %: tenths, with a trailing half or digit."""
    nxt = text[end:end + 1]
    if nxt == "半":
        return value + 0.5, factor, end + 1
    if nxt and nxt in DIGITS and text[end + 1:end + 2] not in ("成", "折", "个", "年") and value == int(value) < 10:
        return value + DIGITS[nxt] / 10, factor, end + 1
    if unit == "折" and value >= 10:
        return value, 1.0, end
    return value, factor, end


def _english_words_after(text: str, pos: int) -> tuple[str, str, float, int, float, str]:
    unit_form, base_unit, factor, unit_end = _en_unit(text, pos)
    if not unit_form:
        noun, noun_end = _en_count_noun(text, pos)
        if noun:
            unit_form, unit_end = noun, noun_end
            entry: list[object] = _units()["en"].get(noun.lower(), ["count", 1])  # type: ignore[assignment]
            base_unit = str(entry[0])
    return unit_form, base_unit, factor, unit_end, 1.0, ""


def _finish(text: str, raw: _Raw, value: float, mult: float, factor: float, unit_form: str, written_unit: str,
            base_unit: str, unit_end: int, trail: str) -> Quantity:
    tm = _TRAIL_Q.match(text, unit_end)
    if tm and not trail:
        trail = tm.group(1)
    if raw.script == "ar":
        sym = _SYMBOL.search(text[max(0, raw.start - 4):raw.start])
        if sym and base_unit in ("", "count"):
            base_unit = str(_units()["symbols"].get(sym.group(1).lower(), "USD"))
            written_unit = (sym.group(1) + " " + written_unit).strip()
        after = _SYMBOL_AFTER.match(text, unit_end)
        if after and base_unit in ("", "count"):
            base_unit = str(_units()["symbols_after"].get(after.group(1).lower(), "other"))
            written_unit = (written_unit + " " + after.group(1)).strip()
            unit_end = after.end()
    if base_unit in ("", "count") and raw.start and text[raw.start - 1] == " " and _RX5.search(
            text[max(0, raw.start - 20):raw.start]):
        base_unit, written_unit = "percent", "%"
    if not base_unit:
        base_unit = "count" if written_unit else ""
    base_value = value * mult * factor
    if tm and tm.group(1) in _AFTER_Q:
        unit_end = max(unit_end, tm.end())
    role = _role(text, raw, unit_form, base_unit, mult, unit_end)
    if role == "amount" and text[unit_end:unit_end + 1] == "级" and unit_form:
        role = "word"  # 万亩级, 百亿级: a scale adjective, not an amount
    start = raw.start
    if raw.script == "pct":
        start = raw.start
    qualifier = _qualifier(text, start, unit_end, trail)
    if raw.script == "cn" and text[max(0, raw.start - 1):raw.start] in ("数", "几") and qualifier == "exact":
        qualifier = "approx"  # 数十亿, 几百万: some tens of hundreds of millions
    if raw.script == "cn" and _RX6.search(text[raw.start:raw.end]) and qualifier == "exact":
        qualifier = "over"
    if raw.script == "ar" and "," in text[raw.start:raw.end] and not re.fullmatch(
            r"-?\s?\d{1,3}(,\d{3})+(\.\d+)?", text[raw.start:raw.end]):
        role = "number"
    return Quantity(start=raw.start, end=raw.end, unit_end=max(unit_end, raw.end), value=value,
                    unit=written_unit.strip(), base_value=base_value, base_unit=base_unit or "count",
                    qualifier=qualifier, role=role)


def _role(text: str, raw: _Raw, unit: str, base_unit: str, mult: float, unit_end: int) -> str:
    s, e = raw.start, raw.end
    before, after = text[max(0, s - 6):s], text[e:e + 8]
    number = text[s:e]
    if raw.script == "ar":
        if _ROAD_AFTER.match(after):
            return "name"  # 109国道, 318号公路: a road's number
        if after.startswith("周年"):
            return "ordinal"  # 成立75周年: an anniversary
        if unit == "日" and _is_day_of_month(raw.value, before):
            return "date"  # 记者26日获悉: the 26th, not 26 days (news writes durations with 天)
        if _RX7.match(after) or _RX8.search(before):
            return "time"
        if _ORDINAL_BEFORE.search(before) or _ORDINAL_EN.match(after):
            return "ordinal"
        year_like = _RX9.fullmatch(number) is not None
        if year_like and (after.startswith(("年", "-", "—", "–", "～", "~", "至")) or not unit or unit == "年"):
            if mult == 1:
                return "year"
        if after.startswith(("月", "日", "号")) and not unit:
            return "date"
        if _RX10.match(after) or _RX11.match(after) and not unit:
            return "date"
        if _RX12.search(before) and _RX13.match(after):
            return "date"
        if _EN_DATE_BEFORE.search(text[max(0, s - 12):s]) or _EN_DATE_AFTER.match(after) and not unit:
            return "date"
        if _NAME_BEFORE.search(before[-3:]) and not _RX14.search(before):
            if not (before.endswith(("第", "首"))):
                return "name"
        if _NAME_AFTER.match(text[e:e + 4]) and not unit and mult == 1:
            return "name"
        if _RX15.search(before):
            return "name"
        if _RX16.fullmatch(number) and not unit and mult == 1:
            return "code"
        if _RX17.fullmatch(number) or _RX18.match(after) or _RX19.search(before):
            if not unit and mult == 1:
                return "code"  # 0891-6833333: a phone number, a leading zero or digits joined by dashes
        if unit == "年" and _RX20.search(before) or text.startswith("年前", e):
            return "duration"
        if unit in ("小时", "个小时") and raw.value == 24 and _RX21.match(after):
            return "word"
    if raw.script == "cn":
        return _cn_role(text, raw, unit, base_unit, mult, unit_end)
    if base_unit in ("year", "month", "day", "week") and _DURATION_BEFORE.search(text[max(0, s - 9):s] + " "):
        return "duration"
    if raw.script == "en":
        if _QUARTERS.search(number) and _DURATION_BEFORE.search(text[max(0, s - 9):s] + " "):
            return "duration"  # the first three quarters: a period, not 0.75
        if _EN_PLAIN_SCALE_WORD.fullmatch(number) and _VAGUE_BEFORE.search(text[max(0, s - 12):s]):
            return "word"  # several million acres: no figure is stated
        if _RX22.search(before.lower()):
            return "word"
        if number.lower() in ("a", "an") or number.lower() == "one" and not unit:
            return "word"
    return "amount"


def _is_day_of_month(value: float, before: str) -> bool:
    """Whether N日 is a date: a whole number of a month's days, not after a duration word."""
    return value == int(value) and 1 <= value <= 31 and not _RX20.search(before)


# A road's number: 109国道, 318号公路, G318 is caught by _NAME_BEFORE.
_ROAD_AFTER = re.compile(r"^(?:国道|省道|县道|号公路|号国道)")
# Words before a count of time units that make it a period or duration, not an amount.
_DURATION_BEFORE = re.compile(r"\b(?:after|for|in|within|over|past|last|next|or|ago|first|previous|recent)\s+$",
                              re.I)
_QUARTERS = re.compile(r"\bquarters?$", re.I)
# A scale word alone after a vague determiner: "several million", "a few thousand".
_EN_PLAIN_SCALE_WORD = re.compile(r"(?:hundreds?|thousands?|millions?|billions?)", re.I)
_VAGUE_BEFORE = re.compile(r"\b(?:several|few|some|many|tens\s+of|dozens\s+of)\s+$", re.I)


_CN_QUOTED = re.compile(r"[“\"「『][^”\"」』]{0,6}$")
_CN_WORDY_UNITS = {"里", "方", "年", "次", "大", "个", "批", "场", "家", "位", "名", "条", "种", "类", "代", "天", "届", "", "项", "件",
                   "块", "座", "所", "套", "轮", "道", "份", "部", "支", "处", "间", "国", "地", "人", "县", "村"}


def _cn_role(text: str, raw: _Raw, unit: str, base_unit: str, mult: float, unit_end: int) -> str:
    """Chinese numerals state statistics only in some uses: the national standard on numerals
    (GB/T 15835) writes statistics in Arabic digits, so a small Chinese numeral with a measure word
    is usually a word (一批, 三大支柱产业, 连续两年, "六个坚持"), unless it is a fraction (两成,
    一半), an approximate scale (上百万, 数百), a phasing (分两期), money or a physical unit."""
    s = raw.start
    before = text[max(0, s - 4):s]
    numeral = text[s:raw.end]
    if _ORDINAL_BEFORE.search(before):
        return "ordinal"
    if _RX23.fullmatch(numeral) and unit == "年":
        return "year"  # 二〇二五年
    if unit == "两" and _RX1.match(text[unit_end:unit_end + 1]):
        return "word"  # 三两天: a couple of days, not 150 g
    if _RX24.search(text[max(0, s - 12):s]) and unit:
        return "amount"  # a count that sums up a list: 白朗、措勤、聂荣三县
    if _CN_QUOTED.search(text[max(0, s - 6):s]) and _RX25.match(text[raw.end:raw.end + 8]):
        return "name"
    if unit in ("成", "折", "%", "个百分点", "百分点") or base_unit == "percent":
        return "amount"
    if unit in ("里", "方"):
        return "word"  # 千里, 一方面, 三方合作: news writes 公里 and 立方米 with digits
    if numeral.endswith("半") or text.startswith("半", raw.end):
        return "amount"
    if before.endswith("上") and _RX26.fullmatch(numeral):
        return "amount"  # 上百万农户, 上百个国家: an approximate scale ("over")
    if _RX27.search(before) and unit in ("期", "批", "个阶段", "步"):
        return "amount"
    if base_unit in ("CNY", "USD", "EUR", "GBP", "JPY", "HKD", "TWD", "t", "kWh", "MW", "km2", "km", "m", "mu", "kg",
                     "m2", "L", "m3", "byte", "bit", "Hz"):
        return "amount"
    if raw.value >= 10 and unit not in ("年", "次", "大", "代") and not before.endswith("数"):
        return "amount" if (unit or mult > 1) else "number"
    if not unit:
        return "number"
    if unit in _CN_WORDY_UNITS or raw.value < 10:
        return "word"
    return "amount"


def _english_after(text: str, raw: _Raw, pos: int) -> tuple[str, str, float, int, float, str, int]:
    """After an Arabic number in English: a multiplier (million, bn, k, M), then a unit or a counted noun."""
    mult, mult_written, pos2 = 1.0, "", pos
    em = _EN_AFTER.match(text, pos)
    if em:
        word = em.group("mult")
        money_before = _RX28.search(text[max(0, raw.start - 4):raw.start])
        factor = _en_multiplier(word, bool(money_before), raw, em.start() == pos)
        if factor:
            mult, mult_written, pos2 = factor, text[pos:em.end()].strip(), em.end()
    unit_form, base_unit, factor_u, unit_end = _en_unit(text, pos2)
    if not unit_form and text[pos2:pos2 + 1] == " ":
        noun, noun_end = _en_count_noun(text, pos2)
        if noun:
            unit_form, unit_end = noun, noun_end
            entry: list[object] = _units()["en"].get(noun.lower(), ["count", 1])  # type: ignore[assignment]
            base_unit = str(entry[0])
    if not unit_form:
        unit_end = pos2
    return unit_form, base_unit, factor_u, unit_end, mult, mult_written, pos2


def _en_multiplier(word: str, money_before: bool, raw: _Raw, glued: bool) -> float:
    """Which letters after a number multiply it: words always; k K M MM B bn G; m and T only after money."""
    low = word.lower()
    if low in EN_MULT and len(low) > 1 and low not in ("mm",):
        return EN_MULT[low]
    if word == "MM":
        return 1e6
    if word in ("k", "K", "B", "b", "M"):
        return {"k": 1e3, "K": 1e3, "B": 1e9, "b": 1e9, "M": 1e6}[word]
    if word == "m" and money_before:
        return 1e6
    if word == "T" and money_before:
        return 1e12
    if word == "G" and not (raw.value == int(raw.value) and 2 <= raw.value <= 6):  # 5G is a network generation
        return 1e9
    return 0.0


_MONEY_SUB = {"角": 0.1, "毛": 0.1, "分": 0.01, "分钱": 0.01, "美分": 0.01, "cents": 0.01, "cent": 0.01, "pence": 0.01,
              "penny": 0.01, "mao": 0.1, "fen": 0.01}


def _merge_money(text: str, out: list[Quantity]) -> list[Quantity]:
    """壹元贰角, 五元三毛, 3 dollars 50 cents, thirteen dollars forty five: one amount of money."""
    result: list[Quantity] = []
    for q in out:
        prev = result[-1] if result else None
        if prev and prev.base_unit == q.base_unit or prev and q.base_unit in ("count", "") and prev.base_unit in (
                "CNY", "USD", "EUR", "GBP"):
            gap = text[prev.unit_end:q.start]
            if prev and _RX29.fullmatch(gap) and prev.role == "amount" or prev and re.fullmatch(
                    r"\s?(?:and\s|又|零)?\s?", gap) and prev.unit[-1:] in ("元", "圆", "角", "块", "毛"):
                sub = _money_sub(text, prev, q)
                if sub is not None:
                    result[-1] = Quantity(prev.start, prev.end, sub[1], prev.value + sub[0] / (
                        prev.base_value / prev.value if prev.value else 1.0), prev.unit, prev.base_value + sub[0],
                        prev.base_unit, prev.qualifier, prev.role)
                    continue
        result.append(q)
    return result


def _money_sub(text: str, prev: Quantity, q: Quantity) -> tuple[float, int] | None:
    """The base amount and end of a sub-unit (角, 分, cents) after a money amount, or None."""
    if prev.base_unit not in ("CNY", "USD", "EUR", "GBP", "JPY") or prev.qualifier != "exact" or q.value < 0:
        return None
    unit = q.unit.lower()
    if unit in _MONEY_SUB and (prev.base_value / (prev.value or 1)) > _MONEY_SUB[unit] and q.value < 100:
        return q.value * _MONEY_SUB[unit], q.unit_end
    if not q.unit and text.startswith(("分", "毛", "角"), q.end) and q.value < 100:
        return q.value * _MONEY_SUB[text[q.end]], q.end + 1
    if not q.unit and prev.unit.lower().endswith(("dollars", "dollar")) and q.value < 100 and q.value == int(q.value):
        return q.value * 0.01, q.unit_end
    if unit in ("角", "毛") and prev.unit[-1:] in ("元", "圆", "块"):
        return q.value * 0.1, q.unit_end
    return None


_RANGE_SEP = re.compile(r"^\s?(?:[-—–~～]|至|到|to)\s?$")


def _mark_ranges(text: str, out: list[Quantity]) -> list[Quantity]:
    """30%-60%, 3至5个: the low end reads 'over', the high end 'under'; a bare low end takes the high's unit."""
    result = list(out)
    for i in range(len(result) - 1):
        lo, hi = result[i], result[i + 1]
        if lo.role not in ("amount", "number") or hi.role not in ("amount", "number"):
            continue
        if not _RANGE_SEP.match(text[lo.unit_end:hi.start]):
            continue
        if lo.unit and hi.unit and lo.base_unit != hi.base_unit:
            continue
        factor = hi.base_value / hi.value if hi.value else 1.0
        lo_unit, lo_base = (lo.unit, lo.base_value) if lo.unit else (hi.unit, lo.value * factor)
        result[i] = Quantity(lo.start, lo.end, lo.unit_end, lo.value, lo_unit, lo_base, hi.base_unit,
                             "over" if lo.qualifier == "exact" else lo.qualifier, hi.role, "low")
        result[i + 1] = Quantity(hi.start, hi.end, hi.unit_end, hi.value, hi.unit, hi.base_value, hi.base_unit,
                                 "under" if hi.qualifier == "exact" else hi.qualifier, hi.role, "high")
    return result


def _is_percent_word(text: str, raw: _Raw) -> bool:
    """The 百 of 百分点 is part of a percent word, not a number."""
    return raw.script == "cn" and text.startswith(("百分点", "百分比", "百分位"), raw.start)


def _scan(text: str) -> list[Quantity]:
    out: list[Quantity] = []
    consumed = 0
    for raw in _numbers(text):
        if raw.start < consumed or _is_percent_word(text, raw):
            continue
        raw = _negate(text, raw)
        try:
            q = _read(text, raw)
        except (ValueError, KeyError, IndexError, OverflowError, ZeroDivisionError):
            continue
        if q is not None and q.base_value == q.base_value and abs(q.base_value) != float("inf"):
            out.append(q)
            # A multiplier or unit written after the number (万元, 亿条) is not a number of its own.
            consumed = q.unit_end if q.unit else q.end
    return _mark_ranges(text, _merge_money(text, out))


def parse_quantities(text: str) -> list[Quantity]:
    """Every number read in text, in order of start offset; never raises."""
    if not isinstance(text, str) or not text:
        return []
    try:
        folded = _FW_COMMA.sub(",", text).translate(_FOLD)
        compact, cpos, removed = _compact(folded)
        found = _scan(compact)
    except RecursionError:
        return []
    if not cpos:
        return found
    return [Quantity(_unmap(q.start, cpos, removed), _unmap(q.end, cpos, removed, True),
                     _unmap(q.unit_end, cpos, removed, True), q.value, q.unit, q.base_value, q.base_unit,
                     q.qualifier, q.role, q.low_high) for q in found]


# Patterns of the unit, role and money rules above, compiled once at import.
_RX1 = re.compile(HAN)
_RX2 = re.compile(r"-?[\d,.]+")
_RX3 = re.compile(r"[A-Za-z]")
_RX4 = re.compile(r"\b(?:minus|negative)\s+$", re.I)
_RX5 = re.compile(r"(?:percents?|per\s?cent|percentage)\s+of\s+$", re.I)
_RX6 = re.compile(r"[几余多]")
_RX7 = re.compile(r"^\s?[:：]\d{2}")
_RX8 = re.compile(r"\d[:：]$")
_RX9 = re.compile(r"(19|20)\d\d")
_RX10 = re.compile(r"^\s?月\s?\d")
_RX11 = re.compile(r"^(个)?月")
_RX12 = re.compile(r"月\s?$")
_RX13 = re.compile(r"^\s?[日号]")
_RX14 = re.compile(r"[$¥￥€£]\s?$")
_RX15 = re.compile(r"[+＋]\s?$")
_RX16 = re.compile(r"\d{6,}")
_RX17 = re.compile(r"0\d{2,}")
_RX18 = re.compile(r"-\d{5,}")
_RX19 = re.compile(r"\d-$")
_RX20 = re.compile(r"(时隔|连续|近|历时|用了|经过|多|过去)\s?$")
_RX21 = re.compile(r"^\s?(小时|个小时)(无|全天|不间断|在线|值守|服务|营业|监控|全)")
_RX22 = re.compile(r"\b(the|this|that|every|each|per)\s+$")
_RX23 = re.compile(r"[〇零一二三四五六七八九]{4}")
_RX24 = re.compile(rf"{HAN}{{1,4}}、{HAN}{{1,4}}$")
_RX25 = re.compile(r"^[^”\"」』]{0,6}[”\"」』]")
_RX26 = re.compile(r"[百千万亿]+")
_RX27 = re.compile(r"分成?$")
_RX28 = re.compile(r"(?:[$¥€£]|US\$|HK\$)\s?-?$")
_RX29 = re.compile(r"\s?(?:and\s|又|零)?\s?")
