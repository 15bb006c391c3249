"""What a number measures: the metric phrase, and a canonical id from a bilingual lexicon.

Chinese news names the metric before the number ("全区网络零售额突破280亿元") or, for counts,
after the measure word ("联合财政等12个部门印发"). English does the same ("online sales ... have
reached 260 million yuan", "27 counties have engaged"). The phrase is cut from the clause with
general rules (times, places, connectives and verbs trimmed); the lexicon (data/metrics.json)
gives Chinese and English facts about the same thing one `metric_id`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

_LEAD = re.compile(
    r"^(?:其中|同时|此外|另外|目前|截至目前|据统计|据了解|数据显示|统计数据显示|近年来|今年以来|去年|今年|全年|"
    r"累计|共|已|还|并|且|而|和|与|及|以及|仅|在|对|为|从|将|由|该|其|这|此|我区|全区|全市|全县|全村|全国|全球|等地的|等地|的|有|"
    r"以下简称[^”]*”|[（(][^）)]*[）)]|“|”|、|\s)+"
)
# Words that trail a metric phrase before its number (增长了, 达到, 的). They are stripped as a
# whole tail: the regex `(?:同比|…|\s)+$` did this, but tried at every character of a long run of
# such words it rescanned the run each time, which is quadratic; _strip_trail reads from the end.
_TRAIL_WORDS = frozenset((
    "同比", "环比", "比上年", "较上年", "分别", "累计", "共计", "合计", "总计", "共", "已经", "已", "均", "仍", "就", "都",
    "还", "再", "达到了", "达到", "高达", "已达", "达", "突破", "超过", "超", "逾", "近", "约", "大约", "将近", "接近",
    "不到", "不足", "仅为", "仅", "只有", "为", "是", "有", "增长了", "增长", "增加了", "增加", "下降了", "下降", "减少",
    "提高了", "提高", "提升", "上升", "增至", "升至", "降至", "实现了", "实现", "完成了", "完成", "占比", "占", "比重",
    "的", "了", "在", "于", "以", "和", "与", "等", "及", "至", "到",
))
_TRAIL_LENGTHS = sorted({len(w) for w in _TRAIL_WORDS})
_COUNT_VERB = re.compile(
    r"(?:建成|建设|开展|举办|带动|吸引|推出|编制|开放|新增|设立|发放|资助|选派|组建|培育|引进|签约|签署|"
    r"联合|统筹|收录|展销|覆盖|惠及|创造|接入|动员|服务|输送|纳入|获评|攻克|研发|形成|申报|立项|完成|上线|"
    r"拥有|有|达成|组织|邀请|吸纳|解决|培训|认定|打造|配送|入驻|参与|参加|进入|涉及|包括)$"
)
_CUT = re.compile(r"[，,。；;：:！？!?]|——")
_EN_TRAIL = re.compile(r"\b(?:have|has|had|were|was|are|is|be|been|reached|reach|of|a total of|total|about|"
                       r"nearly|over|more than|around|approximately|with|an|a|the|to|at|for|by|up)\s*$", re.I)


@dataclass(frozen=True, slots=True)
class Metric:
    zh: str
    en: str
    id: str = ""


@cache
def _lexicon() -> tuple[list[dict[str, object]], re.Pattern[str], dict[str, dict[str, object]]]:
    raw = json.loads(resources.files("tibet_facts.store.extract").joinpath("data", "metrics.json").read_text("utf-8"))
    entries: list[dict[str, object]] = raw["metrics"]
    by_alias: dict[str, dict[str, object]] = {}
    for entry in entries:
        for alias in [*entry["zh_alias"], *entry["en_alias"]]:  # type: ignore[misc]
            by_alias.setdefault(str(alias).lower(), entry)
    pattern = re.compile("|".join(re.escape(a) for a in sorted(by_alias, key=len, reverse=True)), re.I)
    return entries, pattern, by_alias


def lookup(phrase: str) -> dict[str, object] | None:
    """The lexicon entry whose longest alias appears in phrase (ties: the later one in the phrase)."""
    _, pattern, by_alias = _lexicon()
    best: re.Match[str] | None = None
    for m in pattern.finditer(phrase):
        if best is None or len(m.group(0)) > len(best.group(0)) or (
                len(m.group(0)) == len(best.group(0)) and m.start() > best.start()):
            best = m
    if best is None:
        return None
    return _specialised(phrase, best) or by_alias.get(best.group(0).lower())


@cache
def _specialisations() -> dict[str, list[tuple[str, dict[str, object]]]]:
    """For a generic alias (网上零售额), the entries whose alias adds a qualifier before it
    (农产品网上零售额 -> 农产品)."""
    _, _, by_alias = _lexicon()
    out: dict[str, list[tuple[str, dict[str, object]]]] = {}
    for alias, entry in by_alias.items():
        for generic in by_alias:
            if generic != alias and alias.endswith(generic) and len(alias) > len(generic):
                out.setdefault(generic, []).append((alias[: -len(generic)], entry))
    return out


def _specialised(phrase: str, match: re.Match[str]) -> dict[str, object] | None:
    """"参与直播的农产品实现网上零售额": the qualifier 农产品 stands apart from 网上零售额 but still
    makes it the agricultural metric."""
    before = phrase[: match.start()].lower()
    for qualifier, entry in _specialisations().get(match.group(0).lower(), []):
        if qualifier and qualifier in before:
            return entry
    return None


_TIME_LEAD = re.compile(r"^(?:(?:19|20)\d\d年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:[-至到]\d{1,2}月)?|\d{1,2}月(?:\d{1,2}日)?|今年|去年|上半年)")


class Surfaces:
    """Place names as written in a text, to strip one that leads a phrase: grouped by length, so
    that each figure tries one slice per length, not every place the document names."""

    def __init__(self, names: Iterable[str]) -> None:
        unique = set(names)
        lengths = sorted({len(w) for w in unique}, reverse=True)
        self.by_length = [(n, frozenset(w for w in unique if len(w) == n)) for n in lengths]

    def strip(self, text: str) -> str:
        """text without leading place names, the longest tried first."""
        for n, names in self.by_length:
            if text[:n] in names:
                text = text[n:]
        return text


def _strip_trail(text: str) -> str:
    """text without its longest tail made wholly of trailing words and spaces. Read from the end:
    ok[i] says text[i:] splits into such words; once no split can reach back past a word's length,
    none reaches further, so the work is the tail's length, not the text's square."""
    n = len(text)
    ok = {n: True}
    cut, misses, longest = n, 0, _TRAIL_LENGTHS[-1]
    for i in range(n - 1, -1, -1):
        good = text[i].isspace() and ok.get(i + 1, False) or any(
            ok.get(i + k, False) and text[i:i + k] in _TRAIL_WORDS for k in _TRAIL_LENGTHS)
        if good:
            ok[i], cut, misses = True, i, 0
        else:
            misses += 1
            if misses >= longest:
                break
    return text[:cut]


def _trim_zh(prefix: str, places: Surfaces) -> str:
    prev = None
    while prev != prefix:
        prev = prefix
        prefix = _strip_trail(prefix)
        prefix = _LEAD.sub("", prefix)
        prefix = _TIME_LEAD.sub("", prefix)
        prefix = places.strip(prefix)
    return prefix


def _after_number_zh(rest: str) -> str:
    """The noun a count is of: "12个部门印发" -> 部门; stop at a verb-like break or punctuation."""
    rest = _CUT.split(rest, maxsplit=1)[0]
    m = re.match(r"[^，。；、的]{1,12}?(?=印发|参与|参加|参展|获|被|进入|纳入|达成|实现|出现|进展|陷入|未|在|从|于|为|的|，|$)", rest)
    return (m.group(0) if m else rest[:10]).strip("“”\"（）() ")


_PAREN = re.compile(r"[（(][^）)]{0,30}[）)]")
_NOUN_AFTER = re.compile(r"^[\u4e00-\u9fffA-Za-z“”]{1,10}?(?=印发|参与|参加|参展|获|被|进入|纳入|达成|实现|出现|进展|陷入|未|在|从|于|为|的|组成|"
                         r"轮番|上演|正式|投入|入驻|完成|开展|提供|覆盖|，|。|、|；|$)")
_VERB_START = re.compile(r"^(举办|开展|建设|建成|实现|完成|参与|参加|覆盖|带动|推动|进入|纳入|发放|提供|设立|组织)")


def name_zh(prefix: str, rest: str, places: Surfaces | Iterable[str] = (), *, counted: bool = False) -> str:
    """A Chinese metric phrase from the clause text before the number and after its unit;
    leading times and place names (places: their surfaces in the text) are not part of it.
    A count names what it counts after its measure word ("12个部门印发" -> 部门数量)."""
    prefix = _PAREN.sub("", _CUT.split(prefix)[-1])
    head = _trim_zh(prefix, places if isinstance(places, Surfaces) else Surfaces(places))
    if counted and not _VERB_START.match(rest):
        counted_noun = _NOUN_AFTER.match(rest)
        if counted_noun and len(counted_noun.group(0)) >= 2:
            return counted_noun.group(0).strip("“”") + "数量"
    if _COUNT_VERB.search(head) or not head or len(head) <= 1:
        noun = _after_number_zh(rest)
        if noun:
            return f"{head}{noun}" if head and len(head) <= 6 else noun
    return head[-24:]


_EN_VERB_END = re.compile(r"(?:^|\s+)(?:\w+ed|reached|hit|rose|grew|fell|stood|totaled|totalled|exceeded|was|were|is|are|"
                          r"has|have|had|saw|received|generated|added|attracted|created|handled|recorded|"
                          r"registered|topped|amounted|came|increased|decreased)(?:\s+(?:to|at|by|over))?$", re.I)
_EN_LEAD = re.compile(r"^(?:--\s*)?(?:with|and|but|there|which|that|while|including|the|a|an|its|their)\b\s*", re.I)
_EN_SUBJECT_ONLY = re.compile(r"^(?:the\s+)?(?:city|region|county|prefecture|province|country|it|they|this|that|"
                              r"[A-Z][a-z]+(?:\s[A-Z][a-z]+)*(?:'s)?(?:\s(?:alone|also))?)$")
# Clause breaks in English: not the comma of 19,924 nor the point of 1.08.
_EN_BREAK = re.compile(r"[;:()]|(?<![0-9]),|,(?![0-9])|\.(?:\s|$)")
_EN_PERCENT = {"percent", "per cent", "%", "percentage points", "percentage point", "pct"}
_EN_ADVERB_END = re.compile(r"\s+(?:now|also|still|already|currently|alone|so far|together|altogether)$", re.I)
_EN_AUX = {"are", "were", "is", "was", "have", "has", "had", "been", "be", "now", "also", "already", "being"}
_EN_STOP = {"in", "by", "to", "for", "from", "last", "this", "at", "on", "with", "and", "since", "during", "as",
            "the", "a", "an", "into", "across"}


def _clean_head(head: str) -> str:
    prev = None
    while prev != head:
        prev = head
        head = _EN_TRAIL.sub("", head).strip()
        head = _EN_VERB_END.sub("", head).strip()
        head = _EN_ADVERB_END.sub("", head).strip()
        head = _EN_LEAD.sub("", head).strip()
    return head


def name_en(prefix: str, rest: str, unit: str) -> str:
    """An English metric phrase: the subject before the verb that introduces the number
    ("the region's clean energy installed capacity exceeded 6,000 MW"), else the counted noun
    ("received 15.6 million tourist visits"). Empty for a bare growth rate ("up 2.1 percent"),
    which then measures the figure stated before it."""
    segments = [s.strip() for s in _EN_BREAK.split(prefix)]
    head = _clean_head(segments[-1])
    if not head and len(segments) > 1 and unit.lower() not in _EN_PERCENT:
        # "The Gyirong port, a key land port on the border, handled 180,000 tonnes": the verb's
        # subject opens the sentence, before the apposition.
        head = _clean_head(segments[-3] if len(segments) >= 3 else segments[0])
    head = re.sub(r"^[A-Z][A-Za-z]+(?:\s[A-Z][A-Za-z]+)*'s\s+", "", head).strip()  # "Tibet's foreign trade"
    if unit.lower() in _EN_PERCENT and re.fullmatch(r"(?:an?\s+)?(?:increase|rise|growth|decrease|decline|drop|"
                                                    r"jump|gain|up|down)", head, re.I):
        head = ""  # "an increase of 55.2 percent": the growth of the figure before it
    if head and len(head.split()) <= 10 and not _EN_SUBJECT_ONLY.match(head):
        return head
    tail = _EN_BREAK.split(rest)[0].strip()
    if unit.lower() in _EN_PERCENT:
        # "Lhasa accounted for nearly 60 percent of the total" -> share of the total
        return f"share {tail}" if tail.lower().startswith("of ") and len(tail.split()) <= 6 else ""
    words: list[str] = []
    for w in tail.split()[:6]:
        if w.lower() in _EN_STOP:
            break
        if w.lower() not in _EN_AUX and w.lower() != "of":
            words.append(w)
    noun = re.sub(r"^(?:thousand|million|billion)\s+", "", unit.strip())
    return " ".join([noun, *words[:2]]).strip() if noun else " ".join(words[:3])


def canonical(zh: str, en: str, *, growth: bool) -> Metric:
    """Attach the lexicon's id (and canonical names for English-only facts)."""
    entry = lookup(zh) or lookup(en)
    if entry is None:
        return Metric(zh or en, en or zh, "")
    mid, czh, cen = str(entry["id"]), str(entry["zh"]), str(entry["en"])
    if growth:
        return Metric(f"{zh or czh}增速" if not zh.endswith(("增速", "增长")) else zh, f"{cen} growth", f"{mid}_growth")
    return Metric(zh if zh and re.search(r"[\u4e00-\u9fff]", zh) else czh, cen, mid)
