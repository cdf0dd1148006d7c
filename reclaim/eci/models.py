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
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField

from reclaim.eci import rules, signing

# Shown where the representative's details are entered: when they go. The admin's form
# replaces it with the date itself for a saved initiative (``forms.initiatives``).
REPRESENTATIVE_HELP = _(
    "Printed on the paper forms. Erased once the last day to destroy the paper statements "
    "of support has passed (“Destroy paper statements” in the initiative's deadlines)."
)


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
    collection_end = models.DateField(
        _("collection ends"),
        null=True,
        blank=True,
        help_text=_("The end in force, including any extension."),
    )
    # Regulation (EU) 2020/1042 let the Commission extend collection periods during the
    # COVID-19 pandemic beyond the 12 months of Regulation (EU) 2019/788: the extension is
    # kept with its legal basis, and every later date follows it (``deadlines``).
    collection_end_before_extension = models.DateField(
        _("collection end before the extension"),
        null=True,
        blank=True,
        help_text=_("Only for an extended collection: the end as first set."),
    )
    extended_under = models.CharField(
        _("collection extended under"),
        max_length=100,
        blank=True,
        help_text=_("The legal basis of the extension, e.g. Regulation (EU) 2020/1042."),
    )
    # Annex III: the paper form names the organisers' representative and their contact,
    # both published in the Commission's register. Personal data: blanked once the paper
    # statements are due for destruction (``retention``), found by ``privacy``.
    representative_name = models.CharField(
        _("organisers' representative"),
        max_length=200,
        blank=True,
        help_text=REPRESENTATIVE_HELP,
    )
    representative_email = models.EmailField(
        _("representative's email address"),
        max_length=254,
        blank=True,
        help_text=REPRESENTATIVE_HELP,
    )
    registered_language = models.CharField(
        _("language of registration"),
        max_length=8,
        default="en",
        help_text=_("The language of the title and objectives above, e.g. en."),
    )
    translations = models.JSONField(
        _("title and objectives in other languages"),
        default=dict,
        blank=True,
        help_text=_(
            'As registered with the Commission, per language: {"de": {"title": "…", '
            '"objectives": "…"}}.'
        ),
    )
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
        """The Commission's signing page in ``language`` (see ``eci/signing.py``)."""
        return signing.link(self.signing_url, self.signing_links, language)

    @property
    def collection_closed(self) -> bool:
        """Collection is over: closed, in verification or after, or withdrawn.

        Read from the status, which organisers set, not from the end date: an end date
        can move (extensions), and a page must not close collection on its own.
        """
        return self.status in CLOSED_STATUSES

    @property
    def verified(self) -> bool:
        """The national authorities have certified the statements: the organisers submit
        to the Commission only with their certificates."""
        return self.status in (self.Status.SUBMITTED, self.Status.ANSWERED)

    def registered_text(self, language: str) -> tuple[str, str, str]:
        """Title and objectives as registered in ``language``, and the language they are in.

        Without a registered version in that language: the registration language's.
        """
        if language != self.registered_language:
            version = self.translations.get(language)
            if isinstance(version, dict) and version.get("title"):
                return str(version["title"]), str(version.get("objectives", "")), language
        return self.title, self.objectives, self.registered_language

    def days_left(self, today: date | None = None) -> int | None:
        if self.collection_end is None:
            return None
        today = today or timezone.localdate()
        return max(0, (self.collection_end - today).days)


CLOSED_STATUSES = (
    Initiative.Status.CLOSED,
    Initiative.Status.VERIFICATION,
    Initiative.Status.SUBMITTED,
    Initiative.Status.ANSWERED,
    Initiative.Status.WITHDRAWN,
)

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


class RejectedReading(models.Model):
    """A counter's answer that could not be true, refused by the sync's checks
    (``reclaim.eci.sync.checks``): the last good figure stays on the pages and is marked
    stale. The same answer refused again is one row seen more often, so a counter stuck on
    nonsense adds no row every quarter of an hour. Nothing personal: public figures only."""

    class Reason(models.TextChoices):
        ABOVE_POPULATION = "above_population", _("more than a member state's population")
        TOTAL_ABOVE_POPULATION = "total_above_population", _("more than the EU's population")
        TOTAL_MISMATCH = "total_mismatch", _("total disagrees with the member states")
        FALL = "fall", _("fell too far")
        ZERO = "zero", _("fell to zero")
        FUTURE_DATE = "future_date", _("dated in the future")

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="rejections",
        verbose_name=_("initiative"),
    )
    source = models.CharField(_("source"), max_length=16, choices=CounterReading.Source.choices)
    reason = models.CharField(_("reason"), max_length=32, choices=Reason.choices)
    # The figures behind the reason (count, limit, country, previous, sum, share, date), so
    # that the reason is worded in the reader's language when it is shown.
    details = models.JSONField(_("details"), default=dict, blank=True)
    total = models.PositiveIntegerField(_("total in the answer"))
    first_seen_at = models.DateTimeField(_("first refused"))
    last_seen_at = models.DateTimeField(_("last refused"), db_index=True)
    times = models.PositiveIntegerField(_("times refused"), default=1)

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        verbose_name = _("rejected counter answer")
        verbose_name_plural = _("rejected counter answers")

    def __str__(self) -> str:
        return f"{self.source} {self.reason} {self.total}"

    def reason_text(self) -> str:
        """Why the answer was refused, in the active language."""
        d = self.details

        def number(key: str) -> str:
            return number_format(d.get(key, 0), force_grouping=True)

        if self.reason == self.Reason.ABOVE_POPULATION:
            return gettext(
                "%(country)s: %(count)s statements, more than its whole population of %(limit)s."
            ) % {
                "country": countries.name(d.get("country", "")) or d.get("country", ""),
                "count": number("count"),
                "limit": number("limit"),
            }
        if self.reason == self.Reason.TOTAL_ABOVE_POPULATION:
            return gettext(
                "A total of %(count)s statements, more than the whole population of the EU "
                "(%(limit)s)."
            ) % {"count": number("count"), "limit": number("limit")}
        if self.reason == self.Reason.TOTAL_MISMATCH:
            return gettext(
                "A total of %(count)s statements, but the member states add up to %(sum)s."
            ) % {"count": number("count"), "sum": number("sum")}
        if self.reason == self.Reason.FALL:
            return gettext(
                "A total of %(count)s statements, down from %(previous)s: a fall of more "
                "than %(share)s %%."
            ) % {"count": number("count"), "previous": number("previous"), "share": d.get("share")}
        if self.reason == self.Reason.ZERO:
            return gettext("A total of zero statements, down from %(previous)s.") % {
                "previous": number("previous")
            }
        if self.reason == self.Reason.FUTURE_DATE:
            day = date.fromisoformat(d["date"]) if d.get("date") else None
            return gettext("Dated %(date)s, a day still to come.") % {
                "date": date_format(day, "DATE_FORMAT") if day else "?"
            }
        return str(self.get_reason_display())


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
