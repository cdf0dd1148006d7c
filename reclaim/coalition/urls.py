"""The coalition's pages, under /<language>/coalition/. Each part keeps its own URL list."""

from django.urls import include, path

app_name = "coalition"

urlpatterns = [
    path("", include("reclaim.coalition.urls_directory")),
    path("join/", include("reclaim.coalition.urls_applications")),
    path("partner/", include("reclaim.coalition.urls_partners")),
    path("widgets/", include("reclaim.coalition.urls_widgets")),
]
