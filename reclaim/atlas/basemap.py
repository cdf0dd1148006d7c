"""The map's base layer from our own origin: country outlines as GeoJSON.

``reclaim/atlas/static/atlas/world.geojson`` is made by this script from Natural Earth's
1:110m countries (public domain, naturalearthdata.com), as shipped on PyPI inside the
wheel of ``pyogrio`` (``pyogrio/tests/fixtures/naturalearth_lowres/``, copied there from
GeoPandas). The file is committed, so neither the site nor its install needs any of this;
to make it again (pyshp reads the shapefile, Shapely simplifies the outlines)::

    pip install -e ".[basemap]"
    pip download --no-deps pyogrio -d /tmp/ne && cd /tmp/ne && unzip -o pyogrio-*.whl \\
        'pyogrio/tests/fixtures/naturalearth_lowres/*'
    python -m reclaim.atlas.basemap \\
        /tmp/ne/pyogrio/tests/fixtures/naturalearth_lowres/naturalearth_lowres.shp \\
        > reclaim/atlas/static/atlas/world.geojson

The outlines are simplified (Douglas-Peucker, keeping each polygon valid) and snapped to a
hundredth of a degree, which is finer than the 1:110m data itself and keeps the file
small. Static files get a hashed name and a year's caching (WhiteNoise).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import shapefile
import shapely

# How far a simplified outline may stray from the original, in degrees (about 5 km).
TOLERANCE = 0.05
# The grid the corners are snapped to, in degrees (about 1 km).
GRID = 0.01


def world(path: Path) -> dict[str, Any]:
    """A FeatureCollection of each country's outline, with no properties."""
    features = []
    with shapefile.Reader(str(path)) as countries:
        for outline in countries.iterShapes():
            geometry = shapely.geometry.shape(outline.__geo_interface__)
            small = shapely.set_precision(geometry.simplify(TOLERANCE), GRID)
            if small.is_empty:
                continue
            features.append(
                {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(small)}
            )
    return {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:110m countries (public domain), simplified",
        "features": features,
    }


if __name__ == "__main__":
    json.dump(world(Path(sys.argv[1])), sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")
