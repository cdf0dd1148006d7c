"""The map's clusters: the public devices in a box, grouped by a grid of the map's pixels.

The map asks for what is in view (a box and a zoom) and draws what comes back: a marker
for a cell with one device, a circle with a count for a cell with several. The grid is
fixed in Web-Mercator pixel space (``CELL_PX`` pixels at the asked zoom, counted from the
world's top left corner), so a cell keeps its devices while the visitor pans; a cell that
the box touches comes back whole.

How it stays fast with 100,000 devices (``bench/atlas.py``, figures in
``docs/benchmarks.md``, "Atlas clusters"):

- The database groups: one ``GROUP BY`` on integer cell indices computed in SQL
  (Mercator's ``ln(tan(...))`` is built into SQLite 3.35+ and PostgreSQL), over an index
  that holds every column the query reads (``atlas_device_map``), so neither database
  touches the table. Loading the points into Python instead and grouping them there cost
  twice as much on a cold start (100 ms to fetch 100,000 rows, 100 ms to project and
  grid them), and a cache of the points would have to be rebuilt after every change.
- The answer is kept per process in blocks of ``BLOCK_CELLS`` × ``BLOCK_CELLS`` cells,
  keyed by the data's version: panning or a second visitor costs no query, and only the
  blocks not yet seen are asked for (in one query for the rectangle they span). The
  version (``map_version()``) lives in Django's cache, shared by the processes, and is
  replaced whenever a device, a deployment or a capability is saved or deleted (the
  signals below); services that write with ``update()`` or ``bulk_create()`` call
  ``bump_map_version()``. The blocks expire after ``BLOCK_SECONDS`` in any case, which
  bounds how late a change shows where the version is not shared (several hosts without
  Redis).

Deployments with a centre but no public device are few; they come back as their own
points (``deployment_points()``), never clustered.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, OuterRef
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reclaim.atlas.models import Capability, Deployment, Device, Verification
from reclaim.atlas.services.public import public_deployments, public_devices, recheck_cutoff
from reclaim.lib.processcache import ProcessCache

# A cell of the grid, in pixels of the asked zoom: about a marker and a half, so that
# markers do not overlap and a city still shows as a few clusters, not one.
CELL_PX = 64
TILE_PX = 256
MAX_ZOOM = 19
# The largest box we answer, in pixels of its zoom each way: a 4K screen with margins.
# A bigger one is a world at street level: refused, it would be a dump of the data.
MAX_BOX_PX = 8192
# Web Mercator stops here (the map is square).
MAX_LATITUDE = 85.0511287798066
# Cells per block side: a block is 1,024 pixels square, about a phone's screen.
BLOCK_CELLS = 16
# How long a process keeps a block when the version does not change.
BLOCK_SECONDS = 60
# Blocks kept per (version, zoom, filters): past this the process starts again.
MAX_BLOCKS = 4096

VERSION_KEY = "atlas:map-version"


class BadQuery(ValueError):
    """The map sent something we cannot answer; the message says what, for a person."""


@dataclass(frozen=True)
class Filters:
    """What the map shows: every public device, or those of one capability (through the
    device's deployment), one verification, or one deployment status."""

    capability: str = ""
    verification: str = ""
    status: str = ""

    def key(self) -> tuple[str, str, str]:
        return (self.capability, self.verification, self.status)

    def as_query(self) -> dict[str, str]:
        return {name: value for name, value in zip(FILTER_NAMES, self.key(), strict=True) if value}


FILTER_NAMES = ("capability", "verification", "status")
_CHOICES: dict[str, set[str]] = {
    "capability": set(Capability.Kind.values),
    "verification": set(Verification.values),
    "status": set(Deployment.Status.values),
}


def parse_filters(query: Mapping[str, str]) -> Filters:
    """The filters of a query string; an unknown value is refused, not ignored (a map
    that silently showed everything would mislead)."""
    values: dict[str, str] = {}
    for name in FILTER_NAMES:
        value = query.get(name, "") or ""
        if value and value not in _CHOICES[name]:
            raise BadQuery(_("This filter has no such value: %(name)s.") % {"name": name})
        values[name] = value
    return Filters(**values)


# --- the box and the zoom ----------------------------------------------------------------

_NUMBER = re.compile(r"^\s*[-+]?(\d{1,4}(\.\d{0,15})?|\.\d{1,15})\s*$")
_ZOOM = re.compile(r"^\d{1,2}$")


@dataclass(frozen=True)
class View:
    """A box normalised for the grid: its zoom, its latitudes (south < north, within
    Mercator's range) and one or two ranges of longitude (two when it crosses the
    antimeridian), each within -180..180."""

    zoom: int
    south: float
    north: float
    longitudes: tuple[tuple[float, float], ...]

    def key(self) -> tuple[Any, ...]:
        return (self.zoom, round(self.south, 6), round(self.north, 6), self.longitudes)


def parse_zoom(text: str | None) -> int:
    if text is None or not _ZOOM.match(text) or int(text) > MAX_ZOOM:
        raise BadQuery(_("The zoom must be a whole number from 0 to %(max)s.") % {"max": MAX_ZOOM})
    return int(text)


def parse_view(bbox: str | None, zoom_text: str | None) -> View:
    """``bbox=west,south,east,north`` in degrees (as GeoJSON: west > east crosses the
    antimeridian; Leaflet's longitudes beyond ±180 wrap) and a zoom, checked and
    normalised. Anything else raises ``BadQuery``."""
    zoom = parse_zoom(zoom_text)
    parts = (bbox or "").split(",")
    if len(parts) != 4 or not all(_NUMBER.match(part) for part in parts):
        raise BadQuery(_("The box must be four numbers: west,south,east,north."))
    west, south, east, north = (float(part) for part in parts)
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise BadQuery(_("Latitudes must be between -90 and 90."))
    if not (-720 <= west <= 720 and -720 <= east <= 720):
        raise BadQuery(_("Longitudes must be between -720 and 720."))
    if south > north:
        raise BadQuery(_("The box’s south is north of its north."))
    south = max(south, -MAX_LATITUDE)
    north = min(north, MAX_LATITUDE)
    if east < west:
        east += 360  # crosses the antimeridian
    longitudes: tuple[tuple[float, float], ...]
    if east - west >= 360:
        longitudes = ((-180.0, 180.0),)
    else:
        start = (west + 180) % 360 - 180
        end = start + (east - west)
        if end <= 180:
            longitudes = ((start, end),)
        else:
            longitudes = ((start, 180.0), (-180.0, end - 360))
    view = View(zoom=zoom, south=south, north=north, longitudes=longitudes)
    world = world_px(zoom)
    width = sum(end - start for start, end in longitudes) / 360 * world
    height = (mercator_y(south) - mercator_y(north)) * world
    if width > MAX_BOX_PX or height > MAX_BOX_PX:
        raise BadQuery(_("This box is too large for its zoom: zoom in, or ask for a smaller box."))
    return view


def world_px(zoom: int) -> int:
    return TILE_PX * 2**zoom


def cells_per_side(zoom: int) -> int:
    return world_px(zoom) // CELL_PX


def mercator_y(latitude: float) -> float:
    """0 at the top of the world (85.05° N), 1 at its bottom."""
    latitude = max(-MAX_LATITUDE, min(MAX_LATITUDE, latitude))
    return 0.5 - math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2)) / (2 * math.pi)


