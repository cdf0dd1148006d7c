"""Public keys that personal data is sealed to. Private keys never reach the server."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicKeyQuerySet(models.QuerySet["PublicKey"]):
    def active(self) -> PublicKeyQuerySet:
        return self.filter(retired_at__isnull=True)


class PublicKey(models.Model):
    key_id = models.CharField(_("key id"), max_length=32, unique=True)
    holder = models.CharField(
        _("held by"),
        max_length=200,
        help_text=_("The organisation whose staff keep the private key and can read sealed data."),
    )
    public_pem = models.TextField(_("public key (PEM)"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    objects = PublicKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("public key")
        verbose_name_plural = _("public keys")

    def __str__(self) -> str:
        return f"{self.key_id[:12]} ({self.holder})"
