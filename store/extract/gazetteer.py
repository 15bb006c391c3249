"""The gazetteer: Tibet's administrative divisions (the region, 7 prefecture-level divisions, 74
county-level divisions, development zones), China's provinces and common cities, and world areas,
with official Chinese names, English names and pinyin/Tibetan-romanized aliases.

Paths run from the widest region: Tibet's places start at 西藏自治区 (["西藏自治区", "昌都市",
"芒康县"]), other Chinese places at 中国, world places at 全球. Towns and villages named in a text
(米瑞乡通麦村, Mendong Village) are found by pattern and attached under the county named just
before them. Self references (全县, 全市, 全村) come back with levels self_county, self_city and
self_village for the caller to resolve against what was named before.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Short forms too ambiguous to match alone (ordinary words, or one character).
_UNSAFE = {"自治区", "区内"}
_TOWN_SUFFIX = re.compile(r"([\u4e00-\u9fff]{1,4}?)(乡|镇|村|街道|社区)(?![\u4e00-\u9fff]{0,1}(?:级|民|委|组|干部|振兴|建设|发展|集体|党|医|卫))")
_TOWN_BAD = re.compile(
    r"^(行政|自然|全|该|本|各|每|乡|城|农|新农|示范|贫困|美丽|特色|搬迁|安置|易地|重点|边境|中心|试点|电商|淘宝|"
    r"旅游|产业|文明|生态|和美|宜居|小康|先进|幸福|富|强|县|市|区|镇|村|城乡|下|在|到|进|入|驻|返|回|留|出|走|全县|"
    r"一|二|三|四|五|六|七|八|九|十|几|多|上|等|和|与|及|的|个|两)"
)
_EN_TOWN = re.compile(r"\b([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s(Village|Township|Town)\b")


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    name_en: str
    level: str
    parent: str | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    place: Place
    surface: str
    path: tuple[str, ...] = ()


@cache
def _data() -> tuple[dict[str, Place], dict[str, Place]]:
    raw = json.loads(resources.files("tibet_facts.store.extract").joinpath("data", "gazetteer.json").read_text("utf-8"))
    by_name: dict[str, Place] = {}
    by_alias: dict[str, Place] = {}
    for row in raw["places"]:
        p = Place(row["name"], row["name_en"], row["level"], row["parent"], tuple(row["aliases"]))
        by_name[p.name] = p
    for p in by_name.values():
        for alias in (p.name, p.name_en, *p.aliases):
            by_alias.setdefault(alias.lower(), p)
    return by_name, by_alias


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Chinese names (case does not apply: a plain, fast alternation) and Latin names (whole words,
    any case)."""
    _, by_alias = _data()
    zh = sorted((a for a in by_alias if not a.isascii() and a not in _UNSAFE), key=len, reverse=True)
    en = sorted((a for a in by_alias if a.isascii() and len(a) > 2), key=len, reverse=True)
    en_body = "|".join(re.escape(a) for a in en)
    return re.compile(first_char_guard(zh)), re.compile(rf"\b(?:{en_body})\b", re.I)


# A run starts only where digits start (never inside them): tried at every digit of a long
# number, `[0-9]*` would rescan the rest of it each time and take quadratic time. A match never
# ends before a digit (its tail takes digits), so no run is lost.
_LATIN_RUN = re.compile(r"(?<![0-9])[0-9]*+[A-Za-z][A-Za-z0-9'’ ,.&-]*")


