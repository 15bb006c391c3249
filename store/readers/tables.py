"""Tables as sentences: a statistical table's cells written out as the prose the extraction reads.

A bulletin (统计公报) gives many of its figures in tables: indicator | unit | 2023年 | 比上年增长%.
The extraction reads sentences, so each row becomes one: "2023年，地区生产总值为2392.67亿元，比上年
增长9.5%。" The sentence carries what the table says around the cell: the metric is the row's
header, the period the column's header or else the caption's, the unit the unit column's or else
the header's or the caption's ("单位：亿元"), and a growth column becomes "比上年增长 x%" (a rate).
A table that does not look like one of figures (no numeric cells, no header) stays as its rows,
cells set apart by two spaces, so that nothing in it is lost.

The same function serves web pages, PDF pages and Word files: each reader hands in a grid of cell
texts (and a caption when it has one), and the lines returned are the document's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CJK = re.compile(r"[\u3400-\u9fff]")
_NUMBER = re.compile(r"[-+−–]?\d[\d,，]*(?:\.\d+)?%?")
_YEAR_ONLY = re.compile(r"(?:19|20)\d\d年?")
# A time a header or caption names: 2023年, 2023年1-6月, 2023年上半年, 2023, 2023年末.
_PERIOD = re.compile(
    r"(?:19|20)\d\d年(?:\d{1,2}(?:[-—–~至]\d{1,2})?月(?:份)?|[一二三四1-4]季度|上半年|下半年|前三季度|全年|末|底)?"
    r"|(?<!\d)(?:19|20)\d\d(?!\d)"
)
_BRACKETED = re.compile(r"[（(]([^（）()]{1,12})[）)]")
_CAPTION_UNIT = re.compile(r"(?:单位|unit)\s*[:：]\s*([^\s，,;；)）]{1,12})", re.I)
_LEADERS = re.compile(r"^(?:其中|#|＃|\s|:|：|\*)+")
_EMPTY = {"", "-", "—", "–", "…", "...", "/", "x", "×"}
GROWTH_WORDS = (
    "增长",
    "增速",
    "同比",
    "比上年",
    "增减",
    "growth",
    "change",
    "increase",
    "y/y",
    "yoy",
)
SHARE_WORDS = ("比重", "占", "share", "proportion")
UNIT_WORDS = ("单位", "计量单位", "unit", "units")
# A caption is a short block just above a table ("表1 2023年主要经济指标  单位：亿元").
CAPTION_CHARS = 80


@dataclass(frozen=True, slots=True)
class Column:
    """What one column of a table holds, read from its header."""

    role: str  # "label", "unit", "value", "growth", "share" or "other"
    header: str
    period: str  # the time the header names ("2023年"), or ""
    unit: str  # the unit the header names in brackets ("亿元"), or ""


def is_number(cell: str) -> bool:
    """A cell holding one figure (12,345.6 / -2.3 / 9.5%), nothing else."""
    return bool(_NUMBER.fullmatch(cell.strip().replace(" ", "")))


def _is_data(cell: str) -> bool:
    """A figure that is not a year standing alone (a header like 2023年 is a period)."""
    return is_number(cell) and not _YEAR_ONLY.fullmatch(cell.strip())


def _clean(cell: str) -> str:
    return " ".join(cell.split())


def _square(grid: list[list[str]]) -> list[list[str]]:
    """Every row as wide as the widest, cells with their white space folded."""
    width = max((len(row) for row in grid), default=0)
    return [[_clean(c) for c in row] + [""] * (width - len(row)) for row in grid]


def _header_rows(grid: list[list[str]]) -> int:
    """How many rows at the top hold no figures: the header (0 when the first row has figures)."""
    n = 0
    for row in grid:
        if any(_is_data(c) for c in row[1:]):
            break
        n += 1
    return n if n < len(grid) else 0


def _merged_headers(grid: list[list[str]], rows: int) -> list[str]:
    """A header text per column, the header rows' cells joined (a two-row header reads as one)."""
    width = len(grid[0]) if grid else 0
    out = []
    for col in range(width):
        parts: list[str] = []
        for row in grid[:rows]:
            if row[col] and row[col] not in parts:
                parts.append(row[col])
        out.append(" ".join(parts))
    return out


