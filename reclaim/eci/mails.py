"""The ECI companion's mail to organisers, built when the outbox sends it."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from reclaim.eci.batches import overdue_by_initiative
from reclaim.eci.services.overdue_mail import OVERDUE_MAIL
from reclaim.mail.builders import Letter, Mail
from reclaim.mail.models import OutgoingMail


def overdue_batches(mail: OutgoingMail) -> Letter | None:
    """The paper overdue on the day the mail was queued and not destroyed since; nothing
    once it is all destroyed."""
    day = mail.params.get("day")
    overdue = overdue_by_initiative(date.fromisoformat(day) if day else timezone.localdate())
    if not overdue:
        return None
    return Letter("eci-overdue-batches", {"overdue": overdue})


MAILS = [Mail(OVERDUE_MAIL, overdue_batches)]
