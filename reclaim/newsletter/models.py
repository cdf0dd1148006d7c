"""The newsletter: lists, their subscribers, the addresses nobody may re-add, and issues.

A subscriber's address must be readable to send mail, so it is kept encrypted at rest under
a key outside the database (``address_sealed``): a dump of the database alone reveals no
address. Duplicates are found by the keyed hash (``email_hash``). Unsubscribing deletes the
subscription at once and leaves only the keyed hash on the list's suppression list. Issues
record counts only: no per-person open, click or delivery data is kept once an issue is sent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class MailingList(models.Model):
    slug = models.SlugField(_("address"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    consent_text = models.TextField(
        _("what people agree to"),
        max_length=2000,
        help_text=_("Shown beside the subscribe button and kept with each subscription."),
    )
    # A subscription nobody has confirmed again for this long expires, after a reminder.
    inactive_days = models.PositiveIntegerField(_("expires after inactivity (days)"), default=730)
    reminder_days = models.PositiveIntegerField(_("reminder before expiry (days)"), default=30)
    is_active = models.BooleanField(_("open for subscriptions"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mailing list")
        verbose_name_plural = _("mailing lists")

    def __str__(self) -> str:
        return self.name


class Subscription(models.Model):
    class Source(models.TextChoices):
        FORM = "form", _("Subscription form")
        SIGNING = "signing", _("Signing form")
        IMPORT = "import", _("Import")

    mailing_list = models.ForeignKey(
        MailingList, on_delete=models.CASCADE, related_name="subscriptions"
    )
    address_sealed = models.BinaryField(editable=False)
    email_hash = models.CharField(max_length=64)
    language = models.CharField(_("language"), max_length=8)
    country = CountryField(_("country"), blank=True)
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.FORM
    )
    # The partner widget it came through (reclaim.coalition), for counts per widget only.
    widget_key = models.CharField(max_length=24, blank=True)
    # The consent as the person saw it, and for an import the date the other tool recorded.
    consent_text = models.TextField(editable=False)
    imported_consent_at = models.DateTimeField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # The last time the person confirmed they want it (subscribing, or the reminder's
    # button): expiry counts from here. No opens or clicks are ever recorded.
    renewed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing_list", "email_hash"], name="one_subscription_per_address"
            )
        ]
        indexes = [
            models.Index(fields=["token_hash"], name="subscription_token"),
            models.Index(fields=["mailing_list", "confirmed_at"], name="subscription_confirmed"),
        ]

    def __str__(self) -> str:
        return f"{self.mailing_list} #{self.pk}"


class Suppression(models.Model):
    """An address that unsubscribed, as its keyed hash only: an import cannot add it again
    without a new confirmation by its owner."""

    mailing_list = models.ForeignKey(
        MailingList, on_delete=models.CASCADE, related_name="suppressions"
    )
    email_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mailing_list", "email_hash"], name="one_suppression_per_address"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mailing_list} suppression #{self.pk}"


class Issue(models.Model):
    """One edition of a list's newsletter."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    mailing_list = models.ForeignKey(MailingList, on_delete=models.CASCADE, related_name="issues")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown."))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Counts only.
    recipients = models.PositiveIntegerField(default=0)
    sent_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        permissions = [("send_issue", "Can send a newsletter issue")]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """One subscriber's copy of an issue while the issue is being sent (services/sending.py).

    It exists only while the issue is sending: once every copy is settled the counts go to
    the issue and these rows are deleted, so no per-person delivery record outlives the send.
    The unique constraint is what keeps anyone from being queued the same issue twice; the
    state is what keeps a restarted sender from handing the same copy to the mail server
    twice.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        # Handed to the mail server, outcome not yet written. A sender that dies here leaves
        # it so, and it is never sent again (at most once): it is counted as failed.
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # Unsubscribed between queueing and sending: nothing went out, nothing is counted.
        DROPPED = "dropped", _("Dropped")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    # An id, not a foreign key: an unsubscribe deletes the subscription at once, and the
    # sender must still see that this copy was queued (then it drops it unsent).
    subscription_id = models.BigIntegerField()
    # The outbox row holding the sealed address, until it is sent or given up.
    mail_id = models.BigIntegerField(null=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A failed attempt waits until then; a SENDING copy was handed over at this moment.
    not_before = models.DateTimeField(null=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscription_id"], name="one_delivery_per_subscription"
            )
        ]
        indexes = [models.Index(fields=["issue", "state"], name="delivery_issue_state")]

    def __str__(self) -> str:
        return f"{self.issue_id}/{self.subscription_id}"
