"""The bilingual vocabulary a metric is named from: indicators and terms.

Indicators (data/metrics.json) are the measures of statistical bulletins and yearbooks (GDP and
its sectors, retail sales, fixed-asset investment, fiscal revenue, disposable income, tourist
arrivals, express volume, power generation, grain...), each with a canonical id, Chinese and
English names, the unit dimensions a figure of it can have and the phrases that name it. Terms
(data/terms.json) are the common words of economic news (县 county, 合作社 cooperative, 育肥
fattening) that a phrase outside the indicators is translated with before the dictionary.

Both load once per process, on first use: a lookup of the store never imports this module.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

# What a base unit measures: facts of two dimensions never measure the same thing.
_DIMENSIONS = {
    "CNY": "money", "USD": "money", "EUR": "money", "GBP": "money", "JPY": "money", "HKD": "money",
    "percent": "percent", "percentage_point": "percent",
    "count": "count", "item": "count", "household": "household", "person": "person",
    "person_time": "person_time",
    "km": "length", "m": "length", "km2": "area", "m2": "area", "mu": "area", "t": "mass",
    "kWh": "energy", "MW": "power",
    "year": "duration", "month": "duration", "week": "duration", "day": "duration",
    "hour": "duration",
}
_CJK = re.compile(r"[\u3400-\u9fff]")


def dimension(base_unit: str) -> str:
    """The dimension of a base unit (money for any currency, count for items...)."""
    return _DIMENSIONS.get(base_unit, "other")


@dataclass(frozen=True, slots=True)
class Indicator:
    """One measure of the vocabulary."""

    id: str
    zh: str
    en: str
    dims: tuple[str, ...]

    def fits(self, dim: str) -> bool:
        """Whether a figure of dimension dim can be a value of this measure."""
        return dim in self.dims


@dataclass(frozen=True, slots=True)
class Match:
    """An indicator's phrase found in a text, at [start, end)."""

    indicator: Indicator
    start: int
    end: int


class Vocabulary:
    """The indicators, searchable by their Chinese and English phrases."""

    def __init__(self, entries: list[dict[str, object]]) -> None:
        self.indicators: dict[str, Indicator] = {}
        self.by_alias: dict[str, list[Indicator]] = {}
        chinese: set[str] = set()
        for entry in entries:
            ind = Indicator(str(entry["id"]), str(entry["zh"]), str(entry["en"]),
                            tuple(str(d) for d in entry["dims"]))  # type: ignore[attr-defined]
            self.indicators[ind.id] = ind
            zh = [str(a).lower() for a in [ind.zh, *entry["zh_alias"]]]  # type: ignore[misc]
            chinese.update(zh)
            en = [str(a).lower() for a in entry["en_alias"]]  # type: ignore[attr-defined]
            for alias in [*zh, *en]:
                self.by_alias.setdefault(alias, []).append(ind)
        # One regular expression shaped as a prefix tree: Python's re tries hundreds of plain
        # alternatives one by one at every character (~0.2 ms a clause), a tree in one pass.
        self._chinese = sorted(chinese)
        self._zh = re.compile(_trie(self._chinese))
        self._english_aliases = sorted(a for a in self.by_alias if not _CJK.search(a))
        self._english: re.Pattern[str] | None = None  # compiled when an English text asks

    def aliases_zh(self) -> list[str]:
        """The phrases of Chinese text (Chinese, or Latin as Chinese text writes it: GDP, 5G)."""
        return list(self._chinese)

    def matches(self, text: str, dim: str | None = None) -> list[Match]:
        """The indicator phrases in text, leftmost and longest first, not overlapping; with
        dim, only of an indicator that fits that dimension (a phrase may name measures of
        several). Chinese text is scanned for Chinese phrases, other text for English ones."""
        low = text.lower()
        pattern = self._zh if _CJK.search(text) else self._english_pattern()
        out = []
        for m in pattern.finditer(low):
            fitting = [c for c in self.by_alias[m.group(0)] if dim is None or c.fits(dim)]
            if fitting:
                out.append(Match(fitting[0], m.start(), m.end()))
        return out

    def _english_pattern(self) -> re.Pattern[str]:
        """English phrases match whole words only ("sales", not "wholesales")."""
        if self._english is None:
            self._english = re.compile(rf"(?<![a-z])(?:{_trie(self._english_aliases)})(?![a-z])")
        return self._english

    def exact(self, phrase: str, dim: str | None = None) -> Indicator | None:
        """The indicator that phrase names as a whole."""
        for ind in self.by_alias.get(phrase.strip().lower(), []):
            if dim is None or ind.fits(dim):
                return ind
        return None


def _trie(words: list[str]) -> str:
    """A regular expression matching the longest of words, as a prefix tree."""
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:  # type: ignore[type-arg]
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        optional = "" in node
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not optional else f"(?:{'|'.join(branches)})"
        return f"{body}?" if optional else body

    return emit(tree)


def _data(name: str) -> dict[str, object]:
    text = resources.files("tibet_facts.store.extract").joinpath("data", name).read_text("utf-8")
    data: dict[str, object] = json.loads(text)
    return data


@cache
def vocabulary() -> Vocabulary:
    """The indicator vocabulary (loaded once)."""
    return Vocabulary(_data("metrics.json")["metrics"])  # type: ignore[arg-type]


@cache
def terms() -> dict[str, str]:
    """Chinese words of economic news -> their English in a metric name (loaded once)."""
    raw = _data("terms.json")["terms"]
    return {str(k): str(v) for k, v in raw.items()}  # type: ignore[attr-defined]
