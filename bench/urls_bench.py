"""reclaim's URLs plus the floor view."""

from __future__ import annotations

from django.urls import path

from bench.floor import floor, floor_done
from reclaim.urls import *  # noqa: F403
from reclaim.urls import urlpatterns as reclaim_urlpatterns

urlpatterns = [
    path("bench/floor", floor, name="bench_floor"),
    path("bench/floor/done", floor_done, name="bench_floor_done"),
    *reclaim_urlpatterns,
]
