"""The outbox: the only place an email address can be read, and only until it is sent.

The address is stored encrypted under a short-lived key outside the database
(``reclaim.mail.addresses``), so what the database leaves behind (its write-ahead log, freed
pages, backups) can no longer be read once the key is destroyed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from reclaim.mail.addresses import unseal


class OutgoingMail(models.Model):
    """A mail that must still go out.

    The row is written in the same transaction as the action that needs the mail, so an
    acknowledged action never loses its mail even if the server dies before the worker
    picks it up. The row, and with it the address, is deleted once the mail is sent.
    """

    kind = models.CharField(_("kind"), max_length=64)
    # The address as AES-GCM ciphertext under the key of period ``key_period``; read it with
    # ``to_email``. Never the address itself.
    to_sealed = models.TextField(_("recipient (encrypted)"))
    key_period = models.BigIntegerField(_("key period"), db_index=True)
    language = models.CharField(_("language"), max_length=8)
    object_id = models.BigIntegerField(_("object"), null=True)
    # Ids the builder needs besides object_id (the alerts one mail lists, say); never an
    # address, a name or anything else personal.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # No worker picks the mail up before this moment. A worker sets it when it claims the
    # mail, so two workers never send it both and a crashed worker's claim runs out; a
    # failed attempt sets it too, so the retry waits instead of spinning.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mails")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def to_email(self) -> str | None:
        """The address, or None once its key is destroyed."""
        return unseal(self.key_period, self.to_sealed)
