"""What reclaim keeps about a staff member beyond Django's user: the language of their mail,
and the link with which they may set up their authenticator app."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StaffProfile(models.Model):
    """Set when the staff member signs in (the language of the page they signed in on), and
    editable in the admin. Mails to staff (alerts, overdue paper) go out in it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    language = models.CharField(
        _("language of mails"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return str(self.user)


class EnrolmentLink(models.Model):
    """The out-of-band step before a staff member's second factor: a single-use link, issued
    by an organiser (mailed through the outbox) or by ``reclaim staff_totp --link`` (printed
    to hand over), without which the password alone cannot set up an authenticator app.

    One per staff member: issuing another replaces it, so the table never holds more rows
    than there are staff, and a used or expired link stays only until the next is issued.
    Only the token's hash is stored.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_link"
    )
    # NULL until the token is made: for a mailed link, when the outbox sends the mail.
    token_hash = models.CharField(max_length=64, null=True, unique=True)  # noqa: DJ001
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment link")
        verbose_name_plural = _("enrolment links")
        default_permissions = ()
        permissions = [
            ("issue_enrolment_link", _("Can send staff members authenticator enrolment links"))
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.issued_at:%Y-%m-%d %H:%M}"

    def is_expired(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at
