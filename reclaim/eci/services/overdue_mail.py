"""The daily mail telling organisers about paper past its destruction deadline."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from reclaim.accounts.services import staff_recipients
from reclaim.audit.models import AuditEntry
from reclaim.audit.services import record
from reclaim.eci.batches import overdue_by_initiative
from reclaim.mail.services import queue_mail

OVERDUE_MAIL = "eci.overdue_batches"


def mail_overdue_batches(today: date | None = None) -> int:
    """Once a day, tell the organisers about paper that should have been destroyed: one
    mail each, through the outbox, in their language. Returns the mails queued."""
    today = today or timezone.localdate()
    if AuditEntry.objects.filter(
        action="paper.overdue_mail", at__gte=timezone.now() - timedelta(hours=23)
    ).exists():
        return 0
    overdue = overdue_by_initiative(today)
    if not overdue:
        return 0
    with transaction.atomic():
        recipients = staff_recipients("eci.organise_initiative")
        for address, language in recipients:
            queue_mail(OVERDUE_MAIL, address, language, params={"day": today.isoformat()})
        record(
            "system",
            "paper.overdue_mail",
            count=sum(len(batches) for _initiative, batches in overdue),
            mails=len(recipients),
        )
    return len(recipients)
