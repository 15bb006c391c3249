"""Which of the twelve topics a figure is about, from the words around it.

A keyword lexicon (data/topics.json, loaded once) is scored over the fact's clause, sentence,
paragraph and section heading, nearer scopes weighing more; ties and silence fall back to the
document's own leading topic, then to economy_general.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import defaultdict
from functools import cache
from importlib import resources

DEFAULT = "economy_general"
SCOPE_WEIGHTS = (3.0, 2.0, 1.0, 1.0)


@cache
def _lexicon() -> tuple[re.Pattern[str], dict[str, list[tuple[str, float]]]]:
    raw = json.loads(resources.files("tibet_facts.store.extract").joinpath("data", "topics.json").read_text("utf-8"))
    by_word: dict[str, list[tuple[str, float]]] = {}  # word -> (topic, weight)
    for topic, words in raw.items():
        if topic.startswith("_"):
            continue
        for word, weight in words.items():
            by_word.setdefault(word.lower(), []).append((topic, float(weight)))
    alternation = "|".join(re.escape(w) for w in sorted(by_word, key=len, reverse=True))
    return re.compile(alternation, re.I), by_word


def score(text: str) -> dict[str, float]:
    """Topic weights of the keywords found in text."""
    pattern, by_word = _lexicon()
    counts: dict[str, float] = defaultdict(float)
    for m in pattern.finditer(text):
        for topic, weight in by_word.get(m.group(0).lower(), ()):
            counts[topic] += weight
    return counts


PRIOR_WEIGHT = 2.0
# The words right after a figure (its counted noun: 家医院, "air routes") on top of its clause.
COUNTED_WEIGHT = 2.0


class TopicIndex:
    """Keyword hits of a whole text found in one pass; any span is then scored by bisecting each
    topic's hit positions and taking differences of running totals."""

    def __init__(self, text: str) -> None:
        by_word = _lexicon()[1]
        self.positions: dict[str, list[int]] = defaultdict(list)
        self.totals: dict[str, list[float]] = defaultdict(lambda: [0.0])
        from tibet_facts.store.extract.gazetteer import latin_finditer

        zh, en = _split_patterns()
        for matches in (zh.finditer(text), latin_finditer(en, text)):
            for m in matches:
                for topic, weight in by_word.get(m.group(0).lower(), ()):
                    self.positions[topic].append(m.start())
                    self.totals[topic].append(self.totals[topic][-1] + weight)
        for topic, positions in self.positions.items():
            order = sorted(range(len(positions)), key=positions.__getitem__)
            if order != list(range(len(positions))):  # the Latin pass comes after the Chinese one
                weights = [self.totals[topic][k + 1] - self.totals[topic][k] for k in order]
                self.positions[topic] = [positions[k] for k in order]
                running = [0.0]
                for w in weights:
                    running.append(running[-1] + w)
                self.totals[topic] = running

    def score(self, start: int, end: int) -> dict[str, float]:
        out: dict[str, float] = {}
        for topic, positions in self.positions.items():
            i = bisect.bisect_left(positions, start)
            j = bisect.bisect_left(positions, end)
            if i != j:
                totals = self.totals[topic]
                out[topic] = totals[j] - totals[i]
        return out


@cache
def _split_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Chinese keywords without case folding (much faster), Latin keywords with it."""
    by_word = _lexicon()[1]
    zh = sorted((w for w in by_word if not w.isascii()), key=len, reverse=True)
    en = sorted((w for w in by_word if w.isascii()), key=len, reverse=True)
    from tibet_facts.store.extract.gazetteer import first_char_guard

    return re.compile(first_char_guard(zh)), re.compile("|".join(re.escape(w) for w in en), re.I)


def choose(scopes: list[str], prior: dict[str, float] | None = None) -> str:
    """choose_scored over raw texts."""
    return choose_scored([score(text) for text in scopes], prior)


def choose_scored(scopes: list[dict[str, float]], prior: dict[str, float] | None = None,
                  clause: str = "", counted: dict[str, float] | None = None) -> str:
    """The topic of a fact given its texts from the nearest scope out (clause, sentence, ...);
    the prior (its section's keyword counts) is normalized so that a long section cannot
    outweigh the words around the figure."""
    total: dict[str, float] = defaultdict(float)
    for scored, weight in zip(scopes, SCOPE_WEIGHTS, strict=False):
        for topic, value in scored.items():
            total[topic] += value * weight
    for topic, value in (counted or {}).items():
        total[topic] += value * COUNTED_WEIGHT  # 90家医院: what is counted names the sector
    if prior:
        mass = sum(prior.values())
        for topic, value in prior.items():
            total[topic] += PRIOR_WEIGHT * value / mass
    if not total:
        return DEFAULT
    best = max(sorted(total), key=lambda t: total[t])
    if best == INVESTMENT and _PROJECT_MONEY.search(clause) and not _PROMOTION.search(clause):
        return _sector_of_investment(best, scopes[:2])
    return best


INVESTMENT = "investment_policy"
# Money put into projects, as against investment promotion and policy as such.
_PROJECT_MONEY = re.compile(r"投资|投入|\binvest(?:ed|ment|ments)?\b", re.I)
_PROMOTION = re.compile(r"招商|引资|签约|政策|办法|基金|协议|印发|\b(?:polic(?:y|ies)|fund|signed)\b", re.I)
# Topics that are not a sector an investment can belong to.
_NOT_SECTORS = {INVESTMENT, DEFAULT, "global_development"}


def _sector_of_investment(best: str, near: list[dict[str, float]]) -> str:
    """Investment in a sector's projects (牦牛育肥项目投资) belongs to the sector; investment
    and policy as such (funds, attracting investment) stay investment_policy. The sector is the
    one named in the figure's clause or sentence."""
    sectors: dict[str, float] = defaultdict(float)
    for scored in near:
        for topic, value in scored.items():
            if topic not in _NOT_SECTORS:
                sectors[topic] += value
    return max(sorted(sectors), key=lambda t: sectors[t]) if sectors else best
