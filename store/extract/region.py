"""Where a figure holds: the most specific place that governs it, read outward from the number:
its own list item, its clause, its sentence, a place it is located in after it, the topic of an
earlier sentence, its paragraph, the subject place of its section (headline, lead, dateline),
then the article.

Places after the number in its clause are objects ("与拉萨高新区达成协议"), not the place the
figure is about, so only mentions before the number govern it, except a location ("投资570万元，
在安多县建设…", "91 percent of the capacity in Xizang"). Some places never govern: the whole a
share is taken of (占全区58.8%), a destination or origin (销往上海, "300 km from Shigatse"), a
province that gives aid (上海援藏), a frame of comparison (全球最大, 全国首个), an organisation, a
title or a bare list of places. World-wide and nationwide frames (全球, 亚洲, 全国) are a figure's
place only when its own sentence names them, never a paragraph's or an article's subject. Self
references (全县, 全市, 全村) resolve to the nearest county, city or village named before them.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from tibet_facts.store.extract import gazetteer
from tibet_facts.store.extract.sentences import WINDOW, Layout, Span

T = TypeVar("T")
TIBET = "西藏自治区"
# A place followed by one of these (before any punctuation) names an organisation or an event
# ("中国移动西藏公司", "全球数字经济大会"), not the place a figure is about.
_ORG = re.compile(r"[^，。；：、,;:\s“”]{0,14}?(公司|集团|有限|协会|商会|银行|大会|论坛|学院|大学|医院|研究院|实验室|"
                  r"日报|电视台|报社|出版社|博览会|交易会|峰会|组织|联盟|移动|电信|联通|铁路|航空|孵化器|众创空间|"
                  r"服务中心|促进中心|研究中心)|网(?![络购店格点民])")  # 中国西藏网, not 西藏网络零售额
_DATELINE = re.compile(r"(本报|新华社|中新社|人民网|新华网)[^，。（(]{0,8}?$")
# After a dispatch's place: its date, then 电 or 讯 ("新华社拉萨3月2日电", "本报日喀则讯").
_DATELINE_END = re.compile(r"[^，。\d]{0,3}?(?:\d{1,2}月\d{1,2}日)?(?:电|讯)")
_EN_DATELINE = re.compile(r",?\s+[A-Z][a-z]{2}\.?\s+\d{1,2}\s+"
                          r"\((?:Xinhua|China Daily|CGTN|chinadaily)")
_ACTORS = {"中国"}
# Before a place: the whole that a share is taken of ("占全区的58.8%", "占拉萨市GDP的"), or the
# base of a comparison ("高于全区平均水平3个百分点", "比全国快2.1个百分点").
_SHARE_BASE = re.compile(r"(?:占|占到|占了|占据|高于|低于|快于|慢于|比|超过|超出|领先)$")
# Before a place: where goods go or come from, not where the figure holds.
# Every place of a list after the word is moved to ("销往北京和上海", "sold to Beijing and
# Shanghai"), not only the first.
_MOVED_LIST = r"(?:[\u4e00-\u9fff]{2,6}(?:、|和|及|与))*"
_EN_MOVED_LIST = r"(?:[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*(?:, and |, | and ))*"
_MOVED = re.compile(r"(?:销往|运往|发往|送往|销售到|销售至|卖到|出口到|出口至|运至|发至|销至|来自|来源于)"
                    + _MOVED_LIST + "$|"
                    r"\b(?:from|exported to|shipped to|sold to|delivered to)\s+(?:the\s+)?"
                    + _EN_MOVED_LIST + "$")
# After a place that goods come from: a source of information, not an origin ("来自拉萨市统计局
#的数据").
_SOURCE = re.compile(r"^[^，。；,;]{0,8}?(?:局|厅|委|办|部门|数据|消息|统计)")
# After a place outside Tibet: it gives aid ("上海援藏", "江苏省对口支援"), the aided county holds.
_AID = re.compile(r"^(?:省|市)?(?:援藏|援建|对口支援|对口援藏|援助|帮扶|支援)|"
                  r"^(?: province| municipality| city)?(?: has| have)?(?: so far| also)?"
                  r" (?:invested|sent|dispatched|donated|provided|allocated|funded|aided|assisted"
                  r"|supported|helped|built)\b")
# How far before a place a word of moving goods may stand, with a list between them.
_MOVED_REACH = 40
# After a world-wide or nationwide frame: a comparison ("全球在建规模最大", "全国首个").
_SUPERLATIVE = re.compile(r"^[^，。；,;]{0,8}?(?:最|首个|首家|首条|第一|前列|领先|之最|唯一)")
# Before a place after the number: where the figure happened ("在安多县建设", "in southwest
# China's Xizang").
_LOCATIVE = re.compile(r"(?:[在于]|\bin\s+(?:[\w'’-]+\s+){0,3})$")
# A list whose items carry their own figures ("贡嘎100座、乃东100座"): an item ends after a
# figure and its unit, at 、 or and.
_ITEM_BREAK = re.compile(r"\d[\d.,]*\s*[^\d\s、，。；,;和及与]{0,4}\s*(?:、|和|及|与|以及|\band\b)\s*")
_AFTER_ITEM = re.compile(_ITEM_BREAK.pattern + "$")
# "日喀则市、山南市分别实现30亿元、20亿元", "Lhasa and Nyingchi … 3 million and 2 million
# respectively": the n-th figure belongs to the n-th place of the list.
_RESPECTIVELY = re.compile(r"\brespectively\b")
_LIST_GAP = re.compile(r"\s*(?:、|和|及|与|以及|,|, and|and)\s*")
_FIGURE = re.compile(r"(?<![\d.,])\d[\d.,]*")
_AFTER_REACH = 80  # characters after a figure where a place can still say where it happened
_PSEUDO_LEVELS = {"world", "continent"}
_PSEUDO_NAMES = {"全国"}
_POSSESSIVE = re.compile(r"['’]s\s")
_TIME_HEAD = re.compile(r"(?:19|20)\d\d年(?:\d{1,2}月)?(?:\d{1,2}日)?|今年|去年|近年来|目前|截至[^，]{0,8}|[，,]")
_TOPIC_LEADS = {"", "同时", "此外", "另外", "其中", "据悉", "据了解", "而", "全年", "今年以来", "近年来"}
_SELF_LEVELS = {"self_city": ("prefecture",), "self_county": ("county", "zone"),
                "self_village": ("village", "town")}


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
    governs: bool = False  # see _governs: found once per mention
    dateline: bool = False

    @property
    def pseudo(self) -> bool:
        """A world-wide or nationwide frame, never a paragraph's or an article's subject."""
        return self.level in _PSEUDO_LEVELS or self.name in _PSEUDO_NAMES


def _depth(m: _Mention) -> int:
    return len(m.path)


_BARE_ITEM = re.compile(r"[^\W\d_以在为的是将对与和从把被向于及]{0,5}[等、]")
_NAME_GOES_ON = re.compile(r"[\u4e00-\u9fff]{0,3}[县市区乡镇村]")


def _is_list_item(text: str, start: int, end: int) -> bool:
    """A place in a bare list ("成都思瑞奇信息等16家企业", "昌都等6市地", "拉萨、日喀则"), unless
    its item carries its own figure ("、乃东100座")."""
    if _BARE_ITEM.match(text, end, end + 24) and not _NAME_GOES_ON.match(text, end, end + 24):
        return True
    if text[end:end + 1] == "、":
        return True
    return text[start - 1:start] == "、" and not _AFTER_ITEM.search(text[max(0, start - 16):start])


def _framed(text: str, m: _Mention) -> bool:
    """A share's whole, a destination or origin, an aid giver, or a frame of comparison."""
    before, after = text[max(0, m.start - 16):m.start], text[m.end:m.end + 24]
    if _SHARE_BASE.search(before):
        return True
    moved = _MOVED.search(text, max(0, m.start - _MOVED_REACH), m.start)
    if moved and not (moved.group(0).startswith("来") and _SOURCE.match(after)):
        return True
    if m.path and m.path[0] != TIBET and m.level in ("province", "city") and _AID.match(after):
        return True
    return m.pseudo and bool(_SUPERLATIVE.match(after))


