"""The noun phrase that names what a figure measures, from the syntax of its clause.

Chinese: the clause before the number is segmented with parts of speech (jieba's dictionary
through `rjieba`, its Rust port: ~0.2 s to load, a few microseconds a phrase). The measure is the
run of nominal words that ends where the verbs and adverbs introducing the number begin
("全区网络零售额突破" -> 网络零售额); places, times, pronouns and function words are left out. A
count names what it counts after its measure word ("12个部门印发" -> 部门), a share what it is a
share of ("实物商品网络零售额占社会消费品零售总额比重" -> part and whole).

The segmenter knows every phrase of the indicator vocabulary as one nominal word, so that 收入
(a verb to jieba) and 接待游客 stay measures.
"""

from __future__ import annotations

import mmap
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from tibet_facts.store.extract.metric_vocab import terms, vocabulary
from tibet_facts.store.extract.translate import noun_first, verb_only

# Parts of speech (jieba's tag set) of words that can be part of a measure's name.
_NOMINAL = frozenset(("n", "nz", "vn", "ng", "nt", "nl", "j", "eng", "an", "b", "k", "zg", "g"))
# Places (ns, and s for place words such as 对外; nrt is how jieba tags transliterated names
# such as 林芝, 拉萨) and people's names (nr).
_PLACE_TAGS = frozenset(("ns", "nrt", "nr", "nrfg", "s"))
# Words that introduce a number, whatever their part of speech (突破 is a noun to jieba): they
# end a measure's name, never are one.
_INTRODUCERS = frozenset((
    "同比", "环比", "比上年", "较上年", "分别", "累计", "共计", "合计", "总计", "共", "已经", "已", "均", "仍",
    "就", "都", "还", "再", "达到", "达", "高达", "已达", "突破", "超过", "超", "逾", "近", "约", "大约", "将近",
    "接近", "不到", "不足", "仅为", "仅", "只有", "为", "是", "有", "增长", "增加", "下降", "减少", "提高",
    "提升", "上升", "增至", "升至", "降至", "实现", "完成", "拥有", "共有", "现有", "新增", "达成", "增", "降",
    "累计达到", "累计达", "超出", "多", "余", "以上", "左右", "预计", "可", "能", "将", "每年", "年均",
))
# Words that say a figure is a share, or a whole's total: not part of the whole's name.
_SHARE_WORDS = frozenset(("比重", "比例", "份额", "占比", "总量", "总数", "总额", "的"))
# Generic words that name no measure by themselves.
_GENERIC = frozenset(("总额", "总量", "总数", "数量", "数", "规模", "金额", "数值", "水平"))
_TIME_TAGS = frozenset(("t", "tg"))
# Words that join two nominal words into one phrase (软件和信息服务业).
# Adverbs, particles, prepositions, numbers, measure words, punctuation.
_FUNCTION_TAGS = frozenset(("d", "ul", "uz", "ug", "u", "p", "m", "q", "x"))
_JOINERS = frozenset(("和", "及", "与", "、", "或"))
# Words of scope ("the whole region") that say where, never what.
_SCOPE = frozenset((
    "全区", "全市", "全县", "全镇", "全乡", "全村", "全地区", "全省", "全国", "全球", "全州", "我区", "我市",
    "我县", "本市", "本县", "该县", "该市", "该区", "区", "市", "县", "镇", "乡", "村", "地区", "项目区", "境内",
    "县域", "县域内", "辖区", "西藏", "自治区", "各地", "各类", "各级", "其中", "当地", "本地", "年", "月", "日",
    "同比", "环比", "目前", "现", "现有", "累计", "合计", "共计", "总计", "全部", "所有", "已", "近", "约",
))
# Nouns a clause opens with that are its subject, not a measure.
_SUBJECT_ONLY = frozenset(("记者", "我们", "他们", "大家", "群众", "政府", "当地政府", "部门"))
_CLAUSE_CUT = re.compile(r"[，,。；;：:！？!?﹔]|——")
_PAREN = re.compile(r"[（(][^）)]{0,30}[）)]|[“”‘’\"'《》〈〉【】]")
_LATIN_OR_DIGIT = re.compile(r"^(?=.*[A-Za-z])[0-9A-Za-z.%+\-]+$")
_SHARE = re.compile(r"占(?!地|用|领|有)")
_CAUSATIVE = re.compile(r"(?:使|让|令|导致|致使)$")
# "财富仅为全球总额的2%": a part that is a percentage of a whole.
_OF_WHOLE = re.compile(r"(?:仅|只|约|大约)?(?:为|是)([^，,为是]{2,16})的$")
_LONGEST = 10  # words in a measure's name, at most
# "价格比项目实施前平均提高了": a change stated against a comparison; the measure is before it.
_COMPARED = re.compile(r"(?<!占)(?:比|较)(?!重|例|率)[^，,]{0,16}?(?:提高|增加|增长|下降|减少|降低|上升|下降|多|少)了?$")


