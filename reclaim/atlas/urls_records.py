"""The records part's pages: /<language>/atlas/list/, a page per deployment and device,
the re-check list, and the photos and evidence files served from our origin."""

from __future__ import annotations

from django.urls import path, re_path

from reclaim.atlas.views import records

urlpatterns = [
    path("list/", records.record_list, name="list"),
    path("deployments/<slug:slug>/", records.deployment, name="deployment"),
    path("devices/<int:pk>/", records.device, name="device"),
    path("recheck/", records.recheck, name="recheck"),
    # The version is the content's hash: a new photo or file gets a new address.
    re_path(
        r"^photos/(?P<pk>[0-9]{1,12})/(?P<version>[0-9a-f]{1,16})$", records.photo, name="photo"
    ),
    re_path(
        r"^evidence/(?P<pk>[0-9]{1,12})/(?P<version>[0-9a-f]{1,16})$",
        records.evidence_file,
        name="evidence_file",
    ),
]
