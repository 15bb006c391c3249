"""Units and multipliers: the lexicon and what is written right after a number.

The lexicon is data/units.json (Chinese and English unit forms -> base unit and factor, money
symbols before and after a number) and the multiplier words (万 亿, thousand million bn k M).
The readers each look at one position of a text and say what unit or multiplier is written
there: a Chinese unit (亿元, 千瓦时), 块 as money or as a count, an English unit (square metres,
yuan RMB), the head noun of a counted English phrase (744 online stores), a Chinese multiplier
with its vague word (3万余, 50多万) and an English one (1.2 million, $3bn, 5G is not one).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from tibet_facts.store.extract.lexicon import HAN
from tibet_facts.store.extract.numerals import DIGITS, EN_NUMBER_WORDS

CN_MULT = {
    "十": 10, "百": 100, "千": 1e3, "万": 1e4, "亿": 1e8, "萬": 1e4, "億": 1e8, "兆": 1e12,
}
EN_MULT = {
    "hundred": 100, "mil": 1e6, "tln": 1e12, "tn": 1e12, "thousand": 1e3, "million": 1e6,
    "billion": 1e9, "trillion": 1e12, "k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9,
    "mln": 1e6, "bln": 1e9, "lakh": 1e5, "crore": 1e7,
}


@dataclass(frozen=True, slots=True)
class UnitRead:
    """A unit found after a number: as written, its base unit, the factor to it, and its end."""

    form: str
    base: str
    factor: float
    end: int


@dataclass(frozen=True, slots=True)
class Multiplier:
    """A multiplier after a number: its value, as written, a vague word read with it (多, 余)
    and its end."""

    value: float
    written: str
    qualifier: str
    end: int


# --- the lexicon ----------------------------------------------------------------------------


@cache
def unit_table() -> dict[str, dict[str, object]]:
    """data/units.json: zh and en forms -> [base unit, factor]; symbols and symbols_after."""
    folder = resources.files("tibet_facts.store.extract")
    units: dict[str, dict[str, object]] = json.loads(
        folder.joinpath("data", "units.json").read_text("utf-8"))
    return units


@cache
def zh_unit_pattern() -> re.Pattern[str]:
    """Every Chinese form, longest first; a form ending in a Latin letter (kW) ends a word."""
    forms = sorted(unit_table()["zh"], key=len, reverse=True)
    return re.compile("|".join(
        re.escape(f) + ("(?![A-Za-z])" if f[-1].isascii() else "") for f in forms))


@cache
def en_unit_pattern() -> re.Pattern[str]:
    """Every English form as a whole word, longest first; a space in a form matches any run."""
    forms = sorted(unit_table()["en"], key=len, reverse=True)
    body = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)
    return re.compile(rf"(?:{body})(?![A-Za-z])", re.I)


def en_entry(form: str, default: list[object]) -> list[object]:
    """The [base unit, factor] of an English form as matched (any case, any spaces)."""
    entry: list[object] = unit_table()["en"].get(  # type: ignore[assignment]
        _SPACES.sub(" ", form.lower()), default)
    return entry


_SPACES = re.compile(r"\s+")


# --- Chinese units --------------------------------------------------------------------------

_HAN = re.compile(HAN)


def zh_unit_form(text: str, pos: int) -> str:
    """The Chinese unit form written at pos, "" if none."""
    m = zh_unit_pattern().match(text, pos)
    return m.group(0) if m else ""


def zh_unit(text: str, pos: int) -> UnitRead | None:
    """The Chinese unit written at pos, if any."""
    m = zh_unit_pattern().match(text, pos)
    if not m:
        return None
    form = m.group(0)
    entry: list[object] = unit_table()["zh"][form]  # type: ignore[assignment]
    return UnitRead(form, str(entry[0]), float(str(entry[1])), m.end())


def zh_unit_after(text: str, pos: int) -> UnitRead | None:
    """The Chinese unit at pos, 块 read as money or as a count by what follows it."""
    return _block_money(text, pos) or zh_unit(text, pos)


def _block_money(text: str, pos: int) -> UnitRead | None:
    """块 is money (三块, 三块钱) unless a noun follows (48块电子显示屏)."""
    if text.startswith("块钱", pos):
        return UnitRead("块钱", "CNY", 1.0, pos + 2)
    if not text.startswith("块", pos):
        return None
    nxt = text[pos + 1:pos + 2]
    if not nxt or not _HAN.match(nxt) or nxt in "五半":
        return UnitRead("块", "CNY", 1.0, pos + 1)
    return UnitRead("块", "count", 1.0, pos + 1)


# A multiplier after a number, with a vague word before or after it: 3万余, 50多万, 十几.
_CN_AFTER = re.compile(r"\s?(?P<q1>[多余几])?(?P<mult>[十百千万亿]{1,3})?(?P<q2>[多余])?")


def multiplier_after(text: str, end: int, script: str) -> Multiplier | None:
    """Vague words and multipliers after a number ending at end: 3万余, 50多万, 1.4万.

    A Chinese numeral (script cn or mix) holds its own multipliers: a multiplier character
    after one starts a unit (三 then 千比特), and only a vague word before it is read."""
    m = _CN_AFTER.match(text, end)
    if not m or not (m.group("mult") or m.group("q1")):
        return None
    vague = m.group("q1") or ""
    if script in ("cn", "mix") and m.group("mult"):
        return Multiplier(1.0, "", vague, end + len(vague))
    value = 1.0
    for ch in m.group("mult") or "":
        value *= CN_MULT[ch]
    return Multiplier(value, m.group("mult") or "", vague or m.group("q2") or "", m.end())


def tenths(text: str, value: float, unit: str, factor: float,
           end: int) -> tuple[float, float, int]:
    """三成半 = 35 %, 七成六 = 76 %, 八五折 = 85 %: tenths, with a trailing half or digit.

    Returns the value, the factor and the end, each as read."""
    nxt = text[end:end + 1]
    if nxt == "半":
        return value + 0.5, factor, end + 1
    if (nxt and nxt in DIGITS and text[end + 1:end + 2] not in ("成", "折", "个", "年")
            and value == int(value) < 10):
        return value + DIGITS[nxt] / 10, factor, end + 1
    if unit == "折" and value >= 10:
        return value, 1.0, end  # 85折 is written as a percent already
    return value, factor, end


# --- English units --------------------------------------------------------------------------

_DASH_GAP = re.compile(r"\s*(?:-\s*)?")
# "yuan RMB", "million yuan (RMB)": the currency's code after its name.
_CODE_AFTER = re.compile(r"\s+(RMB|CNY)\b")


def en_unit(text: str, pos: int) -> UnitRead | None:
    """The English unit after pos (past spaces and a dash), or a % one space away at most."""
    dash = _DASH_GAP.match(text, pos)
    at = dash.end() if dash else pos
    um = en_unit_pattern().match(text, at)
    if um:
        form = _SPACES.sub(" ", um.group(0).lower())
        entry: list[object] = unit_table()["en"][form]  # type: ignore[assignment]
        code = _CODE_AFTER.match(text, um.end())
        end = code.end() if code else um.end()
        return UnitRead(text[at:end], str(entry[0]), float(str(entry[1])), end)
    if text.startswith("%", at) and at - pos <= 1:
        return UnitRead("%", "percent", 1.0, at + 1)
    return None


# Words that end a counted noun phrase, or cannot be its head.
_EN_COUNT_STOP = {
    "are", "is", "was", "were", "be", "been", "have", "has", "had", "in", "of", "to", "for",
    "from", "with", "by", "on", "at", "and", "or", "that", "which", "who", "will", "would",
    "can", "could", "as", "than", "per", "each", "a", "an", "the", "this", "these", "those",
    "it", "its", "their", "more", "less", "about", "over", "under", "into", "after", "before",
    "since", "during", "while", "through", "across", "so", "but", "not", "also", "all", "up",
    "out",
}
_NEXT_WORD = re.compile(r"\s+([A-Za-z][A-Za-z\-']*)")


def counted_noun(text: str, pos: int) -> UnitRead | None:
    """The head noun of a counted English noun phrase: '744 online stores are' -> 'stores'.

    Its base unit is the lexicon's when the noun is a unit word, else count."""
    last = _head_noun(text, pos)
    if last is None:
        return None
    noun = last.group(1)
    base = en_entry(noun, ["count", 1])[0]
    return UnitRead(noun, str(base), 1.0, pos + last.end())


