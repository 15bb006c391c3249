"""The quantity parser: every number in a text, with its unit, multiplier, qualifier and role.

Reads Arabic numbers (1,432  35.6  1.3e6), Chinese numerals (一千二百万, 两成, 三点五,
二分之一), English number words (two million, twenty-five), multipliers (万 亿 thousand million
billion), currencies (元 亿元 美元 yuan RMB $ €), percentages (% 百分之 个百分点 成 折
percent), counts with measure words (个 家 人 人次 户 件 项 场 款), physical units (吨 千瓦时
兆瓦 MW 平方公里 亩 米), qualifiers (近 约 左右 超 突破 余 多 以上 不到 nearly over more than)
and ranges (30%-60%).

Every number is returned; `role` says whether it is an amount or why it is not a fact: a year,
a date, an ordinal (第二届), part of a name or code (5G, 国道318线, "1+6+N"), a clock time, or
a numeral used as a word (一批, 三大支柱产业, 六个坚持). Extraction keeps role == "amount".

This module assembles a quantity: scan.py finds the numerals, units.py reads what is written
after each, roles.py decides its role; here are its qualifier, the money written in two units
(5元3角) and ranges (3至5个).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tibet_facts.store.extract.lexicon import (
    QUALIFIERS_AFTER,
    QUALIFIERS_BEFORE,
    QUALIFIERS_INSIDE,
)
from tibet_facts.store.extract.roles import role
from tibet_facts.store.extract.scan import (
    Raw,
    compact,
    fold,
    is_percent_word,
    negate,
    numbers,
    unmap,
)
from tibet_facts.store.extract.units import (
    Multiplier,
    UnitRead,
    currency_of_symbol,
    en_multiplier_at,
    english_after,
    english_words_after,
    multiplier_after,
    symbol_after,
    symbol_before,
    tenths,
    zh_unit,
    zh_unit_after,
    zh_unit_form,
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """One number as read: where it is, what it says, in base units, and whether it is an
    amount."""

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


def parse_quantities(text: str) -> list[Quantity]:
    """Every number read in text, in order of start offset; never raises."""
    if not isinstance(text, str) or not text:
        return []
    try:
        scanned, cpos, removed = compact(fold(text))
        found = _scan(scanned)
    except RecursionError:
        return []
    if not cpos:
        return found
    return [_unmapped(q, cpos, removed) for q in found]


def _unmapped(q: Quantity, cpos: list[int], removed: list[int]) -> Quantity:
    """q with its offsets in the text before the spaces inside numerals were dropped."""
    return Quantity(unmap(q.start, cpos, removed), unmap(q.end, cpos, removed, True),
                    unmap(q.unit_end, cpos, removed, True), q.value, q.unit, q.base_value,
                    q.base_unit, q.qualifier, q.role, q.low_high)


def _scan(text: str) -> list[Quantity]:
    """Every quantity of a folded, compacted text."""
    out: list[Quantity] = []
    consumed = 0
    for raw in numbers(text):
        if raw.start < consumed or is_percent_word(text, raw):
            continue
        q = _read_safely(text, negate(text, raw))
        if q is not None:
            out.append(q)
            # A multiplier or unit after the number (万元, 亿条) is not a number of its own.
            consumed = q.unit_end if q.unit else q.end
    return _mark_ranges(text, _merge_money(text, out))


# What reading a number may raise: a value too large for a float, a form missing from the
# lexicon. Such a number is skipped, as is one whose base value is not finite.
_UNREADABLE = (ValueError, KeyError, IndexError, OverflowError, ZeroDivisionError)


def _read_safely(text: str, raw: Raw) -> Quantity | None:
    """raw read as a quantity, or None."""
    try:
        q = _read(text, raw)
    except _UNREADABLE:
        return None
    if q.base_value == q.base_value and abs(q.base_value) != float("inf"):
        return q
    return None


# --- what is written after a number ---------------------------------------------------------


@dataclass(slots=True)
class _Reading:
    """What has been read of a quantity so far; each step below refines it in place."""

    value: float
    end: int  # where the reading ends: after the unit, else the multiplier, else the number
    form: str = ""  # the unit as written, without the multiplier
    base: str = ""
    factor: float = 1.0
    mult: float = 1.0
    mult_written: str = ""
    trail: str = ""  # a vague word read with the multiplier (3万余, 50多万)
    written: str = ""  # the multiplier and unit as shown (亿元, million yuan)

    def take_unit(self, unit: UnitRead | None) -> bool:
        """Take the unit read, if there is one; whether there was."""
        if unit is None:
            return False
        self.form, self.base, self.factor = unit.form, unit.base, unit.factor
        self.end = unit.end
        return True

    def take_mult(self, mult: Multiplier) -> None:
        self.mult, self.mult_written = mult.value, mult.written
        self.trail, self.end = mult.qualifier, mult.end

    def take_english(self, mult: Multiplier | None, unit: UnitRead | None) -> None:
        if mult is not None:
            self.take_mult(mult)
        self.take_unit(unit)


def _read(text: str, raw: Raw) -> Quantity:
    reading = _Reading(raw.value, raw.end)
    _READERS.get(raw.script, _read_english_words)(text, raw, reading)
    return _finish(text, raw, reading)


def _read_percent_word(text: str, raw: Raw, r: _Reading) -> None:
    """百分之三十 is 30 %, 千分之五 5 ‰ (0.5 %)."""
    r.form, r.base, r.factor = ("%" if raw.scale == 1 else "‰"), "percent", raw.scale


def _read_half(text: str, raw: Raw, r: _Reading) -> None:
    """对折 is 50 %; 半成 5 %, 半折 50 %, 半吨 0.5 t."""
    if text[raw.start:raw.end] == "对折":
        r.form, r.base, r.factor, r.value = "折", "percent", 1.0, 50.0
    elif r.take_unit(zh_unit(text, raw.end)) and r.form == "折":
        r.factor = 100.0


def _read_english_words(text: str, raw: Raw, r: _Reading) -> None:
    """two million herders: English number words hold their multipliers."""
    r.take_unit(english_words_after(text, raw.end))


def _read_numeral(text: str, raw: Raw, r: _Reading) -> None:
    """After Arabic digits or a Chinese numeral: a multiplier, a unit, in Chinese or English."""
    pos = raw.end
    at = pos + (1 if text[pos:pos + 1] == " " else 0)
    direct = zh_unit_form(text, at)
    if _english_money(text, raw, direct):
        r.take_english(*english_after(text, raw.start, pos, raw.value))  # $3bn, US$ 1.2 million
    elif len(direct) > 1 and direct[0] in "千兆百":
        r.take_unit(zh_unit(text, at))  # it starts like a multiplier: 千瓦, 兆瓦, 百分点
    else:
        _read_multiplier_and_unit(text, raw, r)
    _read_half_or_tenths(text, r)


def _english_money(text: str, raw: Raw, direct: str) -> bool:
    """$3bn: money in digits before an English multiplier (no Chinese unit comes first)."""
    if raw.script != "ar" or not symbol_before(text, raw.start, "- "):
        return False
    return direct[:1].isascii() and en_multiplier_at(text, raw.end)


def _read_multiplier_and_unit(text: str, raw: Raw, r: _Reading) -> None:
    """3万余人, 1.4万人次, 50多万平方公里; else, after digits, the English reading (5 million
    tons, 744 online stores)."""
    pos = raw.end
    mult = multiplier_after(text, pos, raw.script)
    if mult is not None:
        r.take_mult(mult)
    unit_start = r.end + (1 if not r.mult_written and text[pos:pos + 1] == " " else 0)
    if r.take_unit(zh_unit_after(text, unit_start)):
        return
    if raw.script == "ar" and not r.mult_written and not r.trail:
        mult, unit = english_after(text, raw.start, pos, raw.value)
        r.take_english(mult, unit)
        if unit is None and r.mult_written:
            r.take_unit(zh_unit(text, r.end))  # 5 million 元


# Base units that a trailing 半 does not add half a unit to (一吨半 is 1.5 t, 三个半 is not).
_NO_HALF_BASES = ("percent", "percentage_point", "count", "person", "person_time", "household",
                  "item", "other", "")


def _read_half_or_tenths(text: str, r: _Reading) -> None:
    """一吨半, 三斤半: and a half; 三成半, 七成六, 八五折: tenths."""
    if r.form and r.base not in _NO_HALF_BASES and text.startswith("半", r.end):
        r.value, r.end = r.value + 0.5, r.end + 1
    elif r.form in ("成", "折"):
        r.value, r.factor, r.end = tenths(text, r.value, r.form, r.factor, r.end)


_READERS = {
    "pct": _read_percent_word, "half": _read_half,
    "ar": _read_numeral, "cn": _read_numeral, "mix": _read_numeral,
}


# --- the quantity ---------------------------------------------------------------------------


def _finish(text: str, raw: Raw, r: _Reading) -> Quantity:
    """The quantity of a reading: money symbols, 'percent of', its role and qualifier."""
    r.written = _written(r)
    trailing = _TRAILING_QUALIFIER.match(text, r.end)
    trail = r.trail or (trailing.group(1) if trailing else "")
    if raw.script == "ar":
        _read_money_symbols(text, raw, r)
    if _percent_of(text, raw, r.base):
        r.base, r.written = "percent", "%"
    if not r.base:
        r.base = "count" if r.written else ""
    base_value = r.value * r.mult * r.factor
    if trailing:
        r.end = max(r.end, trailing.end())  # 3万人以上: the qualifier is part of the quantity
    return Quantity(start=raw.start, end=raw.end, unit_end=max(r.end, raw.end), value=r.value,
                    unit=r.written.strip(), base_value=base_value, base_unit=r.base or "count",
                    qualifier=_qualifier_of(text, raw, trail), role=_role_of(text, raw, r))


def _written(r: _Reading) -> str:
    """The multiplier and unit as shown: 亿元, million yuan (a space between English words)."""
    space = (r.mult_written and r.form[:1].isascii() and r.form
             and r.mult_written[-1:].isascii())
    return (r.mult_written + (" " if space else "") + r.form).strip()


def _read_money_symbols(text: str, raw: Raw, r: _Reading) -> None:
    """$5, US$ 3 million, 20€: a currency sign makes a bare number or count money."""
    sym = symbol_before(text, raw.start)
    if sym and r.base in ("", "count"):
        r.base = currency_of_symbol(sym.group(1), after=False)
        r.written = (sym.group(1) + " " + r.written).strip()
    after = symbol_after(text, r.end)
    if after and r.base in ("", "count"):
        r.base = currency_of_symbol(after.group(1), after=True)
        r.written = (r.written + " " + after.group(1)).strip()
        r.end = after.end()


_PERCENT_OF_BEFORE = re.compile(r"(?:percents?|per\s?cent|percentage)\s+of\s+$", re.I)


def _percent_of(text: str, raw: Raw, base: str) -> bool:
    """'a percentage of 12': the number after is a percent."""
    if base not in ("", "count") or not raw.start or text[raw.start - 1] != " ":
        return False
    return _PERCENT_OF_BEFORE.search(text[max(0, raw.start - 20):raw.start]) is not None


# 1,432 and -1,432.5 are numbers with thousands separators; 1,43 and 12,3456 are not.
_THOUSANDS = re.compile(r"-?\s?\d{1,3}(,\d{3})+(\.\d+)?")


def _role_of(text: str, raw: Raw, r: _Reading) -> str:
    found = role(text, raw, r.form, r.base, r.mult, r.end)
    if found == "amount" and text[r.end:r.end + 1] == "级" and r.form:
        found = "word"  # 万亩级, 百亿级: a scale adjective, not an amount
    number = text[raw.start:raw.end]
    if raw.script == "ar" and "," in number and not _THOUSANDS.fullmatch(number):
        found = "number"  # digits joined by commas: a list, not a figure
    return found


# --- qualifiers -----------------------------------------------------------------------------

# One search; the leftmost word that reaches the number wins, so 不超过 is "under", not "over".
_QUALIFIER_BEFORE = re.compile(
    "(?:"
    + "|".join(f"(?P<{name}>{'|'.join(words)})" for name, words in QUALIFIERS_BEFORE.items())
    + r")\s*$", re.I)
# The last letter of each of those words: before a number whose last non-blank character is
# none of these, no word can end, and the search (the costliest of a quantity's) is skipped.
# Sound under re.I: only i, s and k match letters outside ASCII, and no word ends in one.
_QUALIFIER_ENDS = frozenset(w[-1].lower() for words in QUALIFIERS_BEFORE.values() for w in words)
_TRAILING_QUALIFIER = re.compile(r"\s?(" + "|".join(QUALIFIERS_AFTER) + ")")
_QUALIFIER_AFTER = {**QUALIFIERS_AFTER, **QUALIFIERS_INSIDE}
# Inside a Chinese numeral: 十几万, 三千多万, 十余万 are "over" the round number.
_VAGUE_INSIDE = re.compile(r"[几余多]")


def _qualifier_of(text: str, raw: Raw, trail: str) -> str:
    """The qualifier of a number: words before it, else a vague word after it or its
    multiplier; 数十亿 and 几百万 are approximate, 十几万 is over."""
    found = _qualifier(text, raw.start, trail)
    if raw.script != "cn" or found != "exact":
        return found
    if text[max(0, raw.start - 1):raw.start] in ("数", "几"):
        return "approx"  # 数十亿, 几百万: some tens of hundreds of millions
    if _VAGUE_INSIDE.search(text[raw.start:raw.end]):
        return "over"
    return found


def _qualifier(text: str, start: int, trail: str) -> str:
    before = text[max(0, start - 14):start]
    found = _qualifier_word_before(before)
    if found:
        return found
    if before.endswith("上") and text[start:start + 1] in "百千万":
        return "over"  # 上百万: over a million
    return _QUALIFIER_AFTER.get(trail, "exact")


def _qualifier_word_before(before: str) -> str:
    """The qualifier that a word at the end of before (blanks after it aside) names, else ""."""
    tail = before.rstrip()  # strips what \s matches, no more and no less
    if not tail or tail[-1].lower() not in _QUALIFIER_ENDS:
        return ""
    m = _QUALIFIER_BEFORE.search(before)
    return (m.lastgroup or "exact") if m else ""


# --- money in two units ---------------------------------------------------------------------

_MONEY_SUB = {"角": 0.1, "毛": 0.1, "分": 0.01, "分钱": 0.01, "美分": 0.01, "cents": 0.01,
              "cent": 0.01, "pence": 0.01, "penny": 0.01, "mao": 0.1, "fen": 0.01}
_MAIN_CURRENCIES = ("CNY", "USD", "EUR", "GBP")
_MONEY_GAP = re.compile(r"\s?(?:and\s|又|零)?\s?")  # 3 dollars and 50 cents, 五元零五分


def _merge_money(text: str, out: list[Quantity]) -> list[Quantity]:
    """壹元贰角, 五元三毛, 3 dollars 50 cents, thirteen dollars forty five: one amount."""
    result: list[Quantity] = []
    for q in out:
        prev = result[-1] if result else None
        if prev is not None and _money_follows(text, prev, q):
            sub = _money_sub(text, prev, q)
            if sub is not None:
                result[-1] = _with_sub(prev, *sub)
                continue
        result.append(q)
    return result


def _money_follows(text: str, prev: Quantity, q: Quantity) -> bool:
    """Whether q may be a sub-unit of the money prev: of its unit or bare, after a short gap."""
    same = prev.base_unit == q.base_unit
    if not same and not (q.base_unit in ("count", "") and prev.base_unit in _MAIN_CURRENCIES):
        return False
    if not _MONEY_GAP.fullmatch(text[prev.unit_end:q.start]):
        return False
    return prev.role == "amount" or prev.unit[-1:] in ("元", "圆", "角", "块", "毛")


def _money_sub(text: str, prev: Quantity, q: Quantity) -> tuple[float, int] | None:
    """The base amount and end of a sub-unit (角, 分, cents) after a money amount, or None."""
    if (prev.base_unit not in ("CNY", "USD", "EUR", "GBP", "JPY") or prev.qualifier != "exact"
            or q.value < 0):
        return None
    unit = q.unit.lower()
    prev_factor = prev.base_value / (prev.value or 1)
    if unit in _MONEY_SUB and prev_factor > _MONEY_SUB[unit] and q.value < 100:
        return q.value * _MONEY_SUB[unit], q.unit_end  # 3元5角, 2 dollars 50 cents
    if not q.unit and text.startswith(("分", "毛", "角"), q.end) and q.value < 100:
        return q.value * _MONEY_SUB[text[q.end]], q.end + 1
    if (not q.unit and prev.unit.lower().endswith(("dollars", "dollar")) and q.value < 100
            and q.value == int(q.value)):
        return q.value * 0.01, q.unit_end  # thirteen dollars forty five
    if unit in ("角", "毛") and prev.unit[-1:] in ("元", "圆", "块"):
        return q.value * 0.1, q.unit_end
    return None


def _with_sub(prev: Quantity, amount: float, end: int) -> Quantity:
    """prev with a sub-unit amount (in base units) added, ending where the sub-unit ends."""
    factor = prev.base_value / prev.value if prev.value else 1.0
    return Quantity(prev.start, prev.end, end, prev.value + amount / factor, prev.unit,
                    prev.base_value + amount, prev.base_unit, prev.qualifier, prev.role)


# --- ranges ---------------------------------------------------------------------------------

_RANGE_SEP = re.compile(r"^\s?(?:[-—–~～]|至|到|to)\s?$")


def _mark_ranges(text: str, out: list[Quantity]) -> list[Quantity]:
    """30%-60%, 3至5个: the low end reads 'over', the high end 'under'; a bare low end takes
    the high's unit."""
    result = list(out)
    for i in range(len(result) - 1):
        lo, hi = result[i], result[i + 1]
        if _is_range(text, lo, hi):
            result[i], result[i + 1] = _range_ends(lo, hi)
    return result


def _is_range(text: str, lo: Quantity, hi: Quantity) -> bool:
    if lo.role not in ("amount", "number") or hi.role not in ("amount", "number"):
        return False
    if not _RANGE_SEP.match(text[lo.unit_end:hi.start]):
        return False
    return not (lo.unit and hi.unit and lo.base_unit != hi.base_unit)


def _range_ends(lo: Quantity, hi: Quantity) -> tuple[Quantity, Quantity]:
    factor = hi.base_value / hi.value if hi.value else 1.0
    lo_unit, lo_base = (lo.unit, lo.base_value) if lo.unit else (hi.unit, lo.value * factor)
    low = Quantity(lo.start, lo.end, lo.unit_end, lo.value, lo_unit, lo_base, hi.base_unit,
                   "over" if lo.qualifier == "exact" else lo.qualifier, hi.role, "low")
    high = Quantity(hi.start, hi.end, hi.unit_end, hi.value, hi.unit, hi.base_value,
                    hi.base_unit, "under" if hi.qualifier == "exact" else hi.qualifier, hi.role,
                    "high")
    return low, high
