"""A European Citizens' Initiative and everything reclaim keeps around it.

reclaim never collects online statements of support: since 2023 those go only through the
Commission's central online collection system. It keeps the initiative's registered data,
the public counters it reads, the coalition's paper batches (counts and custody only, never
a signatory's data) and the sponsor disclosure.
"""

from __future__ import annotations

import re
from datetime import date

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from reclaim.eci import rules


class Initiative(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        COLLECTING = "collecting", _("Collecting")
        CLOSED = "closed", _("Collection closed")
        VERIFICATION = "verification", _("Verification")
        SUBMITTED = "submitted", _("Submitted to the Commission")
        ANSWERED = "answered", _("Answered by the Commission")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    registration_number = models.CharField(
        _("registration number"), max_length=20, unique=True, help_text=_("e.g. ECI(2021)000001")
    )
    registered_on = models.DateField(_("registered on"))
    title = models.CharField(_("title as registered"), max_length=300)
    objectives = models.TextField(_("objectives as registered"))
    register_url = models.URLField(_("page in the Commission's register"), max_length=300)
    signing_url = models.URLField(
        _("signing page"), max_length=300, help_text=_("The Commission's page, default language.")
    )
    signing_links = models.JSONField(
        _("signing page per language"),
        default=dict,
        blank=True,
        help_text=_('Language code to address, e.g. {"de": "https://…"}.'),
    )
    online_counter_url = models.URLField(
        _("online counter"),
        max_length=300,
        blank=True,
        help_text=_("The central system's progression endpoint (online total)."),
    )
    register_counter_url = models.URLField(
        _("register counter"),
        max_length=300,
        blank=True,
        help_text=_("The register's details endpoint (online and paper, per member state)."),
    )
    collection_start = models.DateField(_("collection starts"), null=True, blank=True)
    collection_end = models.DateField(_("collection ends"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REGISTERED
    )
    safety_target_percent = models.PositiveSmallIntegerField(
        _("safety target (%)"),
        default=120,
        help_text=_("10 to 25 % of statements usually fail verification: aim above 100 %."),
    )
    submitted_for_verification_on = models.DateField(
        _("submitted for verification"), null=True, blank=True
    )
    submitted_to_commission_on = models.DateField(
        _("submitted to the Commission"), null=True, blank=True
    )
    withdrawn_on = models.DateField(_("withdrawn"), null=True, blank=True)
    sponsors_updated_on = models.DateField(_("sponsor list last updated"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-registered_on"]
        verbose_name = _("citizens' initiative")
        verbose_name_plural = _("citizens' initiatives")
        permissions = [("organise_initiative", _("Can run the initiative's back office"))]

    def __str__(self) -> str:
        return f"{self.registration_number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("eci:detail", args=[self.slug])

    @property
    def table(self) -> rules.ThresholdTable:
        return rules.load().table_for(self.registered_on)

    def thresholds(self) -> dict[str, int]:
        return rules.load().thresholds(self.table)

    def register_key(self) -> tuple[str, str] | None:
        """(year, number) as the register's API wants them, from ECI(2021)000001."""
        match = re.fullmatch(r"ECI\((\d{4})\)(\d{6})", self.registration_number)
        return (match.group(1), match.group(2)) if match else None

    def signing_link(self, language: str) -> str:
        return str(self.signing_links.get(language) or self.signing_url)

    def days_left(self, today: date | None = None) -> int | None:
        if self.collection_end is None:
            return None
        today = today or timezone.localdate()
        return max(0, (self.collection_end - today).days)


# CounterReading.count is a PositiveIntegerField: the largest value every database stores.
MAX_COUNT = 2_147_483_647


class CounterReading(models.Model):
    """One figure read at one moment: a time series, never overwritten."""

    class Source(models.TextChoices):
        ONLINE = "online", _("Commission signing system (online)")
        REGISTER = "register", _("Commission register (online and paper)")

    class Origin(models.TextChoices):
        SYNC = "sync", _("read from the Commission")
        MANUAL = "manual", _("entered by an organiser")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="readings", verbose_name=_("initiative")
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    origin = models.CharField(_("origin"), max_length=8, choices=Origin.choices, default="sync")
    # Blank country: the total over all member states.
    country = CountryField(_("member state"), blank=True)
    count = models.PositiveIntegerField(_("statements of support"))
    read_at = models.DateTimeField(_("read at"), default=timezone.now, db_index=True)
    reported_at = models.DateTimeField(_("as of (source)"), null=True, blank=True)

    class Meta:
        ordering = ["-read_at", "-id"]
        indexes = [models.Index(fields=["initiative", "source", "country", "read_at"])]
        verbose_name = _("counter reading")
        verbose_name_plural = _("counter readings")

    def __str__(self) -> str:
        return f"{self.source} {self.country or 'total'} {self.count}"


class SyncStatus(models.Model):
    """The last attempt to read a counter, so a stale figure is shown with its age."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="syncs")
    source = models.CharField(max_length=16, choices=CounterReading.Source.choices)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["initiative", "source"], name="one_sync_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.source}"


class PaperBatch(models.Model):
    """Paper statements collected by a partner: numbers and custody, never a person's data.

    Each custody step is a timestamp, set once, in order, through
    services.batches.advance_batch().
    """

    class Step(models.TextChoices):
        RECEIVED = "received", _("received")
        COUNTED = "counted", _("counted")
        STORED = "stored", _("stored")
        SENT = "sent", _("sent to the national authority")
        CERTIFIED = "certified", _("certificate received")
        DESTROYED = "destroyed", _("destroyed")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="batches", verbose_name=_("initiative")
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    partner = models.CharField(_("partner organisation"), max_length=200)
    country = CountryField(_("member state"))
    sheets = models.PositiveIntegerField(_("sheets"))
    statements = models.PositiveIntegerField(_("statements"))
    storage = models.CharField(_("where it is kept"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    counted_at = models.DateTimeField(_("counted"), null=True, blank=True)
    stored_at = models.DateTimeField(_("stored"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_means = models.CharField(_("sent by"), max_length=200, blank=True)
    certified_at = models.DateTimeField(_("certificate received"), null=True, blank=True)
    valid_count = models.PositiveIntegerField(_("valid statements"), null=True, blank=True)
    destroyed_at = models.DateTimeField(_("destroyed"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("paper batch")
        verbose_name_plural = _("paper batches")

    def __str__(self) -> str:
        return self.reference

    @property
    def step(self) -> str:
        for step, field in reversed(STEP_FIELDS):
            if getattr(self, field) is not None:
                return step
        return self.Step.RECEIVED

    def get_step_display(self) -> str:
        return str(self.Step(self.step).label)

    @property
    def counted_statements(self) -> int:
        """What this batch adds to its country: the certified count once known."""
        if self.counted_at is None:
            return 0
        return self.valid_count if self.valid_count is not None else self.statements


STEP_FIELDS: list[tuple[str, str]] = [
    (PaperBatch.Step.RECEIVED, "received_at"),
    (PaperBatch.Step.COUNTED, "counted_at"),
    (PaperBatch.Step.STORED, "stored_at"),
    (PaperBatch.Step.SENT, "sent_at"),
    (PaperBatch.Step.CERTIFIED, "certified_at"),
    (PaperBatch.Step.DESTROYED, "destroyed_at"),
]


class Sponsor(models.Model):
    """Support and funding above EUR 500, disclosed as the regulation requires."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="sponsors", verbose_name=_("initiative")
    )
    name = models.CharField(_("sponsor"), max_length=200)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2)
    received_on = models.DateField(_("received on"))

    class Meta:
        ordering = ["-received_on", "name"]
        verbose_name = _("sponsor")
        verbose_name_plural = _("sponsors")

    def __str__(self) -> str:
        return f"{self.name} ({self.amount} EUR)"
