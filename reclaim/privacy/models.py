"""Data-subject requests: a person asks what is stored under their email address."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How long the mailed link works. It opens everything stored under an address and can
# erase it, so a mail that is forwarded, left open or leaked must stop working soon; a
# day is enough to read one's mail. The week of CONFIRMATION_DAYS is made for a link that
# can only confirm one signature, and would keep this far more powerful link alive too long.
ACCESS_LINK_VALIDITY = timedelta(hours=24)


class DataRequest(models.Model):
    """One request. It holds only the keyed hash of the address: the address itself
    travels through the outbox and is deleted there once the mail is sent. The row is
    deleted by the retention engine when its link expires."""

    email_hash = models.CharField(max_length=64, db_index=True)
    # NULL until the mail is sent: no link exists before the mail does.
    token_hash = models.CharField(max_length=64, null=True, unique=True)  # noqa: DJ001
    created_at = models.DateTimeField(_("asked"), default=timezone.now, db_index=True)
    opened_at = models.DateTimeField(_("link opened"), null=True, blank=True)
    completed_at = models.DateTimeField(_("data erased"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")

    def __str__(self) -> str:
        return f"#{self.pk} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def expires_at(self) -> datetime:
        return self.created_at + ACCESS_LINK_VALIDITY

    def is_expired(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at
