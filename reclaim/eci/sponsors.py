"""Sponsor disclosure: who gave the initiative support or funding above the threshold.

Regulation (EU) 2019/788 asks organisers to disclose every source of support and funding
above EUR 500 and to update the list at least every two months; both numbers are in
``data/rules.json``. This module reads the list; every write goes through
``reclaim.eci.services.sponsors``, which leaves an audit entry.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from reclaim.eci.deadlines import add_months, number
from reclaim.eci.models import Initiative, Sponsor


def disclosure_minimum() -> Decimal:
    return Decimal(number("sponsor_disclosure_min_eur"))


def disclosed(initiative: Initiative) -> QuerySet[Sponsor]:
    """The sponsors the public list shows: strictly above the minimum, oldest first."""
    return initiative.sponsors.filter(amount__gt=disclosure_minimum()).order_by(
        "received_on", "name", "pk"
    )


def stale_after(initiative: Initiative) -> date | None:
    """The last day the current list counts as up to date, or None if never updated."""
    if initiative.sponsors_updated_on is None:
        return None
    return add_months(initiative.sponsors_updated_on, number("sponsor_update_months"))


def disclosure_is_stale(initiative: Initiative, today: date | None = None) -> bool:
    """True when the list was never updated or its last update is over two months old."""
    until = stale_after(initiative)
    if until is None:
        return True
    return (today or timezone.localdate()) > until
