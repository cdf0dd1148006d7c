"""What applications to join hold about an email address (listed in ``privacy.py``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_countries import countries

from reclaim.coalition.models import Application
from reclaim.coalition.services import applications as services
from reclaim.privacy.registry import Finder, Found, Text


def _when(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _row(application: Application) -> dict[str, Any]:
    return {
        "organisation": application.name,
        "country": str(application.country) or None,
        "kind": application.kind,
        "website": application.website or None,
        "description": application.description,
        "motivation": application.motivation,
        "contact_name": application.contact_name,
        "contact_email": application.contact_email,
        "language": application.language,
        "principles_version": application.principles.version,
        "state": application.state,
        "applied_at": _when(application.created_at),
        "confirmed_at": _when(application.confirmed_at),
        "decided_at": _when(application.decided_at),
        "contact_deleted_on": _when(services.erasure_date(application)),
    }


def _shown(application: Application) -> list[tuple[Text, Any]]:
    country = countries.name(str(application.country)) if application.country else ""
    return [
        (_("Organisation"), application.name),
        (_("Country"), country or _("International")),
        (_("Contact person"), application.contact_name),
        (_("State"), application.get_state_display()),
        (_("Applied"), application.created_at),
        (_("Confirmed"), application.confirmed_at or _("not confirmed")),
        (_("Deleted on"), services.erasure_date(application) or _("after the decision")),
    ]


def applications(email_hash: str) -> Found:
    found = list(
        Application.objects.select_related("principles")
        .filter(email_hash=email_hash, personal_data_erased_at__isnull=True)
        .order_by("created_at", "pk")
    )
    ids = [a.pk for a in found]
    return Found(
        label=_("Applications to join the coalition"),
        rows=[_row(a) for a in found],
        erase=lambda: services.erase_for_request(ids),
        note=_(
            "Erasing deletes an unconfirmed application, and removes the contact person's"
            " name and email address from the others: the organisers can then no longer"
            " write to you about them."
        ),
        shown=[_shown(a) for a in found],
    )


FINDERS = [Finder("coalition_applications", applications)]
