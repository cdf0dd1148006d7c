"""Where the atlas appears: the header, the front page and the staff area. Each part adds
its items in its own section."""

from __future__ import annotations

from django.urls import reverse  # noqa: F401
from django.utils.translation import gettext_lazy as _  # noqa: F401

from reclaim.core.hooks import Link, Section, StaffLink  # noqa: F401

LINKS: list[Link] = [
    # --- records: the header's "Atlas" -------------------------------------------------
    Link(_("Atlas"), "atlas:map"),
]

SECTIONS: list[Section] = []

STAFF_LINKS: list[StaffLink] = [
    # --- records ------------------------------------------------------------------------
    StaffLink(
        _("Atlas records"),
        "atlas.change_deployment",
        lambda: [
            (_("Deployments"), reverse("admin:atlas_deployment_changelist")),
            (_("Devices"), reverse("admin:atlas_device_changelist")),
            (_("Devices that need a re-check"), reverse("atlas:recheck")),
        ],
    ),
    # --- review -------------------------------------------------------------------------
    StaffLink(
        _("Atlas review"),
        "atlas.review_atlas",
        lambda: [(_("Reports and records to review"), reverse("atlas:review"))],
    ),
    # --- reports ------------------------------------------------------------------------
]
