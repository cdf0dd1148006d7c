"""What the newsletter holds about an email address (listed in ``privacy.py``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_countries import countries

from reclaim.newsletter.models import Subscription
from reclaim.newsletter.services import subscriptions as services
from reclaim.newsletter.services.addresses import open_address
from reclaim.privacy.registry import Finder, Found, Text


def _when(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _row(subscription: Subscription) -> dict[str, Any]:
    return {
        "newsletter": subscription.mailing_list.name,
        "email": open_address(subscription),
        "language": subscription.language,
        "country": str(subscription.country) or None,
        "source": subscription.source,
        "consent_text": subscription.consent_text,
        "imported_consent_at": _when(subscription.imported_consent_at),
        "subscribed_at": _when(subscription.created_at),
        "confirmed_at": _when(subscription.confirmed_at),
        "renewed_at": _when(subscription.renewed_at),
        "reminded_at": _when(subscription.reminded_at),
        "expires_at": _when(services.expiry_date(subscription)),
    }


def _shown(subscription: Subscription) -> list[tuple[Text, Any]]:
    country = countries.name(str(subscription.country)) if subscription.country else ""
    return [
        (_("Newsletter"), subscription.mailing_list.name),
        (_("Language"), subscription.language),
        (_("Country"), country or _("no country")),
        (_("Subscribed"), subscription.created_at),
        (_("Confirmed"), subscription.confirmed_at or _("not confirmed")),
        (
            _("Deleted on"),
            services.expiry_date(subscription) or services.confirmation_deadline(subscription),
        ),
    ]


def subscriptions(email_hash: str) -> Found:
    found = list(
        Subscription.objects.select_related("mailing_list")
        .filter(email_hash=email_hash)
        .order_by("created_at", "pk")
    )
    ids = [s.pk for s in found]
    return Found(
        label=_("Newsletter subscriptions"),
        rows=[_row(s) for s in found],
        erase=lambda: services.erase_for_request(ids),
        note=_(
            "Erasing unsubscribes you from each newsletter: your address is deleted and only"
            " its keyed fingerprint is kept, so that no import can add it again."
        ),
        shown=[_shown(s) for s in found],
    )


FINDERS = [Finder("newsletter_subscriptions", subscriptions)]
