"""What a number measures: a metric name in Chinese and English, and an id per measure.

A metric is the noun phrase naming the measure (phrase.py finds it in the clause's syntax). Its
names come from the indicator vocabulary when the phrase is one of its indicators (网络零售额,
"tourist arrivals"), else from the phrase itself, translated word by word (translate.py: the
terms of economic news, then CC-CEDICT). Its id is the indicator's when the phrase is wholly
that indicator and the figure has a dimension the indicator can have (a count of firms is not a
revenue); otherwise it is made of the English name and the figure's dimension
(`hotels_count`, `investment_in_yak_fattening_projects_money`), so that two facts share an id
only when they measure the same thing in the same dimension.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from tibet_facts.store.extract import metric_en
from tibet_facts.store.extract.metric_vocab import Indicator, dimension, vocabulary
from tibet_facts.store.extract.phrase import Phrase, clause_before, phrase_zh
from tibet_facts.store.extract.translate import chinese, english, plural

# Dimensions whose figures count things: their metric names the thing counted.
COUNTED = frozenset(("count", "person", "person_time", "household"))
# What a Chinese count adds to the counted noun ("部门" -> 部门数量), by dimension.
_COUNT_SUFFIX = {"person": "人数", "household": "户数", "person_time": "人次", "count": "数量"}
_COUNT_SUFFIX_BY_UNIT = {"场": "场次", "期": "期数", "次": "次数"}
_ENDS_AS_COUNT = re.compile(r"(?:数|数量|人数|户数|人次|场次|总数|量|次数|期数|人口)$")
# English heads that take their qualifier with a preposition ("investment in X").
_PREPOSITION = {"investment": "in"}
_SLUG_CUT = 60
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True, slots=True)
class Metric:
    zh: str
    en: str
    id: str = ""


class Surfaces:
    """Place names as written in a text, to leave out of a metric: grouped by length, so that
    stripping a leading one tries one slice per length, not every place the document names."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(names)
        lengths = sorted({len(w) for w in self.names}, reverse=True)
        self.by_length = [(n, frozenset(w for w in self.names if len(w) == n)) for n in lengths]

    def strip(self, text: str) -> str:
        """text without leading place names, the longest tried first."""
        for n, names in self.by_length:
            if text[:n] in names:
                text = text[n:]
        return text


def slug(text: str) -> str:
    """An id's words: lower case ASCII, underscores, at most _SLUG_CUT characters."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("&", " and "))
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > _SLUG_CUT:
            break
        out = f"{out}_{word}" if out else word
    return out or "figure"


def _id(base: str, kind: str, dim: str, indicator: Indicator | None) -> str:
    """The id of a measure: the indicator's, else the name's words and the dimension."""
    if kind == "rate":
        return f"{indicator.id if indicator else slug(base)}_growth"
    if indicator is not None:
        return indicator.id
    return f"{slug(base)}_{dim}"


def _known_en(word: str) -> str:
    ind = vocabulary().exact(word)
    return ind.en if ind else ""


def _countable(word: str) -> bool:
    """Whether a word names things one counts (企业, 服务站), which English qualifies in front
    ("county-level service stations"), not a measure ("investment in ...")."""
    ind = vocabulary().exact(word)
    return ind is not None and any(d in COUNTED for d in ind.dims)


def english_of(words: tuple[str, ...]) -> str:
    """Chinese words of a measure in English; a head indicator after qualifiers takes them with
    a preposition ("牦牛育肥项目投资" -> "investment in yak fattening projects")."""
    heads = [i for i, w in enumerate(words) if vocabulary().exact(w) is not None]
    if heads and heads[-1] > 0 and not _countable(words[heads[-1]]):
        k = heads[-1]
        head = _known_en(words[k])
        before = english(words[:k], _known_en)
        after = english(words[k + 1:], _known_en)
        if before and head.split()[0].lower() not in before.lower().split():
            prep = _PREPOSITION.get(head.lower(), "of")
            joined = f"{head} {prep} {plural(before) if prep == 'in' else before}"
            return f"{joined} {after}".strip()
    return english(words, _known_en)


def _specialised(indicator: Indicator, clause: str) -> Indicator:
    """"参与直播的农产品实现网上零售额": a qualifier of a more specific indicator (农产品 before
    网上零售额) anywhere earlier in the clause makes it that indicator."""
    for qualifier, special in _specialisations().get(indicator.id, []):
        if qualifier in clause:
            return special
    return indicator


@cache
def _specialisations() -> dict[str, list[tuple[str, Indicator]]]:
    """For an indicator, the indicators whose phrase is one of its phrases with a qualifier
    before it (农产品网上零售额 = 农产品 + 网上零售额)."""
    vocab = vocabulary()
    out: dict[str, list[tuple[str, Indicator]]] = {}
    for alias, inds in vocab.by_alias.items():
        for generic, generic_inds in vocab.by_alias.items():
            if generic != alias and alias.endswith(generic) and _CJK.search(alias):
                for g in generic_inds:
                    if g.id != inds[0].id:
                        out.setdefault(g.id, []).append((alias[: -len(generic)], inds[0]))
    for pairs in out.values():
        pairs.sort(key=lambda p: -len(p[0]))
    return out


def lookup(phrase: str) -> dict[str, str] | None:
    """The indicator a Chinese or English phrase ends with ({"id", "zh", "en"}), specialised by
    a qualifier earlier in it."""
    found = vocabulary().matches(phrase)
    if not found:
        return None
    best = max(found, key=lambda m: (m.end, m.end - m.start))
    ind = _specialised(best.indicator, phrase[: best.start])
    return {"id": ind.id, "zh": ind.zh, "en": ind.en}


def _bare_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """A count's words without its count word at the end."""
    last = _bare(words[-1]) if words else ""
    return (*words[:-1], last) if last else words[:-1]


