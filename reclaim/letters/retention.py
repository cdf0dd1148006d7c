"""Deletion of what is due: the retention rules of the signature engine.

The policies at the end are run by the retention engine (reclaim.privacy.purge), in the
order they are listed.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, F, Min, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reclaim.audit.services import record
from reclaim.core.hooks import Policy
from reclaim.letters.models import Petition, Signature
from reclaim.letters.moderation.invalidation import purge_invalidated


def expired_unconfirmed() -> Any:
    cutoff = timezone.now() - timedelta(days=settings.RECLAIM["CONFIRMATION_DAYS"])
    return Signature.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)


def petitions_due() -> list[Petition]:
    """Petitions whose retention period after closing has run out."""
    return [
        p
        for p in Petition.objects.filter(data_purged_at__isnull=True).exclude(
            status=Petition.Status.DRAFT
        )
        if p.deletion_date <= timezone.now()
    ]


def petitions_to_close() -> Any:
    return Petition.objects.filter(status=Petition.Status.OPEN, closes_at__lte=timezone.now())


def close_due_petitions() -> int:
    return petitions_to_close().update(status=Petition.Status.CLOSED)


def purge_unconfirmed(actor: Any = "purge") -> int:
    """Unconfirmed signatures past the confirmation window: their link no longer works,
    so nobody can ever confirm them. The rows go entirely."""
    with transaction.atomic():
        deleted, _detail = expired_unconfirmed().delete()
        record(actor, "signature.purge_unconfirmed", target="signatures", count=deleted)
    return deleted


# Rows per transaction of a petition's purge. One transaction for a whole petition held
# SQLite's only write lock for 20 s at 1,000,000 rows, and signers of every other petition
# waited on it up to their busy timeout; 10,000 rows hold it for a fraction of a second.
PURGE_BATCH = 10_000


def purge_petition(petition: Petition, actor: Any = "purge", batch_size: int = PURGE_BATCH) -> int:
    """Wipe the personal data of one petition's signers. Counts survive: the rows stay,
    with every personal field set to NULL and the time of deletion recorded, never
    overwritten with invented values. Returns the number of signatures wiped.

    Rows go in batches of ``batch_size``, in the order of their ids, one transaction each. Wiping a
    row is idempotent (only rows with ``personal_data_deleted_at`` still NULL are touched),
    so a purge interrupted half-way leaves whole batches done and the rest for the next
    run; the petition is marked purged only once no row is left."""
    now = timezone.now()
    pending = Signature.objects.filter(petition=petition, personal_data_deleted_at__isnull=True)
    # The batches walk the primary key (keyset: the next batch_size ids above the last
    # batch). SQLite has no statistics (reclaim runs no ANALYZE) and prefers any index
    # with an equality on it: given the petition's count index, it would read every
    # remaining row of the petition again for each batch. "petition_id + 0" hides that
    # index from it. PostgreSQL knows how many rows the petition has and walks the primary
    # key by itself, while "+ 0" would cost it its estimate and a scan of the table.
    petition_id: Any = F("petition_id")
    if connection.vendor == "sqlite":
        petition_id = petition_id + 0
    walk = Signature.objects.alias(walked_petition=petition_id).filter(
        walked_petition=petition.pk, personal_data_deleted_at__isnull=True
    )
    individual_named = Q(kind=Signature.Kind.INDIVIDUAL) & ~Q(public_name="")
    wiped = 0
    batches = 0
    try:
        # The outer loop ends when no row is left; it runs again only if a row with a
        # lower id than the walk's position appeared meanwhile.
        while (first := pending.aggregate(first=Min("pk"))["first"]) is not None:
            after = first - 1
            while ids := list(
                walk.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:batch_size]
            ):
                with transaction.atomic():
                    wiped += walk.filter(pk__gt=after, pk__lte=ids[-1]).update(
                        sealed=None,
                        email_hash=None,
                        token_hash=None,
                        source_hash="",
                        email_domain_hash="",
                        personal_data_deleted_at=now,
                        # Listed names of people go too, in the same statement; approved
                        # organisations stay on the public record of the letter they
                        # co-signed (they are not natural persons).
                        public_name=Case(
                            When(individual_named, then=Value("")), default=F("public_name")
                        ),
                        listed=Case(When(individual_named, then=Value(False)), default=F("listed")),
                    )
                batches += 1
                after = ids[-1]
    except BaseException:
        if wiped:
            # What was wiped stays wiped: say so, then let the error through.
            with contextlib.suppress(Exception), transaction.atomic():
                record(
                    actor,
                    "signature.purge_petition",
                    target=f"petition:{petition.pk}",
                    count=wiped,
                    complete=False,
                )
        raise
    with transaction.atomic():
        Petition.objects.filter(pk=petition.pk).update(data_purged_at=now)
        record(
            actor,
            "signature.purge_petition",
            target=f"petition:{petition.pk}",
            count=wiped,
            batches=batches,
        )
    return wiped


def purge_due_petitions(actor: Any = "purge") -> int:
    """Returns the number of petitions purged; each one's audit entry counts its rows."""
    due = petitions_due()
    for petition in due:
        purge_petition(petition, actor)
    return len(due)


POLICIES = [
    # First, so that a petition closing today is treated as closed by everything after.
    Policy(
        "petitions_closed",
        _("Open petitions past their closing date are closed; nothing is deleted"),
        count_due=lambda: petitions_to_close().count(),
        run=close_due_petitions,
    ),
    Policy(
        "unconfirmed_deleted",
        _("Unconfirmed signatures past the confirmation window are deleted"),
        count_due=lambda: expired_unconfirmed().count(),
        run=purge_unconfirmed,
    ),
    Policy(
        "petitions_purged",
        _(
            "Petitions past their retention date, whose signers' personal data is set to NULL;"
            " counted in petitions, the audit log has the signatures of each"
        ),
        count_due=lambda: len(petitions_due()),
        run=purge_due_petitions,
    ),
    Policy(
        "invalidated_signatures_deleted",
        _("Signatures invalidated in bulk, by runs not undone before this purge"),
        count_due=lambda: purge_invalidated(dry_run=True),
        run=purge_invalidated,
    ),
]
