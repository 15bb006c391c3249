"""Numbers written in words: Chinese numerals (一千二百万, 两成, 壹佰, 三点五, 二分之一) and English
number words (two million, twenty-five, a dozen, half). Pure functions; no regexes of the
scanner live here, only the arithmetic of reading a numeral once it has been found.
"""

from __future__ import annotations

DIGITS = {
    "零": 0, "〇": 0, "○": 0, "洞": 0, "一": 1, "壹": 1, "幺": 1, "二": 2, "贰": 2, "两": 2, "俩": 2, "三": 3, "叁": 3,
    "仨": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9,
    "玖": 9,
}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "廿": 20, "卅": 30}
BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12}
CN_NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)


def _section(text: str) -> float | None:
    """A numeral below 万: 三千零五十, 十一, 二十, 廿三."""
    total = 0.0
    digit: float | None = None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch] if digit is None or ch not in "零〇○" else digit
            if ch in "零〇○":
                digit = None
        elif ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            if unit in (20, 30):
                total += unit
                digit = None
                continue
            total += (digit if digit is not None else 1) * unit
            digit = None
        else:
            return None
    if digit is not None:
        total += digit
    return total


def _plain_digits(text: str) -> float | None:
    """Digit-by-digit readings without units (二〇二五 -> 2025, 三五 -> 35)."""
    if text and all(ch in DIGITS for ch in text) and len(text) > 1:
        return float("".join(str(DIGITS[ch]) for ch in text))
    return None


def chinese_integer(text: str) -> float | None:
    """一千二百万 -> 12000000; 十万亿 -> 1e13; None when text is not a Chinese integer."""
    if not text:
        return None
    plain = _plain_digits(text)
    if plain is not None:
        return plain
    # Split on the biggest unit first so that 一千亿一千万一千零一 reads 1000e8 + 1000e4 + 1001.
    return _big(text)


def _big(text: str) -> float | None:
    """Recursive reading over 亿, 万 (and 兆): 'A亿B' = A*1e8 + B, where A may itself hold 万."""
    for ch, value in (("兆", 10**12), ("亿", 10**8), ("億", 10**8), ("万", 10**4), ("萬", 10**4)):
        idx = text.rfind(ch)
        if idx < 0:
            continue
        left, right = text[:idx], text[idx + 1:]
        lval = _big(left) if left else 1.0
        if lval is None:
            return None
        rval = 0.0
        if right:
            rval_ = _big(right)
            if rval_ is None:
                return None
            rval = rval_
            # 一万五 means 15000: a lone trailing digit counts in the next lower place.
            if len(right) == 1 and right in DIGITS and right not in "零〇○":
                rval *= value / 10
        return lval * value + rval
    if text and text[-1] in DIGITS and len(text) >= 2 and text[-2] in ("百", "千", "佰", "仟"):
        # 三千五 = 3500, 两百五 = 250
        head = _section(text[:-1])
        if head is None:
            return None
        step = 100 if text[-2] in ("千", "仟") else 10
        return head + DIGITS[text[-1]] * step
    return _section(text)


def chinese_number(text: str) -> float | None:
    """Any Chinese numeral: signs (负), decimals (点), fractions (分之), mixed (又), integers."""
    text = text.strip()
    if not text:
        return None
    sign = 1.0
    if text[0] in "负負":
        sign, text = -1.0, text[1:]
    if "又" in text:
        whole, _, frac = text.partition("又")
        a, b = chinese_number(whole), chinese_number(frac)
        return None if a is None or b is None else sign * (a + b)
    if "分之" in text:
        den, _, num = text.partition("分之")
        d, n = chinese_number(den), chinese_number(num)
        return None if not d or n is None else sign * n / d
    for point in ("点", "點"):
        if point in text:
            whole, _, frac = text.partition(point)
            w = chinese_integer(whole) if whole else 0.0
            if w is None or not frac or any(ch not in DIGITS for ch in frac):
                return None
            return sign * float(f"{int(w)}.{''.join(str(DIGITS[c]) for c in frac)}")
    value = chinese_integer(text)
    return None if value is None else sign * value


# --- English number words ----------------------------------------------------------------

EN_UNITS = {
    "zero": 0, "oh": 0, "nil": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
           "eighty": 80, "ninety": 90}
EN_SCALES = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
             "lakh": 10**5, "crore": 10**7}
EN_FRACTIONS = {"half": 0.5, "halves": 0.5, "quarter": 0.25, "quarters": 0.25, "third": 1 / 3, "thirds": 1 / 3,
                "fourth": 0.25, "fourths": 0.25, "fifth": 0.2, "fifths": 0.2, "tenth": 0.1, "tenths": 0.1}
EN_WORDS = set(EN_UNITS) | set(EN_TENS) | set(EN_SCALES) | {"dozen", "dozens", "a", "an", "and"} | set(EN_FRACTIONS)


def english_words(tokens: list[str]) -> float | None:
    """['seven', 'million', 'five', 'hundred', 'twenty', 'thousand'] -> 7520000."""
    total = 0.0
    current = 0.0
    seen = False
    for raw in tokens:
        word = raw.lower()
        if word in ("and", "a", "an"):
            if word in ("a", "an"):
                current = current or 1.0
            continue
        if word in EN_UNITS:
            current += EN_UNITS[word]
        elif word in EN_TENS:
            current += EN_TENS[word]
        elif word in ("dozen", "dozens"):
            current = (current or 1) * 12
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in EN_SCALES:
            total += (current or 1) * EN_SCALES[word]
            current = 0.0
        elif word in EN_FRACTIONS:
            frac = EN_FRACTIONS[word]
            if current and word not in ("half", "halves"):
                current = current * frac if current < 1 or current <= 9 else current + frac
            else:
                current = current + frac if current else frac
        else:
            try:
                current += float(word.replace(",", ""))
            except ValueError:
                return None
        seen = True
    return total + current if seen else None
