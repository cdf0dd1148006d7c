"""The reports part's pages: the public report form and what follows it, and report photos
for reviewers."""

from __future__ import annotations

from django.urls import path, re_path

from reclaim.atlas.views import reports

urlpatterns = [
    path("report/", reports.report, name="report"),
    path("report/sent/", reports.sent, name="report_sent"),
    path("report/contact/<str:token>/", reports.contact_confirm, name="report_contact_confirm"),
    # Reviewers only; the version is the content's hash, as the public photos' addresses.
    re_path(
        r"^report/photos/(?P<pk>[0-9]{1,12})/(?P<version>[0-9a-f]{1,16})$",
        reports.photo,
        name="report_photo",
    ),
]
