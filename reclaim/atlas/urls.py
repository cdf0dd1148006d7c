"""The atlas's pages, under /<language>/atlas/. Each part keeps its own URL list and adds
one include line here."""

from django.urls import include, path

app_name = "atlas"

urlpatterns: list = [
    # --- parts add their include lines below -------------------------------------------
]
