"""The number scanner: folding a text, then every numeral in it, left to right, with its value.

Folding maps full-width and traditional characters one for one (offsets never move) and drops
the spaces OCR puts inside Chinese numerals (offsets mapped back). The scanner reads Arabic
numbers (1,432  35.6  1.3e6  3/5  2½), Chinese numerals (一千二百万 三点五 二分之一 5万4千),
percent words (百分之三十 千分之五), halves (半成 对折 半百) and English number words (two
million, a dozen), where English runs win over the digits they hold. What a number measures is
read after it (units.py); whether it is an amount, by roles.py.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from tibet_facts.store.extract.numerals import EN_NUMBER_WORDS, chinese_number, english_numbers
from tibet_facts.store.extract.units import en_entry, en_unit_pattern, zh_unit_pattern


@dataclass(slots=True)
class Raw:
    """A numeral as found: its span, its value, how it is written."""

    start: int
    end: int
    value: float
    script: str  # ar, cn, en, mix (5万4千), pct (百分之三十), half (半成, 对折)
    scale: float = 1.0  # for pct: the percent per unit written (千分之 = 0.1)


# --- folding --------------------------------------------------------------------------------

# One character for one character, so offsets never move: full-width ASCII, ideographic space,
# traditional numeral and unit characters (億 萬 兩 個 點), Unicode minus and thin spaces.
_FOLD = str.maketrans({
    **{chr(0xFF01 + i): chr(0x21 + i) for i in range(94) if i != 0x0B},
    "\u3000": " ", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "−": "-",
    "個": "个", "點": "点", "萬": "万", "億": "亿", "兩": "两", "倆": "俩", "貳": "贰",
    "陸": "陆", "幾": "几", "圓": "圆", "負": "负", "對": "对", "噸": "吨", "餘": "余",
    "裡": "里", "隻": "只", "張": "张", "種": "种", "項": "项", "間": "间", "臺": "台",
})
# A full-width comma is a thousands separator only between full-width digits (９，９９９);
# elsewhere it separates clauses ($20，300美圆 is two prices).
_FW_COMMA = re.compile(r"(?<=[０-９])，(?=[０-９]{3})")
# OCR and typesetting put spaces inside Chinese numerals and between a number and its unit
# ("一 百 五 十 个 百 分 点", "31 家"); they are dropped before scanning, offsets mapped back.
_GAP = re.compile(
    r"(?<=[\u3400-\u9fff\d%])[ \t]+(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])[ \t]+(?=[\d.])")


def fold(text: str) -> str:
    """text with full-width and traditional characters folded, of the same length."""
    return _FW_COMMA.sub(",", text).translate(_FOLD)


def compact(text: str) -> tuple[str, list[int], list[int]]:
    """text without CJK-adjacent spaces, the compact offset of each gap, and the length removed
    up to and including it."""
    if " " not in text and "\t" not in text:
        return text, [], []
    parts, cpos, removed = [], [], []
    last, gone = 0, 0
    for m in _GAP.finditer(text):
        parts.append(text[last:m.start()])
        cpos.append(m.start() - gone)
        gone += m.end() - m.start()
        removed.append(gone)
        last = m.end()
    if not cpos:
        return text, [], []
    parts.append(text[last:])
    return "".join(parts), cpos, removed


def unmap(pos: int, cpos: list[int], removed: list[int], end: bool = False) -> int:
    """A compact offset back to the original text (an exclusive end stays glued to its last
    character)."""
    i = bisect_right(cpos, pos - 1 if end else pos)
    return pos + (removed[i - 1] if i else 0)


# --- the numeral pattern --------------------------------------------------------------------

_CN_DIGIT = "零〇一二三四五六七八九两俩壹贰叁肆伍陆柒捌玖仨"
_CN_CLASS = f"[{_CN_DIGIT}十拾百佰千仟万亿兆廿卅]"
# 几 only after a unit character (十几, 三百几), 多/余 only before 万/亿 (三千多万).
_CN_NUMERAL = rf"{_CN_CLASS}(?:{_CN_CLASS}|[几](?<=[十拾百佰千仟万亿零][几])|[多余](?=[万亿]))*"
_AR_NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?:\.\d+)?"
_ANY_NUMBER = rf"(?:{_AR_NUMBER}|{_CN_NUMERAL}(?:点[{_CN_DIGIT}\d]+)?)"
_VULGAR = {
    "½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅕": 0.2, "⅖": 0.4, "⅗": 0.6,
    "⅘": 0.8, "⅙": 1 / 6, "⅚": 5 / 6, "⅛": 0.125, "⅜": 0.375, "⅝": 0.625, "⅞": 0.875,
}
_VULGAR_CHARS = "".join(_VULGAR)
# The percent one unit of 百分之/千分之/万分之... is worth.
_PCT_SCALE = {
    "百": 1.0, "佰": 1.0, "千": 0.1, "仟": 0.1, "万": 0.01, "百万": 1e-4, "千万": 1e-5,
    "万万": 1e-6, "百万万": 1e-8,
}
# One step of a number mixing digits and unit characters: 5万4千, 3千零5.
_MIX_STEP = r"[十百千万亿]+(?:零?\d+(?![\d.])|零?[一二三四五六七八九两][十百千])"
# A minus sign, not a dash after a word, a code or a closing bracket (A-5, 2020-5).
_MINUS = r"(?:(?<![-A-Za-z0-9_%)\]])-\s?)?"

# The lookahead lets the engine skip the many characters that cannot start a number cheaply.
_CAN_START = rf"(?=[\d.\-负{_VULGAR_CHARS}{_CN_DIGIT}十拾百佰千仟万亿兆廿卅半对])"
_PERCENT_WORD = (  # 百分之三十, 千分之五
    rf"(?P<pct>(?<![{_CN_DIGIT}十拾百佰千仟万亿\d])(?:百万万|百万|千万|万万|[百佰千仟万])"
    rf"分之[-负]?{_ANY_NUMBER})")
_CN_FRACTION = (  # 三分之二, 一又二分之一
    rf"(?P<frac>(?<![\d.])[-负]?{_ANY_NUMBER}(?:又{_ANY_NUMBER})?分之[-负]?{_ANY_NUMBER})")
_AR_FRACTION = (  # 3/5, 2 1/2, - 1 4/5
    rf"(?P<arfrac>(?<![\d./])(?<!\d,){_MINUS}(?:\d+\s{{1,2}})?\d+\s?/\s?\d+(?![\d/]))")
_VULGAR_FRACTION = rf"(?P<vf>(?<![\d.])(?:\d+\s?)?[{_VULGAR_CHARS}])"  # ½, 2½
_MIXED = rf"(?P<mix>(?<![\d.])\d+(?:\.\d+)?(?:{_MIX_STEP})+[十百千万亿]*)"  # 5万4千
_ARABIC = (  # 1,432  1 234  35.6  .5  1.3e6  3×10^6
    rf"(?P<ar>(?<!\d)(?<!\d\.){_MINUS}"
    r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?: \d{3})+(?![\d,])|\d+|(?<![.\d])(?=\.\d))(?:\.\d+)?"
    r"(?:×10\^?-?\d{1,3}|[eE][-+]?\d{1,3}(?![\w.]))?)")
_HALF = r"(?P<half>对折|半百|半(?=成|折|斤|两|吨|公斤|米|公里))"  # 对折, 半百, 半成, 半吨
_CHINESE = rf"(?P<cn>{_CN_NUMERAL}(?:点[{_CN_DIGIT}\d]+)?)"  # 一千二百万, 三点五

_NUMBER = re.compile(_CAN_START + "(?:" + "|".join((
    _PERCENT_WORD, _CN_FRACTION, _AR_FRACTION, _VULGAR_FRACTION, _MIXED, _ARABIC, _HALF,
    _CHINESE)) + ")")
# No number is written longer; reading one would cost quadratic time.
_LONGEST = 64


# --- reading a numeral's value --------------------------------------------------------------


def _ar_value(text: str) -> float | None:
    """1,432  1 234  1.3e6  3×10^6."""
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
    """½, 2½, 3 ¾."""
    whole = text[:-1].strip()
    return (float(whole) if whole else 0.0) + _VULGAR[text[-1]]


# How each kind of match is read, and the script its number is given.
_READERS: dict[str, tuple[Callable[[str], float | None], str]] = {
    "ar": (_ar_value, "ar"), "arfrac": (_frac_value, "ar"), "vf": (_vulgar_value, "ar"),
    "frac": (chinese_number, "cn"), "mix": (chinese_number, "mix"),
    "cn": (chinese_number, "cn"),
}
_HALVES = {"半": 0.5, "半百": 50.0}  # and 对折, 5 (tenths) folded in half


def _raw(m: re.Match[str]) -> Raw | None:
    """The numeral of one match, None when it does not read as a number."""
    kind = m.lastgroup or ""
    s = m.group(0)
    if kind == "pct":
        return _pct_raw(m)
    if kind == "half":
        return Raw(m.start(), m.end(), _HALVES.get(s, 5.0), "cn" if s == "半百" else "half")
    read, script = _READERS.get(kind, (chinese_number, kind))
    value = read(s)
    return None if value is None else Raw(m.start(), m.end(), value, script)


_PLAIN_NUMBER = re.compile(r"-?[\d,.]+")
_THOUSAND_AFTER = re.compile(r"\s?[kK](?![A-Za-z])")  # 百分之15K


def _pct_raw(m: re.Match[str]) -> Raw | None:
    """百分之三十, 千分之五, 百分之15K; the 百 of a following 百分点 is not the numeral's."""
    head, _, number = m.group(0).partition("分之")
    end = m.end()
    if number[-1] in "百千" and m.string.startswith(("分点", "分位", "分比"), end):
        number, end = number[:-1], end - 1  # 百分之七十百分位
    value = _ar_value(number) if _PLAIN_NUMBER.fullmatch(number) else chinese_number(number)
    if value is None:
        return None
    k = _THOUSAND_AFTER.match(m.string, end)
    if k:
        return Raw(m.start(), k.end(), value * 1000, "pct", _PCT_SCALE[head])
    return Raw(m.start(), end, value, "pct", _PCT_SCALE[head])


