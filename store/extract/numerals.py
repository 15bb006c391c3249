"""Numbers written in words: Chinese numerals (一千二百万, 两成's 两, 壹佰, 三点五, 二分之一, 5万4千6百)
and English number words (two million, twenty-five, two and a half, three fifths, one over three).

Pure functions. The scanner in quantities.py finds where a numeral is; this module only does the
arithmetic of reading it (and, for English, of cutting a run of number words into numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DIGITS = {
    "零": 0, "〇": 0, "○": 0, "洞": 0, "一": 1, "壹": 1, "幺": 1, "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2, "俩": 2,
    "倆": 2, "三": 3, "叁": 3, "參": 3, "仨": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "陸": 6, "七": 7,
    "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
ZEROS = "零〇○洞"
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "廿": 20, "卅": 30}
BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12}
CN_NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)
# Words that stand for "some" inside a numeral (十几万, 三千多万, 十余万): read as the round number.
CN_VAGUE = "几幾多余餘"

_TOKEN = re.compile(r"\d+(?:\.\d+)?|\S", re.S)


def _tokens(text: str) -> list[tuple[str, float]] | None:
    """Kinds: n = Arabic number, d = Chinese digit, z = zero, s = 十百千, b = 万亿兆."""
    out: list[tuple[str, float]] = []
    for m in _TOKEN.finditer(text):
        tok = m.group(0)
        if tok[0].isdigit():
            out.append(("n", float(tok)))
        elif tok in ZEROS:
            out.append(("z", 0.0))
        elif tok in DIGITS:
            out.append(("d", float(DIGITS[tok])))
        elif tok in SMALL_UNITS:
            out.append(("s", float(SMALL_UNITS[tok])))
        elif tok in BIG_UNITS:
            out.append(("b", float(BIG_UNITS[tok])))
        elif tok in CN_VAGUE:
            continue
        else:
            return None
    return out


def _section(tokens: list[tuple[str, float]]) -> float | None:
    """A numeral below 万: 三千零五十, 十一, 廿三, 三千五 (a trailing digit counts one place down)."""
    total = 0.0
    cur: float | None = None
    last_unit = 0.0
    zero = False
    for kind, value in tokens:
        if kind in "nd":
            if cur is not None:
                return None  # 三五 inside a unit numeral is not a number
            cur = value
        elif kind == "z":
            zero, cur = True, None
        elif value in (20.0, 30.0):  # 廿, 卅
            total += value
            last_unit, cur = 10.0, None
        else:
            total += (1.0 if cur is None else cur) * value
            last_unit, cur, zero = value, None, False
    if cur is not None:
        elided = tokens[-1][0] == "d" and last_unit >= 100 and not zero and len(tokens) >= 2 and tokens[-2][0] == "s"
        total += cur * (last_unit / 10 if elided else 1)
    return total


def _big(tokens: list[tuple[str, float]]) -> float | None:
    """Split on the biggest 万/亿/兆 at its last place: 'A亿B' = A*1e8 + B, where A may hold 万 (十万亿, 10万万)."""
    bigs = [v for k, v in tokens if k == "b"]
    if not bigs:
        return _section(tokens) if tokens else None
    top = max(bigs)
    idx = max(i for i, (k, v) in enumerate(tokens) if k == "b" and v == top)
    left, right = tokens[:idx], tokens[idx + 1:]
    lval = _big(left) if left else 1.0
    if lval is None:
        return None
    rval = 0.0
    if right:
        got = _big(right[1:] if right[0][0] == "z" else right)
        if got is None:
            return None
        rval = got
        # 一万五 is 15000: a lone Chinese digit right after the unit counts one place down.
        if len(right) == 1 and right[0][0] == "d":
            rval *= top / 10
    return lval * top + rval


def chinese_integer(text: str) -> float | None:
    """一千二百万 -> 12000000; 5万4千6百 -> 54600; 二〇二五 -> 2025; None when not an integer numeral."""
    tokens = _tokens(text)
    if not tokens:
        return None
    if len(tokens) > 1 and all(k in "dz" for k, _ in tokens):
        return float("".join(str(int(v)) for _, v in tokens))  # digit by digit: 二〇二五
    return _big(tokens)


def _decimal_digits(text: str) -> str | None:
    digits = []
    for ch in text:
        if ch.isdigit():
            digits.append(ch)
        elif ch in DIGITS or ch in ZEROS:
            digits.append(str(DIGITS.get(ch, 0)))
        elif not ch.isspace():
            return None
    return "".join(digits) or None


def chinese_number(text: str) -> float | None:
    """Any Chinese numeral: signs (负), decimals (点), fractions (分之), mixed (又), integers."""
    text = text.strip()
    if not text:
        return None
    sign = 1.0
    if text[0] in "负負-−":
        sign, text = -1.0, text[1:].strip()
    if "又" in text:
        whole, _, frac = text.partition("又")
        a, b = chinese_number(whole), chinese_number(frac)
        return None if a is None or b is None else sign * (a + b)
    if "分之" in re.sub(r"\s+", "", text):
        den, _, num = re.sub(r"\s+", "", text).partition("分之")
        d, n = chinese_number(den), chinese_number(num)
        return None if not d or n is None else sign * n / d
    for point in ("点", "點"):
        if point in text:
            whole, _, frac = text.partition(point)
            w = chinese_integer(whole) if whole.strip() else 0.0
            digits = _decimal_digits(frac)
            if w is None or digits is None:
                return None
            return sign * (w + float("0." + digits))
    value = chinese_integer(text)
    return None if value is None else sign * value


# --- English number words ----------------------------------------------------------------

EN_UNITS = {
    "zero": 0, "nought": 0, "naught": 0, "nil": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9,
}
EN_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
            "seventeen": 17, "eighteen": 18, "nineteen": 19}
EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
           "eighty": 80, "ninety": 90}
EN_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
# Denominators read alone (three fifths, a hundredth); "first"/"second" only in compounds (twenty-first).
EN_ORD_UNITS = {"first": 1, "firsts": 1, "second": 2, "seconds": 2, "third": 3, "thirds": 3, "fourth": 4,
                "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7,
                "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9}
_TEEN_ORD = {("twelf" if w == "twelve" else w) + "th": v for w, v in EN_TEENS.items()}
EN_ORDS: dict[str, float] = {k: v for k, v in EN_ORD_UNITS.items() if v > 2}
EN_ORDS.update({"half": 2, "halves": 2, "quarter": 4, "quarters": 4})
for _w, _v in list(_TEEN_ORD.items()):
    EN_ORDS[_w], EN_ORDS[_w + "s"] = _v, _v
for _w, _v in EN_TENS.items():
    EN_ORDS[_w[:-1] + "ieth"], EN_ORDS[_w[:-1] + "ieths"] = _v, _v
for _w, _v in {"hundred": 100, **EN_SCALES}.items():
    EN_ORDS[_w + "th"], EN_ORDS[_w + "ths"] = _v, _v
EN_NUMBER_WORDS = (set(EN_UNITS) | set(EN_TEENS) | set(EN_TENS) | set(EN_SCALES) | {"hundred"} | set(EN_ORDS)
                   | {"first", "firsts"})


@dataclass(slots=True)
class _Tok:
    word: str  # lower-cased word, the number as written, or a connector (- , &)
    start: int
    end: int
    kind: str  # unit teen tens hundred scale ord ordu ar and comma hyphen a point over of minus other


def _kind(word: str) -> str:
    if word[0].isdigit() or word[0] == ".":
        return "ar"
    if word in EN_UNITS:
        return "unit"
    if word in EN_TEENS:
        return "teen"
    if word in EN_TENS:
        return "tens"
    if word == "hundred":
        return "hundred"
    if word in EN_SCALES:
        return "scale"
    if word in EN_ORD_UNITS:
        return "ordu" if word not in EN_ORDS else "ord"
    if word in EN_ORDS:
        return "ord"
    return {"and": "and", "&": "and", ",": "comma", "-": "hyphen", "a": "a", "an": "a", "point": "point",
            "over": "over", "out": "out", "of": "of", "minus": "minus", "negative": "minus"}.get(word, "other")


def _word_value(tok: _Tok) -> float:
    w = tok.word
    if tok.kind == "ar":
        return float(w.replace(",", ""))
    return float(EN_UNITS.get(w, EN_TEENS.get(w, EN_TENS.get(w, 0))))


class _Parser:
    """Cuts a run of English number tokens into numbers: 'twenty five and thirty six' -> 25, 36."""

    def __init__(self, toks: list[_Tok], text: str = "") -> None:
        self.t = toks
        self.text = text

    def kind(self, i: int) -> str:
        return self.t[i].kind if 0 <= i < len(self.t) else "end"

    def compound_denominator(self, i: int) -> tuple[float, int] | None:
        """twenty-fifth(s), thirty fifths: a tens word joined to a unit ordinal."""
        if self.kind(i) != "tens":
            return None
        j = i + 1 + (self.kind(i + 1) == "hyphen")
        if self.kind(j) in ("ord", "ordu") and self.t[j].word in EN_ORD_UNITS:
            return EN_TENS[self.t[i].word] + EN_ORD_UNITS[self.t[j].word], j + 1
        return None

    def cardinal(self, i: int) -> tuple[float, int, dict[str, float]] | None:
        """An integer (or decimal Arabic) from token i; returns value, next index and facts about it."""
        total, cur, last, last_scale = 0.0, 0.0, "", float("inf")
        info = {"scaled": 0.0, "and_at": -1.0, "before_and": 0.0, "tail": 0.0, "tail_unit": 0.0}
        j, seen = i, False
        if self.kind(j) == "a" and self.kind(j + 1) in ("hundred", "scale"):
            cur, last, seen, j = 1.0, "unit", True, j + 1
        while j < len(self.t):
            k = self.kind(j)
            if k in ("and", "comma", "hyphen"):
                nk = self.kind(j + 1)
                ok = (k == "hyphen" and last == "tens" and nk == "unit") or (
                    k == "hyphen" and last in ("hundred",) and nk in ("ord",)) or (
                    k == "and" and last in ("hundred", "scale", "tens") and nk in ("unit", "teen", "tens", "ar")
                    and not (nk == "ar" and "." in self.t[j + 1].word)) or (
                    k == "comma" and last == "scale" and nk in ("unit", "teen", "tens"))
                if not ok:
                    break
                if k in ("and", "comma"):
                    info["and_at"], info["before_and"] = float(j), total + cur
                j += 1
                continue
            if seen and k == "tens" and self.compound_denominator(j) and self.kind(j - 1) not in ("and",):
                break  # one hundred thirty fifths = 100/35
            if k in ("unit", "ar"):
                fits = last in ("", "tens", "hundred", "scale") if k == "unit" else last in ("", "hundred", "scale")
                if k == "ar" and last and ("." in self.t[j].word or "," in self.t[j].word):
                    fits = False
                if not fits:
                    break
                cur += _word_value(self.t[j])
            elif k in ("teen", "tens"):
                if last not in ("", "hundred", "scale"):
                    break
                cur += _word_value(self.t[j])
            elif k == "hundred":
                if last not in ("", "unit", "teen", "tens", "ar") or (cur >= 100 and last != "ar"):
                    break
                cur = (cur or 1.0) * 100
            elif k == "scale":
                scale = float(EN_SCALES[self.t[j].word])
                if scale >= last_scale:
                    break
                total += (cur or 1.0) * scale
                cur, last_scale = 0.0, scale
                info["scaled"] = scale
            else:
                break
            last, seen = k, True
            j += 1
        if not seen:
            return None
        if info["and_at"] >= 0:
            tail = self.t[int(info["and_at"]) + 1:j]
            info["tail"] = (total + cur) - info["before_and"]
            info["tail_unit"] = 1.0 if len(tail) == 1 and tail[0].kind == "unit" else 0.0
        return total + cur, j, info

    def fraction_after(self, j: int) -> tuple[float, int, float] | None:
        """'a half', 'three quarters', 'one twenty-fifth' from j: (fraction, next index, numerator)."""
        if self.kind(j) == "a":
            num, k = 1.0, j + 1
        elif self.kind(j) == "unit":
            num, k = _word_value(self.t[j]), j + 1
            if self.kind(k) == "hyphen":
                k += 1
        else:
            return None
        comp = self.compound_denominator(k)
        if comp:
            return num / comp[0], comp[1], num
        if self.kind(k) == "ord":
            return num / EN_ORDS[self.t[k].word], k + 1, num
        return None

    def number(self, i: int, over: bool = True) -> tuple[float, int, bool] | None:
        """One number starting at token i: value, next index, whether it has words. The
        denominator of "one over three" is read with over=False: it is a number, not another
        fraction, so "one over one over one …" neither recurses through the run (a RecursionError
        lost every number of the text) nor rereads it from each word (quadratic)."""
        sign, j0 = 1.0, i
        if self.kind(i) == "minus":
            sign, i = -1.0, i + 1
        fr = self.fraction_after(i) if self.kind(i) == "a" else None
        if fr:  # a fifth, a twenty-first
            return sign * fr[0], fr[1], True
        if self.kind(i) == "ord" and self.t[i].word in ("half", "quarter"):
            part = 1 / EN_ORDS[self.t[i].word]
            if self.kind(i + 1) == "scale":  # half million
                return sign * part * EN_SCALES[self.t[i + 1].word], i + 2, True
            return sign * part, i + 1, True
        card = self.cardinal(i)
        if card is None:
            return None
        value, j, info = card
        words = any(t.kind != "ar" for t in self.t[i:j]) or j0 != i
        k = self.kind(j)
        if k == "hyphen" and self.kind(j + 1) == "ordu" or k == "ordu" and self.kind(j - 1) == "tens":
            return None  # twenty-first: an ordinal, not a number
        if k == "point":  # two hundred point zero three; point seventy-one
            digits, j2 = "", j + 1
            while self.kind(j2) == "unit":
                digits += str(int(_word_value(self.t[j2])))
                j2 += 1
            if not digits and self.kind(j2) in ("teen", "tens"):
                v = _word_value(self.t[j2])
                j2 += 1
                if self.kind(j2) == "hyphen" and self.kind(j2 + 1) == "unit" and v >= 20:
                    v += _word_value(self.t[j2 + 1])
                    j2 += 2
                elif self.kind(j2) == "unit" and v >= 20:
                    v += _word_value(self.t[j2])
                    j2 += 1
                digits = str(int(v))
            if digits:
                value, j, words = value + float("0." + digits), j2, True
        elif k == "hyphen" and self.kind(j + 1) in ("ord",) or k in ("ord",) or self.compound_denominator(j):
            j1 = j + 1 if k == "hyphen" else j
            comp = self.compound_denominator(j1)
            den, j2 = comp if comp else (float(EN_ORDS[self.t[j1].word]), j1 + 1)
            if info["tail_unit"]:  # one hundred and three quarters = 100 + 3/4
                value, j = self._add_fraction(info["before_and"], info["tail"] / den, info["scaled"], j2)
                words = True
            else:
                value, j, words = self._scale_after_fraction(value / den, j2)
        elif k == "and" and self.fraction_after(j + 1):
            frac, j2, _ = self.fraction_after(j + 1) or (0.0, j, 0.0)
            value, j = self._add_fraction(value, frac, info["scaled"], j2)
            words = True
        elif over and k in ("over", "out") and (k == "over" or self.kind(j + 1) == "of"):
            nxt = self.number(j + 1 + (k == "out"), over=False)
            if nxt and nxt[0] and self._ends_phrase(nxt[1]):
                value, j, words = value / nxt[0], nxt[1], True
        return sign * value, j, words

    def _add_fraction(self, whole: float, frac: float, scaled: float, j: int) -> tuple[float, int]:
        """two and a half million, one billion and a half million, one million and a half."""
        if self.kind(j) == "scale":
            scale = float(EN_SCALES[self.t[j].word])
            return (whole + frac * scale if scaled > scale else (whole + frac) * scale), j + 1
        return whole + frac * (scaled or 1.0), j

    def _ends_phrase(self, j: int) -> bool:
        """'2000 over 3' is a fraction, '$2000 over 3 years' is not: nothing may be counted after it."""
        end = self.t[j - 1].end
        nxt = re.match(r"\s*([A-Za-z]+)", self.text[end:end + 30]) if self.text else None
        return nxt is None or nxt.group(1).lower() in ("is", "are", "of", "and", "or", "equals", "the")

    def _scale_after_fraction(self, value: float, j: int) -> tuple[float, int, bool]:
        """two thirds of a million."""
        if self.kind(j) == "of" and self.kind(j + 1) == "a" and self.kind(j + 2) == "scale":
            return value * EN_SCALES[self.t[j + 2].word], j + 3, True
        return value, j, True


_EN_TOKEN = re.compile(r"[A-Za-z]+|\d+(?:,\d{3})*(?:\.\d+)?|\.\d+|[-,&]")


def english_numbers(text: str, start: int, end: int) -> list[tuple[int, int, float, bool]]:
    """Numbers in the run text[start:end] of number words: (start, end, value, has_words)."""
    toks = [_Tok(m.group(0).lower(), m.start(), m.end(), "") for m in _EN_TOKEN.finditer(text, start, end)]
    for t in toks:
        t.kind = _kind(t.word)
    parser = _Parser(toks, text)
    out: list[tuple[int, int, float, bool]] = []
    i = 0
    while i < len(toks):
        starts = ("unit", "teen", "tens", "hundred", "scale", "ar", "a", "minus")
        got = parser.number(i) if toks[i].kind in starts or toks[i].word in ("half", "quarter") else None
        if got is None or got[1] <= i:
            i += 1
            continue
        value, j, words = got
        while j > i + 1 and toks[j - 1].kind in ("and", "comma", "hyphen", "a"):
            j -= 1
        out.append((toks[i].start, toks[j - 1].end, value, words))
        i = j
    return out


def english_words(tokens: list[str]) -> float | None:
    """['seven', 'million', 'five', 'hundred', 'twenty', 'thousand'] -> 7520000 (one number)."""
    text = " ".join(tokens)
    got = english_numbers(text, 0, len(text))
    return got[0][2] if len(got) == 1 else None
