"""Server-drawn charts (engage/charts.py): bars as long as their figures, nothing drawn for
a hidden figure, each series told apart by more than colour, axes with round ticks."""

import pytest
from django.template.loader import render_to_string

from engage.charts import Cell, Series, bar_drawing, line_drawing, marker_path, nice_maximum


@pytest.mark.parametrize(
    ("largest", "top", "ticks"),
    [
        (0, 4, [0, 1, 2, 3, 4]),
        (3, 3, [0, 1, 2, 3]),
        (7, 8, [0, 2, 4, 6, 8]),
        (37, 40, [0, 10, 20, 30, 40]),
        (999, 1000, [0, 200, 400, 600, 800, 1000]),
    ],
)
def test_an_axis_ends_at_a_round_number_at_or_above_the_largest(largest, top, ticks):
    assert nice_maximum(largest) == (top, ticks)


def test_bars_are_as_long_as_their_figures_and_hidden_ones_are_not_drawn():
    drawing = bar_drawing(
        chart_id="c",
        title="Ideas by practice",
        description="d",
        categories=["Abbey", "Tiny", "Beech"],
        series=[Series("Ideas", [Cell.of(20), Cell(None, "hidden"), Cell.of(10)])],
    )
    abbey, tiny, beech = (row.bars[0] for row in drawing.rows)
    assert abbey.drawn and beech.drawn and not tiny.drawn
    assert abbey.width == pytest.approx(2 * beech.width)
    assert (abbey.label, tiny.label, beech.label) == ("20", "hidden", "10")
    assert not drawing.legend  # one series: its name is the chart's title


def test_with_several_series_each_bar_says_whose_it_is():
    drawing = bar_drawing(
        chart_id="c",
        title="t",
        description="d",
        categories=["North PCN"],
        series=[Series("Answered", [Cell.of(3)]), Series("Not answered yet", [Cell.of(1)])],
    )
    labels = [bar.label for bar in drawing.rows[0].bars]
    assert labels == ["Answered: 3", "Not answered yet: 1"]
    assert [item.name for item in drawing.legend] == ["Answered", "Not answered yet"]
    assert drawing.rows[0].bars[0].css != drawing.rows[0].bars[1].css


def test_long_names_are_shortened_in_the_chart_only():
    name = "The Very Long Name Medical Centre and Branch Surgery"
    drawing = bar_drawing(
        chart_id="c",
        title="t",
        description="d",
        categories=[name],
        series=[Series("Ideas", [Cell.of(1)])],
    )
    assert drawing.rows[0].label.endswith("…") and len(drawing.rows[0].label) <= 30
    assert drawing.rows[0].full_label == name


def test_lines_have_a_point_per_figure_and_a_shape_of_their_own():
    drawing = line_drawing(
        chart_id="c",
        title="t",
        description="d",
        labels=["Jan 2026", "Feb 2026", "Mar 2026"],
        series=[
            Series("Ideas", [Cell.of(0), Cell.of(5), Cell.of(10)]),
            Series("Comments", [Cell.of(2), Cell(None, "hidden"), Cell.of(4)]),
        ],
    )
    ideas, comments = drawing.lines
    assert len(ideas.markers) == 3 and len(comments.markers) == 2
    assert ideas.markers[0] != marker_path(1, *map(float, ideas.points.split()[0].split(",")))
    y = [float(point.split(",")[1]) for point in ideas.points.split()]
    assert y[0] == drawing.plot_bottom and y[2] == drawing.plot_top  # 0 at the bottom, 10 top
    assert [tick.label for tick in drawing.ticks] == ["0", "2", "4", "6", "8", "10"]
    assert [label.label for label in drawing.x_labels] == ["Jan 2026", "Feb 2026", "Mar 2026"]


def test_the_svg_has_an_accessible_name_classes_and_no_style_or_script():
    drawing = bar_drawing(
        chart_id="x-chart",
        title="<script>alert(1)</script> Ideas",
        description="Bar chart.",
        categories=["<b>Abbey</b>"],
        series=[Series("Ideas", [Cell.of(1234)])],
    )
    svg = render_to_string("charts/chart.html", {"drawing": drawing})
    assert 'role="img"' in svg
    assert 'aria-labelledby="x-chart-title x-chart-desc"' in svg
    assert '<title id="x-chart-title">&lt;script&gt;alert(1)&lt;/script&gt; Ideas</title>' in svg
    assert "&lt;b&gt;Abbey&lt;/b&gt;" in svg
    assert "1,234" in svg
    assert "style=" not in svg and "<script" not in svg
    assert 'class="engage-chart__bar engage-chart__series--1"' in svg
