"""The atlas's retention policies, run in this order. Each part adds its own in its own
section."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from reclaim.atlas.services import reports as report_services
from reclaim.core.hooks import Policy

POLICIES = [
    # --- reports: contact addresses and decided reports (services/reports.py) -------------
    Policy(
        "atlas_report_contacts_erased",
        _(
            "Contact addresses left with atlas reports are erased on their deletion date,"
            " or when not confirmed within the confirmation window"
        ),
        count_due=lambda: report_services.expired_contacts().count(),
        run=report_services.purge_contacts,
    ),
    Policy(
        "atlas_reports_decided_deleted",
        _(
            "Atlas reports are deleted, with their photos, after their retention period"
            " from the reviewer's decision (photos of an accepted device stay with it)"
        ),
        count_due=lambda: report_services.expired_reports().count(),
        run=report_services.purge_reports,
    ),
]
