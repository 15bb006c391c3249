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
from dataclasses import dataclass
from functools import cache
from importlib import resources

from tibet_facts.store.extract.numerals import CN_NUMERAL_CHARS, chinese_number, english_words

CN_MULT = {"十": 10, "百": 100, "千": 1e3, "万": 1e4, "亿": 1e8, "萬": 1e4, "億": 1e8, "兆": 1e12}
EN_MULT = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "k": 1e3, "m": 1e6, "mn": 1e6,
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


# --- the scanner ------------------------------------------------------------------------------

_CN_NUM = f"[{CN_NUMERAL_CHARS}]"
_NUMBER = re.compile(
    r"(?P<frac>(?<![\d.])\d+\s*/\s*\d+(?![\d/]))"
    r"|(?P<ar>(?<![\d.])(?<!\d,)(?:(?<![\w%)）\]])[-−])?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    rf"|(?P<cn>[负負]?(?:{_CN_NUM}+(?:分之{_CN_NUM}+)?(?:[点點][零〇一二三四五六七八九壹贰叁肆伍陆柒捌玖]+)?"
    rf"(?:又{_CN_NUM}+分之{_CN_NUM}+)?))"
    r"|(?P<en>\b(?:(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fourty|fifty|sixty|seventy|eighty|ninety|"
    r"hundred|thousand|million|billion|trillion|dozens?|half|quarters?)"
    r"(?:(?:\s+|-|\s+and\s+|\s+a\s+)(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fourty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|million|billion|trillion|dozens?|half|quarters?|thirds?))*))\b"
    r"|(?P<a_en>\b(?:a|an)\s+(?:hundred|thousand|million|billion|dozen)\b(?:\s+and\s+a\s+half)?)",
    re.I,
)
_CN_AFTER = re.compile(r"\s?(?P<q1>[多余几])?(?P<mult>万亿|千亿|百亿|十亿|千万|百万|十万|亿|万|千|百|十|萬|億)?(?P<q2>[多余])?")
_EN_AFTER = re.compile(r"(?:\s*-\s*|\s+)?(?P<mult>thousand|million|billion|trillion|mln|bln|mn|bn|k|m|b)(?![A-Za-z])",
                       re.I)
_TRAIL_Q = re.compile(r"\s?(以上|左右|上下|以下|以内|有余|多|余|之多)")
_BEFORE_Q = (
    ("approx", re.compile(r"(近|约|大约|将近|接近|大概|约为|约合|nearly|about|around|approximately|almost|roughly)\s*$", re.I)),
    ("over", re.compile(r"(超过|超|突破|逾|多达|高达|不少于|至少|over|more than|above|at least|in excess of|upwards of)\s*$", re.I)),
    ("under", re.compile(r"(不到|不足|少于|低于|未满|不超过|less than|under|below|fewer than|up to)\s*$", re.I)),
)
_AFTER_Q = {"以上": "over", "多": "over", "余": "over", "有余": "over", "之多": "over", "左右": "approx", "上下": "approx",
            "以下": "under", "以内": "under", "几": "over"}
_SYMBOL = re.compile(r"(US\$|HK\$|\$|¥|￥|€|£|₭|₹|₩|RMB|CNY|USD|EUR|GBP|JPY)\s?$", re.I)
_PERCENT_PREFIX = re.compile(r"(百分之|千分之|万分之)$")
_CN_IDIOM_FOLLOW = re.compile(r"^(大|个(?=[^\d]{0,3}[”\"])|批|些|点|起|体|道|样|致|同|直|定|般|切|度|线|流|带|路|季度|方面|手|心|揽子|站式|把手|级)")
_NAME_BEFORE = re.compile(r"(国道|省道|县道|G|S|第|首|No\.|#|Top|TOP|top|[A-Za-z]-?)$")
_NAME_AFTER = re.compile(r"^(线|号线|号|路|G|[A-Za-z](?![a-z]{2,})|[+＋]|:\d|：\d|/F|级|型|届|世纪|周年|代)")
_ORDINAL_BEFORE = re.compile(r"(第|首|第\s)$")
_ORDINAL_EN = re.compile(r"^(st|nd|rd|th)\b")
_EN_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
_EN_DATE_BEFORE = re.compile(rf"{_EN_MONTHS}\s*$", re.I)
_EN_DATE_AFTER = re.compile(rf"^\s*{_EN_MONTHS}\b", re.I)
_EN_COUNT_STOP = {
    "are", "is", "was", "were", "be", "been", "have", "has", "had", "in", "of", "to", "for", "from", "with", "by", "on",
    "at", "and", "or", "that", "which", "who", "will", "would", "can", "could", "as", "than", "per", "each", "a", "an",
    "the", "this", "these", "those", "it", "its", "their", "more", "less", "about", "over", "under", "into", "after",
    "before", "since", "during", "while", "through", "across", "so", "but", "not", "also", "all", "up", "out",
}


def _cn_value(text: str) -> float | None:
    return chinese_number(text)


def _ar_value(text: str) -> float | None:
    try:
        return float(text.replace(",", "").replace("−", "-"))
    except ValueError:
        return None


def _frac_value(text: str) -> float | None:
    a, _, b = text.partition("/")
    try:
        return float(a) / float(b)
    except (ValueError, ZeroDivisionError):
        return None


def _qualifier(text: str, start: int, unit_end: int, trail: str) -> str:
    before = text[max(0, start - 14):start]
    for name, pattern in _BEFORE_Q:
        if pattern.search(before):
            return name
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
        if not nxt or not re.match(r"[\u4e00-\u9fff]", nxt) or nxt in "五半":
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
        if word.lower() in _EN_COUNT_STOP or word[0].isupper():
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
    script: str  # ar, cn, en, frac


def _numbers(text: str) -> list[_Raw]:
    out = []
    for m in _NUMBER.finditer(text):
        kind = m.lastgroup or ""
        s = m.group(0)
        if kind == "ar":
            v = _ar_value(s)
        elif kind == "frac":
            v = _frac_value(s)
        elif kind == "cn":
            v = _cn_value(s)
        else:
            tokens = re.findall(r"[A-Za-z]+", s)
            v = english_words(tokens)
        if v is None:
            continue
        out.append(_Raw(m.start(), m.end(), v, "ar" if kind == "frac" else kind.replace("a_en", "en")))
    return out


def _role(text: str, raw: _Raw, unit: str, base_unit: str, mult: float, unit_end: int) -> str:
    s, e = raw.start, raw.end
    before, after = text[max(0, s - 6):s], text[e:e + 8]
    number = text[s:e]
    if raw.script == "ar":
        if re.match(r"^\s?[:：]\d{2}", after) or re.search(r"\d[:：]$", before):
            return "time"
        if _ORDINAL_BEFORE.search(before) or _ORDINAL_EN.match(after):
            return "ordinal"
        year_like = re.fullmatch(r"(19|20)\d\d", number) is not None
        if year_like and (after.startswith(("年", "-", "—", "–", "～", "~", "至")) or not unit or unit == "年"):
            if mult == 1:
                return "year"
        if after.startswith(("月", "日", "号")) and not unit:
            return "date"
        if re.match(r"^\s?月\s?\d", after) or re.match(r"^(个)?月", after) and not unit:
            return "date"
        if re.search(r"月\s?$", before) and re.match(r"^\s?[日号]", after):
            return "date"
        if _EN_DATE_BEFORE.search(text[max(0, s - 12):s]) or _EN_DATE_AFTER.match(after) and not unit:
            return "date"
        if _NAME_BEFORE.search(before[-3:]) and not re.search(r"[$¥￥€£]\s?$", before):
            if not (before.endswith(("第", "首"))):
                return "name"
        if _NAME_AFTER.match(text[e:e + 4]) and not unit and mult == 1:
            return "name"
        if re.search(r"[+＋]\s?$", before):
            return "name"
        if re.fullmatch(r"\d{6,}", number) and not unit and mult == 1:
            return "code"
        if unit == "年" and re.search(r"(时隔|连续|近|历时|用了|经过|多|过去)\s?$", before) or text.startswith("年前", e):
            return "duration"
        if unit in ("小时", "个小时") and raw.value == 24 and re.match(r"^\s?(小时|个小时)(无|全天|不间断|在线|值守|服务|营业|监控|全)", after):
            return "word"
    if raw.script == "cn":
        return _cn_role(text, raw, unit, base_unit, mult, unit_end)
    if base_unit in ("year", "month", "day", "week") and re.search(
            r"\b(after|for|in|within|over|past|last|next|or|ago)\s+$", text[max(0, s - 8):s].lower() + " "):
        return "duration"
    if raw.script == "en":
        if re.search(r"\b(the|this|that|every|each|per)\s+$", before.lower()):
            return "word"
        if number.lower() in ("one", "a", "an") and not unit:
            return "word"
    return "amount"


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
    if re.search(r"[\u4e00-\u9fff]{1,4}、[\u4e00-\u9fff]{1,4}$", text[max(0, s - 12):s]) and unit:
        return "amount"  # a count that sums up a list: 白朗、措勤、聂荣三县
    if _CN_QUOTED.search(text[max(0, s - 6):s]) and re.match(r"^[^”\"」』]{0,6}[”\"」』]", text[raw.end:raw.end + 8]):
        return "name"
    if unit in ("成", "折", "%", "个百分点", "百分点") or base_unit == "percent":
        return "amount"
    if numeral.endswith("半") or text.startswith("半", raw.end):
        return "amount"
    if before.endswith("上") and re.fullmatch(r"[百千万亿]+", numeral):
        return "amount"  # 上百万农户, 上百个国家: an approximate scale ("over")
    if re.search(r"分成?$", before) and unit in ("期", "批", "个阶段", "步"):
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


def _percent_prefix(text: str, raw: _Raw) -> tuple[int, float] | None:
    """百分之三十 / 千分之2.4 start before the number."""
    m = _PERCENT_PREFIX.search(text[max(0, raw.start - 3):raw.start])
    if not m:
        return None
    scale = {"百分之": 1.0, "千分之": 0.1, "万分之": 0.01}[m.group(1)]
    return raw.start - len(m.group(1)), scale


def _noun_base(noun: str) -> str:
    """The base unit of a counted English noun: people are persons, households households, else count."""
    entry = _units()["en"].get(noun.lower())
    return str(entry[0]) if isinstance(entry, list) else "count"


def _english_after(text: str, raw: _Raw, pos: int) -> tuple[str, str, float, int, float, str, int]:
    """After an Arabic number in English: a multiplier word, then a unit or a counted noun."""
    mult, prefix_written, pos2 = 1.0, "", pos
    en_mult = _EN_AFTER.match(text, pos)
    if en_mult:
        word = en_mult.group("mult").lower()
        money_before = re.search(r"[$¥€£]\s?$", text[max(0, raw.start - 3):raw.start])
        glued = re.match(r"[A-Za-z]", text[en_mult.end():en_mult.end() + 1] or " ")
        tight = en_mult.start() == pos  # "100k", "5bn": glued to the number
        if not glued and (word not in ("m", "b", "k") or money_before or (tight and word == "k")):
            mult = EN_MULT[word]
            prefix_written = text[pos:en_mult.end()].strip()
            pos2 = en_mult.end()
    unit_form, base_unit, factor, unit_end = _en_unit(text, pos2)
    if not unit_form and text[pos2:pos2 + 1] == " " and not prefix_written:
        noun, noun_end = _en_count_noun(text, pos2)
        if noun:
            unit_form, unit_end = noun, noun_end
            base_unit = _noun_base(noun)
    return unit_form, base_unit, factor, unit_end, mult, prefix_written, pos2


def _read(text: str, raw: _Raw) -> Quantity | None:
    value = raw.value
    pos = raw.end
    mult = 1.0
    trail = ""
    unit_form, base_unit, factor = "", "", 1.0
    if raw.script in ("ar", "cn"):
        m = _CN_AFTER.match(text, pos)
        mult_end = pos
        prefix_written = ""
        if m and (m.group("mult") or m.group("q1")) and not (raw.script == "cn" and m.group("mult")):
            for ch in m.group("mult") or "":
                mult *= CN_MULT[ch]
            trail = m.group("q1") or m.group("q2") or ""
            mult_end = m.end()
            prefix_written = text[pos:m.end()].replace(" ", "")
        unit_start = mult_end + (1 if not prefix_written and text[pos:pos + 1] == " " else 0)
        block = _block_money(text, unit_start)
        if block:
            unit_form, base_unit, factor, unit_end = block
        else:
            unit_form, base_unit, factor, unit_end = _zh_unit(text, unit_start)
        if not unit_form and raw.script == "ar" and not prefix_written:
            unit_form, base_unit, factor, unit_end, mult, prefix_written, mult_end = _english_after(text, raw, pos)
        written_unit = prefix_written + (" " if prefix_written and unit_form[:1].isascii() and unit_form else "") + unit_form
        if not unit_form:
            unit_end = mult_end
    else:
        en_mult = _EN_AFTER.match(text, pos)
        prefix_written = ""
        if en_mult and en_mult.group("mult").lower() in ("thousand", "million", "billion", "trillion"):
            mult = EN_MULT[en_mult.group("mult").lower()]
            prefix_written = text[pos:en_mult.end()].strip() + " "
            pos = en_mult.end()
        unit_form, base_unit, factor, unit_end = _en_unit(text, pos)
        if not unit_form:
            noun, noun_end = _en_count_noun(text, pos)
            if noun:
                unit_form, unit_end = noun, noun_end
                base_unit = _noun_base(noun)
        written_unit = prefix_written + unit_form if unit_form else prefix_written.strip()
        if not unit_form:
            unit_end = pos
    tm = _TRAIL_Q.match(text, unit_end)
    if tm and not trail:
        trail = tm.group(1)
    start = raw.start
    pct = _percent_prefix(text, raw)
    if pct:
        start, scale = pct
        base_unit, factor, written_unit = "percent", scale, "%" if scale == 1 else "‰"
        if text[raw.end:raw.end + 3] in ("个百分点",):
            base_unit = "percentage_point"
    sym = _SYMBOL.search(text[max(0, raw.start - 4):raw.start])
    if sym and base_unit in ("", "count"):
        base_unit = _units()["symbols"].get(sym.group(1).lower(), "USD")  # type: ignore[assignment]
        written_unit = (sym.group(1) + " " + written_unit).strip()
    if not base_unit:
        base_unit = "count" if written_unit else ""
    if unit_form in ("%", "个百分点", "百分点", "成", "折") or base_unit in ("percent", "percentage_point"):
        base_value = value * mult * factor
    else:
        base_value = value * mult * factor
    if tm and tm.group(1) in _AFTER_Q:
        unit_end = max(unit_end, tm.end())
    role = _role(text, raw, unit_form, base_unit, mult, unit_end)
    if role == "amount" and text[unit_end:unit_end + 1] == "级" and unit_form:
        role = "word"  # 万亩级, 百亿级: a scale adjective, not an amount
    qualifier = _qualifier(text, start, unit_end, trail)
    if raw.script == "ar" and "," in text[raw.start:raw.end] and not re.fullmatch(r"[-−]?\d{1,3}(,\d{3})+(\.\d+)?",
                                                                               text[raw.start:raw.end]):
        role = "number"
    return Quantity(start=raw.start, end=raw.end, unit_end=max(unit_end, raw.end), value=value,
                    unit=written_unit.strip(), base_value=base_value, base_unit=base_unit or "count",
                    qualifier=qualifier, role=role)


def _is_percent_word(text: str, raw: _Raw) -> bool:
    """The 百 of 百分之2.4 or 百分点 is part of a percent word, not a number."""
    if raw.script != "cn":
        return False
    tail = text[raw.start:raw.end + 4]
    return bool(re.match(r"[百千万]分(之\s?[\d.]|点)", tail)) or text[raw.start:raw.end + 2] in ("百分", "千分")


_RANGE_SEP = re.compile(r"^\s?(?:[-—–~～]|至|到|to)\s?$")


def _mark_ranges(text: str, out: list[Quantity]) -> list[Quantity]:
    """30%-60%, 3至5个: the low end reads 'over', the high end 'under'; a bare low end takes the high's unit."""
    result = list(out)
    for i in range(len(result) - 1):
        lo, hi = result[i], result[i + 1]
        if lo.role != "amount" and lo.role != "number" or hi.role not in ("amount", "number"):
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


def parse_quantities(text: str) -> list[Quantity]:
    """Every number read in text, in order of start offset; never raises."""
    out: list[Quantity] = []
    consumed = 0
    for raw in _numbers(text):
        if raw.start < consumed or _is_percent_word(text, raw):
            continue
        try:
            q = _read(text, raw)
        except (ValueError, KeyError, IndexError, OverflowError, ZeroDivisionError):
            continue
        if q is not None and q.base_value == q.base_value and abs(q.base_value) != float("inf"):
            out.append(q)
            # A multiplier or unit written after the number (万元, 亿条) is not a number of its own.
            consumed = q.unit_end if q.unit else q.end
    return _mark_ranges(text, out)
