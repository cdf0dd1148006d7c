"""Sponsor disclosure: who gave the initiative support or funding above the threshold.

Regulation (EU) 2019/788 asks organisers to disclose every source of support and funding
above EUR 500 and to update the list at least every two months; both numbers are in
``data/rules.json``. Every write here leaves an audit entry.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from reclaim.audit.services import record
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


def _touch(initiative: Initiative) -> None:
    initiative.sponsors_updated_on = timezone.localdate()
    initiative.save(update_fields=["sponsors_updated_on"])


def save_sponsor(sponsor: Sponsor, actor: Any) -> Sponsor:
    """Add or correct one sponsor; the list counts as updated today."""
    action = "sponsor.add" if sponsor.pk is None else "sponsor.change"
    with transaction.atomic():
        sponsor.save()
        _touch(sponsor.initiative)
        record(
            actor,
            action,
            target=f"sponsor:{sponsor.pk}",
            count=1,
            initiative=sponsor.initiative_id,
            amount=str(sponsor.amount),
            received_on=sponsor.received_on.isoformat(),
        )
    return sponsor


def record_sponsor(
    initiative: Initiative, name: str, amount: Decimal, received_on: date, actor: Any
) -> Sponsor:
    """Disclose a new sponsor."""
    sponsor = Sponsor(initiative=initiative, name=name, amount=amount, received_on=received_on)
    return save_sponsor(sponsor, actor)


def remove_sponsor(sponsor: Sponsor, actor: Any) -> None:
    """Take a sponsor off the list (a mistaken entry); the list counts as updated today."""
    with transaction.atomic():
        pk = sponsor.pk
        initiative = sponsor.initiative
        sponsor.delete()
        _touch(initiative)
        record(actor, "sponsor.remove", target=f"sponsor:{pk}", count=1, initiative=initiative.pk)
