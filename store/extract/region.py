"""Where a figure holds: the most specific place that governs its clause, then its sentence,
paragraph, section (one news dispatch or headed part), then the article.

Places after the number in its clause are objects ("与拉萨高新区达成协议"), not the place the
figure is about, so only mentions before the number govern it. Self references (全县, 全市,
全村) resolve to the nearest county, city or village named before them.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tibet_facts.store.extract import gazetteer
from tibet_facts.store.extract.sentences import WINDOW, Layout, Span

TIBET = "西藏自治区"
# A place followed by one of these (before any punctuation) names an organisation or an event
# ("中国移动西藏公司", "全球数字经济大会"), not the place a figure is about.
_ORG = re.compile(r"^[^，。；：、,;:\s“”]{0,14}?(公司|集团|有限|协会|商会|银行|大会|论坛|学院|大学|医院|研究院|实验室|"
                  r"日报|电视台|报社|出版社|博览会|交易会|峰会|组织|联盟|移动|电信|联通|铁路|航空)|^网")
_DATELINE = re.compile(r"(本报|新华社|中新社|人民网|新华网)[^，。（(]{0,8}?$")
_ACTORS = {"中国"}
_TIME_HEAD = re.compile(r"(?:19|20)\d\d年(?:\d{1,2}月)?(?:\d{1,2}日)?|今年|去年|近年来|目前|截至[^，]{0,8}|[，,]")
_TOPIC_LEADS = {"", "同时", "此外", "另外", "其中", "据悉", "据了解", "而", "全年", "今年以来", "近年来"}
_SELF_LEVELS = {"self_city": ("prefecture",), "self_county": ("county", "zone"), "self_village": ("village", "town")}


@dataclass(frozen=True, slots=True)
class Resolved:
    name: str
    name_en: str
    path: tuple[str, ...]


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    name: str
    name_en: str
    path: tuple[str, ...]
    level: str


def _depth(m: _Mention) -> int:
    return len(m.path)


def _governs(text: str, start: int, end: int, name: str) -> bool:
    """False for places that only name an organisation, a dateline, an actor or a list item."""
    if name in _ACTORS:
        return False
    after = text[end:end + 24]
    if _ORG.match(after) or re.match(r"^[^\W\d_以在为的是将对与和从把被向于及]{0,5}[等、]", after) and not re.match(
            r"^[\u4e00-\u9fff]{0,3}[县市区乡镇村]", after):
        return False  # an organisation or a list item ("成都思瑞奇信息等16家企业", "昌都等6市地")
    if text.rfind("《", max(0, start - 30), start) > text.rfind("》", max(0, start - 30), start):
        return False  # inside a title: 《西藏华泰龙智能化矿山建设规划》
    if _DATELINE.search(text[max(0, start - 10):start]) and re.match(r"^[^，。]{0,3}(电|讯)", after):
        return False
    if re.match(r"^,?\s+[A-Z][a-z]{2}\.?\s+\d{1,2}\s+\((?:Xinhua|China Daily|CGTN|chinadaily)", after):
        return False  # an English dateline: "LHASA, Jan. 15 (Xinhua) --"
    return not (text[end:end + 1] == "、" or text[start - 1:start] == "、")


def resolve_mentions(text: str) -> list[_Mention]:
    """All place mentions, self references resolved against the places named before them."""
    out: list[_Mention] = []
    latest: dict[str, _Mention] = {}  # the last mention of each level, instead of a scan back
    for m in gazetteer.find_mentions(text):
        level = m.place.level
        if level in _SELF_LEVELS:
            target = next((latest[want] for want in _SELF_LEVELS[level] if want in latest), None)
            if target is None:
                continue
            found = _Mention(m.start, m.end, target.name, target.name_en, target.path, target.level)
        else:
            path = tuple(gazetteer.mention_path(m))
            found = _Mention(m.start, m.end, m.place.name, m.place.name_en, path, level)
        out.append(found)
        latest[found.level] = found
    return out


def governing(text: str, mentions: list[_Mention]) -> list[_Mention]:
    return [m for m in mentions if _governs(text, m.start, m.end, m.name)]


class RegionResolver:
    """Resolves the governing place for any offset of one document."""

    def __init__(self, text: str, layout: Layout) -> None:
        self.layout = layout
        self.text = text
        self.all_mentions = resolve_mentions(text)
        self.mentions = governing(text, self.all_mentions)
        self._starts = [m.start for m in self.mentions]
        self.default = self._default()
        self._sections: dict[Span, _Mention | None] = {}
        self._topics: list[_Mention | None] | None = None  # per phrase, see _topic_before
        self._last_topic: list[int] = []

    def _in(self, lo: int, hi: int) -> Iterator[_Mention]:
        """The mentions in [lo, hi), lazily: _best reads only the first few, and a long paragraph
        holds thousands."""
        i = bisect.bisect_left(self._starts, lo)
        j = bisect.bisect_left(self._starts, hi)
        return (self.mentions[k] for k in range(i, j) if self.mentions[k].end <= hi)

    def _default(self) -> _Mention | None:
        """The article's place: Tibet when it is named at all, else the most named place."""
        counts = Counter(m.name for m in self.mentions)
        if not counts:
            return None
        tibetan = [m for m in self.mentions if m.path and m.path[0] == TIBET]
        if tibetan:
            root = next(m for m in tibetan if m.name == TIBET) if any(m.name == TIBET for m in tibetan) else None
            if root is not None:
                return root
        name = counts.most_common(1)[0][0]
        return next(m for m in self.mentions if m.name == name)

    @staticmethod
    def _best(cands: Iterable[_Mention]) -> _Mention | None:
        """The subject place: the first one named, made as specific as the chain that follows it
        without a break (林芝市巴宜区米瑞乡通麦村 -> 通麦村)."""
        found = iter(cands)
        best = next(found, None)
        if best is None:
            return None
        for m in found:
            if m.start > best.end + 1 or _depth(m) <= _depth(best):
                break
            best = m
        return best

    def _is_topic(self, sentence_start: int, mention_start: int) -> bool:
        """A place at the head of its sentence is its topic ("八宿县还打造…"), unlike a place in
        an adverbial ("在日喀则市江孜县举办…")."""
        head = self.text[sentence_start:mention_start]
        head = _TIME_HEAD.sub("", head)
        return head.strip(" ，,、“”\n") in _TOPIC_LEADS

    def _section_place(self, section: Span) -> _Mention | None:
        """A dispatch's subject: the most specific place in its first paragraph that names one
        (found once per section: the search can cross every paragraph of it)."""
        if section not in self._sections:
            found = None
            for para in self.layout.within(self.layout.paragraphs, section.start, section.end):
                found = self._best(self._in(para.start, para.end))
                if found is not None:
                    break
            self._sections[section] = found
        return self._sections[section]

    def _topic_before(self, lo: int, hi: int) -> _Mention | None:
        """The topic place of the last phrase starting in [lo, hi) that has one. A phrase's topic
        depends on the phrase alone, so each is found once, and a running "last phrase with a
        topic so far" answers each figure at once instead of a walk back over its paragraph."""
        phrases = self.layout.phrases
        if self._topics is None:
            self._topics = []
            for k, phrase in enumerate(phrases):
                found = self._best(self._in(phrase.start, phrase.end))
                topical = found is not None and self._is_topic(phrase.start, found.start)
                self._topics.append(found if topical else None)
                self._last_topic.append(k if topical else (self._last_topic[-1] if k else -1))
        i, j = self.layout.bounds(phrases, lo, hi)
        k = self._last_topic[j - 1] if j > i else -1
        return self._topics[k] if k >= i else None

    def resolve(self, pos: int) -> Resolved:
        clause = self.layout.clause_at(pos)
        sentence = self.layout.phrase_at(pos)
        paragraph = self.layout.paragraph_at(pos)
        # 占 ("…占全区的35%") puts the whole after it; only a window back is read, not the clause.
        share_at = self.text.rfind("占", max(clause.start, pos - WINDOW), pos)
        for lo, hi in ((clause.start, share_at if share_at >= 0 else pos), (sentence.start, pos)):
            found = self._best(self._in(lo, hi))
            if found is not None:
                return Resolved(found.name, found.name_en, found.path)
        found = self._topic_before(paragraph.start, sentence.start)
        if found is not None:
            return Resolved(found.name, found.name_en, found.path)
        found = self._best(self._in(paragraph.start, pos))
        if found is not None:
            return Resolved(found.name, found.name_en, found.path)
        found = self._section_place(self.layout.section_at(pos)) or self.default
        if found is None:
            return Resolved("unknown", "unknown", ())
        return Resolved(found.name, found.name_en, found.path)
