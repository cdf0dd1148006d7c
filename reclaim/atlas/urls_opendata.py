"""The open data part's pages: /<language>/atlas/data/ and its files."""

from __future__ import annotations

from django.urls import path

from reclaim.atlas.views import opendata

urlpatterns = [
    path("data/", opendata.data, name="data"),
    path("data/devices.geojson", opendata.data_file, {"kind": "devices.geojson"}, name="geojson"),
    path(
        "data/deployments.geojson",
        opendata.data_file,
        {"kind": "deployments.geojson"},
        name="deployments_geojson",
    ),
    path("data/devices.csv", opendata.data_file, {"kind": "devices.csv"}, name="csv"),
    path(
        "data/deployments.csv",
        opendata.data_file,
        {"kind": "deployments.csv"},
        name="deployments_csv",
    ),
    path("data/devices.osm", opendata.data_file, {"kind": "devices.osm"}, name="osm"),
]