def row_latitude(row: float, cells: int) -> float:
    """The latitude of the top edge of a row of cells."""
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / cells))))


def column_longitude(column: float, cells: int) -> float:
    return column / cells * 360 - 180


# --- the data's version ------------------------------------------------------------------


def map_version() -> str:
    """A token that changes whenever what the map shows may have changed."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_version(), timeout=None)
        version = cache.get(VERSION_KEY) or _new_version()
    return str(version)


def bump_map_version(**_kwargs: Any) -> None:
    cache.set(VERSION_KEY, _new_version(), timeout=None)


def _new_version() -> str:
    return f"{time.time_ns():x}"


for _model in (Device, Deployment, Capability):
    post_save.connect(bump_map_version, sender=_model, dispatch_uid=f"atlas-map-{_model.__name__}")
    post_delete.connect(
        bump_map_version, sender=_model, dispatch_uid=f"atlas-map-{_model.__name__}-d"
    )


# --- clustering ---------------------------------------------------------------------------

# One cell: its column and row, how many devices, their mean position and bounds, and,
# for a cell of one, that device's id, verification and last-seen day (ISO).
Cell = tuple[int, int, int, float, float, float, float, float, float, int, str, str]

_blocks: ProcessCache[dict[tuple[int, int], list[Cell]]] = ProcessCache(
    "atlas-map-blocks", maxsize=64, seconds=BLOCK_SECONDS
)


def clusters(view: View, filters: Filters, version: str | None = None) -> list[Cell]:
    """The cells of the grid at ``view.zoom`` that the box touches, each whole."""
    version = version or map_version()
    blocks = _blocks.get((version, view.zoom, filters.key()), dict)
    if len(blocks) > MAX_BLOCKS:
        blocks.clear()
    cells = cells_per_side(view.zoom)
    top = _clamp(int(mercator_y(view.north) * cells), cells)
    bottom = _clamp(int(mercator_y(view.south) * cells), cells)
    found: list[Cell] = []
    for west, east in view.longitudes:
        left = _clamp(int((west + 180) / 360 * cells), cells)
        right = _clamp(int((east + 180) / 360 * cells), cells)
        wanted = [
            (bx, by)
            for by in range(top // BLOCK_CELLS, bottom // BLOCK_CELLS + 1)
            for bx in range(left // BLOCK_CELLS, right // BLOCK_CELLS + 1)
        ]
        missing = [block for block in wanted if block not in blocks]
        if missing:
            blocks.update(_load_blocks(view.zoom, filters, missing))
        for block in wanted:
            found.extend(
                cell
                for cell in blocks.get(block, ())
                if left <= cell[0] <= right and top <= cell[1] <= bottom
            )
    return found


def _clamp(index: int, cells: int) -> int:
    return max(0, min(cells - 1, index))


def _load_blocks(
    zoom: int, filters: Filters, missing: list[tuple[int, int]]
) -> dict[tuple[int, int], list[Cell]]:
    """Every block of the rectangle that the missing ones span, from one query (and one
    more for the details of the cells that hold a single device)."""
    cells = cells_per_side(zoom)
    bx0 = min(bx for bx, _ in missing)
    bx1 = max(bx for bx, _ in missing)
    by0 = min(by for _, by in missing)
    by1 = max(by for _, by in missing)
    col0, col1 = bx0 * BLOCK_CELLS, min(cells, (bx1 + 1) * BLOCK_CELLS) - 1
    row0, row1 = by0 * BLOCK_CELLS, min(cells, (by1 + 1) * BLOCK_CELLS) - 1
    west = column_longitude(col0, cells)
    east = column_longitude(col1 + 1, cells)
    north = row_latitude(row0, cells)
    south = row_latitude(row1 + 1, cells)
    # count, mean latitude and longitude, south, north, west, east, smallest id
    by_cell: dict[tuple[int, int], _Totals] = {}
    for row in _grouped(cells, filters, west, south, east, north):
        # A point on a cell's edge may round into its neighbour in SQL: keep it inside
        # the rectangle asked for, where it was counted, and add it to that cell.
        column, line = divmod(int(row[0]), cells + 2)
        cx = max(col0, min(col1, column))
        cy = max(row0, min(row1, line - 1))
        totals = _Totals(
            int(row[1]),
            float(row[2]),
            float(row[3]),
            float(row[4]),
            float(row[5]),
            float(row[6]),
            float(row[7]),
            int(row[8]),
        )
        other = by_cell.get((cx, cy))
        by_cell[(cx, cy)] = totals if other is None else other.plus(totals)
    singles = _details([totals.first for totals in by_cell.values() if totals.count == 1])
    loaded: dict[tuple[int, int], list[Cell]] = {
        (bx, by): [] for bx in range(bx0, bx1 + 1) for by in range(by0, by1 + 1)
    }
    for (cx, cy), t in by_cell.items():
        verification, last_seen = singles.get(t.first, ("", "")) if t.count == 1 else ("", "")
        cell: Cell = (
            cx,
            cy,
            t.count,
            t.latitude,
            t.longitude,
            t.south,
            t.north,
            t.west,
            t.east,
            t.first,
            verification,
            last_seen,
        )
        loaded[(cx // BLOCK_CELLS, cy // BLOCK_CELLS)].append(cell)
    return loaded


@dataclass(frozen=True)
class _Totals:
    count: int
    latitude: float
    longitude: float
    south: float
    north: float
    west: float
    east: float
    first: int

    def plus(self, other: _Totals) -> _Totals:
        count = self.count + other.count
        return _Totals(
            count,
            (self.latitude * self.count + other.latitude * other.count) / count,
            (self.longitude * self.count + other.longitude * other.count) / count,
            min(self.south, other.south),
            max(self.north, other.north),
            min(self.west, other.west),
            max(self.east, other.east),
            min(self.first, other.first),
        )


def _details(ids: list[int]) -> dict[int, tuple[str, str]]:
    """The verification and last-seen day of single devices, by id. Asked apart: in the
    grouping query they would be two text aggregates over every row of the box (a third
    of its time on SQLite)."""
    found: dict[int, tuple[str, str]] = {}
    for start in range(0, len(ids), 500):
        rows = Device.objects.filter(pk__in=ids[start : start + 500]).values_list(
            "pk", "verification", "last_seen"
        )
        for pk, verification, last_seen in rows:
            found[pk] = (verification, last_seen.isoformat())
    return found


def _grouped(
    cells: int, filters: Filters, west: float, south: float, east: float, north: float
) -> list[tuple[Any, ...]]:
    """One row per non-empty cell of the box, grouped by the database. Latitudes are
    half-open the way the rows are (a cell holds (its bottom edge, its top edge]),
    longitudes [west, east), except that the last column holds 180° itself."""
    device = Device._meta.db_table
    deployment = Deployment._meta.db_table
    capability = Capability._meta.db_table
    # Only the tables' names are formatted in (from the models); every value is a parameter.
    # One integer key per cell (column × (cells + 2) + row + 1: a row may round to -1 or
    # ``cells`` at the edges) groups a quarter faster on SQLite than two floats. SQLite's
    # CAST truncates, which is FLOOR for these positive values; PostgreSQL's rounds.
    if connection.vendor == "postgresql":
        column = "CAST(FLOOR((longitude + 180.0) * %s) AS BIGINT)"
        row = "CAST(FLOOR(%s - LN(TAN(%s + latitude * %s)) * %s) AS BIGINT)"
    else:
        column = "CAST((longitude + 180.0) * %s AS INTEGER)"
        row = "CAST(%s - LN(TAN(%s + latitude * %s)) * %s AS INTEGER)"
    sql = [
        f"""SELECT
            {column} * {cells + 2} + {row} + 1 AS cell,
            COUNT(*), AVG(latitude), AVG(longitude),
            MIN(latitude), MAX(latitude), MIN(longitude), MAX(longitude), MIN(id)
        FROM {device}
        WHERE published = %s AND removed_on IS NULL
          AND latitude > %s AND latitude <= %s
          AND longitude >= %s AND longitude {"<=" if east >= 180 else "<"} %s"""  # noqa: S608
    ]
    params: list[Any] = [
        cells / 360,
        cells / 2,
        math.pi / 4,
        math.pi / 360,
        cells / (2 * math.pi),
        True,
        south,
        north,
        west,
        east,
    ]
    if filters.verification:
        sql.append("AND verification = %s")
        params.append(filters.verification)
    if filters.status:
        sql.append(
            f"AND deployment_id IN (SELECT id FROM {deployment}"  # noqa: S608
            " WHERE published = %s AND status = %s)"
        )
        params += [True, filters.status]
    if filters.capability:
        sql.append(
            f"""AND deployment_id IN (SELECT c.deployment_id FROM {capability} c
                JOIN {deployment} d ON d.id = c.deployment_id
                WHERE d.published = %s AND c.kind = %s)"""  # noqa: S608
        )
        params += [True, filters.capability]
    sql.append("GROUP BY 1")
    with connection.cursor() as cursor:
        cursor.execute(" ".join(sql), params)
        return list(cursor.fetchall())


# --- deployments without devices ------------------------------------------------------------

# (id, slug, name, latitude, longitude, verification, status, capabilities)
DeploymentPoint = tuple[int, str, str, float, float, str, str, frozenset[str]]

_deployment_points: ProcessCache[list[DeploymentPoint]] = ProcessCache(
    "atlas-map-deployments", maxsize=4, seconds=BLOCK_SECONDS
)


def deployment_points(
    view: View, filters: Filters, version: str | None = None
) -> list[DeploymentPoint]:
    """Public deployments with a centre and no public device, in the box: a pilot in one
    school, a system used at police stops. They are few, so all of them are kept."""
    version = version or map_version()
    points = _deployment_points.get(version, _load_deployment_points)
    found = []
    for point in points:
        if not view.south <= point[3] <= view.north:
            continue
        if not any(west <= point[4] <= east for west, east in view.longitudes):
            continue
        if filters.verification and point[5] != filters.verification:
            continue
        if filters.status and point[6] != filters.status:
            continue
        if filters.capability and filters.capability not in point[7]:
            continue
        found.append(point)
    return found


def _load_deployment_points() -> list[DeploymentPoint]:
    # EXISTS stops at the first device of each (few) deployment, on the foreign key's index.
    has_devices = Exists(public_devices().filter(deployment=OuterRef("pk")))
    rows = (
        public_deployments()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .exclude(has_devices)
        .prefetch_related("capabilities")
    )
    return [
        (
            row.pk,
            row.slug,
            row.name,
            float(row.latitude or 0),
            float(row.longitude or 0),
            row.verification,
            row.status,
            frozenset(capability.kind for capability in row.capabilities.all()),
        )
        for row in rows
    ]


# --- GeoJSON ---------------------------------------------------------------------------------


def feature_collection(
    view: View, filters: Filters, today: date | None = None, version: str | None = None
) -> dict[str, Any]:
    """The answer of ``atlas:clusters``: a GeoJSON FeatureCollection of clusters, single
    devices and deployments without devices. Positions are rounded to 6 decimals
    (about 10 cm)."""
    cutoff = recheck_cutoff(today or timezone.localdate()).isoformat()
    features: list[dict[str, Any]] = []
    for cell in clusters(view, filters, version):
        count = cell[2]
        point = {"type": "Point", "coordinates": [round(cell[4], 6), round(cell[3], 6)]}
        if count == 1:
            properties: dict[str, Any] = {
                "kind": "device",
                "id": cell[9],
                "verification": cell[10],
                "stale": cell[11] < cutoff,
            }
        else:
            properties = {
                "kind": "cluster",
                "count": count,
                "bounds": [
                    round(cell[7], 6),
                    round(cell[5], 6),
                    round(cell[8], 6),
                    round(cell[6], 6),
                ],
            }
        features.append({"type": "Feature", "geometry": point, "properties": properties})
    for deployment in deployment_points(view, filters, version):
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(deployment[4], 6), round(deployment[3], 6)],
                },
                "properties": {
                    "kind": "deployment",
                    "id": deployment[0],
                    "slug": deployment[1],
                    "name": deployment[2],
                    "verification": deployment[5],
                    "status": deployment[6],
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "zoom": view.zoom,
        "cell_px": CELL_PX,
        "features": features,
    }
