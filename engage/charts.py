"""Charts drawn on the server as SVG: horizontal bars and lines, nothing else.

The functions here work out where every bar, line, point and label goes; the templates in
`templates/charts/` write the SVG with classes only (no `style` attribute, no script), so
the strict Content-Security-Policy holds and `static/css/charts.css` sets every colour. A
chart is an image with an accessible name (`role="img"`, `<title>`, `<desc>`); its figures
are in a real table beside it, which screen readers and printers use instead.

Not colour alone: every bar carries its value as text (and its series' name when there is
more than one series); each line has its own dash pattern and point shape, shown in the
legend. The colours (NHS.UK palette) each have at least 3:1 contrast with the white
background the chart is drawn on (WCAG 2.2, 1.4.11).

A small module rather than a chart library: the libraries that draw SVG in Python write
inline `style` attributes or `<style>` elements that the Content-Security-Policy blocks, and
none gives an accessible name; bars and lines are a few sums.
"""

from dataclasses import dataclass, field
from math import ceil, floor, log10

WIDTH = 640
SERIES_STYLES = 6  # .engage-chart__series--1 to --6 in charts.css; more series cycle


@dataclass
class Cell:
    """One figure: `value` for drawing (None draws nothing), `text` for the table, CSV and
    the bar's label ("hidden", "not answered yet", "12")."""

    value: float | None
    text: str

    @classmethod
    def of(cls, value: float | None, *, missing: str = "none") -> "Cell":
        if value is None:
            return cls(None, missing)
        shown = f"{value:,}" if isinstance(value, int) else f"{value:,.1f}".removesuffix(".0")
        return cls(value, shown)


@dataclass
class Series:
    name: str
    cells: list[Cell]


def _series_class(index: int) -> str:
    return f"engage-chart__series--{index % SERIES_STYLES + 1}"


def nice_maximum(largest: float) -> tuple[float, list[float]]:
    """A round top for an axis at or above `largest`, and up to six ticks from 0 to it."""
    if largest <= 0:
        return 4, [0, 1, 2, 3, 4]
    unit = 10 ** floor(log10(largest / 5)) if largest >= 5 else 1
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * unit
        if ceil(largest / step) <= 5:
            break
    count = ceil(largest / step)
    return count * step, [step * n for n in range(count + 1)]