def _is_dateline(text: str, m: _Mention) -> bool:
    if _DATELINE_END.match(text, m.end, m.end + 24) and _DATELINE.search(
            text, max(0, m.start - 10), m.start):
        return True
    return bool(_EN_DATELINE.match(text, m.end, m.end + 24))  # "LHASA, Jan. 15 (Xinhua) --"


def _governs(text: str, m: _Mention) -> bool:
    """False for places that only name an organisation, a title, a list item or a frame (a
    dateline, told apart first by _is_dateline, names the section's place of last resort)."""
    if m.name in _ACTORS or _ORG.match(text, m.end, m.end + 24):
        return False
    if _is_list_item(text, m.start, m.end):
        return False
    lo = max(0, m.start - 30)
    if text.rfind("《", lo, m.start) > text.rfind("》", lo, m.start):
        return False  # inside a title: 《西藏华泰龙智能化矿山建设规划》
    return not _framed(text, m)


def resolve_mentions(text: str) -> list[_Mention]:
    """All place mentions, self references resolved against the places named before them that
    govern or date a dispatch (not a destination or a list: 销往拉萨、山南等地。全市…)."""
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
        found.dateline = _is_dateline(text, found)
        found.governs = not found.dateline and _governs(text, found)
        out.append(found)
        if found.governs or found.dateline:
            latest[found.level] = found
    return out


