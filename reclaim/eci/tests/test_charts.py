"""The dashboard's line chart: its end labels never print over each other."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import combinations

from reclaim.eci.charts import LABEL_GAP, line_chart, spread_labels


def test_labels_of_lines_that_end_together_are_moved_apart():
    start = date(2026, 1, 1)
    days = [start + timedelta(days=n) for n in range(10)]
    series = {
        "total": [(day, 1000 * n) for n, day in enumerate(days)],
        "DE": [(day, 500 * n) for n, day in enumerate(days)],
        "FR": [(day, 500 * n + 3) for n, day in enumerate(days)],
        "IT": [(day, 498 * n) for n, day in enumerate(days)],
    }
    chart = line_chart(series)
    assert chart is not None
    for a, b in combinations(chart.lines, 2):
        assert abs(a.label_y - b.label_y) >= LABEL_GAP, (a.label, b.label)
    # Each label stays near the end of its own line, inside the plot.
    for line in chart.lines:
        assert abs(line.label_y - line.last_y) <= LABEL_GAP * len(series)
        assert 0 <= line.label_y <= chart.bottom


def test_labels_far_apart_stay_where_their_lines_end():
    assert spread_labels([20.0, 120.0, 200.0], 12, 252) == [20.0, 120.0, 200.0]


def test_labels_crowded_at_the_bottom_are_pushed_up_not_out():
    placed = spread_labels([250.0, 250.0, 251.0], 12, 252)
    assert max(placed) <= 252
    ordered = sorted(placed)
    assert all(b - a >= LABEL_GAP for a, b in zip(ordered, ordered[1:], strict=False))
