"""Retention of readers' comments (listed in ``retention.py``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from reclaim.core.hooks import Policy
from reclaim.news.services import comments as services

POLICIES = [
    Policy(
        "news_comment_addresses_erased",
        _(
            "Addresses commenters left for reply notifications are erased after their"
            " period, or when not confirmed within the confirmation window"
        ),
        count_due=lambda: services.expired_addresses().count(),
        run=services.purge_addresses,
    ),
    Policy(
        "news_comments_rejected_deleted",
        _("Rejected comments are deleted after their retention period"),
        count_due=lambda: services.expired_rejected().count(),
        run=services.purge_rejected,
    ),
]