def governing(mentions: list[_Mention]) -> list[_Mention]:
    return [m for m in mentions if m.governs]


def _last(items: Iterable[T]) -> T | None:
    kept = deque(items, maxlen=1)
    return kept[0] if kept else None


def _resolved(m: _Mention) -> Resolved:
    return Resolved(m.name, m.name_en, m.path)


def _common_place(places: list[_Mention]) -> Resolved | None:
    """The lowest place holding several distinct places (芒康县 and 贡觉县 -> 昌都市; 日喀则市仲巴县
    and 萨嘎县 -> 日喀则市: a place holding another is only its chain), or None."""
    named = list(dict.fromkeys(m.path for m in places if m.path))
    paths = [a for a in named if not any(a != b and b[:len(a)] == a for b in named)]
    if len(paths) < 2:
        return None
    common: list[str] = []
    for names in zip(*paths, strict=False):
        if len(set(names)) > 1:
            break
        common.append(names[0])
    found = gazetteer.place(common[-1]) if common else None
    return Resolved(found.name, found.name_en, tuple(common)) if found else None


class RegionResolver:
    """Resolves the governing place for any offset of one document."""

    def __init__(self, text: str, layout: Layout, body_start: int = 0) -> None:
        self.layout = layout
        self.text = text
        # The front matter (a source URL, "generationt.asia") names no place of the article.
        self.all_mentions = [m for m in resolve_mentions(text) if m.start >= body_start]
        self.mentions = governing(self.all_mentions)
        self._starts = [m.start for m in self.mentions]
        self._all_starts = [m.start for m in self.all_mentions]
        self.datelines = [m for m in self.all_mentions if m.dateline]
        self.default = self._default()
        self._sections: dict[Span, _Mention | None] = {}
        self._topics: list[_Mention | None] | None = None  # per phrase, see _topic_before
        self._last_topic: list[int] = []

    def _in(self, lo: int, hi: int, subjects: bool = False) -> Iterator[_Mention]:
        """The mentions in [lo, hi), lazily: _best reads only the first few, and a long paragraph
        holds thousands. subjects: only places that can be a subject (no world-wide frames)."""
        i = bisect.bisect_left(self._starts, lo)
        j = bisect.bisect_left(self._starts, hi)
        found = (self.mentions[k] for k in range(i, j) if self.mentions[k].end <= hi)
        return (m for m in found if not m.pseudo) if subjects else found

    def _default(self) -> _Mention | None:
        """The article's place: Tibet when it is named at all, else the most named place."""
        subjects = [m for m in self.mentions if not m.pseudo]
        root = next((m for m in subjects if m.name == TIBET), None)
        if root is not None or not subjects:
            return root
        name = Counter(m.name for m in subjects).most_common(1)[0][0]
        return next(m for m in subjects if m.name == name)

    def _best(self, cands: Iterable[_Mention]) -> _Mention | None:
        """The subject place: the first one named, made as specific as the chain that follows it
        without a break (林芝市巴宜区米瑞乡通麦村 -> 通麦村, "Shigatse's Tingri County")."""
        found = iter(cands)
        best = next(found, None)
        if best is None:
            return None
        for m in found:
            if not self._chained(best.end, m.start) or _depth(m) <= _depth(best):
                break
            best = m
        return best

    def _chained(self, end: int, start: int) -> bool:
        """Whether a place starting at start goes on the one ending at end: at most a blank or
        a possessive between them."""
        return start <= end + 1 or bool(_POSSESSIVE.fullmatch(self.text, end, start))

    def _is_topic(self, sentence_start: int, mention_start: int) -> bool:
        """A place at the head of its sentence is its topic ("八宿县还打造…"), unlike a place in
        an adverbial ("在日喀则市江孜县举办…")."""
        head = self.text[sentence_start:mention_start]
        head = _TIME_HEAD.sub("", head)
        return head.strip(" ，,、“”\n") in _TOPIC_LEADS

    def _section_place(self, section: Span) -> _Mention | None:
        """A dispatch's subject: the most specific place in its first paragraph that names one
        (the headline, then the lead), else its dateline's place (found once per section)."""
        if section not in self._sections:
            found = None
            for para in self.layout.within(self.layout.paragraphs, section.start, section.end):
                # A world-wide frame is the subject only of a lead that names nothing else (a
                # headline about the world), not of "…largest in the world, in Tsochen County".
                found = self._best(self._in(para.start, para.end, subjects=True)) or self._best(
                    self._in(para.start, para.end))
                if found is not None:
                    break
            self._sections[section] = found or next(
                (m for m in self.datelines if section.start <= m.start < section.end), None)
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

    def _own_item(self, clause: Span, pos: int) -> _Mention | None:
        """In a list whose items carry their own figures ("贡嘎100座、乃东80座"), the place
        nearest before the figure in its item: the first item runs from the clause start."""
        lo = max(clause.start, pos - WINDOW)
        item = _last(_ITEM_BREAK.finditer(self.text, lo, pos))
        if item is None and not _ITEM_BREAK.match(self.text, pos, clause.end):
            return None
        return _last(self._in(item.end() if item is not None else lo, pos))

    def _respective(self, phrase: Span, pos: int) -> _Mention | None:
        """The n-th place of a list for the n-th figure of a 分别 / "respectively" group."""
        lo, hi = max(phrase.start, pos - WINDOW), min(phrase.end, pos + WINDOW)
        at = self.text.rfind("分别", lo, pos)
        marker = _RESPECTIVELY.search(self.text, pos, hi) if at < 0 else None
        if at < 0 and marker is None:
            return None
        places = self._list_before(lo, at if at >= 0 else pos)
        if len(places) < 2:
            return None
        group = (at, hi) if marker is None else (places[-1].end, marker.start())
        figures = [f.start() for f in _FIGURE.finditer(self.text, *group)]
        k = bisect.bisect_left(figures, pos)
        return places[k] if len(figures) == len(places) and k < len(places) else None

    def _list_before(self, lo: int, hi: int) -> list[_Mention]:
        """The last run of places in [lo, hi) joined by 、/和/and, bare list items included."""
        j = bisect.bisect_left(self._all_starts, hi)
        run: list[_Mention] = []
        for m in reversed(self.all_mentions[bisect.bisect_left(self._all_starts, lo):j]):
            if run and not _LIST_GAP.fullmatch(self.text, m.end, run[0].start):
                break
            run.insert(0, m)
        return run

    def _apposed(self, found: _Mention) -> _Mention:
        """"Tashi Dzom, Tingri County handled…": a county named just after a place in it is an
        apposition, and the place before it (split off by the comma) is the subject."""
        i = bisect.bisect_left(self._starts, found.start)
        prev = self.mentions[i - 1] if i > 0 else None
        if prev is None or self.text[prev.end:found.start].strip() != ",":
            return found
        if prev.path[:len(found.path)] != found.path:
            return found
        return prev if len(prev.path) > len(found.path) else found

    def _located_after(self, sentence: Span, pos: int) -> _Mention | None:
        """A place after the number that says where it happened ("在安多县建设"), not a whole
        (在全区排名第一) nor a frame; read a short way on, where the clause about the figure
        goes on, not the rest of a long sentence."""
        for m in self._in(pos, min(sentence.end, pos + _AFTER_REACH), subjects=True):
            if self.text.startswith("全", m.start):
                continue
            if _LOCATIVE.search(self.text[max(0, m.start - 30):m.start]):
                return m
        return None

    def _paragraph_subject(self, paragraph: Span, pos: int) -> Resolved | None:
        """The first place of the paragraph before the figure, or, when the sentence that names
        it names several places side by side (two projects in two counties), the place that
        holds them all."""
        first = self._best(self._in(paragraph.start, pos))
        if first is None:
            return None
        sentence = self.layout.sentence_at(first.start)
        common = _common_place(list(self._in(sentence.start, min(sentence.end, pos))))
        return common or _resolved(first)

    def _local(self, pos: int) -> Resolved | None:
        """The place the figure's own item, clause or sentence names before it."""
        clause = self.layout.clause_at(pos)
        sentence = self.layout.phrase_at(pos)
        found = self._respective(sentence, pos) or self._own_item(clause, pos)
        # 占 ("…占全区的35%") puts the whole after it: the share is held by the place named
        # last before it (其中拉萨市…，占全区的52%), not by the first of the sentence.
        share_at = self.text.rfind("占", max(clause.start, pos - WINDOW), pos)
        if share_at >= 0:
            found = found or _last(self._in(sentence.start, share_at))
        if found is not None:  # a list item's own place, never the list's
            return _resolved(self._apposed(found))
        found = self._best(self._in(clause.start, pos)) or self._best(self._in(sentence.start, pos))
        if found is not None:
            return self._coordinated(self._apposed(found))
        found = self._located_after(self.layout.sentence_at(pos), pos)
        return _resolved(found) if found is not None else None

    def _coordinated(self, found: _Mention) -> Resolved:
        """A subject that is the first of a list ("仲巴县和萨嘎县共落实…", "两县…" after it): the
        place that holds every item, else the subject itself."""
        i = bisect.bisect_right(self._all_starts, found.start)
        run = [found]
        for m in self.all_mentions[i:i + 8]:
            if not _LIST_GAP.fullmatch(self.text, run[-1].end, m.start):
                break
            run.append(m)
        common = _common_place(run) if len(run) > 1 else None
        return common or _resolved(found)

    def resolve(self, pos: int) -> Resolved:
        local = self._local(pos)
        if local is not None:
            return local
        paragraph = self.layout.paragraph_at(pos)
        found = self._topic_before(paragraph.start, self.layout.phrase_at(pos).start)
        if found is not None:
            return self._coordinated(found)
        common = self._paragraph_subject(paragraph, pos)
        if common is not None:
            return common
        found = self._section_place(self.layout.section_at(pos)) or self.default
        return _resolved(found) if found is not None else Resolved("unknown", "unknown", ())
