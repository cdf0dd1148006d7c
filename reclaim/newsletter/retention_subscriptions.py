"""Retention of subscriptions (listed in ``retention.py``).

Unconfirmed subscriptions are deleted by a policy here. Inactive confirmed ones are
reminded and then expired by the job in jobs.py (it must send mail); the expiry is listed
here as well, so that ``reclaim purge`` shows what is due and runs it too.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from reclaim.core.hooks import Policy
from reclaim.newsletter.services import subscriptions as services

POLICIES = [
    Policy(
        "newsletter_subscriptions_unconfirmed_deleted",
        _("Newsletter subscriptions not confirmed within the confirmation window are deleted"),
        count_due=lambda: services.expired_unconfirmed().count(),
        run=services.purge_unconfirmed,
    ),
    Policy(
        "newsletter_subscriptions_inactive_expired",
        _("Newsletter subscriptions inactive for their list's period, and reminded, are deleted"),
        count_due=services.count_due_for_expiry,
        run=services.expire_inactive,
    ),
]
