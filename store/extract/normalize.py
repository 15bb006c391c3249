"""Normalize document text for reading numbers, without losing the way back to the original.

What the later stages need to read alike: traditional and simplified Chinese (億 萬 電商), full-
width digits and signs (１２３ ％ ．), the spaces OCR puts between Chinese characters
("培 训 ，提 高", "芒康县 31 家"), "35.6 %", and lines broken inside a sentence (a newspaper page
set in narrow columns). Every character of the normalized text remembers its offset in the
original, so each fact can point at the number exactly as the document wrote it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
# Chinese punctuation stays as it is: it separates clauses and sentences.
for _keep in "，。！？；：（）【】“”‘’、":
    _FULLWIDTH.pop(ord(_keep), None)
_SPACES = {0x3000: " ", 0x00A0: " ", 0x2009: " ", 0x202F: " ", 0x2002: " ", 0x2003: " "}

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"，。！？；：（）【】“”‘’、《》…—·"
_CJK_CHAR = re.compile(f"[{_CJK}{_CJK_PUNCT}]")
_GAP = re.compile(
    rf"(?<=[{_CJK}{_CJK_PUNCT}])[ \t]+(?=[{_CJK}{_CJK_PUNCT}0-9])"
    rf"|(?<=[0-9])[ \t]+(?=[{_CJK}{_CJK_PUNCT}%])"
    r"|(?<=[0-9])[ \t]+(?=[,.][0-9])"
)
# In prose, a line this long that stops mid-sentence was broken by the page, not by the writer.
PROSE_LINE = 40
_TERMINAL = set("。！？!?；;：:….")
_CLOSERS = set("”」』）)\"’")


@cache
def _t2s_table() -> dict[int, str]:
    """Traditional -> simplified, character for character (OpenCC's dictionary), so lengths hold."""
    path = resources.files("opencc").joinpath("dictionary", "TSCharacters.txt")
    table: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        trad, _, simp = line.partition("\t")
        first = simp.split(" ")[0] if simp else ""
        if len(trad) == 1 and len(first) == 1 and trad != first:
            table[ord(trad)] = first
    return table


@cache
def _char_table() -> dict[int, str | int]:
    table: dict[int, str | int] = dict(_t2s_table())
    table.update(_FULLWIDTH)
    table.update({k: v for k, v in _SPACES.items()})
    return table


@dataclass(frozen=True, slots=True)
class Normalized:
    """Normalized text plus the map from its offsets back to the original's."""

    text: str
    # Runs of kept characters: run i starts at norm_starts[i] in text and orig_starts[i] in the original.
    norm_starts: tuple[int, ...]
    orig_starts: tuple[int, ...]
    orig_len: int

    def to_orig(self, i: int) -> int:
        """Original offset of normalized offset i (i == len(text) maps to the original's end)."""
        if i >= len(self.text):
            return self.orig_len
        run = bisect.bisect_right(self.norm_starts, i) - 1
        return self.orig_starts[run] + (i - self.norm_starts[run])

    def span_to_orig(self, start: int, end: int) -> tuple[int, int]:
        """Original span of a normalized span (end exclusive); gaps removed inside stay inside."""
        if end <= start:
            o = self.to_orig(start)
            return o, o
        return self.to_orig(start), self.to_orig(end - 1) + 1


def is_column_text(text: str) -> bool:
    """A page set in narrow columns: most lines short and not ending a sentence."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if len(lines) < 8:
        return False
    lengths = sorted(len(ln) for ln in lines)
    median = lengths[len(lengths) // 2]
    open_ended = sum(1 for ln in lines if not _ends_sentence(ln))
    return median <= 30 and open_ended >= 0.5 * len(lines)


def _ends_sentence(line: str) -> bool:
    """A line ends a sentence with terminal punctuation, maybe inside a closing quote or bracket."""
    stripped = line.rstrip("".join(_CLOSERS))
    return bool(stripped) and stripped[-1] in _TERMINAL


# A line break with the blanks around it. It starts only where blanks start: tried inside a long
# run of spaces, `[ \t]*` would rescan the rest of the run at each one (quadratic), and a match
# never ends before a blank, so none is lost.
_BREAK = re.compile(r"(?<![ \t])[ \t]*+\n(?:[ \t]*\n)*[ \t]*")


def _line_joins(text: str, *, min_line: int = 0) -> list[tuple[int, int, str]]:
    """Line breaks inside a sentence: (start, end, replacement) spans. In prose (min_line > 0)
    only a long line that stops mid-sentence is joined, so headings and bylines stay apart."""
    joins = []
    for m in _BREAK.finditer(text):
        before = text[m.start() - 1] if m.start() > 0 else "\n"
        after = text[m.end()] if m.end() < len(text) else "\n"
        line_start = text.rfind("\n", 0, m.start()) + 1
        line = text[line_start:m.start()].strip()
        if _ends_sentence(line) or line.startswith("#") or not line or after in "#\n":
            continue
        prose = len(line) >= min_line or any(ch in line for ch in "。！？；")
        if not prose or (min_line and not (after.isalnum() or after in "“\"(（")):
            continue
        cjk = _CJK_CHAR.match(before) or _CJK_CHAR.match(after)
        joins.append((m.start(), m.end(), "" if cjk else " "))
    return joins


def normalize(text: str, *, join_lines: bool | None = None) -> Normalized:
    """Map characters one to one, then drop OCR gaps and in-sentence line breaks, keeping offsets."""
    mapped = text.translate(_char_table())
    if join_lines is None:
        join_lines = is_column_text(mapped)
    edits = [(m.start(), m.end(), "") for m in _GAP.finditer(mapped)]
    edits += _line_joins(mapped) if join_lines else _line_joins(mapped, min_line=PROSE_LINE)
    return _apply(mapped, sorted(edits), len(text))


def _apply(mapped: str, edits: list[tuple[int, int, str]], orig_len: int) -> Normalized:
    """Build the normalized text from kept runs; a replacement char maps to its span's start."""
    parts: list[str] = []
    norm_starts: list[int] = []
    orig_starts: list[int] = []
    pos = 0
    out_len = 0
    for start, end, repl in edits:
        if start < pos:
            continue
        if start > pos:
            norm_starts.append(out_len)
            orig_starts.append(pos)
            parts.append(mapped[pos:start])
            out_len += start - pos
        if repl:
            norm_starts.append(out_len)
            orig_starts.append(start)
            parts.append(repl)
            out_len += len(repl)
        pos = end
    if pos < len(mapped) or not norm_starts:
        norm_starts.append(out_len)
        orig_starts.append(pos)
        parts.append(mapped[pos:])
    return Normalized("".join(parts), tuple(norm_starts), tuple(orig_starts), orig_len)
