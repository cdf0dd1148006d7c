"""What partners' widgets bring, as the coalition counts it: confirmed, valid signatures.

Other apps add their own sources (the newsletter's subscriptions, say) as ``PARTNER_COUNTS``
in their ``partner_counts.py`` (``reclaim.coalition.services.partners``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext_lazy as _

from reclaim.coalition.services.partners import CountSource, WidgetCount
from reclaim.letters.models import Petition, Signature


def signature_counts(keys: Sequence[str]) -> list[WidgetCount]:
    """Confirmed, not invalidated signatures through these widgets, per petition, country
    and week of confirmation: one aggregate query, and one for the petitions' titles."""
    rows = list(
        Signature.objects.counted()
        .filter(widget_key__in=list(keys))
        .annotate(week=TruncWeek("confirmed_at"))
        .values("petition_id", "country", "week")
        .annotate(n=Count("id"))
        .order_by()
    )
    titles = dict(
        Petition.objects.filter(pk__in={row["petition_id"] for row in rows}).values_list(
            "pk", "title"
        )
    )
    return [
        WidgetCount(
            campaign=titles.get(row["petition_id"], ""),
            country=str(row["country"] or ""),
            # TruncWeek gives a datetime (Monday, 00:00 in the current time zone).
            week=row["week"].date(),
            count=row["n"],
        )
        for row in rows
    ]


PARTNER_COUNTS = [CountSource("signatures", _("Signatures"), signature_counts)]
