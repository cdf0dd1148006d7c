"""The map's base layer from our own origin: country outlines as GeoJSON.

``reclaim/atlas/static/atlas/world.geojson`` is made by this module from Natural Earth's
1:110m countries (public domain, naturalearthdata.com), as shipped on PyPI inside the
wheel of ``pyogrio`` (``pyogrio/tests/fixtures/naturalearth_lowres/``, copied there from
GeoPandas). The file is committed, so neither the site nor its install needs that package
or GDAL; to make it again::

    pip download --no-deps pyogrio -d /tmp/ne && cd /tmp/ne && unzip -o pyogrio-*.whl \\
        'pyogrio/tests/fixtures/naturalearth_lowres/*'
    python -m reclaim.atlas.basemap \\
        /tmp/ne/pyogrio/tests/fixtures/naturalearth_lowres/naturalearth_lowres.shp \\
        > reclaim/atlas/static/atlas/world.geojson

Reading a shapefile's polygons needs no library (ESRI's format is a header and a list of
records of parts and points); the outlines are simplified (Douglas-Peucker) and rounded to
a hundredth of a degree, which is finer than the 1:110m data itself and keeps the file
small. Static files get a hashed name and a year's caching (WhiteNoise).
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path
from typing import Any

Point = tuple[float, float]
# How far a simplified outline may stray from the original, in degrees (about 5 km).
TOLERANCE = 0.05
DECIMALS = 2
POLYGON = 5


def read_polygons(path: Path) -> list[list[list[Point]]]:
    """The rings of each polygon record of a shapefile (``.shp``), as (lon, lat)."""
    data = path.read_bytes()
    if struct.unpack(">i", data[:4])[0] != 9994:
        raise ValueError(f"{path} is not a shapefile")
    records: list[list[list[Point]]] = []
    offset = 100
    while offset + 8 <= len(data):
        length = struct.unpack(">i", data[offset + 4 : offset + 8])[0] * 2
        body = data[offset + 8 : offset + 8 + length]
        offset += 8 + length
        shape_type = struct.unpack("<i", body[:4])[0]
        if shape_type != POLYGON:
            records.append([])
            continue
        parts_count, points_count = struct.unpack("<2i", body[36:44])
        parts = list(struct.unpack(f"<{parts_count}i", body[44 : 44 + 4 * parts_count]))
        start = 44 + 4 * parts_count
        flat = struct.unpack(f"<{2 * points_count}d", body[start : start + 16 * points_count])
        points = [(flat[2 * n], flat[2 * n + 1]) for n in range(points_count)]
        ends = [*parts[1:], points_count]
        records.append([points[begin:end] for begin, end in zip(parts, ends, strict=True)])
    return records


def simplify(ring: list[Point], tolerance: float = TOLERANCE) -> list[Point]:
    """Douglas-Peucker, iteratively (no recursion limit on long coasts)."""
    if len(ring) < 4:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = ring[first], ring[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        farthest, distance = 0, 0.0
        for n in range(first + 1, last):
            x, y = ring[n]
            if norm:
                d = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm
            else:
                d = ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if d > distance:
                farthest, distance = n, d
        if distance > tolerance:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(ring, keep, strict=True) if kept]


def _signed_area(ring: list[Point]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def _rounded(ring: list[Point]) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def world(path: Path) -> dict[str, Any]:
    """A FeatureCollection of one MultiPolygon per country. In a shapefile an outer ring
    runs clockwise and a hole anticlockwise; GeoJSON wants them grouped."""
    features = []
    for rings in read_polygons(path):
        polygons: list[list[list[list[float]]]] = []
        for ring in rings:
            small = _rounded(simplify(ring))
            if len(small) < 4:
                continue
            if _signed_area(ring) <= 0 or not polygons:
                polygons.append([small])
            else:
                polygons[-1].append(small)
        if polygons:
            features.append(
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {"type": "MultiPolygon", "coordinates": polygons},
                }
            )
    return {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:110m countries (public domain), simplified",
        "features": features,
    }


if __name__ == "__main__":
    json.dump(world(Path(sys.argv[1])), sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")