def _head_noun(text: str, pos: int) -> re.Match[str] | None:
    """The last of up to five adjacent lower-case words after pos, stopping at a plural."""
    last: re.Match[str] | None = None
    expected = pos
    for w in list(_NEXT_WORD.finditer(text[pos:pos + 80]))[:5]:
        word = w.group(1).lower()
        if w.start() + pos != expected or _ends_phrase(w.group(1)):
            break
        last, expected = w, pos + w.end()
        if word.endswith("s") and not word.endswith(("ss", "us")):
            break  # a plural is the head: "stores" in "online stores"
    return last


def _ends_phrase(word: str) -> bool:
    """A function word, a capitalised name or a number word is not part of the noun phrase."""
    low = word.lower()
    return low in _EN_COUNT_STOP or word[0].isupper() or low in EN_NUMBER_WORDS


def english_words_after(text: str, pos: int) -> UnitRead | None:
    """After a number in English words: a unit, else the counted noun (two million herders)."""
    return en_unit(text, pos) or counted_noun(text, pos)


# --- English multipliers --------------------------------------------------------------------

_EN_AFTER = re.compile(
    r"(?:\s*-\s*|\s*)(?P<mult>"
    r"(?i:thousand|million|billion|trillion|hundred|mln|bln|tln|mil|mn|bn|tn)"
    r"|MM|k|K|M|m|B|b|G|T)(?![A-Za-z])")
