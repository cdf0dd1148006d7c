"""URLs of the coalition's applications pages (included by urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
