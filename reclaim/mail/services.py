"""Queue and deliver mails through the outbox.

Each kind of mail is built by the app that owns it: it registers a builder that returns the
template name and context, and may do its own bookkeeping (a fresh token, say) first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from reclaim.lib import emails
from reclaim.mail.models import OutgoingMail

logger = logging.getLogger(__name__)


@dataclass
class Letter:
    template: str
    context: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


Builder = Callable[[OutgoingMail], "Letter | None"]
_BUILDERS: dict[str, Builder] = {}

# After this many failed attempts the address is dropped: it would otherwise stay readable.
MAX_ATTEMPTS = 20


def builder(kind: str) -> Callable[[Builder], Builder]:
    def register(func: Builder) -> Builder:
        _BUILDERS[kind] = func
        return func

    return register


def queue_mail(kind: str, to_email: str, language: str, object_id: int | None) -> OutgoingMail:
    """Write the mail into the outbox and nudge the worker once the transaction commits."""
    mail = OutgoingMail.objects.create(
        kind=kind, to_email=to_email, language=language, object_id=object_id
    )
    from reclaim.mail.tasks import deliver_mail

    transaction.on_commit(lambda: deliver_mail.enqueue(mail.pk))
    return mail


def deliver(mail_id: int) -> bool:
    """Send one queued mail and delete it. Returns False if there was nothing to send."""
    mail = OutgoingMail.objects.filter(pk=mail_id).first()
    if mail is None:
        return False
    build = _BUILDERS.get(mail.kind)
    letter = build(mail) if build else None
    if letter is None:
        # The object is gone (withdrawn, expired): nothing to say, forget the address.
        OutgoingMail.objects.filter(pk=mail.pk).delete()
        return False
    try:
        emails.send(letter.template, mail.to_email, letter.context, mail.language, letter.headers)
    except Exception:
        logger.exception("mail %s (%s) failed; it stays queued", mail.pk, mail.kind)
        OutgoingMail.objects.filter(pk=mail.pk).update(attempts=mail.attempts + 1)
        if mail.attempts + 1 >= MAX_ATTEMPTS:
            OutgoingMail.objects.filter(pk=mail.pk).delete()
        return False
    OutgoingMail.objects.filter(pk=mail.pk).delete()
    return True


def deliver_stale(older_than: timedelta = timedelta(seconds=30)) -> int:
    """Send mails whose nudge was lost (the process died between commit and enqueue)."""
    cutoff = timezone.now() - older_than
    sent = 0
    for mail_id in OutgoingMail.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)[
        :500
    ]:
        sent += deliver(mail_id)
    return sent


def purge_expired() -> int:
    """An address that could not be delivered within the confirmation window is dropped."""
    cutoff = timezone.now() - timedelta(days=settings.RECLAIM["CONFIRMATION_DAYS"])
    deleted, _ = OutgoingMail.objects.filter(created_at__lt=cutoff).delete()
    return deleted
