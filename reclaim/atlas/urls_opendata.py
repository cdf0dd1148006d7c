"""The open data part's pages: /<language>/atlas/data/ and its files."""

from __future__ import annotations

from django.urls import path

from reclaim.atlas.views import opendata

urlpatterns = [
    path("data/", opendata.data, name="data"),
    path("data/devices.geojson", opendata.devices_geojson, name="geojson"),
    path("data/deployments.geojson", opendata.deployments_geojson, name="deployments_geojson"),
    path("data/devices.csv", opendata.devices_csv, name="csv"),
    path("data/deployments.csv", opendata.deployments_csv, name="deployments_csv"),
    path("data/devices.osm", opendata.devices_osm, name="osm"),
]