def _short(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


# Bars


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    label: str
    css: str
    drawn: bool


@dataclass
class BarRow:
    label: str
    full_label: str
    label_y: float
    bars: list[Bar]


@dataclass
class LegendItem:
    """A series' name at (`x` + 36, `y`), after its swatch: a bar's colour, or a line's
    stretch of dash (from `x` to `x` + 28 at `y` - 4) with its point shape (`marker`)."""

    name: str
    css: str
    x: float
    y: float
    marker: str = ""

    @property
    def text_x(self) -> float:
        return self.x + 36

    @property
    def swatch_y(self) -> float:
        return self.y - 12

    @property
    def line_y(self) -> float:
        return self.y - 4

    @property
    def line_end(self) -> float:
        return self.x + 28


@dataclass
class BarDrawing:
    chart_id: str
    title: str
    description: str
    height: float
    rows: list[BarRow]
    legend: list[LegendItem]
    axis_x: float
    axis_top: float
    axis_bottom: float
    width: int = WIDTH
    kind: str = "bar"


LABEL_WIDTH = 210  # the category names, on the left
BAR_AREA = 300  # the longest bar
BAR_HEIGHT = 18
BAR_GAP = 4
ROW_GAP = 14
LEGEND_HEIGHT = 28


def _legend(series: list[Series]) -> list[LegendItem]:
    """One entry per series, left to right, wrapping onto a new line when needed."""
    items, x, y = [], 0.0, 16.0
    for index, each in enumerate(series):
        width = 40 + 7.5 * len(each.name)
        if x and x + width > WIDTH:
            x, y = 0.0, y + 22
        items.append(LegendItem(each.name, _series_class(index), x, y))
        x += width + 16
    return items


def bar_drawing(
    *, chart_id: str, title: str, description: str, categories: list[str], series: list[Series]
) -> BarDrawing:
    """Horizontal bars: a row per category, a bar per series in each row, each labelled
    with its figure (and its series' name when there are several)."""
    several = len(series) > 1
    values = [cell.value for each in series for cell in each.cells if cell.value is not None]
    top, _ticks = nice_maximum(max(values, default=0))
    legend = _legend(series) if several else []
    legend_height = (legend[-1].y + 12) if legend else 0
    rows, y = [], legend_height + 8
    for row, category in enumerate(categories):
        bars = []
        for index, each in enumerate(series):
            cell = each.cells[row]
            bar_y = y + index * (BAR_HEIGHT + BAR_GAP)
            width = BAR_AREA * (cell.value / top) if cell.value else 0
            text = f"{each.name}: {cell.text}" if several else cell.text
            bars.append(
                Bar(
                    x=LABEL_WIDTH,
                    y=bar_y,
                    width=round(width, 1),
                    height=BAR_HEIGHT,
                    label_x=round(LABEL_WIDTH + width + 6, 1),
                    label_y=bar_y + BAR_HEIGHT - 4,
                    label=text,
                    css=_series_class(index),
                    drawn=cell.value is not None and cell.value > 0,
                )
            )
        rows.append(BarRow(_short(category), category, y + BAR_HEIGHT - 4, bars))
        y += len(series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP + ROW_GAP
    return BarDrawing(
        chart_id=chart_id,
        title=title,
        description=description,
        height=max(y, legend_height + 40),
        rows=rows,
        legend=legend,
        axis_x=LABEL_WIDTH,
        axis_top=legend_height + 4,
        axis_bottom=y - ROW_GAP + 4,
    )


# Lines


def marker_path(shape: int, x: float, y: float, size: float = 4.5) -> str:
    """A point's shape as an SVG path: a circle, square, triangle, diamond, cross or
    inverted triangle, by series."""
    s = size
    shape %= SERIES_STYLES
    if shape == 0:
        return f"M{x - s},{y} a{s},{s} 0 1,0 {2 * s},0 a{s},{s} 0 1,0 {-2 * s},0 Z"
    if shape == 1:
        return f"M{x - s},{y - s} h{2 * s} v{2 * s} h{-2 * s} Z"
    if shape == 2:
        return f"M{x},{y - s - 1} L{x + s + 1},{y + s} L{x - s - 1},{y + s} Z"
    if shape == 3:
        return f"M{x},{y - s - 1} L{x + s + 1},{y} L{x},{y + s + 1} L{x - s - 1},{y} Z"
    if shape == 4:
        t = s / 2.5
        return (
            f"M{x - t},{y - s} h{2 * t} v{s - t} h{s - t} v{2 * t} h{t - s} v{s - t} "
            f"h{-2 * t} v{t - s} h{t - s} v{-2 * t} h{s - t} Z"
        )
    return f"M{x},{y + s + 1} L{x + s + 1},{y - s} L{x - s - 1},{y - s} Z"


@dataclass
class Tick:
    y: float
    label: str

    @property
    def label_y(self) -> float:
        return self.y + 4


@dataclass
class XLabel:
    x: float
    label: str


@dataclass
class Line:
    name: str
    css: str
    points: str  # "x,y x,y ..." for a polyline
    markers: list[str] = field(default_factory=list)


@dataclass
class LineDrawing:
    chart_id: str
    title: str
    description: str
    height: float
    lines: list[Line]
    legend: list[LegendItem]
    ticks: list[Tick]
    x_labels: list[XLabel]
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    width: int = WIDTH
    kind: str = "line"

    @property
    def tick_x(self) -> float:
        return self.plot_left - 8

    @property
    def month_y(self) -> float:
        return self.plot_bottom + 22


def line_drawing(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: list[str],
    series: list[Series],
    axis_labels: list[str] | None = None,
) -> LineDrawing:
    """Lines over `labels` (months, left to right), one per series, each with its own dash
    and point shape; a missing figure leaves its point out. `axis_labels`, shorter names
    for the labels under the axis (the table has the full ones)."""
    legend = _legend(series)
    for index, item in enumerate(legend):
        item.marker = marker_path(index, item.x + 14, item.y - 4)
    plot_top = (legend[-1].y + 20) if legend else 12
    plot_left, plot_right = 52.0, WIDTH - 28.0
    plot_bottom = plot_top + 200
    values = [cell.value for each in series for cell in each.cells if cell.value is not None]
    top, ticks = nice_maximum(max(values, default=0))
    count = max(len(labels), 1)
    step = (plot_right - plot_left) / max(count - 1, 1)

    def x_of(index: int) -> float:
        return round(plot_left + index * step, 1) if count > 1 else (plot_left + plot_right) / 2

    def y_of(value: float) -> float:
        return round(plot_bottom - (plot_bottom - plot_top) * value / top, 1)

    lines = []
    for index, each in enumerate(series):
        points = [
            (x_of(n), y_of(cell.value))
            for n, cell in enumerate(each.cells)
            if cell.value is not None
        ]
        lines.append(
            Line(
                name=each.name,
                css=_series_class(index),
                points=" ".join(f"{x},{y}" for x, y in points),
                markers=[marker_path(index, x, y) for x, y in points],
            )
        )
    # Every label if they fit, otherwise every other or third one (the table has them all),
    # counted back from the last.
    every = 1 if count <= 6 else 2 if count <= 12 else 3
    under = axis_labels or labels
    x_labels = [XLabel(x_of(n), under[n]) for n in range(count - 1, -1, -every) if n < len(under)][
        ::-1
    ]
    return LineDrawing(
        chart_id=chart_id,
        title=title,
        description=description,
        height=plot_bottom + 36,
        lines=lines,
        legend=legend,
        ticks=[Tick(y_of(value), _number(value)) for value in ticks],
        x_labels=x_labels,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
    )
