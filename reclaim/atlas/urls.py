"""The atlas's pages, under /<language>/atlas/. Each part keeps its own URL list
(urls_<part>.py) and adds one include line here."""


app_name = "atlas"

urlpatterns = [
    # --- parts add their include lines below -------------------------------------------
    # path("", include("reclaim.atlas.urls_records")),
]
