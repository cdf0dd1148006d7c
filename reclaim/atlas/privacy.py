"""What the atlas holds about an email address. Each part adds its finders in its own
section."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from reclaim.atlas.models import Report
from reclaim.atlas.services import reports as report_services
from reclaim.privacy.registry import Finder, Found, Text

# --- reports: a report's optional contact address (services/reports.py) ------------------


def _when(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def _report_row(report: Report) -> dict[str, Any]:
    return {
        "kind": report.kind,
        "state": report.state,
        "latitude": report.latitude,
        "longitude": report.longitude,
        "place": report.place,
        "city": report.city,
        "what_you_saw": report.description,
        "found": report.found,
        "seen_on": _when(report.seen_on),
        "photos": report.photos.count(),
        "sent_at": _when(report.created_at),
        "contact_confirmed_at": _when(report.contact_confirmed_at),
        "contact_deleted_on": _when(report.contact_delete_after),
    }


def _report_shown(report: Report) -> list[tuple[Text, Any]]:
    return [
        (_("Report"), report.get_kind_display()),
        (_("State"), report.get_state_display()),
        (_("Place"), report.place or report.city),
        (_("What you saw"), report.description),
        (_("Seen on"), report.seen_on),
        (_("Sent"), report.created_at),
        (_("Contact address"), report.contact_confirmed_at or _("not confirmed")),
        (_("Address deleted on"), report.contact_delete_after),
    ]


def reports(email_hash: str) -> Found:
    found = list(report_services.found_for(email_hash))
    ids = [r.pk for r in found]
    return Found(
        label=_("Reports to the surveillance atlas"),
        rows=[_report_row(r) for r in found],
        erase=lambda: report_services.erase_for_request(ids),
        note=_(
            "Erasing deletes the reports you left this address with, and their photos. What"
            " reviewers already accepted into the atlas stays there, with no link to you."
        ),
        shown=[_report_shown(r) for r in found],
    )


FINDERS = [
    # --- reports ---------------------------------------------------------------------------
    Finder("atlas_reports", reports),
]