@dataclass(frozen=True, slots=True)
class Phrase:
    """A measure's words as found in the clause, and how the figure relates to them."""

    words: tuple[str, ...] = ()
    counted: bool = False  # the counted noun after a measure word ("12个部门")
    share_of: tuple[str, ...] = ()  # the whole in "A占B比重"
    share: bool = False  # a share of what the words name
    verbs: tuple[str, ...] = field(default=())  # a verb naming the measure (投入, 创收), no noun
    named_after: bool = False  # the words follow the figure ("建成5亩新品种试验示范基地")

    @property
    def text(self) -> str:
        return "".join(self.words)

    def __bool__(self) -> bool:
        return bool(self.words or self.verbs)


@cache
def _segmenter() -> Any:
    """jieba's dictionary with the terms of economic news as nouns (built once). rjieba's own
    instance is used (a second one would cost 25 MB more); nothing else in the process uses it."""
    _headroom()
    try:
        import rjieba  # the extraction stack only: a lookup never segments
    except ImportError as exc:
        if "map segment" in str(exc) or "allocate memory" in str(exc):
            raise MemoryError(str(exc)) from exc  # under a memory limit: say so in one line
        raise
    for word in terms():
        if len(word) > 1 and not rjieba.has_word(word):
            rjieba.add_word(word, None, "n")
    return rjieba


# What loading the segmenter maps (its dictionary: ~40 MB), asked for first: a Rust library
# aborts the process when an allocation fails, where Python raises MemoryError.
_SEGMENTER_BYTES = 64 << 20


def _headroom() -> None:
    """MemoryError now, while it can be one, if the segmenter would not fit."""
    try:
        probe = mmap.mmap(-1, _SEGMENTER_BYTES)  # address space only: no page is touched
    except OSError as exc:
        raise MemoryError("no room for the segmenter's dictionary") from exc
    probe.close()


def tag(text: str) -> list[tuple[str, str]]:
    """Words and parts of speech of a short text; a phrase of the indicator vocabulary is one
    nominal word (收入 is a verb to jieba; 5G通达率 would be cut apart)."""
    pairs: list[tuple[str, str]] = []
    at = 0
    for m in vocabulary().matches(text):
        if m.start > at:
            pairs += _segmenter().tag(text[at:m.start])
        pairs.append((text[m.start:m.end], "nz"))
        at = m.end
    if at < len(text):
        pairs += _segmenter().tag(text[at:])
    # A word of economic news that jieba calls a verb but the dictionary first knows as a noun
    # (选手 "contestant") is a noun in a metric's name.
    return [(w, "n") if p.startswith("v") and w in terms() and noun_first(w) else (w, p)
            for w, p in pairs]


def _nominal(word: str, pos: str) -> bool:
    if word in _SCOPE or word in _JOINERS or word in _INTRODUCERS:
        return False
    latin = pos == "x" and bool(_LATIN_OR_DIGIT.match(word)) and not word.isdigit()
    code = pos == "m" and bool(re.fullmatch(r"[0-9]*[A-Za-z]+[0-9A-Za-z]*", word))  # 5G, O2O
    return pos in _NOMINAL or latin or code


def _is_place(word: str, pos: str, places: frozenset[str]) -> bool:
    return pos in _PLACE_TAGS or word in places or word in _SCOPE