def _bare(text: str) -> str:
    """A count's noun without its count word (宾馆酒店数 -> 宾馆酒店), to find its indicator."""
    return re.sub(r"(?:的)?(?:数量|个数|总数|数)$", "", text)


def _names(words: tuple[str, ...], clause: str,
           dim: str | None) -> tuple[str, str, Indicator | None]:
    """Chinese and English names of a measure's words, and the indicator they wholly are."""
    text = "".join(words)
    ind = vocabulary().exact(_bare(text), dim) or vocabulary().exact(text, dim)
    if ind is None:
        return text, english_of(words), None
    special = _specialised(ind, clause)
    # The words as written ("旅游总收入", "经济总量"); the canonical name for an abbreviation
    # (社零) or for a measure a qualifier elsewhere in the clause specialised (农产品…网上零售额).
    written = len(text) >= 3 and bool(_CJK.search(text)) and special is ind
    ind = special
    return (text if written else ind.zh), ind.en, ind


def _counted(phrase: Phrase, unit: str, dim: str, kind: str) -> Metric:
    """A count named by what it counts: 部门数量, "number of departments"."""
    words = phrase.words or phrase.verbs
    text = "".join(words)
    by_unit = _COUNT_SUFFIX_BY_UNIT.get(unit.strip()[-1:], "数量")
    suffix = _COUNT_SUFFIX[dim] if dim != "count" else by_unit
    zh = text if _ENDS_AS_COUNT.search(text) else f"{text}{suffix}"
    ind = vocabulary().exact(zh, dim) or vocabulary().exact(_bare(text), dim)
    if ind is not None:
        named = zh if len(zh) > len(ind.zh) else ind.zh
        return _growth(Metric(named, ind.en, _id("", kind, dim, ind)), kind)
    if phrase.verbs and not phrase.words:  # "26亿人未接入互联网": those who did it
        noun = f"{_COUNTED_EN[dim]} who {english_of(words)}"
    else:
        noun = plural(english_of(_bare_words(words)))
    en = noun if noun.startswith(("number of", "person-times")) else f"number of {noun}"
    return _growth(Metric(zh, en, _id(noun, kind, dim, None)), kind)


_COUNTED_EN = {"person": "people", "person_time": "people", "household": "households",
               "count": "those"}


