"""Where a figure holds: the most specific place that governs its clause, then its sentence,
paragraph, section (one news dispatch or headed part), then the article.

Places after the number in its clause are objects ("与拉萨高新区达成协议"), not the place the
figure is about, so only mentions before the number govern it. Self references (全县, 全市,
全村) resolve to the nearest county, city or village named before them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from tibet_facts.store.extract import gazetteer
from tibet_facts.store.extract.sentences import Layout, Span

TIBET = "西藏自治区"
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


def resolve_mentions(text: str) -> list[_Mention]:
    """All place mentions, self references resolved against the places named before them."""
    out: list[_Mention] = []
    for m in gazetteer.find_mentions(text):
        level = m.place.level
        if level in _SELF_LEVELS:
            target = next((p for p in reversed(out) if p.level in _SELF_LEVELS[level]), None)
            if target is None:
                continue
            out.append(_Mention(m.start, m.end, target.name, target.name_en, target.path, target.level))
            continue
        path = tuple(gazetteer.mention_path(m))
        out.append(_Mention(m.start, m.end, m.place.name, m.place.name_en, path, level))
    return out


class RegionResolver:
    """Resolves the governing place for any offset of one document."""

    def __init__(self, text: str, layout: Layout) -> None:
        self.layout = layout
        self.mentions = resolve_mentions(text)
        self._starts = [m.start for m in self.mentions]
        self.default = self._default()

    def _in(self, lo: int, hi: int) -> list[_Mention]:
        return [m for m in self.mentions if lo <= m.start and m.end <= hi]

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
    def _best(cands: list[_Mention]) -> _Mention | None:
        """The most specific candidate; among equals, the nearest (last) one."""
        if not cands:
            return None
        deepest = max(_depth(m) for m in cands)
        return [m for m in cands if _depth(m) == deepest][-1]

    def _section_place(self, section: Span) -> _Mention | None:
        """A dispatch's subject: the most specific place in its first paragraph that names one."""
        for para in self.layout.paragraphs:
            if para.start < section.start or para.start >= section.end:
                continue
            found = self._best(self._in(para.start, para.end))
            if found is not None:
                return found
        return None

    def resolve(self, pos: int) -> Resolved:
        clause = self.layout.clause_at(pos)
        sentence = self.layout.sentence_at(pos)
        paragraph = self.layout.paragraph_at(pos)
        for lo in (clause.start, sentence.start, paragraph.start):
            found = self._best(self._in(lo, pos))
            if found is not None:
                return Resolved(found.name, found.name_en, found.path)
        found = self._section_place(self.layout.section_at(pos)) or self.default
        if found is None:
            return Resolved("unknown", "unknown", ())
        return Resolved(found.name, found.name_en, found.path)
