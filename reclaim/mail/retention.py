"""What the outbox deletes on its own schedule (run by reclaim.privacy.purge)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reclaim.core.hooks import Policy
from reclaim.mail.models import OutgoingMail
from reclaim.mail.services import purge_expired


def _undelivered_count() -> int:
    # The same cutoff as purge_expired: the address may stay readable no longer than the
    # confirmation window that the mail was meant to open.
    cutoff = timezone.now() - timedelta(days=settings.RECLAIM["CONFIRMATION_DAYS"])
    return OutgoingMail.objects.filter(created_at__lt=cutoff).count()


POLICIES = [
    Policy(
        "undelivered_mails_dropped",
        _("Mails still undelivered after the confirmation window, with their readable address"),
        count_due=_undelivered_count,
        run=purge_expired,
    ),
]