def _level(phrase: Phrase, clause: str, unit: str, dim: str, kind: str) -> Metric:
    words = phrase.words or phrase.verbs
    if phrase.share and dim == "percent":  # "35%的行政村": a share of what follows
        zh, en, ind = _names(words, clause, None)
        en = f"share of {plural(en)}"
        base = ind.id if ind else slug(en.removeprefix("share of "))
        return Metric(f"{zh}比例", en, f"{base}_share")
    if phrase.counted and dim in COUNTED:
        return _counted(phrase, unit, dim, kind)
    zh, en, ind = _names(words, clause, None if kind == "rate" else dim)
    if ind is None and kind == "share" and dim == "percent":
        zh, en, some = _names(words, clause, None)
        if some is not None and not some.fits("percent"):  # 经济总量 as a percentage: its share
            return Metric(f"{zh}占比", f"share of {en}", f"{some.id}_share")
    if ind is None and phrase.named_after and dim in _DIMENSION_WORDS:
        # "建成5亩新品种试验示范基地": the area of what follows
        dzh, den = _DIMENSION_WORDS[dim]
        zh, en = f"{zh}{dzh}", f"{den} of {en}"
    return _growth(Metric(zh, en, _id(en, kind, dim, ind)), kind)


# What a measurement of a thing is called, by dimension.
_DIMENSION_WORDS = {"area": ("面积", "area"), "length": ("长度", "length"),
                    "mass": ("重量", "weight"), "power": ("容量", "capacity"),
                    "energy": ("电量", "energy"), "money": ("金额", "amount")}


def _growth(metric: Metric, kind: str) -> Metric:
    """A growth rate names the growth of its measure (网络零售额增速, "... growth")."""
    if kind != "rate" or not metric.zh:
        return metric
    zh = metric.zh if metric.zh.endswith(("增速", "增长", "增幅")) else f"{metric.zh}增速"
    en = metric.en if metric.en.endswith("growth") else f"{metric.en} growth"
    return Metric(zh, en, metric.id)


def _share(phrase: Phrase, clause: str) -> Metric:
    """"A占B比重": the share of A in B; of A alone when B is a place's total (占全区)."""
    if not phrase.words and phrase.share_of:  # "占世界人口八成以上的…": of whom, the text says after
        wzh, wen, whole = _names(phrase.share_of, clause, None)
        whole_id = whole.id if whole else slug(wen)
        return Metric(f"占{wzh}比重", f"share of {wen}", f"share_of_{whole_id}")
    if not phrase.words:
        return Metric("", "", "")
    zh, en, ind = _names(phrase.words, clause, None)
    part_id = ind.id if ind else slug(en)
    if not phrase.share_of:
        return Metric(f"{zh}占比", f"share of {en}", f"{part_id}_share")
    wzh, wen, whole = _names(phrase.share_of, clause, None)
    whole_id = whole.id if whole else slug(wen)
    return Metric(f"{zh}占{wzh}比重", f"share of {en} in {wen}", f"{part_id}_share_of_{whole_id}")


def of_zh(before: str, after: str, *, unit: str, base_unit: str, kind: str,
          places: Surfaces | Iterable[str] = ()) -> Metric:
    """The metric of a figure in Chinese text: before is its clause up to the number, after
    the text after its unit. Empty names when the clause names no measure (a growth rate
    "同比增长27%" measures the figure before it: the pipeline gives it that one's metric)."""
    names = places.names if isinstance(places, Surfaces) else frozenset(places)
    dim = dimension(base_unit)
    if dim == "percent" and _PLAN_DONE.search(clause_before(before)):
        return Metric(_PLAN, "", "")  # the pipeline gives it the measure before it
    phrase = phrase_zh(before, after, names, counted=dim in COUNTED, percent=dim == "percent",
                       unit=unit, dim=dim)
    of_what_follows = after.lstrip().startswith("的")  # "35%的行政村": a share of those
    if phrase.share and (phrase.share_of or not phrase.counted and not of_what_follows):
        return _share(phrase, clause_before(before))
    if not phrase:
        return Metric("", "", "")
    if phrase.text in _DISTRIBUTIVE:
        return Metric(phrase.text, "", "")  # the pipeline gives it the measure before it
    return _level(phrase, clause_before(before), unit, dim, kind)


