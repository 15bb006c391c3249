"""Which of the twelve topics a figure is about, from the words around it.

A keyword lexicon (data/topics.json, loaded once) is scored over the fact's clause, sentence,
paragraph and section heading, nearer scopes weighing more; ties and silence fall back to the
document's own leading topic, then to economy_general.
"""

from __future__ import annotations

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


def choose(scopes: list[str], prior: dict[str, float] | None = None) -> str:
    """The topic of a fact given its texts from the nearest scope out (clause, sentence, ...);
    the prior (its section's keyword counts) is normalized so that a long section cannot
    outweigh the words around the figure."""
    total: dict[str, float] = defaultdict(float)
    for text, weight in zip(scopes, SCOPE_WEIGHTS, strict=False):
        for topic, value in score(text).items():
            total[topic] += value * weight
    if prior:
        mass = sum(prior.values())
        for topic, value in prior.items():
            total[topic] += PRIOR_WEIGHT * value / mass
    if not total:
        return DEFAULT
    return max(sorted(total), key=lambda t: total[t])
