"""Deletion of what is due: the retention rules of the signature engine."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from reclaim.audit.services import record
from reclaim.letters.models import Petition, Signature


def expired_unconfirmed() -> Any:
    cutoff = timezone.now() - timedelta(days=settings.RECLAIM["CONFIRMATION_DAYS"])
    return Signature.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)


def petitions_due() -> Any:
    """Petitions whose retention period after closing has run out."""
    return [
        p
        for p in Petition.objects.filter(data_purged_at__isnull=True).exclude(
            status=Petition.Status.DRAFT
        )
        if p.deletion_date <= timezone.now()
    ]


def close_due_petitions() -> int:
    return Petition.objects.filter(
        status=Petition.Status.OPEN, closes_at__lte=timezone.now()
    ).update(status=Petition.Status.CLOSED)


def purge(dry_run: bool = False, actor: Any = "purge") -> dict[str, int]:
    """Delete expired unconfirmed signatures and the personal data of petitions past their
    retention date. Counts survive: the rows stay, with every personal field set to NULL
    and the time of deletion recorded, never overwritten with invented values."""
    stale = expired_unconfirmed()
    due = petitions_due()
    report = {
        "unconfirmed_deleted": stale.count(),
        "petitions_purged": len(due),
        "signatures_wiped": sum(
            Signature.objects.filter(petition=p, personal_data_deleted_at__isnull=True).count()
            for p in due
        ),
    }
    if dry_run:
        return report
    with transaction.atomic():
        deleted, _ = stale.delete()
        record(actor, "signature.purge_unconfirmed", target="signatures", count=deleted)
    now = timezone.now()
    for petition in due:
        with transaction.atomic():
            rows = Signature.objects.filter(
                petition=petition, personal_data_deleted_at__isnull=True
            )
            wiped = rows.update(
                sealed=None,
                email_hash=None,
                token_hash=None,
                source_hash="",
                email_domain_hash="",
                personal_data_deleted_at=now,
            )
            # Listed names of people go too; approved organisations stay on the public
            # record of the letter they co-signed (they are not natural persons).
            Signature.objects.filter(petition=petition, kind=Signature.Kind.INDIVIDUAL).exclude(
                public_name=""
            ).update(public_name="", listed=False)
            Petition.objects.filter(pk=petition.pk).update(data_purged_at=now)
            record(actor, "signature.purge_petition", target=f"petition:{petition.pk}", count=wiped)
    return report