def latin_finditer(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """Matches of a Latin-word pattern, searched only inside runs of Latin text: in a Chinese
    document those runs are a tiny part, and a case-folding alternation is slow to run everywhere."""
    out: list[re.Match[str]] = []
    for run in _LATIN_RUN.finditer(text):
        out.extend(pattern.finditer(text, run.start(), run.end()))
    return out


def first_char_guard(words: list[str]) -> str:
    """An alternation of literal words behind a one-character class: the regex engine then skips
    the many positions where no word can start instead of trying every alternative there."""
    firsts = "".join(sorted({re.escape(w[0]) for w in words if w}))
    body = "|".join(re.escape(w) for w in words)
    return f"(?=[{firsts}])(?:{body})"


def all_places() -> list[Place]:
    return list(_data()[0].values())


def place(name_or_alias: str) -> Place | None:
    """A place by official name or any alias (Latin aliases case-insensitive)."""
    by_name, by_alias = _data()
    key = (name_or_alias or "").strip()
    return by_name.get(key) or by_alias.get(key.lower())


def path(name: str) -> list[str]:
    """Official names from the widest region down to this place."""
    by_name, _ = _data()
    out: list[str] = []
    current = by_name.get(name)
    while current is not None and current.name not in out:
        out.append(current.name)
        current = by_name.get(current.parent) if current.parent else None
    out.reverse()
    # Roots above a place are implied (a province is in China); they stay only for the roots themselves.
    return [n for n in out if n not in ("全球", "中国")] or out


@cache
def _children() -> dict[str, list[str]]:
    kids: dict[str, list[str]] = {}
    for p in all_places():
        if p.parent:
            kids.setdefault(p.parent, []).append(p.name)
    return kids


def descendants(name: str) -> set[str]:
    """Official names of every place under name (not name itself)."""
    found: set[str] = set()
    todo = list(_children().get(name, []))
    while todo:
        n = todo.pop()
        if n not in found:
            found.add(n)
            todo.extend(_children().get(n, []))
    return found


def _known_mentions(text: str) -> list[Mention]:
    _, by_alias = _data()
    zh, en = _patterns()
    out = []
    for matches in (zh.finditer(text), latin_finditer(en, text)):
        for m in matches:
            p = by_alias.get(m.group(0).lower())
            if p is not None:
                out.append(Mention(m.start(), m.end(), p, m.group(0)))
    out.sort(key=lambda m: m.start)
    return out


def _local_mentions(text: str, known: list[Mention]) -> list[Mention]:
    """Towns and villages right after a known county/prefecture/town (林芝市巴宜区米瑞乡通麦村)."""
    out: list[Mention] = []
    anchors = [m for m in known if m.place.level in ("prefecture", "county", "zone", "town")]
    known_starts = {k.start for k in known}
    for anchor in anchors:
        pos, parent, chain = anchor.end, anchor.place, tuple(path(anchor.place.name))
        while True:
            m = _TOWN_SUFFIX.match(text, pos)
            if not m or _TOWN_BAD.match(m.group(0)) or pos in known_starts:
                break
            level = "town" if m.group(2) in ("乡", "镇", "街道") else "village"
            village = Place(m.group(0), m.group(0), level, parent.name)
            chain = (*chain, village.name)
            out.append(Mention(m.start(), m.end(), village, m.group(0), chain))
            pos, parent = m.end(), village
    starts = [k.start for k in known]
    for m in _EN_TOWN.finditer(text):
        county = _county_after(known, starts, m.end())
        if county is not None:
            level = "village" if m.group(2) == "Village" else "town"
            village = Place(m.group(0), m.group(0), level, county.place.name)
            out.append(Mention(m.start(), m.end(), village, m.group(0), (*path(county.place.name), village.name)))
    return out


def _county_after(known: list[Mention], starts: list[int], pos: int) -> Mention | None:
    """The first county named at most 3 characters after pos ("Mendong Village, Tingri County"):
    found by bisection, not by a scan of every mention for every town."""
    i = bisect.bisect_left(starts, pos)
    while i < len(known) and known[i].start - pos <= 3:
        if known[i].place.level == "county":
            return known[i]
        i += 1
    return None


_LEAD_TOWN = re.compile(r"(?:^|(?<=[，。；：、\n“]))([\u4e00-\u9fff]{2,3}?)(乡|镇)(?=[\u4e00-\u9fff])")


def _leading_towns(text: str, known: list[Mention]) -> list[Mention]:
    """A township named at the start of a clause ("吉达乡设立特色产品展销平台"), placed under the
    county named last before it."""
    out: list[Mention] = []
    starts = [k.start for k in known]
    counties = [k for k in known if k.place.level == "county"]
    county_ends = [k.end for k in counties]
    for m in _LEAD_TOWN.finditer(text):
        name = m.group(1) + m.group(2)
        i = bisect.bisect_right(starts, m.start()) - 1
        if _TOWN_BAD.match(name) or (i >= 0 and known[i].start <= m.start() < known[i].end):
            continue
        c = bisect.bisect_right(county_ends, m.start()) - 1
        county = counties[c] if c >= 0 else None
        if county is None:
            continue
        town = Place(name, name, "town", county.place.name)
        out.append(Mention(m.start(), m.end(), town, name, (*path(county.place.name), name)))
    return out


def _repeated_villages(text: str, local: list[Mention]) -> list[Mention]:
    """A village named once under its county is recognised again later on its own (托麦村 … 托麦村)."""
    out: list[Mention] = []
    named = {m.place.name: m for m in local}
    if not named:
        return out
    # One pass for every name (not one pass of the text per name). At each offset only the
    # longest name matters: find_mentions keeps the longest mention of each start, and a shorter
    # one there would overlap it. The lookahead lets names overlap, as separate passes did.
    words = sorted(named, key=len, reverse=True)
    for m in re.finditer(f"(?=({first_char_guard(words)}))", text):
        first = named[m.group(1)]
        if m.start() != first.start:
            out.append(Mention(m.start(), m.start() + len(m.group(1)), first.place, m.group(1), first.path))
    return out


def _covered(spans: list[Mention], points: list[Mention]) -> list[bool]:
    """For each point, whether a span holds its start (x.start <= p.start < x.end): bisection
    over the spans sorted by start, with the furthest end reached so far."""
    ordered = sorted(spans, key=lambda x: x.start)
    starts = [x.start for x in ordered]
    reach: list[int] = []
    for x in ordered:
        reach.append(max(reach[-1], x.end) if reach else x.end)
    out = []
    for p in points:
        i = bisect.bisect_right(starts, p.start) - 1
        out.append(i >= 0 and reach[i] > p.start)
    return out


def find_mentions(text: str) -> list[Mention]:
    """Every place mentioned, non-overlapping, in text order."""
    known = _known_mentions(text)
    local = _local_mentions(text, known)
    leading = _leading_towns(text, known)
    local += [t for t, inside in zip(leading, _covered(local, leading), strict=True) if not inside]
    found = sorted(known + local + _repeated_villages(text, local), key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Mention] = []
    for m in found:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


def mention_path(m: Mention) -> list[str]:
    """The path of a mention, including towns and villages found in the text."""
    return list(m.path) if m.path else path(m.place.name)
