"""The map part's pages: the map, the atlas's home at /<language>/atlas/, and the
clusters it draws."""

from __future__ import annotations

from django.urls import path

from reclaim.atlas.views import map as map_views

urlpatterns = [
    path("", map_views.map_page, name="map"),
    path("clusters.json", map_views.clusters, name="clusters"),
]
