"""The atlas's pages, under /<language>/atlas/. Each part keeps its own URL list
(urls_<part>.py) and adds one include line here."""

from django.urls import include, path

app_name = "atlas"

urlpatterns = [
    # --- parts add their include lines below -------------------------------------------
    path("", include("reclaim.atlas.urls_map")),
    path("", include("reclaim.atlas.urls_review")),
    path("", include("reclaim.atlas.urls_records")),
    path("", include("reclaim.atlas.urls_reports")),
    path("", include("reclaim.atlas.urls_opendata")),
]