# --- the scan -------------------------------------------------------------------------------

_LATIN_LETTER = re.compile(r"[A-Za-z]")


def numbers(text: str) -> list[Raw]:
    """Every numeral in text, left to right, not overlapping; English runs win over the digits
    they hold."""
    out: list[Raw] = []
    for m in _NUMBER.finditer(text):
        raw = _raw(m) if len(m.group(0)) <= _LONGEST else None
        if raw is not None:
            out.append(raw)
    if _LATIN_LETTER.search(text):
        out = _merge_english(text, out)
    return [_trim_unit_char(text, r) if r.script == "cn" else r for r in out]


def is_percent_word(text: str, raw: Raw) -> bool:
    """The 百 of 百分点 is part of a percent word, not a number."""
    return raw.script == "cn" and text.startswith(("百分点", "百分比", "百分位"), raw.start)


_SIGN_WORD_BEFORE = re.compile(r"\b(?:minus|negative)\s+$", re.I)


def negate(text: str, raw: Raw) -> Raw:
    """负3.9%, 负十, minus 5: a sign word right before the number."""
    if raw.script == "en" or raw.value < 0:
        return raw
    before = text[raw.start - 1:raw.start] if raw.start else ""
    if before == "负":
        return Raw(raw.start - 1, raw.end, -raw.value, raw.script, raw.scale)
    if before != " " or raw.script != "ar":
        return raw
    m = _SIGN_WORD_BEFORE.search(text[max(0, raw.start - 10):raw.start])
    if m:
        return Raw(raw.start - len(m.group(0)), raw.end, -raw.value, raw.script, raw.scale)
    return raw