# A currency sign right before the number (and its minus): $3m is money, so m is million.
_MONEY_SIGN_BEFORE = re.compile(r"(?:[$¥€£]|US\$|HK\$)\s?-?$")
_LETTER_MULT = {"k": 1e3, "K": 1e3, "B": 1e9, "b": 1e9, "M": 1e6}


def en_multiplier_at(text: str, pos: int) -> bool:
    """Whether an English multiplier word or letter is written at pos."""
    return _EN_AFTER.match(text, pos) is not None


def english_after(text: str, start: int,
                  pos: int, value: float) -> tuple[Multiplier | None, UnitRead | None]:
    """After an Arabic number (start..pos) in English: a multiplier (million, bn, k, M), then a
    unit or a counted noun; each None when not written."""
    mult = _english_multiplier(text, start, pos, value)
    end = mult.end if mult else pos
    unit = en_unit(text, end)
    if unit is None and text[end:end + 1] == " ":
        unit = counted_noun(text, end)
    return mult, unit


def _english_multiplier(text: str, start: int, pos: int, value: float) -> Multiplier | None:
    """The multiplier at pos, None when the letters there do not multiply."""
    em = _EN_AFTER.match(text, pos)
    if not em:
        return None
    money_before = _MONEY_SIGN_BEFORE.search(text[max(0, start - 4):start])
    factor = _en_multiplier(em.group("mult"), bool(money_before), value)
    return Multiplier(factor, text[pos:em.end()].strip(), "", em.end()) if factor else None


def _en_multiplier(word: str, money_before: bool, value: float) -> float:
    """Which letters after a number multiply it: words always; k K M MM B bn G; m and T only
    after money. 0 when they do not."""
    low = word.lower()
    if low in EN_MULT and len(low) > 1 and low not in ("mm",):
        return EN_MULT[low]
    if word == "MM":
        return 1e6
    if word in _LETTER_MULT:
        return _LETTER_MULT[word]
    if word in ("m", "T") and money_before:
        return 1e6 if word == "m" else 1e12
    if word == "G" and not (value == int(value) and 2 <= value <= 6):
        return 1e9  # 5G is a network generation
    return 0.0


# --- money symbols --------------------------------------------------------------------------

_SYMBOL_AFTER = re.compile(r"\s?([€£¥$₡₾₭₹₩₽₺₦₱฿]|ரூ)")
_SYMBOL_BEFORE = re.compile(r"(US\$|HK\$|\$|¥|￥|€|£|₭|₹|₩|RMB|CNY|USD|EUR|GBP|JPY)\s?$", re.I)


def symbol_before(text: str, start: int, strip: str = "") -> re.Match[str] | None:
    """A currency symbol or code in the 4 characters before start (after stripping `strip`)."""
    return _SYMBOL_BEFORE.search(text[max(0, start - 4):start].rstrip(strip))


def symbol_after(text: str, end: int) -> re.Match[str] | None:
    """A currency symbol written after a number (20€, 500 ரூ)."""
    return _SYMBOL_AFTER.match(text, end)


def currency_of_symbol(symbol: str, after: bool) -> str:
    """The base unit a money symbol stands for: USD for an unknown one before, else other."""
    if after:
        return str(unit_table()["symbols_after"].get(symbol.lower(), "other"))
    return str(unit_table()["symbols"].get(symbol.lower(), "USD"))