def noun_run(pairs: Sequence[tuple[str, str]],
             places: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The nominal words that end a clause, read back from its end: introducing verbs and
    adverbs skipped, places and scope words left out, stopped by a verb, a time, a number or
    a function word before the run."""
    i = len(pairs) - 1
    while i >= 0 and not _nominal(*pairs[i]):
        i -= 1
    words: list[str] = []
    while i >= 0 and len(words) < _LONGEST:
        word, pos = pairs[i]
        if _nominal(word, pos) and word not in places:
            words.append(word)
        elif word in _JOINERS and words and i > 0 and _nominal(*pairs[i - 1]):
            words.append(word)
        elif pos == "a" and words and word not in _INTRODUCERS:
            words.append(word)  # an adjective before a noun: 优质羊绒 (合同 is one to jieba)
        elif pos.startswith("v") and words and word in terms() and i > 0 and (
                _nominal(*pairs[i - 1]) or pairs[i - 1][1] == "a"):
            words.append(word)  # a modifier jieba calls a verb, between nouns: 牦牛育肥项目
        elif not (_is_place(word, pos, places) or pos == "x" and not word.strip()):
            break
        i -= 1
    words.reverse()
    while words and (words[0] in _JOINERS):
        words.pop(0)
    if "".join(words) in _GENERIC or len("".join(words)) < 2:
        return ()
    return tuple(words)


def noun_after(text: str, places: frozenset[str] = frozenset(), *,
               counted: bool = True) -> tuple[str, ...]:
    """The nominal words that open text ("部门印发…" -> 部门; "的行政村" -> 行政村); after a
    count, a verbal noun ends them (what those counted did)."""
    pairs = tag(_PAREN.sub("", _CLAUSE_CUT.split(text, maxsplit=1)[0])[:24])
    while pairs and pairs[0][0] in ("的", "之", "以上", "左右", "多", "余"):
        pairs = pairs[1:]
    words: list[str] = []
    for word, pos in pairs:
        if words and counted and (pos == "vn" and word not in terms() or verb_only(word)):
            break  # "部门印发": the counted noun, then what it did
        adjective = pos == "a" and not words and len(word) > 1  # 优秀选手
        if _nominal(word, pos) and word not in places or adjective:
            words.append(word)
        elif pos in _PLACE_TAGS and not words:
            continue
        elif word in _JOINERS and words:
            words.append(word)
        else:
            break
    while words and words[-1] in _JOINERS:
        words.pop()
    return tuple(words[:_LONGEST])


def _last_verbs(pairs: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    """The last verb of a clause with no measure noun ("那曲地区共投入" -> 投入)."""
    for word, pos in reversed(pairs):
        if pos.startswith("v") and len(word) >= 2 and word not in _INTRODUCERS:
            return (word,)
        if pos not in _FUNCTION_TAGS and word not in _INTRODUCERS:
            break
    return ()


def verb_after(text: str, *, adjectives: bool = False) -> tuple[str, ...]:
    """What those counted did, when the clause goes on with a verb ("26亿人未接入互联网" ->
    未接入互联网): at most four words, up to a function word."""
    words: list[str] = []
    for word, pos in tag(_PAREN.sub("", _CLAUSE_CUT.split(text, maxsplit=1)[0])[:16]):
        if pos in ("uj", "ul", "x", "p", "c", "m", "q") or len(words) == 4:
            break
        opens = pos in ("v", "vn", "d") or adjectives and pos in ("a", "ad", "n", "vn")
        if not words and not opens:
            break
        words.append(word)
    return tuple(words) if any(len(w) > 1 for w in words) else ()


def _whole(text: str, places: frozenset[str]) -> tuple[str, ...]:
    """The whole of a share ("占社会消费品零售总额比重达" -> 社会消费品零售总额), without the words
    saying it is a share or a total; empty when only a place's total is left (占全区总量)."""
    words = list(noun_run(tag(text), places))
    while words and words[-1] in _SHARE_WORDS:
        words.pop()
    return tuple(words) if "".join(words) not in _GENERIC and len("".join(words)) >= 2 else ()


def clause_before(text: str) -> str:
    """The clause that ends at the number, without brackets and quotation marks."""
    return _PAREN.sub("", _CLAUSE_CUT.split(text)[-1])


def _misfits(words: tuple[str, ...], dim: str) -> bool:
    """Whether words are an indicator of another dimension than the figure's."""
    ind = vocabulary().exact("".join(words))
    return bool(dim) and dim != "percent" and ind is not None and not ind.fits(dim)


def _unit_counted(noun: str, after: tuple[str, ...]) -> Phrase:
    """A count whose unit is its noun ("4县", "20个村"): of that noun, qualified by the words
    after it ("4县绒山羊产业" -> 绒山羊产业县), or one word with them (个村 + 邮站 = 村邮站)."""
    joined = noun + "".join(after)
    if after and (vocabulary().exact(joined) or joined in terms()):
        return Phrase(words=(joined,), counted=True)
    return Phrase(words=(*after, noun) if after else (noun,), counted=True)


def phrase_zh(before: str, after: str, places: Iterable[str] = (), *, counted: bool = False,
              percent: bool = False, unit: str = "", dim: str = "") -> Phrase:
    """The measure of a Chinese figure from its clause before the number, the text after its
    unit and the unit as written (a count's unit may hold its noun: 个县)."""
    known = frozenset(places)
    unit_noun_ = unit_noun(unit) if counted else ""
    clause = clause_before(before)
    share = _SHARE.search(clause) if percent else None
    of_whole = _OF_WHOLE.search(clause) if percent and not share else None
    if share or of_whole:
        cut = share or of_whole
        assert cut is not None
        part = noun_run(tag(clause[:cut.start()]), known)
        whole = clause[cut.end():] if share else cut.group(1)
        return Phrase(words=part, share_of=_whole(whole, known), share=True)
    compared = _COMPARED.search(clause)
    pairs = tag(clause[:compared.start()] if compared else clause)
    head = noun_run(pairs, known)
    if head and head[-1] in _SUBJECT_ONLY and len(head) == 1 or _CAUSATIVE.search(clause):
        head = ()  # "战乱使1.4亿人陷入…": the cause is not what is counted
    after_words = noun_after(after, known, counted=counted) if counted or percent or not head or \
        _misfits(head, dim) else ()
    if head and after_words and _misfits(head, dim) and not _misfits(after_words, dim):
        head = ()  # "860万旅游人次和68亿元旅游收入": the money is the revenue named after it
    if counted and unit_noun_:
        return _unit_counted(unit_noun_, after_words)
    if counted and after_words and len("".join(after_words)) >= 2:
        return Phrase(words=after_words, counted=True)
    if head:
        return Phrase(words=head, counted=counted)
    predicate = verb_after(after, adjectives=True) if percent else ()
    if len("".join(predicate)) > len("".join(after_words)):
        return Phrase(words=predicate, share=True)  # "35%进展顺利": the share of those that did
    if after_words:
        return Phrase(words=after_words, counted=counted, share=percent, named_after=True)

    if counted:
        did = verb_after(after)
        if did:
            return Phrase(verbs=did, counted=True)
    return Phrase(verbs=_last_verbs(pairs), counted=counted)


# Measure words of counts; what is left of a unit without them is the noun counted (个县 -> 县).
_CLASSIFIERS = re.compile(r"^[万亿千百十]*(?:个|家|项|名|人次|人|户|场次|场|次|条|块|期|种|款|件|单|所|张|间|"
                          r"位|座|辆|台|套|批|处|只|头|口|支|份|部|届|轮|大|多|余)?")


def unit_noun(unit: str) -> str:
    """The noun a count's unit holds ("个县" -> 县, "市地" -> 市地, "大类" -> 类别), else ""."""
    rest = _CLASSIFIERS.sub("", unit.strip(), count=1)
    if rest in ("类", "大类") or unit.strip() in ("类", "大类"):
        return "类别"
    if unit.strip().lstrip("万亿千百十") == "单":
        return "订单"  # 240单: orders
    return rest if re.fullmatch(r"[\u4e00-\u9fff]{1,4}", rest) else ""
