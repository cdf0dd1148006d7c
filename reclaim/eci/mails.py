"""The ECI companion's mail to organisers, built when the outbox sends it."""

from __future__ import annotations

from django.utils import timezone

from reclaim.eci.batches import overdue_by_initiative
from reclaim.eci.services.overdue_mail import OVERDUE_MAIL
from reclaim.mail.builders import Letter, Mail
from reclaim.mail.models import OutgoingMail


def overdue_batches(mail: OutgoingMail) -> Letter | None:
    """The paper still overdue when the mail goes out; nothing once it is all destroyed."""
    overdue = overdue_by_initiative(timezone.localdate())
    if not overdue:
        return None
    return Letter("eci-overdue-batches", {"overdue": overdue})


MAILS = [Mail(OVERDUE_MAIL, overdue_batches)]
