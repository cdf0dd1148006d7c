"""What data-subject requests delete on their own schedule (run by reclaim.privacy.purge)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from reclaim.core.hooks import Policy
from reclaim.privacy.services import expired_requests, purge_expired_requests

POLICIES = [
    Policy(
        "access_requests_deleted",
        _("Data requests whose link has expired, with their hashed address and token"),
        count_due=lambda: expired_requests().count(),
        run=purge_expired_requests,
    ),
]
