"""What partners' widgets bring to the newsletter: confirmed subscriptions, counted.

Counts only (per list, country and week of confirmation): a partner never sees an address
or anything of one subscription. Pending ones count nowhere.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext_lazy as _

from reclaim.coalition.services.partners import CountSource, WidgetCount
from reclaim.newsletter.models import MailingList, Subscription


def subscription_counts(keys: Sequence[str]) -> list[WidgetCount]:
    rows = list(
        Subscription.objects.filter(widget_key__in=list(keys), confirmed_at__isnull=False)
        .annotate(week=TruncWeek("confirmed_at"))
        .values("mailing_list_id", "country", "week")
        .annotate(n=Count("id"))
        .order_by()
    )
    names = dict(
        MailingList.objects.filter(pk__in={row["mailing_list_id"] for row in rows}).values_list(
            "pk", "name"
        )
    )
    return [
        WidgetCount(
            campaign=names.get(row["mailing_list_id"], ""),
            country=str(row["country"] or ""),
            week=row["week"].date(),
            count=row["n"],
        )
        for row in rows
    ]


PARTNER_COUNTS = [
    CountSource("newsletter_subscriptions", _("Newsletter subscriptions"), subscription_counts)
]
