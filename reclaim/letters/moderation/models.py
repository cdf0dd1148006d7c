"""Moderation of signatures: alerts on unusual signing and bulk invalidations."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Alert(models.Model):
    """A source, email domain or country whose signatures jumped above its usual rate."""

    class Kind(models.TextChoices):
        SOURCE = "source", _("network source")
        DOMAIN = "domain", _("email domain")
        COUNTRY = "country", _("country")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=64)
    label = models.CharField(_("what"), max_length=200)
    petition = models.ForeignKey(
        "letters.Petition",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("petition"),
    )
    window_start = models.DateTimeField(_("from"))
    window_end = models.DateTimeField(_("to"))
    count = models.PositiveIntegerField(_("signatures in the window"))
    usual = models.FloatField(_("usual for such a window"))
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.label}: {self.count}"


class InvalidationRun(models.Model):
    """One bulk invalidation by rule. It can be undone until the next purge deletes the
    signatures it invalidated."""

    rule = models.JSONField(_("rule"))
    count = models.PositiveIntegerField(_("signatures invalidated"))
    actor = models.CharField(_("by"), max_length=150)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    purged_at = models.DateTimeField(_("purged"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("bulk invalidation")
        verbose_name_plural = _("bulk invalidations")

    def __str__(self) -> str:
        return f"#{self.pk}: {self.count}"