def of_en(before: str, after: str, *, unit: str, base_unit: str, kind: str,
          places: Surfaces | Iterable[str] = ()) -> Metric:
    """The metric of a figure in English text (the noun phrase before or after it, see
    metric_en.py), with the indicator's names and id when the phrase is one."""
    names = places.names if isinstance(places, Surfaces) else frozenset(places)
    dim = dimension(base_unit)
    en = metric_en.name_en(before, after, unit, names)
    if not en:
        return Metric("", "", "")
    core = metric_en.share_core(en)
    ind = vocabulary().exact(core, None if kind == "rate" else dim)
    if ind is None:
        ind = metric_en.indicator_in(core, None if kind == "rate" else dim)
    if core != en:  # "share of X", "A share of B": a share of the measure
        zh = f"{ind.zh}占比" if ind else ""
        whole = metric_en.share_whole(en)
        mid = f"{ind.id if ind else slug(core)}_share"
        return Metric(zh, en, f"{mid}_of_{slug(whole)}" if whole else mid)
    if ind is not None:
        return _growth(Metric(ind.zh, ind.en, _id(ind.en, kind, dim, ind)), kind)
    zh = chinese(en)  # when every word of it is known; else the Chinese name stays empty
    if zh and dim in COUNTED and kind != "rate" and not _ENDS_AS_COUNT.search(zh):
        zh += _COUNT_SUFFIX[dim]
    return _growth(Metric(zh, en, _id(en, kind, dim, None)), kind)


# Words that make a measure per unit of something; alone, they name no measure.
_DISTRIBUTIVE = {"户均": "per household", "人均": "per person", "每户": "per household",
                 "每人": "per person", "日均": "per day", "每期": "per phase", "每年": "per year",
                 "每个": "each", "平均": "on average"}


# "完成年度计划的100.49%": how far a measure went towards its plan.
_PLAN = "计划完成率"
_PLAN_DONE = re.compile(r"完成(?:了)?(?:年度|全年|年初)?(?:目标)?(?:计划|任务|目标)(?:任务)?的?$")


def relation(zh: str) -> str:
    """What a figure's own words say it is of the measure before it: a plan completion, a
    per-unit amount (户均), else ""."""
    if zh.endswith(_PLAN):  # named so already, from the figure next to it
        return _PLAN
    return zh if zh in _DISTRIBUTIVE else ""


def inherited(previous: Metric, kind: str, previous_unit: str = "", base_unit: str = "",
              own: str = "") -> Metric | None:
    """The metric of a figure that names none of its own, from the figure stated before it in
    its sentence: its growth (a rate), its share (a share), the same measure (a change or a
    level of the same dimension: a conversion into dollars, a running total); None when the
    figure before measures something of another dimension."""
    base = Metric(previous.zh.removesuffix("增速"), previous.en.removesuffix(" growth"),
                  previous.id.removesuffix("_growth"))
    same_dimension = dimension(previous_unit) == dimension(base_unit)
    if own == _PLAN:
        return Metric(f"{base.zh}年度{_PLAN}", f"{base.en} plan completion rate",
                      f"{base.id}_plan_completion")
    if own in _DISTRIBUTIVE and kind in ("level", "change") and same_dimension:
        # "分红款570万元，户均超4万元": the same measure per household
        per = _DISTRIBUTIVE[own]
        return Metric(f"{own}{base.zh}", f"{base.en} {per}", f"{base.id}_{slug(per)}")
    if kind == "rate":
        return Metric(f"{base.zh}增速" if base.zh else "", f"{base.en} growth",
                      f"{base.id}_growth" if base.id else "")
    if kind == "share":
        if base.id.endswith("_share") or "_share_of_" in base.id:
            return base
        zh = f"{base.zh.removesuffix('数量')}占比" if base.zh else ""
        en = f"share of {base.en.removeprefix('number of ')}"
        return Metric(zh, en, f"{base.id}_share" if base.id else "")
    if previous_unit and not same_dimension:
        return None
    return base


def unnamed(base_unit: str, kind: str, key: str = "") -> Metric:
    """A figure whose clause and sentence name no measure: named by its dimension; its id is
    its own (key: the fact's id), for nothing says it measures what another figure does."""
    dim = dimension(base_unit)
    words = {"money": ("金额", "amount of money"), "percent": ("比例", "percentage"),
             "count": ("数量", "count of items"), "person": ("人数", "number of people"),
             "person_time": ("人次", "person-times"), "household": ("户数", "number of households"),
             "length": ("长度", "length"), "area": ("面积", "area"), "mass": ("重量", "weight"),
             "energy": ("电量", "energy"), "power": ("功率", "power capacity"),
             "duration": ("时长", "duration")}.get(dim, ("数值", "quantity"))
    own_id = f"unspecified_{dim}" + (f"_{slug(key)}" if key else "")
    metric = Metric(words[0], f"unspecified {words[1]}", own_id)
    return inherited(metric, kind) or metric if kind == "rate" else metric