# --- a trailing unit character --------------------------------------------------------------

_CN_DIGIT_OR_UNIT = _CN_DIGIT + "十百千万亿拾佰仟"


def _trim_unit_char(text: str, raw: Raw) -> Raw:
    """三千比特 is 3 kilobits and 五十兆字节 50 MB: a trailing 千/兆 that starts a unit belongs
    to the unit; 二两 and 三千两百两 end in the weight 两, not in a digit."""
    if raw.end - raw.start < 2 or not _ends_in_unit_char(text, raw.start, raw.end):
        return raw
    value = chinese_number(text[raw.start:raw.end - 1])
    return raw if value is None else Raw(raw.start, raw.end - 1, value, raw.script)


def _ends_in_unit_char(text: str, start: int, end: int) -> bool:
    """Whether the last character of the numeral text[start:end] starts what follows it."""
    last = text[end - 1]
    if last in "百千" and text.startswith(("分点", "分位", "分比", "分之"), end):
        return True  # 百分之七十百分位: the 百 starts 百分位
    if last in "千兆":
        um = zh_unit_pattern().match(text, end - 1)
        return um is not None and len(um.group(0)) >= 2 and um.group(0) not in ("千米", "千克")
    if last != "两":
        return False
    before = text[end - 2]
    return before in _CN_DIGIT_OR_UNIT and not (before == "两" and end - start == 2)


# --- English number words -------------------------------------------------------------------

