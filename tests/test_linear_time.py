"""Extraction time grows linearly with the input, whatever the input (the quadratic-time issue).

Each example is one short generated unit (digits, Latin letters, CJK, punctuation, Chinese
numerals, or a mix of them) repeated into a run of N and of 4N characters. Extracting the longer
run must take well under the 16x a quadratic pattern or a per-figure rescan of its sentence would
(bar: 8x). The shorter run's time is floored, so that timer noise on a fast run cannot fail the
test, and a failing pair is timed once more before it counts. Inputs that were quadratic are
pinned as explicit examples. TF_LINEAR_EXAMPLES sets how many generated units to try (default
12: the file stays well under 30 s on two cores).
"""

from __future__ import annotations

import os
import string
import time

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tibet_facts.store.extract.pipeline import extract_facts

N = 3_000
BAR = 8.0
FLOOR = 0.05  # seconds: a run faster than this is timer noise, not a growth rate
EXAMPLES = int(os.environ.get("TF_LINEAR_EXAMPLES", "12"))

ALPHABETS = {
    "digits": string.digits,
    "latin": string.ascii_letters,
    "cjk": "西藏自治区拉萨市日喀则县乡镇村电商网络零售额增长达到万亿元家个人年月日的了在和占分别累计目前今年去年全县本报讯",
    "punct": "，。、；：！？（）“”《》,.;:!?()-/%$&' \t\n",
    "numerals": "一二三四五六七八九十百千万亿两零点分之成倍",
}
MIXED = "".join(ALPHABETS.values()) + " one two hundred million over of and a the Village"


@st.composite
def units(draw: st.DrawFn) -> str:
    """A short piece of one alphabet (or of all of them) to repeat into a long run."""
    alphabet = draw(st.sampled_from([*ALPHABETS.values(), MIXED]))
    return draw(st.text(alphabet=alphabet, min_size=1, max_size=12))


def _run(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _seconds(text: str) -> float:
    """CPU seconds of this process: a growth rate, not the load of the machine's other work."""
    started = time.process_time()
    extract_facts(text, doc_id="d", doc_name="d.txt", date="2024-06", language="zh")
    return time.process_time() - started


def _ratio(unit: str) -> tuple[float, float, float]:
    """(small, large, large / floored small): the least of two timings when the first fails."""
    small, large = _seconds(_run(unit, N)), _seconds(_run(unit, 4 * N))
    if large / max(small, FLOOR) >= BAR:
        small = min(small, _seconds(_run(unit, N)))
        large = min(large, _seconds(_run(unit, 4 * N)))
    return small, large, large / max(small, FLOOR)


_seconds("预热：2024年拉萨市网络零售额达5.2亿元，增长12%。")  # load the lexicons before any timing


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unit=units())
@example(unit="1234567890")  # the Latin-run pattern backtracked through every digit
@example(unit="5家")  # a figure every 2 characters in one sentence: per-figure slices of it
@example(unit="的的的的的的X5家")  # the trailing-word regex rescanned each run of 的
@example(unit="1 one ")  # every digit checked against every English number word
@example(unit="分别5%和6%")  # 分别 groups scanned every earlier fact
@example(unit="本报拉萨讯5家")  # a dispatch's lead paragraph searched per figure
@example(unit="目前5家")  # times in a long paragraph rescanned per figure
@example(unit="拉萨市堆龙村5家")  # village names searched one pass of the text each
@example(unit=" " * 11 + "x")  # a long run of blanks before a line break
def test_extraction_time_grows_linearly(unit: str) -> None:
    small, large, ratio = _ratio(unit)
    assert ratio < BAR, f"{unit!r}: {small:.3f} s for {N} chars, {large:.3f} s for {4 * N} ({ratio:.1f}x)"


def test_long_numbers_and_lines_grow_linearly() -> None:
    """The issue's own inputs, scaled down: a 30,000-digit number and one 100 KB news-like line,
    each against a quarter of it. Their budgets in seconds (a 1 MB line under 5 s...) are
    measured by bench/bench_linear.py, never by a timed unit test."""
    for unit, size in (("1234567890", 30_000),
                       ("2024年，拉萨市网络零售额达到52.3亿元，同比增长12.5%，快递业务量3000万件；", 100_000)):
        small, large = _seconds(_run(unit, size // 4)), _seconds(_run(unit, size))
        assert large / max(small, FLOOR) < BAR, f"{unit[:10]!r}: {small:.2f} s -> {large:.2f} s"
