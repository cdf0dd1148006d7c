"""Writes of the sponsor disclosure: each leaves an audit entry and dates the list.

What the public list shows, and when it is out of date, is read in ``reclaim.eci.sponsors``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from reclaim.audit.services import record
from reclaim.eci.models import Initiative, Sponsor


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
