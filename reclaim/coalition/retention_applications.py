"""Retention of applications to join (listed in ``retention.py``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from reclaim.coalition.services import applications as services
from reclaim.core.hooks import Policy

POLICIES = [
    Policy(
        "coalition_applications_unconfirmed_deleted",
        _("Applications to join not confirmed within the confirmation window are deleted"),
        count_due=lambda: services.expired_unconfirmed().count(),
        run=services.purge_unconfirmed,
    ),
    Policy(
        "coalition_application_contacts_erased",
        _(
            "Applications to join decided longer ago than their retention period lose their"
            " contact person's name and email address"
        ),
        count_due=lambda: services.erasable_decided().count(),
        run=services.purge_decided,
    ),
]
