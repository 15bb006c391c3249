"""The chart of a comparison, drawn with plotext: a line a place over the periods in time
order, or bars by place when the comparison has one period.

The same drawing serves the browser (textual-plotext's Plot object, which has plotext's calls)
and the command line and SVG export (the plotext module). Labels are written in Latin letters
where the facts have them: plotext counts every character as one cell, so Chinese labels
would push the frame out of line. Series differ by marker as well as by colour, so the chart
reads without colour (NO_COLOR).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tibet_facts.store.compare import CompareRow, Comparison

MARKERS = ("o", "+", "x", "*", "#", "@", "%", "&")
_UNIT_WORDS = (("个百分点", " pp"), ("人次", " person-times"), ("美元", " US dollars"), ("元", " yuan"),
               ("人", " people"), ("户", " households"), ("件", " items"), ("亿", "100 million"),
               ("万", "10,000"), ("千", "1,000"))
# At most this many places get a line: more would be a tangle no one can read.
MAX_SERIES = 8


@dataclass(slots=True)
class Series:
    name: str
    points: list[tuple[int, float]]  # (index of the period, value)


@dataclass(slots=True)
class ChartData:
    title: str
    unit: str
    periods: list[str]
    series: list[Series] = field(default_factory=list)
    bars: bool = False  # one period: bars by place
    left_out: int = 0  # places beyond MAX_SERIES


def latin_unit(label: str) -> str:
    """'亿元' -> '100 million yuan', '万人次' -> '10,000 person-times', '%' as it is."""
    text = label
    for zh, en in _UNIT_WORDS:
        text = text.replace(zh, en)
    return " ".join(text.split())


def _place_label(row: CompareRow) -> str:
    name = row.place_en if row.place_en and row.place_en.isascii() else row.place
    return name or "unknown place"


def chart_data(comp: Comparison) -> ChartData:
    """The compared kind's figures: one series a place, periods oldest to newest (unknown out)."""
    rows = [r for r in comp.main_rows if r.value is not None]
    periods = [p for p in comp.periods if not p.startswith("unknown")]
    data = ChartData(title=comp.metric or comp.title, unit=latin_unit(comp.unit_label), periods=periods)
    by_place: dict[str, dict[str, float]] = {}
    names: dict[str, str] = {}
    for row in rows:
        names[row.place] = _place_label(row)
        values = by_place.setdefault(row.place, {})
        for period, cell in row.cells.items():
            values[period] = cell.value
    order = sorted(by_place, key=lambda p: -max(by_place[p].values(), default=0.0))
    data.left_out = max(0, len(order) - MAX_SERIES)
    for place in order[:MAX_SERIES]:
        points = [(i + 1, by_place[place][p]) for i, p in enumerate(periods) if p in by_place[place]]
        if points:
            data.series.append(Series(names[place], points))
    data.bars = len(periods) <= 1
    return data


def draw(plt: Any, data: ChartData) -> None:
    """Draw on a plotext-like object (the plotext module, or textual-plotext's widget.plt)."""
    plt.clear_data()
    plt.clear_figure() if hasattr(plt, "clear_figure") else None
    title = f"{data.title} ({data.unit})" if data.unit else data.title
    plt.title(title + (f"; {data.left_out} more places in the table" if data.left_out else ""))
    if not data.series:
        return
    if data.bars:
        names = [s.name for s in data.series]
        plt.bar(names, [s.points[0][1] for s in data.series], orientation="horizontal", marker="#")
        if data.periods:
            plt.xlabel(data.periods[0])
        return
    for n, series in enumerate(data.series):
        xs, ys = [x for x, _ in series.points], [y for _, y in series.points]
        plt.plot(xs, ys, label=series.name, marker=MARKERS[n % len(MARKERS)])
    plt.xticks(list(range(1, len(data.periods) + 1)), data.periods)
    plt.xlim(0.8, len(data.periods) + 0.2)


def chart_text(data: ChartData, width: int, height: int, *, color: bool = True) -> str:
    """The chart as terminal text (ANSI colours unless color=False)."""
    import plotext as plt

    plt.clear_figure()
    draw(plt, data)
    plt.theme("clear")
    plt.plotsize(width, height)
    text: str = plt.build()
    return text if color else plt.uncolorize(text)
