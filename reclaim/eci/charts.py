"""Geometry for the dashboard's two pictures, drawn as inline SVG by templates.

The map is a tile grid: one equal square per member state, placed roughly where the state
lies. Equal tiles keep Malta and Luxembourg as visible as Germany, need no map data from a
third party, and the table beside it carries the same figures for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reclaim.eci.dashboard import CountryRow

# (column, row) of each member state's tile.
TILE_GRID: dict[str, tuple[int, int]] = {
    "SE": (4, 0), "FI": (5, 0),
    "IE": (0, 1), "DK": (3, 1), "EE": (5, 1),
    "NL": (2, 2), "DE": (3, 2), "PL": (4, 2), "LV": (5, 2),
    "BE": (2, 3), "CZ": (3, 3), "SK": (4, 3), "LT": (5, 3),
    "FR": (1, 4), "LU": (2, 4), "AT": (3, 4), "HU": (4, 4), "RO": (5, 4),
    "PT": (0, 5), "ES": (1, 5), "IT": (2, 5), "SI": (3, 5), "HR": (4, 5), "BG": (5, 5),
    "MT": (2, 6), "GR": (5, 6), "CY": (6, 6),
}  # fmt: skip
TILE = 56
GAP = 4


@dataclass(frozen=True)
class Tile:
    row: CountryRow
    x: int
    y: int
    size: int = TILE

    @property
    def cx(self) -> int:
        return self.x + self.size // 2

    @property
    def cy(self) -> int:
        return self.y + self.size // 2


def tiles(rows: list[CountryRow]) -> list[Tile]:
    step = TILE + GAP
    return [
        Tile(row, TILE_GRID[row.iso][0] * step, TILE_GRID[row.iso][1] * step)
        for row in rows
        if row.iso in TILE_GRID
    ]


def map_size() -> tuple[int, int]:
    step = TILE + GAP
    columns = max(c for c, _ in TILE_GRID.values()) + 1
    lines = max(r for _, r in TILE_GRID.values()) + 1
    return columns * step - GAP, lines * step - GAP


@dataclass(frozen=True)
class Line:
    label: str
    points: str  # "x,y x,y ..." for <polyline>
    css: str
    last_x: float
    last_y: float
    label_y: float  # where its label is written: at the line's end, moved clear of the others


# The least vertical distance between two lines' end labels (the tick font is 12 px).
LABEL_GAP = 14


def spread_labels(ends: list[float], top: float, bottom: float) -> list[float]:
    """Label positions near ``ends`` (the lines' last y), each at least LABEL_GAP from the
    next and all within [top, bottom]: lines that end close together (two member states
    with similar figures) would otherwise print their labels over each other."""
    order = sorted(range(len(ends)), key=lambda i: ends[i])
    placed = [ends[i] for i in order]
    for k in range(1, len(placed)):  # push down what is too close to the one above
        placed[k] = max(placed[k], placed[k - 1] + LABEL_GAP)
    if placed and placed[-1] > bottom:  # then back up from the bottom if needed
        placed[-1] = bottom
        for k in range(len(placed) - 2, -1, -1):
            placed[k] = min(placed[k], placed[k + 1] - LABEL_GAP)
    placed = [max(top, value) for value in placed]
    result = [0.0] * len(ends)
    for position, i in zip(placed, order, strict=True):
        result[i] = round(position, 1)
    return result


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    bottom: int
    lines: list[Line]
    y_ticks: list[tuple[float, int]]
    x_ticks: list[tuple[float, date]]


def line_chart(
    series: dict[str, list[tuple[date, int]]], width: int = 640, height: int = 280
) -> Chart | None:
    """Lines for a few series over the same days, scaled to one axis starting at zero."""
    if not series or all(len(points) < 2 for points in series.values()):
        return None
    left, right, top, bottom = 64, 96, 12, 28
    days = sorted({day for points in series.values() for day, _ in points})
    first, last = days[0], days[-1]
    span = max(1, (last - first).days)
    peak = max(1, max(value for points in series.values() for _, value in points))
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(day: date) -> float:
        return round(left + plot_w * (day - first).days / span, 1)

    def y(value: int) -> float:
        return round(top + plot_h * (1 - value / peak), 1)

    ends = [y(points[-1][1]) for points in series.values()]
    label_ys = spread_labels(ends, top, height - bottom)
    lines = []
    for index, (label, points) in enumerate(series.items()):
        coords = " ".join(f"{x(day)},{y(value)}" for day, value in points)
        lines.append(
            Line(label, coords, f"series-{index}", x(points[-1][0]), ends[index], label_ys[index])
        )
    y_ticks = [(y(round(peak * k / 4)), round(peak * k / 4)) for k in range(5)]
    x_ticks = [(x(day), day) for day in (first, first + (last - first) / 2, last)]
    return Chart(width, height, left, height - bottom, lines, y_ticks, x_ticks)
