"""Split normalized text into sections, paragraphs, sentences and clauses, keeping offsets.

The scopes matter for resolving a fact's place, period and topic: the clause that holds the
number first, then its sentence, its paragraph, its section (a heading or a news dateline starts
one: "本报昌都电", "# 标题"), then the whole article.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import NamedTuple

# The rules about one figure read its own clause and sentence. In a text without punctuation (a
# dump, a run of digits) those can be the whole document, so every per-figure look-back and
# look-ahead stops this many characters from the number: far beyond any news sentence (the seeds'
# longest run before a figure is about 400), and it keeps the work per figure bounded.
WINDOW = 1000
_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)\"]*|\.(?=\s+[A-Z\"“(])|\.\s*$", re.M)
# A comma between digits is a thousands separator (6,000), not a clause break; "." ends an
# English sentence only before a capital (so 1.08 and Jan. 15 stay whole).
_CLAUSE_END = re.compile(r"[，：:；;]|(?<![0-9]),|,(?![0-9])|——")
_PHRASE_END = re.compile(r"[；;]")
# A heading line: Markdown, or a short line without terminal punctuation.
_HEADING = re.compile(r"^\s*(#{1,6}\s.*|[^。！？!?；;，,：:]{2,40})\s*$")
_DATELINE = re.compile(r"(本报|新华社|中新社|中国西藏网)[^，。]{0,12}?(电|讯)|^\s*\(?(?:Xinhua|[A-Z][A-Za-z]+, [A-Z][a-z]+ \d{1,2})")


class Span(NamedTuple):
    """[start, end) of a scope. A named tuple, not a dataclass: a 1 MB text has 100,000 of
    them, made, hashed and compared in C."""

    start: int
    end: int


@dataclass(slots=True)
class Layout:
    """The scopes of a text, each a sorted list of spans."""

    text: str
    paragraphs: list[Span]
    sentences: list[Span]
    phrases: list[Span]
    clauses: list[Span]
    sections: list[Span]
    headings: list[Span]
    _starts: dict[int, list[int]] = field(default_factory=dict, repr=False)  # span starts, per list

    def _find(self, spans: list[Span], pos: int) -> Span:
        if not spans:
            return Span(0, len(self.text))
        i = bisect.bisect_right(self._starts_of(spans), pos) - 1
        return spans[i if i > 0 else 0]

    def _starts_of(self, spans: list[Span]) -> list[int]:
        """The starts of one of the layout's lists, built on first use."""
        starts = self._starts.get(id(spans))
        if starts is None:
            starts = self._starts[id(spans)] = [s.start for s in spans]
        return starts

    def bounds(self, spans: list[Span], lo: int, hi: int) -> tuple[int, int]:
        """Indices [i, j) of the spans that start in [lo, hi): `within` without copying them,
        for callers that need only the first one or the count (a long paragraph has thousands)."""
        starts = self._starts_of(spans)
        return bisect.bisect_left(starts, lo), bisect.bisect_left(starts, hi)

    def within(self, spans: list[Span], lo: int, hi: int) -> list[Span]:
        """The spans that start in [lo, hi)."""
        i, j = self.bounds(spans, lo, hi)
        return spans[i:j]

    def clause_at(self, pos: int) -> Span:
        return self._find(self.clauses, pos)

    def sentence_at(self, pos: int) -> Span:
        return self._find(self.sentences, pos)

    def phrase_at(self, pos: int) -> Span:
        """A sentence part between semicolons: its own subject, often its own time frame."""
        return self._find(self.phrases, pos)

    def paragraph_at(self, pos: int) -> Span:
        return self._find(self.paragraphs, pos)

    def section_at(self, pos: int) -> Span:
        return self._find(self.sections, pos)

    def heading_before(self, pos: int) -> Span | None:
        """The nearest heading at or before pos within its section."""
        if not self.headings:
            return None
        section = self.section_at(pos)
        h = self._find(self.headings, pos)
        return h if section.start <= h.start <= pos else None


def _split(text: str, span: Span, pattern: re.Pattern[str]) -> list[Span]:
    """The parts of span between the pattern's matches (each keeps its closing mark), blank
    parts left out."""
    ends = [m.end() for m in pattern.finditer(text, span.start, span.end)]
    ends.append(span.end)
    out = []
    pos = span.start
    for end in ends:
        if end > pos and not text[pos:end].isspace():
            out.append(Span(pos, end))
        pos = end
    return out


def is_heading(line: str) -> bool:
    stripped = line.strip()
    if stripped.startswith("#"):
        return True
    return bool(_HEADING.match(stripped)) and not re.search(r"\d", stripped[:1]) and len(stripped) <= 40


def layout(text: str) -> Layout:
    paragraphs = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            paragraphs.append(Span(pos, pos + len(line)))
        pos += len(line) + 1
    sentences = [s for p in paragraphs for s in _split(text, p, _SENTENCE_END)]
    phrases = [p for s in sentences for p in _split(text, s, _PHRASE_END)]
    clauses = [c for s in sentences for c in _split(text, s, _CLAUSE_END)]
    headings = [p for p in paragraphs if is_heading(text[p.start:p.end])]
    return Layout(text, paragraphs, sentences, phrases, clauses, _sections(text, paragraphs, headings), headings)


def _sections(text: str, paragraphs: list[Span], headings: list[Span]) -> list[Span]:
    """A new section starts at a Markdown heading or at a news dateline."""
    starts = [0]
    for p in paragraphs:
        chunk = text[p.start:p.end]
        if re.match(r"\s*#{1,2}\s", chunk) or _DATELINE.search(chunk[:40]):
            starts.append(p.start)
    starts = sorted(set(starts))
    ends = starts[1:] + [len(text)]
    return [Span(a, b) for a, b in zip(starts, ends, strict=True)]
