"""URLs of the coalition's widgets pages (included by urls.py)."""

from django.urls import path

from reclaim.coalition.views import widgets

urlpatterns: list = [
    path("<str:key>/", widgets.widget, name="widget"),
    path("<str:key>/thanks/", widgets.thanks, name="widget_thanks"),
]