def _role(header: str, col: int, values: list[str]) -> str:
    low = header.lower()
    if col == 0:
        return "label"
    if any(w == low.strip() or (w in low and len(low) <= 6) for w in UNIT_WORDS):
        return "unit"
    if not any(_is_data(v) for v in values):
        return "other"
    if any(w in low for w in GROWTH_WORDS):
        return "growth"
    if any(w in low for w in SHARE_WORDS):
        return "share"
    return "value"


def _header_unit(header: str) -> str:
    """The unit a header gives in brackets: 数值（亿元） -> 亿元; (%) is the cells' own sign."""
    m = _BRACKETED.search(header)
    if not m or "%" in m.group(1) or _PERIOD.search(m.group(1)):
        return ""
    return m.group(1).strip()


def columns_of(headers: list[str], body: list[list[str]]) -> list[Column]:
    """Each column's role, period and unit, from its header and its cells."""
    out = []
    for col, header in enumerate(headers):
        values = [row[col] for row in body]
        m = _PERIOD.search(header)
        out.append(
            Column(
                _role(header, col, values), header, m.group(0) if m else "", _header_unit(header)
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class Context:
    """What the table says around its cells: the caption's period, unit and metric (for a table
    whose rows are places: "各市地区生产总值" over 拉萨市 | 日喀则市), and its language."""

    period: str
    unit: str
    metric: str
    chinese: bool


_CAPTION_NOISE = re.compile(
    r"^\s*(?:表|table)\s*\d+[.:：、]?\s*|各市[（(]地区[)）]|各地市|各县[（(]区[)）]|主要|情况",
    re.I,
)


def caption_metric(caption: str) -> str:
    """What a caption says the figures measure, without its number, period and unit note."""
    text = _CAPTION_UNIT.sub("", _PERIOD.sub("", caption))
    text = _CAPTION_NOISE.sub("", text)
    return text.strip(" ，,:：;；()（）")


def without_unit_note(caption: str) -> str:
    """A caption without its "单位：亿元": the unit is written into each row's sentence, and the
    note alone would read as a figure (one 亿元)."""
    return _CAPTION_UNIT.sub("", caption).rstrip()


def _context(caption: str, grid: list[list[str]]) -> Context:
    m = _PERIOD.search(caption)
    unit = _CAPTION_UNIT.search(caption)
    text = caption + "".join(c for row in grid for c in row)
    return Context(
        m.group(0) if m else "",
        unit.group(1) if unit else "",
        caption_metric(caption),
        bool(_CJK.search(text)),
    )


def _is_place(label: str) -> bool:
    from tibet_facts.store.extract import gazetteer

    return gazetteer.place(label) is not None


def table_lines(grid: list[list[str]], caption: str = "") -> list[str]:
    """The table as lines of text: one sentence a row of figures, or its rows as they are."""
    grid = _square([row for row in grid if any(c.strip() for c in row)])
    if not grid or len(grid[0]) < 2:
        return [" ".join(row).strip() for row in grid if any(row)]
    rows = _header_rows(grid)
    if rows == 0:
        return plain_rows(grid)
    body = grid[rows:]
    cols = columns_of(_merged_headers(grid, rows), body)
    if not any(c.role in ("value", "growth", "share") for c in cols):
        return plain_rows(grid)
    context = _context(caption, grid)
    return [line for row in body if (line := row_sentence(row, cols, context))]


def add_table(blocks: list[str], grid: list[list[str]]) -> None:
    """Append a table's lines to a document's blocks, the block just above it (when short) read
    as its caption, and that caption's unit note taken out (it is in every row's sentence)."""
    caption = blocks[-1].strip() if blocks and len(blocks[-1].strip()) <= CAPTION_CHARS else ""
    lines = table_lines(grid, caption)
    if caption and lines and lines != plain_rows(_square(grid)):
        blocks[-1] = without_unit_note(blocks[-1])
    blocks.append("\n".join(lines))


def plain_rows(grid: list[list[str]]) -> list[str]:
    """Rows as they are, cells set apart by two spaces (a table that is not one of figures)."""
    return ["  ".join(c for c in row if c) for row in grid if any(row)]


@dataclass(frozen=True, slots=True)
class Cell:
    """One figure of a row, with what its column says of it."""

    value: str
    column: Column


def _label_and_unit(label: str) -> tuple[str, str]:
    """The row header without its leading marks (其中：, #), and a unit it gives in brackets."""
    label = _LEADERS.sub("", label).strip()
    m = _BRACKETED.search(label)
    if m and not _PERIOD.search(m.group(1)) and "%" not in m.group(1):
        return (label[: m.start()] + label[m.end() :]).strip(), m.group(1).strip()
    return label, ""


def row_sentence(row: list[str], cols: list[Column], context: Context) -> str:
    """One row as a sentence, or "" when it holds no figure."""
    label, label_unit = _label_and_unit(row[0])
    unit_cell = next(
        (row[i] for i, c in enumerate(cols) if c.role == "unit" and row[i] not in _EMPTY), ""
    )
    cells = [
        Cell(row[i].replace(" ", ""), c)
        for i, c in enumerate(cols)
        if c.role in ("value", "growth", "share") and _is_data(row[i])
    ]
    if not label or not cells:
        return "  ".join(c for c in row if c)
    unit = unit_cell or label_unit
    if context.metric and _is_place(label):  # a row per place: the caption says what is measured
        label = f"{label}{context.metric}" if context.chinese else f"{context.metric} of {label}"
    writer = _zh_sentence if context.chinese else _en_sentence
    return writer(label, unit, cells, context)


def _period(cell: Cell, context: Context) -> str:
    return cell.column.period or context.period


def _zh_value(cell: Cell, unit: str, context: Context) -> str:
    own = unit or cell.column.unit or context.unit
    value = cell.value
    if own in ("%", "％") and value.endswith("%"):
        own = ""
    return f"{value}{own}"


def _zh_rate(cell: Cell) -> str:
    """比上年增长9.5% / 比上年下降2.3%: the column's words, its sign as 增长 or 下降."""
    words = re.sub(r"[（(]?[%％][）)]?", "", cell.column.header).strip() or "比上年增长"
    if not any(w in words for w in ("增长", "下降", "增减")):
        words = "比上年增长"
    words = words.replace("增减", "增长")
    value = cell.value.rstrip("%")
    if value[:1] in "-−–":
        words, value = words.replace("增长", "下降"), value[1:]
    return f"{words}{value}%"


def _zh_share(cell: Cell) -> str:
    words = re.sub(r"[（(]?[%％][）)]?", "", cell.column.header).strip()
    return f"{words}{cell.value.rstrip('%')}%"


def _zh_sentence(label: str, unit: str, cells: list[Cell], context: Context) -> str:
    """2023年，地区生产总值为2392.67亿元，比上年增长9.5%。"""
    values = [c for c in cells if c.column.role == "value"]
    periods = {_period(c, context) for c in values}
    parts: list[str] = []
    if len(periods) > 1:  # one column per year: each value says its own year
        parts.append(
            label
            + "，".join(f"{_period(c, context)}为{_zh_value(c, unit, context)}" for c in values)
        )
        lead = ""
    else:
        lead = periods.pop() if periods else _period(cells[0], context)
        if values:
            parts.append(f"{label}为" + "、".join(_zh_value(c, unit, context) for c in values))
        else:
            parts.append(label)
    for cell in cells:
        if cell.column.role == "growth":
            parts.append(_zh_rate(cell))
        elif cell.column.role == "share":
            parts.append(_zh_share(cell))
    return (f"{lead}，" if lead else "") + "，".join(parts) + "。"


def _en_value(cell: Cell, unit: str, context: Context) -> str:
    own = unit or cell.column.unit or context.unit
    return f"{cell.value} {own}".strip()


def _en_rate(cell: Cell) -> str:
    value = cell.value.rstrip("%")
    if value[:1] in "-−–":
        return f"down {value[1:]}% over the previous year"
    return f"up {value}% over the previous year"


def _en_sentence(label: str, unit: str, cells: list[Cell], context: Context) -> str:
    """In 2023, gross domestic product was 239.27 billion yuan, up 9.5% over the previous year."""
    values = [c for c in cells if c.column.role == "value"]
    periods = {_period(c, context) for c in values}
    if len(periods) > 1:
        said = ", ".join(f"{_en_value(c, unit, context)} in {_period(c, context)}" for c in values)
        head = f"{label} was {said}"
    else:
        lead = periods.pop() if periods else _period(cells[0], context)
        said = " and ".join(_en_value(c, unit, context) for c in values)
        head = (f"In {lead}, " if lead else "") + (f"{label} was {said}" if values else label)
    tails = [
        _en_rate(c) if c.column.role == "growth" else f"{c.column.header} {c.value.rstrip('%')}%"
        for c in cells
        if c.column.role in ("growth", "share")
    ]
    return ", ".join([head, *tails]) + "."