_EN_WORD_ALT = "|".join(sorted(EN_NUMBER_WORDS, key=len, reverse=True))
_EN_ATOM = rf"(?:{_EN_WORD_ALT})\b|\d+(?:,\d{{3}})*(?:\.\d+)?(?![\d.])"
# What joins the words of one number: twenty-five, one hundred and six, two point five,
# one out of three, three quarters of an hour.
_EN_CONN = (r"(?:\s*-\s*|,\s+|\s+(?:and|&)\s+|\s+(?:point|over|out\s+of|of\s+an?)\s+"
            r"|\s+(?:an?)\s+|\s+)")
_EN_LEAD = r"(?:(?:minus|negative)\s+)?(?:(?:a|an)\s+)?"
# A run of number words; it may start with digits that a number word follows (449 million).
_EN_RUN = re.compile(
    rf"\b(?:{_EN_LEAD}(?:{_EN_WORD_ALT})\b"
    rf"|(?<![\d.,])\d+(?:,\d{{3}})*(?:\.\d+)?"
    rf"(?={_EN_CONN}(?:an?\s+)?(?:{_EN_WORD_ALT}|over\s|out\s+of\s)))"
    rf"(?:{_EN_CONN}(?:(?:minus|negative|an?)\s+)?(?:{_EN_ATOM}))*",
    re.I,
)
_EN_WORDY = re.compile(rf"(?i)\b(?:{_EN_WORD_ALT}|a|an|minus|negative|over|out)\b")
# 3 million, 12,000 thousand: digits and a scale word are read by the multiplier rules.
_EN_PLAIN_SCALE = re.compile(
    r"^[\d.,]+\s*(?:-\s*)?(?:thousand|million|billion|trillion|hundred)$", re.I)
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.&'-]*")
# How far before a stretch of Latin text a run may start: the digits of "449 million".
_RUN_LEAD = 24


def _merge_english(text: str, out: list[Raw]) -> list[Raw]:
    """out, less the numerals that English numbers overlap, with those English numbers."""
    words = _first_of_overlapping(_article_units(text) + _english_runs(text))
    if not words:
        return out
    ends = [w.end for w in words]
    kept = [r for r in out if not _overlaps(words, ends, r)]
    return sorted(kept + words, key=lambda r: r.start)


def _english_runs(text: str) -> list[Raw]:
    """The English numbers with a word in them (two million, 3 hundred and 21)."""
    words: list[Raw] = []
    done = 0
    for span in _LATIN.finditer(text):
        if not _EN_WORDY.search(text, span.start(), span.end()):
            continue  # GDP, 5G, km: no number words, nothing for the English reader
        for m in _EN_RUN.finditer(text, max(done, span.start() - _RUN_LEAD), span.end()):
            done = m.end()
            for start, end, value, has_words in english_numbers(text, m.start(), m.end()):
                if has_words and not _EN_PLAIN_SCALE.match(text[start:end]):
                    words.append(Raw(start, end, value, "en"))
    return words


_ARTICLE = re.compile(r"\b[Aa]n?\s+(?=[a-z])")
_TIME_UNITS = {"year", "month", "week", "day", "hour", "minute", "second"}
# Unit forms that are also common words after an article (a m..., a won..., an in...).
_NOT_ARTICLE_UNITS = ("m", "l", "t", "mu", "won", "in")


def _article_units(text: str) -> list[Raw]:
    """'a dozen eggs', 'a gallon of beer', 'a penny': the article counts one of a unit (role
    word)."""
    out = []
    for m in _ARTICLE.finditer(text):
        um = en_unit_pattern().match(text, m.end())
        if not um or um.group(0).lower() in _NOT_ARTICLE_UNITS:
            continue
        base = en_entry(um.group(0), ["", 1])[0]
        if base and base not in _TIME_UNITS:
            out.append(Raw(m.start(), m.start() + len(m.group(0).rstrip()), 1.0, "en"))
    return out


def _first_of_overlapping(words: list[Raw]) -> list[Raw]:
    """words in order of start, the longest first at one start, each dropped when it overlaps
    one kept before it."""
    words.sort(key=lambda r: (r.start, -r.end))
    merged: list[Raw] = []
    for w in words:
        if not merged or w.start >= merged[-1].end:
            merged.append(w)
    return merged


def _overlaps(spans: list[Raw], ends: list[int], r: Raw) -> bool:
    """Whether r overlaps one of spans (in order, not overlapping each other, so their ends are
    in order too): the first that ends after r starts is the only candidate. A bisection, not a
    scan of every English number for every digit."""
    i = bisect_right(ends, r.start)
    return i < len(spans) and spans[i].start < r.end
